/*
 * NVD CPE matching for packages no ecosystem feed covers (binaries found
 * by classifiers, unknown types). Each CPE of the package names a vendor
 * and product; every NVD criterion for them is checked: a criterion with
 * a concrete version matches that version only, one with "*" matches the
 * versions inside its start/end bounds (all versions when it has none).
 * Platform criteria ("running on", vulnerable false) never match. AND-ed
 * configurations are not evaluated: a vulnerable criterion is enough,
 * which is what Grype does too (docs/internals/matching.md).
 */
#include <string.h>

#include "match/match_int.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/banned.h"

#define CPE_FIELDS 13

struct cpe_parts {
	char buf[1024];
	const char *f[CPE_FIELDS]; /* cpe 2.3 part vendor product version */
};

/* Split "cpe:2.3:a:vendor:product:version:..." at unescaped ':'. */
static bool cpe_split(struct cpe_parts *c, const char *cpe)
{
	size_t n = strlen(cpe), i, k = 0;
	char *p;

	if (n >= sizeof(c->buf) || strncmp(cpe, "cpe:2.3:", 8))
		return false;
	memcpy(c->buf, cpe, n + 1);
	p = c->buf;
	c->f[k++] = p;
	for (i = 0; i < n && k < CPE_FIELDS; i++) {
		if (p[i] == '\\' && i + 1 < n) {
			i++;
			continue;
		}
		if (p[i] == ':') {
			p[i] = '\0';
			c->f[k++] = p + i + 1;
		}
	}
	while (k < CPE_FIELDS)
		c->f[k++] = "*";
	return *c->f[3] && *c->f[4];
}

static bool any_value(const char *v)
{
	return !v || !*v || !strcmp(v, "*") || !strcmp(v, "-");
}

struct cpe_run {
	struct match_set *set;
	struct match_search *s;
	enum customs_version_scheme scheme;
	struct customs_ctx *scratch;
	int err;
};

static void bound(struct cbuf *b, const char *op, const char *v)
{
	if (!v || !*v)
		return;
	if (b->len)
		cbuf_puts(b, ", ");
	cbuf_printf(b, "%s %s", op, v);
}

/* Whether s->version lies in the criterion; ranges gets its bounds. */
static bool cpe_contains(struct cpe_run *cr, const struct customs_vuln_cpe *c,
			 const char *crit_version, struct cbuf *ranges)
{
	struct customs_version_range *rng = NULL;
	bool in = false;
	int cmp;

	if (!any_value(crit_version)) {
		cbuf_printf(ranges, "= %s", crit_version);
		return !customs_version_cmp(cr->scheme, crit_version,
					    cr->s->version, &cmp, NULL) &&
		       cmp == 0;
	}
	bound(ranges, ">=", c->start_including);
	bound(ranges, ">", c->start_excluding);
	bound(ranges, "<=", c->end_including);
	bound(ranges, "<", c->end_excluding);
	if (cbuf_error(ranges))
		return false;
	if (!ranges->len) {
		cbuf_puts(ranges, "*");
		return true;
	}
	customs_ctx_clear(cr->scratch);
	if (!customs_version_range_parse_list(&rng, cr->scheme, ranges->ptr,
					      cr->scratch))
		customs_version_range_contains(rng, cr->s->version, &in,
					       cr->scratch);
	customs_version_range_free(rng);
	return in;
}

static int on_cpe(void *arg, const char *vuln_id,
		  const struct customs_vuln_cpe *c)
{
	struct cpe_run *cr = arg;
	struct cbuf ranges = CBUF_INIT(4096);
	struct customs_vulndb_hit hit = { 0 };
	struct cpe_parts parts;
	int rc = 0;

	if (!c->vulnerable || !cpe_split(&parts, c->criteria))
		goto out;
	if (!cpe_contains(cr, c, parts.f[5], &ranges))
		goto out;
	hit.vuln_id = vuln_id;
	hit.source = "nvd";
	hit.namespace = "nvd:cpe";
	hit.name = c->criteria;
	hit.scheme = cr->scheme;
	hit.ranges = ranges.ptr;
	hit.versions = "";
	hit.fixed = "";
	hit.fix_state = CUSTOMS_FIX_UNKNOWN;
	hit.severity = CUSTOMS_SEVERITY_UNKNOWN;
	rc = match_set_add(cr->set, cr->s, &hit);
out:
	cbuf_release(&ranges);
	return rc;
}

int match_cpe_package(struct match_set *set, const struct match_backend *be,
		      struct match_search *s, struct customs_ctx *ctx)
{
	const struct customs_pkg *p = s->pkg;
	struct cpe_run cr = { set, s, match_type_scheme(p->type), NULL, 0 };
	struct cpe_parts parts;
	size_t i;
	int rc = 0;

	if (!be->lookup_cpe || !p->cpes.n)
		return 0;
	rc = customs_ctx_new(&cr.scratch);
	s->type = CUSTOMS_MATCH_CPE;
	s->ns = "nvd:cpe";
	for (i = 0; !rc && i < p->cpes.n; i++) {
		if (!cpe_split(&parts, p->cpes.v[i]))
			continue;
		s->name = p->cpes.v[i];
		s->version = any_value(parts.f[5]) ? p->version : parts.f[5];
		if (!s->version || !*s->version)
			continue;
		if (customs_version_validate(cr.scheme, s->version, NULL))
			continue;
		rc = be->lookup_cpe(be->arg, parts.f[3], parts.f[4], on_cpe,
				    &cr, ctx);
	}
	customs_ctx_free(cr.scratch);
	return rc;
}
