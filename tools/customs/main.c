/*
 * customs: the command-line tool. Dispatches to subcommands; every exit
 * code and every message on stderr is made here or in cli.c, never in
 * the library.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "util/banned.h"

static const char usage_text[] =
	"usage: customs [--version] [--help] <command> [<args>]\n"
	"\n"
	"Inspect container images, list what is inside and judge them.\n"
	"\n"
	"commands:\n"
	"  inspect TARGET   image facts: layers, config, history, files, "
	"distro\n"
	"  sbom TARGET      packages: table, native JSON, CycloneDX, SPDX\n"
	"  secrets TARGET   secrets in files and config, censored\n"
	"  scan TARGET      known vulnerabilities of the packages (or of an "
	"SBOM)\n"
	"  check TARGET     evaluate an Anchore policy bundle: the CI gate\n"
	"  policy CMD       validate, describe and test policy bundles\n"
	"  db COMMAND       the vulnerability database: update, import,\n"
	"                   status\n"
	"  resolve REF      digest(s) of an image in a registry (HEAD only)\n"
	"  login REGISTRY   store registry credentials (config.json)\n"
	"  logout REGISTRY  remove them\n"
	"\n"
	"TARGET is an image source:\n"
	"  docker-archive:PATH[:REF]  a tar written by `docker save`\n"
	"  oci:DIR[:REF]              an OCI image layout directory\n"
	"  oci-archive:PATH[:REF]     an OCI image layout in a tar\n"
	"  dir:PATH                   a root filesystem directory\n"
	"  registry:REF               an image in a registry (Docker "
	"reference)\n"
	"  PATH                       any of the above, detected from what it "
	"is\n"
	"  REF                        a reference that is not an existing "
	"path\n"
	"                             (nginx:1.25, "
	"localhost:5000/app@sha256:...)"
	"\n"
	"\n"
	"exit codes: 0 success, 1 the gate failed, 2 bad input or usage,\n"
	"3 internal error.\n"
	"Run `customs <command> --help` for a command's options.\n";

int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("customs: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_INPUT;
}

int fail_ctx(const struct customs_ctx *ctx, int code)
{
	const char *msg = customs_ctx_errmsg(ctx);

	fprintf(stderr, "customs: error: %s\n",
		msg[0] ? msg : customs_strerror(code));
	switch (code) {
	case CUSTOMS_ENOMEM:
	case CUSTOMS_EINTERNAL:
		return EXIT_INTERNAL;
	default:
		return EXIT_INPUT;
	}
}

int parse_output(struct outputs *outs, const char *arg,
		 const char *const *allowed)
{
	const char *eq = strchr(arg, '=');
	size_t flen = eq ? (size_t)(eq - arg) : strlen(arg);
	int i;

	if (outs->n == MAX_OUTPUTS)
		return usage_error("too many -o options (at most %d)",
				   MAX_OUTPUTS);
	for (i = 0; allowed[i]; i++) {
		if (strlen(allowed[i]) == flen &&
		    !strncmp(arg, allowed[i], flen))
			break;
	}
	if (!allowed[i])
		return usage_error("unknown output format '%.*s'", (int)flen,
				   arg);
	if (eq && !eq[1])
		return usage_error("-o %s: empty file name", arg);
	outs->v[outs->n].format = allowed[i];
	outs->v[outs->n].file = eq ? eq + 1 : NULL;
	outs->n++;
	return 0;
}

bool parse_size(const char *s, uint64_t *v)
{
	char *end = NULL;
	unsigned long long n;
	unsigned shift = 0;

	if (!s || !*s || *s == '-')
		return false;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno || end == s)
		return false;
	switch (*end) {
	case 'k':
	case 'K':
		shift = 10, end++;
		break;
	case 'm':
	case 'M':
		shift = 20, end++;
		break;
	case 'g':
	case 'G':
		shift = 30, end++;
		break;
	default:
		break;
	}
	if ((*end == 'i' || *end == 'B') && shift)
		end += (*end == 'i' && end[1] == 'B') ? 2 : 1;
	if (*end || n > (UINT64_MAX >> shift))
		return false;
	*v = (uint64_t)n << shift;
	return true;
}

/* Close one output; a file is removed when it is not to be kept. */
static int close_one(const struct output *o, FILE *f, bool keep)
{
	int bad;

	if (f == stdout)
		return (ferror(f) | fflush(f)) && keep ? EXIT_INPUT : 0;
	bad = ferror(f) | fclose(f);
	if (bad || !keep)
		unlink(o->file);
	if (bad && keep)
		return usage_error("writing '%s' failed", o->file);
	return 0;
}

int open_outputs(const struct outputs *outs, FILE **files)
{
	int i, j;

	for (i = 0; i < outs->n; i++) {
		const struct output *o = &outs->v[i];

		if (!o->file || !strcmp(o->file, "-")) {
			files[i] = stdout;
			continue;
		}
		files[i] = fopen(o->file, "w");
		if (!files[i]) {
			usage_error("cannot write '%s': %s", o->file,
				    strerror(errno));
			for (j = 0; j < i; j++)
				close_one(&outs->v[j], files[j], false);
			return EXIT_INPUT;
		}
	}
	return 0;
}

int close_outputs(const struct outputs *outs, FILE **files, bool keep)
{
	int i, rc = 0;

	for (i = 0; i < outs->n; i++) {
		if (close_one(&outs->v[i], files[i], keep))
			rc = EXIT_INPUT;
	}
	return rc;
}

int parse_target_args(struct cmd_args *a, int argc, char **argv)
{
	int c, rc;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":o:h", a->opts, NULL)) != -1) {
		if (c == 'h') {
			fputs(a->usage, stdout);
			return -1;
		}
		if (c == '?')
			return usage_error("unknown option '%s' (see `customs "
					   "%s --help`)",
					   argv[optind - 1], a->name);
		if (c == ':')
			return usage_error("option '%s' needs a value",
					   argv[optind - 1]);
		rc = a->one(a->data, c, optarg);
		if (rc)
			return rc;
	}
	if (optind >= argc)
		return usage_error("%s: missing TARGET (see `customs %s "
				   "--help`)",
				   a->name, a->name);
	if (optind + 1 < argc)
		return usage_error("%s: unexpected argument '%s'", a->name,
				   argv[optind + 1]);
	a->target = argv[optind];
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage_text, stderr);
		return EXIT_INPUT;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		fputs(usage_text, stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("customs %s\n", CUSTOMS_VERSION);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "inspect"))
		return cmd_inspect(argc - 1, argv + 1);
	if (!strcmp(argv[1], "sbom"))
		return cmd_sbom(argc - 1, argv + 1);
	if (!strcmp(argv[1], "scan"))
		return cmd_scan(argc - 1, argv + 1);
	if (!strcmp(argv[1], "db"))
		return cmd_db(argc - 1, argv + 1);
	if (!strcmp(argv[1], "resolve"))
		return cmd_resolve(argc - 1, argv + 1);
	if (!strcmp(argv[1], "login"))
		return cmd_login(argc - 1, argv + 1);
	if (!strcmp(argv[1], "logout"))
		return cmd_logout(argc - 1, argv + 1);
	if (!strcmp(argv[1], "secrets"))
		return cmd_secrets(argc - 1, argv + 1);
	if (!strcmp(argv[1], "check"))
		return cmd_check(argc - 1, argv + 1);
	if (!strcmp(argv[1], "policy"))
		return cmd_policy(argc - 1, argv + 1);
	return usage_error("unknown command '%s' (see `customs --help`)",
			   argv[1]);
}
