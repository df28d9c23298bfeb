/*
 * The scan result as JSON, schema "customs.scan/v1" (docs/scan-json.md):
 * source, distro, db, matches[], ignored[] (with ignored_by), warnings[].
 * Key names are a contract: the policy gate reads them. Findings are in
 * the result's order (severity, then package), so output is stable.
 */
#include <string.h>

#include "jsonw.h"
#include "scan.h"
#include "customs/sbom.h"
#include "util/banned.h"

static void strlist(struct jsonw *w, const char *key,
		    const struct customs_strlist *l)
{
	size_t i;

	jsonw_key(w, key);
	jsonw_arr_open(w);
	for (i = 0; i < l->n; i++)
		jsonw_str(w, l->v[i]);
	jsonw_arr_close(w);
}

static void kdouble(struct jsonw *w, const char *key, double v)
{
	jsonw_key(w, key);
	if (v < 0)
		jsonw_null(w);
	else
		jsonw_double(w, v);
}

static void cvss(struct jsonw *w, const struct customs_finding_vuln *v)
{
	size_t i;

	jsonw_key(w, "cvss");
	jsonw_arr_open(w);
	for (i = 0; i < v->n_cvss; i++) {
		const struct customs_cvss *c = &v->cvss[i];

		jsonw_obj_open(w);
		jsonw_kstr(w, "version", c->version);
		jsonw_kstr(w, "vector", c->vector);
		kdouble(w, "base_score", c->base_score);
		kdouble(w, "exploitability_score", c->exploitability_score);
		kdouble(w, "impact_score", c->impact_score);
		jsonw_kstr(w, "source", c->source);
		jsonw_kstr(w, "type", c->primary ? "Primary" : "Secondary");
		jsonw_obj_close(w);
	}
	jsonw_arr_close(w);
}

static void kev_epss(struct jsonw *w, const struct customs_finding_vuln *v)
{
	jsonw_key(w, "kev");
	if (v->in_kev) {
		jsonw_obj_open(w);
		jsonw_kstr(w, "date_added", v->kev_date_added);
		jsonw_kstr(w, "due_date", v->kev_due_date);
		jsonw_kbool(w, "ransomware", v->kev_ransomware);
		jsonw_obj_close(w);
	} else {
		jsonw_null(w);
	}
	jsonw_key(w, "epss");
	if (v->has_epss) {
		jsonw_obj_open(w);
		kdouble(w, "score", v->epss_score);
		kdouble(w, "percentile", v->epss_percentile);
		jsonw_obj_close(w);
	} else {
		jsonw_null(w);
	}
}

static void vuln(struct jsonw *w, const struct customs_finding_vuln *v)
{
	jsonw_key(w, "vulnerability");
	jsonw_obj_open(w);
	jsonw_kstr(w, "id", v->id);
	jsonw_kstr(w, "namespace", v->namespace);
	jsonw_kstr(w, "severity", customs_severity_name(v->severity));
	jsonw_kstr(w, "link", v->link);
	jsonw_kstr(w, "description", v->description);
	strlist(w, "aliases", &v->aliases);
	cvss(w, v);
	kev_epss(w, v);
	jsonw_kstr(w, "published", v->published);
	jsonw_obj_close(w);
}

static void package(struct jsonw *w, const struct customs_pkg *p)
{
	size_t i;

	jsonw_key(w, "package");
	jsonw_obj_open(w);
	jsonw_kstr(w, "id", p->id);
	jsonw_kstr(w, "name", p->name);
	jsonw_kstr(w, "version", p->version);
	jsonw_kstr(w, "type", customs_pkg_type_name(p->type));
	jsonw_kstr(w, "purl", p->purl);
	jsonw_key(w, "locations");
	jsonw_arr_open(w);
	for (i = 0; i < p->n_locations; i++) {
		const struct customs_pkg_location *l = &p->locations[i];

		jsonw_obj_open(w);
		jsonw_kpath(w, "path", l->path);
		jsonw_key(w, "layer");
		if (l->layer >= 0)
			jsonw_i64(w, l->layer);
		else
			jsonw_null(w);
		jsonw_kstr(w, "layer_id", l->layer_id);
		jsonw_obj_close(w);
	}
	jsonw_arr_close(w);
	jsonw_obj_close(w);
}

static void fix_and_match(struct jsonw *w, const struct customs_finding *f)
{
	jsonw_key(w, "fix");
	jsonw_obj_open(w);
	jsonw_kstr(w, "state", customs_fix_state_name(f->fix_state));
	strlist(w, "versions", &f->fix_versions);
	jsonw_kstr(w, "date", f->fix_date);
	jsonw_obj_close(w);
	jsonw_key(w, "match");
	jsonw_obj_open(w);
	jsonw_kstr(w, "type", customs_match_type_name(f->match_type));
	jsonw_kstr(w, "matcher", f->matcher);
	jsonw_key(w, "searched_by");
	jsonw_obj_open(w);
	jsonw_kstr(w, "namespace", f->searched_namespace);
	jsonw_kstr(w, "name", f->searched_name);
	jsonw_kstr(w, "version", f->searched_version);
	jsonw_obj_close(w);
	jsonw_key(w, "found");
	jsonw_obj_open(w);
	jsonw_kstr(w, "ranges", f->found_ranges);
	strlist(w, "versions_listed", &f->found_versions);
	strlist(w, "fixed", &f->found_fixed);
	jsonw_obj_close(w);
	jsonw_obj_close(w);
}

static void finding(struct jsonw *w, const struct customs_finding *f)
{
	size_t i;

	jsonw_obj_open(w);
	vuln(w, &f->vuln);
	package(w, f->pkg);
	fix_and_match(w, f);
	if (f->ignored) {
		jsonw_key(w, "ignored_by");
		jsonw_arr_open(w);
		for (i = 0; i < f->n_suppressions; i++) {
			jsonw_obj_open(w);
			jsonw_kstr(w, "kind",
				   customs_suppress_kind_name(
					   f->suppressions[i].kind));
			jsonw_kstr(w, "reason", f->suppressions[i].reason);
			jsonw_obj_close(w);
		}
		jsonw_arr_close(w);
	}
	jsonw_obj_close(w);
}

static void findings(struct jsonw *w, const char *key,
		     const struct customs_finding *v, size_t n)
{
	size_t i;

	jsonw_key(w, key);
	jsonw_arr_open(w);
	for (i = 0; i < n; i++)
		finding(w, &v[i]);
	jsonw_arr_close(w);
}

static void source_distro(struct jsonw *w, const struct customs_match_result *r)
{
	const struct customs_sbom *s = r->sbom;

	jsonw_key(w, "source");
	jsonw_obj_open(w);
	jsonw_kstr(w, "kind", s->source.kind);
	jsonw_kstr(w, "name", s->source.name);
	jsonw_kstr(w, "image_id", s->source.image_id);
	jsonw_kstr(w, "manifest_digest", s->source.manifest_digest);
	strlist(w, "tags", &s->source.tags);
	jsonw_obj_close(w);
	jsonw_key(w, "distro");
	jsonw_obj_open(w);
	jsonw_kstr(w, "id", s->distro.id);
	jsonw_kstr(w, "version_id", s->distro.version_id);
	jsonw_kstr(w, "namespace", r->distro_namespace);
	jsonw_obj_close(w);
	jsonw_key(w, "db");
	jsonw_obj_open(w);
	jsonw_kstr(w, "path", r->db.path);
	jsonw_kstr(w, "built", r->db.built);
	strlist(w, "sources", &r->db.sources);
	jsonw_obj_close(w);
}

int scan_write_json(FILE *f, const struct customs_match_result *res,
		    const struct scan_write_opts *opts, struct customs_ctx *ctx)
{
	struct jsonw w;
	struct customs_strlist warnings = res->warnings;
	size_t i;

	(void)opts;
	(void)ctx;
	jsonw_init(&w, f, true);
	jsonw_obj_open(&w);
	jsonw_kstr(&w, "schema", "customs.scan/v1");
	source_distro(&w, res);
	findings(&w, "matches", res->matches, res->n_matches);
	findings(&w, "ignored", res->ignored, res->n_ignored);
	jsonw_key(&w, "warnings");
	jsonw_arr_open(&w);
	for (i = 0; i < res->sbom->warnings.n; i++)
		jsonw_str(&w, res->sbom->warnings.v[i]);
	for (i = 0; i < warnings.n; i++)
		jsonw_str(&w, warnings.v[i]);
	jsonw_arr_close(&w);
	jsonw_obj_close(&w);
	jsonw_end(&w);
	return 0;
}
