/*
 * The streaming JSON writer (jw.h). Output is a pure function of the
 * calls made: no locale, no hash-ordered maps; the one floating-point
 * writer (scores in vulnerability reports) prints a fixed number of
 * significant digits, the same on every platform.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "customs/common.h"
#include "sbom/jw.h"
#include "util/banned.h"

void jw_init(struct jw *w, jw_sink_fn sink, void *arg)
{
	memset(w, 0, sizeof(*w));
	w->sink = sink;
	w->arg = arg;
	w->first[0] = true;
}

static void flush(struct jw *w)
{
	if (w->len && !w->err)
		w->err = w->sink(w->arg, w->buf, w->len);
	w->sunk += w->len;
	w->len = 0;
}

static void put(struct jw *w, const char *p, size_t n)
{
	while (n) {
		size_t room = sizeof(w->buf) - w->len;
		size_t k = n < room ? n : room;

		memcpy(w->buf + w->len, p, k);
		w->len += k;
		p += k;
		n -= k;
		if (w->len == sizeof(w->buf))
			flush(w);
	}
}

static void putc1(struct jw *w, char c)
{
	if (w->len == sizeof(w->buf))
		flush(w);
	w->buf[w->len++] = c;
}

static void newline(struct jw *w)
{
	int i;

	putc1(w, '\n');
	for (i = 0; i < w->depth; i++)
		put(w, "  ", 2);
}

/* Before a value: the comma and indent, unless it follows a key. */
static void before_value(struct jw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth == 0)
		return;
	if (!w->first[w->depth])
		putc1(w, ',');
	w->first[w->depth] = false;
	newline(w);
}

static void open(struct jw *w, char c)
{
	before_value(w);
	putc1(w, c);
	if (w->depth + 1 < JW_DEPTH)
		w->depth++;
	w->first[w->depth] = true;
}

static void close(struct jw *w, char c)
{
	bool empty = w->first[w->depth];

	if (w->depth > 0)
		w->depth--;
	if (!empty)
		newline(w);
	putc1(w, c);
}

void jw_obj_open(struct jw *w)
{
	open(w, '{');
}

void jw_obj_close(struct jw *w)
{
	close(w, '}');
}

void jw_arr_open(struct jw *w)
{
	open(w, '[');
}

void jw_arr_close(struct jw *w)
{
	close(w, ']');
}

/* Length of the valid UTF-8 sequence at p (n bytes left), or 0. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/* s escaped, without the quotes */
static void put_body(struct jw *w, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);

	while (n) {
		size_t run = 0, k;

		/* copy runs of plain bytes at once */
		while (run < n && p[run] >= 0x20 && p[run] < 0x80 &&
		       p[run] != '"' && p[run] != '\\')
			run++;
		put(w, (const char *)p, run);
		p += run;
		n -= run;
		if (!n)
			break;
		if (*p == '"' || *p == '\\') {
			putc1(w, '\\');
			putc1(w, (char)*p);
			k = 1;
		} else if (*p < 0x20) {
			char e[6] = { '\\', 'u',	  '0',
				      '0',  hex[*p >> 4], hex[*p & 15] };

			if (*p == '\n')
				put(w, "\\n", 2);
			else if (*p == '\t')
				put(w, "\\t", 2);
			else if (*p == '\r')
				put(w, "\\r", 2);
			else
				put(w, e, 6);
			k = 1;
		} else if ((k = utf8_len(p, n))) {
			put(w, (const char *)p, k);
		} else {
			put(w, "\xef\xbf\xbd", 3);
			k = 1;
		}
		p += k;
		n -= k;
	}
}

static void put_escaped(struct jw *w, const char *s)
{
	putc1(w, '"');
	put_body(w, s);
	putc1(w, '"');
}

void jw_key(struct jw *w, const char *key)
{
	before_value(w);
	put_escaped(w, key);
	put(w, ": ", 2);
	w->after_key = true;
}

void jw_str(struct jw *w, const char *s)
{
	before_value(w);
	if (s)
		put_escaped(w, s);
	else
		put(w, "null", 4);
}

void jw_int(struct jw *w, int64_t v)
{
	char num[24];
	int n = snprintf(num, sizeof(num), "%lld", (long long)v);

	before_value(w);
	put(w, num, (size_t)n);
}

void jw_double(struct jw *w, double v)
{
	char num[32];
	int n;

	before_value(w);
	if (!isfinite(v)) {
		put(w, "null", 4);
		return;
	}
	n = snprintf(num, sizeof(num), "%.6g", v);
	put(w, num, (size_t)n);
}

void jw_kdouble(struct jw *w, const char *key, double v)
{
	jw_key(w, key);
	jw_double(w, v);
}

void jw_bool(struct jw *w, bool v)
{
	before_value(w);
	if (v)
		put(w, "true", 4);
	else
		put(w, "false", 5);
}

void jw_kstr(struct jw *w, const char *key, const char *s)
{
	if (!s)
		return;
	jw_key(w, key);
	jw_str(w, s);
}

void jw_kstr2(struct jw *w, const char *key, const char *prefix, const char *s)
{
	if (!s)
		return;
	jw_key(w, key);
	before_value(w);
	putc1(w, '"');
	put_body(w, prefix);
	put_body(w, s);
	putc1(w, '"');
}

void jw_kint(struct jw *w, const char *key, int64_t v)
{
	jw_key(w, key);
	jw_int(w, v);
}

void jw_kbool(struct jw *w, const char *key, bool v)
{
	jw_key(w, key);
	jw_bool(w, v);
}

int jw_end(struct jw *w)
{
	putc1(w, '\n');
	flush(w);
	return w->err;
}

uint64_t jw_offset(const struct jw *w)
{
	return w->sunk + w->len;
}

void jw_patch(struct jw *w, uint64_t off, const char *p, size_t n)
{
	if (off >= w->sunk && off + n <= w->sunk + w->len) {
		memcpy(w->buf + (off - w->sunk), p, n); /* still buffered */
		return;
	}
	flush(w);
	if (!w->err)
		w->err = w->patch ? w->patch(w->arg, off, p, n) : CUSTOMS_EIO;
}
