/*
 * `customs db import` and `customs db status`: building the vulnerability
 * database from feed files and describing it. The database path is
 * --db, else $CUSTOMS_DB, else the cache default. An import writes a new
 * file aside and replaces the database only when every input was read;
 * on any error the old database is left as it was.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "customs/vulndb.h"
#include "jsonw.h"
#include "util/banned.h"

static const char db_usage[] =
	"usage: customs db <command> [options]\n"
	"\n"
	"Build and inspect the vulnerability database (one SQLite file).\n"
	"\n"
	"commands:\n"
	"  update           download the public feeds (see update --help)\n"
	"  import PATH...   import feed files or directories\n"
	"  status           sources, record counts, feed ages, schema\n"
	"\n"
	"Run `customs db <command> --help` for a command's options.\n";

static const char import_usage[] =
	"usage: customs db import [options] PATH...\n"
	"\n"
	"Import vulnerability feeds into the database. PATH is a feed file\n"
	"(plain, .gz, or a .zip whose members are all imported), a JSON-lines\n"
	"file (one document per line), or a directory (imported recursively,\n"
	"in sorted order; files no parser recognises are skipped with a\n"
	"warning). Formats: osv (OSV JSON: GHSA, PyPA, Go, RustSec, "
	"AlmaLinux,\n"
	"Bitnami, ...), debian (security tracker JSON), alpine (secdb JSON or\n"
	"YAML), nvd (CVE API 2.0 JSON), kev (CISA KEV JSON), epss (FIRST EPSS\n"
	"CSV); each is detected from the content unless --format is given.\n"
	"\n"
	"The database is built aside and replaces the old one only when every\n"
	"PATH was imported; a record whose modified time is unchanged is\n"
	"skipped, a changed one replaces its earlier version.\n"
	"\n"
	"options:\n"
	"      --db FILE        the database (default: $CUSTOMS_DB, else\n"
	"                       vuln.db in the cache directory:\n"
	"                       $CUSTOMS_CACHE_DIR, else\n"
	"                       $XDG_CACHE_HOME/customs, else "
	"~/.cache/customs)\n"
	"      --format F       auto (default), osv, debian, alpine, nvd, kev\n"
	"                       or epss\n"
	"      --fresh          start from an empty database instead of the\n"
	"                       current one\n"
	"  -q, --quiet          no per-warning lines (the summary still "
	"counts\n"
	"                       them)\n"
	"  -h, --help           show this help\n"
	"\n"
	"Progress (on a terminal), warnings and a summary go to standard "
	"error.\n"
	"exit codes: 0 success, 2 unreadable input or bad usage (the database\n"
	"is then unchanged), 3 internal error.\n";

static const char status_usage[] =
	"usage: customs db status [options]\n"
	"\n"
	"Describe the vulnerability database: schema version, when it was\n"
	"built, totals (advisories, affected-package rows, KEV and EPSS\n"
	"entries), namespaces, and per source its record count, feed date,\n"
	"import time, age and origin.\n"
	"\n"
	"options:\n"
	"      --db FILE        the database (default as for `db import`)\n"
	"  -o, --output FORMAT  table (default) or json\n"
	"  -h, --help           show this help\n"
	"\n"
	"exit codes: 0 success, 2 no database or not a customs database,\n"
	"3 internal error.\n";

enum { OPT_DB = 256, OPT_FORMAT, OPT_FRESH };

struct import_run {
	uint64_t warnings;
	bool quiet;
};

static void on_warning(void *arg, const char *msg)
{
	struct import_run *r = arg;

	r->warnings++;
	if (!r->quiet)
		fprintf(stderr, "customs: warning: %s\n", msg);
}

static int resolve_db(char **out, const char *opt)
{
	int rc;

	if (opt) {
		*out = strdup(opt);
		return *out ? 0 : EXIT_INTERNAL;
	}
	rc = customs_vulndb_default_path(out);
	if (rc == CUSTOMS_ENOTFOUND)
		return usage_error("no database path: use --db FILE or set "
				   "CUSTOMS_DB (HOME is not set)");
	return rc ? EXIT_INTERNAL : 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void print_summary(const char *path, struct customs_ctx *ctx)
{
	struct customs_vulndb *db = NULL;
	struct customs_vulndb_status *st = NULL;

	if (customs_vulndb_open(&db, path, ctx) ||
	    customs_vulndb_status(db, &st, ctx)) {
		customs_vulndb_free(db);
		return;
	}
	for (size_t i = 0; i < st->n_sources; i++)
		fprintf(stderr, "  %-24s %10llu records\n", st->sources[i].name,
			(unsigned long long)st->sources[i].records);
	fprintf(stderr,
		"database %s: %llu advisories, %llu affected rows, %llu KEV, "
		"%llu EPSS\n",
		path, (unsigned long long)st->vulns,
		(unsigned long long)st->affected_rows,
		(unsigned long long)st->kev, (unsigned long long)st->epss);
	customs_vulndb_status_free(st);
	customs_vulndb_free(db);
}

struct import_opts {
	const char *db;
	enum customs_feed_format fmt;
	bool fresh;
	struct import_run run;
};

static int import_paths(struct import_opts *o, const char *path, char **paths,
			int n, struct customs_ctx *ctx)
{
	struct customs_vulndb_writer *w = NULL;
	bool tty = isatty(2);
	uint64_t total = 0, got;
	double t0 = now_s();
	int rc;

	rc = customs_vulndb_writer_new(&w, path, o->fresh, ctx);
	for (int i = 0; !rc && i < n; i++) {
		struct customs_vulndb_source src = CUSTOMS_VULNDB_SOURCE_INIT;

		src.origin = paths[i];
		got = 0;
		if (tty)
			fprintf(stderr, "importing %s ...\n", paths[i]);
		rc = customs_vulndb_import_path(w, &src, paths[i], o->fmt,
						on_warning, &o->run, &got, ctx);
		total += got;
		if (!rc)
			fprintf(stderr, "%s: %llu records\n", paths[i],
				(unsigned long long)got);
	}
	if (rc) {
		customs_vulndb_writer_free(w);
		return fail_ctx(ctx, rc);
	}
	rc = customs_vulndb_writer_commit(w, ctx);
	if (rc)
		return fail_ctx(ctx, rc);
	fprintf(stderr,
		"read %llu records from %d path%s in %.1f "
		"s, %llu warning%s\n",
		(unsigned long long)total, n, n == 1 ? "" : "s", now_s() - t0,
		(unsigned long long)o->run.warnings,
		o->run.warnings == 1 ? "" : "s");
	print_summary(path, ctx);
	return EXIT_OK;
}

static const struct option import_opts_tbl[] = {
	{ "db", required_argument, NULL, OPT_DB },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "fresh", no_argument, NULL, OPT_FRESH },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int bad_option(int c, char **argv, const char *cmd)
{
	if (c == ':')
		return usage_error("option '%s' needs a value",
				   argv[optind - 1]);
	return usage_error("unknown option '%s' (see `customs db %s --help`)",
			   argv[optind - 1], cmd);
}

static int cmd_import(int argc, char **argv, struct customs_ctx *ctx)
{
	struct import_opts o = { NULL, CUSTOMS_FEED_AUTO, false, { 0, false } };
	char *path = NULL;
	int c, rc;

	while ((c = getopt_long(argc, argv, ":hq", import_opts_tbl, NULL)) !=
	       -1) {
		if (c == 'h') {
			fputs(import_usage, stdout);
			return EXIT_OK;
		} else if (c == OPT_DB) {
			o.db = optarg;
		} else if (c == OPT_FORMAT) {
			if (customs_feed_format_parse(&o.fmt, optarg))
				return usage_error("unknown format '%s' (auto, "
						   "osv, debian, alpine, nvd, "
						   "kev, epss)",
						   optarg);
		} else if (c == OPT_FRESH) {
			o.fresh = true;
		} else if (c == 'q') {
			o.run.quiet = true;
		} else {
			return bad_option(c, argv, "import");
		}
	}
	if (optind >= argc)
		return usage_error("db import: missing PATH (see `customs db "
				   "import --help`)");
	if ((rc = resolve_db(&path, o.db)))
		return rc;
	rc = import_paths(&o, path, argv + optind, argc - optind, ctx);
	free(path);
	return rc;
}

/* Seconds since an RFC 3339 UTC time "YYYY-MM-DDTHH:MM:SSZ", or -1. */
static long long age_of(const char *when)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof(tm));
	if (!when || !(end = strptime(when, "%Y-%m-%dT%H:%M:%S", &tm)))
		return -1;
	return (long long)(time(NULL) - timegm(&tm));
}

static void fmt_age(char *buf, size_t n, long long s)
{
	if (s < 0)
		snprintf(buf, n, "-");
	else if (s < 120)
		snprintf(buf, n, "%llds", s);
	else if (s < 7200)
		snprintf(buf, n, "%lldm", s / 60);
	else if (s < 172800)
		snprintf(buf, n, "%lldh", s / 3600);
	else
		snprintf(buf, n, "%lldd", s / 86400);
}

static void status_table(const char *path,
			 const struct customs_vulndb_status *st)
{
	char age[32];

	fmt_age(age, sizeof(age), age_of(st->built));
	printf("database:        %s\n", path);
	printf("schema version:  %d\n", st->schema_version);
	printf("built:           %s (%s ago)\n", st->built ? st->built : "-",
	       age);
	printf("advisories:      %llu\n", (unsigned long long)st->vulns);
	printf("affected rows:   %llu\n",
	       (unsigned long long)st->affected_rows);
	printf("KEV entries:     %llu\n", (unsigned long long)st->kev);
	printf("EPSS scores:     %llu\n", (unsigned long long)st->epss);
	printf("namespaces:      %zu\n", st->namespaces.n);
	printf("\n%-24s %10s  %-20s  %-10s %6s  %s\n", "SOURCE", "RECORDS",
	       "IMPORTED", "FEED DATE", "AGE", "ORIGIN");
	for (size_t i = 0; i < st->n_sources; i++) {
		const struct customs_vulndb_source_status *s = &st->sources[i];

		fmt_age(age, sizeof(age), age_of(s->imported_at));
		printf("%-24s %10llu  %-20s  %-10s %6s  %s\n", s->name,
		       (unsigned long long)s->records,
		       s->imported_at ? s->imported_at : "-",
		       s->feed_date ? s->feed_date : "-", age,
		       s->origin ? s->origin : "-");
	}
}

static void status_json(const char *path,
			const struct customs_vulndb_status *st)
{
	struct jsonw w;

	jsonw_init(&w, stdout, true);
	jsonw_obj_open(&w);
	jsonw_kstr(&w, "database", path);
	jsonw_key(&w, "schema_version");
	jsonw_i64(&w, st->schema_version);
	jsonw_kstr(&w, "built", st->built);
	jsonw_ku64(&w, "vulnerabilities", st->vulns);
	jsonw_ku64(&w, "affected_rows", st->affected_rows);
	jsonw_ku64(&w, "kev", st->kev);
	jsonw_ku64(&w, "epss", st->epss);
	jsonw_key(&w, "namespaces");
	jsonw_arr_open(&w);
	for (size_t i = 0; i < st->namespaces.n; i++)
		jsonw_str(&w, st->namespaces.v[i]);
	jsonw_arr_close(&w);
	jsonw_key(&w, "sources");
	jsonw_arr_open(&w);
	for (size_t i = 0; i < st->n_sources; i++) {
		const struct customs_vulndb_source_status *s = &st->sources[i];

		jsonw_obj_open(&w);
		jsonw_kstr(&w, "name", s->name);
		jsonw_ku64(&w, "records", s->records);
		jsonw_kstr(&w, "origin", s->origin);
		jsonw_kstr(&w, "feed_date", s->feed_date);
		jsonw_kstr(&w, "imported_at", s->imported_at);
		jsonw_key(&w, "age_seconds");
		jsonw_i64(&w, age_of(s->imported_at));
		jsonw_kstr(&w, "etag", s->etag);
		jsonw_kstr(&w, "last_modified", s->last_modified);
		jsonw_obj_close(&w);
	}
	jsonw_arr_close(&w);
	jsonw_obj_close(&w);
	jsonw_end(&w);
}

static const struct option status_opts_tbl[] = {
	{ "db", required_argument, NULL, OPT_DB },
	{ "output", required_argument, NULL, 'o' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int show_status(const char *path, bool json, struct customs_ctx *ctx)
{
	struct customs_vulndb *db = NULL;
	struct customs_vulndb_status *st = NULL;
	int rc = customs_vulndb_open(&db, path, ctx);

	if (!rc)
		rc = customs_vulndb_status(db, &st, ctx);
	if (!rc) {
		if (json)
			status_json(path, st);
		else
			status_table(path, st);
	}
	customs_vulndb_status_free(st);
	customs_vulndb_free(db);
	if (rc)
		return fail_ctx(ctx, rc);
	return fflush(stdout) ? EXIT_INPUT : EXIT_OK;
}

static int cmd_status(int argc, char **argv, struct customs_ctx *ctx)
{
	const char *dbopt = NULL;
	char *path = NULL;
	bool json = false;
	int c, rc;

	while ((c = getopt_long(argc, argv, ":ho:", status_opts_tbl, NULL)) !=
	       -1) {
		if (c == 'h') {
			fputs(status_usage, stdout);
			return EXIT_OK;
		} else if (c == OPT_DB) {
			dbopt = optarg;
		} else if (c == 'o') {
			if (strcmp(optarg, "table") && strcmp(optarg, "json"))
				return usage_error("unknown output format "
						   "'%s' (table, json)",
						   optarg);
			json = !strcmp(optarg, "json");
		} else {
			return bad_option(c, argv, "status");
		}
	}
	if (optind < argc)
		return usage_error("db status: unexpected argument '%s'",
				   argv[optind]);
	if ((rc = resolve_db(&path, dbopt)))
		return rc;
	rc = show_status(path, json, ctx);
	free(path);
	return rc;
}

int cmd_db(int argc, char **argv)
{
	struct customs_ctx *ctx = NULL;
	int rc;

	if (argc < 2) {
		fputs(db_usage, stderr);
		return EXIT_INPUT;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(db_usage, stdout);
		return EXIT_OK;
	}
	if (customs_ctx_new(&ctx))
		return EXIT_INTERNAL;
	opterr = 0;
	optind = 1;
	if (!strcmp(argv[1], "update"))
		rc = cmd_db_update(argc - 1, argv + 1);
	else if (!strcmp(argv[1], "import"))
		rc = cmd_import(argc - 1, argv + 1, ctx);
	else if (!strcmp(argv[1], "status"))
		rc = cmd_status(argc - 1, argv + 1, ctx);
	else
		rc = usage_error("unknown db command '%s' (see `customs db "
				 "--help`)",
				 argv[1]);
	customs_ctx_free(ctx);
	return rc;
}
