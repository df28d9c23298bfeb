/*
 * struct cbuf: an owning, growable, always NUL-terminated byte buffer with
 * a maximum size and a sticky error (git's strbuf with curl's dynbuf
 * limit). After an append fails, every later append is a no-op and
 * cbuf_error() reports the first failure, so a writer can append many
 * pieces and check once.
 *
 * struct cslice: a non-owning view (pointer + length) for parsers.
 */
#ifndef CUSTOMS_UTIL_BUF_H
#define CUSTOMS_UTIL_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct cbuf {
	char *ptr; /**< always NUL-terminated (points at "" when empty) */
	size_t len;
	size_t cap;
	size_t max; /**< largest len allowed */
	int err; /**< 0, CUSTOMS_ENOMEM or CUSTOMS_ELIMIT */
};

#define CBUF_INIT(maxlen)                     \
	{                                     \
		(char *)"", 0, 0, (maxlen), 0 \
	}

void cbuf_init(struct cbuf *b, size_t max);
void cbuf_release(struct cbuf *b);
void cbuf_reset(struct cbuf *b);
/** Room for extra more bytes in one allocation (appends that follow
 * then do not reallocate); the same errors as cbuf_put(). */
int cbuf_reserve(struct cbuf *b, size_t extra);
int cbuf_put(struct cbuf *b, const void *data, size_t len);
int cbuf_puts(struct cbuf *b, const char *s);
int cbuf_putc(struct cbuf *b, char c);
/** Append code point cp as UTF-8; NUL, surrogates and values past
 * U+10FFFF become U+FFFD. */
int cbuf_put_utf8(struct cbuf *b, unsigned long cp);
int cbuf_printf(struct cbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int cbuf_vprintf(struct cbuf *b, const char *fmt, va_list ap);
/** Take the heap string (caller frees); b is reset. NULL on error. */
char *cbuf_detach(struct cbuf *b);
static inline int cbuf_error(const struct cbuf *b)
{
	return b->err;
}

struct cslice {
	const char *p;
	size_t n;
};

static inline struct cslice cslice_make(const char *p, size_t n)
{
	struct cslice s = { p, n };
	return s;
}

/** Trim ASCII whitespace at both ends. */
struct cslice cslice_trim(struct cslice s);
/** Split off the next line (without "\n" or "\r\n"); false at the end. */
bool cslice_next_line(struct cslice *rest, struct cslice *line);
bool cslice_eq(struct cslice s, const char *lit);
bool cslice_startswith(struct cslice s, const char *lit);
/** Heap copy, NUL-terminated; NULL on no memory. */
char *cslice_dup(struct cslice s);

#endif
