/*
 * Helpers shared by the cataloger unit tests: a scratch root directory
 * the test fills with files, the real pipeline over "dir:<root>", and
 * direct parse() calls on one buffer. Include after cmocka.h.
 */
#ifndef CUSTOMS_TEST_CAT_TEST_LANG1_H
#define CUSTOMS_TEST_CAT_TEST_LANG1_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "customs/catalog.h"
#include "catalog/catalog_int.h"

/* A fresh directory under CUSTOMS_TEST_TMP (or TMPDIR, or /tmp). */
static inline void ct_mkroot(char *out, size_t n)
{
	const char *base = getenv("CUSTOMS_TEST_TMP");

	if (!base)
		base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	mkdir(base, 0755);
	snprintf(out, n, "%s/customs-cat-XXXXXX", base);
	assert_non_null(mkdtemp(out));
}

static inline void ct_rmroot(const char *root)
{
	char cmd[1200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
}

/* Write root/rel (creating parent directories) with content. */
static inline void ct_put(const char *root, const char *rel,
			  const char *content)
{
	char p[1200];
	size_t i, rl = strlen(root);
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	for (i = rl + 1; p[i]; i++) {
		if (p[i] == '/') {
			p[i] = '\0';
			mkdir(p, 0755);
			p[i] = '/';
		}
	}
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

/* Run the catalog over dir:root with select and dir_mode. */
static inline struct customs_sbom *ct_scan(const char *root, const char *select,
					   bool dir_mode)
{
	struct customs_catalog_opts co = CUSTOMS_CATALOG_OPTS_INIT;
	struct customs_scan_opts so = CUSTOMS_SCAN_OPTS_INIT;
	struct customs_catalog *cat = NULL;
	struct customs_image *img = NULL;
	struct customs_analysis *an = NULL;
	struct customs_sbom *sbom = NULL;
	struct customs_ctx *ctx = NULL;
	char target[1200];

	snprintf(target, sizeof(target), "dir:%s", root);
	co.select = select;
	co.dir_mode = dir_mode;
	assert_int_equal(customs_ctx_new(&ctx), 0);
	assert_int_equal(customs_image_open(&img, ctx, target, NULL), 0);
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

/* The package named name (and version, unless NULL), or NULL. */
static inline struct customs_pkg *ct_find(const struct customs_pkglist *l,
					  const char *name, const char *version)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (!strcmp(l->v[i]->name, name) &&
		    (!version || !strcmp(l->v[i]->version, version)))
			return l->v[i];
	}
	return NULL;
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

/* Run c's parse() on one buffer at path; the result is in res. */
static inline void ct_parse(const struct cataloger *c, const char *path,
			    const char *data, struct cat_result *res)
{
	struct cat_input in = {
		path,	      0,     (const unsigned char *)data,
		strlen(data), false, NULL,
		true,	      NULL,  0
	};

	memset(res, 0, sizeof(*res));
	assert_int_equal(c->parse(&in, res), 0);
}

static inline void ct_release(const struct cataloger *c, struct cat_result *res)
{
	customs_pkglist_release(&res->pkgs);
	customs_strlist_release(&res->warnings);
	if (res->aux && c->aux_free)
		c->aux_free(res->aux);
	res->aux = NULL;
}

#endif
