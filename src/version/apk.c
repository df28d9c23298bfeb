/*
 * Alpine apk version ordering, as current apk-tools (version.c of 2.14
 * and 3.x). A version is digit{.digit}...{letter}{_suffix{digits}}...
 * {~hash}{-rN}, read as a token stream; each token kind may only follow
 * certain kinds, and a byte out of place makes the rest one invalid
 * token. Both strings are walked while their token kinds agree:
 *   - the first number and suffix or revision numbers compare as numbers;
 *   - a later dotted number compares as a number, unless either side
 *     starts with "0": then as a string (Gentoo's rule, 1.02 < 1.1);
 *   - letters by byte; suffixes _alpha < _beta < _pre < _rc < (none) <
 *     _cvs < _svn < _git < _hg < _p; commit hashes as strings.
 * When the kinds differ, a pre-release suffix (_alpha .. _rc) is older,
 * otherwise the side whose next token kind comes later (the end of the
 * string is last) is older: 1.0 < 1.0.1 < 1.0.1-r1, 1.0_rc1 < 1.0.
 * Like apk-tools this compares invalid strings too; only the empty
 * string is rejected. Numbers saturate instead of overflowing.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "util/error.h"
#include "version/version_int.h"
#include "util/banned.h"

enum tok {
	T_INITIAL_DIGIT,
	T_DIGIT,
	T_LETTER,
	T_SUFFIX,
	T_SUFFIX_NO,
	T_COMMIT_HASH,
	T_REVISION_NO,
	T_END,
	T_INVALID,
};

/* Suffix weights; S_NONE is "no suffix", the pre-release ones below it. */
enum {
	S_INVALID,
	S_ALPHA,
	S_BETA,
	S_PRE,
	S_RC,
	S_NONE,
	S_CVS,
	S_SVN,
	S_GIT,
	S_HG,
	S_P
};

static const char *const suffixes[] = {
	[S_ALPHA] = "alpha", [S_BETA] = "beta", [S_PRE] = "pre",
	[S_RC] = "rc",	     [S_CVS] = "cvs",	[S_SVN] = "svn",
	[S_GIT] = "git",     [S_HG] = "hg",	[S_P] = "p",
};

struct tstate {
	enum tok tok;
	int suffix;
	uint64_t num;
	struct cslice val;
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static bool is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f');
}

static void skip(struct cslice *s, size_t n)
{
	s->p += n;
	s->n -= n;
}

/* The longest prefix of *s whose bytes pass ok(), cut from *s. */
static struct cslice span(struct cslice *s, bool (*ok)(char))
{
	size_t i = 0;
	struct cslice r;

	while (i < s->n && ok(s->p[i]))
		i++;
	r = cslice_make(s->p, i);
	skip(s, i);
	return r;
}

static void parse_digits(struct tstate *t, struct cslice *s)
{
	size_t i;

	t->val = span(s, is_digit);
	t->num = 0;
	for (i = 0; i < t->val.n; i++) {
		if (t->num < UINT64_MAX / 16)
			t->num = t->num * 10 + (uint64_t)(t->val.p[i] - '0');
	}
	if (!t->val.n)
		t->tok = T_INVALID;
}

static int suffix_value(struct cslice v)
{
	int i;

	for (i = S_ALPHA; i <= S_P; i++) {
		if (suffixes[i] && cslice_eq(v, suffixes[i]))
			return i;
	}
	return S_INVALID;
}

static void number_token(struct tstate *t, struct cslice *s)
{
	if (t->tok == T_INITIAL_DIGIT || t->tok == T_DIGIT)
		t->tok = T_DIGIT;
	else if (t->tok == T_SUFFIX)
		t->tok = T_SUFFIX_NO;
	else {
		t->tok = T_INVALID;
		return;
	}
	parse_digits(t, s);
}

static void next_token(struct tstate *t, struct cslice *s)
{
	char c = s->n ? *s->p : 0;

	if (!s->n) {
		t->tok = T_END;
	} else if (is_lower(c) && t->tok <= T_DIGIT) {
		t->val = cslice_make(s->p, 1);
		t->tok = T_LETTER;
		skip(s, 1);
	} else if (c == '.' && t->tok <= T_DIGIT) {
		skip(s, 1);
		number_token(t, s);
	} else if (is_digit(c)) {
		number_token(t, s);
	} else if (c == '_' && t->tok <= T_SUFFIX_NO) {
		skip(s, 1);
		t->val = span(s, is_lower);
		t->suffix = suffix_value(t->val);
		t->tok = t->suffix == S_INVALID ? T_INVALID : T_SUFFIX;
	} else if (c == '~' && t->tok < T_COMMIT_HASH) {
		skip(s, 1);
		t->val = span(s, is_hex);
		t->tok = t->val.n ? T_COMMIT_HASH : T_INVALID;
	} else if (c == '-' && t->tok < T_REVISION_NO && s->n > 1 &&
		   s->p[1] == 'r') {
		skip(s, 2);
		t->tok = T_REVISION_NO;
		parse_digits(t, s);
	} else {
		t->tok = T_INVALID;
	}
}

static int string_sort(struct cslice a, struct cslice b)
{
	int c = memcmp(a.p, b.p, a.n < b.n ? a.n : b.n);

	if (c)
		return ver_sign(c);
	return a.n == b.n ? 0 : (a.n < b.n ? -1 : 1);
}

static int unum(uint64_t a, uint64_t b)
{
	return a == b ? 0 : (a < b ? -1 : 1);
}

static int token_cmp(const struct tstate *a, const struct tstate *b)
{
	switch (a->tok) {
	case T_DIGIT:
		if (a->val.p[0] == '0' || b->val.p[0] == '0')
			return string_sort(a->val, b->val);
		return unum(a->num, b->num);
	case T_INITIAL_DIGIT:
	case T_SUFFIX_NO:
	case T_REVISION_NO:
		return unum(a->num, b->num);
	case T_LETTER:
		return unum((unsigned char)a->val.p[0],
			    (unsigned char)b->val.p[0]);
	case T_SUFFIX:
		return unum((uint64_t)a->suffix, (uint64_t)b->suffix);
	default:
		return string_sort(a->val, b->val);
	}
}

static int compare(struct cslice a, struct cslice b)
{
	struct tstate ta = { T_INITIAL_DIGIT, 0, 0, { "", 0 } };
	struct tstate tb = ta;
	int c;

	parse_digits(&ta, &a);
	parse_digits(&tb, &b);
	while (ta.tok == tb.tok && ta.tok < T_END) {
		c = token_cmp(&ta, &tb);
		if (c)
			return c;
		next_token(&ta, &a);
		next_token(&tb, &b);
	}
	if (ta.tok == tb.tok)
		return 0;
	if (ta.tok == T_SUFFIX && ta.suffix < S_NONE)
		return -1;
	if (tb.tok == T_SUFFIX && tb.suffix < S_NONE)
		return 1;
	return ta.tok > tb.tok ? -1 : 1;
}

int ver_apk_cmp(const char *a, const char *b, int *out, struct customs_ctx *ctx)
{
	if (!*a || !*b)
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "apk version '': empty");
	*out = compare(cslice_make(a, strlen(a)), cslice_make(b, strlen(b)));
	return 0;
}
