/*
 * The Python catalogers: installed distributions with their RECORD and
 * installed-files.txt through the real pipeline, the same-or-lower-layer
 * rule of finish(), metadata edge cases, requirements files, Pipfile.lock,
 * poetry.lock, uv.lock and the TOML subset reader.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cat_test_lang1.h"
#include "catalog/tomlscan.h"

extern const struct cataloger cat_python_installed;
extern const struct cataloger cat_python_package;

#define CS(lit) cslice_make(lit, strlen(lit))
#define SP "usr/lib/python3/dist-packages/"
/* sha256("") in urlsafe base64 without padding, and in hex */
#define EMPTY_B64 "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU"
#define EMPTY_HEX \
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static const char six_metadata[] =
	"Metadata-Version: 2.1\n"
	"Name: six\n"
	"Version: 1.16.0\n"
	"Summary: Python 2 and 3 compatibility utilities\n"
	"Home-page: https://github.com/benjaminp/six\n"
	"Author: Benjamin Peterson\n"
	"Author-email: benjamin@python.org\n"
	"License: MIT\n"
	"Requires-Python: >=2.7, !=3.0.*\n"
	"Classifier: License :: OSI Approved :: MIT License\n"
	"\n"
	"Name: not-a-header (the body)\n";

static void test_python_installed_tree(void **state)
{
	char root[1024];
	struct customs_sbom *s;
	struct customs_pkg *p;

	(void)state;
	ct_mkroot(root, sizeof(root));
	ct_put(root, SP "six-1.16.0.dist-info/METADATA", six_metadata);
	ct_put(root, SP "six-1.16.0.dist-info/RECORD",
	       "six.py,sha256=" EMPTY_B64 ",0\n"
	       "six-1.16.0.dist-info/RECORD,,\n"
	       "\"odd,name.py\",sha256=" EMPTY_B64 "==,0\n"
	       "__pycache__/six.cpython-311.pyc,,\n"
	       "../../../bin/six-tool,sha256=" EMPTY_B64 ",0\n");
	ct_put(root, SP "PyYAML-6.0.egg-info/PKG-INFO",
	       "Metadata-Version: 1.1\nName: PyYAML\nVersion: 6.0\n"
	       "License: MIT\n");
	ct_put(root, SP "PyYAML-6.0.egg-info/installed-files.txt",
	       "../yaml/__init__.py\n../_yaml/__init__.py\n\nPKG-INFO\n");
	ct_put(root, SP "Flask_SQLAlchemy-3.0.5.egg-info",
	       "Metadata-Version: 1.0\nName: Flask_SQLAlchemy\n"
	       "Version: 3.0.5\nLicense: UNKNOWN\n"
	       "Classifier: License :: OSI Approved :: BSD License\n");
	ct_put(root, SP "broken-1.0.dist-info/METADATA",
	       "Metadata-Version: 2.1\nName: broken\n");
	/* not metadata: wrong directories */
	ct_put(root, "src/pkg-1.0/PKG-INFO", "Name: sdist\nVersion: 1\n");
	ct_put(root, SP "x/METADATA", "Name: x\nVersion: 1\n");
	s = ct_scan(root, "python-installed-package-cataloger", false);
	assert_int_equal(s->pkgs.n, 3);
	p = ct_find(&s->pkgs, "six", "1.16.0");
	assert_non_null(p);
	assert_int_equal(p->type, CUSTOMS_PKG_PYTHON);
	assert_string_equal(p->found_by, "python-installed-package-cataloger");
	assert_string_equal(p->licenses.v[0], "MIT");
	assert_int_equal(p->licenses.n, 1);
	assert_string_equal(customs_pkg_meta_get(p, "author"),
			    "Benjamin Peterson");
	assert_string_equal(customs_pkg_meta_get(p, "author_email"),
			    "benjamin@python.org");
	assert_string_equal(customs_pkg_meta_get(p, "homepage"),
			    "https://github.com/benjaminp/six");
	assert_string_equal(customs_pkg_meta_get(p, "requires_python"),
			    ">=2.7, !=3.0.*");
	assert_string_equal(customs_pkg_meta_get(p, "description"),
			    "Python 2 and 3 compatibility utilities");
	assert_int_equal(p->n_locations, 2);
	assert_string_equal(p->locations[0].path,
			    SP "six-1.16.0.dist-info/METADATA");
	assert_string_equal(p->locations[1].path,
			    SP "six-1.16.0.dist-info/RECORD");
	assert_int_equal(p->locations[1].evidence, CUSTOMS_EVIDENCE_SUPPORTING);
	assert_int_equal(p->n_files, 5);
	assert_string_equal(p->files[0].path, SP "six.py");
	assert_string_equal(p->files[0].algorithm, "sha256");
	assert_string_equal(p->files[0].digest, EMPTY_HEX);
	assert_string_equal(p->files[1].path, SP "six-1.16.0.dist-info/RECORD");
	assert_null(p->files[1].digest);
	assert_string_equal(p->files[2].path, SP "odd,name.py");
	assert_string_equal(p->files[2].digest, EMPTY_HEX);
	assert_string_equal(p->files[4].path, "usr/bin/six-tool");
	p = ct_find(&s->pkgs, "PyYAML", "6.0");
	assert_non_null(p);
	assert_int_equal(p->n_files, 3);
	assert_string_equal(p->files[0].path, SP "yaml/__init__.py");
	assert_string_equal(p->files[2].path,
			    SP "PyYAML-6.0.egg-info/PKG-INFO");
	assert_null(p->files[0].algorithm);
	p = ct_find(&s->pkgs, "Flask_SQLAlchemy", "3.0.5");
	assert_non_null(p);
	assert_string_equal(p->licenses.v[0], "BSD License");
	assert_int_equal(p->n_files, 0);
	assert_int_equal(s->warnings.n, 1);
	assert_true(ct_warned(&s->warnings,
			      "python-installed-package-cataloger: " SP
			      "broken-1.0.dist-info/METADATA: no Version "
			      "field"));
	customs_sbom_free(s);
	ct_rmroot(root);
}

static void one_pkg(const char *metadata, const char *name,
		    const char *licenses, const char *expr)
{
	struct cat_result res;
	char got[512] = "";
	size_t i;

	ct_parse(&cat_python_installed, "a-1.dist-info/METADATA", metadata,
		 &res);
	assert_int_equal(res.pkgs.n, 1);
	assert_string_equal(res.pkgs.v[0]->name, name);
	for (i = 0; i < res.pkgs.v[0]->licenses.n; i++) {
		strcat(got, i ? "|" : "");
		strcat(got, res.pkgs.v[0]->licenses.v[i]);
	}
	assert_string_equal(got, licenses);
	if (expr)
		assert_string_equal(customs_pkg_meta_get(res.pkgs.v[0],
							 "license_expression"),
				    expr);
	ct_release(&cat_python_installed, &res);
}

static void test_python_metadata_licenses(void **state)
{
	struct cat_result res;

	(void)state;
	one_pkg("Name: a\nVersion: 1\nLicense-Expression: MIT OR Apache-2.0\n"
		"License: MIT\n",
		"a", "MIT OR Apache-2.0", "MIT OR Apache-2.0");
	/* a multi-line License is the text: fall back to classifiers */
	one_pkg("Name: a\r\nVersion: 1\r\nLicense: Copyright (c) 2010\r\n"
		"        Permission is hereby granted\r\n"
		"Classifier: License :: OSI Approved :: MIT License\r\n"
		"Classifier: License :: OSI Approved\r\n"
		"Classifier: Programming Language :: Python\r\n",
		"a", "MIT License", NULL);
	one_pkg("name: Dotted.Name_x\nversion: 2.0rc1\nLicense: UNKNOWN\n",
		"Dotted.Name_x", "", NULL);
	/* the first occurrence of a field wins */
	one_pkg("Name: first\nName: second\nVersion: 1\n", "first", "", NULL);
	ct_parse(&cat_python_installed, "a-1.dist-info/METADATA",
		 "Version: 1\n", &res);
	assert_int_equal(res.pkgs.n, 0);
	assert_string_equal(res.warnings.v[0], "no Name field");
	ct_release(&cat_python_installed, &res);
	ct_parse(&cat_python_installed, "a-1.dist-info/METADATA",
		 "Name: a\nVersion: 1\x7f\n", &res);
	assert_int_equal(res.pkgs.n, 0);
	assert_string_equal(res.warnings.v[0],
			    "Name or Version holds control characters");
	ct_release(&cat_python_installed, &res);
	ct_parse(&cat_python_installed, "a-1.dist-info/METADATA",
		 "\nName: a\nVersion: 1\n", &res);
	assert_int_equal(res.pkgs.n, 0);
	assert_int_equal(res.warnings.n, 1);
	ct_release(&cat_python_installed, &res);
}

static void test_python_record_bad_rows(void **state)
{
	struct cat_result res;
	struct customs_pkg *files;

	(void)state;
	ct_parse(&cat_python_installed, "lib/a-1.dist-info/RECORD",
		 "a/ok.py,sha256=" EMPTY_B64 ",0\n"
		 "a/badhash.py,sha256=not base64!,3\n"
		 "a/noalgo.py,=" EMPTY_B64 ",3\n"
		 ",sha256=" EMPTY_B64 ",0\n"
		 "\"a/unterminated.py,sha256=x,0\n"
		 "a/short.py\n"
		 "/abs/path.py,,\n"
		 "../../../../../../escape.py,,\n",
		 &res);
	assert_int_equal(res.pkgs.n, 0);
	assert_non_null(res.aux);
	assert_int_equal(res.warnings.n, 1);
	assert_string_equal(res.warnings.v[0],
			    "line 2: malformed row (4 such rows)");
	/* aux holds the files in a package: check through finish below */
	files = *(struct customs_pkg **)res.aux;
	assert_int_equal(files->n_files, 6);
	assert_string_equal(files->files[0].path, "lib/a/ok.py");
	assert_string_equal(files->files[1].path, "lib/a/badhash.py");
	assert_null(files->files[1].digest);
	assert_string_equal(files->files[2].path, "lib/a/noalgo.py");
	assert_null(files->files[2].algorithm);
	assert_string_equal(files->files[3].path, "lib/a/short.py");
	assert_string_equal(files->files[4].path, "abs/path.py");
	assert_string_equal(files->files[5].path, "escape.py");
	ct_release(&cat_python_installed, &res);
}

/* finish() over hand-made entries: metadata and RECORDs in layers. */
struct entry_spec {
	const char *path;
	int layer;
	const char *data;
};

static int no_warn(struct cat_finish *f, int layer, const char *path,
		   const char *msg)
{
	(void)f;
	(void)layer;
	(void)path;
	(void)msg;
	return 0;
}

static void finish_case(const struct entry_spec *spec, size_t n,
			struct customs_pkglist *out)
{
	struct cat_entry e[8];
	struct cat_finish f = { 0 };
	size_t i;

	assert_true(n <= 8);
	for (i = 0; i < n; i++) {
		struct cat_input in = { spec[i].path,
					spec[i].layer,
					(const unsigned char *)spec[i].data,
					strlen(spec[i].data),
					false,
					NULL,
					false,
					NULL,
					0 };

		e[i].path = (char *)spec[i].path;
		e[i].layer = spec[i].layer;
		e[i].visible = true;
		e[i].res = calloc(1, sizeof(*e[i].res));
		assert_int_equal(cat_python_installed.parse(&in, e[i].res), 0);
	}
	f.cat = &cat_python_installed;
	f.entries = e;
	f.n_entries = n;
	f.scope = CUSTOMS_SCOPE_SQUASHED;
	f.out = out;
	f.warn = no_warn;
	assert_int_equal(cat_python_installed.finish(&f), 0);
	for (i = 0; i < n; i++) {
		ct_release(&cat_python_installed, e[i].res);
		free(e[i].res);
	}
}

static void test_python_record_same_or_lower_layer(void **state)
{
	static const struct entry_spec spec[] = {
		{ "sp/a-1.dist-info/RECORD", 0, "old.py,,\n" },
		{ "sp/b-1.dist-info/METADATA", 0, "Name: b\nVersion: 1\n" },
		{ "sp/a-1.dist-info/METADATA", 1, "Name: a\nVersion: 1\n" },
		{ "sp/a-1.dist-info/RECORD", 1, "mid.py,,\n" },
		{ "sp/a-1.dist-info/RECORD", 2, "new.py,,\n" },
		{ "sp/b-1.dist-info/RECORD", 3, "late.py,,\n" },
	};
	struct customs_pkglist out = { 0 };

	(void)state;
	finish_case(spec, 6, &out);
	assert_int_equal(out.n, 2);
	assert_string_equal(out.v[0]->name, "b");
	assert_int_equal(out.v[0]->n_files, 0);
	assert_int_equal(out.v[0]->n_locations, 1);
	assert_string_equal(out.v[1]->name, "a");
	assert_int_equal(out.v[1]->n_files, 1);
	assert_string_equal(out.v[1]->files[0].path, "sp/mid.py");
	assert_int_equal(out.v[1]->locations[1].layer, 1);
	customs_pkglist_release(&out);
}

/* Parse one declared file; "name@version" joined by spaces. */
static void declared(const char *path, const char *data, const char *want,
		     size_t warnings)
{
	struct cat_result res;
	char got[2048] = "";
	size_t i;

	ct_parse(&cat_python_package, path, data, &res);
	for (i = 0; i < res.pkgs.n; i++) {
		assert_int_equal(res.pkgs.v[i]->type, CUSTOMS_PKG_PYTHON);
		assert_string_equal(res.pkgs.v[i]->found_by,
				    "python-package-cataloger");
		snprintf(got + strlen(got), sizeof(got) - strlen(got),
			 "%s%s@%s", i ? " " : "", res.pkgs.v[i]->name,
			 res.pkgs.v[i]->version);
	}
	assert_string_equal(got, want);
	for (i = 0; i < res.warnings.n; i++)
		print_message("warning: %s\n", res.warnings.v[i]);
	assert_int_equal(res.warnings.n, warnings);
	ct_release(&cat_python_package, &res);
}

static void test_python_requirements(void **state)
{
	struct cat_result res;

	(void)state;
	declared("requirements.txt",
		 "# comment\n"
		 "requests[security,socks]==2.31.0 ; python_version >= \"3.7\" "
		 "\\\n    --hash=sha256:abc \\\n    --hash=sha256:def\n"
		 "Flask_SQLAlchemy===3.0.5  # pinned\n"
		 "six>=1.0\n"
		 "-r other.txt\n"
		 "--index-url https://example.invalid/simple\n"
		 "-e git+https://example.invalid/x/y.git#egg=y\n"
		 "numpy == 1.26.0\n"
		 "urllib3==1.26.*\n"
		 "idna==3.4,!=3.3\n"
		 "pkg @ https://example.invalid/pkg-1.0.tar.gz\n"
		 "./local/path\n"
		 "https://example.invalid/a.whl\n"
		 "!!!garbage\n"
		 "~~also bad\n"
		 "attrs==22.2.0",
		 "requests@2.31.0 Flask_SQLAlchemy@3.0.5 numpy@1.26.0 "
		 "attrs@22.2.0",
		 1);
	ct_parse(&cat_python_package, "app/requirements-dev.txt",
		 "requests[security]==2.31.0;sys_platform=='linux'\n", &res);
	assert_string_equal(customs_pkg_meta_get(res.pkgs.v[0], "extras"),
			    "security");
	assert_string_equal(customs_pkg_meta_get(res.pkgs.v[0], "markers"),
			    "sys_platform=='linux'");
	assert_string_equal(res.pkgs.v[0]->locations[0].path,
			    "app/requirements-dev.txt");
	ct_release(&cat_python_package, &res);
	declared("requirements.txt", "a==1 \\", "a@1", 0);
	declared("requirements.txt", "", "", 0);
	declared("requirements-notes.md", "a==1\n", "", 0);
}

static void test_python_requirements_capped(void **state)
{
	struct cat_result res;
	size_t i, n = 100002, len = 0;
	char *buf = malloc(n * 16 + 1);

	(void)state;
	assert_non_null(buf);
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(buf + len, n * 16 + 1 - len,
					"p%zu==1\n", i);
	ct_parse(&cat_python_package, "requirements.txt", buf, &res);
	assert_int_equal(res.pkgs.n, 100000);
	assert_int_equal(res.warnings.n, 1);
	assert_string_equal(res.warnings.v[0],
			    "more than 100000 packages: the rest is ignored");
	ct_release(&cat_python_package, &res);
	free(buf);
}

static void test_python_pipfile_lock(void **state)
{
	(void)state;
	declared("Pipfile.lock",
		 "{\"_meta\":{\"hash\":{}},\"default\":{"
		 "\"idna\":{\"version\":\"==3.4\",\"hashes\":[]},"
		 "\"certifi\":{\"version\":\"===2023.7.22\"},"
		 "\"gitdep\":{\"git\":\"https://example.invalid/x.git\"},"
		 "\"weird\":{\"version\":\"==\"},"
		 "\"\":{\"version\":\"==1\"}},"
		 "\"develop\":{\"pytest\":{\"version\":\"==7.0.0\"}}}",
		 "idna@3.4 certifi@2023.7.22", 0);
	declared("Pipfile.lock", "{\"default\":[]}", "", 0);
	declared("Pipfile.lock", "{\"default\":", "", 1);
}

static void test_python_poetry_lock(void **state)
{
	struct cat_result res;
	const char *lock =
		"# This file is automatically @generated by Poetry\n"
		"[[package]]\n"
		"name = \"certifi\"\n"
		"version = \"2023.7.22\"\n"
		"description = \"Mozilla's CA Bundle.\"\n"
		"category = \"main\"\n"
		"optional = false\n"
		"python-versions = \">=3.6\"\n"
		"files = [\n"
		"    {file = \"certifi-2023.7.22.tar.gz\", hash = "
		"\"sha256:5390\"},  # comment ] inside\n"
		"]\n\n"
		"[[package]]\n"
		"name = 'pytest'\n"
		"version = \"7.4.0\"\n"
		"description = \"\"\"multi\nline [ ] \"\"\"\n"
		"category = \"dev\"\n"
		"optional = true\n\n"
		"[package.dependencies]\n"
		"name = \"not-the-package-name\"\n"
		"colorama = {version = \"*\", markers = "
		"\"sys_platform == \\\"win32\\\"\"}\n\n"
		"[package.extras]\n"
		"testing = [\"argcomplete\", \"hypothesis (>=3.56)\"]\n\n"
		"[[package]]\n"
		"name = \"noversion\"\n\n"
		"[metadata]\n"
		"lock-version = \"1.1\"\n"
		"[metadata.files]\n"
		"certifi = []\n";

	(void)state;
	declared("poetry.lock", lock, "certifi@2023.7.22 pytest@7.4.0", 1);
	ct_parse(&cat_python_package, "poetry.lock", lock, &res);
	assert_string_equal(customs_pkg_meta_get(res.pkgs.v[0], "category"),
			    "main");
	assert_null(customs_pkg_meta_get(res.pkgs.v[0], "optional"));
	assert_string_equal(customs_pkg_meta_get(res.pkgs.v[1], "category"),
			    "dev");
	assert_string_equal(customs_pkg_meta_get(res.pkgs.v[1], "optional"),
			    "true");
	assert_string_equal(res.warnings.v[0],
			    "line 28: package without name or version (1 "
			    "such packages)");
	ct_release(&cat_python_package, &res);
	/* a broken file keeps what came before the bad line */
	declared("poetry.lock",
		 "[[package]]\nname = \"a\"\nversion = \"1\"\n\n"
		 "[[package]]\nname = \"b\nversion = \"2\"\n",
		 "a@1", 1);
	declared("poetry.lock", "[[package]\nname = \"a\"\n", "", 1);
}

static void test_python_uv_lock(void **state)
{
	(void)state;
	declared("uv.lock",
		 "version = 1\nrequires-python = \">=3.12\"\n\n"
		 "[[package]]\nname = \"anyio\"\nversion = \"4.4.0\"\n"
		 "source = { registry = "
		 "\"https://index.example.invalid/simple\" }\n"
		 "dependencies = [\n    { name = \"idna\" },\n]\n"
		 "sdist = { url = \"https://x/a.tar.gz\", hash = "
		 "\"sha256:5aad\", size = 123 }\n\n"
		 "[[package]]\nname = \"myproj\"\nversion = \"0.1.0\"\n"
		 "source = { editable = \".\" }\n\n"
		 "[[package]]\nname = \"member\"\nversion = \"0.2.0\"\n"
		 "source = { virtual = \"packages/member\" }\n\n"
		 "[[package]]\nname = \"idna\"\nversion = \"3.7\"\n"
		 "source = { registry = "
		 "\"https://index.example.invalid/simple\" }\n",
		 "anyio@4.4.0 idna@3.7", 0);
}

static int count_events(void *arg, const struct cat_toml_event *ev)
{
	(void)ev;
	++*(size_t *)arg;
	return 0;
}

static void toml_error(const char *doc, size_t line, const char *msg)
{
	size_t n = 0, got_line = 0;
	const char *got = NULL;

	assert_int_equal(cat_toml_parse(doc, strlen(doc), count_events, &n,
					&got_line, &got),
			 CUSTOMS_EFORMAT);
	assert_int_equal(got_line, line);
	assert_string_equal(got, msg);
}

static void test_python_toml_reader(void **state)
{
	char buf[64], deep[256] = "a = ";
	struct cslice out, v;
	size_t i;

	(void)state;
	assert_true(cat_toml_string(CS("\"a\\tb\\u00e9\\\"\""), buf,
				    sizeof(buf), &out));
	assert_string_equal(buf, "a\tb\xc3\xa9\"");
	assert_true(cat_toml_string(CS("'C:\\x'"), buf, sizeof(buf), &out));
	assert_string_equal(buf, "C:\\x");
	assert_true(cat_toml_string(CS("\"\"\"\nab \\\n   c\"\"\""), buf,
				    sizeof(buf), &out));
	assert_string_equal(buf, "ab c");
	assert_false(cat_toml_string(CS("\"\\q\""), buf, sizeof(buf), &out));
	assert_false(cat_toml_string(CS("\"abc\""), buf, 3, &out));
	assert_false(cat_toml_string(CS("12"), buf, sizeof(buf), &out));
	assert_true(cat_toml_inline_get(
		CS("{ a = [1, {b = 2}], \"c\" = 'x,y', d = true }"), "c", &v));
	assert_true(cslice_eq(v, "'x,y'"));
	assert_true(cat_toml_inline_get(
		CS("{ a = [1, {b = 2}], \"c\" = 'x,y', d = true }"), "d", &v));
	assert_true(cslice_eq(v, "true"));
	assert_false(cat_toml_inline_get(CS("{ a = 1 }"), "b", &v));
	toml_error("a = \"x\nb = 1\n", 1, "unterminated string");
	toml_error("\n\na = [1,\n2\n", 3, "unterminated array or inline table");
	toml_error("a = 1 b\n", 1, "unexpected text after the value");
	toml_error("just words\n", 1, "expected key = value");
	toml_error("a =\n", 1, "missing value");
	for (i = 0; i < 40; i++)
		strcat(deep, "[");
	toml_error(deep, 1, "nested too deep");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_python_installed_tree),
		cmocka_unit_test(test_python_metadata_licenses),
		cmocka_unit_test(test_python_record_bad_rows),
		cmocka_unit_test(test_python_record_same_or_lower_layer),
		cmocka_unit_test(test_python_requirements),
		cmocka_unit_test(test_python_requirements_capped),
		cmocka_unit_test(test_python_pipfile_lock),
		cmocka_unit_test(test_python_poetry_lock),
		cmocka_unit_test(test_python_uv_lock),
		cmocka_unit_test(test_python_toml_reader),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
