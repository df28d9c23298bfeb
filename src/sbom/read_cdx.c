/*
 * Reading CycloneDX JSON (1.2-1.7) as customs, Syft and Trivy write it.
 *
 * - metadata.component is what was scanned (container -> image, file ->
 *   directory; a "sha256:" version is the image id), metadata.timestamp
 *   the creation time, metadata properties customs:warning/scope/source.
 * - An operating-system component is the distribution.
 * - Every other component (nested ones too, 8 levels deep at most) is a
 *   package: name, version, group, purl, cpe, licences, SHA-1, and the
 *   properties customs:* (ours), syft:* (Syft's) and
 *   aquasecurity:trivy:* (Trivy's) for type, cataloger, locations, layer
 *   ids, source package and metadata. What is still missing (type, arch,
 *   source) is taken from the PURL.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbom/sbom_int.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/banned.h"

#define MAX_DEPTH 8
#define MAX_LOC 1024

struct tmp_loc {
	char *path, *access, *layer_id;
	int layer;
	bool supporting, hidden;
};

struct tmp_file {
	char *path, *alg, *digest;
	bool config;
};

struct comp {
	struct tmp_loc loc[16];
	size_t n_loc;
	struct tmp_file *files;
	size_t n_files;
};

static void comp_release(struct comp *c)
{
	size_t i;

	for (i = 0; i < c->n_loc; i++) {
		customs_free(c->loc[i].path);
		customs_free(c->loc[i].access);
		customs_free(c->loc[i].layer_id);
	}
	for (i = 0; i < c->n_files; i++) {
		customs_free(c->files[i].path);
		customs_free(c->files[i].alg);
		customs_free(c->files[i].digest);
	}
	customs_free(c->files);
}

/* "N:rest" -> N (bounded) and rest; false when it is not that shape. */
static bool indexed(const char *s, size_t *n, const char **rest, size_t max)
{
	char *end;
	unsigned long v;

	if (!isdigit((unsigned char)*s))
		return false;
	v = strtoul(s, &end, 10);
	if (*end != ':' || v >= max)
		return false;
	*n = v;
	*rest = end + 1;
	return true;
}

static struct tmp_loc *loc_at(struct comp *c, size_t i)
{
	if (i >= sizeof(c->loc) / sizeof(c->loc[0]))
		return NULL;
	while (c->n_loc <= i)
		c->loc[c->n_loc++] = (struct tmp_loc){ .layer = -1 };
	return &c->loc[i];
}

static struct tmp_file *file_at(struct comp *c, size_t i)
{
	struct tmp_file *v;

	if (i < c->n_files)
		return &c->files[i];
	v = customs_reallocarray(c->files, i + 1, sizeof(*v));
	if (!v)
		return NULL;
	memset(v + c->n_files, 0, (i + 1 - c->n_files) * sizeof(*v));
	c->files = v;
	c->n_files = i + 1;
	return &v[i];
}

static int small_int(const char *v)
{
	char *end;
	long n = strtol(v, &end, 10);

	return *end || n < -1 || n > 1000000 ? -1 : (int)n;
}

static int loc_prop(struct comp *c, const char *rest, const char *v)
{
	struct tmp_loc *l;
	const char *what;
	size_t i;

	if (!indexed(rest, &i, &what, MAX_LOC) || !(l = loc_at(c, i)))
		return 0;
	if (!strcmp(what, "path"))
		return rd_path(&l->path, v);
	if (!strcmp(what, "accessPath"))
		return rd_path(&l->access, v);
	if (!strcmp(what, "layerID"))
		return customs_pkg_setz(&l->layer_id, v);
	if (!strcmp(what, "layer"))
		l->layer = small_int(v);
	else if (!strcmp(what, "evidence"))
		l->supporting = !strcmp(v, "supporting");
	else if (!strcmp(what, "visible"))
		l->hidden = !strcmp(v, "false");
	return 0;
}

static int file_prop(struct comp *c, const char *rest, const char *v)
{
	struct tmp_file *f;
	const char *what;
	size_t i;

	if (!indexed(rest, &i, &what, 1u << 20))
		return 0;
	if (i > c->n_files + 1024) /* no huge sparse arrays */
		return 0;
	if (!(f = file_at(c, i)))
		return CUSTOMS_ENOMEM;
	if (!strcmp(what, "path"))
		return rd_path(&f->path, v);
	if (!strcmp(what, "algorithm"))
		return customs_pkg_setz(&f->alg, v);
	if (!strcmp(what, "digest"))
		return customs_pkg_setz(&f->digest, v);
	if (!strcmp(what, "config"))
		f->config = !strcmp(v, "true");
	return 0;
}

/* Syft's camelCase metadata names to our lower_snake_case keys. */
static int meta_prop(struct customs_pkg *p, const char *key, const char *v)
{
	char k[128];
	size_t i, j = 0;

	for (i = 0; key[i] && j + 2 < sizeof(k); i++) {
		if (isupper((unsigned char)key[i])) {
			if (j)
				k[j++] = '_';
			k[j++] = (char)tolower((unsigned char)key[i]);
		} else {
			k[j++] = key[i];
		}
	}
	k[j] = '\0';
	return j ? customs_pkg_meta_set(p, k, v) : 0;
}

static int package_prop(struct customs_pkg *p, const char *what, const char *v)
{
	int n;

	if (!strcmp(what, "type"))
		customs_pkg_type_parse(&p->type, v);
	else if (!strcmp(what, "foundBy"))
		return customs_pkg_setz(&p->found_by, v);
	else if (!strcmp(what, "arch"))
		return customs_pkg_setz(&p->arch, v);
	else if (!strcmp(what, "namespace"))
		return customs_pkg_setz(&p->namespace, v);
	else if (!strcmp(what, "sourceName"))
		return customs_pkg_setz(&p->source_name, v);
	else if (!strcmp(what, "sourceVersion"))
		return customs_pkg_setz(&p->source_version, v);
	else if (!strcmp(what, "introducedLayer") && (n = small_int(v)) >= 0)
		p->introduced_layer = n;
	return 0;
}

static int trivy_prop(struct customs_pkg *p, struct comp *c, const char *what,
		      const char *v)
{
	struct tmp_loc *l;

	if (!strcmp(what, "SrcName"))
		return customs_pkg_setz(&p->source_name, v);
	if (!strcmp(what, "SrcVersion"))
		return customs_pkg_setz(&p->source_version, v);
	if (!strcmp(what, "FilePath") && (l = loc_at(c, 0)))
		return rd_path(&l->path, v);
	if (!strcmp(what, "LayerDiffID") && (l = loc_at(c, 0)))
		return customs_pkg_setz(&l->layer_id, v);
	return 0;
}

static int prop(struct customs_pkg *p, struct comp *c, const char *name,
		const char *v)
{
	const char *r = NULL;

	if (!strncmp(name, "customs:", 8))
		r = name + 8;
	else if (!strncmp(name, "syft:", 5))
		r = name + 5;
	else if (!strncmp(name, "aquasecurity:trivy:", 19))
		return trivy_prop(p, c, name + 19, v);
	if (!r)
		return 0;
	if (!strncmp(r, "package:", 8))
		return package_prop(p, r + 8, v);
	if (!strcmp(r, "cpe23"))
		return customs_pkg_add_cpe(p, v);
	if (!strncmp(r, "location:", 9))
		return loc_prop(c, r + 9, v);
	if (!strncmp(r, "file:", 5) && r == name + 8)
		return file_prop(c, r + 5, v);
	if (!strncmp(r, "metadata:", 9))
		return r == name + 8 ? customs_pkg_meta_set(p, r + 9, v)
				     : meta_prop(p, r + 9, v);
	return 0;
}

/* Visit each {name, value} string pair of o.properties. */
static int each_prop(struct rd *r, json_t *o, const char *path,
		     int (*fn)(void *arg, const char *name, const char *v),
		     void *arg)
{
	json_t *a, *e;
	size_t i;
	int rc = rd_arr(r, &a, o, "properties", path);

	json_array_foreach(a, i, e)
	{
		const char *n = json_string_value(json_object_get(e, "name"));
		const char *v = json_string_value(json_object_get(e, "value"));

		if (rc)
			break;
		if (n && v)
			rc = fn(arg, n, v);
	}
	return rc;
}

struct pc {
	struct customs_pkg *p;
	struct comp *c;
};

static int pkg_prop_cb(void *arg, const char *name, const char *v)
{
	struct pc *x = arg;

	return prop(x->p, x->c, name, v);
}

static int licenses(struct rd *r, struct customs_pkg *p, json_t *o,
		    const char *path)
{
	json_t *a, *e;
	size_t i;
	int rc = rd_arr(r, &a, o, "licenses", path);

	json_array_foreach(a, i, e)
	{
		json_t *lic = json_object_get(e, "license");
		const char *s =
			json_string_value(json_object_get(e, "expression"));

		if (rc)
			break;
		if (!s)
			s = json_string_value(json_object_get(lic, "id"));
		if (!s)
			s = json_string_value(json_object_get(lic, "name"));
		if (s)
			rc = customs_pkg_add_license(p, s);
	}
	return rc;
}

static int hashes(struct rd *r, struct customs_pkg *p, json_t *o,
		  const char *path)
{
	json_t *a, *e;
	size_t i;
	int rc = rd_arr(r, &a, o, "hashes", path);

	json_array_foreach(a, i, e)
	{
		const char *alg = json_string_value(json_object_get(e, "alg"));
		const char *v =
			json_string_value(json_object_get(e, "content"));

		if (rc || !alg || !v)
			continue;
		if (!strcmp(alg, "SHA-1"))
			rc = customs_pkg_meta_set(p, "sha1", v);
		else if (!strcmp(alg, "SHA-256"))
			rc = customs_pkg_meta_set(p, "sha256", v);
	}
	return rc;
}

/* A layer named without a path (Trivy's OS packages) still tells where
 * the package came in, when the document lists the image's layers. */
static void layer_only(struct customs_pkg *p, const struct customs_sbom *s,
		       const char *layer_id)
{
	size_t i;

	for (i = 0; layer_id && i < s->source.layer_ids.n; i++) {
		if (!strcmp(s->source.layer_ids.v[i], layer_id) &&
		    p->introduced_layer < 0)
			p->introduced_layer = (int)i;
	}
}

static int add_locations(struct customs_pkg *p, struct comp *c,
			 const struct customs_sbom *s)
{
	size_t i;

	for (i = 0; i < c->n_loc; i++) {
		struct tmp_loc *t = &c->loc[i];
		struct customs_pkg_location *l;

		if (!t->path) {
			layer_only(p, s, t->layer_id);
			continue;
		}
		if (customs_pkg_add_location(
			    p, t->path, t->access, t->layer,
			    t->supporting ? CUSTOMS_EVIDENCE_SUPPORTING
					  : CUSTOMS_EVIDENCE_PRIMARY))
			return CUSTOMS_ENOMEM;
		l = &p->locations[p->n_locations - 1];
		l->visible = !t->hidden;
		if (customs_pkg_setz(&l->layer_id, t->layer_id))
			return CUSTOMS_ENOMEM;
	}
	for (i = 0; i < c->n_files; i++) {
		struct tmp_file *f = &c->files[i];

		if (f->path && customs_pkg_add_file(p, f->path, f->alg,
						    f->digest, f->config))
			return CUSTOMS_ENOMEM;
	}
	return 0;
}

/* group: maven groupId, or an npm scope Trivy writes apart. */
static int apply_group(struct customs_pkg *p, const char *group)
{
	char buf[2048];

	if (!group || !*group)
		return 0;
	if ((p->type == CUSTOMS_PKG_JAVA || p->type == CUSTOMS_PKG_JENKINS) &&
	    !p->namespace)
		return customs_pkg_setz(&p->namespace, group);
	if (p->type == CUSTOMS_PKG_NPM && p->name && !strchr(p->name, '/') &&
	    (size_t)snprintf(buf, sizeof(buf), "%s/%s", group, p->name) <
		    sizeof(buf))
		return customs_pkg_setz(&p->name, buf);
	return 0;
}

static int pkg_fields(struct rd *r, struct customs_pkg *p, struct comp *c,
		      json_t *o, const char *path)
{
	struct pc x = { p, c };
	char *group = NULL, *cpe = NULL, *ref = NULL;
	int rc;

	if ((rc = rd_str(r, &p->name, o, "name", path)) ||
	    (rc = rd_str(r, &p->version, o, "version", path)) ||
	    (rc = rd_str(r, &group, o, "group", path)) ||
	    (rc = rd_str(r, &p->purl, o, "purl", path)) ||
	    (rc = rd_str(r, &cpe, o, "cpe", path)) ||
	    (rc = rd_str(r, &ref, o, "bom-ref", path)))
		goto out;
	if (cpe && (rc = customs_pkg_add_cpe(p, cpe)))
		goto out;
	if ((rc = licenses(r, p, o, path)) || (rc = hashes(r, p, o, path)) ||
	    (rc = each_prop(r, o, path, pkg_prop_cb, &x)) ||
	    (rc = sbom_pkg_from_purl(p)) || (rc = apply_group(p, group)) ||
	    (rc = add_locations(p, c, r->s)))
		goto out;
	rc = ref ? sbom_pkg_id_from_ref(p, ref) : sbom_pkg_set_id(p);
out:
	customs_free(group);
	customs_free(cpe);
	customs_free(ref);
	return rc;
}

static int package(struct rd *r, json_t *o, const char *path)
{
	struct customs_pkg *p = customs_pkg_new(CUSTOMS_PKG_UNKNOWN);
	struct comp c;
	int rc;

	if (!p)
		return CUSTOMS_ENOMEM;
	memset(&c, 0, sizeof(c));
	rc = pkg_fields(r, p, &c, o, path);
	comp_release(&c);
	if (!rc && r->s->pkgs.n >= SBOM_MAX_PKGS)
		rc = customs_error(r->ctx, CUSTOMS_ELIMIT,
				   "%s: more than %u packages", r->name,
				   SBOM_MAX_PKGS);
	if (rc) {
		customs_pkg_free(p);
		return rc;
	}
	return customs_pkglist_push(&r->s->pkgs, p);
}

static int distro_prop(void *arg, const char *name, const char *v)
{
	struct customs_sbom_distro *d = arg;

	if (!strcmp(name, "customs:distro:version"))
		return customs_pkg_setz(&d->version, v);
	if (!strcmp(name, "customs:distro:idLike"))
		return customs_pkg_setz(&d->id_like, v);
	if (!strcmp(name, "customs:distro:cpe"))
		return customs_pkg_setz(&d->cpe, v);
	return 0;
}

static int os_component(struct rd *r, json_t *o, const char *path)
{
	struct customs_sbom_distro *d = &r->s->distro;
	int rc;

	if ((rc = rd_str(r, &d->id, o, "name", path)) ||
	    (rc = rd_str(r, &d->version_id, o, "version", path)) ||
	    (rc = rd_str(r, &d->pretty_name, o, "description", path)))
		return rc;
	return each_prop(r, o, path, distro_prop, d);
}

static int components(struct rd *r, json_t *parent, const char *ppath,
		      int depth)
{
	char path[160];
	json_t *a, *o;
	size_t i;
	int rc = rd_arr(r, &a, parent, "components", ppath);

	if (a && depth >= MAX_DEPTH)
		return rd_err(r, ppath, "components nested deeper than %d",
			      MAX_DEPTH);
	json_array_foreach(a, i, o)
	{
		const char *type;

		if (rc)
			break;
		snprintf(path, sizeof(path), "%s%scomponents[%zu]", ppath,
			 *ppath ? "." : "", i);
		if (!json_is_object(o))
			return rd_err(r, path, "must be an object");
		type = json_string_value(json_object_get(o, "type"));
		if (type && !strcmp(type, "operating-system"))
			rc = os_component(r, o, path);
		else
			rc = package(r, o, path);
		if (!rc)
			rc = components(r, o, path, depth + 1);
	}
	return rc;
}

static int meta_prop_cb(void *arg, const char *name, const char *v)
{
	struct customs_sbom *s = arg;
	size_t i;
	const char *rest;

	if (!strcmp(name, "customs:warning"))
		return customs_strlist_add(&s->warnings, v);
	if (!strcmp(name, "customs:scope"))
		return customs_pkg_setz(&s->scope, v);
	if (!strcmp(name, "customs:source:kind"))
		return customs_pkg_setz(&s->source.kind, v);
	if (!strcmp(name, "customs:source:manifestDigest"))
		return customs_pkg_setz(&s->source.manifest_digest, v);
	if (!strcmp(name, "customs:source:os"))
		return customs_pkg_setz(&s->source.os, v);
	if (!strcmp(name, "customs:source:arch"))
		return customs_pkg_setz(&s->source.arch, v);
	if (!strcmp(name, "customs:source:tag") ||
	    !strcmp(name, "aquasecurity:trivy:RepoTag"))
		return customs_strlist_add(&s->source.tags, v);
	if (!strcmp(name, "aquasecurity:trivy:DiffID"))
		return customs_strlist_add(&s->source.layer_ids, v);
	if (!strcmp(name, "aquasecurity:trivy:ImageID"))
		return customs_pkg_setz(&s->source.image_id, v);
	if (!strncmp(name, "customs:source:layer:", 21) &&
	    indexed(name + 21, &i, &rest, 4096) && !strcmp(rest, "id") &&
	    i == s->source.layer_ids.n)
		return customs_strlist_add(&s->source.layer_ids, v);
	return 0;
}

static int subject(struct rd *r, json_t *meta)
{
	struct customs_sbom_source *src = &r->s->source;
	char *type = NULL, *version = NULL;
	json_t *c;
	int rc = rd_obj(r, &c, meta, "component", "metadata");

	if (rc || !c)
		return rc;
	if ((rc = rd_str(r, &src->name, c, "name", "metadata.component")) ||
	    (rc = rd_str(r, &type, c, "type", "metadata.component")) ||
	    (rc = rd_str(r, &version, c, "version", "metadata.component")) ||
	    (rc = each_prop(r, c, "metadata.component", meta_prop_cb, r->s)))
		goto out;
	if (!src->image_id && version && !strncmp(version, "sha256:", 7))
		rc = customs_pkg_setz(&src->image_id, version);
	if (!rc && !src->kind && type)
		rc = customs_pkg_setz(&src->kind, strcmp(type, "file")
							  ? "image"
							  : "directory");
out:
	customs_free(type);
	customs_free(version);
	return rc;
}

int sbom_read_cdx(struct customs_sbom *s, json_t *root, const char *name,
		  struct customs_ctx *ctx)
{
	struct rd r = { name, ctx, s };
	json_t *meta;
	int rc = rd_obj(&r, &meta, root, "metadata", "");

	if (!rc && meta)
		rc = rd_str(&r, &s->created, meta, "timestamp", "metadata");
	if (!rc && meta)
		rc = each_prop(&r, meta, "metadata", meta_prop_cb, s);
	if (!rc && meta)
		rc = subject(&r, meta);
	if (!rc)
		rc = components(&r, root, "", 0);
	if (!rc)
		customs_sbom_sort(s);
	return rc;
}
