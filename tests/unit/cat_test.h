/*
 * Helpers for the cataloger unit tests: build a small root filesystem in
 * a temporary directory, run the real pipeline (image open, scan with the
 * catalog's analyzers, finish) with one cataloger selected, and call a
 * cataloger's parse() directly on a string. Include after cmocka.h.
 */
#ifndef CUSTOMS_TESTS_CAT_TEST_H
#define CUSTOMS_TESTS_CAT_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "customs/analyze.h"
#include "customs/catalog.h"
#include "customs/image.h"
#include "customs/pkg.h"
#include "catalog/catalog_int.h"

/* A new empty directory under CUSTOMS_TEST_TMP or /tmp, in buf. */
static inline void ct_mkroot(char *buf, size_t n)
{
	const char *base = getenv("CUSTOMS_TEST_TMP");

	snprintf(buf, n, "%s/customs-cat-XXXXXX",
		 base && *base ? base : "/tmp");
	if (base && *base)
		mkdir(base, 0755);
	assert_non_null(mkdtemp(buf));
}

/* Write root/rel with content, creating the parent directories. */
static inline void ct_put(const char *root, const char *rel,
			  const char *content)
{
	char p[1024];
	size_t i, n;
	FILE *f;

	n = (size_t)snprintf(p, sizeof(p), "%s/%s", root, rel);
	assert_true(n < sizeof(p));
	for (i = strlen(root) + 1; i < n; i++) {
		if (p[i] != '/')
			continue;
		p[i] = '\0';
		mkdir(p, 0755);
		p[i] = '/';
	}
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

static inline void ct_rmroot(const char *root)
{
	char cmd[1200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
}

/* The SBOM of dir:root with only the cataloger(s) select names. */
static inline struct customs_sbom *
ct_catalog(const char *root, const char *select, enum customs_scope scope)
{
	struct customs_image_opts io = CUSTOMS_IMAGE_OPTS_INIT;
	struct customs_scan_opts so = CUSTOMS_SCAN_OPTS_INIT;
	struct customs_catalog_opts co = CUSTOMS_CATALOG_OPTS_INIT;
	struct customs_image *img = NULL;
	struct customs_analysis *an = NULL;
	struct customs_catalog *cat = NULL;
	struct customs_sbom *sbom = NULL;
	struct customs_ctx *ctx = NULL;
	char target[1100];
	size_t n;

	co.select = select;
	co.scope = scope;
	snprintf(target, sizeof(target), "dir:%s", root);
	assert_int_equal(customs_ctx_new(&ctx), 0);
	assert_int_equal(customs_image_open(&img, ctx, target, &io), 0);
	assert_int_equal(customs_catalog_new(&cat, &co, ctx), 0);
	so.analyzers = customs_catalog_analyzers(cat, &n);
	so.n_analyzers = n;
	assert_int_equal(n, 1);
	assert_int_equal(customs_image_scan(&an, img, ctx, &so), 0);
	assert_int_equal(customs_catalog_finish(&sbom, cat, img, an, ctx), 0);
	customs_catalog_free(cat);
	customs_analysis_free(an);
	customs_image_free(img);
	customs_ctx_free(ctx);
	return sbom;
}

static inline struct customs_pkg *ct_find(const struct customs_pkglist *l,
					  const char *name, const char *version)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (l->v[i] && !strcmp(l->v[i]->name, name) &&
		    (!version || !strcmp(l->v[i]->version, version)))
			return l->v[i];
	}
	return NULL;
}

static inline const struct customs_pkg_file *
ct_file(const struct customs_pkg *p, const char *path)
{
	size_t i;

	for (i = 0; i < p->n_files; i++) {
		if (!strcmp(p->files[i].path, path))
			return &p->files[i];
	}
	return NULL;
}

static inline bool ct_has_location(const struct customs_pkg *p,
				   const char *path, int layer,
				   enum customs_evidence ev)
{
	size_t i;

	for (i = 0; i < p->n_locations; i++) {
		if (!strcmp(p->locations[i].path, path) &&
		    p->locations[i].layer == layer &&
		    p->locations[i].evidence == ev)
			return true;
	}
	return false;
}

/* Run c->parse on text as the file path in layer; res is zeroed first. */
static inline void ct_parse(const struct cataloger *c, struct cat_result *res,
			    const char *path, int layer, const char *text,
			    bool truncated)
{
	struct cat_input in = { 0 };

	memset(res, 0, sizeof(*res));
	in.path = path;
	in.layer = layer;
	in.data = (const unsigned char *)text;
	in.len = strlen(text);
	in.truncated = truncated;
	assert_int_equal(c->parse(&in, res), 0);
}

static inline void ct_result_release(const struct cataloger *c,
				     struct cat_result *res)
{
	customs_pkglist_release(&res->pkgs);
	customs_strlist_release(&res->warnings);
	if (res->aux && c->aux_free)
		c->aux_free(res->aux);
	memset(res, 0, sizeof(*res));
}

/* Is there a warning containing needle? */
static inline bool ct_warned(const struct customs_strlist *w,
			     const char *needle)
{
	size_t i;

	for (i = 0; i < w->n; i++) {
		if (strstr(w->v[i], needle))
			return true;
	}
	return false;
}

#endif
