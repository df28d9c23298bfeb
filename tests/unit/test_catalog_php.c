/*
 * The Composer catalogers: installed.json in both Composer shapes and
 * composer.lock, through the real pipeline and parse() directly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "catalog_test.h"

#define INSTALLED "php-composer-installed-cataloger"
#define LOCK "php-composer-lock-cataloger"

static const char installed_v2[] =
	"{\n"
	"  \"packages\": [\n"
	"    {\n"
	"      \"name\": \"monolog/monolog\",\n"
	"      \"version\": \"3.5.0\",\n"
	"      \"version_normalized\": \"3.5.0.0\",\n"
	"      \"source\": {\"type\": \"git\", \"url\": "
	"\"https://example.org/Seldaek/monolog.git\", \"reference\": "
	"\"c915e2634718dbc8a4a15c61b0e62e7a44e14448\"},\n"
	"      \"dist\": {\"type\": \"zip\", \"url\": "
	"\"https://example.org/monolog.zip\", \"reference\": \"c915e26\", "
	"\"shasum\": \"\"},\n"
	"      \"type\": \"library\",\n"
	"      \"license\": [\"MIT\"],\n"
	"      \"homepage\": \"https://example.org/monolog\"\n"
	"    },\n"
	"    {\"name\": \"phpunit/phpunit\", \"version\": \"10.5.1\", "
	"\"license\": \"BSD-3-Clause\"},\n"
	"    {\"name\": \"noversion/x\"},\n"
	"    42\n"
	"  ],\n"
	"  \"dev\": true,\n"
	"  \"dev-package-names\": [\"phpunit/phpunit\"]\n"
	"}\n";

static const char installed_v1[] =
	"[{\"name\": \"symfony/console\", \"version\": \"v4.4.49\", "
	"\"license\": [\"MIT\", \"GPL-2.0\"]}]";

static const char lock[] =
	"{\"_readme\": [\"This file locks the dependencies\"],\n"
	" \"content-hash\": \"abc\",\n"
	" \"packages\": [{\"name\": \"guzzlehttp/guzzle\", \"version\": "
	"\"7.8.1\", \"type\": \"library\", \"description\": \"HTTP "
	"client\"}],\n"
	" \"packages-dev\": [{\"name\": \"mockery/mockery\", \"version\": "
	"\"1.6.7\"}]}\n";

static void test_php_composer_installed_pipeline(void **state)
{
	struct customs_sbom *sbom;
	struct customs_pkg *p;
	char root[512];

	(void)state;
	ct_tmpdir(root, sizeof(root));
	ct_write(root, "var/www/vendor/composer/installed.json", installed_v2);
	ct_write(root, "old/vendor/composer/installed.json", installed_v1);
	/* another tool's installed.json is not read */
	ct_write(root, "opt/tool/installed.json", installed_v1);
	sbom = ct_scan(root, INSTALLED, false);
	assert_int_equal(sbom->pkgs.n, 3);
	p = ct_find(&sbom->pkgs, "monolog/monolog", "3.5.0");
	assert_non_null(p);
	assert_int_equal(p->type, CUSTOMS_PKG_PHP);
	assert_string_equal(p->found_by, INSTALLED);
	assert_string_equal(p->locations[0].path,
			    "var/www/vendor/composer/installed.json");
	assert_string_equal(p->licenses.v[0], "MIT");
	assert_string_equal(customs_pkg_meta_get(p, "source_url"),
			    "https://example.org/Seldaek/monolog.git");
	assert_string_equal(customs_pkg_meta_get(p, "source_reference"),
			    "c915e2634718dbc8a4a15c61b0e62e7a44e14448");
	assert_string_equal(customs_pkg_meta_get(p, "source_type"), "git");
	assert_string_equal(customs_pkg_meta_get(p, "dist_url"),
			    "https://example.org/monolog.zip");
	assert_string_equal(customs_pkg_meta_get(p, "dist_reference"),
			    "c915e26");
	assert_null(customs_pkg_meta_get(p, "dist_shasum")); /* empty */
	assert_string_equal(customs_pkg_meta_get(p, "type"), "library");
	assert_string_equal(customs_pkg_meta_get(p, "homepage"),
			    "https://example.org/monolog");
	assert_null(customs_pkg_meta_get(p, "dev"));
	p = ct_find(&sbom->pkgs, "phpunit/phpunit", "10.5.1");
	assert_string_equal(p->licenses.v[0], "BSD-3-Clause");
	assert_string_equal(customs_pkg_meta_get(p, "dev"), "true");
	p = ct_find(&sbom->pkgs, "symfony/console", "v4.4.49");
	assert_non_null(p);
	assert_int_equal(p->licenses.n, 2);
	assert_string_equal(p->locations[0].path,
			    "old/vendor/composer/installed.json");
	assert_int_equal(sbom->warnings.n, 2);
	assert_true(ct_warned(&sbom->warnings, "php-composer-installed-"
					       "cataloger: var/www/vendor/"
					       "composer/installed.json: "
					       "packages[2]: no version"));
	assert_true(ct_warned(&sbom->warnings, "packages[3]: not an object"));
	customs_sbom_free(sbom);
	ct_rmrf(root);
}

static void test_php_composer_lock_pipeline(void **state)
{
	struct customs_sbom *sbom;
	struct customs_pkg *p;
	char root[512];

	(void)state;
	ct_tmpdir(root, sizeof(root));
	ct_write(root, "app/composer.lock", lock);
	sbom = ct_scan(root, LOCK, true);
	assert_int_equal(sbom->pkgs.n, 2);
	p = ct_find(&sbom->pkgs, "guzzlehttp/guzzle", "7.8.1");
	assert_non_null(p);
	assert_string_equal(p->found_by, LOCK);
	assert_null(customs_pkg_meta_get(p, "dev"));
	assert_string_equal(customs_pkg_meta_get(p, "description"),
			    "HTTP client");
	p = ct_find(&sbom->pkgs, "mockery/mockery", "1.6.7");
	assert_string_equal(customs_pkg_meta_get(p, "dev"), "true");
	customs_sbom_free(sbom);
	/* not on image scans */
	sbom = ct_scan(root, NULL, false);
	assert_null(ct_find(&sbom->pkgs, "guzzlehttp/guzzle", NULL));
	customs_sbom_free(sbom);
	ct_rmrf(root);
}

static void test_php_composer_bad_documents(void **state)
{
	static const struct {
		const char *name, *path, *text, *warning;
	} cases[] = {
		{ LOCK, "composer.lock", "{\"packages\": [", "line 1 column" },
		{ LOCK, "composer.lock", "[]", "no \"packages\" array" },
		{ LOCK, "composer.lock", "\"str\"", "no \"packages\" array" },
		{ LOCK, "composer.lock", "", "invalid JSON" },
		{ INSTALLED, "vendor/composer/installed.json",
		  "{\"packages\": {}}", "neither a package array" },
		{ INSTALLED, "vendor/composer/installed.json", "null",
		  "neither a package array" },
		{ INSTALLED, "vendor/composer/installed.json",
		  "[{\"name\": 3, \"version\": \"1\"}, {\"name\": \"\", "
		  "\"version\": \"1\"}]",
		  "[1]: no name" },
		{ INSTALLED, "vendor/composer/installed.json",
		  "[{\"name\": \"a/b\", \"version\": \"1\", \"license\": "
		  "{\"x\": 1}, \"source\": [1], \"dist\": \"s\"}, "
		  "{\"name\": \"a/b\", \"name\": \"c/d\", \"version\": \"2\"}]",
		  NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cat_result res = { 0 };

		assert_int_equal(ct_parse(cases[i].name, cases[i].path,
					  cases[i].text, strlen(cases[i].text),
					  &res),
				 0);
		if (cases[i].warning) {
			assert_int_equal(res.pkgs.n, 0);
			assert_true(ct_warned(&res.warnings, cases[i].warning));
		} else {
			/* wrong member types are ignored; the last of two
			 * duplicate keys wins */
			assert_int_equal(res.warnings.n, 0);
			assert_int_equal(res.pkgs.n, 2);
			assert_int_equal(res.pkgs.v[0]->licenses.n, 0);
			assert_int_equal(res.pkgs.v[0]->meta.n, 0);
			assert_string_equal(res.pkgs.v[1]->name, "c/d");
		}
		ct_release(&res);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_php_composer_installed_pipeline),
		cmocka_unit_test(test_php_composer_lock_pipeline),
		cmocka_unit_test(test_php_composer_bad_documents),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
