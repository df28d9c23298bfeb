/*
 * Growable buffers with a limit and sticky errors, and slices. The buffer
 * never holds more than max bytes; exceeding it sets CUSTOMS_ELIMIT once
 * and makes every later append a no-op.
 */
#include <stdio.h>
#include <string.h>

#include "customs/common.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/banned.h"

static char empty[1];

void cbuf_init(struct cbuf *b, size_t max)
{
	b->ptr = empty;
	b->len = 0;
	b->cap = 0;
	b->max = max;
	b->err = 0;
}

void cbuf_release(struct cbuf *b)
{
	if (b->cap)
		customs_free(b->ptr);
	cbuf_init(b, b->max);
}

void cbuf_reset(struct cbuf *b)
{
	b->len = 0;
	b->err = 0;
	if (b->cap)
		b->ptr[0] = '\0';
}

static int reserve(struct cbuf *b, size_t extra)
{
	size_t need, ncap;
	char *p;

	if (b->err)
		return b->err;
	if (!customs_add_ok(&need, b->len, extra) || need > b->max)
		return b->err = CUSTOMS_ELIMIT;
	if (need < b->cap)
		return 0;
	ncap = b->cap ? b->cap : 64;
	while (ncap <= need)
		ncap = ncap > SIZE_MAX / 2 ? need + 1 : ncap * 2;
	p = customs_realloc(b->cap ? b->ptr : NULL, ncap);
	if (!p)
		return b->err = CUSTOMS_ENOMEM;
	if (!b->cap)
		p[0] = '\0';
	b->ptr = p;
	b->cap = ncap;
	return 0;
}

int cbuf_reserve(struct cbuf *b, size_t extra)
{
	return reserve(b, extra);
}

int cbuf_put(struct cbuf *b, const void *data, size_t len)
{
	int rc = reserve(b, len);

	if (rc)
		return rc;
	if (len)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
	return 0;
}

int cbuf_puts(struct cbuf *b, const char *s)
{
	return cbuf_put(b, s, strlen(s));
}

int cbuf_putc(struct cbuf *b, char c)
{
	return cbuf_put(b, &c, 1);
}

int cbuf_vprintf(struct cbuf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	int rc;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return b->err = CUSTOMS_EINVAL;
	rc = reserve(b, (size_t)n);
	if (rc)
		return rc;
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int cbuf_printf(struct cbuf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = cbuf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

char *cbuf_detach(struct cbuf *b)
{
	char *p;

	if (b->err) {
		cbuf_release(b);
		return NULL;
	}
	p = b->cap ? b->ptr : customs_strdup("");
	cbuf_init(b, b->max);
	return p;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

struct cslice cslice_trim(struct cslice s)
{
	while (s.n && is_space(s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n && is_space(s.p[s.n - 1]))
		s.n--;
	return s;
}

int cbuf_put_utf8(struct cbuf *b, unsigned long cp)
{
	char u[4];

	if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	if (cp < 0x80) {
		cbuf_putc(b, (char)cp);
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		cbuf_put(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		cbuf_put(b, u, 3);
	} else {
		u[0] = (char)(0xf0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		cbuf_put(b, u, 4);
	}
	return b->err;
}

bool cslice_next_line(struct cslice *rest, struct cslice *line)
{
	const char *nl;

	if (!rest->n)
		return false;
	nl = memchr(rest->p, '\n', rest->n);
	line->p = rest->p;
	line->n = nl ? (size_t)(nl - rest->p) : rest->n;
	rest->p += line->n + (nl ? 1 : 0);
	rest->n -= line->n + (nl ? 1 : 0);
	if (line->n && line->p[line->n - 1] == '\r')
		line->n--;
	return true;
}

bool cslice_eq(struct cslice s, const char *lit)
{
	size_t n = strlen(lit);

	return s.n == n && memcmp(s.p, lit, n) == 0;
}

bool cslice_startswith(struct cslice s, const char *lit)
{
	size_t n = strlen(lit);

	return s.n >= n && memcmp(s.p, lit, n) == 0;
}

char *cslice_dup(struct cslice s)
{
	char *d = customs_malloc(s.n + 1);

	if (!d)
		return NULL;
	memcpy(d, s.p, s.n);
	d[s.n] = '\0';
	return d;
}
