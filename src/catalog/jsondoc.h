/*
 * JSON documents for the catalogers (composer, .NET): load a file's
 * content with jansson under our allocator and read members without
 * trusting their types.
 */
#ifndef CUSTOMS_CATALOG_JSONDOC_H
#define CUSTOMS_CATALOG_JSONDOC_H

#include <jansson.h>

#include "catalog/catalog_int.h"

/*
 * Parse in's content. On success *out is the root (json_decref it).
 * Invalid JSON sets *out NULL and adds a warning naming the line and
 * column. Returns 0 or CUSTOMS_ENOMEM.
 */
int cat_jsondoc_load(json_t **out, const struct cat_input *in,
		     struct cat_result *res);

/* The string member key of obj, or NULL (absent, not an object, not a
 * string, or empty). */
const char *cat_jsondoc_str(const json_t *obj, const char *key);

/*
 * Add every string of v (a string, an array of strings, or an array of
 * objects with a "type" or "name" string, as licence fields are written)
 * as a declared licence of pkg. At most max entries. 0 or CUSTOMS_ENOMEM.
 */
int cat_jsondoc_licenses(struct customs_pkg *pkg, const json_t *v, size_t max);

/* Set meta key to the string member key of obj, when there is one. */
int cat_jsondoc_meta(struct customs_pkg *pkg, const char *meta_key,
		     const json_t *obj, const char *key);

#endif
