/*
 * Unit tests of the vulndb writer and reader (src/vulndb): records fed
 * through the writer's sink, commit by rename, a reader opened before a
 * commit keeping the old data, an abandoned writer leaving the old file,
 * incremental and snapshot replacement, lookups with name normalisation,
 * the merged vulnerability view (KEV and EPSS through CVE aliases), the
 * status, HTTP validators and the errors of open.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>
#include <cmocka.h>

#include "customs/vulndb.h"
#include "vulndb/vulndb_int.h"
#include "util/banned.h"

struct fx {
	char dir[64];
	char path[128];
	struct customs_ctx *ctx;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	const char *tmp = getenv("TMPDIR");

	snprintf(f->dir, sizeof(f->dir), "%s/vulndbXXXXXX",
		 tmp && strlen(tmp) < 40 ? tmp : "/tmp");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/vuln.db", f->dir);
	assert_int_equal(customs_ctx_new(&f->ctx), 0);
	*state = f;
	return 0;
}

static int count_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char p[256];
	DIR *d = opendir(f->dir);
	struct dirent *e;

	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", f->dir, e->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(f->dir);
	customs_ctx_free(f->ctx);
	free(f);
	return 0;
}

/* A writer with a sink for source "test" (or the parser's name). */
struct wr {
	struct customs_vulndb_writer *w;
	struct vulndb_sink *s;
	struct customs_vuln_sink sink;
	struct customs_vulndb_source src;
};

static void wr_open(struct wr *wr, struct fx *f, bool fresh)
{
	struct customs_vulndb_source src = CUSTOMS_VULNDB_SOURCE_INIT;

	src.name = "test";
	src.origin = "https://example.test/feed.json";
	wr->src = src;
	assert_int_equal(
		customs_vulndb_writer_new(&wr->w, f->path, fresh, f->ctx), 0);
	assert_int_equal(vulndb_sink_new(&wr->s, &wr->sink, wr->w, &wr->src,
					 "osv", f->ctx),
			 0);
}

static void wr_commit(struct wr *wr, struct fx *f)
{
	vulndb_sink_free(wr->s, NULL);
	assert_int_equal(customs_vulndb_writer_commit(wr->w, f->ctx), 0);
}

static const char *const jinja_versions[] = { "2.10", "2.10.1" };
static const char *const jinja_fixed[] = { "2.11.3" };
static const char *const aliases[] = { "CVE-2020-28493" };

/* A PyPI record for Jinja2 with the given modified time and range. */
static void put_jinja(struct wr *wr, const char *id, const char *modified,
		      const char *ranges)
{
	struct customs_vuln_affected a = {
		.namespace = "pypi",
		.name = "Jinja2",
		.scheme = CUSTOMS_VERSION_PEP440,
		.ranges = ranges,
		.versions = jinja_versions,
		.n_versions = 2,
		.fixed = jinja_fixed,
		.n_fixed = 1,
		.fix_state = CUSTOMS_FIX_FIXED,
	};
	struct customs_cvss c = { "3.1",
				  "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/"
				  "A:L",
				  5.3,
				  3.9,
				  1.4,
				  "ghsa",
				  false };
	struct customs_vuln_record r = {
		.id = id,
		.summary = "ReDoS in Jinja2",
		.severity = CUSTOMS_SEVERITY_MEDIUM,
		.modified = modified,
		.aliases = aliases,
		.n_aliases = 1,
		.cvss = &c,
		.n_cvss = 1,
		.affected = &a,
		.n_affected = 1,
	};

	assert_int_equal(wr->sink.record(wr->sink.arg, &r), 0);
}

struct hits {
	int n;
	char ids[8][64];
	char ranges[8][128];
	char versions[8][64];
	char fixed[8][64];
	bool withdrawn[8];
};

static int on_hit(void *arg, const struct customs_vulndb_hit *h)
{
	struct hits *hs = arg;

	if (hs->n < 8) {
		snprintf(hs->ids[hs->n], 64, "%s", h->vuln_id);
		snprintf(hs->ranges[hs->n], 128, "%s", h->ranges);
		snprintf(hs->versions[hs->n], 64, "%s", h->versions);
		snprintf(hs->fixed[hs->n], 64, "%s", h->fixed);
		hs->withdrawn[hs->n] = h->withdrawn;
	}
	hs->n++;
	return 0;
}

static struct hits lookup(struct customs_vulndb *db, const char *ns,
			  const char *name)
{
	struct hits hs;

	memset(&hs, 0, sizeof(hs));
	assert_int_equal(customs_vulndb_lookup(db, ns, name, on_hit, &hs, NULL),
			 0);
	return hs;
}

static struct customs_vulndb *open_db(struct fx *f)
{
	struct customs_vulndb *db = NULL;

	assert_int_equal(customs_vulndb_open(&db, f->path, f->ctx), 0);
	return db;
}

static void test_vulndb_names(void **state)
{
	enum customs_severity sev;
	enum customs_fix_state fs;
	enum customs_feed_format ff;
	char *n = NULL;

	(void)state;
	assert_int_equal(
		customs_vulndb_normalize_name(&n, "pypi", "Zope.Interface__x"),
		0);
	assert_string_equal(n, "zope-interface-x");
	free(n);
	assert_int_equal(customs_vulndb_normalize_name(&n, "npm", "Axios_X"),
			 0);
	assert_string_equal(n, "axios_x");
	free(n);
	assert_int_equal(customs_severity_parse(&sev, "MODERATE"), 0);
	assert_int_equal(sev, CUSTOMS_SEVERITY_MEDIUM);
	assert_int_equal(customs_severity_parse(&sev, "high**"), 0);
	assert_int_equal(sev, CUSTOMS_SEVERITY_HIGH);
	assert_int_equal(customs_severity_parse(&sev, "unimportant"), 0);
	assert_int_equal(sev, CUSTOMS_SEVERITY_NEGLIGIBLE);
	assert_int_equal(customs_severity_parse(&sev, "bogus"),
			 CUSTOMS_ENOTFOUND);
	assert_int_equal(customs_severity_from_score(9.8),
			 CUSTOMS_SEVERITY_CRITICAL);
	assert_int_equal(customs_severity_from_score(6.9),
			 CUSTOMS_SEVERITY_MEDIUM);
	assert_int_equal(customs_fix_state_parse(&fs, "wont-fix"), 0);
	assert_int_equal(fs, CUSTOMS_FIX_WONT_FIX);
	assert_string_equal(customs_fix_state_name(CUSTOMS_FIX_NOT_AFFECTED),
			    "not-affected");
	assert_int_equal(customs_feed_format_parse(&ff, "kev"), 0);
	assert_int_equal(ff, CUSTOMS_FEED_KEV);
	assert_string_equal(customs_feed_format_name(CUSTOMS_FEED_OSV), "osv");
}

static void test_vulndb_lookup_normalised(void **state)
{
	struct fx *f = *state;
	struct customs_vulndb *db;
	struct wr wr;
	struct hits hs;

	wr_open(&wr, f, false);
	put_jinja(&wr, "GHSA-g3rq-g295-4j3m", "2021-02-01T00:00:00Z",
		  "< 2.11.3");
	wr_commit(&wr, f);
	db = open_db(f);
	hs = lookup(db, "pypi", "jinja2");
	assert_int_equal(hs.n, 1);
	assert_string_equal(hs.ids[0], "GHSA-g3rq-g295-4j3m");
	assert_string_equal(hs.ranges[0], "< 2.11.3");
	assert_string_equal(hs.versions[0], "2.10\n2.10.1");
	assert_string_equal(hs.fixed[0], "2.11.3");
	assert_int_equal(lookup(db, "pypi", "JINJA2").n, 1);
	assert_int_equal(lookup(db, "pypi", "jinja_2").n, 0);
	assert_int_equal(lookup(db, "npm", "jinja2").n, 0);
	customs_vulndb_free(db);
}

static void test_vulndb_lookup_npm_case(void **state)
{
	static const char *const fixed[] = { "0.21.1" };
	struct customs_vuln_affected a = {
		.namespace = "npm",
		.name = "Axios",
		.scheme = CUSTOMS_VERSION_NPM,
		.ranges = "< 0.21.1",
		.fixed = fixed,
		.n_fixed = 1,
		.fix_state = CUSTOMS_FIX_FIXED,
	};
	struct customs_vuln_record r = {
		.id = "GHSA-4w2v-q235-vp99",
		.modified = "1",
		.affected = &a,
		.n_affected = 1,
	};
	struct fx *f = *state;
	struct customs_vulndb *db;
	bool has = false;
	struct wr wr;
	struct hits hs;

	wr_open(&wr, f, true);
	assert_int_equal(wr.sink.record(wr.sink.arg, &r), 0);
	wr_commit(&wr, f);
	db = open_db(f);
	hs = lookup(db, "npm", "axios");
	assert_int_equal(hs.n, 1);
	assert_string_equal(hs.ids[0], "GHSA-4w2v-q235-vp99");
	assert_string_equal(hs.fixed[0], "0.21.1");
	assert_int_equal(customs_vulndb_has_namespace(db, "npm", &has, NULL),
			 0);
	assert_true(has);
	assert_int_equal(
		customs_vulndb_has_namespace(db, "debian:12", &has, NULL), 0);
	assert_false(has);
	customs_vulndb_free(db);
}

struct cpe_hits {
	int n;
	char last[128], end[32];
};

static int on_cpe(void *arg, const char *id, const struct customs_vuln_cpe *c)
{
	struct cpe_hits *h = arg;

	h->n++;
	snprintf(h->last, sizeof(h->last), "%s %s", id, c->criteria);
	snprintf(h->end, sizeof(h->end), "%s",
		 c->end_excluding ? c->end_excluding : "");
	return 0;
}

static void test_vulndb_lookup_cpe(void **state)
{
	struct customs_vuln_cpe cpes[] = {
		{ "cpe:2.3:a:apache:log4j:*:*:*:*:*:*:*:*", "2.0.1", NULL, NULL,
		  "2.3.1", true, 0 },
		{ "cpe:2.3:o:Debian:debian\\_linux:10.0:*:*:*:*:*:*:*", NULL,
		  NULL, NULL, NULL, false, 0 },
	};
	struct customs_vuln_record r = {
		.id = "CVE-2021-44228",
		.modified = "1",
		.cpes = cpes,
		.n_cpes = 2,
	};
	struct fx *f = *state;
	struct customs_vulndb *db;
	struct cpe_hits h = { 0 };
	struct wr wr;

	wr_open(&wr, f, true);
	assert_int_equal(wr.sink.record(wr.sink.arg, &r), 0);
	wr_commit(&wr, f);
	db = open_db(f);
	assert_int_equal(customs_vulndb_lookup_cpe(db, "apache", "log4j",
						   on_cpe, &h, f->ctx),
			 0);
	assert_int_equal(h.n, 1);
	assert_string_equal(h.last, "CVE-2021-44228 "
				    "cpe:2.3:a:apache:log4j:*:*:*:*:*:*:*:*");
	assert_string_equal(h.end, "2.3.1");
	memset(&h, 0, sizeof(h));
	assert_int_equal(customs_vulndb_lookup_cpe(db, "debian", "debian_linux",
						   on_cpe, &h, f->ctx),
			 0);
	assert_int_equal(h.n, 1);
	customs_vulndb_free(db);
}

static void test_vulndb_reader_keeps_old_file(void **state)
{
	struct fx *f = *state;
	struct customs_vulndb *old, *now;
	struct wr wr;

	wr_open(&wr, f, false);
	put_jinja(&wr, "A-1", "1", "< 1");
	wr_commit(&wr, f);
	old = open_db(f);
	wr_open(&wr, f, false);
	put_jinja(&wr, "A-2", "1", "< 2");
	/* not committed: nothing visible at the path */
	now = open_db(f);
	assert_int_equal(lookup(now, "pypi", "jinja2").n, 1);
	customs_vulndb_free(now);
	wr_commit(&wr, f);
	assert_int_equal(lookup(old, "pypi", "jinja2").n, 1);
	now = open_db(f);
	assert_int_equal(lookup(now, "pypi", "jinja2").n, 2);
	customs_vulndb_free(now);
	customs_vulndb_free(old);
	assert_int_equal(count_files(f->dir), 1);
}

static void test_vulndb_abandoned_writer(void **state)
{
	struct fx *f = *state;
	struct customs_vulndb *db;
	struct wr wr;

	wr_open(&wr, f, false);
	put_jinja(&wr, "A-1", "1", "< 1");
	wr_commit(&wr, f);
	wr_open(&wr, f, true);
	put_jinja(&wr, "B-1", "1", "< 1");
	put_jinja(&wr, "B-2", "1", "< 1");
	assert_int_equal(count_files(f->dir), 2);
	vulndb_sink_free(wr.s, NULL);
	customs_vulndb_writer_free(wr.w);
	assert_int_equal(count_files(f->dir), 1);
	db = open_db(f);
	assert_string_equal(lookup(db, "pypi", "jinja2").ids[0], "A-1");
	customs_vulndb_free(db);
}

static void test_vulndb_incremental(void **state)
{
	struct fx *f = *state;
	struct customs_vulndb *db;
	uint64_t written, unchanged;
	struct wr wr;
	struct hits hs;

	wr_open(&wr, f, false);
	put_jinja(&wr, "A-1", "2020", "< 1");
	put_jinja(&wr, "A-2", "2020", "< 2");
	wr_commit(&wr, f);
	wr_open(&wr, f, false);
	put_jinja(&wr, "A-1", "2020", "< 9"); /* unchanged: skipped */
	put_jinja(&wr, "A-2", "2021", "< 3"); /* changed: replaced */
	vulndb_writer_counts(wr.w, &written, &unchanged);
	assert_int_equal(written, 1);
	assert_int_equal(unchanged, 1);
	wr_commit(&wr, f);
	db = open_db(f);
	hs = lookup(db, "pypi", "jinja2");
	assert_int_equal(hs.n, 2);
	assert_string_equal(hs.ids[0], "A-1");
	assert_string_equal(hs.ranges[0], "< 1");
	assert_string_equal(hs.ids[1], "A-2");
	assert_string_equal(hs.ranges[1], "< 3");
	customs_vulndb_free(db);
}

static void test_vulndb_snapshot_replaces_source(void **state)
{
	struct fx *f = *state;
	struct customs_vulndb *db;
	struct wr wr;
	struct hits hs;

	wr_open(&wr, f, false);
	assert_int_equal(wr.sink.begin(wr.sink.arg, "alpine:3.18/main", true),
			 0);
	put_jinja(&wr, "CVE-1", "1", "< 1");
	put_jinja(&wr, "CVE-2", "1", "< 1");
	assert_int_equal(wr.sink.begin(wr.sink.arg, NULL, false), 0);
	put_jinja(&wr, "GHSA-1", "1", "< 1");
	wr_commit(&wr, f);
	wr_open(&wr, f, false);
	assert_int_equal(wr.sink.begin(wr.sink.arg, "alpine:3.18/main", true),
			 0);
	put_jinja(&wr, "CVE-3", "1", "< 1");
	wr_commit(&wr, f);
	db = open_db(f);
	hs = lookup(db, "pypi", "jinja2");
	assert_int_equal(hs.n, 2);
	assert_string_equal(hs.ids[0], "GHSA-1");
	assert_string_equal(hs.ids[1], "CVE-3");
	customs_vulndb_free(db);
}

static void test_vulndb_info_merged(void **state)
{
	struct fx *f = *state;
	struct customs_vuln_kev kev = { .cve = "CVE-2020-28493",
					.date_added = "2024-01-02",
					.due_date = "2024-01-23",
					.ransomware = true };
	struct customs_vuln_epss ep = { "CVE-2020-28493", 0.25, 0.9 };
	struct customs_vuln_info *in = NULL;
	struct customs_vulndb *db;
	struct wr wr;

	wr_open(&wr, f, false);
	put_jinja(&wr, "GHSA-g3rq-g295-4j3m", "1", "< 2.11.3");
	assert_int_equal(wr.sink.begin(wr.sink.arg, "kev", true), 0);
	assert_int_equal(wr.sink.kev(wr.sink.arg, &kev), 0);
	assert_int_equal(wr.sink.begin(wr.sink.arg, "epss", true), 0);
	assert_int_equal(wr.sink.epss(wr.sink.arg, &ep), 0);
	wr_commit(&wr, f);
	db = open_db(f);
	assert_int_equal(
		customs_vulndb_vuln(db, "GHSA-g3rq-g295-4j3m", &in, f->ctx), 0);
	assert_string_equal(in->summary, "ReDoS in Jinja2");
	assert_int_equal(in->aliases.n, 1);
	assert_string_equal(in->aliases.v[0], "CVE-2020-28493");
	assert_int_equal(in->n_cvss, 1);
	assert_true(in->cvss[0].base_score == 5.3);
	assert_true(in->in_kev);
	assert_true(in->kev_ransomware);
	assert_string_equal(in->kev_date_added, "2024-01-02");
	assert_true(in->has_epss);
	assert_true(in->epss_percentile == 0.9);
	assert_false(in->withdrawn);
	customs_vuln_info_free(in);
	assert_int_equal(customs_vulndb_vuln(db, "GHSA-none", &in, f->ctx),
			 CUSTOMS_ENOTFOUND);
	assert_null(in);
	customs_vulndb_free(db);
}

static void test_vulndb_status(void **state)
{
	struct fx *f = *state;
	struct customs_vulndb_status *st = NULL;
	struct customs_vulndb *db;
	struct wr wr;

	wr_open(&wr, f, false);
	put_jinja(&wr, "A-1", "1", "< 1");
	put_jinja(&wr, "A-2", "1", "< 1");
	assert_int_equal(customs_vulndb_writer_set_validators(
				 wr.w, "https://example.test/feed.json",
				 "\"abc\"", NULL, f->ctx),
			 0);
	wr_commit(&wr, f);
	db = open_db(f);
	assert_int_equal(customs_vulndb_status(db, &st, f->ctx), 0);
	assert_int_equal(st->schema_version, VULNDB_SCHEMA_VERSION);
	assert_non_null(st->built);
	assert_int_equal(strlen(st->built), 20);
	assert_int_equal(st->n_sources, 1);
	assert_string_equal(st->sources[0].name, "test");
	assert_string_equal(st->sources[0].etag, "\"abc\"");
	assert_null(st->sources[0].last_modified);
	assert_int_equal(st->sources[0].records, 2);
	assert_int_equal(st->vulns, 2);
	assert_int_equal(st->affected_rows, 2);
	assert_int_equal(st->namespaces.n, 1);
	assert_string_equal(st->namespaces.v[0], "pypi");
	customs_vulndb_status_free(st);
	customs_vulndb_free(db);
}

static void test_vulndb_validators(void **state)
{
	struct fx *f = *state;
	char *etag = NULL, *lm = NULL;
	struct wr wr;

	wr_open(&wr, f, false);
	assert_int_equal(
		customs_vulndb_writer_validators(wr.w, "u", &etag, &lm, f->ctx),
		CUSTOMS_ENOTFOUND);
	assert_int_equal(
		customs_vulndb_writer_set_validators(
			wr.w, "u", "\"e1\"", "Mon, 01 Jan 2024", f->ctx),
		0);
	wr_commit(&wr, f);
	wr_open(&wr, f, false);
	assert_int_equal(
		customs_vulndb_writer_validators(wr.w, "u", &etag, &lm, f->ctx),
		0);
	assert_string_equal(etag, "\"e1\"");
	assert_string_equal(lm, "Mon, 01 Jan 2024");
	free(etag);
	free(lm);
	vulndb_sink_free(wr.s, NULL);
	customs_vulndb_writer_free(wr.w);
}

static void test_vulndb_open_errors(void **state)
{
	struct fx *f = *state;
	struct customs_vulndb *db = NULL;
	struct customs_vulndb_writer *w = NULL;
	FILE *fp;

	assert_int_equal(customs_vulndb_open(&db, f->path, f->ctx),
			 CUSTOMS_ENOTFOUND);
	assert_non_null(strstr(customs_ctx_errmsg(f->ctx), "db update"));
	fp = fopen(f->path, "w");
	fputs("not a database at all, just some text\n", fp);
	fclose(fp);
	assert_int_equal(customs_vulndb_open(&db, f->path, f->ctx),
			 CUSTOMS_EFORMAT);
	assert_null(db);
	assert_int_equal(customs_vulndb_writer_new(&w, f->path, false, f->ctx),
			 CUSTOMS_EFORMAT);
	assert_int_equal(customs_vulndb_writer_new(&w, f->path, true, f->ctx),
			 CUSTOMS_EFORMAT);
	assert_null(w);
	assert_int_equal(count_files(f->dir), 1);
}

/* One record affecting several packages in several namespaces. */
static void put_spread(struct wr *wr, const char *id)
{
	static const char *const names[][2] = {
		{ "npm", "a" },	      { "npm", "b" },
		{ "debian:12", "x" }, { "pypi", "c" },
		{ "debian:12", "y" }, { "alpine:3.19", "z" },
		{ "debian:11", "x" },
	};
	struct customs_vuln_affected a[7];
	struct customs_vuln_record r = { .id = id,
					 .severity = CUSTOMS_SEVERITY_LOW,
					 .modified = "1",
					 .affected = a,
					 .n_affected = 7 };
	size_t i;

	memset(a, 0, sizeof(a));
	for (i = 0; i < 7; i++) {
		a[i].namespace = names[i][0];
		a[i].name = names[i][1];
		a[i].scheme = CUSTOMS_VERSION_SEMVER;
		a[i].ranges = "< 1";
		a[i].fix_state = CUSTOMS_FIX_NOT_FIXED;
	}
	assert_int_equal(wr->sink.record(wr->sink.arg, &r), 0);
}

/* The summary says what the status says, without the counts: the same
 * build time, sources (with their dates) and sorted namespaces. */
static void test_vulndb_summary(void **state)
{
	static const char *const want[] = { "alpine:3.19", "debian:11",
					    "debian:12", "npm", "pypi" };
	struct fx *f = *state;
	struct customs_vulndb_status *st = NULL;
	struct customs_vulndb_summary *su = NULL;
	struct customs_vulndb *db;
	struct wr wr;
	size_t i;

	wr_open(&wr, f, false);
	put_spread(&wr, "S-1");
	put_jinja(&wr, "A-1", "1", "< 1");
	wr_commit(&wr, f);
	db = open_db(f);
	assert_int_equal(customs_vulndb_status(db, &st, f->ctx), 0);
	assert_int_equal(customs_vulndb_summary(db, &su, f->ctx), 0);
	assert_int_equal(su->schema_version, VULNDB_SCHEMA_VERSION);
	assert_string_equal(su->built, st->built);
	assert_int_equal(su->n_sources, 1);
	assert_string_equal(su->sources[0].name, "test");
	assert_string_equal(su->sources[0].imported_at,
			    st->sources[0].imported_at);
	assert_int_equal(su->namespaces.n, 5);
	assert_int_equal(st->namespaces.n, 5);
	for (i = 0; i < 5; i++) {
		assert_string_equal(su->namespaces.v[i], want[i]);
		assert_string_equal(st->namespaces.v[i], want[i]);
	}
	customs_vulndb_summary_free(su);
	customs_vulndb_status_free(st);
	customs_vulndb_free(db);
}

/* An empty database: no sources, no namespaces, not an error. */
static void test_vulndb_summary_empty(void **state)
{
	struct fx *f = *state;
	struct customs_vulndb_summary *su = NULL;
	struct customs_vulndb *db;
	struct wr wr;

	wr_open(&wr, f, false);
	wr_commit(&wr, f);
	db = open_db(f);
	assert_int_equal(customs_vulndb_summary(db, &su, f->ctx), 0);
	assert_int_equal(su->namespaces.n, 0);
	customs_vulndb_summary_free(su);
	customs_vulndb_free(db);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vulndb_names),
		T(test_vulndb_lookup_normalised),
		T(test_vulndb_lookup_npm_case),
		T(test_vulndb_lookup_cpe),
		T(test_vulndb_reader_keeps_old_file),
		T(test_vulndb_abandoned_writer),
		T(test_vulndb_incremental),
		T(test_vulndb_snapshot_replaces_source),
		T(test_vulndb_info_merged),
		T(test_vulndb_status),
		T(test_vulndb_summary),
		T(test_vulndb_summary_empty),
		T(test_vulndb_validators),
		T(test_vulndb_open_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
