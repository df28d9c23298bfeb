/*
 * The version module's front door: scheme names, the dispatch to one
 * comparator per scheme, the length limit, and the comparator lists that
 * vulnerability feeds write (">= 1.0, < 1.2.5 || = 2.0"), which every
 * scheme accepts through customs_version_range_parse_list() and which
 * contain a version by plain comparison. npm, PEP 440 and Maven have their own
 * range syntax in npmrange.c, pep440.c and maven.c; a range is always a union
 * of intersections of comparators (struct customs_version_range).
 */
#include <string.h>

#include "customs/version.h"
#include "util/alloc.h"
#include "util/error.h"
#include "version/version_int.h"
#include "util/banned.h"

static const char *const names[CUSTOMS_VERSION_N_SCHEMES] = {
	"dpkg",	 "rpm", "apk", "semver", "npm",	    "pep440",
	"maven", "gem", "go",  "nuget",	 "generic",
};

static const ver_cmp_fn cmps[CUSTOMS_VERSION_N_SCHEMES] = {
	ver_dpkg_cmp, ver_rpm_cmp,    ver_apk_cmp,     ver_semver_cmp,
	ver_npm_cmp,  ver_pep440_cmp, ver_maven_cmp,   ver_gem_cmp,
	ver_go_cmp,   ver_nuget_cmp,  ver_generic_cmp,
};

int customs_version_scheme_from_name(enum customs_version_scheme *out,
				     const char *name)
{
	int i;

	for (i = 0; i < CUSTOMS_VERSION_N_SCHEMES; i++) {
		if (name && strcmp(name, names[i]) == 0) {
			*out = (enum customs_version_scheme)i;
			return 0;
		}
	}
	return CUSTOMS_ENOTFOUND;
}

const char *customs_version_scheme_name(enum customs_version_scheme scheme)
{
	if ((unsigned)scheme >= CUSTOMS_VERSION_N_SCHEMES)
		return NULL;
	return names[scheme];
}

int ver_numcmp(const char *a, size_t an, const char *b, size_t bn)
{
	int c;

	while (an > 0 && *a == '0') {
		a++;
		an--;
	}
	while (bn > 0 && *b == '0') {
		b++;
		bn--;
	}
	if (an != bn)
		return an < bn ? -1 : 1;
	c = memcmp(a, b, an);
	return ver_sign(c);
}

static int check_args(enum customs_version_scheme scheme, const char *v,
		      struct customs_ctx *ctx)
{
	if ((unsigned)scheme >= CUSTOMS_VERSION_N_SCHEMES || !v)
		return customs_error(ctx, CUSTOMS_EINVAL,
				     "version: bad scheme or no version");
	if (strnlen(v, CUSTOMS_VERSION_MAX_LEN + 1) > CUSTOMS_VERSION_MAX_LEN)
		return customs_error(ctx, CUSTOMS_ELIMIT,
				     "version: longer than %d bytes",
				     CUSTOMS_VERSION_MAX_LEN);
	return 0;
}

int customs_version_cmp(enum customs_version_scheme scheme, const char *a,
			const char *b, int *out, struct customs_ctx *ctx)
{
	int rc;

	rc = check_args(scheme, a, ctx);
	if (!rc)
		rc = check_args(scheme, b, ctx);
	if (rc)
		return rc;
	return cmps[scheme](a, b, out, ctx);
}

int customs_version_validate(enum customs_version_scheme scheme,
			     const char *version, struct customs_ctx *ctx)
{
	int c;

	return customs_version_cmp(scheme, version, version, &c, ctx);
}

/* --- ranges --- */

struct ver_set *ver_range_add_set(struct customs_version_range *r)
{
	struct ver_set *s;

	if (CUSTOMS_GROW(r->sets, r->cap, r->n + 1))
		return NULL;
	s = &r->sets[r->n++];
	memset(s, 0, sizeof(*s));
	return s;
}

int ver_set_add(struct ver_set *s, enum ver_op op, const char *ver, size_t n)
{
	char *copy = NULL;

	if (ver) {
		copy = customs_strndup(ver, n);
		if (!copy)
			return CUSTOMS_ENOMEM;
	}
	if (CUSTOMS_GROW(s->c, s->cap, s->n + 1)) {
		customs_free(copy);
		return CUSTOMS_ENOMEM;
	}
	s->c[s->n].op = op;
	s->c[s->n].ver = copy;
	s->n++;
	return 0;
}

bool ver_op_holds(enum ver_op op, int c)
{
	switch (op) {
	case VOP_LT:
		return c < 0;
	case VOP_LE:
		return c <= 0;
	case VOP_GT:
		return c > 0;
	case VOP_GE:
		return c >= 0;
	case VOP_EQ:
		return c == 0;
	case VOP_NE:
		return c != 0;
	case VOP_ANY:
		return true;
	default:
		return false;
	}
}

void customs_version_range_free(struct customs_version_range *range)
{
	size_t i, j;

	if (!range)
		return;
	for (i = 0; i < range->n; i++) {
		for (j = 0; j < range->sets[i].n; j++)
			customs_free(range->sets[i].c[j].ver);
		customs_free(range->sets[i].c);
	}
	customs_free(range->sets);
	customs_free(range);
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The operator at *p (advanced past it); VOP_EQ when there is none. */
static enum ver_op list_op(const char **p)
{
	static const struct {
		const char *s;
		enum ver_op op;
	} ops[] = {
		{ "<=", VOP_LE }, { ">=", VOP_GE }, { "==", VOP_EQ },
		{ "!=", VOP_NE }, { "<", VOP_LT },  { ">", VOP_GT },
		{ "=", VOP_EQ },
	};
	size_t i, n;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		n = strlen(ops[i].s);
		if (strncmp(*p, ops[i].s, n) == 0) {
			*p += n;
			return ops[i].op;
		}
	}
	return VOP_EQ;
}

/* One "||"-separated part [p, end) of a comparator list into a new set. */
static int list_part(struct customs_version_range *r, const char *p,
		     const char *end, struct customs_ctx *ctx)
{
	struct ver_set *s = ver_range_add_set(r);
	const char *v;
	enum ver_op op;
	int rc;

	if (!s)
		return customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	for (;;) {
		while (p < end && (is_space(*p) || *p == ','))
			p++;
		if (p == end)
			break;
		op = list_op(&p);
		while (p < end && is_space(*p))
			p++;
		v = p;
		while (p < end && !is_space(*p) && *p != ',')
			p++;
		if (v == p)
			return customs_error(ctx, CUSTOMS_EFORMAT,
					     "version range: operator without "
					     "a version");
		rc = ver_set_add(s, op, v, (size_t)(p - v));
		if (!rc)
			rc = customs_version_validate(r->scheme,
						      s->c[s->n - 1].ver, ctx);
		if (rc)
			return rc;
	}
	if (s->n == 0)
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "version range: empty part");
	return 0;
}

static int list_parse(struct customs_version_range *r, const char *expr,
		      struct customs_ctx *ctx)
{
	const char *p = expr, *bar;
	int rc;

	for (;;) {
		bar = strstr(p, "||");
		rc = list_part(r, p, bar ? bar : p + strlen(p), ctx);
		if (rc || !bar)
			return rc;
		p = bar + 2;
	}
}

static int range_new(struct customs_version_range **out,
		     enum customs_version_scheme scheme, const char *expr,
		     struct customs_ctx *ctx)
{
	int rc;

	*out = NULL;
	rc = check_args(scheme, expr, ctx);
	if (rc)
		return rc;
	*out = customs_calloc(1, sizeof(**out));
	if (!*out)
		return customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	(*out)->scheme = scheme;
	return 0;
}

static int range_done(struct customs_version_range **out, int rc)
{
	if (rc) {
		customs_version_range_free(*out);
		*out = NULL;
	}
	return rc;
}

int customs_version_range_parse(struct customs_version_range **out,
				enum customs_version_scheme scheme,
				const char *expr, struct customs_ctx *ctx)
{
	struct customs_version_range *r;
	int rc;

	rc = range_new(out, scheme, expr, ctx);
	if (rc)
		return rc;
	r = *out;
	if (scheme == CUSTOMS_VERSION_NPM || scheme == CUSTOMS_VERSION_SEMVER)
		rc = ver_npm_range_parse(r, expr, ctx);
	else if (scheme == CUSTOMS_VERSION_PEP440)
		rc = ver_pep440_range_parse(r, expr, ctx);
	else if (scheme != CUSTOMS_VERSION_MAVEN ||
		 (rc = ver_maven_range_parse(r, expr, ctx)) ==
			 CUSTOMS_ENOTFOUND)
		rc = list_parse(r, expr, ctx);
	return range_done(out, rc);
}

int customs_version_range_parse_list(struct customs_version_range **out,
				     enum customs_version_scheme scheme,
				     const char *expr, struct customs_ctx *ctx)
{
	int rc;

	rc = range_new(out, scheme, expr, ctx);
	if (rc)
		return rc;
	(*out)->plain = true;
	return range_done(out, list_parse(*out, expr, ctx));
}

static int set_contains(const struct customs_version_range *r,
			const struct ver_set *s, const char *version, bool *out,
			struct customs_ctx *ctx)
{
	size_t i;
	int c, rc;

	*out = true;
	for (i = 0; i < s->n; i++) {
		if (s->c[i].op == VOP_ANY)
			continue;
		if (s->c[i].op == VOP_NONE) {
			*out = false;
			return 0;
		}
		rc = customs_version_cmp(r->scheme, version, s->c[i].ver, &c,
					 ctx);
		if (rc)
			return rc;
		if (!ver_op_holds(s->c[i].op, c)) {
			*out = false;
			return 0;
		}
	}
	return 0;
}

int customs_version_range_contains(const struct customs_version_range *range,
				   const char *version, bool *out,
				   struct customs_ctx *ctx)
{
	size_t i;
	int rc;

	*out = false;
	rc = check_args(range ? range->scheme : CUSTOMS_VERSION_N_SCHEMES,
			version, ctx);
	if (!rc)
		rc = customs_version_validate(range->scheme, version, ctx);
	if (rc)
		return rc;
	if (!range->plain && (range->scheme == CUSTOMS_VERSION_NPM ||
			      range->scheme == CUSTOMS_VERSION_SEMVER))
		return ver_npm_range_contains(range, version, out, ctx);
	if (!range->plain && range->scheme == CUSTOMS_VERSION_PEP440)
		return ver_pep440_range_contains(range, version, out, ctx);
	for (i = 0; i < range->n && !*out; i++) {
		rc = set_contains(range, &range->sets[i], version, out, ctx);
		if (rc)
			return rc;
	}
	return 0;
}
