/*
 * Parsers for the metadata inside a Java archive:
 *
 * - META-INF/MANIFEST.MF (JAR File Specification): "Name: value" lines,
 *   a line starting with one space continues the previous value, blank
 *   lines separate sections. Names compare without case.
 * - pom.properties (java.util.Properties.load): "key=value", "key:
 *   value" or "key value", "#"/"!" comments, backslash continuations and
 *   escapes (\t, \n, \uXXXX, ...).
 * - pom.xml: a small XML scanner that only tracks the element path, for
 *   project/{groupId,artifactId,version,name} and project/parent/{...}.
 *   Comments, processing instructions, DOCTYPE and CDATA are handled;
 *   entities are the predefined five and numeric references.
 *
 * Everything malformed is skipped: these parsers never fail on input, and
 * every value is cut at JAVA_VALUE_MAX bytes, attributes at
 * JAVA_MF_MAX_ATTRS, element depth at JAVA_XML_MAX_DEPTH.
 */
#include <string.h>
#include <strings.h>

#include "catalog/java_int.h"
#include "customs/common.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/banned.h"

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f';
}

/* Next line ending in \n, \r\n or \r; false at the end. */
static bool next_line(const char **p, const char *end, struct cslice *line)
{
	const char *s = *p;

	if (s >= end)
		return false;
	while (*p < end && **p != '\n' && **p != '\r')
		(*p)++;
	*line = cslice_make(s, (size_t)(*p - s));
	if (*p < end && **p == '\r')
		(*p)++;
	if (*p < end && **p == '\n' && (*p == s || (*p)[-1] != '\n'))
		(*p)++;
	return true;
}

/* ---- MANIFEST.MF ---- */

static int mf_flush(struct java_manifest *mf, struct arena *a,
		    struct cslice key, struct cbuf *val, unsigned section)
{
	struct java_attr *at;
	struct cslice v;

	if (!key.n)
		return 0;
	if (cbuf_error(val) == CUSTOMS_ENOMEM)
		return CUSTOMS_ENOMEM;
	if (mf->n >= JAVA_MF_MAX_ATTRS) {
		mf->truncated = true;
		return 0;
	}
	if (CUSTOMS_GROW(mf->v, mf->cap, mf->n + 1))
		return CUSTOMS_ENOMEM;
	at = &mf->v[mf->n];
	v = cslice_trim(cslice_make(val->ptr, val->len));
	at->key = arena_strndup(a, key.p, key.n);
	at->value = arena_strndup(a, v.p, v.n);
	at->section = section;
	if (!at->key || !at->value)
		return CUSTOMS_ENOMEM;
	mf->n++;
	return 0;
}

int java_manifest_parse(struct java_manifest *mf, struct arena *a,
			const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	struct cslice line, key = { NULL, 0 };
	struct cbuf val;
	unsigned section = 0;
	bool in_section = false;
	int rc = 0;

	cbuf_init(&val, JAVA_VALUE_MAX);
	while (!rc && next_line(&p, end, &line)) {
		const char *colon;

		if (!line.n) {
			rc = mf_flush(mf, a, key, &val, section);
			key.n = 0;
			section += in_section;
			in_section = false;
			continue;
		}
		if (line.p[0] == ' ') {
			if (key.n)
				cbuf_put(&val, line.p + 1, line.n - 1);
			continue;
		}
		rc = mf_flush(mf, a, key, &val, section);
		key.n = 0;
		cbuf_reset(&val);
		colon = memchr(line.p, ':', line.n);
		if (!colon)
			continue;
		key = cslice_trim(
			cslice_make(line.p, (size_t)(colon - line.p)));
		in_section = in_section || key.n;
		cbuf_put(&val, colon + 1,
			 (size_t)(line.p + line.n - colon - 1));
	}
	if (!rc)
		rc = mf_flush(mf, a, key, &val, section);
	cbuf_release(&val);
	return rc;
}

void java_manifest_release(struct java_manifest *mf)
{
	customs_free(mf->v);
	memset(mf, 0, sizeof(*mf));
}

static const char *mf_find(const struct java_manifest *mf, const char *key,
			   bool main_only)
{
	size_t i;

	for (i = 0; i < mf->n; i++) {
		if (main_only && mf->v[i].section)
			break;
		if (!strcasecmp(mf->v[i].key, key) && mf->v[i].value[0])
			return mf->v[i].value;
	}
	return NULL;
}

const char *java_mf_main(const struct java_manifest *mf, const char *key)
{
	return mf_find(mf, key, true);
}

const char *java_mf_any(const struct java_manifest *mf, const char *key)
{
	return mf_find(mf, key, false);
}

/* ---- pom.properties ---- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void put_utf8(struct cbuf *b, unsigned cp)
{
	if (cp < 0x80) {
		cbuf_putc(b, (char)cp);
	} else if (cp < 0x800) {
		cbuf_putc(b, (char)(0xc0 | cp >> 6));
		cbuf_putc(b, (char)(0x80 | (cp & 0x3f)));
	} else {
		cbuf_putc(b, (char)(0xe0 | cp >> 12));
		cbuf_putc(b, (char)(0x80 | (cp >> 6 & 0x3f)));
		cbuf_putc(b, (char)(0x80 | (cp & 0x3f)));
	}
}

/* One escape after a backslash at s[*i]; advances *i past it. */
static void unescape(struct cbuf *b, const char *s, size_t n, size_t *i)
{
	char c = s[*i];
	unsigned cp = 0;
	int k;

	(*i)++;
	switch (c) {
	case 't':
		cbuf_putc(b, '\t');
		return;
	case 'n':
		cbuf_putc(b, '\n');
		return;
	case 'r':
		cbuf_putc(b, '\r');
		return;
	case 'f':
		cbuf_putc(b, '\f');
		return;
	case 'u':
		for (k = 0; k < 4 && *i < n && hexval(s[*i]) >= 0; k++)
			cp = cp << 4 | (unsigned)hexval(s[(*i)++]);
		put_utf8(b, cp);
		return;
	default:
		cbuf_putc(b, c);
	}
}

/* Join a logical line (backslash continuations) into b, unescaped. */
static void logical_line(struct cbuf *b, const char **p, const char *end,
			 struct cslice first)
{
	struct cslice line = first;

	for (;;) {
		size_t i = 0, bs = 0;

		while (i < line.n) {
			if (line.p[i] == '\\' && i + 1 < line.n) {
				i++;
				unescape(b, line.p, line.n, &i);
				continue;
			}
			bs = line.p[i] == '\\';
			if (!bs)
				cbuf_putc(b, line.p[i]);
			i++;
		}
		if (!bs || !next_line(p, end, &line))
			return;
		while (line.n && is_ws(line.p[0])) {
			line.p++;
			line.n--;
		}
	}
}

static int props_assign(struct java_pom *out, struct arena *a, const char *k,
			size_t kn, const char *v)
{
	const char **slot = NULL;

	if (kn == 7 && !memcmp(k, "groupId", 7))
		slot = &out->group;
	else if (kn == 10 && !memcmp(k, "artifactId", 10))
		slot = &out->artifact;
	else if (kn == 7 && !memcmp(k, "version", 7))
		slot = &out->version;
	if (!slot)
		return 0;
	*slot = arena_strdup(a, v);
	return *slot ? 0 : CUSTOMS_ENOMEM;
}

/*
 * Split an unescaped logical line into key and value. Escaped separators
 * were already unescaped, which only matters for keys we do not read.
 */
static int props_line(struct java_pom *out, struct arena *a, const char *s)
{
	size_t k = strcspn(s, "=: \t\f"), v = k;

	while (s[v] == ' ' || s[v] == '\t' || s[v] == '\f')
		v++;
	if (s[v] == '=' || s[v] == ':')
		v++;
	while (s[v] == ' ' || s[v] == '\t' || s[v] == '\f')
		v++;
	return props_assign(out, a, s, k, s + v);
}

int java_props_parse(struct java_pom *out, struct arena *a, const char *data,
		     size_t len)
{
	const char *p = data, *end = data + len;
	struct cslice line;
	struct cbuf b;
	int rc = 0;

	cbuf_init(&b, JAVA_VALUE_MAX);
	while (!rc && next_line(&p, end, &line)) {
		while (line.n && is_ws(line.p[0])) {
			line.p++;
			line.n--;
		}
		if (!line.n || line.p[0] == '#' || line.p[0] == '!')
			continue;
		cbuf_reset(&b);
		logical_line(&b, &p, end, line);
		if (cbuf_error(&b) == CUSTOMS_ENOMEM)
			rc = CUSTOMS_ENOMEM;
		else if (!cbuf_error(&b))
			rc = props_line(out, a, b.ptr);
	}
	cbuf_release(&b);
	return rc;
}
