/*
 * Helpers shared by the non-OSV feed parsers: JSON loading with a
 * located error message, optional string members, severity words, a
 * reusable string pool and the byte checks the detectors use. Nothing
 * here keeps state between calls.
 */
#include <string.h>

#include "vulndb/feed_help.h"
#include "util/error.h"
#include "util/jsonalloc.h"
#include "util/banned.h"

int feedh_load_json(json_t **out, const char *data, size_t len, size_t flags,
		    size_t *used, const char *name, struct customs_ctx *ctx)
{
	json_error_t err;

	customs_json_alloc_init();
	*out = json_loadb(data, len, flags, &err);
	if (*out) {
		if (used)
			*used = (size_t)err.position;
		return 0;
	}
	if (json_error_code(&err) == json_error_out_of_memory)
		return customs_error(ctx, CUSTOMS_ENOMEM, "%s: out of memory",
				     name);
	return customs_error(ctx, CUSTOMS_EFORMAT,
			     "%s: line %d, column %d: invalid JSON: %s", name,
			     err.line, err.column, err.text);
}

const char *feedh_str(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);
	const char *s = json_string_value(v);

	return s && *s ? s : NULL;
}

enum customs_severity feedh_severity(const char *word, bool *known)
{
	enum customs_severity sev = CUSTOMS_SEVERITY_UNKNOWN;
	bool ok = true;

	if (!word || !strcmp(word, "not yet assigned") ||
	    !strcmp(word, "end-of-life"))
		sev = CUSTOMS_SEVERITY_UNKNOWN;
	else if (customs_severity_parse(&sev, word) != 0)
		ok = false;
	if (!ok)
		sev = CUSTOMS_SEVERITY_UNKNOWN;
	if (known)
		*known = ok;
	return sev;
}

size_t feedh_pool_add(struct cbuf *pool, const char *prefix, const char *s)
{
	size_t off = pool->len;

	if (prefix)
		cbuf_puts(pool, prefix);
	cbuf_puts(pool, s);
	cbuf_putc(pool, '\0');
	return off;
}

bool feedh_has(const char *head, size_t len, const char *lit)
{
	return memmem(head, len, lit, strlen(lit)) != NULL;
}

const char *feedh_skip_ws(const char *p, const char *end)
{
	if (end - p >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

bool feedh_name_ends(const char *name, const char *suffix)
{
	size_t n, s;

	if (!name)
		return false;
	n = strlen(name);
	s = strlen(suffix);
	return n >= s && !strcmp(name + n - s, suffix);
}
