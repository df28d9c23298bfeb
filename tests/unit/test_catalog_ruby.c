/*
 * The Ruby catalogers: installed gemspecs (the literal forms RubyGems
 * writes, and the ones it does not) and Gemfile.lock sections, through
 * the real pipeline and parse() directly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "catalog_test.h"

#define GEMSPEC "ruby-installed-gemspec-cataloger"
#define GEMFILE "ruby-gemfile-cataloger"

/* The shape of a spec `gem install` writes (rack, as Debian ships it). */
static const char rack_spec[] =
	"# -*- encoding: utf-8 -*-\n"
	"# stub: rack 2.2.22 ruby lib\n"
	"\n"
	"Gem::Specification.new do |s|\n"
	"  s.name = \"rack\".freeze\n"
	"  s.version = \"2.2.22\"\n"
	"\n"
	"  s.required_rubygems_version = Gem::Requirement.new(\">= "
	"0\".freeze) if s.respond_to? :required_rubygems_version=\n"
	"  s.require_paths = [\"lib\".freeze]\n"
	"  s.authors = [\"Leah Neukirchen\".freeze, \"Jos\\u00E9\".freeze]\n"
	"  s.date = \"2026-07-25\"\n"
	"  s.executables = [\"rackup\".freeze]\n"
	"  s.files = [\"bin/rackup\".freeze, \"lib/#{name}.rb\".freeze]\n"
	"  s.homepage = \"https://github.com/rack/rack\".freeze\n"
	"  s.licenses = [\"MIT\".freeze]\n"
	"  s.summary = \"A modular Ruby webserver interface.\".freeze\n"
	"  s.installed_by_version = \"3.3.15\" if s.respond_to? "
	":installed_by_version\n"
	"  if s.respond_to? :add_runtime_dependency then\n"
	"    s.add_development_dependency(%q<minitest>.freeze, [\"~> "
	"5.0\"])\n"
	"  end\n"
	"end\n";

static const char gemfile_lock[] =
	"GIT\n"
	"  remote: https://example.org/rails/rails.git\n"
	"  revision: 0123456789abcdef\n"
	"  specs:\n"
	"    rails (7.1.0.alpha)\n"
	"      actionpack (= 7.1.0.alpha)\n"
	"\n"
	"PATH\n"
	"  remote: vendor/mygem\n"
	"  specs:\n"
	"    mygem (0.1.0)\n"
	"\n"
	"GEM\n"
	"  remote: https://gems.example.org/\n"
	"  specs:\n"
	"    nokogiri (1.15.4-x86_64-linux)\n"
	"      racc (~> 1.4)\n"
	"    racc (1.7.1)\n"
	"    jruby-openssl (0.14.2-java)\n"
	"    pre (1.0.0-rc1)\n"
	"\r\n"
	"PLUGIN SOURCE\n"
	"  remote: https://example.org/plugins\n"
	"  specs:\n"
	"    bundler-graph (0.2.1)\n"
	"\n"
	"PLATFORMS\n"
	"  x86_64-linux\n"
	"    notagem (1.0)\n"
	"\n"
	"DEPENDENCIES\n"
	"  nokogiri\n"
	"  rails!\n"
	"\n"
	"BUNDLED WITH\n"
	"   2.4.19\n";

static void test_ruby_gemspec_pipeline(void **state)
{
	struct customs_sbom *sbom;
	struct customs_pkg *p;
	char root[512];

	(void)state;
	ct_tmpdir(root, sizeof(root));
	ct_write(root, "usr/local/bundle/specifications/rack-2.2.22.gemspec",
		 rack_spec);
	/* a source gemspec outside specifications/ is not installed */
	ct_write(root, "src/app/app.gemspec",
		 "Gem::Specification.new do |s|\n  s.name = \"app\"\n"
		 "  s.version = \"1.0\"\nend\n");
	sbom = ct_scan(root, GEMSPEC, false);
	assert_int_equal(sbom->pkgs.n, 1);
	p = ct_find(&sbom->pkgs, "rack", "2.2.22");
	assert_non_null(p);
	assert_int_equal(p->type, CUSTOMS_PKG_GEM);
	assert_string_equal(p->found_by, GEMSPEC);
	assert_string_equal(p->locations[0].path,
			    "usr/local/bundle/specifications/"
			    "rack-2.2.22.gemspec");
	assert_int_equal(p->licenses.n, 1);
	assert_string_equal(p->licenses.v[0], "MIT");
	assert_string_equal(customs_pkg_meta_get(p, "homepage"),
			    "https://github.com/rack/rack");
	assert_string_equal(customs_pkg_meta_get(p, "authors"),
			    "Leah Neukirchen, Jos\xc3\xa9");
	assert_int_equal(p->n_files, 2);
	assert_string_equal(p->files[0].path,
			    "usr/local/bundle/gems/rack-2.2.22/bin/rackup");
	assert_string_equal(p->files[1].path,
			    "usr/local/bundle/gems/rack-2.2.22/lib/rack.rb");
	assert_int_equal(sbom->warnings.n, 0);
	customs_sbom_free(sbom);
	ct_rmrf(root);
}

static void test_ruby_gemspec_literal_forms(void **state)
{
	static const char text[] =
		"Gem::Specification.new do |spec|\n"
		"  spec.name = %q{weird}\n"
		"  spec.version = Gem::Version.new(\"1.2.3\".freeze)\n"
		"  spec.license = 'Apache-2.0'\n"
		"  spec.homepage = \"https://x.example/#{spec.name}/v#{version}"
		"/#{other}\"\n"
		"  spec.authors = [\n"
		"    \"A \\\"Q\\\" B\", # first\n"
		"    'C\\'D',\n"
		"  ]\n"
		"  spec.files = [\"../../etc/passwd\", \"/abs\", \"ok..rb\"]\n"
		"  spec.description = Foo.bar(1)\n"
		"  spec.name == \"not an assignment\"\n"
		"end\n";
	struct cat_result res = { 0 };
	struct customs_pkg *p;

	(void)state;
	assert_int_equal(ct_parse(GEMSPEC, "specifications/weird-1.2.3.gemspec",
				  text, strlen(text), &res),
			 0);
	assert_int_equal(res.pkgs.n, 1);
	p = res.pkgs.v[0];
	assert_string_equal(p->name, "weird");
	assert_string_equal(p->version, "1.2.3");
	assert_string_equal(p->licenses.v[0], "Apache-2.0");
	assert_string_equal(customs_pkg_meta_get(p, "homepage"),
			    "https://x.example/weird/v1.2.3/#{other}");
	assert_string_equal(customs_pkg_meta_get(p, "authors"),
			    "A \"Q\" B, C'D");
	/* names leaving the gem directory are not owned files */
	assert_int_equal(p->n_files, 1);
	assert_string_equal(p->files[0].path, "gems/weird-1.2.3/ok..rb");
	assert_true(ct_warned(&res.warnings, "2 names outside the gem"));
	ct_release(&res);
}

static void test_ruby_gemspec_missing_and_bad(void **state)
{
	static const char no_version[] = "s.name = \"x\"\n"
					 "s.version = some_method\n"
					 "s.licenses = [\"MIT\"\n";
	static const char unterminated[] = "s.name = \"abc";
	struct cat_result res = { 0 };

	(void)state;
	assert_int_equal(ct_parse(GEMSPEC, "a/specifications/x.gemspec",
				  no_version, strlen(no_version), &res),
			 0);
	assert_int_equal(res.pkgs.n, 0);
	assert_true(ct_warned(&res.warnings, "line 2: version: not a literal"));
	assert_true(
		ct_warned(&res.warnings, "line 3: licenses: not a literal"));
	assert_true(ct_warned(&res.warnings, "no version"));
	ct_release(&res);
	memset(&res, 0, sizeof(res));
	assert_int_equal(ct_parse(GEMSPEC, "specifications/x.gemspec",
				  unterminated, strlen(unterminated), &res),
			 0);
	assert_int_equal(res.pkgs.n, 0);
	assert_true(ct_warned(&res.warnings, "line 1: name: not a literal"));
	assert_true(ct_warned(&res.warnings, "no name"));
	ct_release(&res);
	/* not under specifications/: ignored without a word */
	memset(&res, 0, sizeof(res));
	assert_int_equal(ct_parse(GEMSPEC, "src/x.gemspec", rack_spec,
				  strlen(rack_spec), &res),
			 0);
	assert_int_equal(res.pkgs.n + res.warnings.n, 0);
}

static void test_ruby_gemfile_lock_pipeline(void **state)
{
	struct customs_sbom *sbom;
	struct customs_pkg *p;
	char root[512];

	(void)state;
	ct_tmpdir(root, sizeof(root));
	ct_write(root, "app/Gemfile.lock", gemfile_lock);
	ct_write(root, "app/Gemfile.next.lock",
		 "GEM\n  specs:\n    rack (3.0.8)\n");
	sbom = ct_scan(root, GEMFILE, true);
	assert_int_equal(sbom->pkgs.n, 8);
	p = ct_find(&sbom->pkgs, "rails", "7.1.0.alpha");
	assert_non_null(p);
	assert_int_equal(p->type, CUSTOMS_PKG_GEM);
	assert_string_equal(customs_pkg_meta_get(p, "git_remote"),
			    "https://example.org/rails/rails.git");
	assert_string_equal(customs_pkg_meta_get(p, "git_revision"),
			    "0123456789abcdef");
	p = ct_find(&sbom->pkgs, "mygem", "0.1.0");
	assert_string_equal(customs_pkg_meta_get(p, "path"), "vendor/mygem");
	p = ct_find(&sbom->pkgs, "nokogiri", "1.15.4");
	assert_non_null(p);
	assert_string_equal(customs_pkg_meta_get(p, "platform"),
			    "x86_64-linux");
	assert_null(customs_pkg_meta_get(p, "git_remote"));
	assert_non_null(ct_find(&sbom->pkgs, "racc", "1.7.1"));
	p = ct_find(&sbom->pkgs, "jruby-openssl", "0.14.2");
	assert_string_equal(customs_pkg_meta_get(p, "platform"), "java");
	/* a pre-release suffix is not a platform */
	assert_non_null(ct_find(&sbom->pkgs, "pre", "1.0.0-rc1"));
	assert_non_null(ct_find(&sbom->pkgs, "bundler-graph", "0.2.1"));
	p = ct_find(&sbom->pkgs, "rack", "3.0.8");
	assert_string_equal(p->locations[0].path, "app/Gemfile.next.lock");
	assert_null(ct_find(&sbom->pkgs, "notagem", NULL));
	assert_null(ct_find(&sbom->pkgs, "actionpack", NULL));
	assert_int_equal(sbom->warnings.n, 0);
	customs_sbom_free(sbom);
	/* an image scan does not read lock files */
	sbom = ct_scan(root, NULL, false);
	assert_null(ct_find(&sbom->pkgs, "racc", NULL));
	customs_sbom_free(sbom);
	ct_rmrf(root);
}

static void test_ruby_gemfile_lock_bad_lines(void **state)
{
	static const char text[] = "GEM\n"
				   "  specs:\n"
				   "    noparen 1.0\n"
				   "    empty ()\n"
				   "    good (2.0)\n"
				   "    nul (\0)\n"
				   "    trunc (3.";
	struct cat_result res = { 0 };

	(void)state;
	assert_int_equal(
		ct_parse(GEMFILE, "Gemfile.lock", text, sizeof(text) - 1, &res),
		0);
	assert_int_equal(res.pkgs.n, 1);
	assert_string_equal(res.pkgs.v[0]->name, "good");
	assert_true(ct_warned(&res.warnings, "line 3: not \"name (version)\""));
	assert_true(ct_warned(&res.warnings, "line 4: no version"));
	assert_true(ct_warned(&res.warnings, "line 6: control character"));
	assert_true(ct_warned(&res.warnings, "line 7: not \"name (version)\""));
	ct_release(&res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ruby_gemspec_pipeline),
		cmocka_unit_test(test_ruby_gemspec_literal_forms),
		cmocka_unit_test(test_ruby_gemspec_missing_and_bad),
		cmocka_unit_test(test_ruby_gemfile_lock_pipeline),
		cmocka_unit_test(test_ruby_gemfile_lock_bad_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
