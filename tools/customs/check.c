/*
 * `customs check`: evaluate a policy bundle against an image, the CI
 * gate. The analysis document is built in-process with one scan of the
 * image (the inspect writer with --files facts and the secrets module's
 * keys: secret and content searches, retrieved files, malware; the
 * package catalogers' SBOM), plus the packages matched against the
 * vulnerability database when there is one (`customs scan`'s matching
 * and JSON, with scan's --distro, --ignore and --vex: suppressed findings
 * never reach the gates, the document lists them apart), or read from a
 * file with --analysis. Exit 0 on GO/WARN, 1 on STOP, 2 on an error.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "customs/catalog.h"
#include "customs/policy.h"
#include "customs/sbom.h"
#include "customs/vulndb.h"
#include "inspect.h"
#include "policy_cli.h"
#include "scan.h"
#include "scan_suppress.h"
#include "secrets_cli.h"
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
	"      --base-image TARGET     the base image itself (any TARGET\n"
	"                              form): its layers must be the first\n"
	"                              layers of the image (base_image\n"
	"                              layers_mismatch); names the base when\n"
	"                              --base is not given\n"
	"      --fix LIST              opt-in fixes of reference bugs, comma-\n"
	"                              separated: dockerfile-continuation,\n"
	"                              required-package-message,\n"
	"                              retrieved-twice, vendor-only, or all\n"
	"      --now TIME              evaluate as of TIME (RFC 3339 or Unix\n"
	"                              seconds; for reproducible runs)\n"
	"\n"
	"analysis options (ignored with --analysis):\n"
	"      --db FILE               vulnerability database (default: "
	"$CUSTOMS_DB,\n"
	"                              else vuln.db in the cache dir); "
	"without\n"
	"                              one the vulnerabilities gate has no "
	"data\n"
	"                              (vulnerability_data_unavailable "
	"fires);\n"
	"                              a --db that does not exist is an "
	"error\n" SUPPRESS_OPTS_HELP
	"                              (as for `customs scan`: suppressed\n"
	"                              findings do not reach the "
	"vulnerabilities\n"
	"                              gate; the analysis document lists "
	"them\n"
	"                              under suppressed_vulnerabilities)\n"
	"      --secrets-config FILE   secret rules file (YAML, see "
	"`customs\n"
	"                              secrets --help`)\n"
	"      --no-secrets            do not run the secret rules (the "
	"Anchore\n"
	"                              searches still run)\n"
	"      --content-regex [NAME=]REGEX\n"
	"                              Anchore content_search pattern "
	"(files gate,\n"
	"                              content_regex_match); repeatable\n"
	"      --retrieve-file PATH    store this file's content (default\n"
	"                              /etc/passwd, up to 1000 KiB); "
	"repeatable\n"
	"      --malware-db DIR        scan with ClamAV signatures from DIR\n"
	"                              (default: not run; malware "
	"scan_not_run\n"
	"                              fires)\n" IMAGE_OPTS_HELP
	"  -h, --help                  show this help\n"
	"\n"
	"exit codes: 0 pass (final action GO or WARN), 1 fail (STOP),\n"
	"2 bad input or usage, 3 internal error.\n";

enum {
	OPT_ANALYSIS = OPT_FIRST_OWN,
	OPT_SAVE,
	OPT_DOCKERFILE,
	OPT_BASE,
	OPT_BASE_IMAGE,
	OPT_FIX,
	OPT_NOW,
	OPT_DB,
};

static const struct option long_opts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "policy", required_argument, NULL, 'p' },
	{ "tag", required_argument, NULL, 't' },
	{ "analysis", required_argument, NULL, OPT_ANALYSIS },
	{ "save-analysis", required_argument, NULL, OPT_SAVE },
	{ "dockerfile", required_argument, NULL, OPT_DOCKERFILE },
	{ "base", required_argument, NULL, OPT_BASE },
	{ "base-image", required_argument, NULL, OPT_BASE_IMAGE },
	{ "fix", required_argument, NULL, OPT_FIX },
	{ "now", required_argument, NULL, OPT_NOW },
	{ "db", required_argument, NULL, OPT_DB },
	SUPPRESS_LONG_OPTS,
	SECRETS_LONG_OPTS,
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
	struct secrets_cli sec;
	struct customs_match_opts mo; /* --distro, --ignore, --vex */
	struct scan_suppress sup;
	const char *policy, *analysis, *save, *dockerfile, *base, *target;
	const char *base_image; /* --base-image TARGET */
	const char *db; /* --db; NULL: $CUSTOMS_DB or the default path */
	bool no_vulns; /* never match (`customs policy test` images) */
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
	case OPT_BASE_IMAGE:
		o->base_image = arg;
		return 0;
	case OPT_FIX:
		return parse_fixes(&o->ev.fixes, arg);
	case OPT_NOW:
		return parse_now(&o->ev.now, arg);
	case OPT_DB:
		o->db = arg;
		return 0;
	case OPT_SUPPRESS_DISTRO:
	case OPT_SUPPRESS_IGNORE:
	case OPT_SUPPRESS_VEX:
		return scan_suppress_opt(&o->sup, &o->mo, c, arg);
	case OPT_SECRETS_CONFIG:
	case OPT_NO_SECRETS:
	case OPT_CONTENT_REGEX:
	case OPT_RETRIEVE_FILE:
	case OPT_MALWARE_DB:
		return secrets_cli_opt(&o->sec, c, arg);
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

/* One JSON writer of check's analysis parts, writing arg to f. */
typedef int (*part_writer)(FILE *f, const void *arg, struct customs_ctx *ctx);

/* What writer writes, as text in a new buffer (NULL on any failure). */
static char *mem_print(part_writer writer, const void *arg, size_t *len,
		       struct customs_ctx *ctx)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	int rc;

	if (!f)
		return NULL;
	rc = writer(f, arg, ctx);
	if (fclose(f) || rc) {
		free(buf);
		return NULL;
	}
	return buf;
}

static int write_inspect(FILE *f, const void *arg, struct customs_ctx *ctx)
{
	(void)ctx;
	inspect_write_json(f, arg);
	return 0;
}

static int write_sbom(FILE *f, const void *arg, struct customs_ctx *ctx)
{
	struct customs_sbom_write_opts wo = CUSTOMS_SBOM_WRITE_OPTS_INIT;

	wo.tool_version = CUSTOMS_VERSION;
	return customs_sbom_write(f, arg, CUSTOMS_SBOM_JSON, &wo, ctx);
}

static int write_scan(FILE *f, const void *arg, struct customs_ctx *ctx)
{
	struct scan_write_opts wo = { false, CUSTOMS_VERSION };

	return scan_write_json(f, arg, &wo, ctx);
}

struct scan_out {
	struct customs_image *img;
	struct customs_analysis *an;
	struct customs_sbom *sbom;
	struct customs_secrets_report *secrets;
	struct customs_match_result *vulns; /* NULL: no database */
	struct customs_vulndb_summary *db;
	char *dockerfile;
};

static void scan_out_release(struct scan_out *s)
{
	customs_vulndb_summary_free(s->db);
	customs_match_result_free(s->vulns);
	customs_secrets_report_free(s->secrets);
	customs_sbom_free(s->sbom);
	customs_analysis_free(s->an);
	customs_image_free(s->img);
	free(s->dockerfile);
}

/* The catalogers' and the secrets module's analyzers, in one heap list
 * (caller frees). 0 or CUSTOMS_ENOMEM. */
static int join_analyzers(const struct customs_analyzer ***list, size_t *n,
			  struct customs_catalog *cat,
			  const struct customs_secrets *sec)
{
	const struct customs_analyzer *const *vc, *const *vs;
	size_t nc = 0, ns = 0;

	vc = customs_catalog_analyzers(cat, &nc);
	vs = customs_secrets_analyzers(sec, &ns);
	*list = calloc(nc + ns + 1, sizeof(**list));
	if (!*list)
		return CUSTOMS_ENOMEM;
	if (nc)
		memcpy(*list, vc, nc * sizeof(**list));
	if (ns)
		memcpy(*list + nc, vs, ns * sizeof(**list));
	*n = nc + ns;
	return 0;
}

/* One scan: file facts with hashes, catalogers, the secrets analyzers. */
static int scan_image(struct scan_out *s, struct check_opts *o,
		      struct customs_ctx *ctx)
{
	struct customs_catalog_opts copts = CUSTOMS_CATALOG_OPTS_INIT;
	const struct customs_analyzer **list = NULL;
	struct customs_catalog *cat = NULL;
	struct customs_secrets *sec = NULL;
	int rc = 0;

	if (o->dockerfile)
		rc = customs_dockerfile_load(&s->dockerfile, o->dockerfile,
					     ctx);
	if (!rc)
		rc = customs_secrets_new(&sec, secrets_cli_opts(&o->sec), ctx);
	if (!rc)
		rc = customs_image_open(&s->img, ctx, o->target, &o->img);
	if (!rc) {
		copts.dir_mode = customs_image_info(s->img)->source ==
				 CUSTOMS_SOURCE_DIR;
		rc = customs_catalog_new(&cat, &copts, ctx);
	}
	if (!rc)
		rc = join_analyzers(&list, &o->scan.n_analyzers, cat, sec);
	if (!rc) {
		o->scan.analyzers = list;
		o->scan.hash_files = true;
		rc = customs_image_scan(&s->an, s->img, ctx, &o->scan);
	}
	if (!rc)
		rc = customs_catalog_finish(&s->sbom, cat, s->img, s->an, ctx);
	if (!rc)
		rc = customs_secrets_finish(&s->secrets, sec, s->img, s->an,
					    ctx);
	if (!rc && !s->dockerfile)
		rc = customs_image_guess_dockerfile(&s->dockerfile, s->img);
	free(list);
	customs_secrets_free(sec);
	customs_catalog_free(cat);
	return rc;
}

/*
 * The packages matched as `customs scan` does, when a database exists.
 * None at $CUSTOMS_DB or the default path is a note (s->vulns stays
 * NULL: the gates see no vulnerability data); none at --db an error.
 */
static int match_vulns(struct scan_out *s, struct check_opts *o,
		       struct customs_ctx *ctx)
{
	char *path = NULL;
	int rc;

	if (o->no_vulns)
		return 0;
	if (!o->db && customs_vulndb_default_path(&path)) {
		fprintf(stderr, "customs: note: no vulnerability database "
				"(no $CUSTOMS_DB, no home directory): "
				"vulnerabilities not matched\n");
		return 0;
	}
	scan_suppress_products(&o->sup, &o->mo, o->target, s->sbom);
	rc = scan_match_db(&s->vulns, &s->db, o->db ? o->db : path, &o->mo,
			   false, s->sbom, ctx);
	scan_print_match_warnings(s->vulns);
	if (rc == CUSTOMS_ENOTFOUND && !o->db) {
		fprintf(stderr,
			"customs: note: no vulnerability database at %s "
			"(`customs db update` or --db): vulnerabilities "
			"not matched\n",
			path);
		customs_ctx_clear(ctx);
		rc = 0;
	}
	free(path);
	return rc;
}

/*
 * The diffIDs of --base-image's layers, and its name when --base is not
 * given: its first tag, else the target as written. Only the manifest
 * and config are read (a registry base's layer downloads are cancelled
 * when it is freed).
 */
static int base_layers(struct customs_strlist *layers, bool *known, char **name,
		       const struct check_opts *o, struct customs_ctx *ctx)
{
	struct customs_image *img = NULL;
	const struct customs_image_info *info;
	size_t i;
	int rc;

	rc = customs_image_open(&img, ctx, o->base_image, &o->img);
	if (rc)
		return rc;
	info = customs_image_info(img);
	*known = info->n_layers > 0;
	for (i = 0; i < info->n_layers; i++)
		*known = *known && info->layers[i].diff_id;
	for (i = 0; !rc && *known && i < info->n_layers; i++)
		rc = customs_strlist_add(layers, info->layers[i].diff_id);
	if (!rc && !*known)
		fprintf(stderr,
			"customs: warning: base image %s has no layer "
			"diffIDs (a dir: tree?): its layers are not "
			"compared\n",
			o->base_image);
	if (!rc && !o->base) {
		/* an OCI layout's ref name ("3.19") is no image name */
		const char *t = info->repo_tags.n ? info->repo_tags.v[0] : "";

		*name = strdup(strpbrk(t, ":/") ? t : o->base_image);
		if (!*name)
			rc = CUSTOMS_ENOMEM;
	}
	customs_image_free(img);
	return rc;
}

/* The analysis document of TARGET, as JSON text. */
static int analysis_from_image(char **out, struct check_opts *o,
			       struct customs_ctx *ctx)
{
	struct customs_policy_parts parts = CUSTOMS_POLICY_PARTS_INIT;
	struct scan_out s;
	struct inspect_data d = { 0 };
	char *ij = NULL, *sj = NULL, *vj = NULL, *bname = NULL;
	struct customs_strlist blayers = { 0 };
	bool bknown = false;
	int rc;

	memset(&s, 0, sizeof(s));
	rc = o->base_image ? base_layers(&blayers, &bknown, &bname, o, ctx) : 0;
	if (!rc)
		rc = scan_image(&s, o, ctx);
	if (!rc)
		rc = match_vulns(&s, o, ctx);
	if (rc)
		goto out;
	d.info = customs_image_info(s.img);
	d.an = s.an;
	d.dockerfile = s.dockerfile;
	d.dockerfile_mode = o->dockerfile ? "Actual" : "Guessed";
	d.with_files = true;
	d.secrets = s.secrets;
	ij = mem_print(write_inspect, &d, &parts.inspect_len, ctx);
	sj = mem_print(write_sbom, s.sbom, &parts.sbom_len, ctx);
	if (s.vulns)
		vj = mem_print(write_scan, s.vulns, &parts.scan_len, ctx);
	if (!ij || !sj || (s.vulns && !vj)) {
		rc = CUSTOMS_ENOMEM;
		goto out;
	}
	parts.inspect_json = ij;
	parts.sbom_json = sj;
	parts.scan_json = vj;
	if (s.db) {
		parts.vulndb_built = s.db->built;
		parts.vulndb_namespaces = &s.db->namespaces;
	}
	parts.base_name = o->base ? o->base : bname;
	if (bknown)
		parts.base_layers = &blayers;
	rc = customs_policy_analysis_build(out, &parts, ctx);
out:
	free(bname);
	customs_strlist_release(&blayers);
	free(ij);
	free(sj);
	free(vj);
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
	rc = o->analysis ? 0 : scan_suppress_load(&o->sup, &o->mo, ctx, &ex);
	if (ex) {
		scan_suppress_release(&o->sup);
		close_outputs(&o->outs, files, false);
		return ex;
	}
	if (!rc)
		rc = load_bundle(&b, o->policy, ctx);
	/* MD5 of every file costs CPU: only when a verify rule compares it */
	if (!rc)
		o->scan.hash_md5 =
			customs_policy_bundle_uses(b, "packages", "verify");
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
	scan_suppress_release(&o->sup);
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
	struct customs_match_opts match_init = CUSTOMS_MATCH_OPTS_INIT;
	struct customs_ctx *ctx = NULL;
	int ex;

	memset(&o, 0, sizeof(o));
	o.img = img_init;
	o.scan = scan_init;
	o.ev = ev_init;
	o.mo = match_init;
	secrets_cli_init(&o.sec);
	ex = parse_args(&o, argc, argv);
	if (ex)
		return ex < 0 ? EXIT_OK : ex;
	if (customs_ctx_new(&ctx))
		return EXIT_INTERNAL;
	ex = run(&o, ctx);
	customs_ctx_free(ctx);
	return ex;
}

int image_analysis_json(char **out, const char *target, bool md5,
			struct customs_ctx *ctx)
{
	struct check_opts o;
	struct customs_image_opts img_init = CUSTOMS_IMAGE_OPTS_INIT;
	struct customs_scan_opts scan_init = CUSTOMS_SCAN_OPTS_INIT;
	struct customs_match_opts match_init = CUSTOMS_MATCH_OPTS_INIT;

	memset(&o, 0, sizeof(o));
	o.img = img_init;
	o.scan = scan_init;
	o.mo = match_init;
	secrets_cli_init(&o.sec);
	o.no_vulns = true;
	o.scan.hash_md5 = md5;
	o.target = target;
	return analysis_from_image(out, &o, ctx);
}
