/*
 * Go versions. Two kinds share the GO scheme:
 *   - module versions: semantic versions as golang.org/x/mod/semver reads
 *     them ("v1", "v1.2" are shorthands of v1.0.0 and v1.2.0; a
 *     prerelease or build needs all three numbers). OSV writes them
 *     without the "v", so it is optional. Pseudo-versions
 *     (v0.0.0-20191109021931-daa7c04131f5, v1.2.4-0.2019...) are plain
 *     prereleases and sort by their timestamp; "+incompatible" is build
 *     metadata and ignored.
 *   - toolchain versions "go1.21rc1", as Go's internal/gover: 1.N.P, or
 *     1.N followed by a prerelease kind (alpha, beta, rc) and number.
 *     Before Go 1.21 "1.N" means "1.N.0"; from 1.21 on "1.N" is the
 *     language version, older than 1.Nrc1, which is older than 1.N.0.
 * When a toolchain version meets a module version, the toolchain one is
 * read as the semantic version Go's vulnerability database uses:
 * go1.21rc1 = 1.21.0-rc.1, go1.21 = 1.21.0-0, go1.20 = 1.20.0.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "util/error.h"
#include "version/version_int.h"
#include "util/banned.h"

#define GO_SV (SV_ALLOW_V | SV_PARTIAL)

struct gover {
	struct cslice major, minor, patch, kind, pre;
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A number without unneeded leading zeros at *s. */
static bool cut_int(struct cslice *s, struct cslice *num)
{
	size_t i = 0;

	while (i < s->n && is_digit(s->p[i]))
		i++;
	if (i == 0 || (s->p[0] == '0' && i != 1))
		return false;
	*num = cslice_make(s->p, i);
	s->p += i;
	s->n -= i;
	return true;
}

static bool gover_prerelease(struct gover *v, struct cslice x)
{
	size_t i = 0;

	while (i < x.n && !is_digit(x.p[i])) {
		if (x.p[i] < 'a' || x.p[i] > 'z')
			return false;
		i++;
	}
	if (i == 0)
		return false;
	v->kind = cslice_make(x.p, i);
	x.p += i;
	x.n -= i;
	if (x.n == 0)
		return true;
	return cut_int(&x, &v->pre) && x.n == 0;
}

/* Go's internal/gover parse of x without the "go" prefix. */
static bool gover_parse(struct gover *v, struct cslice x)
{
	memset(v, 0, sizeof(*v));
	if (!cut_int(&x, &v->major))
		return false;
	if (x.n == 0) {
		v->minor = v->patch = cslice_make("0", 1);
		return true;
	}
	if (x.p[0] != '.')
		return false;
	x = cslice_make(x.p + 1, x.n - 1);
	if (!cut_int(&x, &v->minor))
		return false;
	if (x.n == 0) {
		if (ver_numcmp(v->minor.p, v->minor.n, "21", 2) < 0)
			v->patch = cslice_make("0", 1);
		return true;
	}
	if (x.p[0] == '.') {
		x = cslice_make(x.p + 1, x.n - 1);
		return cut_int(&x, &v->patch) && x.n == 0;
	}
	return gover_prerelease(v, x);
}

/* gover's cmpInt: "" is below every number. */
static int int_cmp(struct cslice a, struct cslice b)
{
	if (!a.n || !b.n)
		return a.n == b.n ? 0 : (a.n ? 1 : -1);
	return ver_numcmp(a.p, a.n, b.p, b.n);
}

/* Prerelease kinds as strings: "" < alpha < beta < rc. */
static int kind_cmp(struct cslice a, struct cslice b)
{
	int c = 0;

	if (a.n && b.n)
		c = memcmp(a.p, b.p, a.n < b.n ? a.n : b.n);
	if (!c)
		c = a.n == b.n ? 0 : (a.n < b.n ? -1 : 1);
	return c;
}

static int gover_cmp(const struct gover *a, const struct gover *b)
{
	int c;

	c = int_cmp(a->major, b->major);
	if (!c)
		c = int_cmp(a->minor, b->minor);
	if (!c)
		c = int_cmp(a->patch, b->patch);
	if (!c)
		c = kind_cmp(a->kind, b->kind);
	if (!c)
		c = int_cmp(a->pre, b->pre);
	return ver_sign(c);
}

static bool to_u64(struct cslice s, uint64_t *v)
{
	size_t i;

	*v = 0;
	for (i = 0; i < s.n; i++) {
		if (*v > (UINT64_MAX - 9) / 10)
			return false;
		*v = *v * 10 + (uint64_t)(s.p[i] - '0');
	}
	return true;
}

/* A toolchain version as a semantic version; buf holds the prerelease. */
static bool gover_to_semver(const struct gover *g, struct semver *v, char *buf,
			    size_t len)
{
	int n = 0;

	memset(v, 0, sizeof(*v));
	if (!to_u64(g->major, &v->num[0]) || !to_u64(g->minor, &v->num[1]) ||
	    !to_u64(g->patch, &v->num[2]))
		return false;
	if (g->kind.n)
		n = snprintf(buf, len, "%.*s%s%.*s", (int)g->kind.n, g->kind.p,
			     g->pre.n ? "." : "", (int)g->pre.n, g->pre.p);
	else if (!g->patch.n)
		n = snprintf(buf, len, "0");
	if (n < 0 || (size_t)n >= len)
		return false;
	v->pre = cslice_make(buf, (size_t)n);
	return true;
}

struct goparsed {
	bool tool;
	struct gover g;
	struct semver sv;
	char buf[64];
};

static int parse(struct goparsed *p, const char *s, struct customs_ctx *ctx)
{
	size_t n = strlen(s);

	p->tool = n > 2 && s[0] == 'g' && s[1] == 'o';
	/* a toolchain version must also have a semantic version (numbers
	 * up to 2^64 - 1) so that it compares with module versions */
	if (p->tool ? gover_parse(&p->g, cslice_make(s + 2, n - 2)) &&
			      gover_to_semver(&p->g, &p->sv, p->buf,
					      sizeof(p->buf))
		    : ver_semver_parse(&p->sv, s, n, GO_SV))
		return 0;
	return customs_error(ctx, CUSTOMS_EFORMAT, "go version '%s': not valid",
			     s);
}

int ver_go_cmp(const char *a, const char *b, int *out, struct customs_ctx *ctx)
{
	struct goparsed pa, pb;
	int rc;

	rc = parse(&pa, a, ctx);
	if (!rc)
		rc = parse(&pb, b, ctx);
	if (rc)
		return rc;
	if (pa.tool && pb.tool) {
		*out = gover_cmp(&pa.g, &pb.g);
		return 0;
	}
	*out = ver_semver_order(&pa.sv, &pb.sv, 0);
	return 0;
}
