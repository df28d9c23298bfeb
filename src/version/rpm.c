/*
 * RPM version ordering, as rpm's rpmvercmp() and rpmverCmp() (rpm 4.18).
 * An EVR string is [epoch:]version[-release]: the epoch is the leading
 * digits when a colon follows them, the release starts after the last
 * hyphen. Epochs compare with rpmvercmp (a missing epoch is "0", as rpm
 * does; Grype instead skips the epoch when one side lacks it), then the
 * versions, then the releases; as rpm.ver objects order them, a version
 * with a release (even an empty one, "1.0-") is newer than the same
 * version without one.
 *
 * rpmvercmp walks both strings in segments: bytes that are neither ASCII
 * alphanumerics nor "~" or "^" separate segments and only their presence
 * matters. "~" sorts before anything, even the end of the string; "^"
 * sorts after the end of the string but before any other segment. A
 * segment is a maximal run of digits or of letters; digits compare as
 * numbers, letters with strcmp, and a digit run is newer than a letter
 * run. When one string runs out, the one with segments left is newer.
 */
#include <stdbool.h>
#include <string.h>

#include "util/error.h"
#include "version/version_int.h"
#include "util/banned.h"

struct evr {
	struct cslice e, v, r;
	bool has_r;
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_sep(char c)
{
	return !is_digit(c) && !is_alpha(c) && c != '~' && c != '^';
}

/* Skip separators; the byte at the cursor or 0 at the end. */
static char skip(struct cslice *s)
{
	while (s->n && is_sep(*s->p)) {
		s->p++;
		s->n--;
	}
	return s->n ? *s->p : 0;
}

static size_t run(struct cslice s, bool digits)
{
	size_t i = 0;

	while (i < s.n && (digits ? is_digit(s.p[i]) : is_alpha(s.p[i])))
		i++;
	return i;
}

static void advance(struct cslice *s, size_t n)
{
	s->p += n;
	s->n -= n;
}

/* -2 when the loop should go on, else the result. */
static int tilde_caret(struct cslice *a, struct cslice *b, char ca, char cb)
{
	if (ca == '~' || cb == '~') {
		if (ca != '~')
			return 1;
		if (cb != '~')
			return -1;
		advance(a, 1);
		advance(b, 1);
		return -2;
	}
	if (ca == '^' || cb == '^') {
		if (!ca)
			return -1;
		if (!cb)
			return 1;
		if (ca != '^')
			return 1;
		if (cb != '^')
			return -1;
		advance(a, 1);
		advance(b, 1);
		return -2;
	}
	return -3;
}

static int segment(struct cslice *a, struct cslice *b)
{
	bool num = is_digit(*a->p);
	size_t na = run(*a, num), nb = run(*b, num);
	int c;

	if (nb == 0)
		return num ? 1 : -1;
	if (num) {
		c = ver_numcmp(a->p, na, b->p, nb);
	} else {
		c = memcmp(a->p, b->p, na < nb ? na : nb);
		if (!c)
			c = na < nb ? -1 : na > nb;
	}
	advance(a, na);
	advance(b, nb);
	return ver_sign(c);
}

static int rpmvercmp(struct cslice a, struct cslice b)
{
	char ca, cb;
	int c;

	if (a.n == b.n && memcmp(a.p, b.p, a.n) == 0)
		return 0;
	for (;;) {
		ca = skip(&a);
		cb = skip(&b);
		if (!ca && !cb)
			return 0;
		c = tilde_caret(&a, &b, ca, cb);
		if (c == -2)
			continue;
		if (c != -3)
			return c;
		if (!ca || !cb)
			break;
		c = segment(&a, &b);
		if (c)
			return c;
	}
	return a.n ? 1 : -1;
}

static int parse(struct evr *v, const char *s, struct customs_ctx *ctx)
{
	const char *p = s, *hyphen;
	size_t n = strlen(s);

	if (!n)
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "rpm version '': empty");
	while (is_digit(*p))
		p++;
	v->e = cslice_make("0", 1);
	if (*p == ':') {
		if (p > s)
			v->e = cslice_make(s, (size_t)(p - s));
		s = p + 1;
	}
	hyphen = strrchr(s, '-');
	v->has_r = hyphen != NULL;
	v->v = cslice_make(s, (size_t)((hyphen ? hyphen : s + strlen(s)) - s));
	v->r = hyphen ? cslice_make(hyphen + 1, strlen(hyphen + 1))
		      : cslice_make("", 0);
	return 0;
}

int ver_rpm_cmp(const char *a, const char *b, int *out, struct customs_ctx *ctx)
{
	struct evr va, vb;
	int rc, c;

	rc = parse(&va, a, ctx);
	if (!rc)
		rc = parse(&vb, b, ctx);
	if (rc)
		return rc;
	c = rpmvercmp(va.e, vb.e);
	if (!c)
		c = rpmvercmp(va.v, vb.v);
	if (!c && va.has_r && vb.has_r)
		c = rpmvercmp(va.r, vb.r);
	else if (!c && va.has_r != vb.has_r)
		c = va.has_r ? 1 : -1;
	*out = c;
	return 0;
}
