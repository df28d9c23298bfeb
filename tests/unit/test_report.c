/*
 * Unit tests of the vulnerability report writers (src/report): golden
 * files for SARIF, CycloneDX and JUnit from a hand-built match result
 * (three packages; findings fixed, not fixed and won't fix; one
 * vulnerability on two packages; findings suppressed by VEX, an ignore
 * rule and a distro not-affected row), then exact values read back with
 * jansson: rule per id, rule indexes, levels, security-severity,
 * suppressions, CycloneDX ratings, affects, analysis states, and the
 * error paths.
 *
 * CUSTOMS_UPDATE_GOLDEN=1 rewrites tests/golden/report.* from the writers
 * (review the diff before committing it).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "customs/report.h"
#include "customs/sbom.h"
#include "util/banned.h"

#define GOLDEN CUSTOMS_TEST_SRCDIR "/golden/"

static const char *const L0 =
	"sha256:"
	"1111111111111111111111111111111111111111111111111111111111111111";
static const char *const L1 =
	"sha256:"
	"2222222222222222222222222222222222222222222222222222222222222222";

static struct customs_pkg *add_pkg(struct customs_sbom *s,
				   enum customs_pkg_type t, const char *id,
				   const char *name, const char *version,
				   const char *purl, const char *path,
				   int layer)
{
	struct customs_pkg *p = customs_pkg_new(t);

	assert_non_null(p);
	assert_int_equal(customs_pkg_setz(&p->id, id), 0);
	assert_int_equal(customs_pkg_setz(&p->name, name), 0);
	assert_int_equal(customs_pkg_setz(&p->version, version), 0);
	assert_int_equal(customs_pkg_setz(&p->purl, purl), 0);
	assert_int_equal(customs_pkg_add_location(p, path, NULL, layer,
						  CUSTOMS_EVIDENCE_PRIMARY),
			 0);
	assert_int_equal(
		customs_pkg_setz(&p->locations[0].layer_id, layer ? L1 : L0),
		0);
	assert_int_equal(customs_pkglist_push(&s->pkgs, p), 0);
	return p;
}

static struct customs_sbom *sample_sbom(void)
{
	struct customs_sbom *s = customs_sbom_new();

	assert_non_null(s);
	customs_pkg_setz(&s->source.kind, "image");
	customs_pkg_setz(&s->source.name, "docker-archive:build/app.tar");
	customs_pkg_setz(
		&s->source.image_id,
		"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaa");
	customs_pkg_setz(&s->source.os, "linux");
	customs_pkg_setz(&s->source.arch, "amd64");
	customs_strlist_add(&s->source.layer_ids, L0);
	customs_strlist_add(&s->source.layer_ids, L1);
	customs_pkg_setz(&s->distro.id, "debian");
	customs_pkg_setz(&s->distro.version_id, "12");
	customs_pkg_setz(&s->scope, "squashed");
	add_pkg(s, CUSTOMS_PKG_DEB, "1111111111111111", "libssl3",
		"3.0.11-1~deb12u1",
		"pkg:deb/debian/libssl3@3.0.11-1~deb12u1?arch=amd64&"
		"distro=debian-12&upstream=openssl",
		"var/lib/dpkg/status", 0);
	add_pkg(s, CUSTOMS_PKG_NPM, "2222222222222222", "lodash", "4.17.20",
		"pkg:npm/lodash@4.17.20",
		"app/node_modules/lodash/package.json", 1);
	add_pkg(s, CUSTOMS_PKG_DEB, "3333333333333333", "zlib1g",
		"1:1.2.13.dfsg-1",
		"pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64&"
		"distro=debian-12&upstream=zlib",
		"var/lib/dpkg/status", 0);
	return s;
}

/* A finding with borrowed strings (the test never frees them). */
static struct customs_finding finding(const struct customs_pkg *p,
				      const char *id, const char *ns,
				      enum customs_severity sev,
				      enum customs_fix_state st)
{
	struct customs_finding f;

	memset(&f, 0, sizeof(f));
	f.pkg = p;
	f.vuln.id = (char *)id;
	f.vuln.namespace = (char *)ns;
	f.vuln.severity = sev;
	f.fix_state = st;
	f.match_type = CUSTOMS_MATCH_EXACT_DIRECT;
	f.matcher = (char *)(p->type == CUSTOMS_PKG_NPM ? "javascript-matcher"
							: "dpkg-matcher");
	f.searched_namespace = (char *)ns;
	f.searched_name = p->name;
	f.searched_version = p->version;
	return f;
}

static char *fix_openssl[] = { (char *)"3.0.13-1~deb12u1" };
static char *fix_lodash[] = { (char *)"4.17.21" };
static char *aliases_ghsa[] = { (char *)"CVE-2021-23337" };
static char *cwes_a[] = { (char *)"CWE-787", (char *)"NVD-CWE-Other" };
static struct customs_cvss cvss_a[] = {
	{ "3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, 3.9, 5.9,
	  "nvd@nist.gov", true },
	{ "3.1", "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H", 8.1, 2.2, 5.9,
	  "secalert@redhat.com", false },
};
static struct customs_cvss cvss_b[] = {
	{ "3.1", "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H", 7.2, 1.2, 5.9,
	  "ghsa", false },
};
static struct customs_cvss cvss_c[] = {
	{ "2.0", "AV:N/AC:M/Au:N/C:N/I:P/A:N", 4.3, 8.6, 2.9, "nvd@nist.gov",
	  true },
};
static struct customs_suppression sup_vex[] = {
	{ CUSTOMS_SUPPRESS_VEX,
	  (char *)"vex: not_affected: vulnerable_code_not_in_execute_path "
		  "(app.openvex.json)" },
};
static struct customs_suppression sup_rule[] = {
	{ CUSTOMS_SUPPRESS_RULE, (char *)"accepted until the Q3 upgrade" },
};
static struct customs_suppression sup_na[] = {
	{ CUSTOMS_SUPPRESS_NOT_AFFECTED,
	  (char *)"debian:12 marks the package not affected" },
};

struct sample {
	struct customs_sbom *sbom;
	struct customs_finding m[4], ig[3];
	struct customs_match_result res;
};

static void fill_matches(struct sample *x)
{
	struct customs_pkg *ssl = x->sbom->pkgs.v[0];
	struct customs_pkg *lo = x->sbom->pkgs.v[1];
	struct customs_finding *f = x->m;

	f[0] = finding(ssl, "CVE-2024-0001", "debian:12",
		       CUSTOMS_SEVERITY_CRITICAL, CUSTOMS_FIX_FIXED);
	f[0].fix_versions.v = fix_openssl;
	f[0].fix_versions.n = 1;
	f[0].match_type = CUSTOMS_MATCH_EXACT_INDIRECT;
	f[0].searched_name = (char *)"openssl";
	f[0].found_ranges = (char *)"< 3.0.13-1~deb12u1";
	f[0].vuln.description =
		(char *)"A \"heap\" overflow in X.509 | name checks\nmay "
			"crash <servers> & clients.";
	f[0].vuln.published = (char *)"2024-01-02T03:04:05Z";
	f[0].vuln.cvss = cvss_a;
	f[0].vuln.n_cvss = 2;
	f[0].vuln.cwes.v = cwes_a;
	f[0].vuln.cwes.n = 2;
	f[0].vuln.in_kev = true;
	f[0].vuln.kev_date_added = (char *)"2024-02-01";
	f[0].vuln.has_epss = true;
	f[0].vuln.epss_score = 0.97125;
	f[0].vuln.epss_percentile = 0.99876;
	f[1] = finding(lo, "GHSA-35jh-r3h4-6jhm", "npm", CUSTOMS_SEVERITY_HIGH,
		       CUSTOMS_FIX_FIXED);
	f[1].fix_versions.v = fix_lodash;
	f[1].fix_versions.n = 1;
	f[1].vuln.link =
		(char *)"https://github.com/advisories/GHSA-35jh-r3h4-6jhm";
	f[1].vuln.aliases.v = aliases_ghsa;
	f[1].vuln.aliases.n = 1;
	f[1].vuln.cvss = cvss_b;
	f[1].vuln.n_cvss = 1;
	f[1].vuln.description = (char *)"Command injection in lodash";
	f[2] = finding(ssl, "CVE-2023-5678", "debian:12",
		       CUSTOMS_SEVERITY_MEDIUM, CUSTOMS_FIX_NOT_FIXED);
	f[2].vuln.cvss = cvss_c;
	f[2].vuln.n_cvss = 1;
	f[3] = finding(lo, "CVE-2023-5678", "npm", CUSTOMS_SEVERITY_LOW,
		       CUSTOMS_FIX_WONT_FIX);
}

static void fill_ignored(struct sample *x)
{
	struct customs_pkg *ssl = x->sbom->pkgs.v[0];
	struct customs_pkg *lo = x->sbom->pkgs.v[1];
	struct customs_pkg *z = x->sbom->pkgs.v[2];
	struct customs_finding *f = x->ig;

	f[0] = finding(ssl, "CVE-2022-1111", "debian:12", CUSTOMS_SEVERITY_HIGH,
		       CUSTOMS_FIX_NOT_FIXED);
	f[0].ignored = true;
	f[0].suppressions = sup_vex;
	f[0].n_suppressions = 1;
	f[1] = finding(lo, "CVE-2021-2222", "npm", CUSTOMS_SEVERITY_LOW,
		       CUSTOMS_FIX_FIXED);
	f[1].fix_versions.v = fix_lodash;
	f[1].fix_versions.n = 1;
	f[1].ignored = true;
	f[1].suppressions = sup_rule;
	f[1].n_suppressions = 1;
	f[2] = finding(z, "CVE-2020-3333", "debian:12",
		       CUSTOMS_SEVERITY_NEGLIGIBLE, CUSTOMS_FIX_NOT_AFFECTED);
	f[2].ignored = true;
	f[2].suppressions = sup_na;
	f[2].n_suppressions = 1;
}

static struct sample *sample(void)
{
	struct sample *x = calloc(1, sizeof(*x));

	assert_non_null(x);
	x->sbom = sample_sbom();
	fill_matches(x);
	fill_ignored(x);
	x->res.sbom = x->sbom;
	x->res.distro_namespace = (char *)"debian:12";
	x->res.matches = x->m;
	x->res.n_matches = 4;
	x->res.ignored = x->ig;
	x->res.n_ignored = 3;
	return x;
}

static void sample_free(struct sample *x)
{
	customs_sbom_free(x->sbom);
	free(x);
}

static char *render(const struct customs_match_result *res,
		    enum customs_report_format fmt,
		    const struct customs_report_opts *o)
{
	struct customs_ctx *ctx;
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	assert_non_null(f);
	assert_int_equal(customs_ctx_new(&ctx), 0);
	if (customs_report_write(f, res, fmt, o, ctx))
		fail_msg("write: %s", customs_ctx_errmsg(ctx));
	fclose(f);
	customs_ctx_free(ctx);
	return buf;
}

static json_t *render_json(const struct customs_match_result *res,
			   enum customs_report_format fmt,
			   const struct customs_report_opts *o)
{
	char *s = render(res, fmt, o);
	json_error_t err;
	json_t *j = json_loads(s, 0, &err);

	if (!j)
		fail_msg("not JSON: %s (line %d)", err.text, err.line);
	free(s);
	return j;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void golden(const char *name, enum customs_report_format fmt)
{
	struct customs_report_opts o = CUSTOMS_REPORT_OPTS_INIT;
	struct sample *x = sample();
	char path[1024], *got, *want;
	const char *upd = getenv("CUSTOMS_UPDATE_GOLDEN");

	o.tool_version = "0.1.0";
	snprintf(path, sizeof(path), GOLDEN "%s", name);
	got = render(&x->res, fmt, &o);
	if (upd && *upd == '1') {
		FILE *f = fopen(path, "wb");

		assert_non_null(f);
		fputs(got, f);
		fclose(f);
	}
	want = slurp(path);
	if (strcmp(got, want))
		fail_msg("%s differs from the writer's output (run with "
			 "CUSTOMS_UPDATE_GOLDEN=1 and review the diff)",
			 path);
	free(got);
	free(want);
	sample_free(x);
}

static void test_report_sarif_golden(void **state)
{
	(void)state;
	golden("report.sarif", CUSTOMS_REPORT_SARIF);
}

static void test_report_cdx_golden(void **state)
{
	(void)state;
	golden("report.cdx.json", CUSTOMS_REPORT_CYCLONEDX_JSON);
}

static void test_report_junit_golden(void **state)
{
	(void)state;
	golden("report.junit.xml", CUSTOMS_REPORT_JUNIT);
}

static void test_report_format_names(void **state)
{
	enum customs_report_format f;

	(void)state;
	assert_int_equal(customs_report_format_parse(&f, "sarif"), 0);
	assert_int_equal(f, CUSTOMS_REPORT_SARIF);
	assert_int_equal(customs_report_format_parse(&f, "cyclonedx-json"), 0);
	assert_int_equal(f, CUSTOMS_REPORT_CYCLONEDX_JSON);
	assert_int_equal(customs_report_format_parse(&f, "junit"), 0);
	assert_int_equal(f, CUSTOMS_REPORT_JUNIT);
	assert_int_equal(customs_report_format_parse(&f, "table"),
			 CUSTOMS_ENOTFOUND);
	assert_string_equal(customs_report_format_name(CUSTOMS_REPORT_JUNIT),
			    "junit");
}

static void test_report_security_severity(void **state)
{
	struct sample *x = sample();

	(void)state;
	/* the vendor's 8.1 wins over NVD's 9.8, as Grype ranks them */
	assert_true(customs_report_security_severity(&x->m[0]) == 8.1);
	/* NVD only */
	assert_true(customs_report_security_severity(&x->m[2]) == 4.3);
	/* no CVSS: the severity's stand-in score */
	assert_true(customs_report_security_severity(&x->ig[0]) == 7.0);
	assert_true(customs_report_security_severity(&x->m[3]) == 1.0);
	assert_true(customs_report_security_severity(&x->ig[2]) == 0.0);
	sample_free(x);
}

static const char *jstr(json_t *j, const char *path)
{
	/* path: dot-separated keys and [n] indexes, e.g. "runs.0.results" */
	char buf[256], *p, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = strtok_r(buf, ".", &save); p && j;
	     p = strtok_r(NULL, ".", &save)) {
		if (json_is_array(j))
			j = json_array_get(j, (size_t)strtoul(p, NULL, 10));
		else
			j = json_object_get(j, p);
	}
	if (!j)
		fail_msg("%s: absent", path);
	if (json_is_string(j))
		return json_string_value(j);
	if (json_is_integer(j)) {
		static char num[32];

		snprintf(num, sizeof(num), "%lld",
			 (long long)json_integer_value(j));
		return num;
	}
	if (json_is_real(j)) {
		static char num[32];

		snprintf(num, sizeof(num), "%g", json_real_value(j));
		return num;
	}
	return json_is_array(j) ? "<array>" : "<object>";
}

static size_t jlen(json_t *j, const char *path)
{
	char buf[256], *p, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = strtok_r(buf, ".", &save); p && j;
	     p = strtok_r(NULL, ".", &save)) {
		if (json_is_array(j))
			j = json_array_get(j, (size_t)strtoul(p, NULL, 10));
		else
			j = json_object_get(j, p);
	}
	return j ? json_array_size(j) : (size_t)-1;
}

static void test_report_sarif_rules_and_results(void **state)
{
	struct customs_report_opts o = CUSTOMS_REPORT_OPTS_INIT;
	struct sample *x = sample();
	json_t *j;

	(void)state;
	j = render_json(&x->res, CUSTOMS_REPORT_SARIF, &o);
	assert_string_equal(jstr(j, "version"), "2.1.0");
	assert_int_equal(jlen(j, "runs"), 1);
	assert_string_equal(jstr(j, "runs.0.tool.driver.name"), "customs");
	/* one rule per id, sorted: 6 ids over 7 findings */
	assert_int_equal(jlen(j, "runs.0.tool.driver.rules"), 6);
	assert_string_equal(jstr(j, "runs.0.tool.driver.rules.0.id"),
			    "CVE-2020-3333");
	assert_string_equal(jstr(j, "runs.0.tool.driver.rules.3.id"),
			    "CVE-2023-5678");
	assert_string_equal(
		jstr(j, "runs.0.tool.driver.rules.3.shortDescription.text"),
		"CVE-2023-5678 medium vulnerability for 2 packages");
	assert_string_equal(jstr(j, "runs.0.tool.driver.rules.4.properties."
				    "security-severity"),
			    "8.1");
	assert_string_equal(jstr(j, "runs.0.tool.driver.rules.4.helpUri"),
			    "https://nvd.nist.gov/vuln/detail/CVE-2024-0001");
	/* results in the result's order, matches then suppressed */
	assert_int_equal(jlen(j, "runs.0.results"), 7);
	assert_string_equal(jstr(j, "runs.0.results.0.ruleId"),
			    "CVE-2024-0001");
	assert_string_equal(jstr(j, "runs.0.results.0.ruleIndex"), "4");
	assert_string_equal(jstr(j, "runs.0.results.0.level"), "error");
	assert_string_equal(jstr(j, "runs.0.results.2.level"), "warning");
	assert_string_equal(jstr(j, "runs.0.results.3.level"), "note");
	assert_string_equal(jstr(j, "runs.0.results.3.ruleIndex"), "3");
	assert_string_equal(
		jstr(j, "runs.0.results.0.locations.0.physicalLocation."
			"artifactLocation.uri"),
		"app.tar/var/lib/dpkg/status");
	assert_string_equal(
		jstr(j, "runs.0.results.1.locations.0.logicalLocations.0."
			"fullyQualifiedName"),
		"docker-archive:build/app.tar@sha256:"
		"22222222222222222222222222222222222222222222222222222222222222"
		"22"
		":/app/node_modules/lodash/package.json");
	assert_int_equal(strlen(jstr(j, "runs.0.results.0.partialFingerprints."
					"primaryLocationLineHash")),
			 66);
	/* matches have no suppressions, suppressed findings one each */
	assert_null(json_object_get(
		json_array_get(
			json_object_get(
				json_array_get(json_object_get(j, "runs"), 0),
				"results"),
			0),
		"suppressions"));
	assert_string_equal(jstr(j, "runs.0.results.4.suppressions.0.kind"),
			    "external");
	assert_string_equal(
		jstr(j, "runs.0.results.5.suppressions.0.justification"),
		"accepted until the Q3 upgrade");
	json_decref(j);
	sample_free(x);
}

static void test_report_cdx_vulnerabilities(void **state)
{
	struct customs_report_opts o = CUSTOMS_REPORT_OPTS_INIT;
	struct sample *x = sample();
	json_t *j;

	(void)state;
	j = render_json(&x->res, CUSTOMS_REPORT_CYCLONEDX_JSON, &o);
	assert_string_equal(jstr(j, "specVersion"), "1.6");
	/* the OS component and the three packages */
	assert_int_equal(jlen(j, "components"), 4);
	assert_string_equal(jstr(j, "components.1.bom-ref"),
			    "1111111111111111");
	assert_int_equal(jlen(j, "vulnerabilities"), 7);
	assert_string_equal(jstr(j, "vulnerabilities.0.id"), "CVE-2024-0001");
	assert_string_equal(jstr(j, "vulnerabilities.0.bom-ref"),
			    "customs:vuln:CVE-2024-0001:1111111111111111");
	assert_string_equal(jstr(j, "vulnerabilities.0.affects.0.ref"),
			    "1111111111111111");
	assert_string_equal(
		jstr(j, "vulnerabilities.0.affects.0.versions.1.range"),
		"vers:deb/>=3.0.13-1~deb12u1");
	assert_string_equal(
		jstr(j, "vulnerabilities.0.affects.0.versions.1.status"),
		"unaffected");
	/* own severity, two CVSS, EPSS, KEV */
	assert_int_equal(jlen(j, "vulnerabilities.0.ratings"), 5);
	assert_string_equal(jstr(j, "vulnerabilities.0.ratings.0.severity"),
			    "critical");
	assert_string_equal(jstr(j, "vulnerabilities.0.ratings.1.method"),
			    "CVSSv31");
	assert_string_equal(jstr(j, "vulnerabilities.0.ratings.1.score"),
			    "9.8");
	assert_string_equal(jstr(j, "vulnerabilities.0.ratings.2.source.name"),
			    "secalert@redhat.com");
	assert_string_equal(jstr(j, "vulnerabilities.0.ratings.3.score"),
			    "0.97125");
	assert_string_equal(
		jstr(j, "vulnerabilities.0.ratings.4.justification"),
		"Listed in CISA KEV");
	/* CWE numbers only */
	assert_int_equal(jlen(j, "vulnerabilities.0.cwes"), 1);
	assert_string_equal(jstr(j, "vulnerabilities.0.cwes.0"), "787");
	assert_string_equal(jstr(j, "vulnerabilities.1.references.0.id"),
			    "CVE-2021-23337");
	assert_string_equal(jstr(j, "vulnerabilities.2.ratings.1.method"),
			    "CVSSv2");
	/* suppressed: VEX, rule, distro */
	assert_string_equal(jstr(j, "vulnerabilities.4.analysis.state"),
			    "not_affected");
	assert_string_equal(jstr(j, "vulnerabilities.4.analysis.justification"),
			    "code_not_reachable");
	assert_null(json_object_get(
		json_object_get(
			json_array_get(json_object_get(j, "vulnerabilities"),
				       5),
			"analysis"),
		"state"));
	assert_string_equal(jstr(j, "vulnerabilities.5.analysis.detail"),
			    "rule: accepted until the Q3 upgrade");
	assert_string_equal(jstr(j, "vulnerabilities.6.analysis.state"),
			    "not_affected");
	assert_string_equal(jstr(j, "vulnerabilities.6.ratings.0.severity"),
			    "none");
	json_decref(j);
	sample_free(x);
}

static void test_report_without_ignored(void **state)
{
	struct customs_report_opts o = CUSTOMS_REPORT_OPTS_INIT;
	struct sample *x = sample();
	json_t *j;
	char *xml;

	(void)state;
	o.include_ignored = false;
	j = render_json(&x->res, CUSTOMS_REPORT_SARIF, &o);
	assert_int_equal(jlen(j, "runs.0.results"), 4);
	assert_int_equal(jlen(j, "runs.0.tool.driver.rules"), 3);
	json_decref(j);
	j = render_json(&x->res, CUSTOMS_REPORT_CYCLONEDX_JSON, &o);
	assert_int_equal(jlen(j, "vulnerabilities"), 4);
	json_decref(j);
	xml = render(&x->res, CUSTOMS_REPORT_JUNIT, &o);
	assert_non_null(strstr(xml, "tests=\"4\" failures=\"4\" errors=\"0\" "
				    "skipped=\"0\""));
	free(xml);
	sample_free(x);
}

static void test_report_empty(void **state)
{
	struct customs_report_opts o = CUSTOMS_REPORT_OPTS_INIT;
	struct sample *x = sample();
	json_t *j;
	char *xml;

	(void)state;
	x->res.n_matches = 0;
	x->res.n_ignored = 0;
	j = render_json(&x->res, CUSTOMS_REPORT_SARIF, &o);
	assert_int_equal(jlen(j, "runs.0.results"), 0);
	assert_int_equal(jlen(j, "runs.0.tool.driver.rules"), 0);
	json_decref(j);
	j = render_json(&x->res, CUSTOMS_REPORT_CYCLONEDX_JSON, &o);
	assert_int_equal(jlen(j, "vulnerabilities"), 0);
	assert_int_equal(jlen(j, "components"), 4);
	json_decref(j);
	xml = render(&x->res, CUSTOMS_REPORT_JUNIT, &o);
	assert_non_null(strstr(xml, "name=\"no vulnerabilities found\""));
	free(xml);
	sample_free(x);
}

static void test_report_deterministic_serial(void **state)
{
	struct customs_report_opts o = CUSTOMS_REPORT_OPTS_INIT;
	struct sample *x = sample();
	char *a, *b, *c;

	(void)state;
	a = render(&x->res, CUSTOMS_REPORT_CYCLONEDX_JSON, &o);
	b = render(&x->res, CUSTOMS_REPORT_CYCLONEDX_JSON, &o);
	assert_string_equal(a, b);
	/* fewer findings: another document, another serial number */
	x->res.n_ignored = 0;
	c = render(&x->res, CUSTOMS_REPORT_CYCLONEDX_JSON, &o);
	assert_memory_not_equal(strstr(a, "urn:uuid:"), strstr(c, "urn:uuid:"),
				45);
	free(a);
	free(b);
	free(c);
	sample_free(x);
}

/* A directory target: the uri is relative to it, percent-encoded. */
static void test_report_sarif_dir_uri(void **state)
{
	struct customs_report_opts o = CUSTOMS_REPORT_OPTS_INIT;
	struct sample *x = sample();
	struct customs_pkg *lo = x->sbom->pkgs.v[1];
	json_t *j;

	(void)state;
	customs_pkg_setz(&x->sbom->source.kind, "directory");
	customs_pkg_setz(&x->sbom->source.name, "dir:./my app");
	customs_pkg_setz(&lo->locations[0].path, "srv/a b/100%/package.json");
	j = render_json(&x->res, CUSTOMS_REPORT_SARIF, &o);
	assert_string_equal(jstr(j, "runs.0.results.1.locations.0."
				    "physicalLocation.artifactLocation.uri"),
			    "my%20app/srv/a%20b/100%25/package.json");
	assert_string_equal(
		jstr(j, "runs.0.results.1.message.text"),
		"A high vulnerability in npm package: lodash, version "
		"4.17.20 was found at: /srv/a b/100%/package.json (fixed in "
		"4.17.21)");
	json_decref(j);
	sample_free(x);
}

/* Arrays the schemas declare as sets stay sets when the data repeats. */
static void test_report_sets_stay_unique(void **state)
{
	struct customs_report_opts o = CUSTOMS_REPORT_OPTS_INIT;
	struct sample *x = sample();
	static char *cwes[] = { (char *)"CWE-787", (char *)"CWE-787",
				(char *)"high" };
	static char *fixes[] = { (char *)"4.17.21", (char *)"4.17.21" };
	struct customs_suppression twice[2];
	struct customs_pkg *ssl = x->sbom->pkgs.v[0];
	json_t *j;

	(void)state;
	x->m[1].vuln.cwes.v = cwes;
	x->m[1].vuln.cwes.n = 3;
	x->m[1].fix_versions.v = fixes;
	x->m[1].fix_versions.n = 2;
	twice[0] = sup_rule[0];
	twice[1] = sup_rule[0];
	x->ig[1].suppressions = twice;
	x->ig[1].n_suppressions = 2;
	assert_int_equal(customs_pkg_add_location(ssl, "var/lib/dpkg/status",
						  NULL, 0,
						  CUSTOMS_EVIDENCE_PRIMARY),
			 0);
	assert_int_equal(customs_pkg_setz(&ssl->locations[1].layer_id, L0), 0);
	j = render_json(&x->res, CUSTOMS_REPORT_SARIF, &o);
	/* GHSA rule: security, vulnerability, high, CWE-787 once */
	assert_int_equal(jlen(j, "runs.0.tool.driver.rules.5.properties.tags"),
			 4);
	assert_int_equal(jlen(j, "runs.0.results.0.locations.0."
				 "logicalLocations"),
			 1);
	assert_int_equal(jlen(j, "runs.0.results.5.suppressions"), 1);
	json_decref(j);
	j = render_json(&x->res, CUSTOMS_REPORT_CYCLONEDX_JSON, &o);
	assert_int_equal(jlen(j, "vulnerabilities.1.cwes"), 1);
	assert_int_equal(jlen(j, "vulnerabilities.1.affects.0.versions"), 2);
	json_decref(j);
	sample_free(x);
}

/* Bounded text: a rule's help lists 100 packages and counts the rest; an
 * advisory's description is streamed whole however long; a text composed
 * in a buffer past 1 MiB is an error, never a silently cut report. */
static void test_report_limits(void **state)
{
	struct customs_report_opts o = CUSTOMS_REPORT_OPTS_INIT;
	struct sample *x = sample();
	struct customs_finding *many = calloc(150, sizeof(*many));
	struct customs_ctx *ctx;
	char *big = malloc((2u << 20) + 1), *out = NULL, *orig;
	size_t i, n = 0;
	FILE *f;
	json_t *j;

	(void)state;
	assert_non_null(many);
	assert_non_null(big);
	for (i = 0; i < 150; i++)
		many[i] = x->m[1];
	x->res.matches = many;
	x->res.n_matches = 150;
	x->res.n_ignored = 0;
	j = render_json(&x->res, CUSTOMS_REPORT_SARIF, &o);
	assert_int_equal(jlen(j, "runs.0.tool.driver.rules"), 1);
	assert_int_equal(jlen(j, "runs.0.results"), 150);
	assert_non_null(strstr(jstr(j, "runs.0.tool.driver.rules.0.help.text"),
			       "... and 50 more packages"));
	json_decref(j);
	memset(big, 'x', 2u << 20);
	big[2u << 20] = 0;
	orig = x->sbom->pkgs.v[1]->name;
	x->res.matches = x->m;
	x->res.n_matches = 4;
	assert_int_equal(customs_ctx_new(&ctx), 0);
	for (i = 0; i < 2 * (CUSTOMS_REPORT_JUNIT + 1); i++) {
		enum customs_report_format fmt =
			(enum customs_report_format)(i / 2);
		bool desc = i % 2 == 0;
		int rc;

		/* a 2 MiB description is streamed, whole; a 2 MiB package
		 * name goes into composed texts: ELIMIT */
		x->m[1].vuln.description = desc ? big : NULL;
		x->sbom->pkgs.v[1]->name = desc ? orig : big;
		f = open_memstream(&out, &n);
		assert_non_null(f);
		rc = customs_report_write(f, &x->res, fmt, &o, ctx);
		fclose(f);
		if (desc) {
			assert_int_equal(rc, 0);
			assert_true(n > (2u << 20));
		} else {
			assert_int_equal(rc, CUSTOMS_ELIMIT);
			assert_non_null(
				strstr(customs_ctx_errmsg(ctx), "longer than"));
		}
		free(out);
		out = NULL;
	}
	x->sbom->pkgs.v[1]->name = orig;
	customs_ctx_free(ctx);
	free(big);
	free(many);
	sample_free(x);
}

static void test_report_errors(void **state)
{
	struct customs_report_opts o = CUSTOMS_REPORT_OPTS_INIT;
	struct customs_match_result empty;
	struct customs_ctx *ctx;
	struct sample *x = sample();
	FILE *full = fopen("/dev/full", "w");
	int fmt;

	(void)state;
	memset(&empty, 0, sizeof(empty));
	assert_int_equal(customs_ctx_new(&ctx), 0);
	assert_int_equal(customs_report_write(stdout, &empty,
					      CUSTOMS_REPORT_SARIF, &o, ctx),
			 CUSTOMS_EINVAL);
	assert_non_null(strstr(customs_ctx_errmsg(ctx), "no SBOM"));
	/* a finding whose package is not in the SBOM: no silent drop */
	{
		struct customs_pkg *stray = customs_pkg_new(CUSTOMS_PKG_NPM);
		const struct customs_pkg *keep = x->m[1].pkg;
		char *buf = NULL;
		size_t n = 0;
		FILE *mem = open_memstream(&buf, &n);

		assert_non_null(stray);
		assert_non_null(mem);
		x->m[1].pkg = stray;
		assert_int_equal(
			customs_report_write(mem, &x->res,
					     CUSTOMS_REPORT_CYCLONEDX_JSON, &o,
					     ctx),
			CUSTOMS_EINTERNAL);
		assert_non_null(strstr(customs_ctx_errmsg(ctx),
				       "not in the result's SBOM"));
		fclose(mem);
		free(buf);
		x->m[1].pkg = keep;
		customs_pkg_free(stray);
	}
	if (!full) {
		print_message("no /dev/full: write errors not tested\n");
	} else {
		setvbuf(full, NULL, _IONBF, 0);
		for (fmt = 0; fmt <= CUSTOMS_REPORT_JUNIT; fmt++) {
			assert_int_equal(
				customs_report_write(
					full, &x->res,
					(enum customs_report_format)fmt, &o,
					ctx),
				CUSTOMS_EIO);
			assert_non_null(
				strstr(customs_ctx_errmsg(ctx), "failed"));
			clearerr(full);
		}
		fclose(full);
	}
	customs_ctx_free(ctx);
	sample_free(x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_sarif_golden),
		cmocka_unit_test(test_report_cdx_golden),
		cmocka_unit_test(test_report_junit_golden),
		cmocka_unit_test(test_report_format_names),
		cmocka_unit_test(test_report_security_severity),
		cmocka_unit_test(test_report_sarif_rules_and_results),
		cmocka_unit_test(test_report_cdx_vulnerabilities),
		cmocka_unit_test(test_report_without_ignored),
		cmocka_unit_test(test_report_empty),
		cmocka_unit_test(test_report_deterministic_serial),
		cmocka_unit_test(test_report_sarif_dir_uri),
		cmocka_unit_test(test_report_sets_stay_unique),
		cmocka_unit_test(test_report_limits),
		cmocka_unit_test(test_report_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
