/*
 * RubyGems versions as Gem::Version. A valid version (after stripping
 * blanks; a blank string is "0") is N(.[0-9A-Za-z]+)* optionally followed
 * by "-" and dot-separated [0-9A-Za-z-]+ parts; each "-" reads as ".pre.".
 * The segments are the maximal runs of digits (numbers) or of letters
 * (words). The canonical segments drop trailing zeros from the numbers
 * before the first word and from the words part. Two versions compare
 * segment by segment, a missing segment counting as 0; a word is older
 * than a number, words compare bytewise. So 1.0.a < 1 = 1.0.0 < 1.0.1 and
 * any version with a letter is a prerelease of the numbers before it.
 */
#include <stdbool.h>
#include <string.h>

#include "util/alloc.h"
#include "util/error.h"
#include "version/version_int.h"
#include "util/banned.h"

struct seg {
	bool num;
	struct cslice s;
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_alnum(char c)
{
	return is_digit(c) || is_alpha(c);
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

/* Dot-separated parts of allowed bytes from *i; false on an empty part. */
static bool parts(struct cslice s, size_t *i, bool hyphen)
{
	size_t start;

	for (;;) {
		start = *i;
		while (*i < s.n &&
		       (is_alnum(s.p[*i]) || (hyphen && s.p[*i] == '-')))
			(*i)++;
		if (*i == start)
			return false;
		if (*i == s.n || s.p[*i] != '.')
			return true;
		(*i)++;
	}
}

static bool valid(struct cslice s)
{
	size_t i = 0;

	if (!s.n)
		return true;
	while (i < s.n && is_digit(s.p[i]))
		i++;
	if (i == 0)
		return false;
	if (i < s.n && s.p[i] == '.') {
		i++;
		if (!parts(s, &i, false))
			return false;
	}
	if (i < s.n && s.p[i] == '-') {
		i++;
		if (!parts(s, &i, true))
			return false;
	}
	return i == s.n;
}

static bool is_zero(const struct seg *g)
{
	size_t i;

	if (!g->num)
		return false;
	for (i = 0; i < g->s.n; i++) {
		if (g->s.p[i] != '0')
			return false;
	}
	return true;
}

/* Segments of s into g (room for 2 * s.n + 1), canonical; returns count. */
static size_t segments(struct cslice s, struct seg *g)
{
	size_t i = 0, j, n = 0, first_word = (size_t)-1, out = 0, k;

	if (!s.n)
		s = cslice_make("0", 1);
	while (i < s.n) {
		if (s.p[i] == '-') {
			g[n].num = false;
			g[n++].s = cslice_make("pre", 3);
		}
		if (!is_alnum(s.p[i])) {
			i++;
			continue;
		}
		for (j = i; j < s.n && is_digit(s.p[j]) == is_digit(s.p[i]) &&
			    is_alnum(s.p[j]);
		     j++)
			;
		g[n].num = is_digit(s.p[i]);
		g[n++].s = cslice_make(s.p + i, j - i);
		i = j;
	}
	for (k = 0; k < n && first_word == (size_t)-1; k++) {
		if (!g[k].num)
			first_word = k;
	}
	if (first_word == (size_t)-1)
		first_word = n;
	/* drop trailing zeros of the numeric part, then of the rest */
	for (k = first_word; k > 0 && is_zero(&g[k - 1]); k--)
		;
	memmove(g + k, g + first_word, (n - first_word) * sizeof(*g));
	out = k + (n - first_word);
	while (out > k && is_zero(&g[out - 1]))
		out--;
	return out;
}

static int seg_cmp(const struct seg *x, const struct seg *y)
{
	int c;

	if (x->num != y->num)
		return x->num ? 1 : -1;
	if (x->num)
		return ver_numcmp(x->s.p, x->s.n, y->s.p, y->s.n);
	c = memcmp(x->s.p, y->s.p, x->s.n < y->s.n ? x->s.n : y->s.n);
	if (!c)
		c = x->s.n == y->s.n ? 0 : (x->s.n < y->s.n ? -1 : 1);
	return ver_sign(c);
}

static int compare(const struct seg *a, size_t an, const struct seg *b,
		   size_t bn)
{
	static const struct seg zero = { true, { "0", 1 } };
	size_t i;
	int c;

	for (i = 0; i < an || i < bn; i++) {
		c = seg_cmp(i < an ? &a[i] : &zero, i < bn ? &b[i] : &zero);
		if (c)
			return c;
	}
	return 0;
}

static int strip(const char *v, struct cslice *s, struct customs_ctx *ctx)
{
	*s = cslice_make(v, strlen(v));
	while (s->n && is_space(*s->p))
		*s = cslice_make(s->p + 1, s->n - 1);
	while (s->n && is_space(s->p[s->n - 1]))
		s->n--;
	if (valid(*s))
		return 0;
	return customs_error(ctx, CUSTOMS_EFORMAT,
			     "gem version '%s': not valid", v);
}

int ver_gem_cmp(const char *a, const char *b, int *out, struct customs_ctx *ctx)
{
	struct cslice sa, sb;
	struct seg *ga = NULL, *gb = NULL;
	size_t an, bn;
	int rc;

	rc = strip(a, &sa, ctx);
	if (!rc)
		rc = strip(b, &sb, ctx);
	if (rc)
		return rc;
	ga = customs_calloc(2 * sa.n + 2, sizeof(*ga));
	gb = customs_calloc(2 * sb.n + 2, sizeof(*gb));
	if (!ga || !gb) {
		rc = customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
		goto out;
	}
	an = segments(sa, ga);
	bn = segments(sb, gb);
	*out = compare(ga, an, gb, bn);
out:
	customs_free(ga);
	customs_free(gb);
	return rc;
}
