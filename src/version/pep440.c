/*
 * Python versions (PEP 440) as pypa packaging's Version. A version is
 * [v][N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local], with the alternative
 * spellings packaging accepts (any case; alpha, beta, c, pre, preview;
 * rev, r, "-N" posts; "-", "_" or "." or nothing between parts; implicit
 * 0 numbers; surrounding blanks). Ordering is packaging's _cmpkey: epoch,
 * release with trailing zeros ignored, pre-release (a dev-only release
 * sorts before every pre-release of it, no pre-release after all),
 * post-release, dev-release, then the local label (none first; numeric
 * parts above alphanumeric ones). Specifiers are in pep440spec.c.
 */
#include <stdbool.h>
#include <string.h>

#include "util/buf.h"
#include "util/error.h"
#include "version/pep440_int.h"
#include "version/version_int.h"
#include "util/banned.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool is_alnum(char c)
{
	c = lower(c);
	return is_digit(c) || (c >= 'a' && c <= 'z');
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

static bool is_sep(char c)
{
	return c == '-' || c == '_' || c == '.';
}

struct cur {
	const char *p, *end;
};

/* Consume the literal word w (ignoring case) at c. */
static bool word(struct cur *c, const char *w)
{
	size_t n = strlen(w), i;

	if ((size_t)(c->end - c->p) < n)
		return false;
	for (i = 0; i < n; i++) {
		if (lower(c->p[i]) != w[i])
			return false;
	}
	c->p += n;
	return true;
}

static struct cslice digits(struct cur *c)
{
	const char *s = c->p;

	while (c->p < c->end && is_digit(*c->p))
		c->p++;
	return cslice_make(s, (size_t)(c->p - s));
}

static void opt_sep(struct cur *c)
{
	if (c->p < c->end && is_sep(*c->p))
		c->p++;
}

static bool parse_pre(struct pep *v, struct cur *c)
{
	static const struct {
		const char *w;
		int l;
	} labels[] = {
		{ "alpha", 0 }, { "beta", 1 }, { "preview", 2 }, { "pre", 2 },
		{ "rc", 2 },	{ "a", 0 },    { "b", 1 },	 { "c", 2 },
	};
	struct cur save = *c;
	size_t i;

	opt_sep(c);
	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		if (word(c, labels[i].w)) {
			v->pre_l = labels[i].l;
			opt_sep(c);
			v->pre_n = digits(c);
			return true;
		}
	}
	*c = save;
	return false;
}

static void parse_post(struct pep *v, struct cur *c)
{
	struct cur save = *c;

	if (c->p < c->end && *c->p == '-') {
		c->p++;
		v->post_n = digits(c);
		if (v->post_n.n) {
			v->post = true;
			return;
		}
		*c = save;
	}
	opt_sep(c);
	if (word(c, "post") || word(c, "rev") || word(c, "r")) {
		v->post = true;
		opt_sep(c);
		v->post_n = digits(c);
		return;
	}
	*c = save;
}

static void parse_dev(struct pep *v, struct cur *c)
{
	struct cur save = *c;

	opt_sep(c);
	if (word(c, "dev")) {
		v->dev = true;
		opt_sep(c);
		v->dev_n = digits(c);
		return;
	}
	*c = save;
}

static bool parse_local(struct pep *v, struct cur *c)
{
	const char *s;

	if (c->p == c->end || *c->p != '+')
		return true;
	s = ++c->p;
	for (;;) {
		if (c->p == c->end || !is_alnum(*c->p))
			return false;
		while (c->p < c->end && is_alnum(*c->p))
			c->p++;
		if (c->p == c->end || !is_sep(*c->p))
			break;
		c->p++;
	}
	v->has_local = true;
	v->local = cslice_make(s, (size_t)(c->p - s));
	return true;
}

/* Epoch and release: [v][N!]N(.N)* */
static bool parse_release(struct pep *v, struct cur *c)
{
	const char *s;

	if (c->p < c->end && lower(*c->p) == 'v')
		c->p++;
	s = c->p;
	v->epoch = digits(c);
	if (v->epoch.n && c->p < c->end && *c->p == '!') {
		s = ++c->p;
	} else {
		v->epoch = cslice_make("0", 1);
		c->p = s;
	}
	if (!digits(c).n)
		return false;
	while (c->end - c->p >= 2 && c->p[0] == '.' && is_digit(c->p[1])) {
		c->p++;
		digits(c);
	}
	v->rel = cslice_make(s, (size_t)(c->p - s));
	return true;
}

/* Parse s[0..n); wildcard: accept and report a trailing ".*". */
bool pep_parse(struct pep *v, const char *s, size_t n, bool *wildcard)
{
	struct cur c = { s, s + n };

	memset(v, 0, sizeof(*v));
	v->pre_l = -1;
	while (c.p < c.end && is_space(*c.p))
		c.p++;
	while (c.end > c.p && is_space(c.end[-1]))
		c.end--;
	if (!parse_release(v, &c))
		return false;
	if (wildcard) {
		*wildcard = c.end - c.p == 2 && c.p[0] == '.' && c.p[1] == '*';
		if (*wildcard)
			return true;
	}
	parse_pre(v, &c);
	parse_post(v, &c);
	parse_dev(v, &c);
	if (!parse_local(v, &c))
		return false;
	return c.p == c.end;
}

int pep_parse_err(struct pep *v, const char *s, struct customs_ctx *ctx)
{
	if (pep_parse(v, s, strlen(s), NULL))
		return 0;
	return customs_error(ctx, CUSTOMS_EFORMAT,
			     "pep440 version '%s': not valid", s);
}

/* The next dot-separated number of *rel ("0" past the end). */
struct cslice pep_next_num(struct cslice *rel)
{
	const char *dot;
	struct cslice n;

	if (!rel->n)
		return cslice_make("0", 1);
	dot = memchr(rel->p, '.', rel->n);
	n = cslice_make(rel->p, dot ? (size_t)(dot - rel->p) : rel->n);
	rel->p += dot ? n.n + 1 : n.n;
	rel->n -= dot ? n.n + 1 : n.n;
	return n;
}

/* Compare releases padded with zeros; limit: only the first limit parts. */
int pep_rel_cmp(struct cslice a, struct cslice b, size_t limit)
{
	struct cslice x, y;
	size_t i;
	int c;

	for (i = 0; (a.n || b.n) && i < limit; i++) {
		x = pep_next_num(&a);
		y = pep_next_num(&b);
		c = ver_numcmp(x.p, x.n, y.p, y.n);
		if (c)
			return c;
	}
	return 0;
}

static int num_cmp(struct cslice a, struct cslice b)
{
	return ver_numcmp(a.p, a.n, b.p, b.n);
}

/* The pre-release key: -2 before all, 2 after all, 0 compare values. */
static int pre_rank(const struct pep *v)
{
	if (v->pre_l < 0 && !v->post && v->dev)
		return -2;
	return v->pre_l < 0 ? 2 : 0;
}

static int local_part_cmp(struct cslice a, struct cslice b)
{
	bool an = true, bn = true;
	size_t i;

	for (i = 0; i < a.n; i++)
		an = an && is_digit(a.p[i]);
	for (i = 0; i < b.n; i++)
		bn = bn && is_digit(b.p[i]);
	if (an && bn)
		return num_cmp(a, b);
	if (an != bn)
		return an ? 1 : -1;
	for (i = 0; i < a.n && i < b.n; i++) {
		if (lower(a.p[i]) != lower(b.p[i]))
			return lower(a.p[i]) < lower(b.p[i]) ? -1 : 1;
	}
	return a.n == b.n ? 0 : (a.n < b.n ? -1 : 1);
}

static struct cslice next_local(struct cslice *l)
{
	size_t i = 0;
	struct cslice part;

	while (i < l->n && !is_sep(l->p[i]))
		i++;
	part = cslice_make(l->p, i);
	l->p += i < l->n ? i + 1 : i;
	l->n -= i < l->n ? i + 1 : i;
	return part;
}

static int local_cmp(const struct pep *a, const struct pep *b)
{
	struct cslice x = a->local, y = b->local;
	int c;

	if (!a->has_local || !b->has_local)
		return a->has_local == b->has_local ? 0
						    : (a->has_local ? 1 : -1);
	while (x.n && y.n) {
		c = local_part_cmp(next_local(&x), next_local(&y));
		if (c)
			return c;
	}
	return x.n == y.n ? 0 : (x.n ? 1 : -1);
}

/* packaging's _cmpkey order; with_local false compares public parts. */
int pep_order(const struct pep *a, const struct pep *b, bool with_local)
{
	int c;

	c = num_cmp(a->epoch, b->epoch);
	if (!c)
		c = pep_rel_cmp(a->rel, b->rel, (size_t)-1);
	if (!c)
		c = ver_sign(pre_rank(a) - pre_rank(b));
	if (!c && pre_rank(a) == 0) {
		c = ver_sign(a->pre_l - b->pre_l);
		if (!c)
			c = num_cmp(a->pre_n, b->pre_n);
	}
	if (!c && (a->post != b->post))
		c = a->post ? 1 : -1;
	if (!c && a->post)
		c = num_cmp(a->post_n, b->post_n);
	if (!c && (a->dev != b->dev))
		c = a->dev ? -1 : 1;
	if (!c && a->dev)
		c = num_cmp(a->dev_n, b->dev_n);
	if (!c && with_local)
		c = local_cmp(a, b);
	return c;
}

int ver_pep440_cmp(const char *a, const char *b, int *out,
		   struct customs_ctx *ctx)
{
	struct pep va, vb;
	int rc;

	rc = pep_parse_err(&va, a, ctx);
	if (!rc)
		rc = pep_parse_err(&vb, b, ctx);
	if (rc)
		return rc;
	*out = pep_order(&va, &vb, true);
	return 0;
}
