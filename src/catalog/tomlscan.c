/*
 * The TOML subset reader (see tomlscan.h). One pass over the bytes, no
 * allocation, no recursion: brackets are counted up to
 * CAT_TOML_MAX_DEPTH, strings are skipped by their own rules (escapes in
 * basic strings, none in literal ones, triple-quoted forms spanning
 * lines), and comments are skipped outside strings. A value's extent is
 * found first; only values a caller asks for are decoded.
 */
#include <string.h>

#include "catalog/tomlscan.h"
#include "util/error.h"
#include "util/banned.h"

struct scan {
	const char *p;
	const char *end;
	size_t line;
	const char *err;
};

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static void skip_ws(struct scan *s)
{
	while (s->p < s->end && is_ws(*s->p))
		s->p++;
}

static void skip_line(struct scan *s)
{
	while (s->p < s->end && *s->p != '\n')
		s->p++;
}

static bool at(const struct scan *s, const char *lit)
{
	size_t n = strlen(lit);

	return (size_t)(s->end - s->p) >= n && !memcmp(s->p, lit, n);
}

/* Skip the string at s->p (which is a quote); false if unterminated. */
static bool skip_string(struct scan *s)
{
	char q = *s->p;
	bool triple = q == '"' ? at(s, "\"\"\"") : at(s, "'''");

	s->p += triple ? 3 : 1;
	while (s->p < s->end) {
		char c = *s->p;

		if (c == '\\' && q == '"') {
			if (s->end - s->p < 2)
				break;
			s->line += s->p[1] == '\n';
			s->p += 2;
			continue;
		}
		if (c == '\n') {
			if (!triple)
				break;
			s->line++;
		}
		if (c == q && (!triple || at(s, q == '"' ? "\"\"\"" : "'''"))) {
			s->p += triple ? 3 : 1;
			/* """a"""" : up to two more quotes belong to the text
			 */
			while (triple && s->p < s->end && *s->p == q)
				s->p++;
			return true;
		}
		s->p++;
	}
	s->err = "unterminated string";
	return false;
}

/* Skip a bracketed value (array or inline table) at s->p. */
static bool skip_nested(struct scan *s)
{
	int depth = 0;

	while (s->p < s->end) {
		char c = *s->p;

		if (c == '"' || c == '\'') {
			if (!skip_string(s))
				return false;
			continue;
		}
		if (c == '#') {
			skip_line(s);
			continue;
		}
		if (c == '\n')
			s->line++;
		if (c == '[' || c == '{') {
			if (++depth > CAT_TOML_MAX_DEPTH) {
				s->err = "nested too deep";
				return false;
			}
		} else if (c == ']' || c == '}') {
			if (--depth == 0) {
				s->p++;
				return true;
			}
		}
		s->p++;
	}
	s->err = "unterminated array or inline table";
	return false;
}

/* Does a bare value (number, boolean, date) end at s->p? */
static bool other_end(const struct scan *s, bool nested)
{
	char c = *s->p;

	if (c == '\n' || c == '#' ||
	    (nested && (c == ',' || c == '}' || c == ']')))
		return true;
	/* "1979-05-27 07:32:00": the one blank inside a date-time */
	if (c == ' ' && s->end - s->p > 1 && s->p[1] >= '0' && s->p[1] <= '9' &&
	    s->p[-1] >= '0' && s->p[-1] <= '9')
		return false;
	return is_ws(c);
}

/* Find the extent of the value at s->p; nested: inside { } or [ ]. */
static bool scan_value(struct scan *s, bool nested, struct cslice *raw,
		       enum cat_toml_type *type)
{
	const char *start = s->p;
	bool ok = true;

	if (s->p >= s->end || *s->p == '\n') {
		s->err = "missing value";
		return false;
	}
	if (*s->p == '"' || *s->p == '\'') {
		*type = CAT_TOML_STRING;
		ok = skip_string(s);
	} else if (*s->p == '[' || *s->p == '{') {
		*type = *s->p == '[' ? CAT_TOML_ARRAY : CAT_TOML_TABLE;
		ok = skip_nested(s);
	} else {
		*type = CAT_TOML_OTHER;
		while (s->p < s->end && !other_end(s, nested))
			s->p++;
	}
	*raw = cslice_trim(cslice_make(start, (size_t)(s->p - start)));
	if (ok && !raw->n) {
		s->err = "missing value";
		ok = false;
	}
	return ok;
}

/* A key: bare, or one quoted string; dotted parts are kept as written. */
static bool scan_key(struct scan *s, struct cslice *key)
{
	const char *start = s->p;

	while (s->p < s->end && *s->p != '=' && *s->p != '\n') {
		if (*s->p == '"' || *s->p == '\'') {
			if (!skip_string(s))
				return false;
			continue;
		}
		s->p++;
	}
	if (s->p >= s->end || *s->p != '=') {
		s->err = "expected key = value";
		return false;
	}
	*key = cslice_trim(cslice_make(start, (size_t)(s->p - start)));
	if (key->n >= 2 && (key->p[0] == '"' || key->p[0] == '\'') &&
	    key->p[key->n - 1] == key->p[0]) {
		key->p++;
		key->n -= 2;
	}
	s->p++; /* '=' */
	if (!key->n)
		s->err = "empty key";
	return key->n != 0;
}

/* After a header or a value: only blanks and a comment may follow. */
static bool line_end(struct scan *s)
{
	skip_ws(s);
	if (s->p < s->end && *s->p == '#')
		skip_line(s);
	if (s->p < s->end && *s->p != '\n') {
		s->err = "unexpected text after the value";
		return false;
	}
	return true;
}

static bool header(struct scan *s, struct cat_toml_event *ev)
{
	bool arr = at(s, "[[");
	const char *start, *close;

	s->p += arr ? 2 : 1;
	start = s->p;
	while (s->p < s->end && *s->p != ']' && *s->p != '\n')
		s->p++;
	close = s->p;
	if (!at(s, arr ? "]]" : "]")) {
		s->err = "unterminated table header";
		return false;
	}
	s->p += arr ? 2 : 1;
	ev->table = cslice_trim(cslice_make(start, (size_t)(close - start)));
	ev->array_table = arr;
	ev->header = true;
	ev->key = ev->raw = cslice_make("", 0);
	return line_end(s);
}

int cat_toml_parse(const char *data, size_t len, cat_toml_cb cb, void *arg,
		   size_t *err_line, const char **err_msg)
{
	struct scan s = { data, data + len, 1, NULL };
	struct cat_toml_event ev = { 0 };
	int rc = 0;

	ev.table = ev.key = ev.raw = cslice_make("", 0);
	while (!rc && s.p < s.end) {
		skip_ws(&s);
		if (s.p >= s.end)
			break;
		if (*s.p == '\n') {
			s.line++;
			s.p++;
			continue;
		}
		if (*s.p == '#') {
			skip_line(&s);
			continue;
		}
		ev.line = s.line;
		if (*s.p == '[') {
			if (!header(&s, &ev))
				break;
		} else {
			ev.header = false;
			if (!scan_key(&s, &ev.key))
				break;
			skip_ws(&s);
			if (!scan_value(&s, false, &ev.raw, &ev.type) ||
			    !line_end(&s))
				break;
		}
		rc = cb(arg, &ev);
	}
	if (!rc && s.err) {
		/* the line the broken statement starts on */
		*err_line = ev.line ? ev.line : s.line;
		*err_msg = s.err;
		return CUSTOMS_EFORMAT;
	}
	return rc;
}

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

struct out {
	char *buf;
	size_t n;
	size_t cap;
	bool ok;
};

static void put(struct out *o, char c)
{
	if (o->n + 1 < o->cap)
		o->buf[o->n++] = c;
	else
		o->ok = false;
}

static void put_utf8(struct out *o, unsigned long cp)
{
	if (cp < 0x80) {
		put(o, (char)cp);
	} else if (cp < 0x800) {
		put(o, (char)(0xc0 | (cp >> 6)));
		put(o, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		put(o, (char)(0xe0 | (cp >> 12)));
		put(o, (char)(0x80 | ((cp >> 6) & 0x3f)));
		put(o, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x110000) {
		put(o, (char)(0xf0 | (cp >> 18)));
		put(o, (char)(0x80 | ((cp >> 12) & 0x3f)));
		put(o, (char)(0x80 | ((cp >> 6) & 0x3f)));
		put(o, (char)(0x80 | (cp & 0x3f)));
	} else {
		o->ok = false;
	}
}

/* One escape at t[*i] (after the backslash); advances *i. */
static void unescape(struct out *o, struct cslice t, size_t *i, bool multi)
{
	static const char from[] = "btnfr\"\\", to[] = "\b\t\n\f\r\"\\";
	const char *hit = memchr(from, t.p[*i], sizeof(from) - 1);
	unsigned long cp = 0;
	size_t k, digits = t.p[*i] == 'u' ? 4 : t.p[*i] == 'U' ? 8 : 0;

	if (hit) {
		put(o, to[hit - from]);
		++*i;
		return;
	}
	if (multi && (is_ws(t.p[*i]) || t.p[*i] == '\n')) {
		/* line-ending backslash: drop the newline and the indent */
		while (*i < t.n && (is_ws(t.p[*i]) || t.p[*i] == '\n'))
			++*i;
		return;
	}
	if (!digits || t.n - *i <= digits) {
		o->ok = false;
		return;
	}
	for (k = 1; k <= digits; k++) {
		int v = hexval(t.p[*i + k]);

		if (v < 0) {
			o->ok = false;
			return;
		}
		cp = cp << 4 | (unsigned long)v;
	}
	put_utf8(o, cp);
	*i += digits + 1;
}

bool cat_toml_string(struct cslice raw, char *buf, size_t bufsz,
		     struct cslice *out)
{
	struct out o = { buf, 0, bufsz, bufsz > 0 };
	bool basic, multi;
	size_t q, i;
	struct cslice t;

	if (raw.n < 2 || (raw.p[0] != '"' && raw.p[0] != '\''))
		return false;
	basic = raw.p[0] == '"';
	multi = raw.n >= 6 && !memcmp(raw.p, basic ? "\"\"\"" : "\'\'\'", 3);
	q = multi ? 3 : 1;
	if (raw.n < 2 * q || raw.p[raw.n - 1] != raw.p[0])
		return false;
	t = cslice_make(raw.p + q, raw.n - 2 * q);
	if (multi && t.n && t.p[0] == '\n') {
		t.p++;
		t.n--;
	} else if (multi && t.n > 1 && t.p[0] == '\r' && t.p[1] == '\n') {
		t.p += 2;
		t.n -= 2;
	}
	for (i = 0; o.ok && i < t.n;) {
		if (basic && t.p[i] == '\\' && i + 1 < t.n) {
			i++;
			unescape(&o, t, &i, multi);
		} else {
			put(&o, t.p[i++]);
		}
	}
	if (!o.ok)
		return false;
	buf[o.n] = '\0';
	*out = cslice_make(buf, o.n);
	return true;
}

bool cat_toml_inline_get(struct cslice raw, const char *key, struct cslice *out)
{
	struct scan s;
	struct cslice k, v;
	enum cat_toml_type type;

	if (raw.n < 2 || raw.p[0] != '{')
		return false;
	s.p = raw.p + 1;
	s.end = raw.p + raw.n - 1;
	s.line = 1;
	s.err = NULL;
	for (;;) {
		while (s.p < s.end &&
		       (is_ws(*s.p) || *s.p == '\n' || *s.p == ','))
			s.p++;
		if (s.p >= s.end || !scan_key(&s, &k))
			return false;
		skip_ws(&s);
		if (!scan_value(&s, true, &v, &type))
			return false;
		if (cslice_eq(k, key)) {
			*out = v;
			return true;
		}
	}
}
