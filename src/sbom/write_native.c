/*
 * The native JSON writer (schema "customs.sbom/v1", docs/sbom-json.md).
 * It is lossless: every field of struct customs_sbom is written, and
 * read_native.c reads it back to the same struct, so write -> read ->
 * write gives the same bytes. Absent (NULL) strings are left out, paths
 * get a leading "/" (the reader takes exactly one off), layer numbers
 * are written only when known (>= 0).
 */
#include "sbom/sbom_int.h"
#include "util/banned.h"

static void strlist(struct jw *w, const char *key,
		    const struct customs_strlist *l)
{
	size_t i;

	jw_key(w, key);
	jw_arr_open(w);
	for (i = 0; i < l->n; i++)
		jw_str(w, l->v[i]);
	jw_arr_close(w);
}

static void source(struct jw *w, const struct customs_sbom_source *s)
{
	jw_key(w, "source");
	jw_obj_open(w);
	jw_kstr(w, "kind", s->kind);
	jw_kstr(w, "name", s->name);
	jw_kstr(w, "image_id", s->image_id);
	jw_kstr(w, "manifest_digest", s->manifest_digest);
	jw_kstr(w, "os", s->os);
	jw_kstr(w, "arch", s->arch);
	strlist(w, "tags", &s->tags);
	strlist(w, "layer_ids", &s->layer_ids);
	jw_obj_close(w);
}

static void distro(struct jw *w, const struct customs_sbom_distro *d)
{
	jw_key(w, "distro");
	jw_obj_open(w);
	jw_kstr(w, "id", d->id);
	jw_kstr(w, "version_id", d->version_id);
	jw_kstr(w, "version", d->version);
	jw_kstr(w, "pretty_name", d->pretty_name);
	jw_kstr(w, "id_like", d->id_like);
	jw_kstr(w, "cpe", d->cpe);
	jw_obj_close(w);
}

static void location(struct jw *w, const struct customs_pkg_location *l)
{
	jw_obj_open(w);
	jw_kstr2(w, "path", "/", l->path);
	jw_kstr2(w, "access_path", "/", l->access_path);
	if (l->layer >= 0)
		jw_kint(w, "layer", l->layer);
	jw_kstr(w, "layer_id", l->layer_id);
	jw_kstr(w, "evidence",
		l->evidence == CUSTOMS_EVIDENCE_SUPPORTING ? "supporting"
							   : "primary");
	jw_kbool(w, "visible", l->visible);
	jw_obj_close(w);
}

static void file(struct jw *w, const struct customs_pkg_file *f)
{
	jw_obj_open(w);
	jw_kstr2(w, "path", "/", f->path);
	jw_kstr(w, "algorithm", f->algorithm);
	jw_kstr(w, "digest", f->digest);
	jw_kbool(w, "config", f->config);
	jw_obj_close(w);
}

static void package(struct jw *w, const struct customs_pkg *p)
{
	size_t i;

	jw_obj_open(w);
	jw_kstr(w, "id", p->id);
	jw_kstr(w, "type", customs_pkg_type_name(p->type));
	jw_kstr(w, "name", p->name);
	jw_kstr(w, "version", p->version);
	jw_kstr(w, "arch", p->arch);
	jw_kstr(w, "namespace", p->namespace);
	jw_kstr(w, "source_name", p->source_name);
	jw_kstr(w, "source_version", p->source_version);
	jw_kstr(w, "found_by", p->found_by);
	jw_kstr(w, "purl", p->purl);
	strlist(w, "cpes", &p->cpes);
	strlist(w, "licenses", &p->licenses);
	jw_key(w, "meta");
	jw_obj_open(w);
	for (i = 0; i < p->meta.n; i++)
		jw_kstr(w, p->meta.keys[i], p->meta.values[i]);
	jw_obj_close(w);
	if (p->introduced_layer >= 0)
		jw_kint(w, "introduced_layer", p->introduced_layer);
	jw_key(w, "locations");
	jw_arr_open(w);
	for (i = 0; i < p->n_locations; i++)
		location(w, &p->locations[i]);
	jw_arr_close(w);
	jw_key(w, "files");
	jw_arr_open(w);
	for (i = 0; i < p->n_files; i++)
		file(w, &p->files[i]);
	jw_arr_close(w);
	jw_obj_close(w);
}

int sbom_write_native(struct jw *w, const struct customs_sbom *s,
		      const struct customs_sbom_write_opts *o)
{
	size_t i;

	jw_obj_open(w);
	jw_kstr(w, "schema", "customs.sbom/v1");
	jw_kstr(w, "created", o->created);
	source(w, &s->source);
	distro(w, &s->distro);
	jw_kstr(w, "scope", s->scope);
	jw_key(w, "packages");
	jw_arr_open(w);
	for (i = 0; i < s->pkgs.n; i++)
		package(w, s->pkgs.v[i]);
	jw_arr_close(w);
	strlist(w, "warnings", &s->warnings);
	jw_obj_close(w);
	return 0;
}
