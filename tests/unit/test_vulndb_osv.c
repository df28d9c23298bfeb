/*
 * Unit tests of the OSV parser (src/vulndb/feed_osv.c, osv_affected.c)
 * on hand-written records, one per edge case, through a sink that keeps
 * what it receives; detection and format dispatch; and the CVSS scores
 * against every (vector, baseScore) pair NVD publishes in
 * shared/vulndata/nvd (skipped, saying so, when that data is absent).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <jansson.h>
#include <zlib.h>
#include <cmocka.h>

#include "customs/vulndb.h"
#include "vulndb/vulndb_int.h"
#include "util/banned.h"

#define MAXA 8

struct got_aff {
	char ns[64], name[128], ranges[256], versions[256], fixed[128];
	enum customs_version_scheme scheme;
	enum customs_fix_state fix;
	enum customs_severity sev;
};

struct got {
	int records, warnings;
	char id[64], aliases[256], last_warning[512], link[256];
	bool withdrawn;
	enum customs_severity sev;
	size_t n_cvss, n_aff;
	double base;
	struct got_aff aff[MAXA];
};

static int g_begin(void *arg, const char *source, bool snapshot)
{
	(void)arg;
	assert_null(source);
	assert_false(snapshot);
	return 0;
}

static void joinv(char *out, size_t n, const char *const *v, size_t k,
		  const char *sep)
{
	out[0] = 0;
	for (size_t i = 0; i < k; i++) {
		size_t l = strlen(out);

		snprintf(out + l, n - l, "%s%s", i ? sep : "", v[i]);
	}
}

static int g_record(void *arg, const struct customs_vuln_record *r)
{
	struct got *g = arg;

	g->records++;
	snprintf(g->id, sizeof(g->id), "%s", r->id);
	snprintf(g->link, sizeof(g->link), "%s", r->link ? r->link : "");
	joinv(g->aliases, sizeof(g->aliases), r->aliases, r->n_aliases, ",");
	g->withdrawn = r->withdrawn;
	g->sev = r->severity;
	g->n_cvss = r->n_cvss;
	g->base = r->n_cvss ? r->cvss[0].base_score : -1;
	g->n_aff = r->n_affected;
	for (size_t i = 0; i < r->n_affected && i < MAXA; i++) {
		const struct customs_vuln_affected *a = &r->affected[i];
		struct got_aff *o = &g->aff[i];

		snprintf(o->ns, sizeof(o->ns), "%s", a->namespace);
		snprintf(o->name, sizeof(o->name), "%s", a->name);
		snprintf(o->ranges, sizeof(o->ranges), "%s",
			 a->ranges ? a->ranges : "");
		joinv(o->versions, sizeof(o->versions), a->versions,
		      a->n_versions, ",");
		joinv(o->fixed, sizeof(o->fixed), a->fixed, a->n_fixed, ",");
		o->scheme = a->scheme;
		o->fix = a->fix_state;
		o->sev = a->severity;
	}
	return 0;
}

static void g_warn(void *arg, const char *msg)
{
	struct got *g = arg;

	g->warnings++;
	snprintf(g->last_warning, sizeof(g->last_warning), "%s", msg);
}

static int parse(struct got *g, const char *json)
{
	struct customs_vuln_sink sink = {
		g_begin, g_record, NULL, NULL, NULL, g
	};

	memset(g, 0, sizeof(*g));
	return customs_feed_parse(CUSTOMS_FEED_AUTO, json, strlen(json),
				  "t.json", &sink, g_warn, g, NULL);
}

static void test_vulndb_osv_multi_introduced(void **state)
{
	struct got g;

	(void)state;
	assert_int_equal(
		parse(&g,
		      "{\"id\":\"GHSA-1\",\"modified\":\"2024-01-01T00:00:"
		      "00Z\","
		      "\"affected\":[{\"package\":{\"ecosystem\":\"npm\","
		      "\"name\":\"Axios\"},\"ranges\":[{\"type\":\"SEMVER\","
		      "\"events\":[{\"introduced\":\"0\"},{\"fixed\":"
		      "\"0.21.1\"},{\"introduced\":\"1.0.0\"},{\"fixed\":"
		      "\"1.6.0\"},{\"introduced\":\"2.0.0-beta.1\"}]}]}]}"),
		0);
	assert_int_equal(g.records, 1);
	assert_int_equal(g.n_aff, 1);
	assert_string_equal(g.aff[0].ns, "npm");
	assert_string_equal(g.aff[0].name, "Axios");
	assert_int_equal(g.aff[0].scheme, CUSTOMS_VERSION_NPM);
	assert_string_equal(g.aff[0].ranges,
			    "< 0.21.1 || >= 1.0.0, < 1.6.0 || >= 2.0.0-beta.1");
	assert_string_equal(g.aff[0].fixed, "0.21.1,1.6.0");
	assert_int_equal(g.aff[0].fix, CUSTOMS_FIX_FIXED);
}

static void test_vulndb_osv_last_affected_and_limit(void **state)
{
	struct got g;

	(void)state;
	assert_int_equal(
		parse(&g, "{\"id\":\"PYSEC-1\",\"modified\":\"x\",\"affected\":"
			  "[{\"package\":{\"ecosystem\":\"PyPI\",\"name\":"
			  "\"Jinja2\"},\"ranges\":[{\"type\":\"ECOSYSTEM\","
			  "\"events\":[{\"introduced\":\"2.0\"},"
			  "{\"last_affected\":\"2.10.1\"}]},{\"type\":"
			  "\"ECOSYSTEM\",\"events\":[{\"introduced\":\"3.0\"},"
			  "{\"limit\":\"3.1\"}]}]}]}"),
		0);
	assert_string_equal(g.aff[0].ranges,
			    ">= 2.0, <= 2.10.1 || >= 3.0, < 3.1");
	assert_string_equal(g.aff[0].fixed, "");
	assert_int_equal(g.aff[0].fix, CUSTOMS_FIX_NOT_FIXED);
	assert_int_equal(g.aff[0].scheme, CUSTOMS_VERSION_PEP440);
}

static void test_vulndb_osv_versions_and_git(void **state)
{
	struct got g;

	(void)state;
	/* GIT ranges cannot be matched: only versions[] remain */
	assert_int_equal(
		parse(&g,
		      "{\"id\":\"PYSEC-2\",\"modified\":\"x\",\"affected\":"
		      "[{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"a\"},"
		      "\"ranges\":[{\"type\":\"GIT\",\"repo\":\"r\","
		      "\"events\":[{\"introduced\":\"0\"},{\"fixed\":"
		      "\"abc123\"}]}],\"versions\":[\"0.1\",\"0.2\"]}]}"),
		0);
	assert_int_equal(g.n_aff, 1);
	assert_string_equal(g.aff[0].ranges, "");
	assert_string_equal(g.aff[0].versions, "0.1,0.2");
	/* GIT only, no versions: nothing to match, no row */
	assert_int_equal(
		parse(&g, "{\"id\":\"OSV-1\",\"modified\":\"x\",\"affected\":"
			  "[{\"package\":{\"ecosystem\":\"OSS-Fuzz\",\"name\":"
			  "\"b\"},\"ranges\":[{\"type\":\"GIT\",\"events\":"
			  "[{\"introduced\":\"abc\"}]}]}]}"),
		0);
	assert_int_equal(g.records, 1);
	assert_int_equal(g.n_aff, 0);
}

static void test_vulndb_osv_withdrawn_aliases(void **state)
{
	struct got g;

	(void)state;
	assert_int_equal(
		parse(&g,
		      "{\"id\":\"ALSA-2025:1\",\"modified\":\"x\","
		      "\"withdrawn\":"
		      "\"2024-05-01T00:00:00Z\",\"summary\":\"Important: x\","
		      "\"aliases\":[\"GHSA-a\"],\"upstream\":[\"CVE-2024-1\"],"
		      "\"related\":[\"CVE-2024-2\",\"GHSA-a\"],\"references\":"
		      "[{\"type\":\"REPORT\",\"url\":\"https://"
		      "access.redhat.com"
		      "/security/cve/CVE-2025-6424\"},{\"type\":\"ADVISORY\","
		      "\"url\":\"https://errata.almalinux.org/9/"
		      "ALSA-1.html\"}]}"),
		0);
	assert_true(g.withdrawn);
	assert_string_equal(g.aliases,
			    "GHSA-a,CVE-2024-1,CVE-2024-2,CVE-2025-6424");
	assert_string_equal(g.link,
			    "https://errata.almalinux.org/9/ALSA-1.html");
	assert_int_equal(g.sev, CUSTOMS_SEVERITY_HIGH);
}

static void test_vulndb_osv_package_absent(void **state)
{
	struct got g;

	(void)state;
	assert_int_equal(parse(&g,
			       "{\"id\":\"PSF-2007-1\",\"modified\":\"x\","
			       "\"affected\":[{\"ranges\":[{\"type\":\"GIT\","
			       "\"repo\":\"https://github.com/python/cpython\","
			       "\"events\":[{\"introduced\":\"0\"}]}]}]}"),
			 0);
	assert_int_equal(g.records, 1);
	assert_int_equal(g.n_aff, 0);
	assert_int_equal(g.warnings, 0);
}

static void test_vulndb_osv_go_custom_ranges_stdlib(void **state)
{
	struct got g;

	(void)state;
	assert_int_equal(
		parse(&g,
		      "{\"id\":\"GO-2023-1\",\"modified\":\"0001-01-01T00:00:"
		      "00Z\",\"affected\":[{\"package\":{\"name\":\"stdlib\","
		      "\"ecosystem\":\"Go\"},\"ranges\":[{\"type\":\"SEMVER\","
		      "\"events\":[{\"introduced\":\"1.16.0-0\"},{\"fixed\":"
		      "\"1.16.1\"}]}]},{\"package\":{\"name\":\"github.com/"
		      "p/go/v5\",\"ecosystem\":\"Go\"},\"ranges\":[{\"type\":"
		      "\"SEMVER\",\"events\":[{\"introduced\":\"0\"}]}],"
		      "\"ecosystem_specific\":{\"custom_ranges\":[{\"type\":"
		      "\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},"
		      "{\"fixed\":\"5.0.4-0.20231016150651-428517fef5b9\"}]}"
		      "]}}]}"),
		0);
	assert_int_equal(g.n_aff, 2);
	assert_string_equal(g.aff[0].ns, "go");
	assert_string_equal(g.aff[0].name, "stdlib");
	assert_int_equal(g.aff[0].scheme, CUSTOMS_VERSION_GO);
	assert_string_equal(g.aff[0].ranges, ">= 1.16.0-0, < 1.16.1");
	assert_string_equal(g.aff[1].ranges,
			    "< 5.0.4-0.20231016150651-428517fef5b9");
}

static void test_vulndb_osv_distro_namespaces(void **state)
{
	static const char *const ecos[][3] = {
		{ "Debian:12", "debian:12", "1.2-1" },
		{ "Ubuntu:22.04:LTS", "ubuntu:22.04", "1.2-1ubuntu1" },
		{ "Ubuntu:Pro:16.04:LTS", "ubuntu:16.04", "1.2-1" },
		{ "Alpine:v3.18", "alpine:3.18", "1.2-r1" },
		{ "AlmaLinux:9", "almalinux:9", "1:1.2-1.el9" },
		{ "Rocky Linux:9", "rocky:9", "1.2-1.el9" },
		{ "Bitnami", "bitnami", "1.2.3" },
		{ "crates.io", "crates.io", "1.2.3" },
		{ "Packagist", "packagist", "1.2.3" },
	};
	char doc[1024];
	struct got g;

	(void)state;
	for (size_t i = 0; i < sizeof(ecos) / sizeof(ecos[0]); i++) {
		snprintf(
			doc, sizeof(doc),
			"{\"id\":\"X-%zu\",\"modified\":\"x\",\"affected\":"
			"[{\"package\":{\"ecosystem\":\"%s\",\"name\":\"Src\"},"
			"\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":"
			"[{\"introduced\":\"0\"},{\"fixed\":\"%s\"}]}]}]}",
			i, ecos[i][0], ecos[i][2]);
		assert_int_equal(parse(&g, doc), 0);
		assert_int_equal(g.n_aff, 1);
		assert_string_equal(g.aff[0].ns, ecos[i][1]);
		assert_string_equal(g.aff[0].name, "Src");
	}
	assert_int_equal(g.warnings, 0);
}

static void test_vulndb_osv_invalid_bound_skips_entry(void **state)
{
	struct got g;

	(void)state;
	assert_int_equal(
		parse(&g,
		      "{\"id\":\"PYSEC-3\",\"modified\":\"x\",\"affected\":"
		      "[{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"t\"},"
		      "\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":"
		      "[{\"introduced\":\"0\"},{\"last_affected\":"
		      "\"2.5.0-NA\"}]}]},{\"package\":{\"ecosystem\":\"PyPI\","
		      "\"name\":\"u\"},\"ranges\":[{\"type\":\"ECOSYSTEM\","
		      "\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"1.0\"}"
		      "]}]}]}"),
		0);
	assert_int_equal(g.warnings, 1);
	assert_non_null(strstr(g.last_warning, "t.json: PYSEC-3: affected[0] "
					       "(t): skipped: last_affected "
					       "'2.5.0-NA'"));
	assert_int_equal(g.n_aff, 1);
	assert_string_equal(g.aff[0].name, "u");
}

static void test_vulndb_osv_severity_informational(void **state)
{
	struct got g;

	(void)state;
	assert_int_equal(
		parse(&g,
		      "{\"id\":\"RUSTSEC-1\",\"modified\":\"x\",\"severity\":"
		      "[{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N/AC:L/"
		      "PR:N/UI:N/S:U/C:H/I:H/A:H\"},{\"type\":\"CVSS_V4\","
		      "\"score\":\"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/"
		      "VI:H/VA:H/SC:N/SI:N/SA:N\"}],\"database_specific\":"
		      "{\"severity\":\"MODERATE\"},\"affected\":[{\"package\":"
		      "{\"ecosystem\":\"crates.io\",\"name\":\"x\"},"
		      "\"database_specific\":{\"informational\":"
		      "\"unmaintained\"},\"ranges\":[{\"type\":\"SEMVER\","
		      "\"events\":[{\"introduced\":\"0\"}]}]}]}"),
		0);
	assert_int_equal(g.sev, CUSTOMS_SEVERITY_MEDIUM);
	assert_int_equal(g.n_cvss, 2);
	assert_true(g.base == 9.8);
	assert_int_equal(g.n_aff, 0);
}

static void test_vulndb_osv_array_lines_and_errors(void **state)
{
	struct got g;

	(void)state;
	assert_int_equal(parse(&g, "[{\"id\":\"A\",\"modified\":\"1\"},"
				   "{\"id\":\"B\",\"modified\":\"1\"}]"),
			 0);
	assert_int_equal(g.records, 2);
	assert_int_equal(parse(&g, "{\"id\":\"A\",\"modified\":\"1\"}\n"
				   "{\"id\":\"B\",\"modified\":\"1\"}\n"
				   "{\"modified\":\"1\"}\n"),
			 0);
	assert_int_equal(g.records, 2);
	assert_int_equal(g.warnings, 1);
	assert_int_equal(parse(&g, "{\"id\":\"A\",\"modified\":\"1\"}\n{\"id"),
			 CUSTOMS_EFORMAT);
	assert_int_equal(parse(&g, "hello"), CUSTOMS_EFORMAT);
	/* (with "catalogVersion" it is a KEV catalogue, detected as such) */
	assert_int_equal(parse(&g, "{\"title\":\"x\",\"vulnerabilities\":[]}"),
			 CUSTOMS_EFORMAT);
}

/* ---- CVSS ------------------------------------------------------------ */

static void test_vulndb_cvss_known(void **state)
{
	static const struct {
		const char *v;
		double base, expl, impact;
	} cases[] = {
		{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, 3.9,
		  5.9 },
		{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0, 3.9,
		  6.0 },
		{ "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 6.4, 3.1,
		  2.7 },
		{ "CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:N", 0.0, 1.8, 0 },
		{ "AV:N/AC:L/Au:N/C:P/I:P/A:P", 7.5, 10.0, 6.4 },
		{ "(AV:N/AC:M/Au:N/C:N/I:P/A:N)", 4.3, 8.6, 2.9 },
	};
	struct customs_cvss c;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(vulndb_cvss_compute(cases[i].v, &c), 0);
		assert_true(c.base_score == cases[i].base);
		assert_true(c.exploitability_score == cases[i].expl);
		assert_true(c.impact_score == cases[i].impact);
	}
	assert_int_equal(vulndb_cvss_compute("CVSS:4.0/AV:N", &c), 0);
	assert_string_equal(c.version, "4.0");
	assert_true(c.base_score < 0);
	assert_int_equal(vulndb_cvss_compute("CVSS:3.1/AV:N/AC:L", &c),
			 CUSTOMS_EFORMAT);
	assert_int_equal(vulndb_cvss_compute("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:"
					     "U/C:H/I:H/A:H",
					     &c),
			 CUSTOMS_EFORMAT);
}

struct nvd_tally {
	int pairs, bad;
};

static void check_metric(struct nvd_tally *t, json_t *m)
{
	json_t *d = json_object_get(m, "cvssData");
	const char *v = json_string_value(json_object_get(d, "vectorString"));
	double want = json_number_value(json_object_get(d, "baseScore"));
	struct customs_cvss c;

	if (!v)
		return;
	t->pairs++;
	if (vulndb_cvss_compute(v, &c) || c.base_score != want) {
		t->bad++;
		printf("# %s: computed %.1f, NVD %.1f\n", v, c.base_score,
		       want);
	}
}

/* Every cvssMetricV2/V30/V31 entry anywhere under v. */
static void walk(struct nvd_tally *t, json_t *v)
{
	const char *k;
	json_t *x, *m;
	size_t i;

	if (json_is_array(v)) {
		json_array_foreach(v, i, x) walk(t, x);
		return;
	}
	json_object_foreach(v, k, x)
	{
		if (!strncmp(k, "cvssMetricV2", 12) ||
		    !strncmp(k, "cvssMetricV3", 12)) {
			json_array_foreach(x, i, m) check_metric(t, m);
		} else if (json_is_object(x) || json_is_array(x)) {
			walk(t, x);
		}
	}
}

static void walk_file(struct nvd_tally *t, const char *path)
{
	gzFile f = gzopen(path, "rb");
	static char line[1 << 22];
	json_t *v;

	assert_non_null(f);
	while (gzgets(f, line, sizeof(line))) {
		v = json_loads(line, JSON_DECODE_ANY, NULL);
		if (v)
			walk(t, v);
		json_decref(v);
	}
	gzclose(f);
}

static void test_vulndb_cvss_matches_nvd(void **state)
{
	const char *dir = getenv("CUSTOMS_SHARED_DIR");
	char path[1024], base[900];
	struct nvd_tally t = { 0, 0 };
	struct dirent *e;
	json_t *v;
	DIR *d;

	(void)state;
	snprintf(base, sizeof(base), "%s/vulndata/nvd",
		 dir ? dir : CUSTOMS_TEST_SRCDIR "/../../shared");
	d = opendir(base);
	if (!d) {
		printf("# skipped: no NVD data at %s\n", base);
		skip();
	}
	while ((e = readdir(d)) != NULL) {
		snprintf(path, sizeof(path), "%s/%s", base, e->d_name);
		if (strstr(e->d_name, ".jsonl.gz")) {
			walk_file(&t, path);
		} else if (strstr(e->d_name, ".json")) {
			v = json_load_file(path, 0, NULL);
			assert_non_null(v);
			walk(&t, v);
			json_decref(v);
		}
	}
	closedir(d);
	printf("# %d NVD (vector, baseScore) pairs\n", t.pairs);
	assert_true(t.pairs >= 80);
	assert_int_equal(t.bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vulndb_osv_multi_introduced),
		cmocka_unit_test(test_vulndb_osv_last_affected_and_limit),
		cmocka_unit_test(test_vulndb_osv_versions_and_git),
		cmocka_unit_test(test_vulndb_osv_withdrawn_aliases),
		cmocka_unit_test(test_vulndb_osv_package_absent),
		cmocka_unit_test(test_vulndb_osv_go_custom_ranges_stdlib),
		cmocka_unit_test(test_vulndb_osv_distro_namespaces),
		cmocka_unit_test(test_vulndb_osv_invalid_bound_skips_entry),
		cmocka_unit_test(test_vulndb_osv_severity_informational),
		cmocka_unit_test(test_vulndb_osv_array_lines_and_errors),
		cmocka_unit_test(test_vulndb_cvss_known),
		cmocka_unit_test(test_vulndb_cvss_matches_nvd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
