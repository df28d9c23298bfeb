/*
 * The package model and the catalog's merge step: deep copies, meta and
 * licence lists, package identity (one package per place, locations from
 * several layers merged), binaries owned by an OS package dropped, and
 * the PREFIX/EXEC wants the binary catalogers rely on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "customs/analyze.h"
#include "customs/pkg.h"
#include "catalog/catalog_priv.h"

static struct customs_pkg *mk(enum customs_pkg_type t, const char *name,
			      const char *version, const char *path, int layer)
{
	struct customs_pkg *p = customs_pkg_new(t);

	assert_non_null(p);
	assert_int_equal(customs_pkg_setz(&p->name, name), 0);
	assert_int_equal(customs_pkg_setz(&p->version, version), 0);
	assert_int_equal(customs_pkg_add_location(p, path, NULL, layer,
						  CUSTOMS_EVIDENCE_PRIMARY),
			 0);
	p->introduced_layer = layer;
	return p;
}

static void test_pkg_model_dup_and_lists(void **state)
{
	struct customs_pkg *p =
		mk(CUSTOMS_PKG_DEB, "bash", "5.2-1", "var/lib/dpkg/status", 0);
	struct customs_pkg *d;

	(void)state;
	assert_int_equal(customs_pkg_meta_set(p, "source", "bash"), 0);
	assert_int_equal(customs_pkg_meta_set(p, "source", "bash2"), 0);
	assert_int_equal(p->meta.n, 1);
	assert_string_equal(customs_pkg_meta_get(p, "source"), "bash2");
	assert_null(customs_pkg_meta_get(p, "nope"));
	assert_int_equal(customs_pkg_add_license(p, "GPL-3"), 0);
	assert_int_equal(customs_pkg_add_license(p, "GPL-3"), 0);
	assert_int_equal(p->licenses.n, 1);
	assert_int_equal(
		customs_pkg_add_file(p, "bin/bash", "md5", "00ff", false), 0);
	d = customs_pkg_dup(p);
	assert_non_null(d);
	assert_string_equal(d->name, "bash");
	assert_string_equal(d->files[0].digest, "00ff");
	assert_string_equal(d->locations[0].path, "var/lib/dpkg/status");
	assert_true(d->locations[0].visible);
	assert_ptr_not_equal(d->name, p->name);
	assert_int_equal(d->introduced_layer, 0);
	customs_pkg_free(p);
	customs_pkg_free(d);
	assert_string_equal(customs_pkg_type_name(CUSTOMS_PKG_JAVA),
			    "java-archive");
	{
		enum customs_pkg_type t;

		assert_int_equal(customs_pkg_type_parse(&t, "go-module"), 0);
		assert_int_equal(t, CUSTOMS_PKG_GO);
		assert_int_equal(customs_pkg_type_parse(&t, "Go"),
				 CUSTOMS_ENOTFOUND);
	}
}

static void test_catalog_merge_identity(void **state)
{
	struct customs_pkglist all = { 0 }, out = { 0 };
	struct customs_pkg *owner;

	(void)state;
	/* the same status entry seen in layers 2 and 0: one package */
	customs_pkglist_push(&all, mk(CUSTOMS_PKG_DEB, "bash", "5.2-1",
				      "var/lib/dpkg/status", 2));
	customs_pkglist_push(&all, mk(CUSTOMS_PKG_DEB, "bash", "5.2-1",
				      "var/lib/dpkg/status", 0));
	/* the same npm package at two paths: two packages */
	customs_pkglist_push(&all, mk(CUSTOMS_PKG_NPM, "debug", "4.3.4",
				      "a/node_modules/debug/package.json", 1));
	customs_pkglist_push(&all, mk(CUSTOMS_PKG_NPM, "debug", "4.3.4",
				      "b/node_modules/debug/package.json", 1));
	/* a classified binary the OS package owns, and one it does not */
	owner = mk(CUSTOMS_PKG_DEB, "python3.11", "3.11.2-6",
		   "var/lib/dpkg/status", 0);
	customs_pkg_add_file(owner, "/usr/bin/python3.11", "md5", "aa", false);
	customs_pkglist_push(&all, owner);
	customs_pkglist_push(&all, mk(CUSTOMS_PKG_BINARY, "python", "3.11.2",
				      "usr/bin/python3.11", 0));
	customs_pkglist_push(&all, mk(CUSTOMS_PKG_BINARY, "python", "3.12.1",
				      "opt/py/bin/python3.12", 1));
	assert_int_equal(cat_merge_packages(&out, &all, NULL), 0);
	assert_int_equal(all.n, 0);
	assert_int_equal(out.n, 5);
	assert_string_equal(out.v[0]->name, "bash");
	assert_int_equal(out.v[0]->n_locations, 2);
	assert_int_equal(out.v[0]->introduced_layer, 0);
	assert_string_equal(out.v[1]->locations[0].path,
			    "a/node_modules/debug/package.json");
	assert_string_equal(out.v[2]->locations[0].path,
			    "b/node_modules/debug/package.json");
	assert_string_not_equal(out.v[1]->id, out.v[2]->id);
	assert_int_equal(strlen(out.v[1]->id), 16);
	assert_string_equal(out.v[4]->version, "3.12.1");
	customs_pkglist_release(&out);
}

/* An analyzer that records which files it was offered. */
struct seen {
	char log[1024];
};

static int on_file(void *state, const struct customs_file_event *ev,
		   void **result, struct customs_ctx *ctx)
{
	(void)state;
	(void)ctx;
	*result = strdup(ev->file->path);
	return *result ? 0 : CUSTOMS_ENOMEM;
}

static int on_result(void *state, const char *path, int layer, bool visible,
		     void *result, struct customs_ctx *ctx)
{
	struct seen *s = state;

	(void)layer;
	(void)visible;
	(void)ctx;
	strncat(s->log, path, sizeof(s->log) - strlen(s->log) - 2);
	strcat(s->log, "\n");
	free(result);
	return 0;
}

static void free_result(void *state, void *result)
{
	(void)state;
	free(result);
}

static void put(const char *dir, const char *rel, mode_t mode)
{
	char p[600];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs("x\n", f);
	fclose(f);
	assert_int_equal(chmod(p, mode), 0);
}

static void test_analyze_wants_prefix_and_exec(void **state)
{
	static const struct customs_want wants[] = {
		{ CUSTOMS_WANT_PREFIX, "libssl.so" },
		{ CUSTOMS_WANT_EXEC, NULL },
	};
	struct customs_analyzer an = { CUSTOMS_ANALYZER_VERSION,
				       "t",
				       wants,
				       2,
				       16,
				       NULL,
				       on_file,
				       on_result,
				       free_result,
				       NULL,
				       NULL };
	const struct customs_analyzer *ans[] = { &an };
	struct customs_scan_opts so = CUSTOMS_SCAN_OPTS_INIT;
	struct customs_image_opts io = CUSTOMS_IMAGE_OPTS_INIT;
	struct customs_image *img = NULL;
	struct customs_analysis *a = NULL;
	struct customs_ctx *ctx = NULL;
	struct seen s = { "" };
	char dir[] = "/tmp/customs-test-wants-XXXXXX", target[64], sub[600];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(sub, sizeof(sub), "%s/lib", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	put(dir, "lib/libssl.so.3", 0644);
	put(dir, "lib/libcrypto.so.3", 0644);
	put(dir, "lib/tool", 0755);
	put(dir, "lib/script.sh", 0700);
	put(dir, "lib/data", 0644);
	snprintf(target, sizeof(target), "dir:%s", dir);
	an.state = &s;
	so.analyzers = ans;
	so.n_analyzers = 1;
	assert_int_equal(customs_ctx_new(&ctx), 0);
	assert_int_equal(customs_image_open(&img, ctx, target, &io), 0);
	assert_int_equal(customs_image_scan(&a, img, ctx, &so), 0);
	assert_string_equal(s.log,
			    "lib/libssl.so.3\nlib/script.sh\nlib/tool\n");
	customs_analysis_free(a);
	customs_image_free(img);
	customs_ctx_free(ctx);
	snprintf(sub, sizeof(sub), "rm -rf '%s'", dir);
	assert_int_equal(system(sub), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pkg_model_dup_and_lists),
		cmocka_unit_test(test_catalog_merge_identity),
		cmocka_unit_test(test_analyze_wants_prefix_and_exec),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
