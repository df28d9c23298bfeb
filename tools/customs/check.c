/*
 * `customs check`: evaluate a policy bundle against an image, the CI
 * gate. The analysis document is built in-process with one scan of the
 * image (the inspect writer with --files facts, the package catalogers'
 * SBOM, /etc/passwd retrieved by a small analyzer), or read from a file
 * with --analysis. Exit 0 on GO/WARN, 1 on STOP, 2 on an error.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "customs/catalog.h"
#include "customs/policy.h"
#include "customs/sbom.h"
#include "inspect.h"
#include "policy_cli.h"
#include "util/banned.h"

static const char check_usage[] =
	"usage: customs check [options] TARGET\n"
	"       customs check [options] --analysis DOC.json\n"
	"\n"
	"Evaluate an Anchore policy bundle (format 1_0) against an image and\n"
	"print the decision rows and the final action. Without --policy the\n"
	"built-in default bundle of Anchore Engine is used.\n"
	"\n"
	"TARGET: docker-archive:PATH[:REF], oci:DIR[:REF], "
	"oci-archive:PATH[:REF],\n"
	"dir:PATH, or a path whose kind is detected.\n"
	"\n"
	"options:\n"
	"  -p, --policy FILE           the bundle (default: built-in default)\n"
	"  -t, --tag REF               the tag mappings are matched against\n"
	"                              (default: the image's first tag; none\n"
	"                              matches only wildcard mappings)\n"
	"  -o, --output FORMAT[=FILE]  table (default) or json (the "
	"evaluation\n"
	"                              document Anchore stores); repeatable\n"
	"      --analysis FILE         evaluate a stored analysis document\n"
	"                              instead of reading TARGET\n"
	"      --save-analysis FILE    write the analysis document built from\n"
	"                              TARGET to FILE\n"
	"      --dockerfile FILE       the Dockerfile the image was built "
	"from\n"
	"                              (mode Actual; default: guessed)\n"
	"      --base NAME             the base image (for the base_image "
	"gate)\n"
	"      --fix LIST              opt-in fixes of reference bugs, comma-\n"
	"                              separated: dockerfile-continuation,\n"
	"                              required-package-message,\n"
	"                              retrieved-twice, vendor-only, or all\n"
	"      --now TIME              evaluate as of TIME (RFC 3339 or Unix\n"
	"                              seconds; for reproducible "
	"runs)\n" IMAGE_OPTS_HELP
	"  -h, --help                  show this help\n"
	"\n"
	"exit codes: 0 pass (final action GO or WARN), 1 fail (STOP),\n"
	"2 bad input or usage, 3 internal error.\n";

enum {
	OPT_ANALYSIS = OPT_FIRST_OWN,
	OPT_SAVE,
	OPT_DOCKERFILE,
	OPT_BASE,
	OPT_FIX,
	OPT_NOW,
};

static const struct option long_opts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "policy", required_argument, NULL, 'p' },
	{ "tag", required_argument, NULL, 't' },
	{ "analysis", required_argument, NULL, OPT_ANALYSIS },
	{ "save-analysis", required_argument, NULL, OPT_SAVE },
	{ "dockerfile", required_argument, NULL, OPT_DOCKERFILE },
	{ "base", required_argument, NULL, OPT_BASE },
	{ "fix", required_argument, NULL, OPT_FIX },
	{ "now", required_argument, NULL, OPT_NOW },
	IMAGE_LONG_OPTS,
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const char *const formats[] = { "table", "json", NULL };

struct check_opts {
	struct outputs outs;
	struct customs_image_opts img;
	struct customs_scan_opts scan;
	struct customs_policy_eval_opts ev;
	const char *policy, *analysis, *save, *dockerfile, *base, *target;
};

static int one_opt(struct check_opts *o, int c, const char *arg)
{
	int rc;

	switch (c) {
	case 'o':
		return parse_output(&o->outs, arg, formats);
	case 'p':
		o->policy = arg;
		return 0;
	case 't':
		o->ev.tag = arg;
		return 0;
	case OPT_ANALYSIS:
		o->analysis = arg;
		return 0;
	case OPT_SAVE:
		o->save = arg;
		return 0;
	case OPT_DOCKERFILE:
		o->dockerfile = arg;
		return 0;
	case OPT_BASE:
		o->base = arg;
		return 0;
	case OPT_FIX:
		return parse_fixes(&o->ev.fixes, arg);
	case OPT_NOW:
		return parse_now(&o->ev.now, arg);
	default:
		rc = image_opt(&o->img, &o->scan, c, arg);
		return rc >= 0 ? rc : usage_error("see `customs check --help`");
	}
}

static int parse_args(struct check_opts *o, int argc, char **argv)
{
	int c, rc;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":o:p:t:h", long_opts, NULL)) !=
	       -1) {
		if (c == 'h') {
			fputs(check_usage, stdout);
			return -1;
		}
		if (c == '?' || c == ':')
			return usage_error("%s '%s' (see `customs check "
					   "--help`)",
					   c == '?' ? "unknown option"
						    : "missing value for",
					   argv[optind - 1]);
		if ((rc = one_opt(o, c, optarg)))
			return rc;
	}
	if (optind < argc)
		o->target = argv[optind++];
	if (optind < argc)
		return usage_error("check: unexpected argument '%s'",
				   argv[optind]);
	if (!o->target == !o->analysis)
		return usage_error("check: give either TARGET or --analysis "
				   "(see `customs check --help`)");
	if (o->analysis && o->save)
		return usage_error("check: --save-analysis needs TARGET");
	if (!o->outs.n)
		parse_output(&o->outs, "table", formats);
	o->scan.limits = o->img.limits;
	return 0;
}

/* /etc/passwd for the passwd_file gate, as Anchore's retrieve_files. */
struct passwd_state {
	char *data;
	size_t len;
	bool truncated;
};

static const struct customs_want passwd_want[] = {
	{ CUSTOMS_WANT_PATH, "etc/passwd" },
};

static int passwd_on_file(void *state, const struct customs_file_event *ev,
			  void **result, struct customs_ctx *ctx)
{
	struct passwd_state *copy = calloc(1, sizeof(*copy));

	(void)state;
	(void)ctx;
	if (!copy)
		return CUSTOMS_ENOMEM;
	copy->data = malloc(ev->len + 1);
	if (!copy->data) {
		free(copy);
		return CUSTOMS_ENOMEM;
	}
	if (ev->len)
		memcpy(copy->data, ev->data, ev->len);
	copy->data[ev->len] = '\0';
	copy->len = ev->len;
	copy->truncated = ev->truncated;
	*result = copy;
	return 0;
}

static void passwd_free(void *state, void *result)
{
	struct passwd_state *p = result;

	(void)state;
	if (p)
		free(p->data);
	free(p);
}

static int passwd_on_result(void *state, const char *path, int layer,
			    bool visible, void *result, struct customs_ctx *ctx)
{
	struct passwd_state *st = state, *r = result;

	(void)path;
	(void)layer;
	(void)ctx;
	if (!visible || !r) {
		passwd_free(state, result);
		return 0;
	}
	free(st->data);
	*st = *r;
	free(r);
	return 0;
}

static char *mem_print_inspect(const struct inspect_data *d, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	inspect_write_json(f, d);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

static char *mem_print_sbom(const struct customs_sbom *s, size_t *len,
			    struct customs_ctx *ctx)
{
	struct customs_sbom_write_opts wo = CUSTOMS_SBOM_WRITE_OPTS_INIT;
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	int rc;

	if (!f)
		return NULL;
	wo.tool_version = CUSTOMS_VERSION;
	rc = customs_sbom_write(f, s, CUSTOMS_SBOM_JSON, &wo, ctx);
	if (fclose(f) || rc) {
		free(buf);
		return NULL;
	}
	return buf;
}

struct scan_out {
	struct customs_image *img;
	struct customs_analysis *an;
	struct customs_sbom *sbom;
	char *dockerfile;
	struct passwd_state pw;
};

static void scan_out_release(struct scan_out *s)
{
	customs_sbom_free(s->sbom);
	customs_analysis_free(s->an);
	customs_image_free(s->img);
	free(s->dockerfile);
	free(s->pw.data);
}

/* One scan: file facts with hashes, catalogers, /etc/passwd. */
static int scan_image(struct scan_out *s, struct check_opts *o,
		      struct customs_ctx *ctx)
{
	struct customs_catalog_opts copts = CUSTOMS_CATALOG_OPTS_INIT;
	struct customs_analyzer pw = { CUSTOMS_ANALYZER_VERSION,
				       "retrieve-files",
				       passwd_want,
				       1,
				       1000u << 10,
				       &s->pw,
				       passwd_on_file,
				       passwd_on_result,
				       passwd_free,
				       NULL };
	const struct customs_analyzer *list[64];
	const struct customs_analyzer *const *cats;
	struct customs_catalog *cat = NULL;
	size_t n = 0, i;
	int rc = 0;

	if (o->dockerfile)
		rc = customs_dockerfile_load(&s->dockerfile, o->dockerfile,
					     ctx);
	if (!rc)
		rc = customs_image_open(&s->img, ctx, o->target, &o->img);
	if (!rc) {
		copts.dir_mode = customs_image_info(s->img)->source ==
				 CUSTOMS_SOURCE_DIR;
		rc = customs_catalog_new(&cat, &copts, ctx);
	}
	if (!rc) {
		cats = customs_catalog_analyzers(cat, &n);
		for (i = 0; i < n && i < 63; i++)
			list[i] = cats[i];
		list[i++] = &pw;
		o->scan.analyzers = list;
		o->scan.n_analyzers = i;
		o->scan.hash_files = true;
		rc = customs_image_scan(&s->an, s->img, ctx, &o->scan);
	}
	if (!rc)
		rc = customs_catalog_finish(&s->sbom, cat, s->img, s->an, ctx);
	if (!rc && !s->dockerfile)
		rc = customs_image_guess_dockerfile(&s->dockerfile, s->img);
	customs_catalog_free(cat);
	return rc;
}

/* The analysis document of TARGET, as JSON text. */
static int analysis_from_image(char **out, struct check_opts *o,
			       struct customs_ctx *ctx)
{
	struct customs_policy_parts parts = CUSTOMS_POLICY_PARTS_INIT;
	struct scan_out s;
	struct inspect_data d = { 0 };
	char *ij = NULL, *sj = NULL;
	int rc;

	memset(&s, 0, sizeof(s));
	rc = scan_image(&s, o, ctx);
	if (rc)
		goto out;
	d.info = customs_image_info(s.img);
	d.an = s.an;
	d.dockerfile = s.dockerfile;
	d.dockerfile_mode = o->dockerfile ? "Actual" : "Guessed";
	d.with_files = true;
	ij = mem_print_inspect(&d, &parts.inspect_len);
	sj = mem_print_sbom(s.sbom, &parts.sbom_len, ctx);
	if (!ij || !sj) {
		rc = CUSTOMS_ENOMEM;
		goto out;
	}
	parts.inspect_json = ij;
	parts.sbom_json = sj;
	parts.passwd = s.pw.data;
	parts.passwd_len = s.pw.len;
	parts.passwd_truncated = s.pw.truncated;
	parts.base_name = o->base;
	rc = customs_policy_analysis_build(out, &parts, ctx);
out:
	free(ij);
	free(sj);
	scan_out_release(&s);
	return rc;
}

static int load_analysis(struct customs_policy_analysis **an,
			 struct check_opts *o, struct customs_ctx *ctx)
{
	char *text = NULL;
	size_t len = 0;
	int rc;

	if (o->analysis) {
		rc = read_file(&text, &len, o->analysis, ctx);
	} else {
		rc = analysis_from_image(&text, o, ctx);
		len = text ? strlen(text) : 0;
		if (!rc && o->save)
			rc = write_file(o->save, text, len, ctx);
	}
	if (!rc)
		rc = customs_policy_analysis_parse(
			an, text, len, o->analysis ? o->analysis : o->target,
			ctx);
	free(text);
	return rc;
}

/* The image's first recorded tag, when --tag is not given. */
static const char *default_tag(const struct customs_policy_analysis *an,
			       char **hold, struct customs_ctx *ctx)
{
	*hold = NULL;
	(void)ctx;
	if (customs_policy_analysis_first_tag(an, hold))
		return NULL;
	return *hold;
}

static int run(struct check_opts *o, struct customs_ctx *ctx)
{
	struct customs_policy_bundle *b = NULL;
	struct customs_policy_analysis *an = NULL;
	struct customs_policy_result *res = NULL;
	FILE *files[MAX_OUTPUTS];
	char *tag = NULL;
	int rc, ex, i;

	ex = open_outputs(&o->outs, files);
	if (ex)
		return ex;
	rc = load_bundle(&b, o->policy, ctx);
	if (!rc)
		rc = load_analysis(&an, o, ctx);
	if (!rc && !o->ev.tag)
		o->ev.tag = default_tag(an, &tag, ctx);
	if (!rc)
		rc = customs_policy_evaluate(&res, b, an, &o->ev, ctx);
	for (i = 0; !rc && i < o->outs.n; i++) {
		if (!strcmp(o->outs.v[i].format, "json"))
			rc = print_result_json(files[i], res);
		else
			print_result_table(files[i], res);
	}
	if (rc) {
		ex = fail_ctx(ctx, rc);
		close_outputs(&o->outs, files, false);
	} else {
		ex = close_outputs(&o->outs, files, true);
		if (!ex &&
		    customs_policy_result_final(res) == CUSTOMS_POLICY_STOP)
			ex = EXIT_GATE;
	}
	free(tag);
	customs_policy_result_free(res);
	customs_policy_analysis_free(an);
	customs_policy_bundle_free(b);
	return ex;
}

int cmd_check(int argc, char **argv)
{
	struct check_opts o;
	struct customs_image_opts img_init = CUSTOMS_IMAGE_OPTS_INIT;
	struct customs_scan_opts scan_init = CUSTOMS_SCAN_OPTS_INIT;
	struct customs_policy_eval_opts ev_init = CUSTOMS_POLICY_EVAL_OPTS_INIT;
	struct customs_ctx *ctx = NULL;
	int ex;

	memset(&o, 0, sizeof(o));
	o.img = img_init;
	o.scan = scan_init;
	o.ev = ev_init;
	ex = parse_args(&o, argc, argv);
	if (ex)
		return ex < 0 ? EXIT_OK : ex;
	if (customs_ctx_new(&ctx))
		return EXIT_INTERNAL;
	ex = run(&o, ctx);
	customs_ctx_free(ctx);
	return ex;
}

int image_analysis_json(char **out, const char *target, struct customs_ctx *ctx)
{
	struct check_opts o;
	struct customs_image_opts img_init = CUSTOMS_IMAGE_OPTS_INIT;
	struct customs_scan_opts scan_init = CUSTOMS_SCAN_OPTS_INIT;

	memset(&o, 0, sizeof(o));
	o.img = img_init;
	o.scan = scan_init;
	o.target = target;
	return analysis_from_image(out, &o, ctx);
}
