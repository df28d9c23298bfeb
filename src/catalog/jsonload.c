/*
 * JSON loading for catalogers. jansson's allocator is process-global;
 * it is pointed at the customs wrappers once, as the image module does
 * (both set the same two functions, so the order does not matter).
 * Input size is bounded by the cataloger's max_bytes and nesting by
 * jansson's own depth limit, so a hostile file costs bounded memory.
 */
#include <string.h>

#include "catalog/jsonload.h"
#include "util/alloc.h"
#include "util/jsonalloc.h"
#include "util/banned.h"

int cat_json_load(json_t **out, const struct cat_input *in,
		  struct cat_result *res, bool want_object)
{
	json_error_t err;
	json_t *root;

	*out = NULL;
	customs_json_alloc_init();
	root = json_loadb((const char *)in->data, in->len, 0, &err);
	if (!root) {
		if (json_error_code(&err) == json_error_out_of_memory)
			return CUSTOMS_ENOMEM;
		return cat_warn(res, "line %d column %d: invalid JSON: %s",
				err.line, err.column, err.text);
	}
	if (want_object && !json_is_object(root)) {
		json_decref(root);
		return cat_warn(res, "not a JSON object");
	}
	*out = root;
	return 0;
}

const char *cat_json_str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

const char *cat_json_nonempty(const json_t *o, const char *key)
{
	const char *s = cat_json_str(o, key);

	return s && *s ? s : NULL;
}

json_t *cat_json_obj(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_object(v) ? v : NULL;
}

bool cat_json_true(const json_t *o, const char *key)
{
	return json_is_true(json_object_get(o, key));
}
