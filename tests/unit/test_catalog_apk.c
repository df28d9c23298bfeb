/*
 * apk-db-cataloger: the installed database through the real pipeline
 * (both locations), every field, owned files with decoded checksums,
 * licence expressions versus lists, and malformed records.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cat_test.h"

extern const struct cataloger cat_apk;

/* SHA-1 of the empty string, as apk writes it and as hex */
#define Q1_EMPTY "Q12jmj7l5rSw0yVb/vlWAYkK/YBwk="
#define SHA1_EMPTY "da39a3ee5e6b4b0d3255bfef95601890afd80709"

static const char installed[] = "C:Q1Ckr1bIjZfBzbf6EYwS2xnmm3Gk8=\n"
				"P:libcrypto3\n"
				"V:3.1.4-r5\n"
				"A:x86_64\n"
				"S:1777154\n"
				"I:4308992\n"
				"T:Crypto library from openssl\n"
				"U:https://www.openssl.org/\n"
				"L:Apache-2.0\n"
				"o:openssl\n"
				"m:Ariadne Conill <ariadne@dereferenced.org>\n"
				"t:1707165400\n"
				"c:d7f7f5a9f3b3f0e1b1d1c9e8a0f4b2c9d3e1f0a1\n"
				"D:so:libc.musl-x86_64.so.1\n"
				"p:so:libcrypto.so.3=3\n"
				"r:libressl\n"
				"F:lib\n"
				"R:libcrypto.so.3\n"
				"a:0:0:755\n"
				"Z:" Q1_EMPTY "\n"
				"F:usr/lib/engines-3\n"
				"R:afalg.so\n"
				"Z:Q2"
				"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"
				"R:padlock.so\n"
				"\n"
				"C:Q1abc=\n"
				"P:busybox\n"
				"V:1.36.1-r15\n"
				"A:x86_64\n"
				"L:GPL-2.0-only BSD-2-Clause\n"
				"F:bin\n"
				"R:busybox\n"
				"Z:" SHA1_EMPTY "\n"
				"\n"
				"P:musl\n"
				"V:1.2.4_git20230717-r4\n"
				"A:x86_64\n"
				"L:MIT AND (BSD-2-Clause OR GPL-2.0-or-later)\n"
				"o:musl\n";

static void test_apk_installed_pipeline(void **state)
{
	struct customs_sbom *sbom;
	const struct customs_pkg *p;
	const struct customs_pkg_file *f;
	char root[600];

	(void)state;
	ct_mkroot(root, sizeof(root));
	ct_put(root, "lib/apk/db/installed", installed);
	sbom = ct_catalog(root, "apk", CUSTOMS_SCOPE_SQUASHED);
	assert_int_equal(sbom->pkgs.n, 3);
	assert_int_equal(sbom->warnings.n, 0);

	p = ct_find(&sbom->pkgs, "libcrypto3", "3.1.4-r5");
	assert_non_null(p);
	assert_int_equal(p->type, CUSTOMS_PKG_APK);
	assert_string_equal(p->found_by, "apk-db-cataloger");
	assert_string_equal(p->arch, "x86_64");
	assert_string_equal(p->source_name, "openssl");
	assert_null(p->source_version);
	assert_int_equal(p->licenses.n, 1);
	assert_string_equal(p->licenses.v[0], "Apache-2.0");
	assert_string_equal(customs_pkg_meta_get(p, "size"), "1777154");
	assert_string_equal(customs_pkg_meta_get(p, "installed_size"),
			    "4308992");
	assert_string_equal(customs_pkg_meta_get(p, "description"),
			    "Crypto library from openssl");
	assert_string_equal(customs_pkg_meta_get(p, "url"),
			    "https://www.openssl.org/");
	assert_string_equal(customs_pkg_meta_get(p, "maintainer"),
			    "Ariadne Conill <ariadne@dereferenced.org>");
	assert_string_equal(customs_pkg_meta_get(p, "depends"),
			    "so:libc.musl-x86_64.so.1");
	assert_string_equal(customs_pkg_meta_get(p, "provides"),
			    "so:libcrypto.so.3=3");
	assert_string_equal(customs_pkg_meta_get(p, "checksum"),
			    "Q1Ckr1bIjZfBzbf6EYwS2xnmm3Gk8=");
	assert_string_equal(customs_pkg_meta_get(p, "git_commit"),
			    "d7f7f5a9f3b3f0e1b1d1c9e8a0f4b2c9d3e1f0a1");
	assert_int_equal(p->n_files, 3);
	f = ct_file(p, "lib/libcrypto.so.3");
	assert_non_null(f);
	assert_string_equal(f->algorithm, "sha1");
	assert_string_equal(f->digest, SHA1_EMPTY);
	f = ct_file(p, "usr/lib/engines-3/afalg.so");
	assert_non_null(f);
	assert_string_equal(f->algorithm, "sha256");
	assert_string_equal(f->digest, "e3b0c44298fc1c149afbf4c8996fb924"
				       "27ae41e4649b934ca495991b7852b855");
	f = ct_file(p, "usr/lib/engines-3/padlock.so");
	assert_non_null(f);
	assert_null(f->digest);
	assert_true(ct_has_location(p, "lib/apk/db/installed", 0,
				    CUSTOMS_EVIDENCE_PRIMARY));

	p = ct_find(&sbom->pkgs, "busybox", NULL);
	assert_non_null(p);
	assert_int_equal(p->licenses.n, 2);
	assert_string_equal(p->licenses.v[0], "GPL-2.0-only");
	assert_string_equal(p->licenses.v[1], "BSD-2-Clause");
	assert_string_equal(p->files[0].path, "bin/busybox");
	assert_string_equal(p->files[0].digest, SHA1_EMPTY);

	p = ct_find(&sbom->pkgs, "musl", NULL);
	assert_non_null(p);
	assert_int_equal(p->licenses.n, 1);
	assert_string_equal(p->licenses.v[0],
			    "MIT AND (BSD-2-Clause OR GPL-2.0-or-later)");
	assert_string_equal(p->source_name, "musl");
	assert_int_equal(p->n_files, 0);
	customs_sbom_free(sbom);
	ct_rmroot(root);
}

static void test_apk_v3_location(void **state)
{
	struct customs_sbom *sbom;
	char root[600];

	(void)state;
	ct_mkroot(root, sizeof(root));
	ct_put(root, "usr/lib/apk/db/installed",
	       "P:wolfi-base\nV:1-r6\nA:aarch64\nL:MIT\n");
	ct_put(root, "srv/lib/apk/db/installed", "P:elsewhere\nV:1\n");
	sbom = ct_catalog(root, "apk-db-cataloger", CUSTOMS_SCOPE_SQUASHED);
	assert_int_equal(sbom->pkgs.n, 1);
	assert_string_equal(sbom->pkgs.v[0]->name, "wolfi-base");
	assert_string_equal(sbom->pkgs.v[0]->locations[0].path,
			    "usr/lib/apk/db/installed");
	customs_sbom_free(sbom);
	ct_rmroot(root);
}

static void test_apk_parse_malformed(void **state)
{
	struct cat_result res;

	(void)state;
	ct_parse(&cat_apk, &res, "lib/apk/db/installed", 1,
		 "V:1.0\nA:x86_64\n"
		 "\n"
		 "P:nover\n"
		 "\n"
		 "P:dup\nV:1\nV:2\nnonsense\n7:digit key\n"
		 "Z:" Q1_EMPTY "\n"
		 "F:usr/bin\nR:dup\nZ:Q1notbase64!\nR:a/b\n"
		 "\n\n"
		 "P:cut\nV:1",
		 true);
	assert_int_equal(res.pkgs.n, 1);
	assert_string_equal(res.pkgs.v[0]->name, "dup");
	assert_string_equal(res.pkgs.v[0]->version, "1");
	assert_int_equal(res.pkgs.v[0]->n_files, 1);
	assert_null(res.pkgs.v[0]->files[0].digest);
	assert_int_equal(res.pkgs.v[0]->locations[0].layer, 1);
	assert_int_equal(res.warnings.n, 9);
	assert_string_equal(res.warnings.v[0],
			    "line 1: record without a usable P (name) field, "
			    "skipped");
	assert_string_equal(
		res.warnings.v[1],
		"line 4: package 'nover' has no usable V (version), "
		"skipped");
	assert_string_equal(res.warnings.v[2],
			    "line 8: field 'V' repeated (first on line 7), the "
			    "first value is kept");
	assert_string_equal(res.warnings.v[3],
			    "line 9: not a '<letter>:<value>' line, skipped");
	assert_string_equal(res.warnings.v[4],
			    "line 10: not a '<letter>:<value>' line, skipped");
	assert_string_equal(res.warnings.v[5],
			    "line 11: Z without a file, skipped");
	assert_string_equal(res.warnings.v[6],
			    "line 14: bad file checksum, skipped");
	assert_string_equal(res.warnings.v[7],
			    "line 15: bad file name, skipped");
	assert_string_equal(res.warnings.v[8],
			    "line 18: record cut short by the read limit, "
			    "skipped");
	ct_result_release(&cat_apk, &res);
}

static void test_apk_parse_empty_and_blank(void **state)
{
	struct cat_result res;

	(void)state;
	ct_parse(&cat_apk, &res, "lib/apk/db/installed", 0, "", false);
	assert_int_equal(res.pkgs.n, 0);
	assert_int_equal(res.warnings.n, 0);
	ct_result_release(&cat_apk, &res);
	ct_parse(&cat_apk, &res, "lib/apk/db/installed", 0,
		 "\n\n  \nP:a\r\nV:1\r\nL: \r\n\n\n", false);
	assert_int_equal(res.pkgs.n, 1);
	assert_string_equal(res.pkgs.v[0]->version, "1");
	assert_int_equal(res.pkgs.v[0]->licenses.n, 0);
	assert_int_equal(res.warnings.n, 0);
	ct_result_release(&cat_apk, &res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_apk_installed_pipeline),
		cmocka_unit_test(test_apk_v3_location),
		cmocka_unit_test(test_apk_parse_malformed),
		cmocka_unit_test(test_apk_parse_empty_and_blank),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
