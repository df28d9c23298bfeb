/*
 * PEP 440 specifier sets, evaluated as pypa packaging's
 * SpecifierSet.contains(): a prerelease matches only when some
 * specifier's version is a prerelease; "<V" does not match a prerelease
 * of V, ">V" neither a post-release nor a local version of V; "=="
 * ignores the candidate's local label unless the specifier has one;
 * "==V.*" compares the release prefix; "~=V" is ">=V, ==V'.*" with V' =
 * V without its last release number; "===" is a case-insensitive string
 * match against the normalised candidate. Prefix matches (==V.*, ~=)
 * compare epochs, as PEP 440 says; packaging 23.0 ignores the
 * candidate's epoch there (docs/internals/versions.md).
 */
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/error.h"
#include "version/pep440_int.h"
#include "version/version_int.h"
#include "util/banned.h"

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
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

static int num_cmp(struct cslice a, struct cslice b)
{
	return ver_numcmp(a.p, a.n, b.p, b.n);
}

static bool is_prerelease(const struct pep *v)
{
	return v->pre_l >= 0 || v->dev;
}

static bool same_base(const struct pep *a, const struct pep *b)
{
	return num_cmp(a->epoch, b->epoch) == 0 &&
	       pep_rel_cmp(a->rel, b->rel, (size_t)-1) == 0;
}

static size_t rel_count(struct cslice rel)
{
	size_t n = 1, i;

	for (i = 0; i < rel.n; i++)
		n += rel.p[i] == '.';
	return n;
}

static bool prefix_match(const struct pep *v, const struct pep *spec,
			 size_t parts)
{
	return num_cmp(v->epoch, spec->epoch) == 0 &&
	       pep_rel_cmp(v->rel, spec->rel, parts) == 0;
}

static void put_num(struct cbuf *b, struct cslice n)
{
	while (n.n > 1 && *n.p == '0')
		n = cslice_make(n.p + 1, n.n - 1);
	cbuf_put(b, n.p, n.n ? n.n : 0);
	if (!n.n)
		cbuf_putc(b, '0');
}

/* packaging's str(Version): the normalised spelling. */
static void normalise(struct cbuf *b, const struct pep *v)
{
	static const char *const pre[] = { "a", "b", "rc" };
	struct cslice rel = v->rel;
	size_t i;

	if (num_cmp(v->epoch, cslice_make("0", 1))) {
		put_num(b, v->epoch);
		cbuf_putc(b, '!');
	}
	for (i = 0; rel.n; i++) {
		if (i)
			cbuf_putc(b, '.');
		put_num(b, pep_next_num(&rel));
	}
	if (v->pre_l >= 0) {
		cbuf_puts(b, pre[v->pre_l]);
		put_num(b, v->pre_n);
	}
	if (v->post) {
		cbuf_puts(b, ".post");
		put_num(b, v->post_n);
	}
	if (v->dev) {
		cbuf_puts(b, ".dev");
		put_num(b, v->dev_n);
	}
	if (v->has_local) {
		cbuf_putc(b, '+');
		for (i = 0; i < v->local.n; i++)
			cbuf_putc(b, is_sep(v->local.p[i])
					     ? '.'
					     : lower(v->local.p[i]));
	}
}

static bool arbitrary(const struct pep *v, const char *spec)
{
	struct cbuf b = CBUF_INIT(4 * CUSTOMS_VERSION_MAX_LEN);
	bool eq;

	normalise(&b, v);
	eq = !cbuf_error(&b) && strcasecmp(b.ptr, spec) == 0;
	cbuf_release(&b);
	return eq;
}

static bool holds(const struct ver_cmp *sc, const struct pep *v)
{
	struct pep s;
	bool wc;

	if (sc->op == VOP_ARB)
		return arbitrary(v, sc->ver);
	pep_parse(&s, sc->ver, strlen(sc->ver), &wc);
	switch (sc->op) {
	case VOP_EQ_PREFIX:
		return prefix_match(v, &s, rel_count(s.rel));
	case VOP_NE_PREFIX:
		return !prefix_match(v, &s, rel_count(s.rel));
	case VOP_EQ:
		return pep_order(v, &s, s.has_local) == 0;
	case VOP_NE:
		return pep_order(v, &s, s.has_local) != 0;
	case VOP_LE:
		return pep_order(v, &s, false) <= 0;
	case VOP_GE:
		return pep_order(v, &s, false) >= 0;
	case VOP_COMPAT:
		return pep_order(v, &s, false) >= 0 &&
		       prefix_match(v, &s, rel_count(s.rel) - 1);
	case VOP_LT:
		return pep_order(v, &s, true) < 0 &&
		       !(!is_prerelease(&s) && is_prerelease(v) &&
			 same_base(v, &s));
	case VOP_GT:
		return pep_order(v, &s, true) > 0 &&
		       !(!s.post && v->post && same_base(v, &s)) &&
		       !(v->has_local && same_base(v, &s));
	default:
		return false;
	}
}

/*
 * Whether a specifier lets prereleases in (Specifier.prereleases): 1 or
 * 0. For "===" with a string that is no version packaging raises or not
 * depending on the order of its frozenset; we answer 0.
 */
static int allows_pre(const struct ver_cmp *sc)
{
	struct pep s;
	bool wc;

	if (sc->op != VOP_EQ && sc->op != VOP_EQ_PREFIX && sc->op != VOP_GE &&
	    sc->op != VOP_LE && sc->op != VOP_COMPAT && sc->op != VOP_ARB)
		return 0;
	return pep_parse(&s, sc->ver, strlen(sc->ver), &wc) &&
	       is_prerelease(&s);
}

int ver_pep440_range_contains(const struct customs_version_range *r,
			      const char *version, bool *out,
			      struct customs_ctx *ctx)
{
	const struct ver_set *set = &r->sets[0];
	struct pep v;
	size_t i;
	int rc, pre = 0;

	rc = pep_parse_err(&v, version, ctx);
	if (rc)
		return rc;
	for (i = 0; i < set->n && pre == 0; i++)
		pre = allows_pre(&set->c[i]);
	*out = pre || !is_prerelease(&v);
	for (i = 0; i < set->n && *out; i++)
		*out = holds(&set->c[i], &v);
	return 0;
}

static enum ver_op spec_op(const char **p)
{
	static const struct {
		const char *s;
		enum ver_op op;
	} ops[] = {
		{ "===", VOP_ARB }, { "~=", VOP_COMPAT }, { "==", VOP_EQ },
		{ "!=", VOP_NE },   { "<=", VOP_LE },	  { ">=", VOP_GE },
		{ "<", VOP_LT },    { ">", VOP_GT },
	};
	size_t i, n;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		n = strlen(ops[i].s);
		if (strncmp(*p, ops[i].s, n) == 0) {
			*p += n;
			return ops[i].op;
		}
	}
	return VOP_NONE;
}

/* Whether version text v fits operator op (packaging's specifier regex). */
static bool spec_ok(enum ver_op *op, struct cslice t)
{
	struct pep s;
	bool wc = false, eq = *op == VOP_EQ || *op == VOP_NE;
	size_t i;

	if (*op == VOP_ARB) {
		for (i = 0; i < t.n; i++) {
			if (is_space(t.p[i]) || t.p[i] == ';' || t.p[i] == ')')
				return false;
		}
		return t.n > 0;
	}
	if (!pep_parse(&s, t.p, t.n, eq ? &wc : NULL))
		return false;
	if (wc)
		*op = *op == VOP_EQ ? VOP_EQ_PREFIX : VOP_NE_PREFIX;
	if (s.has_local && !eq)
		return false;
	return *op != VOP_COMPAT || rel_count(s.rel) >= 2;
}

static int one_spec(struct ver_set *set, struct cslice item,
		    struct customs_ctx *ctx)
{
	const char *p = item.p, *end = item.p + item.n;
	enum ver_op op = spec_op(&p);
	struct cslice t;

	t = cslice_trim(cslice_make(p, (size_t)(end - p)));
	if (op == VOP_NONE || !spec_ok(&op, t))
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "pep440 specifier '%.*s': not valid",
				     (int)item.n, item.p);
	if (ver_set_add(set, op, t.p, t.n))
		return customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	return 0;
}

int ver_pep440_range_parse(struct customs_version_range *r, const char *expr,
			   struct customs_ctx *ctx)
{
	struct ver_set *set = ver_range_add_set(r);
	const char *p = expr, *comma;
	struct cslice item;
	int rc;

	if (!set)
		return customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	for (;;) {
		comma = strchr(p, ',');
		item = cslice_trim(cslice_make(p, comma ? (size_t)(comma - p)
							: strlen(p)));
		if (item.n) {
			rc = one_spec(set, item, ctx);
			if (rc)
				return rc;
		}
		if (!comma)
			return 0;
		p = comma + 1;
	}
}
