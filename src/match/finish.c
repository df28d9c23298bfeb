/*
 * Enrichment and ordering of findings, once every row has been matched.
 *
 * Each distinct vulnerability id is looked up once (a per-scan cache) for
 * its description, link, aliases, CVSS, KEV and EPSS. The severity of a
 * finding is the row's package/distro rating, else the advisory's own,
 * else the band of the highest CVSS base score (NVD primary ratings
 * preferred). Findings of one package that are aliases of each other
 * (a GHSA row and a CVE row for the same issue) become one: the one found
 * by the better match type is kept (exact before CPE), then a GHSA id
 * before other ids, then the smaller id; the other id joins its aliases.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "match/match_int.h"
#include "util/alloc.h"
#include "util/banned.h"

/* A cache entry for an id the database does not know. */
static struct customs_vuln_info unknown_info;

enum customs_severity match_pick_severity(enum customs_severity row,
					  enum customs_severity advisory,
					  const struct customs_cvss *cvss,
					  size_t n_cvss)
{
	double best = -1, best_primary = -1;
	size_t i;

	if (row != CUSTOMS_SEVERITY_UNKNOWN)
		return row;
	if (advisory != CUSTOMS_SEVERITY_UNKNOWN)
		return advisory;
	for (i = 0; i < n_cvss; i++) {
		double s = cvss[i].base_score;

		if (s > best)
			best = s;
		if (cvss[i].primary && cvss[i].source &&
		    strstr(cvss[i].source, "nvd") && s > best_primary)
			best_primary = s;
	}
	if (best_primary >= 0)
		return customs_severity_from_score(best_primary);
	if (best >= 0)
		return customs_severity_from_score(best);
	return CUSTOMS_SEVERITY_UNKNOWN;
}

static int dupz(char **dst, const char *s)
{
	if (!s)
		return 0;
	*dst = customs_strdup(s);
	return *dst ? 0 : CUSTOMS_ENOMEM;
}

static bool list_has(const struct customs_strlist *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], s))
			return true;
	return false;
}

static int add_alias(struct customs_finding_vuln *v, const char *a)
{
	if (!a || !strcmp(a, v->id) || list_has(&v->aliases, a))
		return 0;
	return customs_strlist_add(&v->aliases, a);
}

/* NVD primary ratings first, then the order the database gave. */
static int copy_cvss(struct customs_finding_vuln *v,
		     const struct customs_vuln_info *in)
{
	size_t i, k = 0;
	int pass, rc = 0;

	if (!in->n_cvss)
		return 0;
	v->cvss = customs_calloc(in->n_cvss, sizeof(*v->cvss));
	if (!v->cvss)
		return CUSTOMS_ENOMEM;
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < in->n_cvss; i++) {
			const struct customs_cvss *c = &in->cvss[i];

			if (c->primary != (pass == 0))
				continue;
			v->cvss[k] = *c;
			v->cvss[k].version = v->cvss[k].vector = NULL;
			v->cvss[k].source = NULL;
			v->n_cvss = ++k;
			rc |= dupz((char **)&v->cvss[k - 1].version,
				   c->version);
			rc |= dupz((char **)&v->cvss[k - 1].vector, c->vector);
			rc |= dupz((char **)&v->cvss[k - 1].source, c->source);
		}
	return rc ? CUSTOMS_ENOMEM : 0;
}

static int fill_vuln(struct customs_finding *f,
		     const struct customs_vuln_info *in)
{
	struct customs_finding_vuln *v = &f->vuln;
	size_t i;
	int rc = 0;

	rc |= dupz(&v->link, in->link);
	rc |= dupz(&v->description,
		   in->summary && *in->summary ? in->summary : in->description);
	rc |= dupz(&v->published, in->published);
	rc |= dupz(&v->kev_date_added, in->kev_date_added);
	rc |= dupz(&v->kev_due_date, in->kev_due_date);
	v->in_kev = in->in_kev;
	v->kev_ransomware = in->kev_ransomware;
	v->has_epss = in->has_epss;
	v->epss_score = in->epss_score;
	v->epss_percentile = in->epss_percentile;
	for (i = 0; !rc && i < in->aliases.n; i++)
		rc = add_alias(v, in->aliases.v[i]);
	for (i = 0; !rc && i < in->cwes.n; i++)
		rc = customs_strlist_add(&v->cwes, in->cwes.v[i]);
	if (!rc)
		rc = copy_cvss(v, in);
	v->severity = match_pick_severity(v->severity, in->severity, v->cvss,
					  v->n_cvss);
	return rc ? CUSTOMS_ENOMEM : 0;
}

struct info_cache {
	struct strmap map;
	struct customs_vuln_info **owned;
	size_t n, cap;
	struct customs_strlist keys;
};

static int cached_info(struct info_cache *c, const struct match_backend *be,
		       const char *id, const struct customs_vuln_info **out,
		       struct customs_ctx *ctx)
{
	struct customs_vuln_info *info = strmap_get(&c->map, id);
	int rc;

	if (info) {
		*out = info;
		return 0;
	}
	rc = be->vuln(be->arg, id, &info, ctx);
	if (rc == CUSTOMS_ENOTFOUND)
		rc = 0;
	if (rc)
		return rc;
	if (CUSTOMS_GROW(c->owned, c->cap, c->n + 1)) {
		be->vuln_free(info);
		return CUSTOMS_ENOMEM;
	}
	c->owned[c->n++] = info;
	if (!info)
		info = &unknown_info;
	if (customs_strlist_add(&c->keys, id) ||
	    strmap_put(&c->map, c->keys.v[c->keys.n - 1], info))
		return CUSTOMS_ENOMEM;
	*out = info;
	return 0;
}

static void cache_release(struct info_cache *c, const struct match_backend *be)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->owned[i])
			be->vuln_free(c->owned[i]);
	customs_free(c->owned);
	strmap_release(&c->map);
	customs_strlist_release(&c->keys);
}

/* ---- alias merging -------------------------------------------------- */

static bool related(const struct customs_finding *a,
		    const struct customs_finding *b)
{
	return a->pkg == b->pkg && (list_has(&a->vuln.aliases, b->vuln.id) ||
				    list_has(&b->vuln.aliases, a->vuln.id));
}

/* Whether a should be kept rather than b. */
static bool keep_first(const struct customs_finding *a,
		       const struct customs_finding *b)
{
	bool ga = !strncmp(a->vuln.id, "GHSA-", 5);
	bool gb = !strncmp(b->vuln.id, "GHSA-", 5);

	if (a->match_type != b->match_type)
		return a->match_type < b->match_type;
	if (ga != gb)
		return ga;
	return strcmp(a->vuln.id, b->vuln.id) <= 0;
}

static int absorb(struct customs_finding *keep, struct customs_finding *drop)
{
	size_t i;
	int rc = add_alias(&keep->vuln, drop->vuln.id);

	for (i = 0; !rc && i < drop->vuln.aliases.n; i++)
		rc = add_alias(&keep->vuln, drop->vuln.aliases.v[i]);
	for (i = 0; !rc && i < drop->fix_versions.n; i++)
		if (!list_has(&keep->fix_versions, drop->fix_versions.v[i]))
			rc = customs_strlist_add(&keep->fix_versions,
						 drop->fix_versions.v[i]);
	if (keep->vuln.severity == CUSTOMS_SEVERITY_UNKNOWN)
		keep->vuln.severity = drop->vuln.severity;
	if (keep->fix_state != CUSTOMS_FIX_FIXED &&
	    drop->fix_state == CUSTOMS_FIX_FIXED)
		keep->fix_state = CUSTOMS_FIX_FIXED;
	match_finding_release(drop);
	return rc;
}

static int by_pkg(const void *a, const void *b)
{
	const struct customs_finding *x = a, *y = b;
	uintptr_t px = (uintptr_t)x->pkg, py = (uintptr_t)y->pkg;

	if (px != py)
		return px < py ? -1 : 1;
	return strcmp(x->vuln.id, y->vuln.id);
}

/* Merge alias pairs within each package's group (groups are small). */
static int merge_aliases(struct match_set *set)
{
	size_t start = 0, end, i, j, k = 0;
	int rc = 0;

	if (set->n > 1)
		qsort(set->v, set->n, sizeof(set->v[0]), by_pkg);
	for (; start < set->n; start = end) {
		for (end = start + 1;
		     end < set->n && set->v[end].pkg == set->v[start].pkg;)
			end++;
		for (i = start; !rc && i < end; i++)
			for (j = i + 1; !rc && j < end && set->v[i].vuln.id;
			     j++) {
				struct customs_finding *a = &set->v[i];
				struct customs_finding *b = &set->v[j];

				if (!b->vuln.id || !related(a, b))
					continue;
				if (keep_first(a, b)) {
					rc = absorb(a, b);
				} else {
					rc = absorb(b, a);
				}
			}
	}
	for (i = 0; i < set->n; i++)
		if (set->v[i].vuln.id)
			set->v[k++] = set->v[i];
	set->n = k;
	return rc;
}

int match_enrich(struct match_set *set, const struct match_backend *be,
		 struct customs_ctx *ctx)
{
	struct info_cache cache = { 0 };
	const struct customs_vuln_info *info;
	size_t i;
	int rc = 0;

	for (i = 0; !rc && i < set->n; i++) {
		rc = cached_info(&cache, be, set->v[i].vuln.id, &info, ctx);
		if (!rc)
			rc = fill_vuln(&set->v[i], info);
	}
	cache_release(&cache, be);
	/* the index map points at positions merging changes */
	strmap_release(&set->index);
	return rc ? rc : merge_aliases(set);
}

/* ---- order and result ----------------------------------------------- */

static int cmpz(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int by_report_order(const void *a, const void *b)
{
	const struct customs_finding *x = a, *y = b;
	int c;

	if (x->vuln.severity != y->vuln.severity)
		return x->vuln.severity > y->vuln.severity ? -1 : 1;
	if ((c = cmpz(x->pkg->name, y->pkg->name)))
		return c;
	if ((c = cmpz(x->pkg->version, y->pkg->version)))
		return c;
	if (x->pkg->type != y->pkg->type)
		return x->pkg->type < y->pkg->type ? -1 : 1;
	if ((c = cmpz(x->vuln.id, y->vuln.id)))
		return c;
	return cmpz(x->pkg->id, y->pkg->id);
}

void match_sort(struct customs_finding *v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof(v[0]), by_report_order);
}

int match_split(struct customs_match_result *res, struct match_set *set)
{
	size_t i, n_ign = 0;

	for (i = 0; i < set->n; i++)
		n_ign += set->v[i].ignored;
	res->matches =
		customs_calloc(set->n - n_ign + 1, sizeof(*res->matches));
	res->ignored = customs_calloc(n_ign + 1, sizeof(*res->ignored));
	if (!res->matches || !res->ignored)
		return CUSTOMS_ENOMEM;
	for (i = 0; i < set->n; i++) {
		if (set->v[i].ignored)
			res->ignored[res->n_ignored++] = set->v[i];
		else
			res->matches[res->n_matches++] = set->v[i];
	}
	set->n = 0; /* moved */
	match_sort(res->matches, res->n_matches);
	match_sort(res->ignored, res->n_ignored);
	res->warnings = set->warnings;
	memset(&set->warnings, 0, sizeof(set->warnings));
	return 0;
}

void customs_match_result_free(struct customs_match_result *res)
{
	size_t i;

	if (!res)
		return;
	for (i = 0; i < res->n_matches; i++)
		match_finding_release(&res->matches[i]);
	for (i = 0; i < res->n_ignored; i++)
		match_finding_release(&res->ignored[i]);
	customs_free(res->matches);
	customs_free(res->ignored);
	customs_strlist_release(&res->warnings);
	customs_free(res->distro_namespace);
	customs_free(res->db.path);
	customs_free(res->db.built);
	customs_strlist_release(&res->db.sources);
	customs_free(res);
}

bool customs_match_fails(const struct customs_match_result *res,
			 enum customs_severity threshold)
{
	size_t i;

	for (i = 0; i < res->n_matches; i++)
		if (res->matches[i].vuln.severity != CUSTOMS_SEVERITY_UNKNOWN &&
		    res->matches[i].vuln.severity >= threshold)
			return true;
	return false;
}
