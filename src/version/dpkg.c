/*
 * Debian version ordering, as dpkg's parseversion() and verrevcmp().
 * A version is [epoch:]upstream[-revision]: the epoch runs to the first
 * colon, the revision starts after the last hyphen. Epochs compare as
 * numbers; upstream and revision compare in alternating non-digit and
 * digit runs, where in a non-digit run "~" sorts before everything (even
 * the end of the string), then letters, then every other byte, and digit
 * runs compare as numbers. A missing revision is "" and equals "0".
 * Like dpkg we reject what parseversion() calls an error (empty version,
 * bad or too big epoch, empty revision, embedded blanks) and compare what
 * it only warns about (bad characters, a non-digit first character).
 */
#include <limits.h>
#include <stdbool.h>
#include <string.h>

#include "util/error.h"
#include "version/version_int.h"
#include "util/banned.h"

struct dver {
	long epoch;
	struct cslice up, rev;
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

static int parse_epoch(struct dver *v, const char *s, const char *colon,
		       const char *orig, struct customs_ctx *ctx)
{
	long e = 0;

	if (s == colon)
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "dpkg version '%s': epoch is empty", orig);
	for (; s < colon; s++) {
		if (!is_digit(*s))
			return customs_error(ctx, CUSTOMS_EFORMAT,
					     "dpkg version '%s': epoch is not "
					     "a number",
					     orig);
		e = e * 10 + (*s - '0');
		if (e > INT_MAX)
			return customs_error(ctx, CUSTOMS_EFORMAT,
					     "dpkg version '%s': epoch is too "
					     "big",
					     orig);
	}
	v->epoch = e;
	return 0;
}

static int parse(struct dver *v, const char *orig, struct customs_ctx *ctx)
{
	const char *s = orig, *end, *colon, *hyphen, *p;
	int rc;

	while (is_blank(*s))
		s++;
	end = s + strlen(s);
	while (end > s && is_blank(end[-1]))
		end--;
	if (s == end)
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "dpkg version '%s': empty", orig);
	for (p = s; p < end; p++) {
		if (is_blank(*p))
			return customs_error(ctx, CUSTOMS_EFORMAT,
					     "dpkg version '%s': embedded "
					     "blanks",
					     orig);
	}
	v->epoch = 0;
	colon = memchr(s, ':', (size_t)(end - s));
	if (colon) {
		rc = parse_epoch(v, s, colon, orig, ctx);
		if (rc)
			return rc;
		s = colon + 1;
		if (s == end)
			return customs_error(ctx, CUSTOMS_EFORMAT,
					     "dpkg version '%s': nothing after "
					     "the colon",
					     orig);
	}
	for (hyphen = NULL, p = s; p < end; p++) {
		if (*p == '-')
			hyphen = p;
	}
	if (hyphen && hyphen + 1 == end)
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "dpkg version '%s': empty revision", orig);
	if (hyphen == s)
		return customs_error(
			ctx, CUSTOMS_EFORMAT,
			"dpkg version '%s': empty upstream version", orig);
	v->up = cslice_make(s, (size_t)((hyphen ? hyphen : end) - s));
	v->rev = hyphen ? cslice_make(hyphen + 1, (size_t)(end - hyphen - 1))
			: cslice_make("", 0);
	return 0;
}

/* dpkg's order(): the weight of a byte in a non-digit run. */
static int order(int c)
{
	if (is_digit((char)c))
		return 0;
	if (is_alpha((char)c))
		return c;
	if (c == '~')
		return -1;
	if (c)
		return c + 256;
	return 0;
}

/* The byte at i of s, or 0 past the end. */
static int at(struct cslice s, size_t i)
{
	return i < s.n ? (unsigned char)s.p[i] : 0;
}

static int verrevcmp(struct cslice a, struct cslice b)
{
	size_t i = 0, j = 0, di, dj;
	int c;

	while (i < a.n || j < b.n) {
		while ((i < a.n && !is_digit(a.p[i])) ||
		       (j < b.n && !is_digit(b.p[j]))) {
			c = order(at(a, i)) - order(at(b, j));
			if (c)
				return ver_sign(c);
			i++;
			j++;
		}
		di = i;
		dj = j;
		while (i < a.n && is_digit(a.p[i]))
			i++;
		while (j < b.n && is_digit(b.p[j]))
			j++;
		c = ver_numcmp(a.p + di, i - di, b.p + dj, j - dj);
		if (c)
			return c;
	}
	return 0;
}

int ver_dpkg_cmp(const char *a, const char *b, int *out,
		 struct customs_ctx *ctx)
{
	struct dver va, vb;
	int rc, c;

	rc = parse(&va, a, ctx);
	if (!rc)
		rc = parse(&vb, b, ctx);
	if (rc)
		return rc;
	c = ver_sign(va.epoch - vb.epoch);
	if (!c)
		c = verrevcmp(va.up, vb.up);
	if (!c)
		c = verrevcmp(va.rev, vb.rev);
	*out = c;
	return 0;
}
