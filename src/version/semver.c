/*
 * SemVer 2.0.0 parsing and precedence, shared by the SEMVER, NPM, NuGet
 * (nuget.c) and Go (gover.c) schemes through flags (leading "v", node's 2^53 -
 * 1 limit, Go's "v1" and "v1.2" shorthands, NuGet's fourth part and
 * case-insensitive labels). Precedence: major, minor, patch (and revision) as
 * numbers; a version with a prerelease is older than the same version without
 * one; prerelease identifiers compare pairwise, numbers numerically and below
 * alphanumerics, which compare in ASCII order; a shorter identifier list
 * that is a prefix of the other is older. Build metadata is ignored.
 * Numbers above 2^64 - 1 are rejected (node-semver rejects above 2^53 - 1).
 */
#include <stdbool.h>
#include <string.h>

#include "util/error.h"
#include "version/version_int.h"
#include "util/banned.h"

#define NODE_MAX_SAFE 9007199254740991ULL

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_ident(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c == '-';
}

/* A number at s[*i]: false on no digits, a leading zero or overflow. */
static bool number(const char *s, size_t n, size_t *i, uint64_t *v,
		   unsigned flags)
{
	size_t start = *i;
	uint64_t max = (flags & SV_NODE) ? NODE_MAX_SAFE : UINT64_MAX;

	*v = 0;
	while (*i < n && is_digit(s[*i])) {
		if (*v > (max - (uint64_t)(s[*i] - '0')) / 10)
			return false;
		*v = *v * 10 + (uint64_t)(s[*i] - '0');
		(*i)++;
	}
	if (*i == start)
		return false;
	return (flags & SV_FOUR) || s[start] != '0' || *i - start == 1;
}

/* Dot-separated identifiers up to '+' or the end; false when malformed. */
static bool idents(const char *s, size_t n, size_t *i, bool numeric_rule)
{
	size_t start;
	bool all_digits;

	for (;;) {
		start = *i;
		all_digits = true;
		while (*i < n && is_ident(s[*i])) {
			all_digits = all_digits && is_digit(s[*i]);
			(*i)++;
		}
		if (*i == start)
			return false;
		if (numeric_rule && all_digits && s[start] == '0' &&
		    *i - start > 1)
			return false;
		if (*i == n || s[*i] != '.')
			return true;
		(*i)++;
	}
}

static size_t core_parts(const char *s, size_t n, size_t *i, struct semver *v,
			 unsigned flags)
{
	size_t parts = 0, max = (flags & SV_FOUR) ? 4 : 3;

	for (;;) {
		if (!number(s, n, i, &v->num[parts], flags))
			return 0;
		parts++;
		if (parts == max || *i == n || s[*i] != '.')
			return parts;
		(*i)++;
	}
}

bool ver_semver_parse(struct semver *v, const char *s, size_t n, unsigned flags)
{
	size_t i = 0, parts, pre;

	memset(v, 0, sizeof(*v));
	if ((flags & SV_ALLOW_V) && n > 0 && s[0] == 'v')
		i++;
	parts = core_parts(s, n, &i, v, flags);
	if (parts == 0)
		return false;
	if (parts < 3 && !(flags & (SV_PARTIAL | SV_FOUR)))
		return false;
	if (i < n && s[i] == '-') {
		if (parts < 3 && (flags & SV_PARTIAL))
			return false;
		pre = ++i;
		if (!idents(s, n, &i, !(flags & SV_FOUR)))
			return false;
		v->pre = cslice_make(s + pre, i - pre);
	}
	if (i < n && s[i] == '+') {
		if (parts < 3 && (flags & SV_PARTIAL))
			return false;
		i++;
		if (!idents(s, n, &i, false))
			return false;
	}
	return i == n;
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool all_digits(struct cslice s)
{
	size_t i;

	for (i = 0; i < s.n; i++) {
		if (!is_digit(s.p[i]))
			return false;
	}
	return true;
}

static int ident_cmp(struct cslice a, struct cslice b, unsigned flags)
{
	bool an = all_digits(a), bn = all_digits(b);
	size_t i;
	char ca, cb;

	if (an && bn)
		return ver_numcmp(a.p, a.n, b.p, b.n);
	if (an != bn)
		return an ? -1 : 1;
	for (i = 0; i < a.n && i < b.n; i++) {
		ca = (flags & SV_NOCASE) ? lower(a.p[i]) : a.p[i];
		cb = (flags & SV_NOCASE) ? lower(b.p[i]) : b.p[i];
		if (ca != cb)
			return (unsigned char)ca < (unsigned char)cb ? -1 : 1;
	}
	return a.n == b.n ? 0 : (a.n < b.n ? -1 : 1);
}

/* Split off the next dot-separated identifier of *rest. */
static struct cslice next_ident(struct cslice *rest)
{
	const char *dot = memchr(rest->p, '.', rest->n);
	struct cslice id;

	id.p = rest->p;
	id.n = dot ? (size_t)(dot - rest->p) : rest->n;
	rest->p += dot ? id.n + 1 : id.n;
	rest->n -= dot ? id.n + 1 : id.n;
	return id;
}

static int pre_cmp(struct cslice a, struct cslice b, unsigned flags)
{
	int c;

	if (!a.n || !b.n)
		return a.n == b.n ? 0 : (a.n ? -1 : 1);
	while (a.n && b.n) {
		c = ident_cmp(next_ident(&a), next_ident(&b), flags);
		if (c)
			return c;
	}
	return a.n == b.n ? 0 : (a.n ? 1 : -1);
}

int ver_semver_order(const struct semver *a, const struct semver *b,
		     unsigned flags)
{
	int i;

	for (i = 0; i < 4; i++) {
		if (a->num[i] != b->num[i])
			return a->num[i] < b->num[i] ? -1 : 1;
	}
	return pre_cmp(a->pre, b->pre, flags);
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

int ver_semver_cmp_flags(const char *a, const char *b, int *out, unsigned flags,
			 const char *what, struct customs_ctx *ctx)
{
	struct semver va, vb;
	struct cslice sa = cslice_make(a, strlen(a));
	struct cslice sb = cslice_make(b, strlen(b));

	if (flags & SV_NODE) {
		while (sa.n && is_space(*sa.p))
			sa = cslice_make(sa.p + 1, sa.n - 1);
		while (sa.n && is_space(sa.p[sa.n - 1]))
			sa.n--;
		while (sb.n && is_space(*sb.p))
			sb = cslice_make(sb.p + 1, sb.n - 1);
		while (sb.n && is_space(sb.p[sb.n - 1]))
			sb.n--;
	}
	if (!ver_semver_parse(&va, sa.p, sa.n, flags))
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "%s version '%s': not valid", what, a);
	if (!ver_semver_parse(&vb, sb.p, sb.n, flags))
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "%s version '%s': not valid", what, b);
	*out = ver_semver_order(&va, &vb, flags);
	return 0;
}

int ver_semver_cmp(const char *a, const char *b, int *out,
		   struct customs_ctx *ctx)
{
	return ver_semver_cmp_flags(a, b, out, SV_ALLOW_V, "semver", ctx);
}

int ver_npm_cmp(const char *a, const char *b, int *out, struct customs_ctx *ctx)
{
	return ver_semver_cmp_flags(a, b, out, SV_ALLOW_V | SV_NODE, "npm",
				    ctx);
}
