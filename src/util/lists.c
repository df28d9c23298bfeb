/*
 * The public string list and key/value list: owned strings in a growable
 * array. Used for config fields, licences, CPEs and package metadata.
 */
#include <string.h>

#include "customs/common.h"
#include "util/alloc.h"
#include "util/banned.h"

int customs_strlist_add(struct customs_strlist *list, const char *s)
{
	char **v;
	char *copy = customs_strdup(s);

	if (!copy)
		return CUSTOMS_ENOMEM;
	v = customs_reallocarray(list->v, list->n + 1, sizeof(*v));
	if (!v) {
		customs_free(copy);
		return CUSTOMS_ENOMEM;
	}
	v[list->n++] = copy;
	list->v = v;
	return 0;
}

void customs_strlist_release(struct customs_strlist *list)
{
	size_t i;

	for (i = 0; i < list->n; i++)
		customs_free(list->v[i]);
	customs_free(list->v);
	list->v = NULL;
	list->n = 0;
}

int customs_kvlist_add(struct customs_kvlist *list, const char *key,
		       const char *value)
{
	char *k = customs_strdup(key), *val = customs_strdup(value);
	char **keys = NULL, **values = NULL;

	if (!k || !val)
		goto fail;
	keys = customs_reallocarray(list->keys, list->n + 1, sizeof(*keys));
	if (!keys)
		goto fail;
	list->keys = keys;
	values = customs_reallocarray(list->values, list->n + 1,
				      sizeof(*values));
	if (!values)
		goto fail;
	list->values = values;
	list->keys[list->n] = k;
	list->values[list->n++] = val;
	return 0;
fail:
	customs_free(k);
	customs_free(val);
	return CUSTOMS_ENOMEM;
}

void customs_kvlist_release(struct customs_kvlist *list)
{
	size_t i;

	for (i = 0; i < list->n; i++) {
		customs_free(list->keys[i]);
		customs_free(list->values[i]);
	}
	customs_free(list->keys);
	customs_free(list->values);
	list->keys = NULL;
	list->values = NULL;
	list->n = 0;
}
