/*
 * Unit tests of the non-OSV feed parsers (src/vulndb/feed_debian.c,
 * feed_alpine.c, feed_nvd.c, feed_kev.c, feed_epss.c), driven directly
 * through their feed_int.h entry points with a recording sink: every
 * record, affected row, CPE, KEV and EPSS entry is logged as one text
 * line, so a test asserts exact lines and counts. Hand-written snippets
 * cover each mapping rule; the real files of shared/vulndata (skipped,
 * saying so, where absent) check the counts its README gives.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <zlib.h>

#include "customs/vulndb.h"
#include "vulndb/feed_int.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/banned.h"

struct rec {
	char source[128];
	bool snapshot;
	int begins;
	size_t records, rows, cvss, cpes, cwes, kev, epss, warnings, withdrawn;
	size_t state[5];
	size_t sev[6];
	char model[64], date[64];
	bool meta, meta_date_null;
	struct cbuf log; /* one line per record/row/entry */
	struct cbuf warns;
	int stop_after; /* >0: the nth record returns -99 */
};

static int r_begin(void *arg, const char *source, bool snapshot)
{
	struct rec *r = arg;

	r->begins++;
	snprintf(r->source, sizeof(r->source), "%s", source ? source : "-");
	r->snapshot = snapshot;
	return 0;
}

static const char *s_(const char *s)
{
	return s ? s : "-";
}

static int r_record(void *arg, const struct customs_vuln_record *v)
{
	struct rec *r = arg;
	size_t i;

	assert_int_equal(r->begins, 1);
	r->records++;
	r->withdrawn += v->withdrawn;
	cbuf_printf(&r->log, "R %s sev=%s w=%d link=%s mod=%s\n", v->id,
		    customs_severity_name(v->severity), v->withdrawn,
		    s_(v->link), s_(v->modified));
	for (i = 0; i < v->n_affected; i++) {
		const struct customs_vuln_affected *a = &v->affected[i];

		r->rows++;
		r->state[a->fix_state]++;
		r->sev[a->severity]++;
		cbuf_printf(&r->log, "A %s %s %s [%s] fixed=%s %s %s\n", v->id,
			    a->namespace, a->name, s_(a->ranges),
			    a->n_fixed ? a->fixed[0] : "-",
			    customs_fix_state_name(a->fix_state),
			    customs_severity_name(a->severity));
	}
	for (i = 0; i < v->n_cvss; i++, r->cvss++)
		cbuf_printf(&r->log, "C %s %s %s %.1f %.1f %.1f %s %d\n", v->id,
			    v->cvss[i].version, s_(v->cvss[i].vector),
			    v->cvss[i].base_score,
			    v->cvss[i].exploitability_score,
			    v->cvss[i].impact_score, s_(v->cvss[i].source),
			    v->cvss[i].primary);
	for (i = 0; i < v->n_cpes; i++, r->cpes++)
		cbuf_printf(&r->log, "P %s %d %d %s %s %s %s %s\n", v->id,
			    v->cpes[i].config, v->cpes[i].vulnerable,
			    v->cpes[i].criteria, s_(v->cpes[i].start_including),
			    s_(v->cpes[i].start_excluding),
			    s_(v->cpes[i].end_including),
			    s_(v->cpes[i].end_excluding));
	for (i = 0; i < v->n_cwes; i++, r->cwes++)
		cbuf_printf(&r->log, "W %s %s\n", v->id, v->cwes[i]);
	if (r->stop_after && r->records == (size_t)r->stop_after)
		return -99;
	return 0;
}

static int r_kev(void *arg, const struct customs_vuln_kev *k)
{
	struct rec *r = arg;

	r->kev++;
	cbuf_printf(&r->log, "K %s|%s|%s|%s|%s|%s|%d\n", k->cve, s_(k->vendor),
		    s_(k->product), s_(k->name), s_(k->date_added),
		    s_(k->due_date), k->ransomware);
	return 0;
}

static int r_epss(void *arg, const struct customs_vuln_epss *e)
{
	struct rec *r = arg;

	r->epss++;
	cbuf_printf(&r->log, "E %s %.5f %.5f\n", e->cve, e->score,
		    e->percentile);
	return 0;
}

static int r_meta(void *arg, const char *model, const char *date)
{
	struct rec *r = arg;

	r->meta = true;
	snprintf(r->model, sizeof(r->model), "%s", s_(model));
	snprintf(r->date, sizeof(r->date), "%s", s_(date));
	r->meta_date_null = !date;
	return 0;
}

static void r_warn(void *arg, const char *msg)
{
	struct rec *r = arg;

	r->warnings++;
	cbuf_printf(&r->warns, "%s\n", msg);
}

typedef int (*parse_fn)(const char *, size_t, const char *,
			const struct customs_vuln_sink *,
			const struct feed_warn *, struct customs_ctx *);

/* Run parse over data into a fresh *r; returns the parser's code. */
static int run(parse_fn parse, const char *data, size_t len, const char *name,
	       struct rec *r, struct customs_ctx *ctx)
{
	struct customs_vuln_sink sink = { r_begin, r_record, r_kev,
					  r_epss,  r_meta,   r };
	struct feed_warn w = { r_warn, r };
	int stop = r->stop_after;

	memset(r, 0, sizeof(*r));
	r->stop_after = stop;
	cbuf_init(&r->log, (size_t)256 << 20);
	cbuf_init(&r->warns, (size_t)16 << 20);
	return parse(data, len, name, &sink, &w, ctx);
}

static void rec_release(struct rec *r)
{
	cbuf_release(&r->log);
	cbuf_release(&r->warns);
}

static void has_line(const struct rec *r, const char *line)
{
	char want[1024];

	snprintf(want, sizeof(want), "%s\n", line);
	if (!strstr(r->log.ptr, want)) {
		print_error("missing line: %s\nlog:\n%.4000s\n", line,
			    r->log.ptr);
		fail();
	}
}

static size_t count_prefix(const struct rec *r, const char *prefix)
{
	const char *p = r->log.ptr;
	size_t n = 0, k = strlen(prefix);

	while (p && *p) {
		if (!strncmp(p, prefix, k))
			n++;
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	return n;
}

static struct customs_ctx *new_ctx(void)
{
	struct customs_ctx *ctx;

	assert_int_equal(customs_ctx_new(&ctx), 0);
	return ctx;
}

/* ---- shared data -------------------------------------------------------- */

/* shared/vulndata is absent: skip, freeing the context first (skip()
 * leaves the test at once, and the leak check would fail it) */
static void skip_absent(struct customs_ctx *ctx)
{
	customs_ctx_free(ctx);
	skip();
}

static char *shared_path(const char *rel)
{
	const char *dir = getenv("CUSTOMS_SHARED_DIR");
	struct cbuf b = CBUF_INIT(4096);

	if (dir)
		cbuf_printf(&b, "%s/vulndata/%s", dir, rel);
	else
		cbuf_printf(&b, "%s/../../shared/vulndata/%s",
			    CUSTOMS_TEST_SRCDIR, rel);
	return cbuf_detach(&b);
}

/* The (gunzipped) file, or NULL when shared/vulndata is absent. */
static char *load(const char *rel, size_t *len)
{
	char *path = shared_path(rel), buf[65536];
	struct cbuf b = CBUF_INIT((size_t)512 << 20);
	gzFile f = gzopen(path, "rb");
	int n;

	customs_free(path);
	if (!f) {
		print_message("shared/vulndata/%s absent: skipped\n", rel);
		return NULL;
	}
	while ((n = gzread(f, buf, sizeof(buf))) > 0)
		cbuf_put(&b, buf, (size_t)n);
	gzclose(f);
	assert_int_equal(cbuf_error(&b), 0);
	*len = b.len;
	return cbuf_detach(&b);
}

/* ---- Debian ------------------------------------------------------------- */

static const char deb_doc[] =
	"{\"openssl\": {"
	" \"CVE-2024-0001\": {\"description\": \"one\", \"releases\": {"
	"  \"bookworm\": {\"status\": \"resolved\", \"fixed_version\": "
	"\"3.0.13-1~deb12u1\", \"urgency\": \"high**\"},"
	"  \"sid\": {\"status\": \"resolved\", \"fixed_version\": \"0\","
	" \"urgency\": \"unimportant\"},"
	"  \"hamm\": {\"status\": \"open\", \"urgency\": \"low\"},"
	"  \"bullseye\": {\"status\": \"open\", \"urgency\": \"low\","
	" \"nodsa\": \"Minor issue\", \"nodsa_reason\": \"\"}}},"
	" \"CVE-2024-0002\": {\"releases\": {"
	"  \"bookworm\": {\"status\": \"open\", \"urgency\": "
	"\"not yet assigned\", \"nodsa\": \"x\", \"nodsa_reason\": "
	"\"postponed\"},"
	"  \"bullseye\": {\"status\": \"open\", \"urgency\": \"end-of-life\"},"
	"  \"buster\": {\"status\": \"undetermined\", \"urgency\": \"medium\"},"
	"  \"trixie\": {\"status\": \"open\", \"urgency\": \"medium\"},"
	"  \"forky\": {\"status\": \"weird\"}}},"
	" \"TEMP-0000000-ABCDEF\": {\"releases\": {\"bookworm\": "
	"{\"status\": \"open\", \"urgency\": \"whatever\"}}}"
	"},"
	"\"chromium\": {"
	" \"CVE-2022-0358\": {\"releases\": []},"
	" \"CVE-2024-0001\": {\"description\": \"two\", \"releases\": {"
	"  \"hamm\": {}, \"bookworm\": {\"status\": \"open\", \"nodsa\": "
	"\"x\", \"nodsa_reason\": \"ignored\"}}}},"
	"\"bad\": 3}";

static void test_feeds_debian_semantics(void **state)
{
	struct customs_ctx *ctx = new_ctx();
	struct rec r = { 0 };

	(void)state;
	assert_int_equal(run(feed_debian_parse, deb_doc, strlen(deb_doc),
			     "t.json", &r, ctx),
			 0);
	assert_string_equal(r.source, "debian");
	assert_true(r.snapshot);
	/* one record per id, sorted; rows of both packages in one record */
	assert_int_equal(r.records, 4);
	has_line(&r, "R CVE-2022-0358 sev=Unknown w=0 link=- mod=-");
	has_line(&r, "R CVE-2024-0001 sev=High w=0 link=- mod=-");
	has_line(&r, "A CVE-2024-0001 debian:12 openssl [< 3.0.13-1~deb12u1] "
		     "fixed=3.0.13-1~deb12u1 fixed High");
	has_line(&r, "A CVE-2024-0001 debian:unstable openssl [*] fixed=- "
		     "not-affected Negligible");
	has_line(&r, "A CVE-2024-0001 debian:11 openssl [*] fixed=- wont-fix "
		     "Low");
	has_line(&r, "A CVE-2024-0001 debian:12 chromium [*] fixed=- "
		     "wont-fix Unknown");
	has_line(&r, "A CVE-2024-0002 debian:12 openssl [*] fixed=- wont-fix "
		     "Unknown");
	has_line(&r, "A CVE-2024-0002 debian:11 openssl [*] fixed=- wont-fix "
		     "Unknown");
	has_line(&r, "A CVE-2024-0002 debian:10 openssl [*] fixed=- unknown "
		     "Medium");
	has_line(&r, "A CVE-2024-0002 debian:13 openssl [*] fixed=- "
		     "not-fixed Medium");
	has_line(&r, "A TEMP-0000000-ABCDEF debian:12 openssl [*] fixed=- "
		     "not-fixed Unknown");
	assert_int_equal(r.rows, 9);
	/* ids sort: CVE-2022 < CVE-2024-0001 < -0002 < TEMP */
	assert_true(strstr(r.log.ptr, "R CVE-2022") <
		    strstr(r.log.ptr, "R CVE-2024-0001"));
	assert_true(strstr(r.log.ptr, "R CVE-2024-0002") <
		    strstr(r.log.ptr, "R TEMP-"));
	/* hamm warned once, the bad status, the bad urgency, "bad": 3 */
	assert_int_equal(r.warnings, 4);
	assert_non_null(strstr(r.warns.ptr, "unknown release \"hamm\""));
	assert_non_null(strstr(r.warns.ptr, "bad status \"weird\""));
	assert_non_null(strstr(r.warns.ptr, "unknown urgency \"whatever\""));
	assert_non_null(strstr(r.warns.ptr, "package \"bad\""));
	rec_release(&r);
	customs_ctx_free(ctx);
}

static void test_feeds_debian_rejects_other_documents(void **state)
{
	struct customs_ctx *ctx = new_ctx();
	struct rec r = { 0 };

	(void)state;
	assert_int_equal(run(feed_debian_parse, "[1]", 3, "x.json", &r, ctx),
			 CUSTOMS_EFORMAT);
	assert_non_null(strstr(customs_ctx_errmsg(ctx), "x.json"));
	assert_int_equal(r.begins, 0);
	rec_release(&r);
	assert_int_equal(
		run(feed_debian_parse, "{\"a\": {", 7, "y.json", &r, ctx),
		CUSTOMS_EFORMAT);
	assert_non_null(strstr(customs_ctx_errmsg(ctx), "y.json: line 1"));
	rec_release(&r);
	/* a KEV catalogue must not empty the Debian source */
	assert_int_equal(run(feed_debian_parse, "{\"title\": \"t\", \"n\": {}}",
			     23, "kev.json", &r, ctx),
			 CUSTOMS_EFORMAT);
	assert_int_equal(r.begins, 0);
	rec_release(&r);
	assert_int_equal(run(feed_debian_parse, "{}", 2, "empty.json", &r, ctx),
			 0);
	assert_int_equal(r.begins, 1);
	rec_release(&r);
	customs_ctx_free(ctx);
}

static void test_feeds_debian_sink_stops(void **state)
{
	struct customs_ctx *ctx = new_ctx();
	struct rec r = { .stop_after = 2 };

	(void)state;
	assert_int_equal(run(feed_debian_parse, deb_doc, strlen(deb_doc),
			     "t.json", &r, ctx),
			 -99);
	assert_int_equal(r.records, 2);
	rec_release(&r);
	customs_ctx_free(ctx);
}

static void test_feeds_debian_bookworm_sample(void **state)
{
	struct customs_ctx *ctx = new_ctx();
	struct rec r = { 0 };
	size_t len;
	char *doc = load("debian/bookworm-tracker-sample.json", &len);

	(void)state;
	if (!doc)
		skip_absent(ctx);
	assert_int_equal(run(feed_debian_parse, doc, len, "sample", &r, ctx),
			 0);
	assert_int_equal(r.records, 105); /* CVEs */
	assert_int_equal(r.rows, 139); /* (package, CVE) in bookworm */
	assert_int_equal(r.state[CUSTOMS_FIX_FIXED], 85);
	assert_int_equal(r.state[CUSTOMS_FIX_NOT_AFFECTED], 3);
	/* 51 open: 14 no-dsa + 4 ignored + 1 postponed */
	assert_int_equal(r.state[CUSTOMS_FIX_WONT_FIX], 19);
	assert_int_equal(r.state[CUSTOMS_FIX_NOT_FIXED], 32);
	assert_int_equal(r.sev[CUSTOMS_SEVERITY_NEGLIGIBLE], 25);
	assert_int_equal(r.sev[CUSTOMS_SEVERITY_LOW], 1);
	assert_int_equal(r.sev[CUSTOMS_SEVERITY_UNKNOWN], 113);
	assert_int_equal(r.warnings, 0);
	/* the tracker's own (non-existent) xz-utils version, as written */
	has_line(&r, "A CVE-2026-34743 debian:12 xz-utils [< 5.4.1-2+deb12u1] "
		     "fixed=5.4.1-2+deb12u1 fixed Unknown");
	customs_free(doc);
	rec_release(&r);
	customs_ctx_free(ctx);
}

static void test_feeds_debian_fixtures(void **state)
{
	struct customs_ctx *ctx = new_ctx();
	struct rec r = { 0 };
	size_t len;
	char *doc = load("debian/fixtures/vunnel-tracker.json", &len);

	(void)state;
	if (!doc)
		skip_absent(ctx);
	assert_int_equal(run(feed_debian_parse, doc, len, "vunnel", &r, ctx),
			 0);
	assert_int_equal(r.records, 7);
	has_line(&r, "R CVE-2022-0358 sev=Unknown w=0 link=- mod=-");
	assert_int_equal(count_prefix(&r, "A CVE-2022-0358 "), 0);
	has_line(&r, "A CVE-2008-7220 debian:9 prototypejs [< 1.6.0.2-1] "
		     "fixed=1.6.0.2-1 fixed High");
	customs_free(doc);
	rec_release(&r);
	doc = load("debian/fixtures/osvdev-tracker-mock.json", &len);
	assert_non_null(doc);
	assert_int_equal(run(feed_debian_parse, doc, len, "mock", &r, ctx), 0);
	assert_int_equal(r.records, 3);
	assert_int_equal(r.rows, 15);
	assert_int_equal(r.warnings, 0);
	has_line(&r, "A CVE-2016-1585 debian:12 apparmor [*] fixed=- "
		     "not-fixed Negligible");
	has_line(&r, "A CVE-2016-1585 debian:13 apparmor [< 3.0.12-1] "
		     "fixed=3.0.12-1 fixed Negligible");
	has_line(&r, "A CVE-2014-1424 debian:10 apparmor [*] fixed=- "
		     "not-affected Negligible");
	customs_free(doc);
	rec_release(&r);
	customs_ctx_free(ctx);
}

/* ---- Alpine, Wolfi, Chainguard ----------------------------------------- */

static const char alp_json[] =
	"{\"apkurl\": \"{{urlprefix}}/{{distroversion}}/{{reponame}}/{{arch}}"
	"/{{pkg.name}}-{{pkg.ver}}.apk\", \"archs\": [\"x86_64\"],"
	" \"reponame\": \"main\", \"urlprefix\": "
	"\"https://apk.alpine.example/alpine\", \"distroversion\": "
	"\"v3.18\", \"packages\": ["
	" {\"pkg\": {\"name\": \"busybox\", \"secfixes\": {"
	"  \"1.36.1-r1\": [\"CVE-2023-0001 TALOS-2023-0002\", "
	"\"CVE-2023-0003\"],"
	"  \"0\": [\"CVE-2023-0004\"], \"1.0-r0\": [7], \"2.0-r0\": null}}},"
	" {\"pkg\": {\"name\": \"musl\", \"secfixes\": {"
	"  \"1.2.4-r1\": [\"CVE-2023-0001\"]}}},"
	" {\"pkg\": {}}]}";

static void test_feeds_alpine_json(void **state)
{
	struct customs_ctx *ctx = new_ctx();
	struct rec r = { 0 };

	(void)state;
	assert_int_equal(run(feed_alpine_parse, alp_json, strlen(alp_json),
			     "main.json", &r, ctx),
			 0);
	assert_string_equal(r.source, "alpine:3.18/main");
	assert_true(r.snapshot);
	assert_int_equal(r.records, 4);
	assert_int_equal(r.rows, 5);
	has_line(&r, "A CVE-2023-0001 alpine:3.18 busybox [< 1.36.1-r1] "
		     "fixed=1.36.1-r1 fixed Unknown");
	has_line(&r, "A CVE-2023-0001 alpine:3.18 musl [< 1.2.4-r1] "
		     "fixed=1.2.4-r1 fixed Unknown");
	has_line(&r, "A TALOS-2023-0002 alpine:3.18 busybox [< 1.36.1-r1] "
		     "fixed=1.36.1-r1 fixed Unknown");
	has_line(&r, "A CVE-2023-0004 alpine:3.18 busybox [*] fixed=- "
		     "not-affected Unknown");
	assert_int_equal(r.warnings, 2); /* the id 7, the package w/o name */
	rec_release(&r);
	customs_ctx_free(ctx);
}

static void alp_ns(const char *doc, const char *want_source)
{
	struct customs_ctx *ctx = new_ctx();
	struct rec r = { 0 };

	assert_int_equal(
		run(feed_alpine_parse, doc, strlen(doc), "sec", &r, ctx),
		want_source ? 0 : CUSTOMS_EFORMAT);
	if (want_source)
		assert_string_equal(r.source, want_source);
	else
		assert_int_equal(r.begins, 0);
	rec_release(&r);
	customs_ctx_free(ctx);
}

static void test_feeds_alpine_namespaces(void **state)
{
	(void)state;
	alp_ns("{\"distroversion\": \"edge\", \"reponame\": \"community\","
	       " \"packages\": []}",
	       "alpine:edge/community");
	alp_ns("{\"apkurl\": \"{{urlprefix}}/{{reponame}}/{{arch}}/x.apk\","
	       " \"urlprefix\": \"https://apk.wolfi.example\", \"reponame\":"
	       " \"os\", \"packages\": []}",
	       "wolfi:rolling/os");
	alp_ns("{\"urlprefix\": \"https://apk.cgr.example\", \"reponame\":"
	       " \"chainguard\", \"packages\": []}",
	       "chainguard:rolling/chainguard");
	alp_ns("{\"reponame\": \"os\", \"packages\": []}", "wolfi:rolling/os");
	alp_ns("{\"reponame\": \"main\", \"packages\": []}", NULL);
	alp_ns("{\"distroversion\": \"v3/../x\", \"packages\": []}", NULL);
	alp_ns("{\"distroversion\": \"v3.18\"}", NULL);
	alp_ns("distroversion: v3.18\nreponame: main\npackages: []\n",
	       "alpine:3.18/main");
	alp_ns("packages: [\n", NULL);
}

struct alp_case {
	const char *file, *source;
	size_t pkgs, fixed, rows, ids;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Distinct "name" (or "name fixed=V") of the "A" lines of r's log. */
static size_t distinct_rows(const struct rec *r, bool with_fixed)
{
	char *copy = customs_strdup(r->log.ptr), *line, *save = NULL, *sp;
	char **keys = calloc(r->rows + 1, sizeof(*keys));
	size_t n = 0, i, d = 0;

	assert_non_null(copy);
	assert_non_null(keys);
	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "A ", 2))
			continue;
		/* "A id ns name [ranges] fixed=V state sev" */
		sp = strchr(strchr(strchr(line + 2, ' ') + 1, ' ') + 1, ' ');
		*sp = '\0';
		keys[n] = strchr(strchr(line + 2, ' ') + 1, ' ') + 1;
		if (with_fixed) {
			*sp = ' ';
			sp = strchr(strstr(sp, "fixed="), ' ');
			*sp = '\0';
		}
		n++;
	}
	qsort(keys, n, sizeof(*keys), cmp_str);
	for (i = 0; i < n; i++)
		d += !i || strcmp(keys[i], keys[i - 1]);
	free(keys);
	customs_free(copy);
	return d;
}

static void alp_real(const struct alp_case *c)
{
	struct customs_ctx *ctx = new_ctx();
	struct rec r = { 0 };
	size_t len;
	char *doc = load(c->file, &len);

	if (!doc)
		skip_absent(ctx);
	assert_int_equal(run(feed_alpine_parse, doc, len, c->file, &r, ctx), 0);
	assert_string_equal(r.source, c->source);
	assert_int_equal(r.rows, c->rows);
	assert_int_equal(r.records, c->ids);
	assert_int_equal(r.warnings, 0);
	/* distinct packages and (package, fixed version) pairs */
	assert_int_equal(distinct_rows(&r, false), c->pkgs);
	assert_int_equal(distinct_rows(&r, true), c->fixed);
	customs_free(doc);
	rec_release(&r);
	customs_ctx_free(ctx);
}

static void test_feeds_alpine_yaml_real(void **state)
{
	static const struct alp_case cases[] = {
		{ "alpine/secdb-2020-v3.11-main.yaml", "alpine:3.11/main", 175,
		  502, 1360, 1256 },
		{ "alpine/secdb-2020-v3.11-community.yaml",
		  "alpine:3.11/community", 85, 239, 895, 830 },
		{ "alpine/secdb-2020-v3.5-main.yaml", "alpine:3.5/main", 131,
		  316, 920, 888 },
		{ "alpine/vunnel-secdb-v3.15-main.yaml", "alpine:3.15/main", 5,
		  12, 13, 13 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		alp_real(&cases[i]);
}

/* ---- NVD ---------------------------------------------------------------- */

#define NVD_HEAD                                                          \
	"{\"resultsPerPage\": 1, \"startIndex\": 0, \"totalResults\": 1," \
	" \"format\": \"NVD_CVE\", \"version\": \"2.0\", "                \
	"\"vulnerabilities\": ["

static const char nvd_doc[] = NVD_HEAD
	"{\"cve\": {\"id\": \"CVE-2020-0001\", \"published\": "
	"\"2020-01-01T00:00:00.000\", \"lastModified\": "
	"\"2020-02-01T00:00:00.000\", \"vulnStatus\": \"Analyzed\","
	" \"descriptions\": [{\"lang\": \"es\", \"value\": \"uno\"},"
	" {\"lang\": \"en\", \"value\": \"one\"}],"
	" \"metrics\": {\"cvssMetricV2\": [{\"source\": \"nvd@nist.gov\","
	" \"type\": \"Primary\", \"cvssData\": {\"version\": \"2.0\","
	" \"vectorString\": \"AV:N/AC:L/Au:N/C:P/I:P/A:P\", \"baseScore\":"
	" 7.5}, \"baseSeverity\": \"HIGH\", \"exploitabilityScore\": 10.0,"
	" \"impactScore\": 6.4}],"
	" \"cvssMetricV40\": [{\"source\": \"cna@x\", \"type\": "
	"\"Secondary\", \"cvssData\": {\"version\": \"4.0\", "
	"\"vectorString\": \"CVSS:4.0/AV:N\", \"baseScore\": 2.1,"
	" \"baseSeverity\": \"LOW\"}}]},"
	" \"weaknesses\": [{\"description\": [{\"lang\": \"en\", \"value\":"
	" \"NVD-CWE-Other\"}, {\"lang\": \"en\", \"value\": \"CWE-79\"}]},"
	" {\"description\": [{\"lang\": \"en\", \"value\": \"CWE-79\"}]}],"
	" \"configurations\": [{\"operator\": \"AND\", \"nodes\": ["
	"  {\"operator\": \"OR\", \"negate\": false, \"cpeMatch\": ["
	"   {\"vulnerable\": true, \"criteria\": "
	"\"cpe:2.3:a:v:p:*:*:*:*:*:*:*:*\", \"versionStartIncluding\": "
	"\"1.0\", \"versionEndExcluding\": \"1.5\"}]},"
	"  {\"operator\": \"OR\", \"negate\": false, \"cpeMatch\": ["
	"   {\"vulnerable\": false, \"criteria\": "
	"\"cpe:2.3:o:linux:linux_kernel:-:*:*:*:*:*:*:*\"}]},"
	"  {\"operator\": \"OR\", \"negate\": true, \"cpeMatch\": ["
	"   {\"vulnerable\": false, \"criteria\": "
	"\"cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*\"}]}]},"
	"  {\"nodes\": [{\"cpeMatch\": [{\"vulnerable\": true, \"criteria\":"
	" \"cpe:2.3:a:v:q:2.0:*:*:*:*:*:*:*\", \"versionEndIncluding\": "
	"\"2.0\", \"versionStartExcluding\": \"0.9\"}]}]}]}},"
	"{\"cve\": {\"id\": \"CVE-2020-0002\", \"vulnStatus\": \"Rejected\","
	" \"lastModified\": \"2021-01-01T00:00:00.000\"}},"
	"{\"nocve\": 1}]}\n" NVD_HEAD
	"{\"cve\": {\"id\": \"CVE-2020-0003\", \"metrics\": {\"cvssMetricV31\":"
	" [{\"source\": \"cna@x\", \"type\": \"Secondary\", \"cvssData\": "
	"{\"version\": \"3.1\", \"baseScore\": 9.8}}, {\"source\": "
	"\"nvd@nist.gov\", \"type\": \"Primary\", \"cvssData\": {\"version\":"
	" \"3.1\", \"baseScore\": 5.0, \"baseSeverity\": \"MEDIUM\"}}]}}}]}";

static void test_feeds_nvd_semantics(void **state)
{
	struct customs_ctx *ctx = new_ctx();
	struct rec r = { 0 };

	(void)state;
	assert_int_equal(run(feed_nvd_parse, nvd_doc, strlen(nvd_doc),
			     "nvd.jsonl", &r, ctx),
			 0);
	assert_string_equal(r.source, "nvd");
	assert_false(r.snapshot);
	assert_int_equal(r.records, 3);
	assert_int_equal(r.warnings, 1); /* {"nocve": 1} */
	/* v4.0 is preferred for the record's own severity */
	has_line(&r, "R CVE-2020-0001 sev=Low w=0 "
		     "link=https://nvd.nist.gov/vuln/detail/CVE-2020-0001 "
		     "mod=2020-02-01T00:00:00.000");
	has_line(&r, "C CVE-2020-0001 4.0 CVSS:4.0/AV:N 2.1 -1.0 -1.0 cna@x 0");
	has_line(&r, "C CVE-2020-0001 2.0 AV:N/AC:L/Au:N/C:P/I:P/A:P 7.5 10.0 "
		     "6.4 nvd@nist.gov 1");
	assert_int_equal(count_prefix(&r, "W CVE-2020-0001 "), 1);
	has_line(&r, "W CVE-2020-0001 CWE-79");
	/* the negated node is dropped; config indexes group AND nodes */
	assert_int_equal(r.cpes, 3);
	has_line(&r, "P CVE-2020-0001 0 1 cpe:2.3:a:v:p:*:*:*:*:*:*:*:* 1.0 - "
		     "- 1.5");
	has_line(&r, "P CVE-2020-0001 0 0 "
		     "cpe:2.3:o:linux:linux_kernel:-:*:*:*:*:*:*:* - - - -");
	has_line(&r,
		 "P CVE-2020-0001 1 1 cpe:2.3:a:v:q:2.0:*:*:*:*:*:*:* - 0.9 "
		 "2.0 -");
	has_line(&r, "R CVE-2020-0002 sev=Unknown w=1 "
		     "link=https://nvd.nist.gov/vuln/detail/CVE-2020-0002 "
		     "mod=2021-01-01T00:00:00.000");
	/* the Primary metric of the version rates the record */
	has_line(&r, "R CVE-2020-0003 sev=Medium w=0 "
		     "link=https://nvd.nist.gov/vuln/detail/CVE-2020-0003 "
		     "mod=-");
	rec_release(&r);
	customs_ctx_free(ctx);
}

static void test_feeds_nvd_rejects_other_documents(void **state)
{
	struct customs_ctx *ctx = new_ctx();
	struct rec r = { 0 };
	static const char osv[] = "{\"id\": \"GHSA-1\", \"affected\": []}";

	(void)state;
	assert_int_equal(
		run(feed_nvd_parse, osv, strlen(osv), "o.json", &r, ctx),
		CUSTOMS_EFORMAT);
	assert_int_equal(r.begins, 0);
	assert_non_null(strstr(customs_ctx_errmsg(ctx), "o.json"));
	rec_release(&r);
	assert_int_equal(run(feed_nvd_parse,
			     "{\"vulnerabilities\": [{\"cveID\": "
			     "\"CVE-1\"}]}",
			     41, "kev.json", &r, ctx),
			 CUSTOMS_EFORMAT);
	assert_int_equal(r.begins, 0);
	rec_release(&r);
	assert_int_equal(run(feed_nvd_parse, " \n", 2, "e.json", &r, ctx),
			 CUSTOMS_EFORMAT);
	rec_release(&r);
	assert_int_equal(run(feed_nvd_parse, NVD_HEAD "]} x",
			     strlen(NVD_HEAD "]} x"), "t.json", &r, ctx),
			 CUSTOMS_EFORMAT);
	rec_release(&r);
	customs_ctx_free(ctx);
}

static void test_feeds_nvd_real(void **state)
{
	struct customs_ctx *ctx = new_ctx();
	struct rec r = { 0 };
	size_t len;
	char *doc = load("nvd/vunnel-nvd-2.0-page.json", &len);

	(void)state;
	if (!doc)
		skip_absent(ctx);
	assert_int_equal(run(feed_nvd_parse, doc, len, "page", &r, ctx), 0);
	assert_int_equal(r.records, 38);
	assert_int_equal(r.cvss, 48);
	assert_int_equal(r.cpes, 56);
	assert_int_equal(r.cwes, 33);
	assert_int_equal(r.warnings, 0);
	has_line(&r, "C CVE-2023-27314 3.1 "
		     "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H 7.5 3.9 3.6 "
		     "nvd@nist.gov 1");
	has_line(&r, "W CVE-2023-27314 CWE-400");
	customs_free(doc);
	rec_release(&r);
	doc = load("nvd/osvdev-nvd-2.0-responses.jsonl.gz", &len);
	assert_non_null(doc);
	assert_int_equal(run(feed_nvd_parse, doc, len, "lines", &r, ctx), 0);
	assert_int_equal(r.records, 23);
	assert_int_equal(r.cvss, 38);
	assert_int_equal(r.cpes, 66);
	assert_int_equal(r.cwes, 22);
	has_line(&r, "R CVE-2024-3094 sev=Critical w=0 "
		     "link=https://nvd.nist.gov/vuln/detail/CVE-2024-3094 "
		     "mod=2026-06-17T07:43:17.830");
	has_line(&r, "P CVE-2024-3094 0 1 cpe:2.3:a:tukaani:xz:5.6.0:*:*:*:*:*:"
		     "*:* - - - -");
	has_line(&r, "W CVE-2024-3094 CWE-506");
	customs_free(doc);
	rec_release(&r);
	doc = load("nvd/vunnel-nvd-2.0-single.json", &len);
	assert_non_null(doc);
	assert_int_equal(run(feed_nvd_parse, doc, len, "single", &r, ctx), 0);
	assert_int_equal(r.records, 1);
	assert_int_equal(r.warnings, 0);
	customs_free(doc);
	rec_release(&r);
	customs_ctx_free(ctx);
}

/* ---- KEV ---------------------------------------------------------------- */

static void test_feeds_kev_json_and_csv(void **state)
{
	struct customs_ctx *ctx = new_ctx();
	struct rec r = { 0 };
	struct cbuf json_log = CBUF_INIT((size_t)64 << 20);
	size_t len;
	char *doc = load("kev/known_exploited_vulnerabilities.json", &len);

	(void)state;
	if (!doc)
		skip_absent(ctx);
	assert_int_equal(run(feed_kev_parse, doc, len, "kev.json", &r, ctx), 0);
	assert_string_equal(r.source, "kev");
	assert_true(r.snapshot);
	assert_int_equal(r.kev, 1404);
	assert_int_equal(r.warnings, 0);
	has_line(&r, "K CVE-2025-48384|Git|Git|Git Link Following "
		     "Vulnerability|2025-08-25|2025-09-15|0");
	cbuf_puts(&json_log, r.log.ptr);
	customs_free(doc);
	rec_release(&r);
	doc = load("kev/known_exploited_vulnerabilities.csv", &len);
	assert_non_null(doc);
	assert_int_equal(run(feed_kev_parse, doc, len, "kev.csv", &r, ctx), 0);
	assert_int_equal(r.kev, 1404);
	assert_int_equal(r.warnings, 0);
	/* the same catalogue in both forms gives the same entries */
	assert_string_equal(r.log.ptr, json_log.ptr);
	assert_true(count_prefix(&r, "K ") == 1404);
	customs_free(doc);
	rec_release(&r);
	cbuf_release(&json_log);
	customs_ctx_free(ctx);
}

static void test_feeds_kev_snippets(void **state)
{
	struct customs_ctx *ctx = new_ctx();
	struct rec r = { 0 };
	static const char json[] =
		"{\"catalogVersion\": \"1\", \"vulnerabilities\": ["
		"{\"cveID\": \"CVE-1\", \"vendorProject\": \"V\", "
		"\"knownRansomwareCampaignUse\": \"Known\"}, {\"product\": "
		"\"x\"}]}";
	static const char csv[] =
		"cveID,vendorProject,product,vulnerabilityName,dateAdded,"
		"shortDescription,requiredAction,dueDate,"
		"knownRansomwareCampaignUse,notes,cwes\r\n"
		"CVE-2,\"A, \"\"B\"\"\",P,\"multi\nline\",2025-01-01,d,a,"
		"2025-02-01,Known,n,\r\n\r\n,,,,,,,,,,\n";

	(void)state;
	assert_int_equal(
		run(feed_kev_parse, json, strlen(json), "k.json", &r, ctx), 0);
	assert_int_equal(r.kev, 1);
	assert_int_equal(r.warnings, 1);
	has_line(&r, "K CVE-1|V|-|-|-|-|1");
	rec_release(&r);
	assert_int_equal(
		run(feed_kev_parse, csv, strlen(csv), "k.csv", &r, ctx), 0);
	assert_int_equal(r.kev, 1);
	has_line(&r, "K CVE-2|A, \"B\"|P|multi\nline|2025-01-01|2025-02-01|1");
	assert_non_null(strstr(r.warns.ptr, "k.csv: line 5: no cveID"));
	rec_release(&r);
	assert_int_equal(
		run(feed_kev_parse, "cveID,x\n\"open", 14, "b.csv", &r, ctx),
		CUSTOMS_EFORMAT);
	assert_non_null(strstr(customs_ctx_errmsg(ctx), "b.csv: line 2"));
	rec_release(&r);
	assert_int_equal(
		run(feed_kev_parse, "{\"a\": 1}", 8, "n.json", &r, ctx),
		CUSTOMS_EFORMAT);
	assert_int_equal(r.begins, 0);
	rec_release(&r);
	assert_int_equal(
		run(feed_kev_parse, nvd_doc, strlen(nvd_doc), "nvd", &r, ctx),
		CUSTOMS_EFORMAT);
	assert_int_equal(r.begins, 0);
	rec_release(&r);
	customs_ctx_free(ctx);
}

static void test_feeds_kev_vunnel_catalog(void **state)
{
	struct customs_ctx *ctx = new_ctx();
	struct rec r = { 0 };
	size_t len;
	char *doc = load("kev/vunnel-valid-catalog-1.json", &len);

	(void)state;
	if (!doc)
		skip_absent(ctx);
	assert_int_equal(run(feed_kev_parse, doc, len, "v.json", &r, ctx), 0);
	assert_int_equal(r.kev, 3);
	has_line(&r, "K CVE-2025-0108|Palo Alto Networks|PAN-OS|Palo Alto "
		     "Networks PAN-OS Authentication Bypass "
		     "Vulnerability|2025-02-18|2025-03-11|0");
	customs_free(doc);
	rec_release(&r);
	customs_ctx_free(ctx);
}

/* ---- EPSS --------------------------------------------------------------- */

static void test_feeds_epss_files(void **state)
{
	struct customs_ctx *ctx = new_ctx();
	struct rec r = { 0 };
	size_t len;
	char *doc = load("epss/vunnel-example-1.csv", &len);

	(void)state;
	if (!doc)
		skip_absent(ctx);
	assert_int_equal(run(feed_epss_parse, doc, len, "ex.csv", &r, ctx), 0);
	assert_string_equal(r.source, "epss");
	assert_true(r.snapshot);
	assert_int_equal(r.epss, 5);
	assert_int_equal(r.warnings, 0);
	assert_string_equal(r.model, "v2023.03.01");
	assert_string_equal(r.date, "2025-02-20T00:00:00+0000");
	has_line(&r, "E CVE-1999-0005 0.91963 0.99214");
	customs_free(doc);
	rec_release(&r);

	doc = load("epss/vunnel-invalid-header.csv", &len);
	assert_non_null(doc);
	assert_int_equal(run(feed_epss_parse, doc, len, "bad.csv", &r, ctx),
			 CUSTOMS_EFORMAT);
	assert_non_null(strstr(customs_ctx_errmsg(ctx), "bad.csv: line 2"));
	assert_int_equal(r.begins, 0);
	customs_free(doc);
	rec_release(&r);

	doc = load("epss/vunnel-missing-date.csv", &len);
	assert_non_null(doc);
	assert_int_equal(run(feed_epss_parse, doc, len, "nodate.csv", &r, ctx),
			 0);
	assert_int_equal(r.epss, 5);
	assert_true(r.meta);
	assert_true(r.meta_date_null);
	assert_string_equal(r.model, "v2023.03.01");
	assert_int_equal(r.warnings, 1);
	assert_non_null(
		strstr(r.warns.ptr, "nodate.csv: line 1: no score_date"));
	customs_free(doc);
	rec_release(&r);
	customs_ctx_free(ctx);
}

static void test_feeds_epss_rows(void **state)
{
	struct customs_ctx *ctx = new_ctx();
	struct rec r = { 0 };
	static const char csv[] = "cve,epss,percentile\r\n"
				  "CVE-1,0.5,0.25\r\n"
				  "CVE-2,1.5,0.1\n"
				  "CVE-3,x,0.1\n"
				  "CVE-4,0.1\n"
				  "\n"
				  "CVE-5,0,1";

	(void)state;
	assert_int_equal(
		run(feed_epss_parse, csv, strlen(csv), "r.csv", &r, ctx), 0);
	assert_int_equal(r.epss, 2);
	has_line(&r, "E CVE-1 0.50000 0.25000");
	has_line(&r, "E CVE-5 0.00000 1.00000");
	/* no comment line, CVE-2 (> 1), CVE-3, CVE-4 */
	assert_int_equal(r.warnings, 4);
	assert_non_null(strstr(r.warns.ptr, "r.csv: line 3: bad EPSS row"));
	assert_false(r.meta);
	rec_release(&r);
	assert_int_equal(run(feed_epss_parse, "", 0, "e.csv", &r, ctx),
			 CUSTOMS_EFORMAT);
	rec_release(&r);
	customs_ctx_free(ctx);
}

/* ---- detection ---------------------------------------------------------- */

static void test_feeds_detection(void **state)
{
	static const char kev_schema[] =
		"{\"$schema\": \"x\", \"catalogVersion\":";
	static const char readme[] =
		"# data\n\nThe secdb files hold `{apkurl, distroversion, "
		"packages: [{pkg: {name, secfixes: ...}}]}`.\n";
	static const char osv[] = "{\"id\": \"GHSA-x\", \"modified\": \"x\","
				  " \"affected\": []}";
	static const char yaml[] = "apkurl: '{{urlprefix}}'\narchs:\n";

	(void)state;
	assert_true(feed_debian_detect(deb_doc, sizeof(deb_doc) - 1, NULL));
	assert_true(
		feed_debian_detect(" { \"x\" : {\n \"TEMP-1\": {", 25, NULL));
	assert_false(feed_debian_detect(osv, strlen(osv), NULL));
	assert_false(feed_debian_detect(nvd_doc, 200, NULL));
	assert_true(feed_alpine_detect(alp_json, 200, NULL));
	assert_true(feed_alpine_detect(yaml, strlen(yaml), NULL));
	assert_false(feed_alpine_detect(osv, strlen(osv), NULL));
	assert_false(feed_alpine_detect(deb_doc, 200, NULL));
	/* prose that names the keys (a data README) is no secdb */
	assert_false(feed_alpine_detect(readme, strlen(readme), NULL));
	assert_true(feed_nvd_detect(nvd_doc, 200, NULL));
	assert_false(feed_nvd_detect(osv, strlen(osv), NULL));
	assert_false(feed_nvd_detect(deb_doc, 200, NULL));
	assert_true(feed_kev_detect(
		"{\"title\": \"t\", \"catalogVersion\":", 32, NULL));
	assert_true(feed_kev_detect("cveID,vendorProject", 19, NULL));
	assert_false(feed_kev_detect(osv, strlen(osv), NULL));
	assert_false(feed_kev_detect(nvd_doc, 200, NULL));
	/* the catalogue's own JSON schema names its keys too */
	assert_false(feed_kev_detect(kev_schema, strlen(kev_schema), NULL));
	assert_true(
		feed_epss_detect("#model_version:v1,score_date:x\n", 31, NULL));
	assert_true(feed_epss_detect("cve,epss,percentile\n", 20, NULL));
	assert_false(feed_epss_detect("cveID,vendorProject", 19, NULL));
	assert_false(feed_epss_detect(osv, strlen(osv), NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_feeds_debian_semantics),
		cmocka_unit_test(test_feeds_debian_rejects_other_documents),
		cmocka_unit_test(test_feeds_debian_sink_stops),
		cmocka_unit_test(test_feeds_debian_bookworm_sample),
		cmocka_unit_test(test_feeds_debian_fixtures),
		cmocka_unit_test(test_feeds_alpine_json),
		cmocka_unit_test(test_feeds_alpine_namespaces),
		cmocka_unit_test(test_feeds_alpine_yaml_real),
		cmocka_unit_test(test_feeds_nvd_semantics),
		cmocka_unit_test(test_feeds_nvd_rejects_other_documents),
		cmocka_unit_test(test_feeds_nvd_real),
		cmocka_unit_test(test_feeds_kev_json_and_csv),
		cmocka_unit_test(test_feeds_kev_snippets),
		cmocka_unit_test(test_feeds_kev_vunnel_catalog),
		cmocka_unit_test(test_feeds_epss_files),
		cmocka_unit_test(test_feeds_epss_rows),
		cmocka_unit_test(test_feeds_detection),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
