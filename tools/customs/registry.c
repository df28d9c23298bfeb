/*
 * `customs resolve`, `customs login` and `customs logout`: the registry
 * commands that do not read an image. They share the registry options of
 * the image commands (cli.h REGISTRY_LONG_OPTS).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "jsonw.h"
#include "util/banned.h"

static const char resolve_usage[] =
	"usage: customs resolve [options] REF\n"
	"\n"
	"Print the digest of what REF names in its registry, asking with "
	"HEAD\n"
	"requests only (for an index: the index digest, then one line per\n"
	"platform: PLATFORM DIGEST). REF is a Docker reference: nginx,\n"
	"team/app:1.4, localhost:5000/app@sha256:...\n"
	"\n"
	"options:\n"
	"  -o, --output FORMAT         text (default) or "
	"json\n" REGISTRY_AUTH_HELP_U(
		"-u, ") "  -h, --help                  show this help\n"
			"\n"
			"exit codes: 0 success, 2 bad input, not found, "
			"network or auth "
			"error,\n"
			"3 internal error.\n";

static const char login_usage[] =
	"usage: customs login [options] REGISTRY -u USER --password-stdin\n"
	"\n"
	"Check USER and the password (read from stdin) against REGISTRY\n"
	"(host[:port]; docker.io for Docker Hub) and store them in\n"
	"config.json ($DOCKER_CONFIG or ~/.docker; file mode 0600), where\n"
	"customs and docker find them.\n"
	"\n"
	"options:\n" REGISTRY_AUTH_HELP_U(
		"-u, ") "      --config-dir DIR        where config.json is "
			"(default "
			"$DOCKER_CONFIG\n"
			"                              or ~/.docker)\n"
			"  -h, --help                  show this help\n"
			"\n"
			"exit codes: 0 success, 2 refused or bad input, 3 "
			"internal error.\n";

static const char logout_usage[] =
	"usage: customs logout [options] REGISTRY\n"
	"\n"
	"Remove the credentials of REGISTRY from config.json.\n"
	"\n"
	"options:\n"
	"      --config-dir DIR        where config.json is (default "
	"$DOCKER_CONFIG\n"
	"                              or ~/.docker)\n"
	"  -h, --help                  show this help\n"
	"\n"
	"exit codes: 0 success, 2 not logged in or bad input, 3 internal "
	"error.\n";

enum { OPT_CONFIG_DIR = OPT_FIRST_OWN };

static const struct option long_opts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "config-dir", required_argument, NULL, OPT_CONFIG_DIR },
	REGISTRY_LONG_OPTS,
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct args {
	const char *name;
	const char *usage;
	const char *output;
	const char *config_dir;
	const char *operand;
};

static int parse(struct args *a, int argc, char **argv)
{
	int c, rc;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":o:u:h", long_opts, NULL)) != -1) {
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
		if (c == 'o') {
			a->output = optarg;
			continue;
		}
		if (c == OPT_CONFIG_DIR) {
			a->config_dir = optarg;
			continue;
		}
		rc = registry_opt(c == 'u' ? OPT_USERNAME : c, optarg);
		if (rc)
			return rc < 0 ? usage_error("%s: option '%s' does not "
						    "apply",
						    a->name, argv[optind - 1])
				      : rc;
	}
	if (optind + 1 != argc)
		return usage_error("%s: expected one operand (see `customs %s "
				   "--help`)",
				   a->name, a->name);
	a->operand = argv[optind];
	return 0;
}

static void print_json(const struct customs_resolved *r)
{
	struct jsonw *w = malloc(sizeof(*w));
	size_t i;

	if (!w)
		return;
	jsonw_init(w, stdout, true);
	jsonw_obj_open(w);
	jsonw_kstr(w, "name", r->name);
	jsonw_kstr(w, "digest", r->digest);
	jsonw_kstr(w, "mediaType", r->media_type);
	jsonw_key(w, "manifests");
	jsonw_arr_open(w);
	for (i = 0; i < r->n_entries; i++) {
		jsonw_obj_open(w);
		jsonw_kstr(w, "platform", r->entries[i].platform);
		jsonw_kstr(w, "digest", r->entries[i].digest);
		jsonw_kstr(w, "mediaType", r->entries[i].media_type);
		jsonw_obj_close(w);
	}
	jsonw_arr_close(w);
	jsonw_obj_close(w);
	jsonw_end(w);
	free(w);
}

static int one_ctx(struct customs_ctx **ctx)
{
	return customs_ctx_new(ctx) ? EXIT_INTERNAL : 0;
}

int cmd_resolve(int argc, char **argv)
{
	struct args a = { "resolve", resolve_usage, NULL, NULL, NULL };
	struct customs_resolved r = { NULL, NULL, NULL, NULL, 0 };
	struct customs_ctx *ctx = NULL;
	size_t i;
	int ex = parse(&a, argc, argv), rc;

	if (ex)
		return ex < 0 ? EXIT_OK : ex;
	if (a.output && strcmp(a.output, "text") && strcmp(a.output, "json"))
		return usage_error("unknown output format '%s'", a.output);
	if (one_ctx(&ctx))
		return EXIT_INTERNAL;
	rc = customs_registry_resolve(&r, ctx, a.operand, registry_opts());
	if (rc)
		ex = fail_ctx(ctx, rc);
	else if (a.output && !strcmp(a.output, "json"))
		print_json(&r);
	else
		printf("%s\n", r.digest);
	for (i = 0;
	     !rc && !(a.output && !strcmp(a.output, "json")) && i < r.n_entries;
	     i++)
		printf("%s %s\n", r.entries[i].platform, r.entries[i].digest);
	customs_resolved_release(&r);
	customs_ctx_free(ctx);
	return ex;
}

static struct customs_registry_opts with_dir(const struct args *a)
{
	struct customs_registry_opts o = *registry_opts();

	o.config_dir = a->config_dir;
	return o;
}

int cmd_login(int argc, char **argv)
{
	struct args a = { "login", login_usage, NULL, NULL, NULL };
	struct customs_registry_opts o;
	struct customs_ctx *ctx = NULL;
	int ex = parse(&a, argc, argv), rc;

	if (ex)
		return ex < 0 ? EXIT_OK : ex;
	o = with_dir(&a);
	if (!o.username || !o.password)
		return usage_error("login: give -u USER and --password-stdin");
	if (one_ctx(&ctx))
		return EXIT_INTERNAL;
	rc = customs_registry_login(ctx, a.operand, &o);
	if (rc)
		ex = fail_ctx(ctx, rc);
	else
		fprintf(stderr, "customs: logged in to %s\n", a.operand);
	customs_ctx_free(ctx);
	return ex;
}

int cmd_logout(int argc, char **argv)
{
	struct args a = { "logout", logout_usage, NULL, NULL, NULL };
	struct customs_registry_opts o;
	struct customs_ctx *ctx = NULL;
	int ex = parse(&a, argc, argv), rc;

	if (ex)
		return ex < 0 ? EXIT_OK : ex;
	o = with_dir(&a);
	if (one_ctx(&ctx))
		return EXIT_INTERNAL;
	rc = customs_registry_logout(ctx, a.operand, &o);
	if (rc)
		ex = fail_ctx(ctx, rc);
	else
		fprintf(stderr, "customs: logged out of %s\n", a.operand);
	customs_ctx_free(ctx);
	return ex;
}
