/*
 * Typed access to JSON fields of manifests, indexes and configs (jansson
 * DOM), and the small string lists the image info is made of. A field is
 * named by its dotted path ("config.Env"), which is also what error
 * messages show; the JSON key is the last component. Absent and null
 * fields are not errors: the caller's default stays. A present field of
 * the wrong type is CUSTOMS_EFORMAT naming the blob and the field.
 */
#include <stdlib.h>
#include <string.h>

#include "image/image_priv.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

#define JOIN_MAX 800 /* bytes of a joined list in a message */

static const char *leaf(const char *field)
{
	const char *dot = strrchr(field, '.');

	return dot ? dot + 1 : field;
}

static int nomem(const char *what, struct customs_ctx *ctx)
{
	return customs_error(ctx, CUSTOMS_ENOMEM, "%s: out of memory", what);
}

int image_json_type_error(const char *field, const char *expected,
			  const char *what, struct customs_ctx *ctx)
{
	return customs_error(ctx, CUSTOMS_EFORMAT,
			     "%s: field '%s': expected %s", what, field,
			     expected);
}

/* The field's value; NULL when obj is NULL or the field absent or null. */
static json_t *get(json_t *obj, const char *field)
{
	json_t *v;

	if (!obj)
		return NULL;
	v = json_object_get(obj, leaf(field));
	return json_is_null(v) ? NULL : v;
}

int image_strlist_push(struct customs_strlist *l, const char *s)
{
	char *d = customs_strdup(s);
	char **v;

	if (!d)
		return CUSTOMS_ENOMEM;
	/* Capacity is the next power of two of n: grow when n is one. */
	if ((l->n & (l->n - 1)) == 0) {
		v = customs_reallocarray(l->v, l->n ? l->n * 2 : 1, sizeof(*v));
		if (!v) {
			customs_free(d);
			return CUSTOMS_ENOMEM;
		}
		l->v = v;
	}
	l->v[l->n++] = d;
	return 0;
}

bool image_strlist_has(const struct customs_strlist *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (!strcmp(l->v[i], s))
			return true;
	}
	return false;
}

void image_strlist_release(struct customs_strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		customs_free(l->v[i]);
	customs_free(l->v);
	l->v = NULL;
	l->n = 0;
}

void image_kvlist_release(struct customs_kvlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		customs_free(l->keys[i]);
		customs_free(l->values[i]);
	}
	customs_free(l->keys);
	customs_free(l->values);
	memset(l, 0, sizeof(*l));
}

char *image_strlist_join(const struct customs_strlist *l)
{
	struct cbuf b = CBUF_INIT(JOIN_MAX + 64);
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (b.len + strlen(l->v[i]) > JOIN_MAX) {
			cbuf_puts(&b, ", ...");
			break;
		}
		if (i)
			cbuf_puts(&b, ", ");
		cbuf_puts(&b, l->v[i]);
	}
	if (!l->n)
		cbuf_puts(&b, "none");
	return cbuf_detach(&b);
}

int image_json_str(char **out, json_t *obj, const char *field, const char *what,
		   struct customs_ctx *ctx)
{
	json_t *v = get(obj, field);
	char *s;

	if (!v)
		return 0;
	if (!json_is_string(v))
		return image_json_type_error(field, "a string", what, ctx);
	s = customs_strdup(json_string_value(v));
	if (!s)
		return nomem(what, ctx);
	customs_free(*out);
	*out = s;
	return 0;
}

int image_json_strlist(struct customs_strlist *out, json_t *obj,
		       const char *field, const char *what,
		       struct customs_ctx *ctx)
{
	struct customs_strlist l = { NULL, 0 };
	json_t *v = get(obj, field), *e;
	size_t i;
	int rc = 0;

	if (!v)
		return 0;
	if (!json_is_array(v))
		return image_json_type_error(field, "an array of strings", what,
					     ctx);
	json_array_foreach(v, i, e)
	{
		if (!json_is_string(e)) {
			rc = image_json_type_error(field, "an array of strings",
						   what, ctx);
			break;
		}
		if (image_strlist_push(&l, json_string_value(e))) {
			rc = nomem(what, ctx);
			break;
		}
	}
	if (rc) {
		image_strlist_release(&l);
		return rc;
	}
	image_strlist_release(out);
	*out = l;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int image_json_keys(struct customs_strlist *out, json_t *obj, const char *field,
		    const char *what, struct customs_ctx *ctx)
{
	struct customs_strlist l = { NULL, 0 };
	json_t *v = get(obj, field), *e;
	const char *key;

	if (!v)
		return 0;
	if (!json_is_object(v))
		return image_json_type_error(field, "an object", what, ctx);
	json_object_foreach(v, key, e)
	{
		if (image_strlist_push(&l, key)) {
			image_strlist_release(&l);
			return nomem(what, ctx);
		}
	}
	if (l.n > 1)
		qsort(l.v, l.n, sizeof(*l.v), cmp_str);
	image_strlist_release(out);
	*out = l;
	return 0;
}

struct kv {
	char *k;
	char *v;
};

static int cmp_kv(const void *a, const void *b)
{
	return strcmp(((const struct kv *)a)->k, ((const struct kv *)b)->k);
}

/* Move the pairs into out, sorted by key. */
static int kv_store(struct customs_kvlist *out, struct kv *pairs, size_t n)
{
	size_t i;

	qsort(pairs, n, sizeof(*pairs), cmp_kv);
	out->keys = customs_calloc(n, sizeof(char *));
	out->values = customs_calloc(n, sizeof(char *));
	if (!out->keys || !out->values)
		return CUSTOMS_ENOMEM;
	for (i = 0; i < n; i++) {
		out->keys[i] = pairs[i].k;
		out->values[i] = pairs[i].v;
		pairs[i].k = pairs[i].v = NULL;
	}
	out->n = n;
	return 0;
}

static int kv_collect(struct kv *pairs, size_t *n, json_t *v, const char *field,
		      const char *what, struct customs_ctx *ctx)
{
	const char *key;
	json_t *e;

	json_object_foreach(v, key, e)
	{
		if (!json_is_string(e))
			return image_json_type_error(
				field, "an object of strings", what, ctx);
		pairs[*n].k = customs_strdup(key);
		pairs[*n].v = customs_strdup(json_string_value(e));
		++*n;
		if (!pairs[*n - 1].k || !pairs[*n - 1].v)
			return nomem(what, ctx);
	}
	return 0;
}

int image_json_labels(struct customs_kvlist *out, json_t *obj,
		      const char *field, const char *what,
		      struct customs_ctx *ctx)
{
	json_t *v = get(obj, field);
	struct customs_kvlist l = { NULL, NULL, 0 };
	struct kv *pairs;
	size_t i, n = 0;
	int rc;

	if (!v)
		return 0;
	if (!json_is_object(v))
		return image_json_type_error(field, "an object of strings",
					     what, ctx);
	pairs = customs_calloc(json_object_size(v), sizeof(*pairs));
	if (!pairs)
		return nomem(what, ctx);
	rc = kv_collect(pairs, &n, v, field, what, ctx);
	if (!rc && kv_store(&l, pairs, n))
		rc = nomem(what, ctx);
	for (i = 0; i < n; i++) {
		customs_free(pairs[i].k);
		customs_free(pairs[i].v);
	}
	customs_free(pairs);
	if (rc) {
		image_kvlist_release(&l);
		return rc;
	}
	image_kvlist_release(out);
	*out = l;
	return 0;
}

int image_json_int(int64_t *out, json_t *obj, const char *field,
		   const char *what, struct customs_ctx *ctx)
{
	json_t *v = get(obj, field);

	if (!v)
		return 0;
	if (!json_is_integer(v))
		return image_json_type_error(field, "an integer", what, ctx);
	*out = (int64_t)json_integer_value(v);
	return 0;
}

int image_json_bool(bool *out, json_t *obj, const char *field, const char *what,
		    struct customs_ctx *ctx)
{
	json_t *v = get(obj, field);

	if (!v)
		return 0;
	if (!json_is_boolean(v))
		return image_json_type_error(field, "a boolean", what, ctx);
	*out = json_is_true(v);
	return 0;
}

int image_json_object(json_t **out, json_t *obj, const char *field,
		      const char *what, struct customs_ctx *ctx)
{
	json_t *v = get(obj, field);

	*out = NULL;
	if (v && !json_is_object(v))
		return image_json_type_error(field, "an object", what, ctx);
	*out = v;
	return 0;
}

int image_json_array(json_t **out, json_t *obj, const char *field,
		     const char *what, struct customs_ctx *ctx)
{
	json_t *v = get(obj, field);

	*out = NULL;
	if (v && !json_is_array(v))
		return image_json_type_error(field, "an array", what, ctx);
	*out = v;
	return 0;
}
