/*
 * `customs scan`: packages of an image (catalogued as `customs sbom`
 * does) or of an SBOM file, matched against the vulnerability database,
 * filtered by ignore rules, VEX and the fix-state options, written in the
 * formats asked for. --fail-on turns findings into exit code 1.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "customs/catalog.h"
#include "customs/match.h"
#include "customs/sbom.h"
#include "customs/vulndb.h"
#include "scan.h"
#include "scan_suppress.h"
#include "util/banned.h"

static const char scan_usage[] =
	"usage: customs scan [options] TARGET\n"
	"\n"
	"Find known vulnerabilities in the packages of an image, a "
	"directory\n"
	"or an SBOM file (native JSON, CycloneDX JSON or SPDX JSON, "
	"detected).\n"
	"\n"
	"TARGET: docker-archive:PATH[:REF], oci:DIR[:REF], "
	"oci-archive:PATH[:REF],\n"
	"dir:PATH, sbom:PATH, or a path whose kind is detected (a JSON file "
	"is\n"
	"an SBOM).\n"
	"\n"
	"options:\n"
	"  -o, --output FORMAT[=FILE]  table (default), json "
	"(customs.scan/v1),\n"
	"                              sarif (2.1.0, for code scanning),\n"
	"                              cyclonedx-json (1.6 BOM with "
	"vulnerabilities)\n"
	"                              or junit (XML test report); "
	"repeatable,\n"
	"                              FILE defaults to standard output\n"
	"      --db FILE               vulnerability database (default: "
	"$CUSTOMS_DB,\n"
	"                              else vuln.db in the cache "
	"directory,\n"
	"                              ~/.cache/customs by "
	"default)\n" SUPPRESS_OPTS_HELP
	"      --only-fixed            suppress findings with no fix\n"
	"      --only-notfixed         suppress findings that have a fix\n"
	"      --ignore-states LIST    suppress these fix states (fixed,"
	"not-fixed,\n"
	"                              wont-fix,unknown), comma-separated\n"
	"      --fail-on SEVERITY      exit 1 when a finding that is not "
	"suppressed\n"
	"                              is at least SEVERITY (negligible, low,\n"
	"                              medium, high, critical)\n"
	"      --show-suppressed       table: also list suppressed findings\n"
	"      --timing                print the matching time (wall and CPU) "
	"on\n"
	"                              standard error\n" IMAGE_OPTS_HELP
	"  -h, --help                  show this help\n"
	"\n"
	"exit codes: 0 success, 1 a finding at or above --fail-on, 2 bad "
	"input\n"
	"or usage (also: no database), 3 internal error.\n";

/* The writers -o knows. Add a format here (name, function). */
static const struct scan_writer scan_writers[] = {
	{ "table", scan_write_table },
	{ "json", scan_write_json },
	{ "sarif", scan_write_sarif },
	{ "cyclonedx-json", scan_write_cyclonedx },
	{ "junit", scan_write_junit },
};
#define N_WRITERS (sizeof(scan_writers) / sizeof(scan_writers[0]))

struct scan_opts {
	struct outputs outs;
	struct customs_image_opts img;
	struct customs_scan_opts scan;
	struct customs_catalog_opts cat;
	struct customs_match_opts match;
	struct scan_suppress sup;
	const char *db, *target;
	bool fail_on_set, show_suppressed, timing;
	enum customs_severity fail_on;
};

enum {
	OPT_DB = OPT_FIRST_OWN,
	OPT_ONLY_FIXED,
	OPT_ONLY_NOTFIXED,
	OPT_IGNORE_STATES,
	OPT_FAIL_ON,
	OPT_SHOW_SUPPRESSED,
	OPT_TIMING,
};

static const struct option long_opts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "db", required_argument, NULL, OPT_DB },
	SUPPRESS_LONG_OPTS,
	{ "only-fixed", no_argument, NULL, OPT_ONLY_FIXED },
	{ "only-notfixed", no_argument, NULL, OPT_ONLY_NOTFIXED },
	{ "ignore-states", required_argument, NULL, OPT_IGNORE_STATES },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "show-suppressed", no_argument, NULL, OPT_SHOW_SUPPRESSED },
	{ "timing", no_argument, NULL, OPT_TIMING },
	IMAGE_LONG_OPTS,
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const char *formats[N_WRITERS + 1];

static int ignore_states(struct scan_opts *o, const char *arg)
{
	char one[32];
	const char *p = arg;
	enum customs_fix_state st;

	while (*p) {
		size_t n = strcspn(p, ",");

		if (n >= sizeof(one))
			n = sizeof(one) - 1;
		memcpy(one, p, n);
		one[n] = '\0';
		if (customs_fix_state_parse(&st, one))
			return usage_error("--ignore-states: unknown state "
					   "'%s'",
					   one);
		o->match.ignore_states |= CUSTOMS_FIX_STATE_BIT(st);
		p += strcspn(p, ",");
		p += *p == ',';
	}
	return 0;
}

static int fail_on(struct scan_opts *o, const char *arg)
{
	if (customs_severity_parse(&o->fail_on, arg) ||
	    o->fail_on == CUSTOMS_SEVERITY_UNKNOWN)
		return usage_error("--fail-on: '%s' is not negligible, low, "
				   "medium, high or critical",
				   arg);
	o->fail_on_set = true;
	return 0;
}

static int one_opt(struct scan_opts *o, int c, const char *arg)
{
	int rc;

	switch (c) {
	case 'o':
		return parse_output(&o->outs, arg, formats);
	case OPT_DB:
		o->db = arg;
		return 0;
	case OPT_SUPPRESS_DISTRO:
	case OPT_SUPPRESS_IGNORE:
	case OPT_SUPPRESS_VEX:
		return scan_suppress_opt(&o->sup, &o->match, c, arg);
	case OPT_ONLY_FIXED:
		o->match.only_fixed = true;
		return 0;
	case OPT_ONLY_NOTFIXED:
		o->match.only_notfixed = true;
		return 0;
	case OPT_IGNORE_STATES:
		return ignore_states(o, arg);
	case OPT_FAIL_ON:
		return fail_on(o, arg);
	case OPT_SHOW_SUPPRESSED:
		o->show_suppressed = true;
		return 0;
	case OPT_TIMING:
		o->timing = true;
		return 0;
	default:
		rc = image_opt(&o->img, &o->scan, c, arg);
		return rc >= 0 ? rc : usage_error("see `customs scan --help`");
	}
}

static int one_opt_cb(void *data, int c, const char *arg)
{
	return one_opt(data, c, arg);
}

static int parse_args(struct scan_opts *o, int argc, char **argv)
{
	struct cmd_args a = {
		"scan", scan_usage, long_opts, one_opt_cb, o, NULL
	};
	size_t i;
	int rc;

	for (i = 0; i < N_WRITERS; i++)
		formats[i] = scan_writers[i].name;
	rc = parse_target_args(&a, argc, argv);
	if (rc)
		return rc;
	if (o->match.only_fixed && o->match.only_notfixed)
		return usage_error("--only-fixed and --only-notfixed exclude "
				   "each other");
	o->target = a.target;
	if (!o->outs.n)
		parse_output(&o->outs, "table", formats);
	o->scan.limits = o->img.limits;
	return 0;
}

/* An SBOM file: "sbom:PATH", or a regular file whose content is JSON. */
static const char *sbom_path(const char *target)
{
	char head[64];
	struct stat st;
	size_t n, i;
	FILE *f;

	if (!strncmp(target, "sbom:", 5))
		return target + 5;
	if (strchr(target, ':') && access(target, F_OK))
		return NULL; /* a transport prefix */
	if (stat(target, &st) || !S_ISREG(st.st_mode))
		return NULL;
	f = fopen(target, "rb");
	if (!f)
		return NULL;
	n = fread(head, 1, sizeof(head), f);
	fclose(f);
	for (i = 0; i < n && strchr(" \t\r\n", head[i]); i++)
		;
	return i < n && head[i] == '{' ? target : NULL;
}

static int load_sbom(struct customs_sbom **out, const char *path,
		     struct customs_ctx *ctx)
{
	char *data = NULL;
	size_t len = 0;
	int rc = scan_read_input(path, "SBOM", &data, &len);

	if (rc)
		return CUSTOMS_EINVAL; /* message printed */
	rc = customs_sbom_read(out, data, len, path, ctx);
	free(data);
	return rc;
}

static double now_ms(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int scan_match_db(struct customs_match_result **res,
		  struct customs_vulndb_summary **status, const char *db_path,
		  struct customs_match_opts *mo, bool timing,
		  const struct customs_sbom *sbom, struct customs_ctx *ctx)
{
	struct customs_vulndb *db = NULL;
	double t0, c0;
	int rc;

	mo->db_path = db_path;
	rc = customs_vulndb_open(&db, db_path, ctx);
	if (!rc) {
		t0 = now_ms(CLOCK_MONOTONIC);
		c0 = now_ms(CLOCK_PROCESS_CPUTIME_ID);
		rc = customs_match_sbom(res, db, sbom, mo, ctx);
		if (timing)
			fprintf(stderr,
				"customs: timing: matched %zu packages "
				"in %.1f ms (%.1f ms CPU)\n",
				sbom->pkgs.n, now_ms(CLOCK_MONOTONIC) - t0,
				now_ms(CLOCK_PROCESS_CPUTIME_ID) - c0);
	}
	if (!rc && status)
		rc = customs_vulndb_summary(db, status, ctx);
	customs_vulndb_free(db);
	return rc;
}

static int match(struct customs_match_result **res, struct scan_opts *o,
		 const struct customs_sbom *sbom, struct customs_ctx *ctx)
{
	char *path = NULL;
	int rc;

	if (!o->db && customs_vulndb_default_path(&path)) {
		usage_error("no database path: use --db or set $CUSTOMS_DB");
		return CUSTOMS_EINVAL;
	}
	rc = scan_match_db(res, NULL, o->db ? o->db : path, &o->match,
			   o->timing, sbom, ctx);
	free(path);
	return rc;
}

static int write_all(const struct scan_opts *o, FILE **files,
		     const struct customs_match_result *res,
		     struct customs_ctx *ctx)
{
	struct scan_write_opts wo = { o->show_suppressed, CUSTOMS_VERSION };
	size_t k;
	int i, rc = 0;

	for (i = 0; !rc && i < o->outs.n; i++)
		for (k = 0; k < N_WRITERS; k++)
			if (!strcmp(scan_writers[k].name, o->outs.v[i].format))
				rc = scan_writers[k].write(files[i], res, &wo,
							   ctx);
	return rc;
}

static void print_warnings(const struct customs_sbom *sbom,
			   const struct customs_match_result *res)
{
	size_t i;

	for (i = 0; sbom && i < sbom->warnings.n; i++)
		fprintf(stderr, "customs: warning: %s\n", sbom->warnings.v[i]);
	scan_print_match_warnings(res);
}

/* The SBOM: read from a file, or catalogued from the image. */
static int get_sbom(struct customs_sbom **sbom, struct scan_opts *o,
		    struct customs_ctx *ctx)
{
	const char *path = sbom_path(o->target);

	if (path)
		return load_sbom(sbom, path, ctx);
	return sbom_catalog(sbom, o->target, &o->img, &o->scan, &o->cat, ctx);
}

static int run(struct scan_opts *o, struct customs_ctx *ctx)
{
	struct customs_match_result *res = NULL;
	struct customs_sbom *sbom = NULL;
	FILE *files[MAX_OUTPUTS];
	int rc, ex = 0;

	rc = scan_suppress_load(&o->sup, &o->match, ctx, &ex);
	if (ex || rc)
		goto out;
	ex = open_outputs(&o->outs, files);
	if (ex)
		goto out;
	rc = get_sbom(&sbom, o, ctx);
	if (!rc) {
		scan_suppress_products(&o->sup, &o->match, o->target, sbom);
		rc = match(&res, o, sbom, ctx);
	}
	if (!rc)
		rc = write_all(o, files, res, ctx);
	print_warnings(sbom, res);
	ex = close_outputs(&o->outs, files, !rc);
	if (!rc && !ex && o->fail_on_set &&
	    customs_match_fails(res, o->fail_on))
		ex = EXIT_GATE;
out:
	if (rc && !ex)
		ex = rc == CUSTOMS_EINVAL && !customs_ctx_errcode(ctx)
			     ? EXIT_INPUT
			     : fail_ctx(ctx, rc);
	customs_match_result_free(res);
	customs_sbom_free(sbom);
	scan_suppress_release(&o->sup);
	return ex;
}

int cmd_scan(int argc, char **argv)
{
	struct scan_opts o = { 0 };
	struct customs_image_opts img_init = CUSTOMS_IMAGE_OPTS_INIT;
	struct customs_scan_opts scan_init = CUSTOMS_SCAN_OPTS_INIT;
	struct customs_catalog_opts cat_init = CUSTOMS_CATALOG_OPTS_INIT;
	struct customs_match_opts match_init = CUSTOMS_MATCH_OPTS_INIT;
	struct customs_ctx *ctx = NULL;
	int ex;

	o.img = img_init;
	o.scan = scan_init;
	o.cat = cat_init;
	o.match = match_init;
	ex = parse_args(&o, argc, argv);
	if (ex)
		return ex < 0 ? EXIT_OK : ex;
	if (customs_ctx_new(&ctx))
		return EXIT_INTERNAL;
	ex = run(&o, ctx);
	customs_ctx_free(ctx);
	return ex;
}
