/*
 * Reading the native JSON back (docs/sbom-json.md). The inverse of
 * write_native.c, field for field, so write -> read -> write gives the
 * same bytes: lists keep their order and duplicates, paths lose the one
 * "/" the writer added, absent layer numbers are -1. Unknown keys are
 * ignored (a newer v1 writer may add some); a known key of the wrong type
 * is an error naming its JSON path.
 */
#include <stdio.h>
#include <string.h>

#include "sbom/sbom_int.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/banned.h"

static int rd_int(struct rd *r, int *out, json_t *obj, const char *key,
		  const char *path)
{
	json_t *v = json_object_get(obj, key);

	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < -1 ||
	    json_integer_value(v) > 1000000)
		return rd_err(r, path,
			      "\"%s\" must be an integer from -1 to "
			      "1000000",
			      key);
	*out = (int)json_integer_value(v);
	return 0;
}

static int rd_bool(struct rd *r, bool *out, json_t *obj, const char *key,
		   const char *path)
{
	json_t *v = json_object_get(obj, key);

	if (!v)
		return 0;
	if (!json_is_boolean(v))
		return rd_err(r, path, "\"%s\" must be a boolean", key);
	*out = json_is_true(v);
	return 0;
}

static int rd_pathfield(struct rd *r, char **out, json_t *obj, const char *key,
			const char *path)
{
	char *tmp = NULL;
	int rc = rd_str(r, &tmp, obj, key, path);

	if (!rc && tmp)
		rc = rd_path(out, tmp);
	customs_free(tmp);
	return rc;
}

static int source(struct rd *r, json_t *root)
{
	struct customs_sbom_source *s = &r->s->source;
	const char *p = "source";
	json_t *o;
	int rc = rd_obj(r, &o, root, "source", "");

	if (rc || !o)
		return rc;
	if ((rc = rd_str(r, &s->kind, o, "kind", p)) ||
	    (rc = rd_str(r, &s->name, o, "name", p)) ||
	    (rc = rd_str(r, &s->image_id, o, "image_id", p)) ||
	    (rc = rd_str(r, &s->manifest_digest, o, "manifest_digest", p)) ||
	    (rc = rd_str(r, &s->os, o, "os", p)) ||
	    (rc = rd_str(r, &s->arch, o, "arch", p)) ||
	    (rc = rd_strlist(r, &s->tags, o, "tags", p)))
		return rc;
	return rd_strlist(r, &s->layer_ids, o, "layer_ids", p);
}

static int distro(struct rd *r, json_t *root)
{
	struct customs_sbom_distro *d = &r->s->distro;
	const char *p = "distro";
	json_t *o;
	int rc = rd_obj(r, &o, root, "distro", "");

	if (rc || !o)
		return rc;
	if ((rc = rd_str(r, &d->id, o, "id", p)) ||
	    (rc = rd_str(r, &d->version_id, o, "version_id", p)) ||
	    (rc = rd_str(r, &d->version, o, "version", p)) ||
	    (rc = rd_str(r, &d->pretty_name, o, "pretty_name", p)) ||
	    (rc = rd_str(r, &d->id_like, o, "id_like", p)))
		return rc;
	return rd_str(r, &d->cpe, o, "cpe", p);
}

static int location(struct rd *r, struct customs_pkg *p, json_t *o,
		    const char *path)
{
	struct customs_pkg_location *l;
	char *ev = NULL;
	int rc;

	if (!json_is_object(o))
		return rd_err(r, path, "must be an object");
	if (customs_pkg_add_location(p, NULL, NULL, -1,
				     CUSTOMS_EVIDENCE_PRIMARY))
		return CUSTOMS_ENOMEM;
	l = &p->locations[p->n_locations - 1];
	rc = rd_pathfield(r, &l->path, o, "path", path);
	if (!rc && !l->path)
		rc = rd_err(r, path, "\"path\" is missing");
	if (!rc)
		rc = rd_pathfield(r, &l->access_path, o, "access_path", path);
	if (!rc)
		rc = rd_int(r, &l->layer, o, "layer", path);
	if (!rc)
		rc = rd_str(r, &l->layer_id, o, "layer_id", path);
	if (!rc)
		rc = rd_bool(r, &l->visible, o, "visible", path);
	if (!rc)
		rc = rd_str(r, &ev, o, "evidence", path);
	if (!rc && ev && !strcmp(ev, "supporting"))
		l->evidence = CUSTOMS_EVIDENCE_SUPPORTING;
	else if (!rc && ev && strcmp(ev, "primary"))
		rc = rd_err(r, path,
			    "\"evidence\" must be \"primary\" or "
			    "\"supporting\"");
	customs_free(ev);
	return rc;
}

static int file(struct rd *r, struct customs_pkg *p, json_t *o,
		const char *path)
{
	struct customs_pkg_file *f;
	int rc;

	if (!json_is_object(o))
		return rd_err(r, path, "must be an object");
	if (customs_pkg_add_file(p, NULL, NULL, NULL, false))
		return CUSTOMS_ENOMEM;
	f = &p->files[p->n_files - 1];
	rc = rd_pathfield(r, &f->path, o, "path", path);
	if (!rc && !f->path)
		rc = rd_err(r, path, "\"path\" is missing");
	if (!rc)
		rc = rd_str(r, &f->algorithm, o, "algorithm", path);
	if (!rc)
		rc = rd_str(r, &f->digest, o, "digest", path);
	if (!rc)
		rc = rd_bool(r, &f->config, o, "config", path);
	return rc;
}

static int meta(struct rd *r, struct customs_pkg *p, json_t *o,
		const char *path)
{
	const char *k;
	json_t *v, *m;
	int rc = rd_obj(r, &m, o, "meta", path);

	json_object_foreach(m, k, v)
	{
		if (rc)
			break;
		if (!json_is_string(v))
			return rd_err(r, path,
				      "meta \"%.64s\" must be a string", k);
		rc = customs_kvlist_add(&p->meta, k, json_string_value(v));
	}
	return rc;
}

static int list(struct rd *r, struct customs_pkg *p, json_t *o, const char *key,
		const char *path,
		int (*one)(struct rd *, struct customs_pkg *, json_t *,
			   const char *))
{
	char sub[128];
	json_t *a, *v;
	size_t i;
	int rc = rd_arr(r, &a, o, key, path);

	json_array_foreach(a, i, v)
	{
		if (rc)
			break;
		snprintf(sub, sizeof(sub), "%s.%s[%zu]", path, key, i);
		rc = one(r, p, v, sub);
	}
	return rc;
}

static int fields(struct rd *r, struct customs_pkg *p, json_t *o,
		  const char *path)
{
	char *type = NULL;
	int rc = rd_str(r, &type, o, "type", path);

	if (!rc && (!type || customs_pkg_type_parse(&p->type, type)))
		rc = rd_err(r, path, "\"type\" is missing or unknown");
	customs_free(type);
	if (rc || (rc = rd_str(r, &p->id, o, "id", path)) ||
	    (rc = rd_str(r, &p->name, o, "name", path)) ||
	    (rc = rd_str(r, &p->version, o, "version", path)) ||
	    (rc = rd_str(r, &p->arch, o, "arch", path)) ||
	    (rc = rd_str(r, &p->namespace, o, "namespace", path)) ||
	    (rc = rd_str(r, &p->source_name, o, "source_name", path)) ||
	    (rc = rd_str(r, &p->source_version, o, "source_version", path)) ||
	    (rc = rd_str(r, &p->found_by, o, "found_by", path)) ||
	    (rc = rd_str(r, &p->purl, o, "purl", path)) ||
	    (rc = rd_strlist(r, &p->cpes, o, "cpes", path)) ||
	    (rc = rd_strlist(r, &p->licenses, o, "licenses", path)))
		return rc;
	return rd_int(r, &p->introduced_layer, o, "introduced_layer", path);
}

static int package(struct rd *r, json_t *o, size_t i)
{
	struct customs_pkg *p;
	char path[64];
	int rc;

	snprintf(path, sizeof(path), "packages[%zu]", i);
	if (!json_is_object(o))
		return rd_err(r, path, "must be an object");
	p = customs_pkg_new(CUSTOMS_PKG_UNKNOWN);
	if (!p)
		return CUSTOMS_ENOMEM;
	rc = fields(r, p, o, path);
	if (!rc)
		rc = meta(r, p, o, path);
	if (!rc)
		rc = list(r, p, o, "locations", path, location);
	if (!rc)
		rc = list(r, p, o, "files", path, file);
	if (rc) {
		customs_pkg_free(p);
		return rc;
	}
	return customs_pkglist_push(&r->s->pkgs, p);
}

int sbom_read_native(struct customs_sbom *s, json_t *root, const char *name,
		     struct customs_ctx *ctx)
{
	struct rd r = { name, ctx, s };
	json_t *pkgs, *v;
	size_t i;
	int rc;

	if ((rc = rd_str(&r, &s->created, root, "created", "")) ||
	    (rc = source(&r, root)) || (rc = distro(&r, root)) ||
	    (rc = rd_str(&r, &s->scope, root, "scope", "")) ||
	    (rc = rd_arr(&r, &pkgs, root, "packages", "")))
		return rc;
	if (json_array_size(pkgs) > SBOM_MAX_PKGS)
		return customs_error(ctx, CUSTOMS_ELIMIT,
				     "%s: more than %u packages", name,
				     SBOM_MAX_PKGS);
	json_array_foreach(pkgs, i, v)
	{
		rc = package(&r, v, i);
		if (rc)
			return rc;
	}
	return rd_strlist(&r, &s->warnings, root, "warnings", "");
}
