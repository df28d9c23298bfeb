/*
 * jansson for the language catalogers. The allocator is ours (set once,
 * with the same functions the image module installs), so the
 * failing-allocation tests reach jansson's error paths too. Sizes are
 * bounded by the cataloger's max_bytes and jansson's own nesting limit
 * (JSON_PARSER_MAX_DEPTH), so a hostile file costs at most a constant
 * times its size. Duplicate keys are accepted (the last wins), as the
 * package managers' own readers do.
 */
#include <string.h>

#include "catalog/jsondoc.h"
#include "util/alloc.h"
#include "util/jsonalloc.h"
#include "util/banned.h"

int cat_jsondoc_load(json_t **out, const struct cat_input *in,
		     struct cat_result *res)
{
	json_error_t err;

	customs_json_alloc_init();
	*out = json_loadb((const char *)in->data, in->len, JSON_DECODE_ANY,
			  &err);
	if (*out)
		return 0;
	if (json_error_code(&err) == json_error_out_of_memory)
		return CUSTOMS_ENOMEM;
	return cat_warn(res, "line %d column %d: invalid JSON: %s", err.line,
			err.column, err.text);
}

const char *cat_jsondoc_str(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s && *s ? s : NULL;
}

static const char *license_of(const json_t *v)
{
	const char *s = json_string_value(v);

	if (!s)
		s = cat_jsondoc_str(v, "type");
	if (!s)
		s = cat_jsondoc_str(v, "name");
	return s && *s ? s : NULL;
}

int cat_jsondoc_licenses(struct customs_pkg *pkg, const json_t *v, size_t max)
{
	const char *s = license_of(v);
	size_t i;

	if (s)
		return customs_pkg_add_license(pkg, s);
	for (i = 0; i < json_array_size(v) && i < max; i++) {
		s = license_of(json_array_get(v, i));
		if (s && customs_pkg_add_license(pkg, s))
			return CUSTOMS_ENOMEM;
	}
	return 0;
}

int cat_jsondoc_meta(struct customs_pkg *pkg, const char *meta_key,
		     const json_t *obj, const char *key)
{
	const char *s = cat_jsondoc_str(obj, key);

	return s ? customs_pkg_meta_set(pkg, meta_key, s) : 0;
}
