/*
 * Shared by the JavaScript catalogers (npm_package.c, npm_lock.c,
 * yarn_lock.c, pnpm_lock.c).
 */
#ifndef CUSTOMS_CATALOG_NPM_INT_H
#define CUSTOMS_CATALOG_NPM_INT_H

#include <jansson.h>

#include "catalog/catalog_int.h"
#include "util/buf.h"

#define NPM_LOCK_CATALOGER "javascript-lock-cataloger"

/* Entries one lock file may produce before the rest is cut (a warning). */
#define NPM_MAX_LOCK_PKGS 200000

/*
 * Add the licences a package.json (or a package-lock v2 entry) declares:
 * "license" as a string, an object with "type", or an array of either,
 * and the legacy "licenses" in the same shapes. 0 or CUSTOMS_ENOMEM.
 */
int npm_add_licenses(struct customs_pkg *pkg, const json_t *o);

/*
 * A lock package: type npm, found by the lock cataloger, with name and
 * version, in *out. A name or version with control bytes is refused
 * with a warning (*out NULL). Returns 0 or CUSTOMS_ENOMEM.
 */
int npm_lock_pkg(struct customs_pkg **out, struct cat_result *res,
		 const struct cat_input *in, const char *name, size_t name_len,
		 const char *version, size_t version_len);

/*
 * The package name in a yarn descriptor "name@range" ("@s/n@range"); with
 * alias, "alias@npm:real@range" gives "real". Empty when there is none.
 */
struct cslice npm_descriptor_name(struct cslice d, bool alias);

/* Is path inside a node_modules directory? */
bool npm_under_node_modules(const char *path);

/* The lock parsers, by file name. Each returns 0 or CUSTOMS_ENOMEM. */
int npm_parse_package_lock(const struct cat_input *in, struct cat_result *res);
int npm_parse_yarn_lock(const struct cat_input *in, struct cat_result *res);
int npm_parse_pnpm_lock(const struct cat_input *in, struct cat_result *res);

/* yarn berry lock files are YAML; pnpm_lock.c reads them. */
int npm_parse_yarn_berry(const struct cat_input *in, struct cat_result *res);

#endif
