/*
 * Streaming JSON writer. Pretty output indents with two spaces; the
 * structure is the same either way. Bytes gather in w->buf; a full
 * buffer goes to the FILE or, for a memory writer, onto the end of a heap
 * buffer of at most w->max bytes. Once a byte did not fit there, the
 * memory writer drops the rest (w->failed) so that its owner renders the
 * piece again rather than print a hole.
 */
#include <string.h>

#include "jsonw.h"
#include "util/alloc.h"
#include "util/banned.h"

void jsonw_init(struct jsonw *w, FILE *out, bool pretty)
{
	w->out = out;
	w->len = 0;
	w->mem = NULL;
	w->mem_len = 0;
	w->mem_cap = 0;
	w->max = 0;
	w->failed = false;
	w->depth = 0;
	w->pretty = pretty;
	w->after_key = false;
	memset(w->first, 0, sizeof(w->first));
	w->first[0] = true;
}

void jsonw_init_mem(struct jsonw *w, bool pretty, size_t max)
{
	jsonw_init(w, NULL, pretty);
	w->max = max;
}

void jsonw_mem_reset(struct jsonw *w, int depth, bool first)
{
	w->len = 0;
	w->mem_len = 0;
	w->failed = false;
	w->after_key = false;
	if (depth < 0)
		depth = 0;
	if (depth > JSONW_DEPTH - 1)
		depth = JSONW_DEPTH - 1; /* as deep as open_() goes */
	w->depth = depth;
	w->first[depth] = first;
}

void jsonw_release(struct jsonw *w)
{
	customs_free(w->mem);
	w->mem = NULL;
	w->mem_len = 0;
	w->mem_cap = 0;
}

/* Onto the end of a memory writer's heap buffer, growing it by doubling
 * up to w->max. */
static void mem_append(struct jsonw *w, const char *p, size_t n)
{
	size_t need, cap = w->mem_cap ? w->mem_cap : sizeof(w->buf);
	char *m;

	if (w->failed || !customs_add_ok(&need, w->mem_len, n) ||
	    need > w->max) {
		w->failed = true;
		return;
	}
	if (need > w->mem_cap) {
		if (cap > w->max)
			cap = w->max;
		while (cap < need)
			cap = cap > w->max / 2 ? w->max : cap * 2;
		m = customs_realloc(w->mem, cap);
		if (!m) {
			w->failed = true;
			return;
		}
		w->mem = m;
		w->mem_cap = cap;
	}
	memcpy(w->mem + w->mem_len, p, n);
	w->mem_len += n;
}

static void emit(struct jsonw *w, const char *p, size_t n)
{
	if (w->out)
		fwrite(p, 1, n, w->out);
	else
		mem_append(w, p, n);
}

/* Output goes through our own buffer: a catalog is millions of tiny
 * writes, and stdio's per-call locking would dominate them. */
static void flush(struct jsonw *w)
{
	if (w->len)
		emit(w, w->buf, w->len);
	w->len = 0;
}

const char *jsonw_mem_bytes(struct jsonw *w, size_t *len)
{
	flush(w);
	*len = w->failed ? 0 : w->mem_len;
	return w->failed ? NULL : w->mem ? w->mem : "";
}

static void put(struct jsonw *w, const char *p, size_t n)
{
	if (w->len + n > sizeof(w->buf)) {
		flush(w);
		if (n > sizeof(w->buf)) {
			emit(w, p, n);
			return;
		}
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

static void putch(struct jsonw *w, char c)
{
	if (w->len == sizeof(w->buf))
		flush(w);
	w->buf[w->len++] = c;
}

static void puts_(struct jsonw *w, const char *s)
{
	put(w, s, strlen(s));
}

static void indent(struct jsonw *w)
{
	int i;

	if (!w->pretty)
		return;
	putch(w, '\n');
	for (i = 0; i < w->depth; i++)
		put(w, "  ", 2);
}

/* Separator and indentation before a value or key. */
static void pre_value(struct jsonw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (!w->first[w->depth])
		putch(w, ',');
	w->first[w->depth] = false;
	if (w->depth)
		indent(w);
}

static void open_(struct jsonw *w, char c)
{
	pre_value(w);
	putch(w, c);
	if (w->depth < JSONW_DEPTH - 1)
		w->depth++;
	w->first[w->depth] = true;
}

static void close_(struct jsonw *w, char c)
{
	bool empty = w->first[w->depth];

	if (w->depth)
		w->depth--;
	if (!empty)
		indent(w);
	putch(w, c);
}

void jsonw_obj_open(struct jsonw *w)
{
	open_(w, '{');
}

void jsonw_obj_close(struct jsonw *w)
{
	close_(w, '}');
}

void jsonw_arr_open(struct jsonw *w)
{
	open_(w, '[');
}

void jsonw_arr_close(struct jsonw *w)
{
	close_(w, ']');
}

/* Length of a valid UTF-8 sequence at s, or 0. */
static int utf8_len(const unsigned char *s)
{
	int n, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0)
		n = 2, cp = s[0] & 0x1f;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3, cp = s[0] & 0x0f;
	else if ((s[0] & 0xf8) == 0xf0)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* Bytes that go out as they are: printable ASCII but '"' and '\\'. */
static bool plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

static void put_special(struct jsonw *w, const unsigned char *s, int *n)
{
	char esc[8];

	*n = 1;
	if (*s == '"' || *s == '\\') {
		esc[0] = '\\';
		esc[1] = (char)*s;
		put(w, esc, 2);
	} else if (*s == '\n') {
		put(w, "\\n", 2);
	} else if (*s == '\t') {
		put(w, "\\t", 2);
	} else if (*s == '\r') {
		put(w, "\\r", 2);
	} else if (*s < 0x20 || *s == 0x7f) {
		snprintf(esc, sizeof(esc), "\\u%04x", *s);
		put(w, esc, 6);
	} else if ((*n = utf8_len(s)) == 0) {
		put(w, "\\ufffd", 6);
		*n = 1;
	} else {
		put(w, (const char *)s, (size_t)*n);
	}
}

static void put_body(struct jsonw *w, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t run;
	int n;

	while (*s) {
		for (run = 0; plain(s[run]); run++)
			;
		put(w, (const char *)s, run);
		s += run;
		if (*s) {
			put_special(w, s, &n);
			s += n;
		}
	}
}

static void put_escaped(struct jsonw *w, const char *str)
{
	putch(w, '"');
	put_body(w, str);
	putch(w, '"');
}

void jsonw_key(struct jsonw *w, const char *key)
{
	pre_value(w);
	put_escaped(w, key);
	puts_(w, w->pretty ? ": " : ":");
	w->after_key = true;
}

void jsonw_str(struct jsonw *w, const char *s)
{
	pre_value(w);
	if (s)
		put_escaped(w, s);
	else
		puts_(w, "null");
}

static void put_u64(struct jsonw *w, uint64_t v)
{
	char digits[24];
	int i = sizeof(digits);

	do {
		digits[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(w, digits + i, sizeof(digits) - (size_t)i);
}

void jsonw_u64(struct jsonw *w, uint64_t v)
{
	pre_value(w);
	put_u64(w, v);
}

void jsonw_i64(struct jsonw *w, int64_t v)
{
	pre_value(w);
	if (v < 0) {
		putch(w, '-');
		put_u64(w, (uint64_t)0 - (uint64_t)v);
	} else {
		put_u64(w, (uint64_t)v);
	}
}

void jsonw_double(struct jsonw *w, double v)
{
	char num[40];
	int n;

	if (v != v || v > 1e300 || v < -1e300) {
		jsonw_null(w); /* NaN and infinities are not JSON */
		return;
	}
	pre_value(w);
	n = snprintf(num, sizeof(num), "%.10g", v);
	put(w, num, (size_t)n);
}

void jsonw_bool(struct jsonw *w, bool v)
{
	pre_value(w);
	puts_(w, v ? "true" : "false");
}

void jsonw_null(struct jsonw *w)
{
	pre_value(w);
	puts_(w, "null");
}

void jsonw_kstr(struct jsonw *w, const char *key, const char *s)
{
	jsonw_key(w, key);
	jsonw_str(w, s);
}

void jsonw_ku64(struct jsonw *w, const char *key, uint64_t v)
{
	jsonw_key(w, key);
	jsonw_u64(w, v);
}

void jsonw_kbool(struct jsonw *w, const char *key, bool v)
{
	jsonw_key(w, key);
	jsonw_bool(w, v);
}

void jsonw_end(struct jsonw *w)
{
	putch(w, '\n');
	flush(w);
}

void jsonw_kpath(struct jsonw *w, const char *key, const char *path)
{
	jsonw_key(w, key);
	if (!path) {
		jsonw_null(w);
		return;
	}
	pre_value(w);
	putch(w, '"');
	putch(w, '/');
	put_body(w, path);
	putch(w, '"');
}

void jsonw_raw(struct jsonw *w, const char *p, size_t n)
{
	if (!n)
		return;
	put(w, p, n);
	w->first[w->depth] = false;
}
