/*
 * `customs scan`: packages of an image (catalogued as `customs sbom`
 * does) or of an SBOM file, matched against the vulnerability database,
 * filtered by ignore rules, VEX and the fix-state options, written in the
 * formats asked for. --fail-on turns findings into exit code 1.
 */
#include <errno.h>
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
#include "util/banned.h"

#define SCAN_MAX_INPUT (512ull << 20) /* SBOM, ignore and VEX files */
#define MAX_VEX 16

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
	"                              else ~/.cache/customs/vuln.db)\n"
	"      --distro ID:VERSION     match OS packages as this distro "
	"(debian:12)\n"
	"      --ignore FILE           ignore rules (YAML list, or a config "
	"file's\n"
	"                              \"ignore:\" key); see docs/scan.md\n"
	"      --vex FILE              OpenVEX document; not_affected and "
	"fixed\n"
	"                              statements suppress findings "
	"(repeatable)\n"
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
	const char *db, *ignore, *target;
	const char *vex[MAX_VEX];
	int n_vex;
	bool fail_on_set, show_suppressed, timing;
	enum customs_severity fail_on;
};

enum {
	OPT_DB = OPT_FIRST_OWN,
	OPT_DISTRO,
	OPT_IGNORE,
	OPT_VEX,
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
	{ "distro", required_argument, NULL, OPT_DISTRO },
	{ "ignore", required_argument, NULL, OPT_IGNORE },
	{ "vex", required_argument, NULL, OPT_VEX },
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
	case OPT_DISTRO:
		o->match.distro = arg;
		return 0;
	case OPT_IGNORE:
		o->ignore = arg;
		return 0;
	case OPT_VEX:
		if (o->n_vex == MAX_VEX)
			return usage_error("too many --vex (at most %d)",
					   MAX_VEX);
		o->vex[o->n_vex++] = arg;
		return 0;
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

/* Read a whole (bounded) file into *data. 0 or EXIT_INPUT. */
static int read_input(const char *path, const char *what, char **data,
		      size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	size_t n;

	*data = NULL;
	if (!f || fstat(fileno(f), &st) || !S_ISREG(st.st_mode)) {
		if (f)
			fclose(f);
		return usage_error("%s '%s': cannot read: %s", what, path,
				   f ? "not a regular file" : strerror(errno));
	}
	if ((unsigned long long)st.st_size > SCAN_MAX_INPUT) {
		fclose(f);
		return usage_error("%s '%s': larger than %llu MiB", what, path,
				   SCAN_MAX_INPUT >> 20);
	}
	*data = malloc((size_t)st.st_size + 1);
	n = *data ? fread(*data, 1, (size_t)st.st_size, f) : 0;
	fclose(f);
	if (!*data || n != (size_t)st.st_size) {
		free(*data);
		*data = NULL;
		return usage_error("%s '%s': read failed", what, path);
	}
	(*data)[n] = '\0';
	*len = n;
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
	int rc = read_input(path, "SBOM", &data, &len);

	if (rc)
		return CUSTOMS_EINVAL; /* message printed */
	rc = customs_sbom_read(out, data, len, path, ctx);
	free(data);
	return rc;
}

struct suppress_in {
	struct customs_ignore_rules *rules;
	struct customs_vex *vex;
	const char *products[64];
};

static int load_suppress(struct suppress_in *in, struct scan_opts *o,
			 struct customs_ctx *ctx, int *exit_code)
{
	char *data = NULL;
	size_t len = 0;
	int i, rc = 0;

	if (o->ignore) {
		if ((*exit_code =
			     read_input(o->ignore, "ignore file", &data, &len)))
			return CUSTOMS_EINVAL;
		rc = customs_ignore_rules_parse(&in->rules, data, len,
						o->ignore, ctx);
		free(data);
		o->match.rules = in->rules;
	}
	if (!rc && o->n_vex && !(rc = customs_vex_new(&in->vex)))
		o->match.vex = in->vex;
	for (i = 0; !rc && i < o->n_vex; i++) {
		if ((*exit_code =
			     read_input(o->vex[i], "VEX file", &data, &len)))
			return CUSTOMS_EINVAL;
		rc = customs_vex_add(in->vex, data, len, o->vex[i], ctx);
		free(data);
	}
	return rc;
}

/* What a VEX product may name for this target: the reference as given,
 * the image id, the manifest digest and the repo tags. */
static void vex_products(struct suppress_in *in, const char *target,
			 const struct customs_sbom *sbom)
{
	const struct customs_sbom_source *s = &sbom->source;
	size_t n = 0, i, max = sizeof(in->products) / sizeof(in->products[0]);

	in->products[n++] = target;
	if (s->name)
		in->products[n++] = s->name;
	if (s->image_id)
		in->products[n++] = s->image_id;
	if (s->manifest_digest)
		in->products[n++] = s->manifest_digest;
	for (i = 0; i < s->tags.n && n + 1 < max; i++)
		in->products[n++] = s->tags.v[i];
	in->products[n] = NULL;
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
	for (i = 0; res && i < res->warnings.n; i++)
		fprintf(stderr, "customs: warning: %s\n", res->warnings.v[i]);
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
	struct suppress_in sup = { 0 };
	FILE *files[MAX_OUTPUTS];
	int rc, ex = 0;

	rc = load_suppress(&sup, o, ctx, &ex);
	if (ex || rc)
		goto out;
	ex = open_outputs(&o->outs, files);
	if (ex)
		goto out;
	rc = get_sbom(&sbom, o, ctx);
	if (!rc) {
		vex_products(&sup, o->target, sbom);
		o->match.vex_products = sup.products;
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
	customs_ignore_rules_free(sup.rules);
	customs_vex_free(sup.vex);
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
