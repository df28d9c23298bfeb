/*
 * Unit tests of what is derived from packages: PURLs (building for every
 * type, strict parsing, the purl-spec test-suite cases), CPEs and the
 * licence mapping. Expected strings follow purl-spec (ECMA-427 encoding)
 * and Syft's qualifier choices (docs/internals/purl.md).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "customs/pkg.h"
#include "pkg/pkg_int.h"
#include "util/banned.h"

static const struct customs_pkg_distro debian12 = { "debian", "12", NULL };
static const struct customs_pkg_distro ubuntu = { "ubuntu", "22.04", "debian" };
static const struct customs_pkg_distro alpine = { "alpine", "3.18.4", NULL };
static const struct customs_pkg_distro rhel = { "rhel", "9.1", "fedora" };
static const struct customs_pkg_distro leap = { "opensuse-leap", "15.5",
						"suse opensuse" };

static struct customs_pkg *mk(enum customs_pkg_type t, const char *name,
			      const char *version)
{
	struct customs_pkg *p = customs_pkg_new(t);

	assert_non_null(p);
	assert_int_equal(customs_pkg_setz(&p->name, name), 0);
	assert_int_equal(customs_pkg_setz(&p->version, version), 0);
	return p;
}

/* Build p's PURL on d, compare with want (NULL: no PURL), free p. */
static void expect_purl(struct customs_pkg *p,
			const struct customs_pkg_distro *d, const char *want)
{
	char *got = (char *)1;

	assert_int_equal(customs_purl_build(&got, p, d), 0);
	if (want)
		assert_string_equal(got, want);
	else
		assert_null(got);
	free(got);
	customs_pkg_free(p);
}

static void test_purl_deb_source_and_distro(void **state)
{
	struct customs_pkg *p =
		mk(CUSTOMS_PKG_DEB, "libpam-runtime", "1.1.8-3.6");

	(void)state;
	customs_pkg_setz(&p->arch, "all");
	customs_pkg_setz(&p->source_name, "pam");
	expect_purl(p, &debian12,
		    "pkg:deb/debian/libpam-runtime@1.1.8-3.6?arch=all&"
		    "distro=debian-12&upstream=pam");
}

static void test_purl_deb_encodes_version_and_upstream(void **state)
{
	struct customs_pkg *p =
		mk(CUSTOMS_PKG_DEB, "login", "1:4.13+dfsg1-1+b1");

	(void)state;
	customs_pkg_setz(&p->arch, "amd64");
	customs_pkg_setz(&p->source_name, "shadow");
	customs_pkg_setz(&p->source_version, "1:4.13+dfsg1-1");
	expect_purl(p, &debian12,
		    "pkg:deb/debian/login@1:4.13%2Bdfsg1-1%2Bb1?arch=amd64&"
		    "distro=debian-12&upstream=shadow%401:4.13%2Bdfsg1-1");
}

static void test_purl_deb_same_source_no_upstream(void **state)
{
	struct customs_pkg *p = mk(CUSTOMS_PKG_DEB, "bash", "5.2.15-2+b2");

	(void)state;
	customs_pkg_setz(&p->arch, "amd64");
	customs_pkg_setz(&p->source_name, "bash");
	customs_pkg_setz(&p->source_version, "5.2.15-2+b2");
	expect_purl(p, &ubuntu,
		    "pkg:deb/ubuntu/bash@5.2.15-2%2Bb2?arch=amd64&"
		    "distro=ubuntu-22.04");
}

static void test_purl_deb_needs_debian_like(void **state)
{
	(void)state;
	expect_purl(mk(CUSTOMS_PKG_DEB, "bash", "5.2"), &alpine, NULL);
	expect_purl(mk(CUSTOMS_PKG_DEB, "bash", "5.2"), NULL, NULL);
}

static void test_purl_rpm_namespace_epoch_upstream(void **state)
{
	struct customs_pkg *p = mk(CUSTOMS_PKG_RPM, "bash", "5.1.8-6.el9_1");

	(void)state;
	customs_pkg_setz(&p->arch, "x86_64");
	customs_pkg_setz(&p->source_name, "bash-5.1.8-6.el9_1.src.rpm");
	expect_purl(p, &rhel,
		    "pkg:rpm/redhat/bash@5.1.8-6.el9_1?arch=x86_64&"
		    "distro=rhel-9.1&upstream=bash-5.1.8-6.el9_1.src.rpm");
	p = mk(CUSTOMS_PKG_RPM, "openssl-libs", "1:3.0.7-24.el9");
	customs_pkg_setz(&p->arch, "x86_64");
	expect_purl(p, &rhel,
		    "pkg:rpm/redhat/openssl-libs@3.0.7-24.el9?arch=x86_64&"
		    "distro=rhel-9.1&epoch=1");
	p = mk(CUSTOMS_PKG_RPM, "zypper", "1.14.61-150400.3.30.1");
	expect_purl(p, &leap,
		    "pkg:rpm/opensuse/zypper@1.14.61-150400.3.30.1?"
		    "distro=opensuse-leap-15.5");
	/* no distribution (an .rpm file): no namespace */
	expect_purl(mk(CUSTOMS_PKG_RPM, "x", "1-1"), NULL, "pkg:rpm/x@1-1");
}

static void test_purl_apk_origin(void **state)
{
	struct customs_pkg *p = mk(CUSTOMS_PKG_APK, "libcrypto3", "3.1.2-r0");

	(void)state;
	customs_pkg_setz(&p->arch, "x86_64");
	customs_pkg_setz(&p->source_name, "openssl");
	expect_purl(p, &alpine,
		    "pkg:apk/alpine/libcrypto3@3.1.2-r0?arch=x86_64&"
		    "distro=alpine-3.18.4&upstream=openssl");
	p = mk(CUSTOMS_PKG_APK, "musl", "1.2.4-r1");
	customs_pkg_setz(&p->source_name, "musl");
	expect_purl(p, &alpine,
		    "pkg:apk/alpine/musl@1.2.4-r1?distro=alpine-3.18.4");
}

static void test_purl_language_types(void **state)
{
	struct customs_pkg *p;

	(void)state;
	expect_purl(mk(CUSTOMS_PKG_NPM, "@babel/code-frame", "7.10.4"), NULL,
		    "pkg:npm/%40babel/code-frame@7.10.4");
	expect_purl(mk(CUSTOMS_PKG_NPM, "lodash", "4.17.21"), &debian12,
		    "pkg:npm/lodash@4.17.21");
	expect_purl(mk(CUSTOMS_PKG_PYTHON, "Flask_SQLAlchemy", "3.0.5"), NULL,
		    "pkg:pypi/flask-sqlalchemy@3.0.5");
	expect_purl(mk(CUSTOMS_PKG_PYTHON, "zope.interface", "6.0"), NULL,
		    "pkg:pypi/zope-interface@6.0");
	p = mk(CUSTOMS_PKG_JAVA, "log4j-core", "2.17.1");
	customs_pkg_setz(&p->namespace, "org.apache.logging.log4j");
	expect_purl(p, NULL,
		    "pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1");
	p = mk(CUSTOMS_PKG_JENKINS, "git", "5.2.0");
	customs_pkg_setz(&p->namespace, "org.jenkins-ci.plugins");
	expect_purl(p, NULL, "pkg:maven/org.jenkins-ci.plugins/git@5.2.0");
	expect_purl(mk(CUSTOMS_PKG_GO, "github.com/sirupsen/logrus", "v1.9.3"),
		    NULL, "pkg:golang/github.com/sirupsen/logrus@v1.9.3");
	expect_purl(mk(CUSTOMS_PKG_GO, "stdlib", "go1.21.5"), NULL,
		    "pkg:golang/stdlib@1.21.5");
	expect_purl(mk(CUSTOMS_PKG_BINARY, "java/jre", "17.0.9"), NULL,
		    "pkg:generic/java/jre@17.0.9");
	expect_purl(mk(CUSTOMS_PKG_GO, "example.com/app", "(devel)"), NULL,
		    "pkg:golang/example.com/app@%28devel%29");
	expect_purl(mk(CUSTOMS_PKG_RUST, "serde", "1.0.188"), NULL,
		    "pkg:cargo/serde@1.0.188");
	expect_purl(mk(CUSTOMS_PKG_GEM, "rails", "7.0.4"), NULL,
		    "pkg:gem/rails@7.0.4");
	expect_purl(mk(CUSTOMS_PKG_PHP, "symfony/polyfill-mbstring", "v1.28.0"),
		    NULL, "pkg:composer/symfony/polyfill-mbstring@v1.28.0");
	expect_purl(mk(CUSTOMS_PKG_PHP, "a/b/c", "1"), NULL,
		    "pkg:composer/a/b-c@1");
	expect_purl(mk(CUSTOMS_PKG_DOTNET, "Newtonsoft.Json", "13.0.3"), NULL,
		    "pkg:nuget/Newtonsoft.Json@13.0.3");
	expect_purl(mk(CUSTOMS_PKG_BINARY, "python", "3.11.2"), NULL,
		    "pkg:generic/python@3.11.2");
	expect_purl(mk(CUSTOMS_PKG_UNKNOWN, "x", "1"), NULL, NULL);
	expect_purl(mk(CUSTOMS_PKG_GEM, "novers", NULL), NULL,
		    "pkg:gem/novers");
}

static void test_purl_encoding_of_odd_characters(void **state)
{
	(void)state;
	/* space, '/', '?', '#', '@', '%' and non-ASCII in a name */
	expect_purl(mk(CUSTOMS_PKG_BINARY, "a b?c#d@e%f", "1.0 rc/1"), NULL,
		    "pkg:generic/a%20b%3Fc%23d%40e%25f@1.0%20rc%2F1");
	expect_purl(mk(CUSTOMS_PKG_GEM, "caf\xc3\xa9", "1~2_3"), NULL,
		    "pkg:gem/caf%C3%A9@1~2_3");
	/* control bytes: no PURL rather than one the parser refuses */
	expect_purl(mk(CUSTOMS_PKG_GEM, "a\tb", "1"), NULL, NULL);
	expect_purl(mk(CUSTOMS_PKG_GEM, "ab", "1\n"), NULL, NULL);
}

static void parse_ok(const char *s, struct customs_purl *u)
{
	struct customs_ctx *ctx;

	assert_int_equal(customs_ctx_new(&ctx), 0);
	if (customs_purl_parse(u, s, ctx))
		fail_msg("parse %s: %s", s, customs_ctx_errmsg(ctx));
	customs_ctx_free(ctx);
}

static void parse_bad(const char *s, const char *msg_part)
{
	struct customs_purl u;
	struct customs_ctx *ctx;

	assert_int_equal(customs_ctx_new(&ctx), 0);
	assert_int_equal(customs_purl_parse(&u, s, ctx), CUSTOMS_EFORMAT);
	if (!strstr(customs_ctx_errmsg(ctx), msg_part))
		fail_msg("%s: message '%s' lacks '%s'", s,
			 customs_ctx_errmsg(ctx), msg_part);
	assert_null(u.type);
	customs_ctx_free(ctx);
}

static void test_purl_parse_components(void **state)
{
	struct customs_purl u;

	(void)state;
	parse_ok("pkg:deb/debian/attr@1:2.4.47-2%2Bb1?arch=amd64", &u);
	assert_string_equal(u.type, "deb");
	assert_string_equal(u.namespace, "debian");
	assert_string_equal(u.name, "attr");
	assert_string_equal(u.version, "1:2.4.47-2+b1");
	assert_int_equal(u.qualifiers.n, 1);
	assert_string_equal(u.qualifiers.keys[0], "arch");
	assert_string_equal(u.qualifiers.values[0], "amd64");
	assert_null(u.subpath);
	customs_purl_release(&u);

	/* type and keys are case-insensitive; qualifiers come out sorted;
	 * empty values are dropped; subpath "." and ".." segments go */
	parse_ok("pkg:Maven/org.apache.commons/io@1.3.4?Type=jar&a=&"
		 "classifier=sources#./src/../main/%41.java",
		 &u);
	assert_string_equal(u.type, "maven");
	assert_string_equal(u.namespace, "org.apache.commons");
	assert_int_equal(u.qualifiers.n, 2);
	assert_string_equal(u.qualifiers.keys[0], "classifier");
	assert_string_equal(u.qualifiers.keys[1], "type");
	assert_string_equal(u.subpath, "src/main/A.java");
	customs_purl_release(&u);

	parse_ok("pkg:npm/%40angular/animation@12.3.1", &u);
	assert_string_equal(u.namespace, "@angular");
	assert_string_equal(u.name, "animation");
	customs_purl_release(&u);

	parse_ok("pkg:golang/google.golang.org/genproto#googleapis/api", &u);
	assert_string_equal(u.namespace, "google.golang.org");
	assert_string_equal(u.name, "genproto");
	assert_null(u.version);
	assert_string_equal(u.subpath, "googleapis/api");
	customs_purl_release(&u);
}

/* purl-spec's specification tests that must fail to parse. */
static void test_purl_parse_rejects_spec_failures(void **state)
{
	(void)state;
	parse_bad("EnterpriseLibrary.Common@6.0.1304", "pkg:");
	parse_bad("pkg:EnterpriseLibrary.Common@6.0.1304", "type");
	parse_bad("pkg:n&g?inx/nginx@0.8.9", "qualifier");
	parse_bad("pkg:3nginx/nginx@0.8.9", "type");
	parse_bad("pkg:nginx:a/nginx@0.8.9", "type");
	parse_bad("pkg:npm/myartifact@1.0.0?in%20production=true", "qualifier");
	parse_bad("pkg:maven/@1.3.4", "name");
	parse_bad("pkg%3Amaven/org.apache.commons/io", "pkg:");
	parse_bad("pkg:npm/foo@", "version");
	parse_bad("pkg:npm/foo%2", "escape");
	parse_bad("pkg:npm/foo%zz", "escape");
	parse_bad("pkg:npm/a%2Fb/c", "forbidden");
	parse_bad("pkg:npm/a%00b", "forbidden");
	parse_bad("pkg:npm/x@1?a=1&a=2", "twice");
}

/* parse -> format gives the canonical form back. */
static void roundtrip(const char *in, const char *want)
{
	struct customs_purl u;
	char *out = NULL;

	parse_ok(in, &u);
	assert_int_equal(pkg_purl_format(&out, &u), 0);
	assert_string_equal(out, want);
	free(out);
	customs_purl_release(&u);
}

static void test_purl_roundtrip(void **state)
{
	(void)state;
	roundtrip("pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie",
		  "pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie");
	roundtrip("pkg:deb/debian/attr@1:2.4.47-2?arch=source",
		  "pkg:deb/debian/attr@1:2.4.47-2?arch=source");
	roundtrip("pkg:generic/bitwarderl?checksum=sha1:ad9503c3e994a4f%2C"
		  "sha256:41bf9088b3a1e6c1ef1d",
		  "pkg:generic/bitwarderl?checksum=sha1:ad9503c3e994a4f%2C"
		  "sha256:41bf9088b3a1e6c1ef1d");
	roundtrip("pkg:npm/%40babel/core@7.0.0?b=2&a=1",
		  "pkg:npm/%40babel/core@7.0.0?a=1&b=2");
	roundtrip("pkg://gem/rails@7.0.4/", "pkg:gem/rails@7.0.4");
	roundtrip("pkg:generic/openssl@1.1.10g?checksum=sha1:ad9503c3e994a4f,"
		  "sha256:41bf9088b3a1e6c1ef1d",
		  "pkg:generic/openssl@1.1.10g?checksum=sha1:ad9503c3e994a4f%2C"
		  "sha256:41bf9088b3a1e6c1ef1d");
	roundtrip("pkg:maven/org.apache.commons/io@1.3.4#a/b",
		  "pkg:maven/org.apache.commons/io@1.3.4#a/b");
}

/* Every PURL we build parses back to the same facts. */
static void test_purl_build_parse_agree(void **state)
{
	struct customs_pkg *p = mk(CUSTOMS_PKG_DEB, "login", "1:4.13+dfsg1-1");
	struct customs_purl u;
	char *s = NULL;

	(void)state;
	customs_pkg_setz(&p->source_name, "shadow");
	customs_pkg_setz(&p->source_version, "1:4.13+dfsg1");
	assert_int_equal(customs_purl_build(&s, p, &ubuntu), 0);
	parse_ok(s, &u);
	assert_string_equal(u.version, "1:4.13+dfsg1-1");
	assert_string_equal(u.qualifiers.keys[1], "upstream");
	assert_string_equal(u.qualifiers.values[1], "shadow@1:4.13+dfsg1");
	customs_purl_release(&u);
	free(s);
	customs_pkg_free(p);
}

static void expect_cpes(struct customs_pkg *p, const char *const *want)
{
	size_t i;

	assert_int_equal(pkg_cpe_generate(p, NULL), 0);
	for (i = 0; want[i]; i++) {
		if (i >= p->cpes.n)
			fail_msg("missing cpe %s", want[i]);
		assert_string_equal(p->cpes.v[i], want[i]);
	}
	assert_int_equal(p->cpes.n, i);
	customs_pkg_free(p);
}

static void test_cpe_candidates_per_ecosystem(void **state)
{
	static const char *const none[] = { NULL };
	static const char *const java[] = {
		"cpe:2.3:a:apache:log4j-core:2.17.1:*:*:*:*:*:*:*",
		"cpe:2.3:a:log4j-core:log4j-core:2.17.1:*:*:*:*:*:*:*", NULL
	};
	static const char *const npm[] = {
		"cpe:2.3:a:babel:core:7.0.0:*:*:*:*:*:*:*",
		"cpe:2.3:a:core:core:7.0.0:*:*:*:*:*:*:*", NULL
	};
	static const char *const go[] = {
		"cpe:2.3:a:sirupsen:logrus:v1.9.3:*:*:*:*:*:*:*",
		"cpe:2.3:a:logrus:logrus:v1.9.3:*:*:*:*:*:*:*", NULL
	};
	static const char *const stdlib[] = {
		"cpe:2.3:a:golang:go:1.21.5:*:*:*:*:*:*:*", NULL
	};
	static const char *const gem[] = {
		"cpe:2.3:a:rails:rails:7.0.4:*:*:*:*:*:*:*", NULL
	};
	struct customs_pkg *p;

	(void)state;
	p = mk(CUSTOMS_PKG_JAVA, "log4j-core", "2.17.1");
	customs_pkg_setz(&p->namespace, "org.apache.logging.log4j");
	expect_cpes(p, java);
	expect_cpes(mk(CUSTOMS_PKG_NPM, "@babel/core", "7.0.0"), npm);
	expect_cpes(mk(CUSTOMS_PKG_GO, "github.com/sirupsen/logrus", "v1.9.3"),
		    go);
	expect_cpes(mk(CUSTOMS_PKG_GO, "stdlib", "go1.21.5"), stdlib);
	expect_cpes(mk(CUSTOMS_PKG_GEM, "Rails", "7.0.4"), gem);
	expect_cpes(mk(CUSTOMS_PKG_DEB, "bash", "5.2"), none);
	expect_cpes(mk(CUSTOMS_PKG_RPM, "bash", "5.2"), none);
	expect_cpes(mk(CUSTOMS_PKG_APK, "bash", "5.2"), none);
	expect_cpes(mk(CUSTOMS_PKG_GO, "example.com/app", "(devel)"), none);
}

static void test_cpe_escaping_and_kept(void **state)
{
	static const char *const kept[] = {
		"cpe:2.3:a:gnu:bash:5.2:*:*:*:*:*:*:*", NULL
	};
	struct customs_pkg *p;
	char *s = NULL;

	(void)state;
	assert_int_equal(pkg_cpe_format(&s, "a b", "c:d*", "1.0+git~x!"), 0);
	assert_string_equal(s, "cpe:2.3:a:a_b:c\\:d\\*:1.0\\+git\\~x\\!:*:*:*:"
			       "*:*:*:*");
	free(s);
	assert_int_equal(pkg_cpe_format(&s, "v", "p", NULL), 0);
	assert_string_equal(s, "cpe:2.3:a:v:p:*:*:*:*:*:*:*:*");
	free(s);
	assert_int_equal(pkg_cpe_format(&s, "caf\xc3\xa9", "p", "1"), 0);
	assert_null(s);
	/* a cataloger's CPEs are kept */
	p = mk(CUSTOMS_PKG_BINARY, "bash", "5.2");
	customs_pkg_add_cpe(p, "cpe:2.3:a:gnu:bash:5.2:*:*:*:*:*:*:*");
	expect_cpes(p, kept);
}

static void test_derive_sets_purl_cpes_and_sorts_meta(void **state)
{
	struct customs_pkg *p = mk(CUSTOMS_PKG_PYTHON, "Requests", "2.31.0");

	(void)state;
	customs_pkg_meta_set(p, "zeta", "1");
	customs_pkg_meta_set(p, "alpha", "2");
	assert_int_equal(customs_pkg_derive(p, &debian12), 0);
	assert_string_equal(p->purl, "pkg:pypi/requests@2.31.0");
	assert_int_equal(p->cpes.n, 1);
	assert_string_equal(p->cpes.v[0],
			    "cpe:2.3:a:requests:requests:2.31.0:*:*:*:*:*:*:*");
	assert_string_equal(p->meta.keys[0], "alpha");
	/* a PURL already set is kept */
	customs_pkg_setz(&p->purl, "pkg:pypi/other@1");
	assert_int_equal(customs_pkg_derive(p, &debian12), 0);
	assert_string_equal(p->purl, "pkg:pypi/other@1");
	customs_pkg_free(p);
}

static void expect_id(const char *declared, const char *want)
{
	const char *got = customs_license_spdx_id(declared);

	if (!want && got)
		fail_msg("'%s' mapped to '%s'", declared, got);
	if (want && (!got || strcmp(got, want)))
		fail_msg("'%s' mapped to '%s', want '%s'", declared,
			 got ? got : "(none)", want);
}

static void test_license_spdx_ids(void **state)
{
	(void)state;
	expect_id("MIT", "MIT");
	expect_id("mit", "MIT");
	expect_id("  MIT License ", "MIT");
	expect_id("Expat", "MIT");
	expect_id("Apache 2.0", "Apache-2.0");
	expect_id("apache-2.0", "Apache-2.0");
	expect_id("Apache License, Version 2.0", "Apache-2.0");
	expect_id("GPL-2.0+", "GPL-2.0-or-later");
	expect_id("GPL-2+", "GPL-2.0-or-later");
	expect_id("GPL-2", "GPL-2.0-only");
	expect_id("GPL-3.0", "GPL-3.0-only");
	expect_id("LGPL-2.1+", "LGPL-2.1-or-later");
	expect_id("LGPL-2.1-only+", "LGPL-2.1-or-later");
	expect_id("GPLv3+", "GPL-3.0-or-later");
	expect_id("BSD-3-clause", "BSD-3-Clause");
	expect_id("PSF", "PSF-2.0");
	expect_id("Artistic", "Artistic-1.0");
	expect_id("zlib", "Zlib");
	expect_id("latex2e", "Latex2e");
	expect_id("GFDL-NIV-1.3+", "GFDL-1.3-no-invariants-or-later");
	expect_id("BSD-tcp_wrappers", "TCP-wrappers");
	expect_id("BSD", NULL);
	expect_id("public-domain", NULL);
	expect_id("GPL", NULL);
	expect_id("MIT+", NULL);
	expect_id("", NULL);
	expect_id("Something Proprietary", NULL);
	assert_null(customs_license_spdx_id(NULL));
}

static void expect_expr(const char *declared, const char *want)
{
	char *got = (char *)1;

	assert_int_equal(customs_license_expression(&got, declared), 0);
	if (!want && got)
		fail_msg("'%s' gave expression '%s'", declared, got);
	if (want && (!got || strcmp(got, want)))
		fail_msg("'%s' gave '%s', want '%s'", declared,
			 got ? got : "(none)", want);
	free(got);
}

static void test_license_expressions(void **state)
{
	(void)state;
	expect_expr("MIT OR Apache-2.0", "MIT OR Apache-2.0");
	expect_expr("mit or apache-2.0", "MIT OR Apache-2.0");
	expect_expr("(MIT OR Apache-2.0) AND BSD-3-Clause",
		    "(MIT OR Apache-2.0) AND BSD-3-Clause");
	expect_expr("GPL-2.0+ WITH Classpath-exception-2.0",
		    "GPL-2.0-or-later WITH Classpath-exception-2.0");
	expect_expr("MIT AND LicenseRef-Custom", "MIT AND LicenseRef-Custom");
	expect_expr("zlib", "Zlib");
	expect_expr("Apache 2.0", NULL);
	expect_expr("MIT OR", NULL);
	expect_expr("(MIT", NULL);
	expect_expr("MIT WITH Nonsense-exception", NULL);
	expect_expr("Foo OR MIT", NULL);
	expect_expr("", NULL);
	expect_expr("((((((((((((((((((MIT))))))))))))))))))", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_purl_deb_source_and_distro),
		cmocka_unit_test(test_purl_deb_encodes_version_and_upstream),
		cmocka_unit_test(test_purl_deb_same_source_no_upstream),
		cmocka_unit_test(test_purl_deb_needs_debian_like),
		cmocka_unit_test(test_purl_rpm_namespace_epoch_upstream),
		cmocka_unit_test(test_purl_apk_origin),
		cmocka_unit_test(test_purl_language_types),
		cmocka_unit_test(test_purl_encoding_of_odd_characters),
		cmocka_unit_test(test_purl_parse_components),
		cmocka_unit_test(test_purl_parse_rejects_spec_failures),
		cmocka_unit_test(test_purl_roundtrip),
		cmocka_unit_test(test_purl_build_parse_agree),
		cmocka_unit_test(test_cpe_candidates_per_ecosystem),
		cmocka_unit_test(test_cpe_escaping_and_kept),
		cmocka_unit_test(test_derive_sets_purl_cpes_and_sorts_meta),
		cmocka_unit_test(test_license_spdx_ids),
		cmocka_unit_test(test_license_expressions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
