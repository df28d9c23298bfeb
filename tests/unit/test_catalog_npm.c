/*
 * The JavaScript catalogers: installed package.json files through the
 * real pipeline over a directory, and the lock file parsers (npm v1-v3,
 * yarn classic and berry, pnpm 5/6/9) on edge cases.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cat_test_lang1.h"

extern const struct cataloger cat_npm_package;
extern const struct cataloger cat_npm_lock;

static void test_npm_package_tree(void **state)
{
	char root[1024];
	struct customs_sbom *s;
	struct customs_pkg *p;

	(void)state;
	ct_mkroot(root, sizeof(root));
	ct_put(root, "app/package.json",
	       "{\"name\":\"demo-app\",\"version\":\"1.0.0\",\"private\":"
	       "true}");
	ct_put(root, "app/node_modules/@babel/code-frame/package.json",
	       "{\"name\":\"@babel/code-frame\",\"version\":\"7.22.13\","
	       "\"license\":\"MIT\",\"homepage\":\"https://babel.dev\","
	       "\"description\":\"Generate errors\",\"author\":{\"name\":"
	       "\"The Babel Team\",\"url\":\"https://babel.dev/team\"},"
	       "\"repository\":{\"type\":\"git\",\"url\":\"https://github.com/"
	       "babel/babel.git\"}}");
	ct_put(root, "app/node_modules/lodash/package.json",
	       "{\"name\":\"lodash\",\"version\":\"4.17.21\",\"licenses\":["
	       "{\"type\":\"MIT\",\"url\":\"x\"}],\"author\":\"John-David "
	       "Dalton <john.david.dalton@gmail.com>\"}");
	ct_put(root, "app/node_modules/debug/node_modules/ms/package.json",
	       "{\"name\":\"ms\",\"version\":\"2.1.2\",\"license\":\"MIT\"}");
	/* not packages: no warning either */
	ct_put(root, "app/node_modules/debug/src/package.json",
	       "{\"type\":\"module\"}");
	ct_put(root, "app/node_modules/x/package.json",
	       "{\"name\":\"x\",\"version\":\"\"}");
	/* broken: warnings naming the file */
	ct_put(root, "app/node_modules/broken/package.json",
	       "{\"name\":\"broken\",\"version\":\"1.0");
	ct_put(root, "app/node_modules/array/package.json", "[1,2]");
	s = ct_scan(root, "javascript-package-cataloger", false);
	assert_int_equal(s->pkgs.n, 4);
	p = ct_find(&s->pkgs, "@babel/code-frame", "7.22.13");
	assert_non_null(p);
	assert_int_equal(p->type, CUSTOMS_PKG_NPM);
	assert_string_equal(p->found_by, "javascript-package-cataloger");
	assert_string_equal(p->locations[0].path,
			    "app/node_modules/@babel/code-frame/package.json");
	assert_int_equal(p->licenses.n, 1);
	assert_string_equal(p->licenses.v[0], "MIT");
	assert_string_equal(customs_pkg_meta_get(p, "homepage"),
			    "https://babel.dev");
	assert_string_equal(customs_pkg_meta_get(p, "description"),
			    "Generate errors");
	assert_string_equal(customs_pkg_meta_get(p, "author"),
			    "The Babel Team (https://babel.dev/team)");
	assert_string_equal(customs_pkg_meta_get(p, "repository"),
			    "https://github.com/babel/babel.git");
	assert_null(customs_pkg_meta_get(p, "private"));
	p = ct_find(&s->pkgs, "lodash", "4.17.21");
	assert_non_null(p);
	assert_string_equal(p->licenses.v[0], "MIT");
	assert_string_equal(customs_pkg_meta_get(p, "author"),
			    "John-David Dalton <john.david.dalton@gmail.com>");
	p = ct_find(&s->pkgs, "ms", "2.1.2");
	assert_non_null(p);
	assert_string_equal(p->locations[0].path,
			    "app/node_modules/debug/node_modules/ms/"
			    "package.json");
	p = ct_find(&s->pkgs, "demo-app", "1.0.0");
	assert_non_null(p);
	assert_string_equal(customs_pkg_meta_get(p, "private"), "true");
	assert_int_equal(s->warnings.n, 2);
	assert_true(ct_warned(&s->warnings,
			      "javascript-package-cataloger: app/node_modules/"
			      "broken/package.json: line 1 column"));
	assert_true(ct_warned(&s->warnings,
			      "app/node_modules/array/package.json: not a "
			      "JSON object"));
	customs_sbom_free(s);
	ct_rmroot(root);
}

static void licenses_of(const char *json, const char *want)
{
	struct cat_result res;
	char got[256] = "";
	size_t i;

	ct_parse(&cat_npm_package, "node_modules/p/package.json", json, &res);
	assert_int_equal(res.pkgs.n, 1);
	for (i = 0; i < res.pkgs.v[0]->licenses.n; i++) {
		strcat(got, i ? "|" : "");
		strcat(got, res.pkgs.v[0]->licenses.v[i]);
	}
	assert_string_equal(got, want);
	assert_int_equal(res.warnings.n, 0);
	ct_release(&cat_npm_package, &res);
}

static void test_npm_package_license_shapes(void **state)
{
	(void)state;
	licenses_of("{\"name\":\"p\",\"version\":\"1\",\"license\":"
		    "\"(MIT OR Apache-2.0)\"}",
		    "(MIT OR Apache-2.0)");
	licenses_of("{\"name\":\"p\",\"version\":\"1\",\"license\":"
		    "{\"type\":\"ISC\",\"url\":\"u\"}}",
		    "ISC");
	licenses_of("{\"name\":\"p\",\"version\":\"1\",\"license\":"
		    "[\"MIT\",{\"type\":\"BSD-3-Clause\"},3,{}]}",
		    "MIT|BSD-3-Clause");
	licenses_of("{\"name\":\"p\",\"version\":\"1\",\"licenses\":"
		    "[{\"type\":\"MIT\"},{\"type\":\"GPL-2.0\"}]}",
		    "MIT|GPL-2.0");
	licenses_of("{\"name\":\"p\",\"version\":\"1\",\"licenses\":\"WTFPL\"}",
		    "WTFPL");
	licenses_of("{\"name\":\"p\",\"version\":\"1\",\"license\":\"\"}", "");
	licenses_of("{\"name\":\"p\",\"version\":\"1\",\"license\":null}", "");
}

static void no_package(const char *json, size_t warnings)
{
	struct cat_result res;

	ct_parse(&cat_npm_package, "package.json", json, &res);
	assert_int_equal(res.pkgs.n, 0);
	assert_int_equal(res.warnings.n, warnings);
	ct_release(&cat_npm_package, &res);
}

static void test_npm_package_skips_and_malformed(void **state)
{
	(void)state;
	no_package("{\"name\":\"p\"}", 0);
	no_package("{\"version\":\"1.0.0\"}", 0);
	no_package("{\"name\":7,\"version\":\"1.0.0\"}", 0);
	no_package("{\"name\":\"p\",\"version\":[\"1\"]}", 0);
	no_package("\"just a string\"", 1);
	no_package("null", 1);
	no_package("", 1);
	no_package("{\"name\":\"p\",\"version\":\"1\"", 1);
	no_package("{\"name\":\"p\",\"version\":\"1\"} trailing", 1);
	no_package("\xff\xfe{}", 1);
	/* control characters: refused, not cut */
	no_package("{\"name\":\"a\\u0001\",\"version\":\"1\"}", 1);
	no_package("{\"name\":\"a\\u0000b\",\"version\":\"1\"}", 1);
}

/* Parse a lock file; return "name@version" joined by spaces, in order. */
static void lock_set(const char *path, const char *data, const char *want,
		     size_t warnings)
{
	struct cat_result res;
	char got[2048] = "";
	size_t i;

	ct_parse(&cat_npm_lock, path, data, &res);
	for (i = 0; i < res.pkgs.n; i++) {
		struct customs_pkg *p = res.pkgs.v[i];

		assert_int_equal(p->type, CUSTOMS_PKG_NPM);
		assert_string_equal(p->found_by, "javascript-lock-cataloger");
		snprintf(got + strlen(got), sizeof(got) - strlen(got),
			 "%s%s@%s", i ? " " : "", p->name, p->version);
	}
	assert_string_equal(got, want);
	for (i = 0; i < res.warnings.n; i++)
		print_message("warning: %s\n", res.warnings.v[i]);
	assert_int_equal(res.warnings.n, warnings);
	ct_release(&cat_npm_lock, &res);
}

static void test_npm_lock_v1_nested(void **state)
{
	(void)state;
	lock_set(
		"package-lock.json",
		"{\"name\":\"app\",\"version\":\"1.0.0\",\"lockfileVersion\":1,"
		"\"dependencies\":{"
		"\"@babel/code-frame\":{\"version\":\"7.22.13\",\"resolved\":"
		"\"https://r/x.tgz\",\"integrity\":\"sha512-abc\"},"
		"\"debug\":{\"version\":\"4.3.4\",\"dependencies\":{"
		"\"ms\":{\"version\":\"2.1.2\"}}},"
		"\"ms\":{\"version\":\"2.1.3\"},"
		"\"other\":{\"version\":\"2.1.2\",\"dependencies\":{"
		"\"ms\":{\"version\":\"2.1.2\"}}},"
		"\"strip\":{\"version\":\"npm:strip-ansi@6.0.1\"},"
		"\"jest\":{\"version\":\"29.0.0\",\"dev\":true},"
		"\"gitdep\":{\"version\":\"github:u/r#abc\"},"
		"\"bad\":{\"version\":7}}}",
		"@babel/code-frame@7.22.13 debug@4.3.4 ms@2.1.2 ms@2.1.3 "
		"other@2.1.2 strip-ansi@6.0.1 gitdep@github:u/r#abc",
		0);
}

static void test_npm_lock_v2_v3_packages(void **state)
{
	struct cat_result res;
	const char *lock =
		"{\"name\":\"app\",\"lockfileVersion\":3,\"packages\":{"
		"\"\":{\"name\":\"app\",\"version\":\"1.0.0\"},"
		"\"node_modules/@babel/code-frame\":{\"version\":\"7.22.13\","
		"\"license\":\"MIT\",\"resolved\":\"https://r/cf.tgz\","
		"\"integrity\":\"sha512-x\"},"
		"\"node_modules/debug/node_modules/"
		"ms\":{\"version\":\"2.1.2\"},"
		"\"node_modules/ms\":{\"version\":\"2.1.3\"},"
		"\"node_modules/alias\":{\"name\":\"strip-ansi\",\"version\":"
		"\"6.0.1\"},"
		"\"node_modules/jest\":{\"version\":\"29.0.0\",\"dev\":true},"
		"\"node_modules/ws\":{\"resolved\":\"packages/ws\",\"link\":"
		"true},"
		"\"packages/ws\":{\"name\":\"ws-local\",\"version\":\"0.1.0\"},"
		"\"packages/noname\":{\"version\":\"0.1.0\"},"
		"\"node_modules/nov\":{}},"
		"\"dependencies\":{\"ignored\":{\"version\":\"1.0.0\"}}}";

	(void)state;
	lock_set("package-lock.json", lock,
		 "app@1.0.0 @babel/code-frame@7.22.13 ms@2.1.2 ms@2.1.3 "
		 "strip-ansi@6.0.1 ws-local@0.1.0",
		 0);
	ct_parse(&cat_npm_lock, "src/package-lock.json", lock, &res);
	assert_string_equal(res.pkgs.v[1]->licenses.v[0], "MIT");
	assert_string_equal(customs_pkg_meta_get(res.pkgs.v[1], "resolved"),
			    "https://r/cf.tgz");
	assert_string_equal(customs_pkg_meta_get(res.pkgs.v[1], "integrity"),
			    "sha512-x");
	assert_string_equal(res.pkgs.v[1]->locations[0].path,
			    "src/package-lock.json");
	ct_release(&cat_npm_lock, &res);
	/* the root without a name is not a package */
	lock_set("package-lock.json",
		 "{\"lockfileVersion\":2,\"packages\":{\"\":{\"version\":"
		 "\"1.0.0\"}}}",
		 "", 0);
	/* npm's hidden lock and vendored locks are skipped */
	lock_set("app/node_modules/.package-lock.json", lock, "", 0);
	lock_set("app/node_modules/x/package-lock.json", lock, "", 0);
	lock_set("package-lock.json", "{\"lockfileVersion\":2,", "", 1);
	lock_set("package-lock.json", "[]", "", 1);
	lock_set("package-lock.json", "{\"packages\":[1]}", "", 0);
}

static void test_npm_lock_v1_depth_bounded(void **state)
{
	char buf[64 * 1024] = "{\"dependencies\":";
	size_t i;

	(void)state;
	for (i = 0; i < 200; i++)
		strcat(buf, "{\"a\":{\"version\":\"1\",\"dependencies\":");
	strcat(buf, "{}");
	for (i = 0; i < 200; i++)
		strcat(buf, "}}");
	strcat(buf, "}");
	lock_set("package-lock.json", buf, "a@1", 1);
}

static void test_npm_yarn_v1(void **state)
{
	(void)state;
	lock_set("yarn.lock",
		 "# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE "
		 "DIRECTLY.\n# yarn lockfile v1\n\n\n"
		 "\"@babel/code-frame@^7.0.0\", "
		 "\"@babel/code-frame@^7.22.13\":\n"
		 "  version \"7.22.13\"\n"
		 "  resolved \"https://r/code-frame-7.22.13.tgz#abc\"\n"
		 "  integrity sha512-xyz\n"
		 "  dependencies:\n"
		 "    \"@babel/highlight\" \"^7.22.13\"\n"
		 "    version \"9.9.9\"\n\n"
		 "debug@4.3.4, debug@^4.1.0:\n"
		 "  version \"4.3.4\"\n\n"
		 "\"string-width-cjs@npm:string-width@^4.2.0\":\n"
		 "  version \"4.2.3\"\n\n"
		 "string-width@^4.1.0:\n"
		 "  version \"4.2.3\"\n\n"
		 "noversion@^1.0.0:\n"
		 "  resolved \"x\"\n\n"
		 "garbage line\n"
		 "lodash@^4.17.21:\r\n"
		 "  version \"4.17.21\"\r\n",
		 "@babel/code-frame@7.22.13 debug@4.3.4 string-width@4.2.3 "
		 "lodash@4.17.21",
		 2);
	lock_set("yarn.lock",
		 "a@1:\n  version \"1\x01\"\nb@1:\n  version \"\x02\"\n"
		 "c@1:\n  version \"3\"\n",
		 "c@3", 1);
	lock_set("yarn.lock", "", "", 0);
	lock_set("yarn.lock", "a@1:\n  version", "", 1);
}

static void test_npm_yarn_berry(void **state)
{
	(void)state;
	lock_set("yarn.lock",
		 "# This file is generated by running \"yarn install\"\n\n"
		 "__metadata:\n  version: 6\n  cacheKey: 8\n\n"
		 "\"@babel/code-frame@npm:^7.0.0, "
		 "@babel/code-frame@npm:^7.22.13\":\n"
		 "  version: 7.22.13\n"
		 "  resolution: \"@babel/code-frame@npm:7.22.13\"\n"
		 "  checksum: 22e342c8077\n"
		 "  languageName: node\n  linkType: hard\n\n"
		 "\"app@workspace:.\":\n  version: 0.0.0-use.local\n"
		 "  resolution: \"app@workspace:.\"\n  linkType: soft\n\n"
		 "\"resolve@patch:resolve@^1.20.0#~builtin<compat/resolve>\":\n"
		 "  version: 1.22.1\n"
		 "  resolution: "
		 "\"resolve@patch:resolve@npm%3A1.22.1#~builtin\"\n"
		 "\n\"sw@npm:string-width@^4\":\n  version: 4.2.3\n"
		 "  resolution: \"string-width@npm:4.2.3\"\n",
		 "@babel/code-frame@7.22.13 string-width@4.2.3", 0);
	lock_set("yarn.lock", "__metadata:\n  version: [6\n", "", 1);
}

static void test_npm_pnpm_versions(void **state)
{
	(void)state;
	lock_set("pnpm-lock.yaml",
		 "lockfileVersion: 5.4\n"
		 "packages:\n"
		 "  /@babel/code-frame/7.22.13:\n"
		 "    resolution: {integrity: sha512-abc}\n"
		 "    dev: false\n"
		 "  /react-dom/18.2.0_react@18.2.0:\n"
		 "    resolution: {integrity: sha512-def}\n"
		 "  /jest/29.0.0:\n    dev: true\n"
		 "  github.com/u/r/abc:\n    name: fromgit\n"
		 "    version: 1.0.0\n",
		 "@babel/code-frame@7.22.13 react-dom@18.2.0 fromgit@1.0.0", 0);
	lock_set("pnpm-lock.yaml",
		 "lockfileVersion: '6.0'\n"
		 "packages:\n"
		 "  /@babel/code-frame@7.22.13:\n"
		 "    resolution: {integrity: sha512-abc}\n"
		 "  /react-dom@18.2.0(react@18.2.0):\n"
		 "    dev: false\n"
		 "  /jest@29.0.0:\n    dev: true\n",
		 "@babel/code-frame@7.22.13 react-dom@18.2.0", 0);
	lock_set("pnpm-lock.yaml",
		 "lockfileVersion: '9.0'\n"
		 "importers:\n  .:\n    dependencies:\n      ms:\n"
		 "        specifier: 2.1.3\n        version: 2.1.3\n"
		 "packages:\n"
		 "  '@babel/code-frame@7.22.13':\n"
		 "    resolution: {integrity: sha512-abc}\n"
		 "  ms@2.1.3:\n    resolution: {integrity: sha512-ms}\n"
		 "snapshots:\n  ms@2.1.3: {}\n"
		 "---\n"
		 "lockfileVersion: '9.0'\npackages:\n  debug@4.3.4: {}\n",
		 "@babel/code-frame@7.22.13 ms@2.1.3 debug@4.3.4", 0);
	lock_set("pnpm-lock.yaml", "packages: [a, b]\n", "", 0);
	lock_set("pnpm-lock.yaml", "packages:\n  /a@1: {\n", "", 1);
	lock_set("node_modules/.pnpm/lock.yaml", "x", "", 0);
	lock_set("node_modules/x/pnpm-lock.yaml",
		 "lockfileVersion: '9.0'\npackages:\n  a@1: {}\n", "", 0);
}

static void test_npm_lock_dir_mode_only(void **state)
{
	char root[1024];
	struct customs_sbom *s;

	(void)state;
	ct_mkroot(root, sizeof(root));
	ct_put(root, "srv/package-lock.json",
	       "{\"lockfileVersion\":3,\"packages\":{\"node_modules/ms\":"
	       "{\"version\":\"2.1.3\"}}}");
	ct_put(root, "srv/yarn.lock", "ms@^2:\n  version \"2.1.2\"\n");
	s = ct_scan(root, NULL, false);
	assert_null(ct_find(&s->pkgs, "ms", NULL));
	customs_sbom_free(s);
	s = ct_scan(root, NULL, true);
	assert_non_null(ct_find(&s->pkgs, "ms", "2.1.3"));
	assert_non_null(ct_find(&s->pkgs, "ms", "2.1.2"));
	assert_string_equal(ct_find(&s->pkgs, "ms", "2.1.2")->locations[0].path,
			    "srv/yarn.lock");
	customs_sbom_free(s);
	ct_rmroot(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_npm_package_tree),
		cmocka_unit_test(test_npm_package_license_shapes),
		cmocka_unit_test(test_npm_package_skips_and_malformed),
		cmocka_unit_test(test_npm_lock_v1_nested),
		cmocka_unit_test(test_npm_lock_v2_v3_packages),
		cmocka_unit_test(test_npm_lock_v1_depth_bounded),
		cmocka_unit_test(test_npm_yarn_v1),
		cmocka_unit_test(test_npm_yarn_berry),
		cmocka_unit_test(test_npm_pnpm_versions),
		cmocka_unit_test(test_npm_lock_dir_mode_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
