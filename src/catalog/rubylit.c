/*
 * The Ruby literal reader (rubylit.h). Strings are built in a bounded
 * buffer (at most the rest of the input); \u escapes become UTF-8 and
 * NUL becomes U+FFFD, so the C strings are whole. Interpolations
 * ("#{name}") are kept as written for the caller to expand.
 */
#include <string.h>

#include "catalog/rubylit.h"
#include "util/buf.h"
#include "util/banned.h"

static bool more(const struct rubylit *r)
{
	return r->p < r->end;
}

static bool starts(const struct rubylit *r, const char *lit)
{
	size_t n = strlen(lit);

	return (size_t)(r->end - r->p) >= n && !memcmp(r->p, lit, n);
}

static void adv(struct rubylit *r)
{
	if (*r->p == '\n')
		r->line++;
	r->p++;
}

static void skip_blank(struct rubylit *r, bool newlines)
{
	while (more(r)) {
		if (*r->p == ' ' || *r->p == '\t' || *r->p == '\r')
			r->p++;
		else if (newlines && *r->p == '\n')
			adv(r);
		else if (newlines && *r->p == '#')
			while (more(r) && *r->p != '\n')
				r->p++;
		else
			return;
	}
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Hex digits at r->p (at most max) as a code point; false if none. */
static bool hex_cp(struct rubylit *r, int max, unsigned long *cp)
{
	int i, h;

	*cp = 0;
	for (i = 0; i < max && more(r) && (h = hexval(*r->p)) >= 0; i++) {
		*cp = *cp << 4 | (unsigned long)h;
		r->p++;
	}
	return i > 0;
}

/* \u1234 or \u{1F600 20}, r->p after the 'u'. */
static bool unicode(struct rubylit *r, struct cbuf *b)
{
	unsigned long cp;

	if (!more(r) || *r->p != '{')
		return hex_cp(r, 4, &cp) ? (cbuf_put_utf8(b, cp), true) : false;
	r->p++;
	for (;;) {
		skip_blank(r, false);
		if (more(r) && *r->p == '}') {
			r->p++;
			return true;
		}
		if (!hex_cp(r, 6, &cp))
			return false;
		cbuf_put_utf8(b, cp);
	}
}

/* One escape in a double-quoted string, r->p after the backslash. */
static bool dq_escape(struct rubylit *r, struct cbuf *b)
{
	static const char from[] = "ntrsae0bfv", to[] = "\n\t\r \a\033\0\b\f\v";
	const char *hit;
	char ch;

	if (!more(r))
		return false;
	ch = *r->p;
	r->p++;
	if (ch == 'u')
		return unicode(r, b);
	if (ch == '\n') {
		r->line++;
		return true;
	}
	hit = ch ? strchr(from, ch) : NULL;
	if (hit && to[hit - from])
		cbuf_putc(b, to[hit - from]);
	else if (hit)
		cbuf_put_utf8(b, 0);
	else
		cbuf_putc(b, ch);
	return true;
}

static char closing(char open)
{
	switch (open) {
	case '(':
		return ')';
	case '[':
		return ']';
	case '{':
		return '}';
	case '<':
		return '>';
	default:
		return open;
	}
}

/*
 * The body of a string up to close (r->p after the opening delimiter).
 * dq: escapes as in "..."; else only \\ and \close (and nesting of a
 * bracket pair, as %q does).
 */
static int body(struct rubylit *r, char open, bool dq, struct cbuf *b)
{
	char close = closing(open);
	int nest = 0;

	while (more(r)) {
		char ch = *r->p;

		if (ch == close && !nest) {
			r->p++;
			return cbuf_error(b) == CUSTOMS_ENOMEM ? CUSTOMS_ENOMEM
							       : 0;
		}
		if (ch == '\\' && dq) {
			r->p++;
			if (!dq_escape(r, b))
				return CUSTOMS_EFORMAT;
			continue;
		}
		if (ch == '\\' && r->end - r->p > 1 &&
		    (r->p[1] == close || r->p[1] == '\\' || r->p[1] == open)) {
			r->p++;
			ch = *r->p;
		} else if (open != close && ch == open) {
			nest++;
		} else if (open != close && ch == close) {
			nest--;
		}
		if (ch)
			cbuf_putc(b, ch);
		else
			cbuf_put_utf8(b, 0);
		adv(r);
	}
	return CUSTOMS_EFORMAT;
}

/* .freeze, .dup, .to_s, .strip after a value. */
static void skip_calls(struct rubylit *r)
{
	static const char *const calls[] = { ".freeze", ".dup", ".to_s",
					     ".strip" };
	size_t i;

	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		skip_blank(r, false);
		if (starts(r, calls[i])) {
			r->p += strlen(calls[i]);
			i = (size_t)-1;
		}
	}
}

static int string(struct rubylit *r, struct customs_strlist *out)
{
	struct cbuf b;
	char open;
	bool dq;
	int rc;

	if (*r->p == '"' || *r->p == '\'') {
		dq = *r->p == '"';
	} else if (starts(r, "%q") || starts(r, "%Q")) {
		dq = r->p[1] == 'Q';
		r->p += 2;
		if (!more(r) || !strchr("{[(<|!/", *r->p))
			return CUSTOMS_EFORMAT;
	} else {
		return CUSTOMS_EFORMAT;
	}
	open = *r->p;
	r->p++;
	cbuf_init(&b, (size_t)(r->end - r->p) * 4 + 16);
	rc = body(r, open, dq, &b);
	if (!rc)
		rc = customs_strlist_add(out, b.ptr);
	cbuf_release(&b);
	skip_calls(r);
	return rc;
}

static int value(struct rubylit *r, struct customs_strlist *out, int depth);

static int array(struct rubylit *r, struct customs_strlist *out, int depth)
{
	int rc;

	r->p++;
	for (;;) {
		skip_blank(r, true);
		if (!more(r))
			return CUSTOMS_EFORMAT;
		if (*r->p == ']') {
			r->p++;
			skip_calls(r);
			return 0;
		}
		rc = value(r, out, depth + 1);
		if (rc)
			return rc;
		skip_blank(r, true);
		if (more(r) && *r->p == ',')
			r->p++;
		else if (!more(r) || *r->p != ']')
			return CUSTOMS_EFORMAT;
	}
}

static int value(struct rubylit *r, struct customs_strlist *out, int depth)
{
	int rc;

	if (depth > RUBYLIT_MAX_DEPTH || out->n >= RUBYLIT_MAX_ITEMS)
		return CUSTOMS_EFORMAT;
	skip_blank(r, false);
	if (!more(r))
		return CUSTOMS_EFORMAT;
	if (starts(r, "Gem::Version.new(")) {
		r->p += strlen("Gem::Version.new(");
		skip_blank(r, false);
		rc = value(r, out, depth + 1);
		skip_blank(r, false);
		if (rc || !more(r) || *r->p != ')')
			return rc ? rc : CUSTOMS_EFORMAT;
		r->p++;
		skip_calls(r);
		return 0;
	}
	if (*r->p == '[')
		return array(r, out, depth);
	return string(r, out);
}

int rubylit_read(struct rubylit *r, struct customs_strlist *out)
{
	return value(r, out, 0);
}
