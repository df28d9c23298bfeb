/*
 * JSON input for the language catalogers: jansson, allocating through
 * customs_malloc (so failing-allocation tests reach its error paths), and
 * small typed getters that treat a wrong type as absent.
 */
#ifndef CUSTOMS_CATALOG_JSONLOAD_H
#define CUSTOMS_CATALOG_JSONLOAD_H

#include <jansson.h>

#include "catalog/catalog_int.h"

/*
 * Parse in's content as JSON. Returns 0 with *out set to the root (the
 * caller json_decref()s it), or 0 with *out NULL after adding a warning
 * to res (invalid JSON, or not an object when want_object), or
 * CUSTOMS_ENOMEM. Duplicate keys are allowed (the last wins), as in
 * JavaScript's JSON.parse, which npm and pipenv use.
 */
int cat_json_load(json_t **out, const struct cat_input *in,
		  struct cat_result *res, bool want_object);

/* The string member key of object o, or NULL (absent, not a string,
 * or o not an object). */
const char *cat_json_str(const json_t *o, const char *key);

/* The string member key of o if non-empty, else NULL. */
const char *cat_json_nonempty(const json_t *o, const char *key);

/* The object member key of o, or NULL. */
json_t *cat_json_obj(const json_t *o, const char *key);

/* Is member key of o the JSON value true? */
bool cat_json_true(const json_t *o, const char *key);

#endif
