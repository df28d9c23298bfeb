/*
 * npm version ranges as node-semver 7 (without loose mode or
 * includePrerelease). A range is "||"-separated comparator sets; a set is
 * a hyphen range "A - B" or blank-separated comparators, each desugared
 * into primitive comparators on full versions:
 *   1.2.x, 1.2, 1.x, *   x-ranges:  >=1.2.0 <1.3.0-0, ..., any
 *   ~1.2.3, ~1.2, ~1      >=1.2.3 <1.3.0-0, >=1.2.0 <1.3.0-0, <2.0.0-0
 *   ^1.2.3, ^0.2.3, ^0.0.3   upper bound at the first non-zero part
 *   >1.2 (x)              >=1.3.0; <=1.2 is <1.3.0-0; <1.x is <1.0.0-0
 *   1.2 - 2.3.4           >=1.2.0 <=2.3.4; "- 2.3" gives <2.4.0-0
 * A version is in a set when every comparator holds and, if the version
 * is a prerelease, some comparator of the set names a prerelease of the
 * same major.minor.patch. A set that is only "*" absorbs the whole range,
 * as in node-semver (so "* || >=1.0.0-a" does not match 1.0.0-b).
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "util/alloc.h"
#include "util/error.h"
#include "version/version_int.h"
#include "util/banned.h"

#define NPM_SV (SV_ALLOW_V | SV_NODE)

struct xr {
	bool x[3]; /* part is x, X, * or missing */
	uint64_t n[3];
	struct cslice pre;
	bool x_then_num; /* "1.x.3": only ~, ^ and hyphens accept it */
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

static bool is_x(struct cslice id)
{
	return id.n == 1 && (*id.p == 'x' || *id.p == 'X' || *id.p == '*');
}

/* An x-range like "1.2.x", "1", "*", "1.2.3-pre+b" (leading v allowed). */
static bool parse_xr(struct xr *x, struct cslice s)
{
	struct semver v;
	const char *dot;
	struct cslice id;
	size_t i;

	memset(x, 0, sizeof(*x));
	if (s.n && *s.p == 'v')
		s = cslice_make(s.p + 1, s.n - 1);
	if (ver_semver_parse(&v, s.p, s.n, SV_NODE)) {
		memcpy(x->n, v.num, sizeof(x->n));
		x->pre = v.pre;
		return true;
	}
	for (i = 0; i < 3; i++) {
		if (!s.n) {
			x->x[i] = true;
			continue;
		}
		dot = memchr(s.p, '.', s.n);
		id = cslice_make(s.p, dot ? (size_t)(dot - s.p) : s.n);
		s = dot ? cslice_make(dot + 1, s.n - id.n - 1)
			: cslice_make(s.p + s.n, 0);
		if (dot && !s.n)
			return false;
		if (is_x(id)) {
			x->x[i] = true;
		} else {
			x->x_then_num = x->x_then_num || (i > 0 && x->x[i - 1]);
			char buf[32];
			struct semver t;

			if (id.n >= sizeof(buf) - 4)
				return false;
			snprintf(buf, sizeof(buf), "%.*s.0.0", (int)id.n, id.p);
			if (!ver_semver_parse(&t, buf, strlen(buf), SV_NODE))
				return false;
			x->n[i] = t.num[0];
		}
		if (i > 0 && x->x[i - 1])
			x->x[i] = true;
	}
	return s.n == 0;
}

/* Append "op M.m.p[-pre]" to set. */
static int put(struct ver_set *set, enum ver_op op, uint64_t M, uint64_t m,
	       uint64_t p, struct cslice pre)
{
	char buf[CUSTOMS_VERSION_MAX_LEN + 80];
	int n;

	n = snprintf(buf, sizeof(buf),
		     "%" PRIu64 ".%" PRIu64 ".%" PRIu64 "%s%.*s", M, m, p,
		     pre.n ? "-" : "", (int)pre.n, pre.p);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return CUSTOMS_ELIMIT;
	return ver_set_add(set, op, buf, (size_t)n);
}

/* The first error of two appends (the order of a set does not matter). */
static int both(int rc1, int rc2)
{
	return rc1 ? rc1 : rc2;
}

static const struct cslice none = { "", 0 };
static const struct cslice zero = { "0", 1 };

static int tilde(struct ver_set *s, const struct xr *x)
{
	int rc;

	if (x->x[0])
		return ver_set_add(s, VOP_ANY, NULL, 0);
	if (x->x[1])
		return both(put(s, VOP_GE, x->n[0], 0, 0, none),
			    put(s, VOP_LT, x->n[0] + 1, 0, 0, zero));
	rc = put(s, VOP_GE, x->n[0], x->n[1], x->x[2] ? 0 : x->n[2],
		 x->x[2] ? none : x->pre);
	return rc ? rc : put(s, VOP_LT, x->n[0], x->n[1] + 1, 0, zero);
}

static int caret(struct ver_set *s, const struct xr *x)
{
	uint64_t M = x->n[0], m = x->n[1], p = x->n[2];
	int rc;

	if (x->x[0])
		return ver_set_add(s, VOP_ANY, NULL, 0);
	if (x->x[1])
		return both(put(s, VOP_GE, M, 0, 0, none),
			    put(s, VOP_LT, M + 1, 0, 0, zero));
	rc = put(s, VOP_GE, M, m, x->x[2] ? 0 : p, x->x[2] ? none : x->pre);
	if (rc)
		return rc;
	if (M != 0)
		return put(s, VOP_LT, M + 1, 0, 0, zero);
	if (m != 0 || x->x[2])
		return put(s, VOP_LT, 0, m + 1, 0, zero);
	return put(s, VOP_LT, 0, 0, p + 1, zero);
}

static int plain(struct ver_set *s, enum ver_op op, const struct xr *x)
{
	uint64_t M = x->n[0], m = x->n[1];

	if (!x->x[2])
		return put(s, op, M, m, x->n[2], x->pre);
	if (x->x[0])
		return ver_set_add(
			s, (op == VOP_LT || op == VOP_GT) ? VOP_NONE : VOP_ANY,
			NULL, 0);
	if (op == VOP_EQ) {
		if (x->x[1])
			return both(put(s, VOP_GE, M, 0, 0, none),
				    put(s, VOP_LT, M + 1, 0, 0, zero));
		return both(put(s, VOP_GE, M, m, 0, none),
			    put(s, VOP_LT, M, m + 1, 0, zero));
	}
	if (x->x[1])
		m = 0;
	if (op == VOP_GT || op == VOP_LE) {
		op = op == VOP_GT ? VOP_GE : VOP_LT;
		if (x->x[1])
			M++;
		else
			m++;
	}
	return put(s, op, M, m, 0, op == VOP_LT ? zero : none);
}

static int hyphen(struct ver_set *s, const struct xr *a, const struct xr *b)
{
	int rc = 0;

	if (!a->x[0])
		rc = put(s, VOP_GE, a->n[0], a->x[1] ? 0 : a->n[1],
			 a->x[2] ? 0 : a->n[2], a->x[2] ? none : a->pre);
	if (!rc && !b->x[0]) {
		if (b->x[1])
			rc = put(s, VOP_LT, b->n[0] + 1, 0, 0, zero);
		else if (b->x[2])
			rc = put(s, VOP_LT, b->n[0], b->n[1] + 1, 0, zero);
		else
			rc = put(s, VOP_LE, b->n[0], b->n[1], b->n[2], b->pre);
	}
	if (!rc && s->n == 0)
		rc = ver_set_add(s, VOP_ANY, NULL, 0);
	return rc;
}

enum nop { N_EQ, N_LT, N_LE, N_GT, N_GE, N_TILDE, N_CARET };

static enum nop read_op(struct cslice *t)
{
	static const struct {
		const char *s;
		enum nop op;
	} ops[] = {
		{ "~>", N_TILDE }, { "<=", N_LE },   { ">=", N_GE },
		{ "~", N_TILDE },  { "^", N_CARET }, { "<", N_LT },
		{ ">", N_GT },	   { "=", N_EQ },
	};
	size_t i, n;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		n = strlen(ops[i].s);
		if (t->n >= n && memcmp(t->p, ops[i].s, n) == 0) {
			t->p += n;
			t->n -= n;
			return ops[i].op;
		}
	}
	return N_EQ;
}

static int comparator(struct ver_set *s, enum nop op, const struct xr *x)
{
	static const enum ver_op plain_op[] = { [N_EQ] = VOP_EQ,
						[N_LT] = VOP_LT,
						[N_LE] = VOP_LE,
						[N_GT] = VOP_GT,
						[N_GE] = VOP_GE };

	if (op == N_TILDE)
		return tilde(s, x);
	if (op == N_CARET)
		return caret(s, x);
	if (x->x_then_num)
		return CUSTOMS_EFORMAT;
	return plain(s, plain_op[op], x);
}

/* The next blank-separated token of *p; n == 0 at the end. */
static struct cslice token(struct cslice *p)
{
	struct cslice t;

	while (p->n && is_space(*p->p))
		*p = cslice_make(p->p + 1, p->n - 1);
	t = cslice_make(p->p, 0);
	while (t.n < p->n && !is_space(p->p[t.n]))
		t.n++;
	*p = cslice_make(p->p + t.n, p->n - t.n);
	return t;
}

static bool try_hyphen(struct ver_set *s, struct cslice part, int *rc)
{
	struct cslice a = token(&part), dash = token(&part), b = token(&part);
	struct xr xa, xb;

	if (!cslice_eq(dash, "-") || token(&part).n || !parse_xr(&xa, a) ||
	    !parse_xr(&xb, b))
		return false;
	*rc = hyphen(s, &xa, &xb);
	return true;
}

static int part_parse(struct customs_version_range *r, struct cslice part,
		      struct customs_ctx *ctx)
{
	struct ver_set *s = ver_range_add_set(r);
	struct cslice t;
	struct xr x;
	enum nop op;
	int rc = 0;

	if (!s)
		return CUSTOMS_ENOMEM;
	if (try_hyphen(s, part, &rc))
		return rc;
	for (;;) {
		t = token(&part);
		if (!t.n)
			break;
		op = read_op(&t);
		if (!t.n && op != N_EQ)
			t = token(&part); /* "> 1.2.3" */
		if (!parse_xr(&x, t))
			return customs_error(ctx, CUSTOMS_EFORMAT,
					     "npm range: comparator '%.*s' is "
					     "not valid",
					     (int)t.n, t.p);
		rc = comparator(s, op, &x);
		if (rc == CUSTOMS_EFORMAT)
			return customs_error(ctx, rc,
					     "npm range: comparator '%.*s' is "
					     "not valid",
					     (int)t.n, t.p);
		if (rc)
			return rc;
	}
	if (s->n == 0)
		rc = ver_set_add(s, VOP_ANY, NULL, 0);
	return rc;
}

/* node-semver: a set that is only "*" absorbs the others. */
static void absorb_any(struct customs_version_range *r)
{
	size_t i, j;

	for (i = 0; i < r->n && r->n > 1; i++) {
		if (r->sets[i].n != 1 || r->sets[i].c[0].op != VOP_ANY)
			continue;
		for (j = 0; j < r->n; j++) {
			if (j != i) {
				while (r->sets[j].n)
					customs_free(r->sets[j]
							     .c[--r->sets[j].n]
							     .ver);
				customs_free(r->sets[j].c);
			}
		}
		r->sets[0] = r->sets[i];
		r->n = 1;
	}
}

int ver_npm_range_parse(struct customs_version_range *r, const char *expr,
			struct customs_ctx *ctx)
{
	const char *p = expr, *bar;
	int rc;

	for (;;) {
		bar = strstr(p, "||");
		rc = part_parse(
			r, cslice_make(p, bar ? (size_t)(bar - p) : strlen(p)),
			ctx);
		if (rc == CUSTOMS_ENOMEM)
			return customs_error(ctx, rc, "out of memory");
		if (rc == CUSTOMS_ELIMIT)
			return customs_error(ctx, rc, "npm range: too long");
		if (rc || !bar)
			break;
		p = bar + 2;
	}
	if (!rc)
		absorb_any(r);
	return rc;
}

static bool set_test(const struct ver_set *s, const struct semver *v,
		     struct cslice vs)
{
	struct semver c;
	bool pre_ok = v->pre.n == 0;
	size_t i;

	for (i = 0; i < s->n; i++) {
		if (s->c[i].op == VOP_ANY)
			continue;
		if (s->c[i].op == VOP_NONE)
			return false;
		/* built by us; may exceed node's limit by one (x.y.z + 1) */
		if (!ver_semver_parse(&c, s->c[i].ver, strlen(s->c[i].ver),
				      SV_ALLOW_V))
			return false;
		if (!ver_op_holds(s->c[i].op, ver_semver_order(v, &c, 0)))
			return false;
		if (c.pre.n && c.num[0] == v->num[0] && c.num[1] == v->num[1] &&
		    c.num[2] == v->num[2])
			pre_ok = true;
	}
	(void)vs;
	return pre_ok;
}

int ver_npm_range_contains(const struct customs_version_range *r,
			   const char *version, bool *out,
			   struct customs_ctx *ctx)
{
	struct cslice vs = cslice_trim(cslice_make(version, strlen(version)));
	struct semver v;
	size_t i;

	/* SEMVER ranges use node's syntax but SemVer's number limits */
	if (!ver_semver_parse(&v, vs.p, vs.n,
			      r->scheme == CUSTOMS_VERSION_NPM ? NPM_SV
							       : SV_ALLOW_V))
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "npm version '%s': not valid", version);
	*out = false;
	for (i = 0; i < r->n && !*out; i++)
		*out = set_test(&r->sets[i], &v, vs);
	return 0;
}
