/*
 * The GENERIC scheme, for ecosystems without a comparator of their own
 * (OpenSSL-style 1.0.2k, vendor versions). A version is read as runs of
 * digits (numbers, compared as numbers) and runs of ASCII letters (words,
 * compared bytewise); every other byte only separates runs. A number is
 * newer than a word. Trailing zero numbers do not count, and when one
 * version runs out the other is newer, so 1.0 = 1.0.0 < 1.0.2 < 1.0.2k <
 * 1.0.3. This is a lexicographic order on the remaining runs, hence
 * transitive (the fuzz target checks it).
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

static bool zero_run(struct cslice r)
{
	size_t i;

	if (!r.n || !is_digit(*r.p))
		return false;
	for (i = 0; i < r.n; i++) {
		if (r.p[i] != '0')
			return false;
	}
	return true;
}

/* s without its trailing zero numbers and separators: 1.0.0 is 1. */
static struct cslice significant(struct cslice s)
{
	struct cslice rest = s, r;
	size_t n = 0;

	while ((r = next_run(&rest)).n) {
		if (!zero_run(r))
			n = (size_t)(r.p + r.n - s.p);
	}
	return cslice_make(s.p, n);
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
	struct cslice sa, sb, x, y;
	int c = 0;

	if (!*a || !*b)
		return customs_error(ctx, CUSTOMS_EFORMAT, "version '': empty");
	sa = significant(cslice_make(a, strlen(a)));
	sb = significant(cslice_make(b, strlen(b)));
	/* lexicographic on runs; running out first is older */
	while (!c) {
		x = next_run(&sa);
		y = next_run(&sb);
		if (!x.n || !y.n) {
			c = x.n ? 1 : (y.n ? -1 : 0);
			break;
		}
		c = run_cmp(x, y);
	}
	*out = c;
	return 0;
}
