/*
 * version: hand-picked tricky cases per scheme (each one a rule the
 * reference tool documents or a bug other scanners had), range syntax
 * and prerelease rules, and the error contract. The bulk comparison with
 * the real tools is in tests/e2e/t04NN-version-*.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "customs/version.h"
#include "util/banned.h"

struct vcase {
	const char *a;
	int want; /* -1, 0, 1 */
	const char *b;
};

static void check_cases(enum customs_version_scheme s,
			const struct vcase *cases, size_t n)
{
	size_t i;
	int c, r;

	for (i = 0; i < n; i++) {
		c = 99;
		assert_int_equal(customs_version_cmp(s, cases[i].a, cases[i].b,
						     &c, NULL),
				 0);
		if (c != cases[i].want)
			fail_msg("%s: %s vs %s: got %d want %d",
				 customs_version_scheme_name(s), cases[i].a,
				 cases[i].b, c, cases[i].want);
		assert_int_equal(customs_version_cmp(s, cases[i].b, cases[i].a,
						     &r, NULL),
				 0);
		assert_int_equal(r, -c);
	}
}

#define CHECK(s, arr) check_cases((s), (arr), sizeof(arr) / sizeof(arr[0]))

static void test_version_dpkg_rules(void **state)
{
	static const struct vcase v[] = {
		{ "1.0~rc1", -1, "1.0" },
		{ "1.0~~", -1, "1.0~" },
		{ "1:0.1", 1, "2.0" },
		{ "1.0", 0, "1.0-0" },
		{ "1.0", 0, "0:1.0" },
		{ "1.0a", -1, "1.0+" },
		{ "1.0+", -1, "1.0." },
		{ "5.4.1-1", -1, "5.4.1-1+deb12u1" },
		{ "3.0.22-1~deb12u2", -1, "3.0.22-1" },
		{ "1:1.2.13.dfsg-1", 1, "1.2.13.dfsg-9" },
		{ "1.001", 0, "1.1" },
		{ "1.0-1-2", 1, "1.0-1-1" },
		{ "2:1.0", 1, "1:9" },
	};
	int c;

	(void)state;
	CHECK(CUSTOMS_VERSION_DPKG, v);
	assert_int_equal(customs_version_cmp(CUSTOMS_VERSION_DPKG, "1.0-", "1",
					     &c, NULL),
			 CUSTOMS_EFORMAT);
	assert_int_equal(
		customs_version_cmp(CUSTOMS_VERSION_DPKG, "a:1", "1", &c, NULL),
		CUSTOMS_EFORMAT);
	assert_int_equal(
		customs_version_cmp(CUSTOMS_VERSION_DPKG, "1 0", "1", &c, NULL),
		CUSTOMS_EFORMAT);
	assert_int_equal(
		customs_version_cmp(CUSTOMS_VERSION_DPKG, "", "1", &c, NULL),
		CUSTOMS_EFORMAT);
}

static void test_version_rpm_rules(void **state)
{
	static const struct vcase v[] = {
		{ "1.0~rc1", -1, "1.0" },
		{ "1.0^", 1, "1.0" },
		{ "1.0^git1", -1, "1.0.1" },
		{ "1.0a", -1, "1.0.1" },
		{ "2.0.01", 0, "2.0.1" },
		{ "1.0", 0, "1_0" },
		{ "8.3.1-5.el8.4", -1, "8.3.1-5.el8.5" },
		/* rpm, not Grype: a longer all-zero tail is newer */
		{ "8.3.1-5.el8", -1, "8.3.1-5.el8.0.0" },
		/* rpm, not Grype: a missing epoch is 0 */
		{ "1:1.0", 1, "2.0" },
		{ "0:1.0", 0, "1.0" },
		{ "1.0", -1, "1.0-1" },
		{ "a", -1, "1" },
	};

	(void)state;
	CHECK(CUSTOMS_VERSION_RPM, v);
}

static void test_version_apk_rules(void **state)
{
	static const struct vcase v[] = {
		{ "1.0_alpha", -1, "1.0_beta" },
		{ "1.0_rc1", -1, "1.0" },
		{ "1.0", -1, "1.0_p1" },
		{ "1.0_cvs", -1, "1.0_git" },
		{ "1.0-r1", 1, "1.0" },
		{ "0.1.0_alpha_pre2", -1, "0.1.0_alpha" },
		{ "006", 1, "1.0.0" },
		{ "1.02", -1, "1.1" },
		{ "2.3.0b-r1", -1, "2.3.0b-r2" },
		{ "1.0_p10-r0", 1, "1.0_p9-r0" },
	};

	(void)state;
	CHECK(CUSTOMS_VERSION_APK, v);
}

static void test_version_semver_rules(void **state)
{
	static const struct vcase v[] = {
		{ "1.0.0-alpha", -1, "1.0.0-alpha.1" },
		{ "1.0.0-alpha.1", -1, "1.0.0-alpha.beta" },
		{ "1.0.0-beta.2", -1, "1.0.0-beta.11" },
		{ "1.0.0-rc.1", -1, "1.0.0" },
		{ "1.0.0+build.1", 0, "1.0.0+build.2" },
		{ "v2.0.0", 0, "2.0.0" },
		{ "18446744073709551615.0.0", 1, "1.0.0" },
	};
	int c;

	(void)state;
	CHECK(CUSTOMS_VERSION_SEMVER, v);
	assert_int_equal(customs_version_cmp(CUSTOMS_VERSION_SEMVER, "1.0",
					     "1.0.0", &c, NULL),
			 CUSTOMS_EFORMAT);
	assert_int_equal(customs_version_cmp(CUSTOMS_VERSION_SEMVER, "01.0.0",
					     "1.0.0", &c, NULL),
			 CUSTOMS_EFORMAT);
	/* node-semver's limit: numbers up to 2^53 - 1 */
	assert_int_equal(customs_version_cmp(CUSTOMS_VERSION_NPM,
					     "9007199254740992.0.0", "1.0.0",
					     &c, NULL),
			 CUSTOMS_EFORMAT);
}

static void test_version_pep440_rules(void **state)
{
	static const struct vcase v[] = {
		{ "1.0.dev0", -1, "1.0a1" },
		{ "1.0a1", -1, "1.0" },
		{ "1.0", -1, "1.0.post1" },
		{ "1.0", 0, "1.0.0" },
		{ "1!0.1", 1, "2.0" },
		{ "1.0-1", 0, "1.0.post1" },
		{ "1.0alpha1", 0, "1.0a1" },
		{ "1.0c1", 0, "1.0rc1" },
		{ "1.0a1.dev1", -1, "1.0a1" },
		{ "1.0.post1.dev1", -1, "1.0.post1" },
		{ "1.0+abc", 1, "1.0" },
		{ "1.0+5", 1, "1.0+abc" },
		{ "2022.12.07", 0, "2022.12.7" },
		{ "V1.0", 0, " 1.0 " },
	};
	int c;

	(void)state;
	CHECK(CUSTOMS_VERSION_PEP440, v);
	assert_int_equal(customs_version_cmp(CUSTOMS_VERSION_PEP440, "1.0x",
					     "1.0", &c, NULL),
			 CUSTOMS_EFORMAT);
}

static void test_version_maven_rules(void **state)
{
	static const struct vcase v[] = {
		{ "1.0-RC1", -1, "1.0" },
		{ "1.0.0", 0, "1" },
		{ "1-sp", 1, "1" },
		{ "2.0.0.Final", 0, "2.0.0" },
		{ "1.0-alpha1", -1, "1.0-beta1" },
		{ "1-a1", 0, "1-alpha-1" },
		{ "1-cr1", 0, "1-rc1" },
		{ "1-SNAPSHOT", -1, "1" },
		{ "1-foo", 1, "1-sp" },
		{ "1.0.x1", 0, "1-x-1" },
		{ "5.2.20.RELEASE", 0, "5.2.20" },
		{ "2.0-beta9", -1, "2.0" },
	};

	(void)state;
	CHECK(CUSTOMS_VERSION_MAVEN, v);
}

static void test_version_gem_rules(void **state)
{
	static const struct vcase v[] = {
		{ "1.0.a", -1, "1.0" },
		{ "1.0.0", 0, "1" },
		{ "1.0.0-rc1", -1, "1.0.0" },
		{ "1.0.0-rc1", 0, "1.0.0.pre.rc1" },
		{ "1.0.b1", 1, "1.0.a2" },
		{ "", 0, "0" },
	};
	int c;

	(void)state;
	CHECK(CUSTOMS_VERSION_GEM, v);
	assert_int_equal(
		customs_version_cmp(CUSTOMS_VERSION_GEM, "1..0", "1", &c, NULL),
		CUSTOMS_EFORMAT);
}

static void test_version_go_rules(void **state)
{
	static const struct vcase v[] = {
		{ "go1.21rc1", -1, "go1.21.0" },
		{ "go1.21", -1, "go1.21rc1" },
		{ "go1.20", 0, "go1.20.0" },
		{ "go1.21rc1", -1, "1.21.0" },
		{ "go1.21", -1, "v1.21.0-rc.1" },
		{ "go1.22.3", 0, "1.22.3" },
		{ "v0.0.0-20191109021931-daa7c04131f5", -1, "v0.0.1" },
		{ "v2.0.0+incompatible", 0, "v2.0.0" },
		{ "1.22.0-0", -1, "1.22.0-rc.1" },
		{ "v1", 0, "v1.0.0" },
	};

	(void)state;
	CHECK(CUSTOMS_VERSION_GO, v);
}

static void test_version_nuget_generic_rules(void **state)
{
	static const struct vcase n[] = {
		{ "1.0.0.0", 0, "1.0.0" },
		{ "1.0.0.1", 1, "1.0.0" },
		{ "1.0.0-ALPHA", 0, "1.0.0-alpha" },
		{ "1.0.0-beta.2", -1, "1.0.0-Beta.10" },
		{ "1.0", 0, "1.0.0" },
		{ "1.0.0-rc", -1, "1.0.0" },
	};
	static const struct vcase g[] = {
		{ "1.0.2k", 1, "1.0.2j" },
		{ "1.0.2", -1, "1.0.2a" },
		{ "1.0", 0, "1.0.0" },
		{ "1.0.2k", -1, "1.0.3" },
	};

	(void)state;
	CHECK(CUSTOMS_VERSION_NUGET, n);
	CHECK(CUSTOMS_VERSION_GENERIC, g);
}

struct rcase {
	const char *range, *version;
	int want; /* 1 in, 0 out, -1 error */
};

static void check_ranges(enum customs_version_scheme s, const struct rcase *c,
			 size_t n)
{
	struct customs_version_range *r;
	size_t i;
	bool in;
	int rc;

	for (i = 0; i < n; i++) {
		r = NULL;
		in = false;
		rc = customs_version_range_parse(&r, s, c[i].range, NULL);
		if (!rc)
			rc = customs_version_range_contains(r, c[i].version,
							    &in, NULL);
		customs_version_range_free(r);
		if ((rc ? -1 : in) != c[i].want)
			fail_msg("%s: '%s' contains '%s': got %d want %d",
				 customs_version_scheme_name(s), c[i].range,
				 c[i].version, rc ? -1 : in, c[i].want);
	}
}

#define CHECK_RANGES(s, arr) \
	check_ranges((s), (arr), sizeof(arr) / sizeof(arr[0]))

static void test_version_npm_ranges(void **state)
{
	static const struct rcase v[] = {
		{ "^1.2.3", "1.9.9", 1 },
		{ "^1.2.3", "2.0.0-0", 0 },
		{ "^0.2.3", "0.3.0", 0 },
		{ "^0.0.3", "0.0.4", 0 },
		{ "~1.2", "1.2.9", 1 },
		{ "~1.2", "1.3.0", 0 },
		{ "1.2 - 2.3", "2.3.9", 1 },
		{ "1.2 - 2.3", "2.4.0", 0 },
		{ "1.x || >=2.5.0", "2.6.0", 1 },
		{ "*", "1.0.0-beta", 0 },
		/* a prerelease matches only its own tuple's prerelease sets */
		{ ">=1.0.0-alpha <2", "1.0.0-beta", 1 },
		{ ">=1.0.0-alpha <2", "1.5.0-beta", 0 },
		{ ">=5.0.0-alpha.1 <5.0.0-beta.3", "5.0.0-beta.2", 1 },
		{ "* || >=1.0.0-a", "1.0.0-b", 0 },
		{ ">1.2", "1.3.0", 1 },
		{ "<=1.2", "1.2.9", 1 },
		{ "<1.x", "1.0.0", 0 },
		{ "1.x.3", "1.0.3", -1 },
		{ "junk", "1.0.0", -1 },
		{ "", "1.0.0", 1 },
	};

	(void)state;
	CHECK_RANGES(CUSTOMS_VERSION_NPM, v);
}

static void test_version_pep440_ranges(void **state)
{
	static const struct rcase v[] = {
		{ "~=1.4.5", "1.4.9", 1 },	{ "~=1.4.5", "1.5.0", 0 },
		{ "~=1.4", "1.9", 1 },		{ "==1.0.*", "1.0.5", 1 },
		{ "==1.0.*", "1.1", 0 },	{ "==1.0.*", "1.0a1", 0 },
		{ ">=1.0a1", "1.0b1", 1 },	{ "<2", "2.0a1", 0 },
		{ ">1.0", "1.0.post1", 0 },	{ ">1.0", "1.0+local", 0 },
		{ "==1.0", "1.0+local", 1 },	{ "==1.0+a", "1.0+b", 0 },
		{ "!=1.0.*, >=0.9", "1.1", 1 }, { "===1.0", "1.0", 1 },
		{ "===1.0", "1.0.0", 0 },	{ "==0.*", "1!0.5", 0 },
		{ "~=1", "1.0", -1 },		{ ">=1.0+local", "1.0", -1 },
	};

	(void)state;
	CHECK_RANGES(CUSTOMS_VERSION_PEP440, v);
}

static void test_version_maven_and_list_ranges(void **state)
{
	static const struct rcase m[] = {
		{ "[1.0,2.0)", "1.5", 1 },
		{ "[1.0,2.0)", "2.0", 0 },
		{ "(,1.0],[1.2,)", "1.1", 0 },
		{ "(,1.0],[1.2,)", "1.2", 1 },
		{ "[1.0]", "1.0.0", 1 },
		{ "(1.0]", "1.0", -1 },
		{ "[2.0,2.12.6.1)", "2.12.6", 1 },
		{ "< 2.17.1", "2.16.0", 1 },
	};
	static const struct rcase d[] = {
		{ "< 5.4.1-1+deb12u1", "5.4.1-1", 1 },
		{ ">= 1.0, < 1.2.5 || >= 2.0, < 2.1.1", "2.1.0", 1 },
		{ ">= 1.0, < 1.2.5 || >= 2.0, < 2.1.1", "1.5", 0 },
		{ "!= 1.0", "1.0", 0 },
		{ ">=", "1.0", -1 },
	};

	(void)state;
	CHECK_RANGES(CUSTOMS_VERSION_MAVEN, m);
	CHECK_RANGES(CUSTOMS_VERSION_DPKG, d);
}

static void test_version_feed_lists(void **state)
{
	static const struct {
		enum customs_version_scheme s;
		const char *range, *version;
		bool want;
	} v[] = {
		/* plain comparison: OSV's introduced/fixed include prereleases
		 */
		{ CUSTOMS_VERSION_NPM, ">= 5.0.0-alpha.1, < 5.0.0",
		  "5.0.0-beta.3", true },
		{ CUSTOMS_VERSION_NPM, ">=1.0.0, <2.0.0", "2.0.0-rc.1", true },
		{ CUSTOMS_VERSION_PEP440, ">= 1.0, < 2.0", "2.0rc1", true },
		{ CUSTOMS_VERSION_GO, ">= 1.22.0-0, < 1.22.5", "go1.22rc1",
		  true },
		{ CUSTOMS_VERSION_GO, "< 1.21.0", "go1.21.0", false },
		{ CUSTOMS_VERSION_MAVEN, "< 2.17.1 || = 2.3.2", "2.3.2", true },
		{ CUSTOMS_VERSION_APK, "< 0", "1.0-r0", false },
	};
	struct customs_version_range *r;
	size_t i;
	bool in;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		assert_int_equal(customs_version_range_parse_list(
					 &r, v[i].s, v[i].range, NULL),
				 0);
		assert_int_equal(customs_version_range_contains(r, v[i].version,
								&in, NULL),
				 0);
		if (in != v[i].want)
			fail_msg("%s: '%s' contains '%s': got %d",
				 customs_version_scheme_name(v[i].s),
				 v[i].range, v[i].version, in);
		customs_version_range_free(r);
	}
}

static void test_version_errors(void **state)
{
	char big[CUSTOMS_VERSION_MAX_LEN + 2];
	enum customs_version_scheme s;
	struct customs_ctx *ctx = NULL;
	int c;

	(void)state;
	memset(big, '1', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(customs_ctx_new(&ctx), 0);
	assert_int_equal(
		customs_version_cmp(CUSTOMS_VERSION_DPKG, big, "1", &c, ctx),
		CUSTOMS_ELIMIT);
	assert_int_equal(customs_version_cmp(CUSTOMS_VERSION_N_SCHEMES, "1",
					     "1", &c, ctx),
			 CUSTOMS_EINVAL);
	assert_int_equal(customs_version_cmp(CUSTOMS_VERSION_PEP440, "1", "bad",
					     &c, ctx),
			 CUSTOMS_EFORMAT);
	assert_non_null(strstr(customs_ctx_errmsg(ctx), "'bad'"));
	assert_int_equal(customs_version_scheme_from_name(&s, "pep440"), 0);
	assert_int_equal(s, CUSTOMS_VERSION_PEP440);
	assert_int_equal(customs_version_scheme_from_name(&s, "cobol"),
			 CUSTOMS_ENOTFOUND);
	customs_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version_dpkg_rules),
		cmocka_unit_test(test_version_rpm_rules),
		cmocka_unit_test(test_version_apk_rules),
		cmocka_unit_test(test_version_semver_rules),
		cmocka_unit_test(test_version_pep440_rules),
		cmocka_unit_test(test_version_maven_rules),
		cmocka_unit_test(test_version_gem_rules),
		cmocka_unit_test(test_version_go_rules),
		cmocka_unit_test(test_version_nuget_generic_rules),
		cmocka_unit_test(test_version_npm_ranges),
		cmocka_unit_test(test_version_pep440_ranges),
		cmocka_unit_test(test_version_maven_and_list_ranges),
		cmocka_unit_test(test_version_feed_lists),
		cmocka_unit_test(test_version_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
