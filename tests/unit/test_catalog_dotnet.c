/*
 * The .NET catalogers: <app>.deps.json (runtime target selection,
 * package vs project libraries) found through the multi-dot EXT want,
 * and packages.lock.json; the real pipeline and parse() directly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "catalog_test.h"

#define DEPS "dotnet-deps-cataloger"
#define LOCK "dotnet-packages-lock-cataloger"

static const char deps_json[] =
	"{\n"
	"  \"runtimeTarget\": {\"name\": \".NETCoreApp,Version=v8.0\", "
	"\"signature\": \"\"},\n"
	"  \"compilationOptions\": {},\n"
	"  \"targets\": {\n"
	"    \".NETCoreApp,Version=v8.0\": {\n"
	"      \"webapp/1.0.0\": {\"dependencies\": {\"Newtonsoft.Json\": "
	"\"13.0.3\"}, \"runtime\": {\"webapp.dll\": {}}},\n"
	"      \"Newtonsoft.Json/13.0.3\": {\"runtime\": "
	"{\"lib/net6.0/Newtonsoft.Json.dll\": {\"assemblyVersion\": "
	"\"13.0.0.0\", \"fileVersion\": \"13.0.3.27908\"}}},\n"
	"      \"Serilog/3.1.1\": {}\n"
	"    },\n"
	"    \".NETStandard,Version=v2.0\": {\n"
	"      \"Other.Target.Only/1.0.0\": {}\n"
	"    }\n"
	"  },\n"
	"  \"libraries\": {\n"
	"    \"webapp/1.0.0\": {\"type\": \"project\", \"serviceable\": false, "
	"\"sha512\": \"\"},\n"
	"    \"Newtonsoft.Json/13.0.3\": {\"type\": \"package\", "
	"\"serviceable\": true, \"sha512\": "
	"\"sha512-HrC5BXdl00IP9zeV+0Z848QWPAoCr9P3bDEZguI+gkLcBKAOxix/"
	"tLEAAHC+UvDNPv4a2d18lOReHMOagPa+zQ==\", \"path\": "
	"\"newtonsoft.json/13.0.3\", \"hashPath\": "
	"\"newtonsoft.json.13.0.3.nupkg.sha512\"},\n"
	"    \"Serilog/3.1.1\": {\"type\": \"package\"},\n"
	"    \"Other.Target.Only/1.0.0\": {\"type\": \"package\"},\n"
	"    \"Some.Reference/4.0.0\": {\"type\": \"reference\"}\n"
	"  }\n"
	"}\n";

static const char packages_lock[] =
	"{\n"
	"  \"version\": 1,\n"
	"  \"dependencies\": {\n"
	"    \"net8.0\": {\n"
	"      \"Newtonsoft.Json\": {\"type\": \"Direct\", \"requested\": "
	"\"[13.0.3, )\", \"resolved\": \"13.0.3\", \"contentHash\": "
	"\"HrC5BXdl00IP9zeV==\"},\n"
	"      \"System.Memory\": {\"type\": \"Transitive\", \"resolved\": "
	"\"4.5.5\", \"contentHash\": "
	"\"XIWiDvKPXaTveaB7HVganDlOCRoj03l+jrwNvcge/"
	"t8vhGYKvqV+dMv6G4SAX2NoNmN0wZfVPTAlFwZcZvVOUw==\"},\n"
	"      \"mylib\": {\"type\": \"Project\", \"dependencies\": {}}\n"
	"    },\n"
	"    \"net8.0/linux-x64\": {\n"
	"      \"System.Memory\": {\"type\": \"Transitive\", \"resolved\": "
	"\"4.5.5\"},\n"
	"      \"runtime.native.System\": {\"type\": \"Transitive\", "
	"\"resolved\": \"4.3.0\"}\n"
	"    }\n"
	"  }\n"
	"}\n";

static void test_dotnet_deps_pipeline(void **state)
{
	struct customs_sbom *sbom;
	struct customs_pkg *p;
	char root[512];

	(void)state;
	ct_tmpdir(root, sizeof(root));
	ct_write(root, "app/webapp.deps.json", deps_json);
	ct_write(root, "app/webapp.runtimeconfig.json", "{}");
	sbom = ct_scan(root, DEPS, false);
	assert_int_equal(sbom->pkgs.n, 2);
	p = ct_find(&sbom->pkgs, "Newtonsoft.Json", "13.0.3");
	assert_non_null(p);
	assert_int_equal(p->type, CUSTOMS_PKG_DOTNET);
	assert_string_equal(p->found_by, DEPS);
	assert_string_equal(p->locations[0].path, "app/webapp.deps.json");
	assert_string_equal(customs_pkg_meta_get(p, "sha512"),
			    "sha512-HrC5BXdl00IP9zeV+0Z848QWPAoCr9P3bDEZguI+"
			    "gkLcBKAOxix/tLEAAHC+UvDNPv4a2d18lOReHMOagPa+zQ==");
	assert_string_equal(customs_pkg_meta_get(p, "path"),
			    "newtonsoft.json/13.0.3");
	assert_string_equal(customs_pkg_meta_get(p, "hash_path"),
			    "newtonsoft.json.13.0.3.nupkg.sha512");
	/* listed in the runtime target without a DLL: still reported */
	assert_non_null(ct_find(&sbom->pkgs, "Serilog", "3.1.1"));
	/* projects, references and other targets' libraries are not */
	assert_null(ct_find(&sbom->pkgs, "webapp", NULL));
	assert_null(ct_find(&sbom->pkgs, "Some.Reference", NULL));
	assert_null(ct_find(&sbom->pkgs, "Other.Target.Only", NULL));
	assert_int_equal(sbom->warnings.n, 0);
	customs_sbom_free(sbom);
	ct_rmrf(root);
}

static void test_dotnet_deps_without_runtime_target(void **state)
{
	static const char text[] =
		"{\"runtimeTarget\": {\"name\": \"missing\"},"
		" \"libraries\": {\"A/1.0\": {\"type\": \"package\"},"
		" \"B/2.0\": {\"type\": \"package\"},"
		" \"noslash\": {\"type\": \"package\"},"
		" \"C/\": {\"type\": \"package\"},"
		" \"D/1\": \"not an object\"}}";
	static const char no_target[] =
		"{\"libraries\": {\"A/1.0\": {\"type\": \"package\"}}}";
	struct cat_result res = { 0 };

	(void)state;
	assert_int_equal(
		ct_parse(DEPS, "x.deps.json", text, strlen(text), &res), 0);
	assert_int_equal(res.pkgs.n, 2);
	assert_non_null(ct_find(&res.pkgs, "A", "1.0"));
	assert_non_null(ct_find(&res.pkgs, "B", "2.0"));
	assert_true(ct_warned(&res.warnings, "runtimeTarget \"missing\" is "
					     "not in targets"));
	assert_true(ct_warned(&res.warnings, "libraries.\"noslash\": not "
					     "\"name/version\""));
	assert_true(ct_warned(&res.warnings, "libraries.\"C/\": not"));
	assert_true(ct_warned(&res.warnings, "libraries.\"D/1\": not an "
					     "object"));
	ct_release(&res);
	memset(&res, 0, sizeof(res));
	assert_int_equal(ct_parse(DEPS, "x.deps.json", no_target,
				  strlen(no_target), &res),
			 0);
	assert_int_equal(res.pkgs.n, 1);
	assert_int_equal(res.warnings.n, 0);
	ct_release(&res);
}

static void test_dotnet_bad_documents(void **state)
{
	static const struct {
		const char *name, *text, *warning;
	} cases[] = {
		{ DEPS, "{\"libraries\": [", "invalid JSON" },
		{ DEPS, "[1, 2]", "no \"libraries\" object" },
		{ DEPS, "{\"libraries\": []}", "no \"libraries\" object" },
		{ LOCK, "{\"dependencies\": 5}", "no \"dependencies\" object" },
		{ LOCK, "{\"dependencies\": {\"net8.0\": []}}",
		  "dependencies.\"net8.0\": not an object" },
		{ LOCK,
		  "{\"dependencies\": {\"net8.0\": {\"X\": {\"type\": "
		  "\"Direct\"}, \"Y\": 3}}}",
		  "\"X\": no resolved version" },
		{ LOCK, "{\"dependencies\": {\"net8.0\": {\"X\": 3}}}",
		  "\"X\": not an object" },
		{ LOCK,
		  "{\"dependencies\": {\"net8.0\": {\"\": {\"resolved\": "
		  "\"1.0\"}}}}",
		  "\"net8.0\": empty name" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cat_result res = { 0 };

		assert_int_equal(
			ct_parse(cases[i].name,
				 cases[i].name[7] == 'd' ? "a.deps.json"
							 : "packages.lock.json",
				 cases[i].text, strlen(cases[i].text), &res),
			0);
		assert_int_equal(res.pkgs.n, 0);
		assert_true(ct_warned(&res.warnings, cases[i].warning));
		ct_release(&res);
	}
}

static void test_dotnet_packages_lock_pipeline(void **state)
{
	struct customs_sbom *sbom;
	struct customs_pkg *p;
	char root[512];

	(void)state;
	ct_tmpdir(root, sizeof(root));
	ct_write(root, "src/web/packages.lock.json", packages_lock);
	sbom = ct_scan(root, LOCK, false);
	/* System.Memory is locked for two targets: one package */
	assert_int_equal(sbom->pkgs.n, 3);
	p = ct_find(&sbom->pkgs, "Newtonsoft.Json", "13.0.3");
	assert_non_null(p);
	assert_string_equal(p->found_by, LOCK);
	assert_string_equal(customs_pkg_meta_get(p, "dependency_type"),
			    "Direct");
	assert_string_equal(customs_pkg_meta_get(p, "content_hash"),
			    "HrC5BXdl00IP9zeV==");
	p = ct_find(&sbom->pkgs, "System.Memory", "4.5.5");
	assert_string_equal(customs_pkg_meta_get(p, "dependency_type"),
			    "Transitive");
	assert_non_null(customs_pkg_meta_get(p, "content_hash"));
	assert_non_null(ct_find(&sbom->pkgs, "runtime.native.System", "4.3.0"));
	assert_null(ct_find(&sbom->pkgs, "mylib", NULL));
	customs_sbom_free(sbom);
	ct_rmrf(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dotnet_deps_pipeline),
		cmocka_unit_test(test_dotnet_deps_without_runtime_target),
		cmocka_unit_test(test_dotnet_bad_documents),
		cmocka_unit_test(test_dotnet_packages_lock_pipeline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
