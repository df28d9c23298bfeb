/*
 * The GENERIC scheme, for ecosystems without a comparator of their own
 * (OpenSSL-style 1.0.2k, vendor versions). A version is read as runs of
 * digits (numbers, compared as numbers) and runs of ASCII letters (words,
 * compared bytewise); every other byte only separates runs. A number is
 * newer than a word. When one version runs out, the other is newer unless
 * all it has left are zeros, so 1.0 = 1.0.0 < 1.0.2 < 1.0.2k < 1.0.3.
 * Empty strings are rejected.
 */
#include <stdbool.h>
#include <string.h>

#include "util/error.h"
#include "version/version_int.h"
#include "util/banned.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The next run of s (advanced past it); n == 0 at the end. */
static struct cslice next_run(struct cslice *s)
{
	struct cslice r;
	size_t i = 0;
	bool digit;

	while (s->n && !is_digit(*s->p) && !is_alpha(*s->p)) {
		s->p++;
		s->n--;
	}
	if (!s->n)
		return cslice_make(s->p, 0);
	digit = is_digit(*s->p);
	while (i < s->n && (digit ? is_digit(s->p[i]) : is_alpha(s->p[i])))
		i++;
	r = cslice_make(s->p, i);
	s->p += i;
	s->n -= i;
	return r;
}

static bool only_zeros(struct cslice s)
{
	struct cslice r;
	size_t i;

	while ((r = next_run(&s)).n) {
		for (i = 0; i < r.n; i++) {
			if (r.p[i] != '0')
				return false;
		}
	}
	return true;
}

static int run_cmp(struct cslice x, struct cslice y)
{
	bool xn = is_digit(*x.p), yn = is_digit(*y.p);
	int c;

	if (xn != yn)
		return xn ? 1 : -1;
	if (xn)
		return ver_numcmp(x.p, x.n, y.p, y.n);
	c = memcmp(x.p, y.p, x.n < y.n ? x.n : y.n);
	if (!c)
		c = x.n == y.n ? 0 : (x.n < y.n ? -1 : 1);
	return ver_sign(c);
}

int ver_generic_cmp(const char *a, const char *b, int *out,
		    struct customs_ctx *ctx)
{
	struct cslice sa = cslice_make(a, strlen(a));
	struct cslice sb = cslice_make(b, strlen(b));
	struct cslice x, y, ra, rb;
	int c;

	if (!sa.n || !sb.n)
		return customs_error(ctx, CUSTOMS_EFORMAT, "version '': empty");
	for (;;) {
		ra = sa;
		rb = sb;
		x = next_run(&sa);
		y = next_run(&sb);
		if (!x.n || !y.n)
			break;
		c = run_cmp(x, y);
		if (c) {
			*out = c;
			return 0;
		}
	}
	if (x.n)
		*out = only_zeros(ra) ? 0 : 1;
	else if (y.n)
		*out = only_zeros(rb) ? 0 : -1;
	else
		*out = 0;
	return 0;
}
