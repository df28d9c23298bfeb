/*
 * Helpers shared by the cataloger unit tests: write a small rootfs, run
 * the real pipeline (image open, scan, catalog) over it, call a
 * cataloger's parse() directly, and find packages in the results.
 */
#ifndef CUSTOMS_TEST_CATALOG_TEST_H
#define CUSTOMS_TEST_CATALOG_TEST_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "customs/analyze.h"
#include "customs/catalog.h"
#include "customs/pkg.h"
#include "catalog/catalog_int.h"

static inline void ct_mkdirs(const char *path)
{
	char p[1024];
	char *s;

	snprintf(p, sizeof(p), "%s", path);
	for (s = p + 1; *s; s++) {
		if (*s == '/') {
			*s = '\0';
			assert_true(mkdir(p, 0755) == 0 || errno == EEXIST);
			*s = '/';
		}
	}
}

/* Write root/rel (creating directories) with the given content. */
static inline void ct_write(const char *root, const char *rel,
			    const char *content)
{
	char p[1024];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	ct_mkdirs(p);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

/* A fresh scratch directory in *dir (PATH_MAX bytes). */
static inline void ct_tmpdir(char *dir, size_t n)
{
	const char *base = getenv("CUSTOMS_TEST_TMP");

	snprintf(dir, n, "%s/customs-cat-XXXXXX", base ? base : "/tmp");
	if (base)
		ct_mkdirs(dir);
	assert_non_null(mkdtemp(dir));
}

static inline void ct_rmrf(const char *dir)
{
	char cmd[1200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* The real pipeline over dir:root with only the catalogers in select. */
static inline struct customs_sbom *ct_scan(const char *root, const char *select,
					   bool dir_mode)
{
	struct customs_catalog_opts co = CUSTOMS_CATALOG_OPTS_INIT;
	struct customs_scan_opts so = CUSTOMS_SCAN_OPTS_INIT;
	struct customs_image_opts io = CUSTOMS_IMAGE_OPTS_INIT;
	struct customs_image *img = NULL;
	struct customs_analysis *an = NULL;
	struct customs_catalog *cat = NULL;
	struct customs_sbom *sbom = NULL;
	struct customs_ctx *ctx = NULL;
	char target[1100];

	snprintf(target, sizeof(target), "dir:%s", root);
	co.select = select;
	co.dir_mode = dir_mode;
	assert_int_equal(customs_ctx_new(&ctx), 0);
	assert_int_equal(customs_image_open(&img, ctx, target, &io), 0);
	assert_int_equal(customs_catalog_new(&cat, &co, ctx), 0);
	so.analyzers = customs_catalog_analyzers(cat, &so.n_analyzers);
	assert_int_equal(customs_image_scan(&an, img, ctx, &so), 0);
	assert_int_equal(customs_catalog_finish(&sbom, cat, img, an, ctx), 0);
	customs_catalog_free(cat);
	customs_analysis_free(an);
	customs_image_free(img);
	customs_ctx_free(ctx);
	return sbom;
}

/* The package name@version in list, or NULL. */
static inline struct customs_pkg *ct_find(const struct customs_pkglist *l,
					  const char *name, const char *version)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (!strcmp(l->v[i]->name, name) &&
		    (!version ||
		     (l->v[i]->version && !strcmp(l->v[i]->version, version))))
			return l->v[i];
	}
	return NULL;
}

static inline const struct cataloger *ct_cataloger(const char *name)
{
	size_t i;

	for (i = 0; cat_registry[i]; i++) {
		if (!strcmp(cat_registry[i]->name, name))
			return cat_registry[i];
	}
	fail_msg("no cataloger %s", name);
	return NULL;
}

/* parse() of cataloger name on (path, text); res must be zeroed. */
static inline int ct_parse(const char *name, const char *path, const char *text,
			   size_t len, struct cat_result *res)
{
	const struct cataloger *c = ct_cataloger(name);
	struct cat_input in = { path, 0,     (const unsigned char *)text,
				len,  false, NULL,
				true, NULL,  0 };

	return c->parse(&in, res);
}

static inline void ct_release(struct cat_result *res)
{
	customs_pkglist_release(&res->pkgs);
	customs_strlist_release(&res->warnings);
}

/* Does some warning of res contain s? */
static inline bool ct_warned(const struct customs_strlist *w, const char *s)
{
	size_t i;

	for (i = 0; i < w->n; i++) {
		if (strstr(w->v[i], s))
			return true;
	}
	return false;
}

#endif
