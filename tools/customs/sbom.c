/*
 * `customs sbom`: one pass over the image with every package cataloger,
 * then the SBOM in the formats asked for. Problems in package databases
 * do not stop the run: they are warnings on stderr and inside every
 * machine-readable output, so a partial SBOM never looks complete.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "customs/catalog.h"
#include "customs/sbom.h"
#include "sbom_table.h"
#include "util/banned.h"

static const char sbom_usage[] =
	"usage: customs sbom [options] TARGET\n"
	"\n"
	"List the packages in an image or a directory: OS packages (dpkg, "
	"apk,\n"
	"rpm), language packages (npm, Python, Java, Go, Rust, Ruby, PHP, "
	".NET)\n"
	"and binaries with a known version, each with its PURL, CPEs, "
	"licences,\n"
	"locations (with the layer) and owned files.\n"
	"\n"
	"TARGET: docker-archive:PATH[:REF], oci:DIR[:REF], "
	"oci-archive:PATH[:REF],\n"
	"dir:PATH, registry:REF, a path whose kind is detected, or a\n"
	"reference that is not a path (nginx:1.25). Directories are also\n"
	"searched for lock files (package-lock.json, yarn.lock, poetry.lock,\n"
	"Cargo.lock, Gemfile.lock, composer.lock, ...).\n"
	"\n"
	"options:\n"
	"  -o, --output FORMAT[=FILE]  table (default), json (native, "
	"lossless),\n"
	"                              cyclonedx-json (1.6) or spdx-json "
	"(2.3);\n"
	"                              repeatable, FILE defaults to standard "
	"output\n"
	"      --scope SCOPE           squashed (default: the final "
	"filesystem) or\n"
	"                              all-layers (also packages later "
	"layers\n"
	"                              deleted or replaced)\n"
	"      --select LIST           catalogers or tags to run, comma-"
	"separated:\n"
	"                              \"dpkg,python\" replaces the defaults,\n"
	"                              \"-binary\" or \"+lock\" edits them\n"
	"      --list-catalogers       print the catalogers and exit\n"
	"      --timestamp             record the creation time (output is "
	"then\n"
	"                              no longer byte-for-byte "
	"reproducible)\n" IMAGE_OPTS_HELP
	"  -h, --help                  show this help\n"
	"\n"
	"exit codes: 0 success (warnings go to standard error), 2 bad input "
	"or\n"
	"usage, 3 internal error.\n";

struct sbom_opts {
	struct outputs outs;
	struct customs_image_opts img;
	struct customs_scan_opts scan;
	struct customs_catalog_opts cat;
	bool timestamp;
	const char *target;
};

enum {
	OPT_SCOPE = OPT_FIRST_OWN,
	OPT_SELECT,
	OPT_LIST,
	OPT_TIMESTAMP,
};

static const struct option long_opts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "scope", required_argument, NULL, OPT_SCOPE },
	{ "select", required_argument, NULL, OPT_SELECT },
	{ "list-catalogers", no_argument, NULL, OPT_LIST },
	{ "timestamp", no_argument, NULL, OPT_TIMESTAMP },
	IMAGE_LONG_OPTS,
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const char *const formats[] = { "table", "json", "cyclonedx-json",
				       "spdx-json", NULL };

static void list_catalogers(void)
{
	const char *const *names = customs_catalog_names();
	size_t i;

	for (i = 0; names[i]; i++)
		printf("%s\n", names[i]);
}

static int one_opt(struct sbom_opts *o, int c, const char *arg)
{
	int rc;

	switch (c) {
	case 'o':
		return parse_output(&o->outs, arg, formats);
	case OPT_SCOPE:
		if (!strcmp(arg, "squashed"))
			o->cat.scope = CUSTOMS_SCOPE_SQUASHED;
		else if (!strcmp(arg, "all-layers"))
			o->cat.scope = CUSTOMS_SCOPE_ALL_LAYERS;
		else
			return usage_error("--scope: '%s' is not squashed or "
					   "all-layers",
					   arg);
		return 0;
	case OPT_SELECT:
		o->cat.select = arg;
		return 0;
	case OPT_LIST:
		list_catalogers();
		return -1;
	case OPT_TIMESTAMP:
		o->timestamp = true;
		return 0;
	default:
		rc = image_opt(&o->img, &o->scan, c, arg);
		return rc >= 0 ? rc : usage_error("see `customs sbom --help`");
	}
}

static int one_opt_cb(void *data, int c, const char *arg)
{
	return one_opt(data, c, arg);
}

/* Returns -1 after --help (exit 0), 0 to go on, or an exit code. */
static int parse_args(struct sbom_opts *o, int argc, char **argv)
{
	struct cmd_args a = {
		"sbom", sbom_usage, long_opts, one_opt_cb, o, NULL
	};
	int rc = parse_target_args(&a, argc, argv);

	if (rc)
		return rc;
	o->target = a.target;
	if (!o->outs.n)
		parse_output(&o->outs, "table", formats);
	o->scan.limits = o->img.limits;
	return 0;
}

static int set_created(struct customs_sbom *sbom)
{
	char buf[32];
	time_t now = time(NULL);
	struct tm tm;

	if (!gmtime_r(&now, &tm) ||
	    !strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm))
		return CUSTOMS_EINTERNAL;
	return customs_pkg_setz(&sbom->created, buf);
}

static int write_one(FILE *f, const char *format,
		     const struct customs_sbom *sbom, struct customs_ctx *ctx)
{
	struct customs_sbom_write_opts wo = CUSTOMS_SBOM_WRITE_OPTS_INIT;
	enum customs_sbom_format fmt;

	if (!strcmp(format, "table")) {
		sbom_write_table(f, sbom);
		return 0;
	}
	if (customs_sbom_format_parse(&fmt, format))
		return CUSTOMS_EINTERNAL;
	wo.created = sbom->created;
	wo.tool_version = CUSTOMS_VERSION;
	return customs_sbom_write(f, sbom, fmt, &wo, ctx);
}

static void print_warnings(const struct customs_sbom *sbom)
{
	size_t i;

	for (i = 0; i < sbom->warnings.n; i++)
		fprintf(stderr, "customs: warning: %s\n", sbom->warnings.v[i]);
}

/* Open, scan with the catalogers, build the SBOM. Shared with `scan`. */
int sbom_catalog(struct customs_sbom **out, const char *target,
		 struct customs_image_opts *img_opts,
		 struct customs_scan_opts *scan,
		 struct customs_catalog_opts *cat_opts, struct customs_ctx *ctx)
{
	struct customs_image *img = NULL;
	struct customs_analysis *an = NULL;
	struct customs_catalog *cat = NULL;
	int rc = customs_image_open(&img, ctx, target, img_opts);

	if (!rc) {
		cat_opts->dir_mode =
			customs_image_info(img)->source == CUSTOMS_SOURCE_DIR;
		rc = customs_catalog_new(&cat, cat_opts, ctx);
	}
	if (!rc) {
		scan->analyzers =
			customs_catalog_analyzers(cat, &scan->n_analyzers);
		rc = customs_image_scan(&an, img, ctx, scan);
	}
	if (!rc)
		rc = customs_catalog_finish(out, cat, img, an, ctx);
	customs_catalog_free(cat);
	customs_analysis_free(an);
	customs_image_free(img);
	return rc;
}

static int run(struct sbom_opts *o, struct customs_ctx *ctx)
{
	struct customs_sbom *sbom = NULL;
	FILE *files[MAX_OUTPUTS];
	int rc, ex, i;

	ex = open_outputs(&o->outs, files);
	if (ex)
		return ex;
	rc = sbom_catalog(&sbom, o->target, &o->img, &o->scan, &o->cat, ctx);
	if (!rc && o->timestamp)
		rc = set_created(sbom);
	for (i = 0; !rc && i < o->outs.n; i++)
		rc = write_one(files[i], o->outs.v[i].format, sbom, ctx);
	if (rc) {
		ex = fail_ctx(ctx, rc);
		close_outputs(&o->outs, files, false);
	} else {
		print_warnings(sbom);
		ex = close_outputs(&o->outs, files, true);
	}
	customs_sbom_free(sbom);
	return ex;
}

int cmd_sbom(int argc, char **argv)
{
	struct sbom_opts o = { 0 };
	struct customs_image_opts img_init = CUSTOMS_IMAGE_OPTS_INIT;
	struct customs_scan_opts scan_init = CUSTOMS_SCAN_OPTS_INIT;
	struct customs_catalog_opts cat_init = CUSTOMS_CATALOG_OPTS_INIT;
	struct customs_ctx *ctx = NULL;
	int ex;

	o.img = img_init;
	o.scan = scan_init;
	o.cat = cat_init;
	ex = parse_args(&o, argc, argv);
	if (ex)
		return ex < 0 ? EXIT_OK : ex;
	if (customs_ctx_new(&ctx))
		return EXIT_INTERNAL;
	ex = run(&o, ctx);
	customs_ctx_free(ctx);
	return ex;
}
