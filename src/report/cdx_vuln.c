/*
 * CycloneDX 1.6 with vulnerabilities, as Grype writes it: the SBOM's
 * components through the SBOM's own CycloneDX writer (so a scan's BOM and
 * `customs sbom -o cyclonedx-json` agree on every component and bom-ref),
 * then one vulnerabilities[] entry per finding:
 * - id, source (the data namespace and the advisory URL), references (the
 *   aliases), ratings (the finding's own severity from its namespace, one
 *   per CVSS vector with its source and method, EPSS and CISA KEV as
 *   Grype adds them), cwes (numbers), description, advisories,
 *   published, recommendation;
 * - affects: the package's bom-ref with the installed version "affected"
 *   and each fixed version as a "vers:<purl type>/>=V" range
 *   "unaffected";
 * - analysis for suppressed findings: a VEX not_affected statement gives
 *   state not_affected with the CycloneDX justification its OpenVEX
 *   justification maps to, VEX fixed gives resolved, a distro
 *   not-affected row gives not_affected; an ignore rule asserts no state
 *   (it is the user's decision, not an assessment) and says why in
 *   detail. Every suppressed entry also has customs:suppression
 *   properties.
 * bom-refs are derived from the content ("customs:vuln:<id>:<package
 * ref>"), and the serial number from the SBOM and the findings, so the
 * same scan writes the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "customs/report.h"
#include "report/report_int.h"
#include "sbom/sbom_int.h"
#include "util/alloc.h"
#include "util/banned.h"

/* A package's position in the SBOM, for its bom-ref. */
struct pkgpos {
	const struct customs_pkg *p;
	size_t idx;
};

struct cdx {
	const struct customs_match_result *res;
	const struct customs_report_opts *o;
	struct rep_list list;
	struct pkgpos *pos; /* sorted by pointer */
	size_t n_pos;
	struct cbuf b, fix; /* scratch text */
	int err; /* first scratch-buffer error (rep_reset) */
};

static int cmp_pos(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct pkgpos *)a)->p;
	uintptr_t y = (uintptr_t)((const struct pkgpos *)b)->p;

	return x < y ? -1 : x > y;
}

static int make_pos(struct cdx *c)
{
	const struct customs_pkglist *l = &c->res->sbom->pkgs;
	size_t i;

	c->pos = customs_calloc(l->n ? l->n : 1, sizeof(*c->pos));
	if (!c->pos)
		return CUSTOMS_ENOMEM;
	for (i = 0; i < l->n; i++) {
		c->pos[i].p = l->v[i];
		c->pos[i].idx = i;
	}
	c->n_pos = l->n;
	qsort(c->pos, c->n_pos, sizeof(*c->pos), cmp_pos);
	return 0;
}

/* The bom-ref of p in this document, or NULL when p is not in the SBOM. */
static const char *pkg_ref(const struct cdx *c, char buf[32],
			   const struct customs_pkg *p, const bool *own)
{
	struct pkgpos key = { p, 0 };
	const struct pkgpos *hit;

	if (!p)
		return NULL;
	hit = bsearch(&key, c->pos, c->n_pos, sizeof(*c->pos), cmp_pos);
	if (!hit)
		return NULL;
	return sbom_cdx_ref(buf, p, hit->idx, own[hit->idx]);
}

/* CycloneDX's severity words: Negligible is "none", as Grype maps it. */
static const char *cdx_severity(enum customs_severity sev)
{
	if (sev == CUSTOMS_SEVERITY_NEGLIGIBLE)
		return "none";
	return rep_severity_word(sev);
}

static const char *method(const char *version)
{
	if (!version)
		return "other";
	if (!strcmp(version, "2.0") || !strcmp(version, "2"))
		return "CVSSv2";
	if (!strcmp(version, "3.0") || !strcmp(version, "3"))
		return "CVSSv3";
	if (!strcmp(version, "3.1"))
		return "CVSSv31";
	if (!strcmp(version, "4.0") || !strcmp(version, "4"))
		return "CVSSv4";
	return "other";
}

static void source(struct jw *w, const char *name, const char *url)
{
	jw_key(w, "source");
	jw_obj_open(w);
	jw_kstr(w, "name", name);
	jw_kstr(w, "url", url);
	jw_obj_close(w);
}

static void ratings(struct jw *w, const struct customs_finding *f)
{
	const struct customs_finding_vuln *v = &f->vuln;
	size_t i;

	jw_key(w, "ratings");
	jw_arr_open(w);
	/* the rating the report's severity comes from */
	jw_obj_open(w);
	if (v->namespace)
		source(w, v->namespace, NULL);
	jw_kstr(w, "severity", cdx_severity(v->severity));
	jw_kstr(w, "method", "other");
	jw_obj_close(w);
	for (i = 0; i < v->n_cvss; i++) {
		const struct customs_cvss *s = &v->cvss[i];

		jw_obj_open(w);
		if (s->source)
			source(w, s->source, NULL);
		if (s->base_score >= 0) {
			jw_kdouble(w, "score", s->base_score);
			jw_kstr(w, "severity",
				cdx_severity(customs_severity_from_score(
					s->base_score)));
		}
		jw_kstr(w, "method", method(s->version));
		jw_kstr(w, "vector", s->vector);
		jw_obj_close(w);
	}
	if (v->has_epss) {
		char why[64];

		snprintf(why, sizeof(why), "EPSS probability, percentile %.5g",
			 v->epss_percentile);
		jw_obj_open(w);
		source(w, "FIRST", "https://www.first.org/epss/");
		jw_kdouble(w, "score", v->epss_score);
		jw_kstr(w, "method", "other");
		jw_kstr(w, "justification", why);
		jw_obj_close(w);
	}
	if (v->in_kev) {
		jw_obj_open(w);
		source(w, "CISA KEV Catalog",
		       "https://www.cisa.gov/known-exploited-vulnerabilities-"
		       "catalog");
		jw_kint(w, "score", 1);
		jw_kstr(w, "method", "other");
		jw_kstr(w, "justification", "Listed in CISA KEV");
		jw_obj_close(w);
	}
	jw_arr_close(w);
}

/* "CWE-79" -> 79; 0 for anything else ("NVD-CWE-Other"). */
static long cwe_number(const char *s)
{
	char *end;
	long n;

	if (strncmp(s, "CWE-", 4) || s[4] < '1' || s[4] > '9')
		return 0;
	n = strtol(s + 4, &end, 10);
	return *end || n <= 0 || n > 100000000 ? 0 : n;
}

static void cwes(struct jw *w, const struct customs_finding_vuln *v)
{
	size_t i, n = 0;

	for (i = 0; i < v->cwes.n; i++)
		n += cwe_number(v->cwes.v[i]) > 0;
	if (!n)
		return;
	jw_key(w, "cwes");
	jw_arr_open(w);
	for (i = 0; i < v->cwes.n; i++) {
		long c = cwe_number(v->cwes.v[i]);

		if (c > 0 && !rep_dup(v->cwes.v, i))
			jw_int(w, c);
	}
	jw_arr_close(w);
}

static void references(struct cdx *c, struct jw *w,
		       const struct customs_finding_vuln *v)
{
	size_t i;

	if (!v->aliases.n)
		return;
	jw_key(w, "references");
	jw_arr_open(w);
	for (i = 0; i < v->aliases.n; i++) {
		struct customs_finding_vuln alias = { 0 };
		const char *id = v->aliases.v[i];

		alias.id = (char *)id;
		rep_reset(&c->b, &c->err);
		rep_vuln_url(&c->b, &alias);
		jw_obj_open(w);
		jw_kstr(w, "id", id);
		source(w,
		       !strncmp(id, "CVE-", 4)	  ? "NVD"
		       : !strncmp(id, "GHSA-", 5) ? "GitHub Advisories"
						  : "OSV",
		       c->b.ptr);
		jw_obj_close(w);
	}
	jw_arr_close(w);
}

/* RFC 3339 date-time as the schema's format wants it, or NULL. */
static const char *date_time(const char *s)
{
	if (!s || strlen(s) < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T')
		return NULL;
	return s;
}

/* The purl type of p ("deb", "npm") for vers ranges, else "generic". */
static void vers_type(char *out, size_t cap, const struct customs_pkg *p)
{
	const char *t = p && p->purl && !strncmp(p->purl, "pkg:", 4)
				? p->purl + 4
				: NULL;
	size_t n = t ? strcspn(t, "/") : 0;

	if (!n || n >= cap || !t[n] ||
	    strspn(t, "abcdefghijklmnopqrstuvwxyz0123456789.+-") < n)
		n = 0;
	if (n)
		memcpy(out, t, n);
	else
		snprintf(out, cap, "generic");
	if (n)
		out[n] = 0;
}

static void affects(struct cdx *c, struct jw *w,
		    const struct customs_finding *f, const char *ref)
{
	char type[32];
	size_t i;

	jw_key(w, "affects");
	jw_arr_open(w);
	jw_obj_open(w);
	jw_kstr(w, "ref", ref);
	jw_key(w, "versions");
	jw_arr_open(w);
	/* the schema bounds a version at 1024 bytes, a range at 4096 */
	if (f->pkg && f->pkg->version && f->pkg->version[0] &&
	    strlen(f->pkg->version) <= 1024) {
		jw_obj_open(w);
		jw_kstr(w, "version", f->pkg->version);
		jw_kstr(w, "status", "affected");
		jw_obj_close(w);
	}
	vers_type(type, sizeof(type), f->pkg);
	for (i = 0; f->fix_state == CUSTOMS_FIX_FIXED && i < f->fix_versions.n;
	     i++) {
		const char *v = f->fix_versions.v[i];

		/* vers separates constraints with '|': such a version
		 * cannot be written as one */
		if (!v[0] || strpbrk(v, "| \t") || strlen(v) > 4000 ||
		    rep_dup(f->fix_versions.v, i))
			continue;
		rep_reset(&c->b, &c->err);
		cbuf_printf(&c->b, "vers:%s/>=%s", type, v);
		jw_obj_open(w);
		jw_kstr(w, "range", c->b.ptr);
		jw_kstr(w, "status", "unaffected");
		jw_obj_close(w);
	}
	jw_arr_close(w);
	jw_obj_close(w);
	jw_arr_close(w);
}

/* OpenVEX justification -> CycloneDX justification, or NULL. */
static const char *vex_justification(const char *reason)
{
	static const char *const map[][2] = {
		{ "component_not_present", "code_not_present" },
		{ "vulnerable_code_not_present", "code_not_present" },
		{ "vulnerable_code_not_in_execute_path", "code_not_reachable" },
		{ "vulnerable_code_cannot_be_controlled_by_adversary",
		  "requires_environment" },
		{ "inline_mitigations_already_exist",
		  "protected_by_mitigating_control" },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (strstr(reason, map[i][0]))
			return map[i][1];
	}
	return NULL;
}

/* The analysis state and justification the suppressions assert. */
static void analysis_state(const struct customs_finding *f, const char **state,
			   const char **just)
{
	size_t i;

	*state = *just = NULL;
	for (i = 0; i < f->n_suppressions; i++) {
		const struct customs_suppression *s = &f->suppressions[i];

		if (s->kind == CUSTOMS_SUPPRESS_VEX) {
			if (strstr(s->reason, "not_affected")) {
				*state = "not_affected";
				*just = vex_justification(s->reason);
				return;
			}
			if (strstr(s->reason, "fixed")) {
				*state = "resolved";
				return;
			}
		} else if (s->kind == CUSTOMS_SUPPRESS_NOT_AFFECTED) {
			*state = "not_affected";
		}
	}
}

static void analysis(struct cdx *c, struct jw *w,
		     const struct customs_finding *f)
{
	const char *state, *just;

	if (!f->ignored)
		return;
	analysis_state(f, &state, &just);
	rep_reset(&c->b, &c->err);
	rep_suppressions(&c->b, f);
	jw_key(w, "analysis");
	jw_obj_open(w);
	jw_kstr(w, "state", state);
	jw_kstr(w, "justification", just);
	jw_kstr(w, "detail", c->b.ptr);
	jw_obj_close(w);
}

static void prop(struct jw *w, const char *name, const char *value)
{
	if (!value)
		return;
	jw_obj_open(w);
	jw_kstr(w, "name", name);
	jw_kstr(w, "value", value);
	jw_obj_close(w);
}

static void props(struct jw *w, const struct customs_finding *f)
{
	size_t i;

	jw_key(w, "properties");
	jw_arr_open(w);
	prop(w, "customs:fixState", customs_fix_state_name(f->fix_state));
	prop(w, "customs:matchType", customs_match_type_name(f->match_type));
	prop(w, "customs:matcher", f->matcher);
	prop(w, "customs:namespace", f->vuln.namespace);
	prop(w, "customs:searchedBy:name", f->searched_name);
	prop(w, "customs:searchedBy:version", f->searched_version);
	prop(w, "customs:found:ranges", f->found_ranges);
	prop(w, "customs:kev:dateAdded", f->vuln.kev_date_added);
	prop(w, "customs:kev:dueDate", f->vuln.kev_due_date);
	if (f->vuln.kev_ransomware)
		prop(w, "customs:kev:ransomware", "true");
	if (f->ignored)
		prop(w, "customs:ignored", "true");
	for (i = 0; i < f->n_suppressions; i++)
		prop(w, "customs:suppression",
		     customs_suppress_kind_name(f->suppressions[i].kind));
	jw_arr_close(w);
}

static int vulnerability(struct cdx *c, struct jw *w,
			 const struct customs_finding *f, const bool *own)
{
	char buf[32];
	const char *ref = pkg_ref(c, buf, f->pkg, own);
	struct cbuf *fix = &c->fix;

	if (!ref) /* the result breaks its contract: never drop silently */
		return CUSTOMS_EINTERNAL;
	jw_obj_open(w);
	rep_reset(&c->b, &c->err);
	cbuf_printf(&c->b, "customs:vuln:%s:%s", f->vuln.id, ref);
	jw_kstr(w, "bom-ref", c->b.ptr);
	jw_kstr(w, "id", f->vuln.id);
	rep_reset(&c->b, &c->err);
	rep_vuln_url(&c->b, &f->vuln);
	source(w, f->vuln.namespace, c->b.ptr);
	references(c, w, &f->vuln);
	ratings(w, f);
	cwes(w, &f->vuln);
	jw_kstr(w, "description", f->vuln.description);
	rep_reset(fix, &c->err);
	rep_fix_versions(fix, f);
	if (fix->len && f->pkg->name) {
		rep_reset(&c->b, &c->err);
		cbuf_printf(&c->b, "Upgrade %s to %s.", f->pkg->name, fix->ptr);
		jw_kstr(w, "recommendation", c->b.ptr);
	}
	if (f->vuln.link && f->vuln.link[0]) {
		jw_key(w, "advisories");
		jw_arr_open(w);
		jw_obj_open(w);
		jw_kstr(w, "url", f->vuln.link);
		jw_obj_close(w);
		jw_arr_close(w);
	}
	jw_kstr(w, "published", date_time(f->vuln.published));
	analysis(c, w, f);
	affects(c, w, f, ref);
	props(w, f);
	jw_obj_close(w);
	/* ENOMEM, or ELIMIT for a text past REPORT_MAX_TEXT: never cut */
	if (c->err)
		return c->err;
	return cbuf_error(&c->b) ? cbuf_error(&c->b) : cbuf_error(fix);
}

static int vulnerabilities(struct jw *w, const bool *own, void *arg)
{
	struct cdx *c = arg;
	size_t i;
	int rc = 0;

	jw_key(w, "vulnerabilities");
	jw_arr_open(w);
	for (i = 0; !rc && i < c->list.n; i++)
		rc = vulnerability(c, w, c->list.v[i], own);
	jw_arr_close(w);
	return rc;
}

/* A serial-number seed from the SBOM's and the findings' content. */
static int seed(struct cdx *c, const struct customs_sbom_write_opts *so)
{
	char uuid[37];
	size_t i;
	int rc = sbom_uuid(uuid, c->res->sbom, so);

	if (rc)
		return rc;
	rep_reset(&c->b, &c->err);
	cbuf_printf(&c->b, "customs-scan\n%s\n", uuid);
	for (i = 0; i < c->list.n; i++) {
		const struct customs_finding *f = c->list.v[i];

		cbuf_printf(&c->b, "%s\t%s\t%d\n", f->vuln.id,
			    f->pkg && f->pkg->id ? f->pkg->id : "",
			    (int)f->ignored);
	}
	return cbuf_error(&c->b);
}

int report_write_cdx(struct jw *w, const struct customs_match_result *res,
		     const struct customs_report_opts *o)
{
	struct customs_sbom_write_opts so = CUSTOMS_SBOM_WRITE_OPTS_INIT;
	struct cdx c = { 0 };
	char *seed_str = NULL;
	int rc;

	c.res = res;
	c.o = o;
	/* the seed lists every finding: bounded by the result, not by a
	 * text limit */
	cbuf_init(&c.b, SIZE_MAX / 2);
	cbuf_init(&c.fix, REPORT_MAX_TEXT);
	so.created = o->created;
	so.tool_version = o->tool_version ? o->tool_version : CUSTOMS_VERSION;
	rc = rep_list_make(&c.list, res, o);
	if (!rc)
		rc = make_pos(&c);
	if (!rc)
		rc = seed(&c, &so);
	if (!rc && !(seed_str = cbuf_detach(&c.b)))
		rc = CUSTOMS_ENOMEM;
	cbuf_init(&c.b, REPORT_MAX_TEXT); /* from here on: one text */
	if (!rc) {
		so.namespace_seed = seed_str;
		rc = sbom_write_cdx_with(w, res->sbom, &so, vulnerabilities,
					 &c);
	}
	cbuf_release(&c.b);
	cbuf_release(&c.fix);
	customs_free(seed_str);
	customs_free(c.pos);
	customs_free(c.list.v);
	return rc;
}
