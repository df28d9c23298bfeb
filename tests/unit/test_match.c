/*
 * Unit tests of the matcher (src/match) without a database: a fake
 * backend serves affected rows and vulnerability records from tables, so
 * each test states exactly which rows exist. Covered: distro namespace
 * derivation, direct and source (indirect) matches, version schemes and
 * invalid versions, withdrawn and not-affected rows, alias merging,
 * severity and fix-state selection, ignore rules, OpenVEX and the
 * fix-state options.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "customs/match.h"
#include "customs/sbom.h"
#include "match/match_int.h"
#include "util/banned.h"

/* ---- the fake backend ---------------------------------------------- */

struct row {
	const char *ns, *name, *id;
	enum customs_version_scheme scheme;
	const char *ranges, *versions, *fixed;
	enum customs_fix_state state;
	enum customs_severity sev;
	bool withdrawn;
};

struct rec {
	const char *id;
	enum customs_severity sev;
	const char *alias; /* one alias or NULL */
	double nvd_score; /* < 0: no CVSS */
	bool kev;
};

struct fake {
	const struct row *rows;
	size_t n_rows;
	const struct rec *recs;
	size_t n_recs;
	const char *const *namespaces;
};

static int f_lookup(void *arg, const char *ns, const char *name,
		    customs_vulndb_hit_cb cb, void *cbarg,
		    struct customs_ctx *ctx)
{
	const struct fake *f = arg;
	size_t i;
	int rc = 0;

	(void)ctx;
	for (i = 0; !rc && i < f->n_rows; i++) {
		const struct row *r = &f->rows[i];
		struct customs_vulndb_hit h = { 0 };

		if (strcmp(r->ns, ns) || strcasecmp(r->name, name))
			continue;
		h.vuln_id = r->id;
		h.source = "test";
		h.namespace = r->ns;
		h.name = r->name;
		h.scheme = r->scheme;
		h.ranges = r->ranges;
		h.versions = r->versions ? r->versions : "";
		h.fixed = r->fixed ? r->fixed : "";
		h.fix_state = r->state;
		h.severity = r->sev;
		h.withdrawn = r->withdrawn;
		rc = cb(cbarg, &h);
	}
	return rc;
}

static int f_has_ns(void *arg, const char *ns, bool *out,
		    struct customs_ctx *ctx)
{
	const struct fake *f = arg;
	size_t i;

	(void)ctx;
	*out = false;
	for (i = 0; f->namespaces && f->namespaces[i]; i++)
		if (!strcmp(f->namespaces[i], ns))
			*out = true;
	return 0;
}

static int f_vuln(void *arg, const char *id, struct customs_vuln_info **out,
		  struct customs_ctx *ctx)
{
	const struct fake *f = arg;
	struct customs_vuln_info *in;
	size_t i;

	(void)ctx;
	*out = NULL;
	for (i = 0; i < f->n_recs && strcmp(f->recs[i].id, id); i++)
		;
	if (i == f->n_recs)
		return 0;
	in = calloc(1, sizeof(*in));
	assert_non_null(in);
	in->id = strdup(id);
	in->severity = f->recs[i].sev;
	in->in_kev = f->recs[i].kev;
	if (f->recs[i].alias)
		assert_int_equal(
			customs_strlist_add(&in->aliases, f->recs[i].alias), 0);
	if (f->recs[i].nvd_score >= 0) {
		in->cvss = calloc(1, sizeof(*in->cvss));
		in->n_cvss = 1;
		in->cvss[0].version = strdup("3.1");
		in->cvss[0].source = strdup("nvd@nist.gov");
		in->cvss[0].primary = true;
		in->cvss[0].base_score = f->recs[i].nvd_score;
	}
	*out = in;
	return 0;
}

static int f_lookup_cpe(void *arg, const char *vendor, const char *product,
			customs_vulndb_cpe_cb cb, void *cbarg,
			struct customs_ctx *ctx)
{
	static const struct customs_vuln_cpe c[] = {
		{ "cpe:2.3:a:haxx:curl:*:*:*:*:*:*:*:*", "7.0.0", NULL, NULL,
		  "8.0.0", true, 0 },
		{ "cpe:2.3:a:haxx:curl:7.50.0:*:*:*:*:*:*:*", NULL, NULL, NULL,
		  NULL, true, 0 },
		{ "cpe:2.3:a:haxx:curl:*:*:*:*:*:*:*:*", NULL, NULL, NULL, NULL,
		  false, 0 },
		{ "cpe:2.3:a:haxx:curl:7.88.1:*:*:*:*:*:*:*", NULL, NULL, NULL,
		  NULL, true, 1 },
	};
	static const char *const ids[] = { "CVE-2023-0001", "CVE-2023-0002",
					   "CVE-2023-0003", "CVE-2023-0004" };
	size_t i;
	int rc = 0;

	(void)arg;
	(void)ctx;
	if (strcmp(vendor, "haxx") || strcmp(product, "curl"))
		return 0;
	for (i = 0; !rc && i < 4; i++)
		rc = cb(cbarg, ids[i], &c[i]);
	return rc;
}

static struct match_backend backend(struct fake *f)
{
	struct match_backend be = {
		f_lookup,     f_has_ns, f_vuln, customs_vuln_info_free,
		f_lookup_cpe, f,
	};
	return be;
}

/* ---- SBOM helpers -------------------------------------------------- */

static struct customs_pkg *add(struct customs_sbom *s, enum customs_pkg_type t,
			       const char *name, const char *version)
{
	struct customs_pkg *p = customs_pkg_new(t);

	assert_non_null(p);
	assert_int_equal(customs_pkg_setz(&p->name, name), 0);
	assert_int_equal(customs_pkg_setz(&p->version, version), 0);
	assert_int_equal(customs_pkglist_push(&s->pkgs, p), 0);
	return p;
}

static struct customs_sbom *debian_sbom(void)
{
	struct customs_sbom *s = customs_sbom_new();

	assert_non_null(s);
	assert_int_equal(customs_pkg_setz(&s->distro.id, "debian"), 0);
	assert_int_equal(customs_pkg_setz(&s->distro.version_id, "12"), 0);
	return s;
}

static struct customs_match_result *run(struct fake *f,
					const struct customs_sbom *s,
					const struct customs_match_opts *o)
{
	struct customs_match_result *res = NULL;
	struct match_backend be = backend(f);
	struct customs_ctx *ctx = NULL;

	assert_int_equal(customs_ctx_new(&ctx), 0);
	assert_int_equal(match_run(&res, &be, s, o, ctx), 0);
	customs_ctx_free(ctx);
	assert_non_null(res);
	return res;
}

static const struct customs_finding *
find(const struct customs_finding *v, size_t n, const char *id, const char *pkg)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i].vuln.id, id) && !strcmp(v[i].pkg->name, pkg))
			return &v[i];
	return NULL;
}

static const char *const debian_ns[] = { "debian:12", NULL };

/* ---- namespaces ---------------------------------------------------- */

static void expect_ns(const char *id, const char *ver, const char *a,
		      const char *b)
{
	struct customs_strlist l = { 0 };

	assert_int_equal(customs_match_distro_namespaces(&l, id, ver), 0);
	if (!a) {
		assert_int_equal(l.n, 0);
	} else {
		assert_true(l.n >= 1);
		assert_string_equal(l.v[0], a);
		if (b) {
			assert_true(l.n >= 2);
			assert_string_equal(l.v[1], b);
		} else {
			assert_int_equal(l.n, 1);
		}
	}
	customs_strlist_release(&l);
}

static void test_match_namespace_derivation(void **state)
{
	(void)state;
	expect_ns("debian", "12", "debian:12", NULL);
	expect_ns("debian", "12.5", "debian:12", NULL);
	expect_ns("debian", NULL, "debian:unstable", NULL);
	expect_ns("raspbian", "11", "debian:11", NULL);
	expect_ns("alpine", "3.18.4", "alpine:3.18", "alpine:3");
	expect_ns("alpine", "3.20.0_alpha20240329", "alpine:edge", NULL);
	expect_ns("ubuntu", "22.04", "ubuntu:22.04", "ubuntu:22");
	expect_ns("rocky", "9.3", "rocky:9", "rhel:9");
	expect_ns("almalinux", "8.10", "almalinux:8", "rhel:8");
	expect_ns("rhel", "8.9", "rhel:8", NULL);
	expect_ns("centos", "7", "centos:7", "rhel:7");
	expect_ns("wolfi", "20230201", "wolfi:rolling", NULL);
	expect_ns("ol", "9.2", "ol:9", NULL);
	expect_ns("Debian", "12", "debian:12", NULL);
	expect_ns("plan9", "4.1", "plan9:4.1", "plan9:4");
	expect_ns(NULL, "1", NULL, NULL);
}

/* The namespace must exist in the database; clones fall back to rhel. */
static void test_match_namespace_fallback(void **state)
{
	static const char *const nss[] = { "rhel:9", NULL };
	static const struct row rows[] = {
		{ "rhel:9", "openssl", "CVE-2023-0001", CUSTOMS_VERSION_RPM,
		  "< 1:3.0.7-20.el9", NULL, "1:3.0.7-20.el9", CUSTOMS_FIX_FIXED,
		  CUSTOMS_SEVERITY_HIGH, false },
	};
	struct fake f = { rows, 1, NULL, 0, nss };
	struct customs_sbom *s = customs_sbom_new();
	struct customs_match_result *res;
	struct customs_pkg *p;

	customs_pkg_setz(&s->distro.id, "rocky");
	customs_pkg_setz(&s->distro.version_id, "9.3");
	p = add(s, CUSTOMS_PKG_RPM, "openssl", "3.0.7-18.el9");
	customs_pkg_meta_set(p, "epoch", "1");
	res = run(&f, s, NULL);
	assert_string_equal(res->distro_namespace, "rhel:9");
	assert_int_equal(res->n_matches, 1);
	/* the epoch from the rpm metadata was compared */
	assert_string_equal(res->matches[0].searched_version, "1:3.0.7-18.el9");
	customs_match_result_free(res);
	customs_sbom_free(s);
}

/* ---- dpkg ---------------------------------------------------------- */

static const struct row deb_rows[] = {
	/* keyed by source package, as the Debian tracker is */
	{ "debian:12", "openssl", "CVE-2024-0001", CUSTOMS_VERSION_DPKG,
	  "< 3.0.13-1~deb12u1", NULL, "3.0.13-1~deb12u1", CUSTOMS_FIX_FIXED,
	  CUSTOMS_SEVERITY_UNKNOWN, false },
	{ "debian:12", "openssl", "CVE-2024-0002", CUSTOMS_VERSION_DPKG,
	  "< 3.0.9-1", NULL, "3.0.9-1", CUSTOMS_FIX_FIXED, CUSTOMS_SEVERITY_LOW,
	  false },
	{ "debian:12", "openssl", "CVE-2024-0003", CUSTOMS_VERSION_DPKG, "*",
	  NULL, NULL, CUSTOMS_FIX_WONT_FIX, CUSTOMS_SEVERITY_NEGLIGIBLE,
	  false },
	{ "debian:12", "openssl", "CVE-2024-0004", CUSTOMS_VERSION_DPKG, "*",
	  NULL, NULL, CUSTOMS_FIX_NOT_AFFECTED, CUSTOMS_SEVERITY_UNKNOWN,
	  false },
	{ "debian:12", "openssl", "CVE-2024-0004", CUSTOMS_VERSION_DPKG, "*",
	  NULL, NULL, CUSTOMS_FIX_NOT_FIXED, CUSTOMS_SEVERITY_UNKNOWN, false },
	{ "debian:12", "linux", "CVE-2024-0005", CUSTOMS_VERSION_DPKG, "*",
	  NULL, NULL, CUSTOMS_FIX_NOT_FIXED, CUSTOMS_SEVERITY_HIGH, false },
	{ "debian:12", "zlib1g", "CVE-2024-0006", CUSTOMS_VERSION_DPKG,
	  "< 1:1.2.13.dfsg-2", NULL, "1:1.2.13.dfsg-2", CUSTOMS_FIX_FIXED,
	  CUSTOMS_SEVERITY_MEDIUM, false },
};

static const struct rec deb_recs[] = {
	{ "CVE-2024-0001", CUSTOMS_SEVERITY_UNKNOWN, NULL, 9.8, true },
};

static void test_match_dpkg_direct_and_source(void **state)
{
	struct fake f = { deb_rows, 7, deb_recs, 1, debian_ns };
	struct customs_sbom *s = debian_sbom();
	struct customs_match_result *res;
	const struct customs_finding *x;
	struct customs_pkg *p;

	(void)state;
	p = add(s, CUSTOMS_PKG_DEB, "libssl3", "3.0.11-1~deb12u2");
	customs_pkg_setz(&p->source_name, "openssl");
	p = add(s, CUSTOMS_PKG_DEB, "linux-libc-dev", "6.1.76-1");
	customs_pkg_setz(&p->source_name, "linux");
	add(s, CUSTOMS_PKG_DEB, "zlib1g", "1:1.2.13.dfsg-1");
	res = run(&f, s, NULL);

	x = find(res->matches, res->n_matches, "CVE-2024-0001", "libssl3");
	assert_non_null(x);
	assert_int_equal(x->match_type, CUSTOMS_MATCH_EXACT_INDIRECT);
	assert_string_equal(x->searched_name, "openssl");
	assert_string_equal(x->searched_version, "3.0.11-1~deb12u2");
	assert_string_equal(x->fix_versions.v[0], "3.0.13-1~deb12u1");
	assert_string_equal(x->matcher, "dpkg-matcher");
	/* no row rating, no advisory rating: NVD 9.8 -> Critical */
	assert_int_equal(x->vuln.severity, CUSTOMS_SEVERITY_CRITICAL);
	assert_true(x->vuln.in_kev);
	/* 3.0.11 is newer than the 3.0.9-1 fix */
	assert_null(
		find(res->matches, res->n_matches, "CVE-2024-0002", "libssl3"));
	x = find(res->matches, res->n_matches, "CVE-2024-0003", "libssl3");
	assert_non_null(x);
	assert_int_equal(x->fix_state, CUSTOMS_FIX_WONT_FIX);
	/* a not-affected row suppresses the same CVE */
	assert_null(
		find(res->matches, res->n_matches, "CVE-2024-0004", "libssl3"));
	x = find(res->ignored, res->n_ignored, "CVE-2024-0004", "libssl3");
	assert_non_null(x);
	assert_int_equal(x->suppressions[0].kind,
			 CUSTOMS_SUPPRESS_NOT_AFFECTED);
	/* kernel headers do not inherit kernel CVEs */
	assert_null(find(res->matches, res->n_matches, "CVE-2024-0005",
			 "linux-libc-dev"));
	/* direct match with an epoch */
	x = find(res->matches, res->n_matches, "CVE-2024-0006", "zlib1g");
	assert_non_null(x);
	assert_int_equal(x->match_type, CUSTOMS_MATCH_EXACT_DIRECT);
	assert_int_equal(res->n_matches, 3);
	/* sorted by severity */
	assert_string_equal(res->matches[0].vuln.id, "CVE-2024-0001");
	assert_string_equal(res->matches[2].vuln.id, "CVE-2024-0003");
	customs_match_result_free(res);
	customs_sbom_free(s);
}

static void test_match_no_distro_data_warns(void **state)
{
	static const char *const none[] = { NULL };
	struct fake f = { deb_rows, 7, NULL, 0, none };
	struct customs_sbom *s = debian_sbom();
	struct customs_match_result *res;

	(void)state;
	add(s, CUSTOMS_PKG_DEB, "zlib1g", "1:1.2.13.dfsg-1");
	res = run(&f, s, NULL);
	assert_int_equal(res->n_matches, 0);
	assert_int_equal(res->warnings.n, 1);
	assert_non_null(strstr(res->warnings.v[0], "debian:12"));
	customs_match_result_free(res);
	customs_sbom_free(s);

	/* an SBOM without distro facts */
	s = customs_sbom_new();
	add(s, CUSTOMS_PKG_DEB, "zlib1g", "1:1.2.13.dfsg-1");
	res = run(&f, s, NULL);
	assert_int_equal(res->n_matches, 0);
	assert_int_equal(res->warnings.n, 1);
	assert_non_null(strstr(res->warnings.v[0], "distro is unknown"));
	customs_match_result_free(res);
	customs_sbom_free(s);
}

/* ---- language packages --------------------------------------------- */

static const struct row lang_rows[] = {
	{ "npm", "express", "GHSA-aaaa", CUSTOMS_VERSION_NPM,
	  ">= 5.0.0-alpha.1, < 5.0.0-beta.3", NULL, "5.0.0-beta.3",
	  CUSTOMS_FIX_FIXED, CUSTOMS_SEVERITY_UNKNOWN, false },
	{ "npm", "lodash.trim", "GHSA-bbbb", CUSTOMS_VERSION_NPM, "<= 4.5.1",
	  NULL, NULL, CUSTOMS_FIX_NOT_FIXED, CUSTOMS_SEVERITY_UNKNOWN, false },
	{ "pypi", "jinja2", "GHSA-cccc", CUSTOMS_VERSION_PEP440, "< 2.11.3",
	  NULL, "2.11.3", CUSTOMS_FIX_FIXED, CUSTOMS_SEVERITY_UNKNOWN, false },
	{ "pypi", "jinja2", "PYSEC-2021-66", CUSTOMS_VERSION_PEP440, NULL,
	  "2.11.1\n2.11.2", NULL, CUSTOMS_FIX_UNKNOWN, CUSTOMS_SEVERITY_UNKNOWN,
	  false },
	{ "pypi", "jinja2", "PYSEC-2099-1", CUSTOMS_VERSION_PEP440, "*", NULL,
	  NULL, CUSTOMS_FIX_UNKNOWN, CUSTOMS_SEVERITY_HIGH, true },
	{ "go", "stdlib", "GO-2024-0001", CUSTOMS_VERSION_SEMVER,
	  ">= 1.22.0-0, < 1.22.1", NULL, "1.22.1", CUSTOMS_FIX_FIXED,
	  CUSTOMS_SEVERITY_UNKNOWN, false },
	{ "go", "example.com/mod", "GO-2024-0002", CUSTOMS_VERSION_SEMVER, "*",
	  NULL, NULL, CUSTOMS_FIX_NOT_FIXED, CUSTOMS_SEVERITY_UNKNOWN, false },
	{ "maven", "org.yaml:snakeyaml", "GHSA-dddd", CUSTOMS_VERSION_MAVEN,
	  "<= 1.33", NULL, NULL, CUSTOMS_FIX_NOT_FIXED,
	  CUSTOMS_SEVERITY_UNKNOWN, false },
	{ "npm", "badver", "GHSA-eeee", CUSTOMS_VERSION_NPM, "< 2.0.0", NULL,
	  NULL, CUSTOMS_FIX_NOT_FIXED, CUSTOMS_SEVERITY_UNKNOWN, false },
};

static const struct rec lang_recs[] = {
	{ "GHSA-cccc", CUSTOMS_SEVERITY_MEDIUM, "CVE-2020-28493", -1, false },
	{ "PYSEC-2021-66", CUSTOMS_SEVERITY_UNKNOWN, "GHSA-cccc", -1, false },
	{ "GHSA-aaaa", CUSTOMS_SEVERITY_HIGH, NULL, -1, false },
};

static void test_match_language_packages(void **state)
{
	struct fake f = { lang_rows, 9, lang_recs, 3, NULL };
	struct customs_sbom *s = customs_sbom_new();
	struct customs_match_result *res;
	const struct customs_finding *x;
	struct customs_pkg *p;

	(void)state;
	add(s, CUSTOMS_PKG_NPM, "express", "5.0.0-beta.1");
	add(s, CUSTOMS_PKG_NPM, "lodash.trim", "4.5.1");
	add(s, CUSTOMS_PKG_PYTHON, "Jinja2", "2.11.2");
	add(s, CUSTOMS_PKG_GO, "stdlib", "go1.22.0");
	add(s, CUSTOMS_PKG_GO, "example.com/mod", "(devel)");
	p = add(s, CUSTOMS_PKG_JAVA, "snakeyaml", "1.33");
	customs_pkg_setz(&p->namespace, "org.yaml");
	add(s, CUSTOMS_PKG_NPM, "badver", "not-a-version");
	res = run(&f, s, NULL);

	assert_non_null(
		find(res->matches, res->n_matches, "GHSA-aaaa", "express"));
	assert_non_null(
		find(res->matches, res->n_matches, "GHSA-bbbb", "lodash.trim"));
	/* GHSA and PYSEC rows of one issue are one finding, GHSA id kept */
	x = find(res->matches, res->n_matches, "GHSA-cccc", "Jinja2");
	assert_non_null(x);
	assert_null(
		find(res->matches, res->n_matches, "PYSEC-2021-66", "Jinja2"));
	assert_int_equal(x->vuln.aliases.n, 2);
	assert_int_equal(x->vuln.severity, CUSTOMS_SEVERITY_MEDIUM);
	/* withdrawn never matches */
	assert_null(
		find(res->matches, res->n_matches, "PYSEC-2099-1", "Jinja2"));
	x = find(res->matches, res->n_matches, "GO-2024-0001", "stdlib");
	assert_non_null(x);
	assert_string_equal(x->searched_version, "1.22.0");
	assert_null(find(res->matches, res->n_matches, "GO-2024-0002",
			 "example.com/mod"));
	assert_non_null(
		find(res->matches, res->n_matches, "GHSA-dddd", "snakeyaml"));
	/* an invalid version: a warning, no finding */
	assert_null(find(res->matches, res->n_matches, "GHSA-eeee", "badver"));
	assert_int_equal(res->warnings.n, 1);
	assert_non_null(strstr(res->warnings.v[0], "not-a-version"));
	assert_int_equal(res->n_matches, 5);
	customs_match_result_free(res);
	customs_sbom_free(s);
}

static void test_match_fixed_versions_not_reported(void **state)
{
	struct fake f = { lang_rows, 9, lang_recs, 3, NULL };
	struct customs_sbom *s = customs_sbom_new();
	struct customs_match_result *res;

	(void)state;
	add(s, CUSTOMS_PKG_NPM, "express", "5.0.0-beta.3");
	add(s, CUSTOMS_PKG_NPM, "lodash.trim", "4.5.2");
	add(s, CUSTOMS_PKG_PYTHON, "jinja2", "2.11.3");
	add(s, CUSTOMS_PKG_GO, "stdlib", "go1.22.1");
	add(s, CUSTOMS_PKG_GO, "stdlib", "go1.21.9");
	res = run(&f, s, NULL);
	assert_int_equal(res->n_matches, 0);
	assert_int_equal(res->n_ignored, 0);
	customs_match_result_free(res);
	customs_sbom_free(s);
}

/* ---- CPE ---------------------------------------------------------- */

static void test_match_cpe_binary(void **state)
{
	struct fake f = { NULL, 0, NULL, 0, NULL };
	struct customs_sbom *s = customs_sbom_new();
	struct customs_match_result *res;
	const struct customs_finding *x;
	struct customs_pkg *p;

	(void)state;
	p = add(s, CUSTOMS_PKG_BINARY, "curl", "7.88.1");
	customs_pkg_add_cpe(p, "cpe:2.3:a:haxx:curl:7.88.1:*:*:*:*:*:*:*");
	res = run(&f, s, NULL);
	/* bounds 7.0.0 <= v < 8.0.0, and the exact version */
	x = find(res->matches, res->n_matches, "CVE-2023-0001", "curl");
	assert_non_null(x);
	assert_int_equal(x->match_type, CUSTOMS_MATCH_CPE);
	assert_string_equal(x->matcher, "stock-matcher");
	assert_string_equal(x->found_ranges, ">= 7.0.0, < 8.0.0");
	assert_int_equal(x->fix_state, CUSTOMS_FIX_UNKNOWN);
	assert_non_null(
		find(res->matches, res->n_matches, "CVE-2023-0004", "curl"));
	/* another exact version, and a platform criterion, do
	 * not match */
	assert_int_equal(res->n_matches, 2);
	customs_match_result_free(res);
	customs_sbom_free(s);
}

/* ---- severity and fix state ---------------------------------------- */

static void test_match_severity_selection(void **state)
{
	struct customs_cvss c[3] = { 0 };

	(void)state;
	c[0].base_score = 9.1;
	c[0].source = "vendor";
	c[1].base_score = 5.0;
	c[1].source = "nvd@nist.gov";
	c[1].primary = true;
	c[2].base_score = 7.5;
	c[2].source = "nvd@nist.gov";
	c[2].primary = false;
	assert_int_equal(match_pick_severity(CUSTOMS_SEVERITY_LOW,
					     CUSTOMS_SEVERITY_HIGH, c, 3),
			 CUSTOMS_SEVERITY_LOW);
	assert_int_equal(match_pick_severity(CUSTOMS_SEVERITY_UNKNOWN,
					     CUSTOMS_SEVERITY_HIGH, c, 3),
			 CUSTOMS_SEVERITY_HIGH);
	/* NVD primary preferred over a higher secondary score */
	assert_int_equal(match_pick_severity(CUSTOMS_SEVERITY_UNKNOWN,
					     CUSTOMS_SEVERITY_UNKNOWN, c, 3),
			 CUSTOMS_SEVERITY_MEDIUM);
	/* else the highest score */
	assert_int_equal(match_pick_severity(CUSTOMS_SEVERITY_UNKNOWN,
					     CUSTOMS_SEVERITY_UNKNOWN, c, 1),
			 CUSTOMS_SEVERITY_CRITICAL);
	assert_int_equal(match_pick_severity(CUSTOMS_SEVERITY_UNKNOWN,
					     CUSTOMS_SEVERITY_UNKNOWN, c, 0),
			 CUSTOMS_SEVERITY_UNKNOWN);
}

static void test_match_fix_state_options(void **state)
{
	struct fake f = { deb_rows, 7, deb_recs, 1, debian_ns };
	struct customs_match_opts o = CUSTOMS_MATCH_OPTS_INIT;
	struct customs_sbom *s = debian_sbom();
	struct customs_match_result *res;
	struct customs_pkg *p;

	(void)state;
	p = add(s, CUSTOMS_PKG_DEB, "libssl3", "3.0.11-1~deb12u2");
	customs_pkg_setz(&p->source_name, "openssl");
	o.only_fixed = true;
	res = run(&f, s, &o);
	assert_int_equal(res->n_matches, 1);
	assert_string_equal(res->matches[0].vuln.id, "CVE-2024-0001");
	assert_non_null(
		find(res->ignored, res->n_ignored, "CVE-2024-0003", "libssl3"));
	assert_true(customs_match_fails(res, CUSTOMS_SEVERITY_HIGH));
	customs_match_result_free(res);

	o.only_fixed = false;
	o.ignore_states = CUSTOMS_FIX_STATE_BIT(CUSTOMS_FIX_FIXED);
	res = run(&f, s, &o);
	assert_int_equal(res->n_matches, 1);
	assert_string_equal(res->matches[0].vuln.id, "CVE-2024-0003");
	/* Negligible is below Low */
	assert_false(customs_match_fails(res, CUSTOMS_SEVERITY_LOW));
	assert_true(customs_match_fails(res, CUSTOMS_SEVERITY_NEGLIGIBLE));
	customs_match_result_free(res);
	customs_sbom_free(s);
}

/* ---- ignore rules -------------------------------------------------- */

static struct customs_ignore_rules *rules(const char *yaml)
{
	struct customs_ignore_rules *r = NULL;
	struct customs_ctx *ctx = NULL;

	assert_int_equal(customs_ctx_new(&ctx), 0);
	assert_int_equal(customs_ignore_rules_parse(&r, yaml, strlen(yaml),
						    "rules.yaml", ctx),
			 0);
	customs_ctx_free(ctx);
	return r;
}

static void test_match_ignore_rules(void **state)
{
	struct fake f = { deb_rows, 7, deb_recs, 1, debian_ns };
	struct customs_match_opts o = CUSTOMS_MATCH_OPTS_INIT;
	struct customs_sbom *s = debian_sbom();
	struct customs_match_result *res;
	const struct customs_finding *x;
	struct customs_pkg *p;

	(void)state;
	p = add(s, CUSTOMS_PKG_DEB, "libssl3", "3.0.11-1~deb12u2");
	customs_pkg_setz(&p->source_name, "openssl");
	customs_pkg_add_location(p, "var/lib/dpkg/status", NULL, 0,
				 CUSTOMS_EVIDENCE_PRIMARY);
	add(s, CUSTOMS_PKG_DEB, "zlib1g", "1:1.2.13.dfsg-1");
	o.today = "2026-06-01";
	o.rules = rules("ignore:\n"
			"  - vulnerability: CVE-2024-0001\n"
			"    reason: accepted risk\n"
			"    package: {name: 'libssl[0-9]+', location: "
			"'/var/lib/**'}\n"
			"  - vulnerability: CVE-2024-0003\n"
			"    fix-state: not-fixed\n" /* it is wont-fix */
			"  - vulnerability: CVE-2024-0006\n"
			"    expires: 2026-01-01\n"
			"  - fix-state: wont-fix\n"
			"    match-type: exact-indirect-match\n"
			"    expires: 2027-01-01\n");
	res = run(&f, s, &o);
	x = find(res->ignored, res->n_ignored, "CVE-2024-0001", "libssl3");
	assert_non_null(x);
	assert_string_equal(x->suppressions[0].reason, "accepted risk");
	x = find(res->ignored, res->n_ignored, "CVE-2024-0003", "libssl3");
	assert_non_null(x);
	assert_string_equal(x->suppressions[0].reason,
			    "ignore rule 4 (line 9)");
	/* the expired rule does not apply and is warned about */
	assert_non_null(
		find(res->matches, res->n_matches, "CVE-2024-0006", "zlib1g"));
	assert_int_equal(res->warnings.n, 1);
	assert_non_null(strstr(res->warnings.v[0], "expired"));
	assert_int_equal(res->n_matches, 1);
	customs_match_result_free(res);
	customs_ignore_rules_free((struct customs_ignore_rules *)o.rules);
	customs_sbom_free(s);
}

static void test_match_ignore_rules_reject_bad_input(void **state)
{
	static const char *const bad[] = {
		"- vulnerability: CVE-1\n  colour: red\n",
		"- fix-state: sometimes\n",
		"- package: {name: '(unclosed'}\n",
		"- expires: soon\n",
		"ignore: 3\n",
		"- [a, b]\n",
		"- vulnerability: [x]\n",
		"key: [unclosed\n",
	};
	struct customs_ignore_rules *r = NULL;
	struct customs_ctx *ctx = NULL;
	size_t i;

	(void)state;
	assert_int_equal(customs_ctx_new(&ctx), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(customs_ignore_rules_parse(&r, bad[i],
							    strlen(bad[i]),
							    "r.yaml", ctx),
				 CUSTOMS_EFORMAT);
		assert_null(r);
		assert_non_null(strstr(customs_ctx_errmsg(ctx), "r.yaml"));
	}
	/* empty documents are no rules */
	assert_int_equal(customs_ignore_rules_parse(&r, "", 0, "e", ctx), 0);
	customs_ignore_rules_free(r);
	assert_int_equal(customs_ignore_rules_parse(&r, "db: x\n", 6, "e", ctx),
			 0);
	customs_ignore_rules_free(r);
	customs_ctx_free(ctx);
}

static void test_match_glob(void **state)
{
	(void)state;
	assert_true(match_glob("/usr/lib/**", "/usr/lib/a/b.so"));
	assert_true(match_glob("**/node_modules/**", "/app/node_modules/x"));
	assert_true(match_glob("/app/*.jar", "/app/x.jar"));
	assert_false(match_glob("/app/*.jar", "/app/lib/x.jar"));
	assert_true(match_glob("/app/**/x.jar", "/app/x.jar"));
	assert_false(match_glob("/app/**/x.jar", "/app/lib/yx.jar"));
	assert_true(match_glob("/a?c", "/abc"));
	assert_false(match_glob("/a?c", "/a/c"));
}

/* ---- VEX ----------------------------------------------------------- */

static void test_match_vex(void **state)
{
	static const char doc[] =
		"{\"@context\":\"https://openvex.dev/ns/v0.2.0\","
		"\"statements\":["
		"{\"vulnerability\":{\"name\":\"CVE-2020-28493\"},"
		"\"products\":[{\"@id\":\"pkg:pypi/jinja2@2.11.2\"}],"
		"\"status\":\"not_affected\","
		"\"justification\":\"vulnerable_code_not_in_execute_path\"},"
		"{\"vulnerability\":{\"name\":\"GHSA-aaaa\"},"
		"\"products\":[{\"@id\":\"pkg:oci/app@sha256%3Aabcd\","
		"\"subcomponents\":[{\"@id\":\"pkg:npm/express@5.0.0-beta.1\"}]"
		"}],\"status\":\"fixed\"},"
		"{\"vulnerability\":{\"name\":\"GHSA-bbbb\"},"
		"\"products\":[{\"@id\":\"pkg:oci/app@sha256%3Aabcd\","
		"\"subcomponents\":[{\"@id\":\"pkg:npm/other@1\"}]}],"
		"\"status\":\"not_affected\"},"
		"{\"vulnerability\":{\"name\":\"GHSA-dddd\"},"
		"\"products\":[{\"@id\":\"pkg:maven/org.yaml/"
		"snakeyaml@1.33\"}],"
		"\"status\":\"affected\"}]}";
	static const char *const products[] = { "app:1", "sha256:abcd", NULL };
	struct fake f = { lang_rows, 9, lang_recs, 3, NULL };
	struct customs_match_opts o = CUSTOMS_MATCH_OPTS_INIT;
	struct customs_sbom *s = customs_sbom_new();
	struct customs_match_result *res;
	struct customs_ctx *ctx = NULL;
	struct customs_vex *vex = NULL;
	const struct customs_finding *x;
	struct customs_pkg *p;

	(void)state;
	assert_int_equal(customs_ctx_new(&ctx), 0);
	assert_int_equal(customs_vex_new(&vex), 0);
	assert_int_equal(customs_vex_add(vex, doc, strlen(doc), "a.vex", ctx),
			 0);
	p = add(s, CUSTOMS_PKG_PYTHON, "Jinja2", "2.11.2");
	customs_pkg_setz(&p->purl, "pkg:pypi/jinja2@2.11.2");
	p = add(s, CUSTOMS_PKG_NPM, "express", "5.0.0-beta.1");
	customs_pkg_setz(&p->purl, "pkg:npm/express@5.0.0-beta.1");
	p = add(s, CUSTOMS_PKG_NPM, "lodash.trim", "4.5.1");
	customs_pkg_setz(&p->purl, "pkg:npm/lodash.trim@4.5.1");
	p = add(s, CUSTOMS_PKG_JAVA, "snakeyaml", "1.33");
	customs_pkg_setz(&p->namespace, "org.yaml");
	customs_pkg_setz(&p->purl, "pkg:maven/org.yaml/snakeyaml@1.33");
	o.vex = vex;
	o.vex_products = products;
	res = run(&f, s, &o);
	/* by alias, product = package PURL */
	x = find(res->ignored, res->n_ignored, "GHSA-cccc", "Jinja2");
	assert_non_null(x);
	assert_int_equal(x->suppressions[0].kind, CUSTOMS_SUPPRESS_VEX);
	assert_string_equal(x->suppressions[0].reason,
			    "vex: not_affected: "
			    "vulnerable_code_not_in_execute_path (a.vex)");
	/* product = the image digest, subcomponent = the package */
	assert_non_null(
		find(res->ignored, res->n_ignored, "GHSA-aaaa", "express"));
	/* a subcomponent that is another package does not apply */
	assert_non_null(
		find(res->matches, res->n_matches, "GHSA-bbbb", "lodash.trim"));
	/* "affected" changes nothing */
	assert_non_null(
		find(res->matches, res->n_matches, "GHSA-dddd", "snakeyaml"));
	customs_match_result_free(res);
	customs_vex_free(vex);
	customs_ctx_free(ctx);
	customs_sbom_free(s);
}

static void test_match_vex_rejects_bad_input(void **state)
{
	static const char *const bad[] = {
		"not json",
		"{\"statements\": 3}",
		"{\"statements\": [3]}",
		"{\"statements\": [{\"status\": \"fixed\"}]}",
		"[]",
	};
	struct customs_ctx *ctx = NULL;
	struct customs_vex *vex = NULL;
	size_t i;

	(void)state;
	assert_int_equal(customs_ctx_new(&ctx), 0);
	assert_int_equal(customs_vex_new(&vex), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(customs_vex_add(vex, bad[i], strlen(bad[i]),
						 "b.json", ctx),
				 CUSTOMS_EFORMAT);
		assert_non_null(strstr(customs_ctx_errmsg(ctx), "b.json"));
	}
	customs_vex_free(vex);
	customs_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match_namespace_derivation),
		cmocka_unit_test(test_match_namespace_fallback),
		cmocka_unit_test(test_match_dpkg_direct_and_source),
		cmocka_unit_test(test_match_no_distro_data_warns),
		cmocka_unit_test(test_match_language_packages),
		cmocka_unit_test(test_match_fixed_versions_not_reported),
		cmocka_unit_test(test_match_cpe_binary),
		cmocka_unit_test(test_match_severity_selection),
		cmocka_unit_test(test_match_fix_state_options),
		cmocka_unit_test(test_match_ignore_rules),
		cmocka_unit_test(test_match_ignore_rules_reject_bad_input),
		cmocka_unit_test(test_match_glob),
		cmocka_unit_test(test_match_vex),
		cmocka_unit_test(test_match_vex_rejects_bad_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
