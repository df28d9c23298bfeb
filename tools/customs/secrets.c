/*
 * `customs secrets`: one pass over the image with the secrets analyzer,
 * then the findings as a table or JSON. `--list-rules` prints the rule
 * set (built-in plus --config) without reading an image.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "secrets_cli.h"
#include "util/banned.h"

static const char secrets_usage[] =
	"usage: customs secrets [options] TARGET\n"
	"       customs secrets [--config FILE] --list-rules\n"
	"\n"
	"Find secrets (cloud keys, tokens, private keys, passwords in URLs, "
	"...)\n"
	"in every file of an image and in its config (ENV values, labels,\n"
	"history). Each finding names the rule, severity, path and line, the\n"
	"layer and the history line that added it; the secret itself is\n"
	"replaced by '*'. Binaries, files over 10 MiB, .git, node_modules,\n"
	"lock files and the paths of the built-in allow rules (usr/share,\n"
	"usr/lib, tests, examples, *.md, ...) are skipped and counted; see\n"
	"docs/secrets.md.\n"
	"\n"
	"TARGET: docker-archive:PATH[:REF], oci:DIR[:REF], "
	"oci-archive:PATH[:REF],\n"
	"dir:PATH, or a path whose kind is detected.\n"
	"\n"
	"options:\n"
	"  -o, --output FORMAT[=FILE]  table (default) or json; repeatable,\n"
	"                              FILE defaults to standard output\n"
	"      --config FILE           rules file (YAML): add, disable and\n"
	"                              allow-list rules\n"
	"      --scope SCOPE           squashed (default: the final "
	"filesystem) or\n"
	"                              all-layers (also files later layers\n"
	"                              deleted or replaced)\n"
	"      --list-rules            print the rules (id, severity, "
	"category,\n"
	"                              enabled, title) and exit\n"
	"      --content-regex [NAME=]REGEX\n"
	"                              also run Anchore's content_search "
	"(JSON);\n"
	"                              repeatable\n"
	"      --retrieve-file PATH    store this file's content (JSON; "
	"default\n"
	"                              /etc/passwd); repeatable\n"
	"      --malware-db DIR        scan with ClamAV signatures from "
	"DIR\n" IMAGE_OPTS_HELP "  -h, --help                  show this help\n"
	"\n"
	"exit codes: 0 success (whether or not secrets were found), 2 bad\n"
	"input or usage, 3 internal error.\n";

struct secrets_opts {
	struct outputs outs;
	struct customs_image_opts img;
	struct customs_scan_opts scan;
	struct secrets_cli sec;
	bool list;
	const char *target;
};

enum {
	OPT_SCOPE = OPT_FIRST_OWN,
	OPT_LIST,
};

static const struct option long_opts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "config", required_argument, NULL, OPT_SECRETS_CONFIG },
	{ "scope", required_argument, NULL, OPT_SCOPE },
	{ "list-rules", no_argument, NULL, OPT_LIST },
	{ "content-regex", required_argument, NULL, OPT_CONTENT_REGEX },
	{ "retrieve-file", required_argument, NULL, OPT_RETRIEVE_FILE },
	{ "malware-db", required_argument, NULL, OPT_MALWARE_DB },
	IMAGE_LONG_OPTS,
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const char *const formats[] = { "table", "json", NULL };

static int one_opt(struct secrets_opts *o, int c, const char *arg)
{
	int rc;

	switch (c) {
	case 'o':
		return parse_output(&o->outs, arg, formats);
	case OPT_SCOPE:
		if (!strcmp(arg, "squashed"))
			o->sec.opts.all_layers = false;
		else if (!strcmp(arg, "all-layers"))
			o->sec.opts.all_layers = true;
		else
			return usage_error("--scope: '%s' is not squashed or "
					   "all-layers",
					   arg);
		return 0;
	case OPT_LIST:
		o->list = true;
		return 0;
	case OPT_SECRETS_CONFIG:
	case OPT_CONTENT_REGEX:
	case OPT_RETRIEVE_FILE:
	case OPT_MALWARE_DB:
		return secrets_cli_opt(&o->sec, c, arg);
	default:
		rc = image_opt(&o->img, &o->scan, c, arg);
		return rc >= 0 ? rc
			       : usage_error("see `customs secrets --help`");
	}
}

static int one_opt_cb(void *data, int c, const char *arg)
{
	return one_opt(data, c, arg);
}

static int list_rules(struct secrets_opts *o)
{
	struct customs_secrets *s = NULL;
	struct customs_secret_rule_info ri;
	struct customs_ctx *ctx = NULL;
	size_t i;
	int rc;

	if (customs_ctx_new(&ctx))
		return EXIT_INTERNAL;
	rc = customs_secrets_new(&s, secrets_cli_opts(&o->sec), ctx);
	if (rc) {
		rc = fail_ctx(ctx, rc);
		customs_ctx_free(ctx);
		return rc;
	}
	printf("%-36s %-9s %-20s %-8s %s\n", "ID", "SEVERITY", "CATEGORY",
	       "ENABLED", "TITLE");
	for (i = 0; i < customs_secrets_rule_count(s); i++) {
		customs_secrets_rule_info(s, i, &ri);
		printf("%-36s %-9s %-20s %-8s %s\n", ri.id,
		       customs_secret_severity_name(ri.severity), ri.category,
		       ri.enabled ? "yes" : "no", ri.title);
	}
	customs_secrets_free(s);
	customs_ctx_free(ctx);
	return EXIT_OK;
}

/* --list-rules needs no TARGET: the options alone, a TARGET ignored. */
static int parse_list(struct secrets_opts *o, int argc, char **argv)
{
	int c, rc;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":o:h", long_opts, NULL)) != -1) {
		if (c == 'h') {
			fputs(secrets_usage, stdout);
			return -1;
		}
		if (c == '?' || c == ':')
			return usage_error("bad option '%s' (see `customs "
					   "secrets --help`)",
					   argv[optind - 1]);
		rc = one_opt(o, c, optarg);
		if (rc)
			return rc;
	}
	return 0;
}

/* Returns -1 after --help (exit 0), 0 to go on, or an exit code. */
static int parse_args(struct secrets_opts *o, int argc, char **argv)
{
	struct cmd_args a = { "secrets", secrets_usage, long_opts, one_opt_cb,
			      o,	 NULL };
	int i, rc;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--list-rules"))
			return parse_list(o, argc, argv);
	}
	rc = parse_target_args(&a, argc, argv);
	if (rc)
		return rc;
	o->target = a.target;
	if (!o->outs.n)
		parse_output(&o->outs, "table", formats);
	o->scan.limits = o->img.limits;
	return 0;
}

static void write_json(FILE *f, const struct secrets_opts *o,
		       const struct customs_secrets_report *r)
{
	struct jsonw w;

	jsonw_init(&w, f, true);
	jsonw_obj_open(&w);
	jsonw_kstr(&w, "schema", "customs.secrets/v1");
	jsonw_kstr(&w, "target", o->target);
	jsonw_kstr(&w, "scope",
		   o->sec.opts.all_layers ? "all-layers" : "squashed");
	secrets_write_json_keys(&w, r);
	jsonw_obj_close(&w);
	jsonw_end(&w);
}

static int scan(struct customs_secrets_report **out, struct secrets_opts *o,
		struct customs_ctx *ctx)
{
	struct customs_image *img = NULL;
	struct customs_analysis *an = NULL;
	struct customs_secrets *s = NULL;
	int rc = customs_secrets_new(&s, secrets_cli_opts(&o->sec), ctx);

	if (!rc)
		rc = customs_image_open(&img, ctx, o->target, &o->img);
	if (!rc) {
		o->scan.analyzers =
			customs_secrets_analyzers(s, &o->scan.n_analyzers);
		rc = customs_image_scan(&an, img, ctx, &o->scan);
	}
	if (!rc)
		rc = customs_secrets_finish(out, s, img, an, ctx);
	customs_secrets_free(s);
	customs_analysis_free(an);
	customs_image_free(img);
	return rc;
}

static int run(struct secrets_opts *o, struct customs_ctx *ctx)
{
	struct customs_secrets_report *r = NULL;
	FILE *files[MAX_OUTPUTS];
	int rc, ex, i;

	ex = open_outputs(&o->outs, files);
	if (ex)
		return ex;
	rc = scan(&r, o, ctx);
	if (rc) {
		ex = fail_ctx(ctx, rc);
		close_outputs(&o->outs, files, false);
		return ex;
	}
	for (i = 0; i < o->outs.n; i++) {
		if (!strcmp(o->outs.v[i].format, "json"))
			write_json(files[i], o, r);
		else
			secrets_write_table(files[i], r);
	}
	customs_secrets_report_free(r);
	return close_outputs(&o->outs, files, true);
}

int cmd_secrets(int argc, char **argv)
{
	struct secrets_opts o = { 0 };
	struct customs_image_opts img_init = CUSTOMS_IMAGE_OPTS_INIT;
	struct customs_scan_opts scan_init = CUSTOMS_SCAN_OPTS_INIT;
	struct customs_ctx *ctx = NULL;
	int ex;

	o.img = img_init;
	o.scan = scan_init;
	secrets_cli_init(&o.sec);
	ex = parse_args(&o, argc, argv);
	if (ex)
		return ex < 0 ? EXIT_OK : ex;
	if (o.list)
		return list_rules(&o);
	if (customs_ctx_new(&ctx))
		return EXIT_INTERNAL;
	ex = run(&o, ctx);
	customs_ctx_free(ctx);
	return ex;
}
