/*
 * PHP Composer: the packages Composer installed (vendor/composer/
 * installed.json, image and directory scans) and the packages a project
 * locked (composer.lock, directory scans only).
 *
 * installed.json is an object with a "packages" array since Composer 2
 * (with "dev-package-names" listing the require-dev ones) and a bare
 * array before; composer.lock has "packages" and "packages-dev". Each
 * entry is one package: "name" is "vendor/name" and is kept whole (the
 * PURL builder splits it), "version" as written ("v1.2.3" included).
 * An entry without a name or a version is skipped with a warning naming
 * its array index; everything else in the file still counts.
 */
#include <stdio.h>
#include <string.h>

#include "catalog/catalog_int.h"
#include "catalog/jsondoc.h"
#include "util/strmap.h"
#include "util/banned.h"

#define COMPOSER_MAX_BYTES (32u << 20)
#define COMPOSER_MAX_PACKAGES 100000u
#define COMPOSER_MAX_LICENSES 32u

static const char installed_name[] = "php-composer-installed-cataloger";
static const char lock_name[] = "php-composer-lock-cataloger";

struct group {
	const struct cat_input *in;
	struct cat_result *res;
	const char *found_by;
	const char *array; /* "packages", "packages-dev" or "" (v1) */
	bool dev; /* every entry is a dev dependency */
	const struct strmap *dev_names; /* installed.json v2 */
};

/* Source and dist: where the package came from ("source_url", ...). */
static int add_origin(struct customs_pkg *pkg, const json_t *p, const char *key)
{
	const json_t *o = json_object_get(p, key);
	char k[32];
	int rc = 0;

	if (!json_is_object(o))
		return 0;
	snprintf(k, sizeof(k), "%s_type", key);
	rc = rc ? rc : cat_jsondoc_meta(pkg, k, o, "type");
	snprintf(k, sizeof(k), "%s_url", key);
	rc = rc ? rc : cat_jsondoc_meta(pkg, k, o, "url");
	snprintf(k, sizeof(k), "%s_reference", key);
	rc = rc ? rc : cat_jsondoc_meta(pkg, k, o, "reference");
	if (!strcmp(key, "dist"))
		rc = rc ? rc
			: cat_jsondoc_meta(pkg, "dist_shasum", o, "shasum");
	return rc;
}

static bool is_dev(const struct group *g, const char *name)
{
	return g->dev || (g->dev_names && strmap_get(g->dev_names, name));
}

static int add_package(const struct group *g, const json_t *p, size_t i)
{
	const char *name = cat_jsondoc_str(p, "name");
	const char *version = cat_jsondoc_str(p, "version");
	struct customs_pkg *pkg;
	int rc;

	if (!json_is_object(p))
		return cat_warn(g->res, "%s[%zu]: not an object", g->array, i);
	if (!name || !version)
		return cat_warn(g->res, "%s[%zu]: no %s", g->array, i,
				name ? "version" : "name");
	pkg = cat_pkg_new(g->res, g->in, g->found_by, CUSTOMS_PKG_PHP);
	if (!pkg)
		return CUSTOMS_ENOMEM;
	rc = customs_pkg_setz(&pkg->name, name);
	rc = rc ? rc : customs_pkg_setz(&pkg->version, version);
	rc = rc ? rc
		: cat_jsondoc_licenses(pkg, json_object_get(p, "license"),
				       COMPOSER_MAX_LICENSES);
	rc = rc ? rc : add_origin(pkg, p, "source");
	rc = rc ? rc : add_origin(pkg, p, "dist");
	rc = rc ? rc : cat_jsondoc_meta(pkg, "type", p, "type");
	rc = rc ? rc : cat_jsondoc_meta(pkg, "homepage", p, "homepage");
	rc = rc ? rc : cat_jsondoc_meta(pkg, "description", p, "description");
	if (!rc && is_dev(g, name))
		rc = customs_pkg_meta_set(pkg, "dev", "true");
	return rc;
}

static int add_array(const struct group *g, const json_t *arr)
{
	size_t i, n = json_array_size(arr);
	int rc = 0;

	if (n > COMPOSER_MAX_PACKAGES) {
		rc = cat_warn(g->res, "%s: %zu entries, only the first %u read",
			      g->array, n, COMPOSER_MAX_PACKAGES);
		n = COMPOSER_MAX_PACKAGES;
	}
	for (i = 0; !rc && i < n; i++)
		rc = add_package(g, json_array_get(arr, i), i);
	return rc;
}

/* Index dev-package-names (strings borrowed from the document). */
static int dev_index(struct strmap *m, const json_t *names)
{
	size_t i;

	for (i = 0; i < json_array_size(names) && i < COMPOSER_MAX_PACKAGES;
	     i++) {
		const char *s = json_string_value(json_array_get(names, i));

		if (s && strmap_put(m, s, (void *)names))
			return CUSTOMS_ENOMEM;
	}
	return 0;
}

/* Only vendor/composer/installed.json: other tools write installed.json
 * files too. */
static bool is_composer_dir(const char *path)
{
	size_t n = strlen(path), k = strlen("composer/installed.json");

	return n >= k && !strcmp(path + n - k, "composer/installed.json") &&
	       (n == k || path[n - k - 1] == '/');
}

static int parse_installed(const struct cat_input *in, struct cat_result *res)
{
	struct group g = { in, res, installed_name, "packages", false, NULL };
	struct strmap dev = STRMAP_INIT;
	json_t *root = NULL;
	int rc;

	if (!is_composer_dir(in->path))
		return 0;
	rc = cat_jsondoc_load(&root, in, res);
	if (rc || !root)
		return rc;
	if (json_is_array(root)) {
		g.array = "";
		rc = add_array(&g, root);
	} else if (json_is_array(json_object_get(root, "packages"))) {
		rc = dev_index(&dev,
			       json_object_get(root, "dev-package-names"));
		g.dev_names = &dev;
		rc = rc ? rc : add_array(&g, json_object_get(root, "packages"));
	} else {
		rc = cat_warn(res,
			      "neither a package array (Composer 1) nor an "
			      "object with a \"packages\" array "
			      "(Composer 2)");
	}
	strmap_release(&dev);
	json_decref(root);
	return rc;
}

static int parse_lock(const struct cat_input *in, struct cat_result *res)
{
	struct group g = { in, res, lock_name, "packages", false, NULL };
	json_t *root = NULL, *prod, *dev;
	int rc;

	rc = cat_jsondoc_load(&root, in, res);
	if (rc || !root)
		return rc;
	prod = json_object_get(root, "packages");
	dev = json_object_get(root, "packages-dev");
	if (!json_is_array(prod) && !json_is_array(dev)) {
		rc = cat_warn(res, "no \"packages\" array");
	} else {
		rc = add_array(&g, prod);
		g.array = "packages-dev";
		g.dev = true;
		rc = rc ? rc : add_array(&g, dev);
	}
	json_decref(root);
	return rc;
}

static const struct customs_want installed_wants[] = {
	{ CUSTOMS_WANT_BASENAME, "installed.json" },
};

static const struct customs_want lock_wants[] = {
	{ CUSTOMS_WANT_BASENAME, "composer.lock" },
};

const struct cataloger cat_composer_installed = {
	.name = installed_name,
	.tags = "installed image package language php composer",
	.wants = installed_wants,
	.n_wants = 1,
	.max_bytes = COMPOSER_MAX_BYTES,
	.flags = CAT_IMAGE,
	.parse = parse_installed,
};

const struct cataloger cat_composer_lock = {
	.name = lock_name,
	.tags = "declared directory package language php composer lock",
	.wants = lock_wants,
	.n_wants = 1,
	.max_bytes = COMPOSER_MAX_BYTES,
	.flags = CAT_DIR_ONLY,
	.parse = parse_lock,
};
