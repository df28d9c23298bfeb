/*
 * Maven versions as org.apache.maven.artifact.versioning.ComparableVersion
 * (Maven 3.8), and Maven's version range syntax.
 *
 * A version is lower-cased and cut into items at ".", at "-" and at each
 * switch between digits and letters. "-" and a digit/letter switch open a
 * sub-list that holds the rest, so a parsed version is a chain of lists:
 * 1.0-rc1 is [1, [rc, [1]]]. A word that follows items and is followed
 * by a digit or ends the version also opens a sub-list (Maven 3.8 reads
 * 1.0.x1 as 1-x-1). Numbers compare as numbers; words compare
 * by qualifier rank: alpha (a followed by a digit) < beta (b) < milestone
 * (m) < rc = cr < snapshot < "" = ga = final = release < sp < any other
 * word, the others in string order. Each list drops its trailing "null"
 * items (0, a release word, an empty list) from the innermost out, so
 * 1.0.0 = 1 and 1-ga = 1. Lists compare item by item; a missing item
 * compares as null: a number > null when non-zero, a word by its rank
 * against release, a list by its first item that is not equal to null. Across
 * types a number is newer than a list, which is newer than a word.
 *
 * Ranges: "[1.0,2.0)", "(,1.0]", "[1.2,)", "[1.0]" and unions of them
 * separated by commas; as Maven's VersionRange, bounds must be in order
 * and the restrictions must not overlap. A bare version is not a Maven range
 * here: the caller's comparator list reads it as "= version".
 */
#include <stdbool.h>
#include <string.h>

#include "util/alloc.h"
#include "util/error.h"
#include "version/version_int.h"
#include "util/banned.h"

enum mtype { M_INT, M_STR, M_LIST, M_NULL };

struct mitem {
	enum mtype type;
	struct cslice s; /* digits without leading zeros, or a word */
	char key[16]; /* M_STR: qualifier rank "0".."6" or "7" + word */
};

struct mlist {
	size_t start, n; /* items[start .. start + n) */
	bool sub; /* the next list is this list's last element */
};

struct mver {
	struct mitem *items;
	struct mlist *lists;
	size_t nitems, nlists;
	char *low; /* the lower-cased copy the slices point into */
};

static const char *const quals[] = { "alpha",	 "beta", "milestone", "rc",
				     "snapshot", "",	 "sp" };

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static void word_item(struct mitem *it, struct cslice w, bool before_digit)
{
	static const char *const abbr[] = { "alpha", "beta", "milestone" };
	size_t i;

	it->type = M_STR;
	if (before_digit && w.n == 1 &&
	    (*w.p == 'a' || *w.p == 'b' || *w.p == 'm'))
		w = cslice_make(abbr[*w.p == 'a'   ? 0
				     : *w.p == 'b' ? 1
						   : 2],
				strlen(abbr[*w.p == 'a'	  ? 0
					    : *w.p == 'b' ? 1
							  : 2]));
	if (cslice_eq(w, "ga") || cslice_eq(w, "final") ||
	    cslice_eq(w, "release"))
		w = cslice_make("", 0);
	else if (cslice_eq(w, "cr"))
		w = cslice_make("rc", 2);
	it->s = w;
	for (i = 0; i < sizeof(quals) / sizeof(quals[0]); i++) {
		if (cslice_eq(w, quals[i])) {
			it->key[0] = (char)('0' + i);
			return;
		}
	}
	it->key[0] = '7';
}

static void add_item(struct mver *v, const char *p, size_t n, bool digit,
		     bool before_digit)
{
	struct mitem *it = &v->items[v->nitems++];

	memset(it, 0, sizeof(*it));
	v->lists[v->nlists - 1].n++;
	if (!digit) {
		word_item(it, cslice_make(p, n), before_digit);
		return;
	}
	while (n > 0 && *p == '0') {
		p++;
		n--;
	}
	it->type = M_INT;
	it->s = cslice_make(p, n);
}

static void open_list(struct mver *v)
{
	v->lists[v->nlists - 1].sub = true;
	v->lists[v->nlists].start = v->nitems;
	v->lists[v->nlists].n = 0;
	v->lists[v->nlists].sub = false;
	v->nlists++;
}

static bool is_null(const struct mitem *it)
{
	return it->type == M_INT ? it->s.n == 0
				 : it->type == M_STR && it->key[0] == '5';
}

static void normalise(struct mver *v)
{
	size_t i = v->nlists;
	struct mlist *l;

	while (i-- > 0) {
		l = &v->lists[i];
		if (l->sub && v->lists[i + 1].n == 0 && !v->lists[i + 1].sub)
			l->sub = false;
		while (l->n > 0 && is_null(&v->items[l->start + l->n - 1]))
			l->n--;
	}
}

static void tokenise(struct mver *v, const char *s, size_t n)
{
	size_t i, start = 0;
	bool digit = false;

	for (i = 0; i < n; i++) {
		if (s[i] == '.' || s[i] == '-') {
			if (i == start)
				add_item(v, "0", 1, true, false);
			else
				add_item(v, s + start, i - start, digit, false);
			start = i + 1;
			if (s[i] == '-')
				open_list(v);
		} else if (is_digit(s[i])) {
			if (!digit && i > start) {
				/* Maven 3.8 reads ".X1" as "-X1" */
				if (v->lists[v->nlists - 1].n)
					open_list(v);
				add_item(v, s + start, i - start, false, true);
				start = i;
				open_list(v);
			}
			digit = true;
		} else {
			if (digit && i > start) {
				add_item(v, s + start, i - start, true, false);
				start = i;
				open_list(v);
			}
			digit = false;
		}
	}
	if (n > start) {
		if (!digit && v->lists[v->nlists - 1].n)
			open_list(v);
		add_item(v, s + start, n - start, digit, false);
	}
}

static void mver_release(struct mver *v)
{
	customs_free(v->items);
	customs_free(v->lists);
	customs_free(v->low);
}

static int mver_parse(struct mver *v, const char *s, struct customs_ctx *ctx)
{
	size_t n = strlen(s), i;

	memset(v, 0, sizeof(*v));
	v->items = customs_calloc(n + 2, sizeof(*v->items));
	v->lists = customs_calloc(n + 2, sizeof(*v->lists));
	v->low = customs_strdup(s);
	if (!v->items || !v->lists || !v->low) {
		mver_release(v);
		return customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	}
	for (i = 0; i < n; i++) {
		if (v->low[i] >= 'A' && v->low[i] <= 'Z')
			v->low[i] = (char)(v->low[i] - 'A' + 'a');
	}
	v->nlists = 1;
	tokenise(v, v->low, n);
	normalise(v);
	return 0;
}

/* Element k of list li: an item, the sub-list (M_LIST) or M_NULL. */
static struct mitem elem(const struct mver *v, size_t li, size_t k, size_t *sub)
{
	const struct mlist *l = &v->lists[li];
	struct mitem it;

	memset(&it, 0, sizeof(it));
	it.type = M_NULL;
	if (k < l->n)
		return v->items[l->start + k];
	if (k == l->n && l->sub) {
		it.type = M_LIST;
		*sub = li + 1;
	}
	return it;
}

static int item_cmp(const struct mver *a, const struct mitem *x, size_t xl,
		    const struct mver *b, const struct mitem *y, size_t yl);

static int list_cmp(const struct mver *a, size_t al, const struct mver *b,
		    size_t bl)
{
	struct mitem x, y;
	size_t k, xl = 0, yl = 0;
	int c;

	for (k = 0;; k++) {
		x = elem(a, al, k, &xl);
		y = elem(b, bl, k, &yl);
		if (x.type == M_NULL && y.type == M_NULL)
			return 0;
		if (x.type == M_NULL)
			c = -item_cmp(b, &y, yl, a, &x, xl);
		else
			c = item_cmp(a, &x, xl, b, &y, yl);
		if (c)
			return c;
	}
}

static int key_cmp(const struct mitem *x, const char *key, struct cslice s)
{
	int c = (unsigned char)x->key[0] - (unsigned char)key[0];

	if (c || x->key[0] != '7' || key[0] != '7')
		return ver_sign(c);
	c = memcmp(x->s.p, s.p, x->s.n < s.n ? x->s.n : s.n);
	if (!c)
		c = x->s.n == s.n ? 0 : (x->s.n < s.n ? -1 : 1);
	return ver_sign(c);
}

/* x compared with y; y may be M_NULL. xl, yl: list index for M_LIST. */
static int item_cmp(const struct mver *a, const struct mitem *x, size_t xl,
		    const struct mver *b, const struct mitem *y, size_t yl)
{
	static const int rank[] = { [M_INT] = 2, [M_STR] = 0, [M_LIST] = 1 };
	struct mitem first;
	size_t fl = 0, k;
	int c;

	if (y->type == M_NULL) {
		if (x->type == M_INT)
			return x->s.n ? 1 : 0;
		if (x->type == M_STR)
			return key_cmp(x, "5", cslice_make("", 0));
		/* the whole list against null, not only its first item
		 * (MNG-6964, Maven 3.8.2) */
		for (k = 0;; k++) {
			first = elem(a, xl, k, &fl);
			if (first.type == M_NULL)
				return 0;
			c = item_cmp(a, &first, fl, b, y, yl);
			if (c)
				return c;
		}
	}
	if (x->type != y->type)
		return rank[x->type] < rank[y->type] ? -1 : 1;
	if (x->type == M_INT)
		return ver_numcmp(x->s.p, x->s.n, y->s.p, y->s.n);
	if (x->type == M_STR)
		return key_cmp(x, y->key, y->s);
	return list_cmp(a, xl, b, yl);
}

int ver_maven_cmp(const char *a, const char *b, int *out,
		  struct customs_ctx *ctx)
{
	struct mver va, vb;
	int rc;

	rc = mver_parse(&va, a, ctx);
	if (rc)
		return rc;
	rc = mver_parse(&vb, b, ctx);
	if (rc) {
		mver_release(&va);
		return rc;
	}
	*out = list_cmp(&va, 0, &vb, 0);
	mver_release(&va);
	mver_release(&vb);
	return 0;
}

/* --- ranges --- */

static int bound(struct ver_set *set, enum ver_op op, struct cslice v,
		 struct customs_ctx *ctx)
{
	v = cslice_trim(v);
	if (!v.n)
		return 0;
	if (ver_set_add(set, op, v.p, v.n))
		return customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	return 0;
}

static int restriction(struct customs_version_range *r, const char *p,
		       const char *close, struct customs_ctx *ctx)
{
	struct ver_set *set = ver_range_add_set(r);
	const char *comma = memchr(p + 1, ',', (size_t)(close - p - 1));
	bool lo_in = *p == '[', hi_in = *close == ']';
	int rc;

	if (!set)
		return customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	if (!comma) {
		if (!lo_in || !hi_in ||
		    !cslice_trim(cslice_make(p + 1, (size_t)(close - p - 1))).n)
			return CUSTOMS_EFORMAT;
		return bound(set, VOP_EQ,
			     cslice_make(p + 1, (size_t)(close - p - 1)), ctx);
	}
	if (memchr(comma + 1, ',', (size_t)(close - comma - 1)))
		return CUSTOMS_EFORMAT;
	rc = bound(set, lo_in ? VOP_GE : VOP_GT,
		   cslice_make(p + 1, (size_t)(comma - p - 1)), ctx);
	if (!rc)
		rc = bound(set, hi_in ? VOP_LE : VOP_LT,
			   cslice_make(comma + 1, (size_t)(close - comma - 1)),
			   ctx);
	if (!rc && set->n == 0)
		rc = ver_set_add(set, VOP_ANY, NULL, 0);
	return rc;
}

/* The lower and upper bound of set (NULL when unbounded). */
static void set_bounds(const struct ver_set *set, const char **lo,
		       const char **hi)
{
	size_t i;

	*lo = *hi = NULL;
	for (i = 0; i < set->n; i++) {
		if (set->c[i].op == VOP_EQ || set->c[i].op == VOP_GE ||
		    set->c[i].op == VOP_GT)
			*lo = set->c[i].ver;
		if (set->c[i].op == VOP_EQ || set->c[i].op == VOP_LE ||
		    set->c[i].op == VOP_LT)
			*hi = set->c[i].ver;
	}
}

static bool inclusive(const struct ver_set *set)
{
	size_t i;

	for (i = 0; i < set->n; i++) {
		if (set->c[i].op == VOP_GT || set->c[i].op == VOP_LT)
			return false;
	}
	return true;
}

/*
 * Maven's VersionRange rules: a restriction's bounds must be in order,
 * equal bounds must both be inclusive, and each restriction after one
 * with an upper bound must start at or
 * above that bound ("ranges overlap").
 */
static int check_order(const struct customs_version_range *r,
		       const char **prev_hi)
{
	const char *lo, *hi;
	int c = 0, rc;

	set_bounds(&r->sets[r->n - 1], &lo, &hi);
	if (lo && hi) {
		rc = ver_maven_cmp(lo, hi, &c, NULL);
		if (rc || c > 0)
			return rc ? rc : CUSTOMS_EFORMAT;
		/* equal bounds must both be inclusive: [1.0,1.0] */
		if (c == 0 && !inclusive(&r->sets[r->n - 1]))
			return CUSTOMS_EFORMAT;
	}
	if (r->n > 1 && *prev_hi) {
		if (!lo)
			return CUSTOMS_EFORMAT;
		rc = ver_maven_cmp(lo, *prev_hi, &c, NULL);
		if (rc || c < 0)
			return rc ? rc : CUSTOMS_EFORMAT;
	}
	*prev_hi = hi;
	return 0;
}

int ver_maven_range_parse(struct customs_version_range *r, const char *expr,
			  struct customs_ctx *ctx)
{
	const char *p = expr, *close, *open, *prev_hi = NULL;
	int rc;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '[' && *p != '(')
		return CUSTOMS_ENOTFOUND;
	while (*p) {
		close = strpbrk(p + 1, "])");
		open = strpbrk(p + 1, "[(");
		rc = close && (!open || open > close) ? 0 : CUSTOMS_EFORMAT;
		if (!rc)
			rc = restriction(r, p, close, ctx);
		if (!rc)
			rc = check_order(r, &prev_hi);
		if (rc)
			return rc == CUSTOMS_EFORMAT
				       ? customs_error(ctx, rc,
						       "maven range '%s': not "
						       "valid",
						       expr)
				       : rc;
		for (p = close + 1; *p == ' ' || *p == ','; p++)
			;
		if (*p && *p != '[' && *p != '(')
			return customs_error(ctx, CUSTOMS_EFORMAT,
					     "maven range '%s': not valid",
					     expr);
	}
	return 0;
}
