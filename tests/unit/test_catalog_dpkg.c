/*
 * dpkg-db-cataloger: the status database and distroless status.d through
 * the real pipeline, the stanza parser's edge cases called directly, the
 * md5sums/conffiles lists, DEP-5 licences, and the relative lookup of
 * sidecar files across layers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <unistd.h>

#include "cat_test.h"
#include "catalog/dpkg_int.h"

#define MD5_A "0123456789abcdef0123456789abcdef"
#define MD5_B "fedcba9876543210fedcba9876543210"
#define MD5_C "00000000000000000000000000000001"

static const char status_text[] = "Package: libfoo1\n"
				  "Status: install ok installed\n"
				  "Priority: optional\n"
				  "Installed-Size: 120\n"
				  "Maintainer: Jane Doe <jane@example.org>\n"
				  "Architecture: amd64\n"
				  "Multi-Arch: same\n"
				  "Source: foo (1.2-3)\n"
				  "Version: 1.2-3+b1\n"
				  "Depends: libc6 (>= 2.36),\n"
				  " libbar2\n"
				  "Description: the foo library\n"
				  " It does foo.\n"
				  " .\n"
				  " And more foo.\n"
				  "\n"
				  "Package: foo-tools\n"
				  "Status: install ok installed\n"
				  "Architecture: all\n"
				  "Version: 1:2.0-1\n"
				  "Provides: foo-cli\n"
				  "Conffiles:\n"
				  " /etc/foo.conf " MD5_C "\n"
				  " /etc/foo.old " MD5_C " obsolete\n"
				  "Homepage: https://foo.example.org\n"
				  "\n"
				  "Package: gone\n"
				  "Status: deinstall ok config-files\n"
				  "Architecture: amd64\n"
				  "Version: 0.1\n";

static const char dep5_copyright[] =
	"\n"
	"Format: https://www.debian.org/doc/packaging-manuals/"
	"copyright-format/1.0/\n"
	"Upstream-Name: foo\n"
	"\n"
	"Files: *\n"
	"License: GPL-2+ or Artistic\n"
	"\n"
	"Files: debian/*\n"
	"License: none\n"
	"\n"
	"License: Artistic\n"
	" On Debian systems see /usr/share/common-licenses/Artistic.\n";

static const char plain_copyright[] =
	"This is libfoo, written by Jane Doe.\n"
	"License: MIT\n"
	"On Debian systems, the complete text of the GNU Lesser General\n"
	"Public License can be found in /usr/share/common-licenses/LGPL-2.1.\n";

static void test_dpkg_status_pipeline(void **state)
{
	struct customs_sbom *sbom;
	const struct customs_pkg *lib, *tools;
	const struct customs_pkg_file *f;
	char root[600];

	(void)state;
	ct_mkroot(root, sizeof(root));
	ct_put(root, "var/lib/dpkg/status", status_text);
	ct_put(root, "var/lib/dpkg/info/libfoo1:amd64.md5sums",
	       MD5_A "  usr/lib/x86_64-linux-gnu/libfoo.so.1\n" MD5_B
		     "  usr/share/doc/libfoo1/copyright\n");
	ct_put(root, "var/lib/dpkg/info/libfoo1:amd64.list", "/.\n");
	ct_put(root, "var/lib/dpkg/info/foo-tools.md5sums",
	       MD5_A "  usr/bin/foo\n");
	ct_put(root, "var/lib/dpkg/info/foo-tools.conffiles",
	       "/etc/foo.conf\n/etc/foo.d/extra\n"
	       "remove-on-upgrade /etc/foo.legacy\n");
	ct_put(root, "var/lib/dpkg/info/gone.md5sums",
	       MD5_A "  usr/bin/gone\n");
	ct_put(root, "usr/share/doc/libfoo1/copyright", plain_copyright);
	ct_put(root, "usr/share/doc/foo-tools/copyright", dep5_copyright);
	ct_put(root, "usr/share/doc/foo-tools/nested/copyright",
	       "License: X\n");
	sbom = ct_catalog(root, "dpkg", CUSTOMS_SCOPE_SQUASHED);
	assert_int_equal(sbom->pkgs.n, 2);
	assert_int_equal(sbom->warnings.n, 0);

	lib = ct_find(&sbom->pkgs, "libfoo1", NULL);
	assert_non_null(lib);
	assert_int_equal(lib->type, CUSTOMS_PKG_DEB);
	assert_string_equal(lib->version, "1.2-3+b1");
	assert_string_equal(lib->arch, "amd64");
	assert_string_equal(lib->source_name, "foo");
	assert_string_equal(lib->source_version, "1.2-3");
	assert_string_equal(lib->found_by, "dpkg-db-cataloger");
	assert_string_equal(customs_pkg_meta_get(lib, "depends"),
			    "libc6 (>= 2.36), libbar2");
	assert_string_equal(customs_pkg_meta_get(lib, "installed_size"), "120");
	assert_string_equal(customs_pkg_meta_get(lib, "maintainer"),
			    "Jane Doe <jane@example.org>");
	assert_string_equal(customs_pkg_meta_get(lib, "description"),
			    "the foo library");
	/* the arch-qualified md5sums of a Multi-Arch: same package */
	assert_int_equal(lib->n_files, 2);
	f = ct_file(lib, "usr/lib/x86_64-linux-gnu/libfoo.so.1");
	assert_non_null(f);
	assert_string_equal(f->algorithm, "md5");
	assert_string_equal(f->digest, MD5_A);
	assert_false(f->config);
	assert_true(ct_has_location(lib, "var/lib/dpkg/status", 0,
				    CUSTOMS_EVIDENCE_PRIMARY));
	assert_true(ct_has_location(lib,
				    "var/lib/dpkg/info/libfoo1:amd64.md5sums",
				    0, CUSTOMS_EVIDENCE_SUPPORTING));
	assert_true(ct_has_location(lib, "usr/share/doc/libfoo1/copyright", 0,
				    CUSTOMS_EVIDENCE_SUPPORTING));
	/* not machine-readable: only the common-licenses reference */
	assert_int_equal(lib->licenses.n, 1);
	assert_string_equal(lib->licenses.v[0], "LGPL-2.1");

	tools = ct_find(&sbom->pkgs, "foo-tools", "1:2.0-1");
	assert_non_null(tools);
	assert_null(tools->source_name);
	assert_null(tools->source_version);
	assert_string_equal(customs_pkg_meta_get(tools, "provides"), "foo-cli");
	assert_string_equal(customs_pkg_meta_get(tools, "homepage"),
			    "https://foo.example.org");
	/* Conffiles field (md5, obsolete dropped), md5sums, conffiles list */
	assert_int_equal(tools->n_files, 3);
	f = ct_file(tools, "etc/foo.conf");
	assert_non_null(f);
	assert_true(f->config);
	assert_string_equal(f->digest, MD5_C);
	f = ct_file(tools, "etc/foo.d/extra");
	assert_non_null(f);
	assert_true(f->config);
	assert_null(f->digest);
	f = ct_file(tools, "usr/bin/foo");
	assert_non_null(f);
	assert_false(f->config);
	assert_null(ct_file(tools, "etc/foo.old"));
	assert_null(ct_file(tools, "etc/foo.legacy"));
	assert_true(ct_has_location(tools,
				    "var/lib/dpkg/info/foo-tools.conffiles", 0,
				    CUSTOMS_EVIDENCE_SUPPORTING));
	/* DEP-5: first words of License lines plus common-licenses, sorted */
	assert_int_equal(tools->licenses.n, 2);
	assert_string_equal(tools->licenses.v[0], "Artistic");
	assert_string_equal(tools->licenses.v[1], "GPL-2+");
	assert_null(ct_find(&sbom->pkgs, "gone", NULL));
	customs_sbom_free(sbom);
	ct_rmroot(root);
}

static void test_dpkg_status_d_distroless(void **state)
{
	struct customs_sbom *sbom;
	const struct customs_pkg *base, *tz;
	char root[600];

	(void)state;
	ct_mkroot(root, sizeof(root));
	/* the stanza file is named "base", the package "base-files" */
	ct_put(root, "var/lib/dpkg/status.d/base",
	       "Package: base-files\nVersion: 12.4+deb12u5\n"
	       "Architecture: amd64\nMaintainer: Santiago Vila\n");
	ct_put(root, "var/lib/dpkg/status.d/base.md5sums",
	       MD5_A "  etc/debian_version\n" MD5_B "  etc/host.conf\n");
	ct_put(root, "var/lib/dpkg/status.d/tzdata",
	       "Package: tzdata\nVersion: 2024a-0+deb12u1\n"
	       "Architecture: all\n");
	ct_put(root, "var/lib/dpkg/status.d/tzdata.md5sums",
	       MD5_A "  usr/share/zoneinfo/UTC\n");
	ct_put(root, "usr/share/doc/tzdata/copyright",
	       "Format: http://www.debian.org/doc/packaging-manuals/"
	       "copyright-format/1.0/\n\nFiles: *\nLicense: public-domain\n");
	sbom = ct_catalog(root, "dpkg-db-cataloger", CUSTOMS_SCOPE_SQUASHED);
	assert_int_equal(sbom->pkgs.n, 2);
	assert_int_equal(sbom->warnings.n, 0);
	base = ct_find(&sbom->pkgs, "base-files", "12.4+deb12u5");
	assert_non_null(base);
	assert_true(ct_has_location(base, "var/lib/dpkg/status.d/base", 0,
				    CUSTOMS_EVIDENCE_PRIMARY));
	assert_true(ct_has_location(base, "var/lib/dpkg/status.d/base.md5sums",
				    0, CUSTOMS_EVIDENCE_SUPPORTING));
	assert_int_equal(base->n_files, 2);
	assert_string_equal(ct_file(base, "etc/host.conf")->digest, MD5_B);
	assert_int_equal(base->licenses.n, 0);
	tz = ct_find(&sbom->pkgs, "tzdata", NULL);
	assert_non_null(tz);
	assert_int_equal(tz->n_files, 1);
	assert_non_null(ct_file(tz, "usr/share/zoneinfo/UTC"));
	assert_int_equal(tz->licenses.n, 1);
	assert_string_equal(tz->licenses.v[0], "public-domain");
	customs_sbom_free(sbom);
	ct_rmroot(root);
}

static void test_dpkg_missing_sidecars(void **state)
{
	struct customs_sbom *sbom;
	const struct customs_pkg *p;
	char root[600];

	(void)state;
	ct_mkroot(root, sizeof(root));
	ct_put(root, "var/lib/dpkg/status",
	       "Package: lonely\nStatus: install ok installed\n"
	       "Version: 1.0\nArchitecture: arm64\n");
	/* the plain name is the fallback for an arch-qualified lookup */
	ct_put(root, "var/lib/dpkg/info/other.md5sums", MD5_A "  x\n");
	sbom = ct_catalog(root, "dpkg", CUSTOMS_SCOPE_SQUASHED);
	assert_int_equal(sbom->pkgs.n, 1);
	p = sbom->pkgs.v[0];
	assert_string_equal(p->name, "lonely");
	assert_int_equal(p->n_files, 0);
	assert_int_equal(p->n_locations, 1);
	assert_int_equal(p->licenses.n, 0);
	customs_sbom_free(sbom);
	ct_rmroot(root);
}

/* Packages of one source may share a doc directory through a symlink. */
static void test_dpkg_copyright_through_doc_symlink(void **state)
{
	struct customs_sbom *sbom;
	const struct customs_pkg *p;
	char root[600], link[700];

	(void)state;
	ct_mkroot(root, sizeof(root));
	ct_put(root, "var/lib/dpkg/status",
	       "Package: libfoo-bin\nVersion: 1\nArchitecture: amd64\n\n"
	       "Package: libfoo-common\nVersion: 1\nArchitecture: all\n");
	ct_put(root, "usr/share/doc/libfoo-common/copyright",
	       "See /usr/share/common-licenses/BSD\n");
	snprintf(link, sizeof(link), "%s/usr/share/doc/libfoo-bin", root);
	assert_int_equal(symlink("libfoo-common", link), 0);
	sbom = ct_catalog(root, "dpkg", CUSTOMS_SCOPE_SQUASHED);
	assert_int_equal(sbom->pkgs.n, 2);
	p = ct_find(&sbom->pkgs, "libfoo-bin", NULL);
	assert_non_null(p);
	assert_int_equal(p->licenses.n, 1);
	assert_string_equal(p->licenses.v[0], "BSD");
	assert_true(ct_has_location(p, "usr/share/doc/libfoo-common/copyright",
				    0, CUSTOMS_EVIDENCE_SUPPORTING));
	p = ct_find(&sbom->pkgs, "libfoo-common", NULL);
	assert_int_equal(p->licenses.n, 1);
	customs_sbom_free(sbom);
	ct_rmroot(root);
}

static void test_dpkg_parse_installed_states(void **state)
{
	struct cat_result res;

	(void)state;
	ct_parse(&cat_dpkg, &res, DPKG_STATUS, 0,
		 "Package: a\nStatus: install ok installed\nVersion: 1\n\n"
		 "Package: b\nStatus: deinstall ok installed\nVersion: 1\n\n"
		 "Package: c\nStatus: purge ok not-installed\nVersion: 1\n\n"
		 "Package: d\nStatus: install ok config-files\nVersion: 1\n\n"
		 "Package: e\nStatus: hold ok half-configured\nVersion: 1\n\n"
		 "Package: f\nVersion: 1\n",
		 false);
	assert_int_equal(res.pkgs.n, 3);
	assert_string_equal(res.pkgs.v[0]->name, "a");
	assert_string_equal(res.pkgs.v[1]->name, "e");
	assert_string_equal(res.pkgs.v[2]->name, "f");
	assert_int_equal(res.warnings.n, 0);
	ct_result_release(&cat_dpkg, &res);
}

static void test_dpkg_parse_duplicate_keys(void **state)
{
	struct cat_result res;

	(void)state;
	ct_parse(&cat_dpkg, &res, DPKG_STATUS, 0,
		 "Package: a\n"
		 "Version: 1.0\n"
		 "version: 2.0\n"
		 " continued\n"
		 "Architecture: amd64\n",
		 false);
	assert_int_equal(res.pkgs.n, 1);
	assert_string_equal(res.pkgs.v[0]->version, "1.0");
	assert_string_equal(res.pkgs.v[0]->arch, "amd64");
	assert_int_equal(res.warnings.n, 1);
	assert_string_equal(res.warnings.v[0],
			    "line 3: field 'Version' repeated (first on line "
			    "2), the first value is kept");
	ct_result_release(&cat_dpkg, &res);
}

static void test_dpkg_parse_truncated_and_malformed(void **state)
{
	struct cat_result res;

	(void)state;
	/* cut by the read limit: the last stanza is not trusted */
	ct_parse(&cat_dpkg, &res, DPKG_STATUS, 0,
		 "Package: good\nVersion: 1\n\n"
		 "Package: cut\nVersion: 2.3",
		 true);
	assert_int_equal(res.pkgs.n, 1);
	assert_string_equal(res.pkgs.v[0]->name, "good");
	assert_int_equal(res.warnings.n, 1);
	assert_string_equal(res.warnings.v[0],
			    "line 4: stanza of 'cut' is cut short by the read "
			    "limit, skipped");
	ct_result_release(&cat_dpkg, &res);

	ct_parse(&cat_dpkg, &res, DPKG_STATUS, 0,
		 "Version: 1\nArchitecture: all\n\n"
		 "Package: nover\nArchitecture: all\n\n"
		 "Package: two words\nVersion: 1\n\n"
		 "garbage line\n"
		 "Package: ok\n"
		 "Version: 3\n"
		 "\n\n\n"
		 "Package: \x01"
		 "ctl\nVersion: 1\n",
		 false);
	assert_int_equal(res.pkgs.n, 1);
	assert_string_equal(res.pkgs.v[0]->name, "ok");
	assert_string_equal(res.pkgs.v[0]->version, "3");
	assert_int_equal(res.warnings.n, 5);
	assert_string_equal(res.warnings.v[0],
			    "line 1: stanza without a usable Package field, "
			    "skipped");
	assert_string_equal(res.warnings.v[1],
			    "line 4: package 'nover' has no Version, skipped");
	assert_string_equal(res.warnings.v[2],
			    "line 7: stanza without a usable Package field, "
			    "skipped");
	assert_string_equal(res.warnings.v[3],
			    "line 10: no ':' in 'garbage line', skipped");
	assert_true(ct_warned(&res.warnings, "line 16: stanza without"));
	ct_result_release(&cat_dpkg, &res);
}

static void test_dpkg_parse_continuation_lines(void **state)
{
	struct cat_result res;
	const struct customs_pkg *p;

	(void)state;
	ct_parse(&cat_dpkg, &res, DPKG_STATUS_D "x", 2,
		 " stray continuation\n"
		 "Package: x\r\n"
		 "Pre-Depends: a,\n"
		 "\tb (>= 1),\n"
		 "  c\n"
		 "X-Unknown: y\n"
		 " more of the unknown field\n"
		 "Description:\n"
		 " long text only\n"
		 "Source: srcx\n"
		 "Version: 9\n",
		 false);
	assert_int_equal(res.pkgs.n, 1);
	p = res.pkgs.v[0];
	assert_string_equal(p->name, "x");
	assert_string_equal(customs_pkg_meta_get(p, "pre_depends"),
			    "a, b (>= 1), c");
	assert_null(customs_pkg_meta_get(p, "description"));
	assert_string_equal(p->source_name, "srcx");
	assert_null(p->source_version);
	assert_string_equal(p->locations[0].path, DPKG_STATUS_D "x");
	assert_int_equal(p->locations[0].layer, 2);
	assert_int_equal(p->introduced_layer, 2);
	assert_int_equal(res.warnings.n, 1);
	assert_string_equal(res.warnings.v[0],
			    "line 1: continuation line outside a field, "
			    "skipped");
	ct_result_release(&cat_dpkg, &res);
}

static void test_dpkg_parse_file_lists(void **state)
{
	struct cat_result res;
	const struct dpkg_aux *aux;

	(void)state;
	ct_parse(&cat_dpkg, &res, DPKG_INFO "p:arm64.md5sums", 0,
		 MD5_A "  usr/bin/p\n"
		       "0123456789ABCDEF0123456789ABCDEF */usr/bin/upper\n"
		       "short  usr/bin/q\n"
		       "\n" MD5_B "  usr/share/doc/p/a file with spaces\n",
		 false);
	assert_int_equal(res.pkgs.n, 0);
	aux = res.aux;
	assert_non_null(aux);
	assert_int_equal(aux->kind, DPKG_KIND_MD5SUMS);
	assert_int_equal(aux->n_files, 3);
	assert_string_equal(aux->files[1].path, "usr/bin/upper");
	assert_string_equal(aux->files[1].md5, MD5_A);
	assert_string_equal(aux->files[2].path,
			    "usr/share/doc/p/a file with spaces");
	assert_int_equal(res.warnings.n, 1);
	assert_string_equal(res.warnings.v[0],
			    "line 3: not an md5sums line, skipped");
	ct_result_release(&cat_dpkg, &res);

	/* a cut list loses its partial last line */
	ct_parse(&cat_dpkg, &res, DPKG_INFO "p.conffiles", 0,
		 "/etc/p.conf\nnot a path\nremove-on-upgrade /etc/old\n"
		 "/etc/p.d/partia",
		 true);
	aux = res.aux;
	assert_int_equal(aux->kind, DPKG_KIND_CONFFILES);
	assert_int_equal(aux->n_files, 1);
	assert_string_equal(aux->files[0].path, "etc/p.conf");
	assert_null(aux->files[0].md5);
	assert_int_equal(res.warnings.n, 1);
	assert_string_equal(res.warnings.v[0],
			    "line 2: not a conffiles line, skipped");
	ct_result_release(&cat_dpkg, &res);
}

static void test_dpkg_copyright_dep5_or_not(void **state)
{
	struct cat_result res;
	const struct dpkg_aux *aux;

	(void)state;
	ct_parse(&cat_dpkg, &res, DEB_DOC "foo/copyright", 0, dep5_copyright,
		 false);
	aux = res.aux;
	assert_true(aux->dep5);
	assert_int_equal(aux->licenses.n, 2);
	assert_string_equal(aux->licenses.v[0], "Artistic");
	assert_string_equal(aux->licenses.v[1], "GPL-2+");
	ct_result_release(&cat_dpkg, &res);

	ct_parse(&cat_dpkg, &res, DEB_DOC "foo/copyright", 0, plain_copyright,
		 false);
	aux = res.aux;
	assert_false(aux->dep5);
	assert_int_equal(aux->licenses.n, 1);
	assert_string_equal(aux->licenses.v[0], "LGPL-2.1");
	ct_result_release(&cat_dpkg, &res);

	/* a Format line that is not the first non-blank line does not count */
	ct_parse(&cat_dpkg, &res, DEB_DOC "foo/copyright", 0,
		 "Copyright 2020 X\nFormat: https://www.debian.org/doc/"
		 "packaging-manuals/copyright-format/1.0/\nLicense: BSD\n",
		 false);
	aux = res.aux;
	assert_false(aux->dep5);
	assert_int_equal(aux->licenses.n, 0);
	ct_result_release(&cat_dpkg, &res);
}

static void test_dpkg_classify_paths(void **state)
{
	(void)state;
	assert_int_equal(dpkg_classify("var/lib/dpkg/status"),
			 DPKG_KIND_STATUS);
	assert_int_equal(dpkg_classify("var/lib/dpkg/status-old"),
			 DPKG_KIND_NONE);
	assert_int_equal(dpkg_classify("var/lib/dpkg/status.d/libc6"),
			 DPKG_KIND_STATUS_D);
	assert_int_equal(dpkg_classify("var/lib/dpkg/status.d/libc6.md5sums"),
			 DPKG_KIND_MD5SUMS);
	assert_int_equal(dpkg_classify("var/lib/dpkg/status.d/sub/x"),
			 DPKG_KIND_NONE);
	assert_int_equal(dpkg_classify("var/lib/dpkg/status.d/.hidden"),
			 DPKG_KIND_NONE);
	assert_int_equal(dpkg_classify("var/lib/dpkg/info/a:amd64.md5sums"),
			 DPKG_KIND_MD5SUMS);
	assert_int_equal(dpkg_classify("var/lib/dpkg/info/a.conffiles"),
			 DPKG_KIND_CONFFILES);
	assert_int_equal(dpkg_classify("var/lib/dpkg/info/a.list"),
			 DPKG_KIND_NONE);
	assert_int_equal(dpkg_classify("srv/var/lib/dpkg/info/a.md5sums"),
			 DPKG_KIND_NONE);
	assert_int_equal(dpkg_classify("usr/share/doc/a/copyright"),
			 DPKG_KIND_COPYRIGHT);
	assert_int_equal(dpkg_classify("usr/share/doc/a/b/copyright"),
			 DPKG_KIND_NONE);
	assert_int_equal(dpkg_classify("usr/share/doc//copyright"),
			 DPKG_KIND_NONE);
}

/*
 * Layer 0 installs a 1.0 with its md5sums; layer 1 upgrades it to 2.0
 * with a new md5sums; layer 2 adds a copyright file. Each status file
 * sees the sidecars of its own layer or below, never a later one.
 */
struct layered {
	struct cat_result res[5];
	struct cat_entry e[5];
	struct customs_pkglist out;
};

static void layered_setup(struct layered *l)
{
	static const struct {
		const char *path;
		int layer;
		bool visible;
		const char *text;
	} in[5] = {
		{ DPKG_STATUS, 0, false,
		  "Package: a\nVersion: 1.0\nArchitecture: all\n" },
		{ DPKG_INFO "a.md5sums", 0, false, MD5_A "  usr/bin/a1\n" },
		{ DPKG_STATUS, 1, true,
		  "Package: a\nVersion: 2.0\nArchitecture: all\n" },
		{ DPKG_INFO "a.md5sums", 1, true, MD5_B "  usr/bin/a2\n" },
		{ DEB_DOC "a/copyright", 2, true,
		  "See /usr/share/common-licenses/GPL-3\n" },
	};
	size_t i;

	memset(l, 0, sizeof(*l));
	for (i = 0; i < 5; i++) {
		ct_parse(&cat_dpkg, &l->res[i], in[i].path, in[i].layer,
			 in[i].text, false);
		l->e[i].path = (char *)in[i].path;
		l->e[i].layer = in[i].layer;
		l->e[i].visible = in[i].visible;
		l->e[i].res = &l->res[i];
	}
}

static void layered_run(struct layered *l, enum customs_scope scope)
{
	struct cat_finish f = { 0 };

	f.cat = &cat_dpkg;
	f.entries = l->e;
	f.n_entries = 5;
	f.scope = scope;
	f.out = &l->out;
	assert_int_equal(cat_dpkg.finish(&f), 0);
}

static void layered_release(struct layered *l)
{
	size_t i;

	for (i = 0; i < 5; i++)
		ct_result_release(&cat_dpkg, &l->res[i]);
	customs_pkglist_release(&l->out);
}

static void test_dpkg_finish_relative_lookup(void **state)
{
	struct layered l;
	const struct customs_pkg *old, *cur;

	(void)state;
	layered_setup(&l);
	layered_run(&l, CUSTOMS_SCOPE_ALL_LAYERS);
	assert_int_equal(l.out.n, 2);
	old = ct_find(&l.out, "a", "1.0");
	cur = ct_find(&l.out, "a", "2.0");
	assert_non_null(old);
	assert_non_null(cur);
	assert_int_equal(old->n_files, 1);
	assert_string_equal(old->files[0].path, "usr/bin/a1");
	assert_int_equal(old->n_locations, 2);
	assert_true(ct_has_location(old, DPKG_INFO "a.md5sums", 0,
				    CUSTOMS_EVIDENCE_SUPPORTING));
	assert_int_equal(cur->n_files, 1);
	assert_string_equal(cur->files[0].path, "usr/bin/a2");
	assert_string_equal(cur->files[0].digest, MD5_B);
	assert_true(ct_has_location(cur, DPKG_INFO "a.md5sums", 1,
				    CUSTOMS_EVIDENCE_SUPPORTING));
	/* the copyright came in a later layer than both status files */
	assert_int_equal(old->licenses.n, 0);
	assert_int_equal(cur->licenses.n, 0);
	layered_release(&l);

	/* squashed: only the visible status file's packages */
	layered_setup(&l);
	layered_run(&l, CUSTOMS_SCOPE_SQUASHED);
	assert_int_equal(l.out.n, 1);
	assert_string_equal(l.out.v[0]->version, "2.0");
	assert_string_equal(l.out.v[0]->files[0].path, "usr/bin/a2");
	layered_release(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dpkg_status_pipeline),
		cmocka_unit_test(test_dpkg_status_d_distroless),
		cmocka_unit_test(test_dpkg_missing_sidecars),
		cmocka_unit_test(test_dpkg_copyright_through_doc_symlink),
		cmocka_unit_test(test_dpkg_parse_installed_states),
		cmocka_unit_test(test_dpkg_parse_duplicate_keys),
		cmocka_unit_test(test_dpkg_parse_truncated_and_malformed),
		cmocka_unit_test(test_dpkg_parse_continuation_lines),
		cmocka_unit_test(test_dpkg_parse_file_lists),
		cmocka_unit_test(test_dpkg_copyright_dep5_or_not),
		cmocka_unit_test(test_dpkg_classify_paths),
		cmocka_unit_test(test_dpkg_finish_relative_lookup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
