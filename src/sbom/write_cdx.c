/*
 * CycloneDX 1.6 JSON, shaped like Syft's output (scanners.md 3.2) with
 * "customs:" property names:
 * - metadata: tools.components [customs], the described image (type
 *   container; version = image id, else manifest digest) or directory
 *   (type file), timestamp only when a creation time is asked for, and
 *   the scope, source facts and every warning as properties, so a
 *   partial SBOM says so;
 * - one operating-system component for the distribution;
 * - one component per package: bom-ref = package id, group = maven
 *   groupId, the first CPE in "cpe" and the others as customs:cpe23
 *   properties, licences as SPDX ids, names or one expression, SHA-1/
 *   SHA-256 hashes when a cataloger recorded them, then properties for
 *   everything else the model holds (read_cdx.c maps them back).
 * The serial number is derived from the content unless seeded.
 * sbom_write_cdx_with() lets the vulnerability report (src/report) append
 * its own top-level members after the components, so both documents share
 * one component writer and the same bom-refs (sbom_cdx_ref).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "sbom/sbom_int.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/banned.h"

static void prop(struct jw *w, const char *name, const char *value)
{
	if (!value)
		return;
	jw_obj_open(w);
	jw_kstr(w, "name", name);
	jw_kstr(w, "value", value);
	jw_obj_close(w);
}

static void propn(struct jw *w, const char *fmt, size_t i, const char *what,
		  const char *prefix, const char *value)
{
	char name[96];

	if (!value)
		return;
	snprintf(name, sizeof(name), fmt, i, what);
	jw_obj_open(w);
	jw_kstr(w, "name", name);
	jw_kstr2(w, "value", prefix, value);
	jw_obj_close(w);
}

static void tool(struct jw *w, const struct customs_sbom_write_opts *o)
{
	jw_key(w, "tools");
	jw_obj_open(w);
	jw_key(w, "components");
	jw_arr_open(w);
	jw_obj_open(w);
	jw_kstr(w, "type", "application");
	jw_kstr(w, "name", "customs");
	jw_kstr(w, "version", o->tool_version ? o->tool_version : "unknown");
	jw_obj_close(w);
	jw_arr_close(w);
	jw_obj_close(w);
}

static bool is_dir(const struct customs_sbom *s)
{
	return s->source.kind && !strcmp(s->source.kind, "directory");
}

static void subject(struct jw *w, const struct customs_sbom *s)
{
	const char *v = s->source.image_id ? s->source.image_id
					   : s->source.manifest_digest;

	jw_key(w, "component");
	jw_obj_open(w);
	jw_kstr(w, "type", is_dir(s) ? "file" : "container");
	jw_kstr(w, "bom-ref", "customs:source");
	jw_kstr(w, "name", s->source.name ? s->source.name : "unknown");
	jw_kstr(w, "version", v);
	jw_obj_close(w);
}

static void meta_props(struct jw *w, const struct customs_sbom *s)
{
	const struct customs_sbom_source *src = &s->source;
	size_t i;

	jw_key(w, "properties");
	jw_arr_open(w);
	prop(w, "customs:scope", s->scope);
	prop(w, "customs:source:kind", src->kind);
	prop(w, "customs:source:manifestDigest", src->manifest_digest);
	prop(w, "customs:source:os", src->os);
	prop(w, "customs:source:arch", src->arch);
	for (i = 0; i < src->tags.n; i++)
		prop(w, "customs:source:tag", src->tags.v[i]);
	for (i = 0; i < src->layer_ids.n; i++)
		propn(w, "customs:source:layer:%zu:%s", i, "id", "",
		      src->layer_ids.v[i]);
	for (i = 0; i < s->warnings.n; i++)
		prop(w, "customs:warning", s->warnings.v[i]);
	jw_arr_close(w);
}

static void os_component(struct jw *w, const struct customs_sbom_distro *d)
{
	char ref[256];

	snprintf(ref, sizeof(ref), "os:%s@%s", d->id,
		 d->version_id ? d->version_id : "");
	jw_obj_open(w);
	jw_kstr(w, "type", "operating-system");
	jw_kstr(w, "bom-ref", ref);
	jw_kstr(w, "name", d->id);
	jw_kstr(w, "version", d->version_id);
	jw_kstr(w, "description", d->pretty_name);
	jw_key(w, "properties");
	jw_arr_open(w);
	prop(w, "customs:distro:version", d->version);
	prop(w, "customs:distro:idLike", d->id_like);
	prop(w, "customs:distro:cpe", d->cpe);
	jw_arr_close(w);
	jw_obj_close(w);
}

static bool hex_of(const char *s, size_t n)
{
	size_t i;

	if (!s || strlen(s) != n)
		return false;
	for (i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return false;
	}
	return true;
}

static void hashes(struct jw *w, const struct customs_pkg *p)
{
	const char *sha1 = customs_pkg_meta_get(p, "sha1");
	const char *sha256 = customs_pkg_meta_get(p, "sha256");

	if (!hex_of(sha1, 40) && !hex_of(sha256, 64))
		return;
	jw_key(w, "hashes");
	jw_arr_open(w);
	if (hex_of(sha1, 40)) {
		jw_obj_open(w);
		jw_kstr(w, "alg", "SHA-1");
		jw_kstr(w, "content", sha1);
		jw_obj_close(w);
	}
	if (hex_of(sha256, 64)) {
		jw_obj_open(w);
		jw_kstr(w, "alg", "SHA-256");
		jw_kstr(w, "content", sha256);
		jw_obj_close(w);
	}
	jw_arr_close(w);
}

/*
 * CycloneDX takes either license objects or exactly one expression. One
 * expression when every declared licence is an id or an expression and
 * one of them is compound; otherwise objects (expressions as names).
 */
static int one_expression(char **out, const struct customs_pkg *p)
{
	struct cbuf b;
	bool compound = false, all = true;
	size_t i;
	int rc = 0;

	*out = NULL;
	cbuf_init(&b, 1 << 20);
	for (i = 0; !rc && all && i < p->licenses.n; i++) {
		enum sbom_lic_kind k;
		const char *v;
		char *owned = NULL;
		bool c;

		rc = sbom_license(&k, &v, &owned, p->licenses.v[i]);
		all = !rc && k != SBOM_LIC_NAME;
		c = all && k == SBOM_LIC_EXPR && strchr(v, ' ');
		compound |= c;
		if (all && i)
			cbuf_puts(&b, " AND ");
		if (all)
			cbuf_printf(&b, c && p->licenses.n > 1 ? "(%s)" : "%s",
				    v);
		customs_free(owned);
	}
	if (!rc && all && compound) {
		if (cbuf_error(&b) == CUSTOMS_ENOMEM)
			rc = CUSTOMS_ENOMEM;
		else if (!cbuf_error(&b) && !(*out = cbuf_detach(&b)))
			rc = CUSTOMS_ENOMEM;
	}
	cbuf_release(&b);
	return rc;
}

static int licenses(struct jw *w, const struct customs_pkg *p)
{
	char *expr = NULL;
	size_t i;
	int rc;

	if (!p->licenses.n)
		return 0;
	rc = one_expression(&expr, p);
	if (rc)
		return rc;
	jw_key(w, "licenses");
	jw_arr_open(w);
	if (expr) {
		jw_obj_open(w);
		jw_kstr(w, "expression", expr);
		jw_obj_close(w);
	}
	for (i = 0; !expr && i < p->licenses.n; i++) {
		const char *id = customs_license_spdx_id(p->licenses.v[i]);

		jw_obj_open(w);
		jw_key(w, "license");
		jw_obj_open(w);
		if (id)
			jw_kstr(w, "id", id);
		else
			jw_kstr(w, "name", p->licenses.v[i]);
		jw_obj_close(w);
		jw_obj_close(w);
	}
	jw_arr_close(w);
	customs_free(expr);
	return 0;
}

static void location_props(struct jw *w, const struct customs_pkg *p)
{
	const char *f = "customs:location:%zu:%s";
	size_t i;

	for (i = 0; i < p->n_locations; i++) {
		const struct customs_pkg_location *l = &p->locations[i];
		char num[16];

		propn(w, f, i, "path", "/", l->path);
		propn(w, f, i, "accessPath", "/", l->access_path);
		if (l->layer >= 0) {
			snprintf(num, sizeof(num), "%d", l->layer);
			propn(w, f, i, "layer", "", num);
		}
		propn(w, f, i, "layerID", "", l->layer_id);
		propn(w, f, i, "evidence", "",
		      l->evidence == CUSTOMS_EVIDENCE_SUPPORTING ? "supporting"
								 : "primary");
		propn(w, f, i, "visible", "", l->visible ? "true" : "false");
	}
}

static void file_props(struct jw *w, const struct customs_pkg *p)
{
	const char *f = "customs:file:%zu:%s";
	size_t i;

	for (i = 0; i < p->n_files; i++) {
		const struct customs_pkg_file *x = &p->files[i];

		propn(w, f, i, "path", "/", x->path);
		propn(w, f, i, "algorithm", "", x->algorithm);
		propn(w, f, i, "digest", "", x->digest);
		if (x->config)
			propn(w, f, i, "config", "", "true");
	}
}

static void pkg_props(struct jw *w, const struct customs_pkg *p,
		      const struct customs_sbom_write_opts *o)
{
	char num[16];
	size_t i;

	jw_key(w, "properties");
	jw_arr_open(w);
	prop(w, "customs:package:type", customs_pkg_type_name(p->type));
	prop(w, "customs:package:foundBy", p->found_by);
	prop(w, "customs:package:arch", p->arch);
	prop(w, "customs:package:namespace", p->namespace);
	prop(w, "customs:package:sourceName", p->source_name);
	prop(w, "customs:package:sourceVersion", p->source_version);
	if (p->introduced_layer >= 0) {
		snprintf(num, sizeof(num), "%d", p->introduced_layer);
		prop(w, "customs:package:introducedLayer", num);
	}
	for (i = 1; i < p->cpes.n; i++)
		prop(w, "customs:cpe23", p->cpes.v[i]);
	location_props(w, p);
	for (i = 0; i < p->meta.n; i++) {
		jw_obj_open(w);
		jw_kstr2(w, "name", "customs:metadata:", p->meta.keys[i]);
		jw_kstr(w, "value", p->meta.values[i]);
		jw_obj_close(w);
	}
	if (o->include_files)
		file_props(w, p);
	jw_arr_close(w);
}

const char *sbom_cdx_ref(char buf[32], const struct customs_pkg *p, size_t idx,
			 bool own_id)
{
	if (own_id)
		return p->id;
	snprintf(buf, 32, "customs:pkg-%zu", idx);
	return buf;
}

static int component(struct jw *w, const struct customs_pkg *p, size_t idx,
		     bool own_id, const struct customs_sbom_write_opts *o)
{
	char ref[32];
	int rc;

	jw_obj_open(w);
	jw_kstr(w, "type",
		p->type == CUSTOMS_PKG_BINARY ? "application" : "library");
	jw_kstr(w, "bom-ref", sbom_cdx_ref(ref, p, idx, own_id));
	if (p->type == CUSTOMS_PKG_JAVA || p->type == CUSTOMS_PKG_JENKINS)
		jw_kstr(w, "group", p->namespace);
	jw_kstr(w, "name", p->name ? p->name : "");
	jw_kstr(w, "version", p->version);
	hashes(w, p);
	rc = licenses(w, p);
	if (p->cpes.n)
		jw_kstr(w, "cpe", p->cpes.v[0]);
	jw_kstr(w, "purl", p->purl);
	pkg_props(w, p, o);
	jw_obj_close(w);
	return rc;
}

/* The serial number: from a seed at once; else, where the output can be
 * patched, hashed on another thread while the document is written
 * (*late is the offset of a placeholder to replace); else at once. */
static int serial(struct jw *w, const struct customs_sbom *s,
		  const struct customs_sbom_write_opts *o,
		  struct sbom_uuid_task *t, uint64_t *late)
{
	static const char zero[] = "00000000-0000-0000-0000-000000000000";
	int rc = 0;

	*late = 0;
	if (w->patch && !o->namespace_seed) {
		sbom_uuid_start(t, s, o);
		jw_kstr2(w, "serialNumber", "urn:uuid:", zero);
		*late = jw_offset(w) - 37; /* the id and its closing quote */
		return 0;
	}
	rc = sbom_uuid(t->uuid, s, o);
	jw_kstr2(w, "serialNumber", "urn:uuid:", t->uuid);
	return rc;
}

int sbom_write_cdx_with(struct jw *w, const struct customs_sbom *s,
			const struct customs_sbom_write_opts *o,
			sbom_cdx_extra_fn extra, void *arg)
{
	struct sbom_uuid_task t = { 0 };
	uint64_t late;
	bool *own = NULL;
	size_t i;
	int rc = sbom_unique_ids(&own, s), urc;

	if (rc)
		return rc;
	jw_obj_open(w);
	jw_kstr(w, "$schema",
		"http://cyclonedx.org/schema/bom-1.6.schema.json");
	jw_kstr(w, "bomFormat", "CycloneDX");
	jw_kstr(w, "specVersion", "1.6");
	rc = serial(w, s, o, &t, &late);
	jw_kint(w, "version", 1);
	jw_key(w, "metadata");
	jw_obj_open(w);
	jw_kstr(w, "timestamp", o->created);
	tool(w, o);
	subject(w, s);
	meta_props(w, s);
	jw_obj_close(w);
	jw_key(w, "components");
	jw_arr_open(w);
	if (s->distro.id)
		os_component(w, &s->distro);
	for (i = 0; !rc && i < s->pkgs.n; i++)
		rc = component(w, s->pkgs.v[i], i, own[i], o);
	jw_arr_close(w);
	if (!rc && extra)
		rc = extra(w, own, arg);
	jw_obj_close(w);
	customs_free(own);
	if (late) {
		urc = sbom_uuid_join(&t);
		rc = rc ? rc : urc;
		if (!rc)
			jw_patch(w, late, t.uuid, 36);
	}
	return rc;
}

int sbom_write_cdx(struct jw *w, const struct customs_sbom *s,
		   const struct customs_sbom_write_opts *o)
{
	return sbom_write_cdx_with(w, s, o, NULL, NULL);
}
