/*
 * Alpine apk version ordering, as apk-tools' version.c. A version is
 * digits{.digits}[letter]{_suffix[digits]}[-rN], read as a token stream
 * (number, letter, suffix, suffix number, revision). Both strings are
 * walked token by token while the token types and values agree; the first
 * differing value decides. Suffixes weigh _alpha < _beta < _pre < _rc <
 * (nothing) < _cvs < _svn < _git < _hg < _p. A component after a dot that
 * starts with zeros counts the zeros negatively, so 1.02 < 1.1 as in
 * apk. When one string ends first, the longer one is newer unless what it
 * has left is a pre-release suffix. Like apk-tools this compares invalid
 * strings too (the token stream just stops at the bad byte); only the
 * empty string is rejected. Values saturate instead of overflowing.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "util/error.h"
#include "version/version_int.h"
#include "util/banned.h"

enum tok {
	T_INVALID = -1,
	T_DIGIT_OR_ZERO,
	T_DIGIT,
	T_LETTER,
	T_SUFFIX,
	T_SUFFIX_NO,
	T_REVISION_NO,
	T_END,
};

static const char *const pre_suffixes[] = { "alpha", "beta", "pre", "rc" };
static const char *const post_suffixes[] = { "cvs", "svn", "git", "hg", "p" };

#define N_PRE ((int64_t)(sizeof(pre_suffixes) / sizeof(pre_suffixes[0])))
#define N_POST ((int64_t)(sizeof(post_suffixes) / sizeof(post_suffixes[0])))

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static void skip(struct cslice *s, size_t n)
{
	s->p += n;
	s->n -= n;
}

static enum tok next_type(enum tok t, struct cslice *s)
{
	enum tok n = T_INVALID;

	if (s->n == 0) {
		n = T_END;
	} else if ((t == T_DIGIT || t == T_DIGIT_OR_ZERO) && is_lower(*s->p)) {
		n = T_LETTER;
	} else if (t == T_LETTER && is_digit(*s->p)) {
		n = T_DIGIT;
	} else if (t == T_SUFFIX && is_digit(*s->p)) {
		n = T_SUFFIX_NO;
	} else {
		if (*s->p == '.') {
			n = T_DIGIT_OR_ZERO;
		} else if (*s->p == '_') {
			n = T_SUFFIX;
		} else if (*s->p == '-' && s->n > 1 && s->p[1] == 'r') {
			n = T_REVISION_NO;
			skip(s, 1);
		}
		skip(s, 1);
	}
	if (n < t && !((n == T_DIGIT_OR_ZERO && t == T_DIGIT) ||
		       (n == T_SUFFIX && t == T_SUFFIX_NO) ||
		       (n == T_DIGIT && t == T_LETTER)))
		n = T_INVALID;
	return n;
}

static size_t digits(struct cslice s, int64_t *v)
{
	size_t i = 0;

	*v = 0;
	while (i < s.n && is_digit(s.p[i])) {
		if (*v < INT64_MAX / 16)
			*v = *v * 10 + (s.p[i] - '0');
		i++;
	}
	return i;
}

/* -1 when no suffix name matches at s, else the index into names. */
static int64_t suffix(struct cslice s, const char *const *names, int64_t n,
		      size_t *len)
{
	int64_t v;

	for (v = 0; v < n; v++) {
		*len = strlen(names[v]);
		if (*len <= s.n && memcmp(names[v], s.p, *len) == 0)
			return v;
	}
	return -1;
}

/* Read one token of type *t from s: its value; *t becomes the next type. */
static int64_t get_token(enum tok *t, struct cslice *s)
{
	enum tok nt = T_INVALID;
	int64_t v = 0;
	size_t i = 0;

	if (s->n == 0) {
		*t = T_END;
		return 0;
	}
	switch (*t) {
	case T_DIGIT_OR_ZERO:
		if (*s->p == '0') {
			while (i < s->n && s->p[i] == '0')
				i++;
			nt = T_DIGIT;
			v = -(int64_t)i;
			break;
		}
		/* no leading zero: an ordinary number */
		__attribute__((fallthrough));
	case T_DIGIT:
	case T_SUFFIX_NO:
	case T_REVISION_NO:
		i = digits(*s, &v);
		break;
	case T_LETTER:
		v = (unsigned char)s->p[i++];
		break;
	case T_SUFFIX:
		v = suffix(*s, pre_suffixes, N_PRE, &i);
		if (v >= 0) {
			v -= N_PRE;
			break;
		}
		v = suffix(*s, post_suffixes, N_POST, &i);
		if (v >= 0)
			break;
		/* an unknown suffix */
		__attribute__((fallthrough));
	default:
		*t = T_INVALID;
		return -1;
	}
	skip(s, i);
	if (s->n == 0)
		*t = T_END;
	else if (nt != T_INVALID)
		*t = nt;
	else
		*t = next_type(*t, s);
	return v;
}

static int compare(struct cslice a, struct cslice b)
{
	enum tok at = T_DIGIT, bt = T_DIGIT, tt;
	int64_t av = 0, bv = 0;

	while (at == bt && at != T_END && at != T_INVALID && av == bv) {
		av = get_token(&at, &a);
		bv = get_token(&bt, &b);
	}
	if (av != bv)
		return av < bv ? -1 : 1;
	if (at == bt)
		return 0;
	/* the longer one is newer unless it goes on with a pre-release */
	tt = at;
	if (at == T_SUFFIX && get_token(&tt, &a) < 0)
		return -1;
	tt = bt;
	if (bt == T_SUFFIX && get_token(&tt, &b) < 0)
		return 1;
	if (at > bt)
		return -1;
	if (bt > at)
		return 1;
	return 0;
}

int ver_apk_cmp(const char *a, const char *b, int *out, struct customs_ctx *ctx)
{
	if (!*a || !*b)
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "apk version '': empty");
	*out = compare(cslice_make(a, strlen(a)), cslice_make(b, strlen(b)));
	return 0;
}
