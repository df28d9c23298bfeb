/*
 * The TOML subset reader (toml.h). A cursor walks the buffer once; every
 * construct that may span lines (arrays, multi-line strings) tracks the
 * line number as it goes. An error anywhere in a line abandons that
 * key/value pair or header: the reader skips to the end of the line the
 * error was found on and goes on from there, so one bad line costs one
 * pair. Strings are unescaped into a scratch buffer as long as the input
 * at most and copied into the document's arena; NUL never reaches a
 * string (\u0000 and raw NUL bytes become U+FFFD), so C strings are
 * whole. Depth, tables, pairs and array items are capped (toml.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "customs/common.h"
#include "catalog/toml.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/banned.h"

struct cur {
	const char *p;
	const char *end;
	size_t line;
	struct toml_doc *doc;
	toml_warn_fn warn;
	void *arg;
	struct cbuf s; /* scratch for one string */
	const char *err; /* the first error of the current line */
	size_t err_line;
	bool nomem;
};

static bool at_end(const struct cur *c)
{
	return c->p >= c->end;
}

static bool peek(const struct cur *c, char ch)
{
	return c->p < c->end && *c->p == ch;
}

static bool peek3(const struct cur *c, char ch)
{
	return c->end - c->p >= 3 && c->p[0] == ch && c->p[1] == ch &&
	       c->p[2] == ch;
}

static void adv(struct cur *c)
{
	if (*c->p == '\n')
		c->line++;
	c->p++;
}

/* Record an error (the first one wins); always returns false. */
static bool fail(struct cur *c, const char *msg)
{
	if (!c->err) {
		c->err = msg;
		c->err_line = c->line;
	}
	return false;
}

/* An allocation failed: stop everything; always returns false. */
static bool oom(struct cur *c)
{
	c->nomem = true;
	return fail(c, "out of memory");
}

/* The scratch buffer's sticky error, as an error of the line. */
static bool buf_ok(struct cur *c, const struct cbuf *b)
{
	if (cbuf_error(b) == CUSTOMS_ENOMEM)
		return oom(c);
	return !cbuf_error(b) || fail(c, "string or key too long");
}

static void skip_ws(struct cur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
}

static void skip_comment(struct cur *c)
{
	if (peek(c, '#')) {
		while (c->p < c->end && *c->p != '\n')
			c->p++;
	}
}

/* Whitespace, newlines and comments (inside arrays). */
static void skip_space(struct cur *c)
{
	for (;;) {
		skip_ws(c);
		skip_comment(c);
		if (peek(c, '\r') || peek(c, '\n'))
			adv(c);
		else
			return;
	}
}

static void put_byte(struct cbuf *b, char ch)
{
	if (ch)
		cbuf_putc(b, ch);
	else
		cbuf_put_utf8(b, 0);
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

static bool unicode_escape(struct cur *c, int digits)
{
	unsigned long cp = 0;
	int i, h;

	if (c->end - c->p < digits)
		return fail(c, "short \\u escape");
	for (i = 0; i < digits; i++) {
		h = hexval(c->p[i]);
		if (h < 0)
			return fail(c, "bad \\u escape");
		cp = cp << 4 | (unsigned long)h;
	}
	c->p += digits;
	cbuf_put_utf8(&c->s, cp);
	return true;
}

/* A line-ending backslash: skip whitespace and newlines. */
static bool line_continuation(struct cur *c)
{
	const char *q = c->p;

	while (q < c->end && (*q == ' ' || *q == '\t' || *q == '\r'))
		q++;
	if (q >= c->end || *q != '\n')
		return false;
	c->p = q;
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' ||
				 *c->p == '\r' || *c->p == '\n'))
		adv(c);
	return true;
}

/* The escape after a backslash (c->p is past it). */
static bool escape(struct cur *c, bool multi)
{
	static const char from[] = "btnfr\"\\e", to[] = "\b\t\n\f\r\"\\\033";
	const char *hit;

	if (at_end(c))
		return fail(c, "unterminated string");
	if (multi && line_continuation(c))
		return true;
	if (*c->p == 'u' || *c->p == 'U') {
		c->p++;
		return unicode_escape(c, c->p[-1] == 'u' ? 4 : 8);
	}
	hit = strchr(from, *c->p);
	if (!hit || !*c->p)
		return fail(c, "unknown escape in string");
	cbuf_putc(&c->s, to[hit - from]);
	c->p++;
	return true;
}

/* Closing quotes of a multi-line string: up to two more are content. */
static bool close_multi(struct cur *c, char q)
{
	size_t run = 0;

	while (c->p + run < c->end && c->p[run] == q && run < 5)
		run++;
	if (run < 3)
		return false;
	while (run-- > 3) {
		cbuf_putc(&c->s, q);
		c->p++;
	}
	c->p += 3;
	return true;
}

/* A string starting at c->p (a quote); unescaped into c->s. */
static bool string(struct cur *c)
{
	char q = *c->p;
	bool multi = peek3(c, q);

	cbuf_reset(&c->s);
	c->p += multi ? 3 : 1;
	if (multi && peek(c, '\r') && c->p + 1 < c->end && c->p[1] == '\n')
		c->p++;
	if (multi && peek(c, '\n'))
		adv(c);
	for (;;) {
		if (at_end(c) || (!multi && *c->p == '\n'))
			return fail(c, "unterminated string");
		if (multi ? close_multi(c, q) : *c->p == q) {
			c->p += !multi;
			return buf_ok(c, &c->s);
		}
		if (q == '"' && *c->p == '\\') {
			c->p++;
			if (!escape(c, multi))
				return false;
			continue;
		}
		put_byte(&c->s, *c->p);
		adv(c);
	}
}

static bool is_bare(char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
	       (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
}

/* A dotted key into *out (arena); stops before '=' or ']'. */
static bool key(struct cur *c, const char **out)
{
	struct cbuf k = CBUF_INIT(1 << 16);
	bool ok = true;

	for (;;) {
		skip_ws(c);
		if (peek(c, '"') || peek(c, '\'')) {
			if (peek3(c, *c->p) || !string(c)) {
				ok = fail(c, "bad quoted key");
				break;
			}
			cbuf_put(&k, c->s.ptr, c->s.len);
		} else {
			const char *s = c->p;

			while (c->p < c->end && is_bare(*c->p))
				c->p++;
			if (s == c->p) {
				ok = fail(c, "expected a key");
				break;
			}
			cbuf_put(&k, s, (size_t)(c->p - s));
		}
		skip_ws(c);
		if (!peek(c, '.'))
			break;
		c->p++;
		cbuf_putc(&k, '.');
	}
	ok = ok && buf_ok(c, &k);
	if (ok) {
		*out = arena_strndup(&c->doc->arena, k.ptr, k.len);
		ok = *out || oom(c);
	}
	cbuf_release(&k);
	return ok;
}

static bool value(struct cur *c, struct toml_value *v, int depth);

static bool scalar(struct cur *c, struct toml_value *v)
{
	const char *s = c->p;

	while (c->p < c->end && !strchr(" \t\r\n,]}#", *c->p))
		c->p++;
	/* a date-time may use a space: 1979-05-27 07:32:00Z */
	if (c->end - c->p > 1 && *c->p == ' ' && c->p - s == 10 &&
	    s[4] == '-' && c->p[1] >= '0' && c->p[1] <= '9') {
		c->p++;
		while (c->p < c->end && !strchr(" \t\r\n,]}#", *c->p))
			c->p++;
	}
	if (s == c->p)
		return fail(c, "expected a value");
	v->kind = TOML_OTHER;
	v->str = arena_strndup(&c->doc->arena, s, (size_t)(c->p - s));
	return v->str || oom(c);
}

/* Items of an array: kept in a heap vector, then copied to the arena. */
struct items {
	const char **v;
	size_t n;
	size_t cap;
};

static bool keep_item(struct cur *c, struct items *it,
		      const struct toml_value *item)
{
	if (item->kind == TOML_ARRAY || !item->str || it->n >= TOML_MAX_ITEMS)
		return true;
	if (CUSTOMS_GROW(it->v, it->cap, it->n + 1))
		return oom(c);
	it->v[it->n++] = item->str;
	return true;
}

static bool array_items(struct cur *c, struct items *it, int depth)
{
	struct toml_value item;

	c->p++;
	for (;;) {
		skip_space(c);
		if (peek(c, ']'))
			break;
		memset(&item, 0, sizeof(item));
		if (!value(c, &item, depth + 1) || !keep_item(c, it, &item))
			return false;
		skip_space(c);
		if (peek(c, ','))
			c->p++;
		else if (!peek(c, ']'))
			return fail(c, "expected ',' or ']' in array");
	}
	c->p++;
	return true;
}

static bool array(struct cur *c, struct toml_value *v, int depth)
{
	struct items it = { NULL, 0, 0 };
	bool ok = array_items(c, &it, depth);
	size_t bytes;

	v->kind = TOML_ARRAY;
	if (ok && it.n) {
		ok = customs_mul_ok(&bytes, it.n, sizeof(*it.v));
		v->items = ok ? arena_alloc(&c->doc->arena, bytes) : NULL;
		if (v->items) {
			memcpy(v->items, it.v, bytes);
			v->n_items = it.n;
		} else {
			ok = oom(c);
		}
	}
	customs_free(it.v);
	return ok;
}

/* { k = v, ... }: parsed for its extent, not kept. */
static bool inline_table(struct cur *c, int depth)
{
	struct toml_value inner;
	const char *k;

	c->p++;
	skip_ws(c);
	if (peek(c, '}')) {
		c->p++;
		return true;
	}
	for (;;) {
		memset(&inner, 0, sizeof(inner));
		if (!key(c, &k))
			return false;
		if (!peek(c, '='))
			return fail(c, "expected '=' in inline table");
		c->p++;
		skip_ws(c);
		if (!value(c, &inner, depth + 1))
			return false;
		skip_ws(c);
		if (peek(c, '}')) {
			c->p++;
			return true;
		}
		if (!peek(c, ','))
			return fail(c, "expected ',' or '}' in inline table");
		c->p++;
	}
}

static bool value(struct cur *c, struct toml_value *v, int depth)
{
	if (depth > TOML_MAX_DEPTH)
		return fail(c, "nested too deeply");
	if (peek(c, '"') || peek(c, '\'')) {
		if (!string(c))
			return false;
		v->kind = TOML_STRING;
		v->str = arena_strndup(&c->doc->arena, c->s.ptr, c->s.len);
		return v->str || oom(c);
	}
	if (peek(c, '['))
		return array(c, v, depth);
	if (peek(c, '{')) {
		v->kind = TOML_OTHER;
		return inline_table(c, depth);
	}
	return scalar(c, v);
}

static bool add_table(struct cur *c, const char *name, bool is_array,
		      size_t line)
{
	struct toml_doc *d = c->doc;
	struct toml_table *t;

	if (d->n_tables >= TOML_MAX_TABLES)
		return fail(c, "too many tables");
	if (CUSTOMS_GROW(d->tables, d->cap_tables, d->n_tables + 1))
		return oom(c);
	t = &d->tables[d->n_tables++];
	t->name = name;
	t->array = is_array;
	t->line = line;
	t->first = d->n_pairs;
	t->n = 0;
	return true;
}

/* "[name]" or "[[name]]" at c->p. */
static bool header(struct cur *c)
{
	bool is_array = c->end - c->p >= 2 && c->p[1] == '[';
	size_t line = c->line;
	const char *name;

	c->p += is_array ? 2 : 1;
	if (!key(c, &name))
		return false;
	if (!peek(c, ']') ||
	    (is_array && (c->end - c->p < 2 || c->p[1] != ']')))
		return fail(c, "expected ']' after the table name");
	c->p += is_array ? 2 : 1;
	return add_table(c, name, is_array, line);
}

/* After a header or a pair: only a comment may follow on the line. */
static bool line_end(struct cur *c)
{
	skip_ws(c);
	skip_comment(c);
	if (peek(c, '\r'))
		c->p++;
	if (at_end(c) || peek(c, '\n'))
		return true;
	return fail(c, "unexpected text after the value");
}

static bool pair(struct cur *c)
{
	struct toml_doc *d = c->doc;
	struct toml_pair kv = { NULL, { TOML_OTHER, NULL, NULL, 0 }, c->line };

	if (!key(c, &kv.key))
		return false;
	if (!peek(c, '='))
		return fail(c, "expected '=' after the key");
	c->p++;
	skip_ws(c);
	if (!value(c, &kv.v, 0) || !line_end(c))
		return false;
	if (d->n_pairs >= TOML_MAX_PAIRS)
		return fail(c, "too many keys");
	if (CUSTOMS_GROW(d->pairs, d->cap_pairs, d->n_pairs + 1))
		return oom(c);
	d->pairs[d->n_pairs++] = kv;
	d->tables[d->n_tables - 1].n++;
	return true;
}

static int report(struct cur *c)
{
	struct toml_doc *d = c->doc;
	const char *msg = c->err;
	size_t line = c->err_line;

	c->err = NULL;
	/* go on at the line after the one the error was found on */
	while (!at_end(c) && *c->p != '\n')
		c->p++;
	if (!c->warn || d->n_warnings > TOML_MAX_WARNINGS)
		return 0;
	if (d->n_warnings++ == TOML_MAX_WARNINGS)
		return c->warn(c->arg, line, "more problems; not shown");
	return c->warn(c->arg, line, msg);
}

int toml_parse(struct toml_doc *doc, const char *p, size_t n, toml_warn_fn warn,
	       void *arg)
{
	struct cur c = { p,   p + n,	    1,	  doc, warn,
			 arg, CBUF_INIT(0), NULL, 0,   false };
	int rc = 0;

	memset(doc, 0, sizeof(*doc));
	/* a raw NUL byte grows to three (U+FFFD) */
	cbuf_init(&c.s, n < SIZE_MAX / 4 ? 3 * n + 16 : SIZE_MAX / 4);
	if (!add_table(&c, "", false, 1))
		rc = CUSTOMS_ENOMEM;
	while (!rc && !at_end(&c)) {
		skip_space(&c);
		if (at_end(&c))
			break;
		if (peek(&c, '['))
			(void)(header(&c) && line_end(&c));
		else
			(void)pair(&c);
		if (c.nomem)
			rc = CUSTOMS_ENOMEM;
		else if (c.err)
			rc = report(&c);
	}
	cbuf_release(&c.s);
	return rc;
}

void toml_release(struct toml_doc *doc)
{
	arena_release(&doc->arena);
	customs_free(doc->tables);
	customs_free(doc->pairs);
	memset(doc, 0, sizeof(*doc));
}

const struct toml_value *toml_get(const struct toml_doc *doc,
				  const struct toml_table *t, const char *key)
{
	size_t i;

	for (i = t->first; i < t->first + t->n; i++) {
		if (!strcmp(doc->pairs[i].key, key))
			return &doc->pairs[i].v;
	}
	return NULL;
}

const char *toml_get_str(const struct toml_doc *doc, const struct toml_table *t,
			 const char *key)
{
	const struct toml_value *v = toml_get(doc, t, key);

	return v && v->kind == TOML_STRING ? v->str : NULL;
}
