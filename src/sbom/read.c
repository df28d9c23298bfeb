/*
 * Reading SBOM files: size cap, JSON parsing (jansson, through our
 * allocator, duplicate keys refused), format detection and the helpers
 * every reader uses to report "<file>: <JSON path>: <what is wrong>".
 *
 * Detection looks at the top-level keys only: "schema" naming
 * customs.sbom/v1, "bomFormat": "CycloneDX" with specVersion 1.2-1.7,
 * "spdxVersion" SPDX-2.2 or SPDX-2.3. Other versions of a recognised
 * format are CUSTOMS_EUNSUPPORTED; anything else is CUSTOMS_EFORMAT.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sbom/sbom_int.h"
#include "util/alloc.h"
#include "util/jsonalloc.h"
#include "util/error.h"
#include "util/strmap.h"
#include "util/hash.h"
#include "util/banned.h"

const char *sbom_json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	default:
		return "null";
	}
}

int rd_err(struct rd *r, const char *path, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return customs_error(r->ctx, CUSTOMS_EFORMAT, "%s: %s: %s", r->name,
			     path && *path ? path : "(top level)", msg);
}

static int type_err(struct rd *r, const char *path, const char *key,
		    const char *want, const json_t *v)
{
	return rd_err(r, path, "\"%s\" must be %s, not %s", key, want,
		      sbom_json_kind(v));
}

int rd_str(struct rd *r, char **out, json_t *obj, const char *key,
	   const char *path)
{
	json_t *v = json_object_get(obj, key);

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return type_err(r, path, key, "a string", v);
	return customs_pkg_setz(out, json_string_value(v));
}

int rd_arr(struct rd *r, json_t **out, json_t *obj, const char *key,
	   const char *path)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return type_err(r, path, key, "an array", v);
	*out = v;
	return 0;
}

int rd_obj(struct rd *r, json_t **out, json_t *obj, const char *key,
	   const char *path)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_object(v))
		return type_err(r, path, key, "an object", v);
	*out = v;
	return 0;
}

int rd_strlist(struct rd *r, struct customs_strlist *l, json_t *obj,
	       const char *key, const char *path)
{
	json_t *a, *v;
	size_t i;
	int rc = rd_arr(r, &a, obj, key, path);

	json_array_foreach(a, i, v)
	{
		if (rc)
			break;
		if (!json_is_string(v))
			return rd_err(r, path, "\"%s\"[%zu] must be a string",
				      key, i);
		rc = customs_strlist_add(l, json_string_value(v));
	}
	return rc;
}

int rd_path(char **out, const char *s)
{
	if (s && *s == '/')
		s++;
	return customs_pkg_setz(out, s);
}

static const char *const purl_types[][2] = {
	{ "deb", "deb" },
	{ "apk", "apk" },
	{ "rpm", "rpm" },
	{ "npm", "npm" },
	{ "pypi", "python" },
	{ "maven", "java-archive" },
	{ "golang", "go-module" },
	{ "cargo", "rust-crate" },
	{ "gem", "gem" },
	{ "composer", "php-composer" },
	{ "nuget", "dotnet" },
	{ "generic", "binary" },
	{ NULL, NULL },
};

static enum customs_pkg_type type_of_purl(const char *t)
{
	enum customs_pkg_type out = CUSTOMS_PKG_UNKNOWN;
	size_t i;

	for (i = 0; purl_types[i][0]; i++) {
		if (!strcmp(t, purl_types[i][0]))
			customs_pkg_type_parse(&out, purl_types[i][1]);
	}
	return out;
}

static const char *qual(const struct customs_purl *u, const char *key)
{
	size_t i;

	for (i = 0; i < u->qualifiers.n; i++) {
		if (!strcmp(u->qualifiers.keys[i], key))
			return u->qualifiers.values[i];
	}
	return NULL;
}

static int fill_name(struct customs_pkg *p, const struct customs_purl *u)
{
	char buf[2048];

	if (p->name)
		return 0;
	if (u->namespace &&
	    (p->type == CUSTOMS_PKG_NPM || p->type == CUSTOMS_PKG_GO ||
	     p->type == CUSTOMS_PKG_PHP)) {
		if ((size_t)snprintf(buf, sizeof(buf), "%s/%s", u->namespace,
				     u->name) < sizeof(buf))
			return customs_pkg_setz(&p->name, buf);
	}
	return customs_pkg_setz(&p->name, u->name);
}

static int fill_version(struct customs_pkg *p, const struct customs_purl *u)
{
	const char *epoch = qual(u, "epoch");
	char buf[2048];

	if (p->version || !u->version)
		return 0;
	if (p->type == CUSTOMS_PKG_RPM && epoch &&
	    (size_t)snprintf(buf, sizeof(buf), "%s:%s", epoch, u->version) <
		    sizeof(buf))
		return customs_pkg_setz(&p->version, buf);
	if (p->type == CUSTOMS_PKG_GO && !strcmp(u->name, "stdlib") &&
	    (size_t)snprintf(buf, sizeof(buf), "go%s", u->version) <
		    sizeof(buf))
		return customs_pkg_setz(&p->version, buf);
	return customs_pkg_setz(&p->version, u->version);
}

static int fill_source(struct customs_pkg *p, const struct customs_purl *u)
{
	const char *up = qual(u, "upstream"), *at;

	if (p->source_name || !up)
		return 0;
	at = p->type == CUSTOMS_PKG_RPM ? NULL : strchr(up, '@');
	if (!at)
		return customs_pkg_setz(&p->source_name, up);
	if (customs_pkg_set(&p->source_name, up, (size_t)(at - up)))
		return CUSTOMS_ENOMEM;
	return customs_pkg_setz(&p->source_version, at + 1);
}

int sbom_pkg_from_purl(struct customs_pkg *p)
{
	struct customs_purl u;
	int rc;

	if (!p->purl || customs_purl_parse(&u, p->purl, NULL))
		return 0;
	if (p->type == CUSTOMS_PKG_UNKNOWN)
		p->type = type_of_purl(u.type);
	rc = fill_name(p, &u);
	if (!rc)
		rc = fill_version(p, &u);
	if (!rc && !p->arch)
		rc = customs_pkg_setz(&p->arch, qual(&u, "arch"));
	if (!rc && !p->namespace &&
	    (p->type == CUSTOMS_PKG_JAVA || p->type == CUSTOMS_PKG_JENKINS))
		rc = customs_pkg_setz(&p->namespace, u.namespace);
	if (!rc)
		rc = fill_source(p, &u);
	customs_purl_release(&u);
	return rc;
}

static int set_hash_id(struct customs_pkg *p, const char *key)
{
	char hex[17];

	snprintf(hex, sizeof(hex), "%016llx",
		 (unsigned long long)customs_fnv1a64(key, strlen(key)));
	return customs_pkg_setz(&p->id, hex);
}

int sbom_pkg_set_id(struct customs_pkg *p)
{
	char key[4096];

	if (p->id)
		return 0;
	snprintf(key, sizeof(key), "%d\x1f%s\x1f%s\x1f%s\x1f%s", (int)p->type,
		 p->name ? p->name : "", p->version ? p->version : "",
		 p->purl ? p->purl : "",
		 p->n_locations ? p->locations[0].path : "");
	return set_hash_id(p, key);
}

/* An id from a document's own element id: itself when it is one of ours
 * (16 lower-case hex), else its hash. */
int sbom_pkg_id_from_ref(struct customs_pkg *p, const char *ref)
{
	size_t i, n = strlen(ref);

	for (i = 0; n == 16 && i < n; i++) {
		if (!((ref[i] >= '0' && ref[i] <= '9') ||
		      (ref[i] >= 'a' && ref[i] <= 'f')))
			break;
	}
	if (n == 16 && i == n)
		return customs_pkg_setz(&p->id, ref);
	return set_hash_id(p, ref);
}

static bool alloc_ok(void)
{
	void *p = customs_malloc(64);

	customs_free(p);
	return p != NULL;
}

static int load(json_t **out, const char *data, size_t len, const char *name,
		struct customs_ctx *ctx)
{
	json_error_t err;

	customs_json_alloc_init();
	*out = json_loadb(data, len, JSON_REJECT_DUPLICATES, &err);
	if (*out)
		return 0;
	/* jansson reports most failed allocations as syntax errors; our
	 * allocator failing now tells them apart from bad input */
	if (json_error_code(&err) == json_error_out_of_memory || !alloc_ok())
		return customs_error(ctx, CUSTOMS_ENOMEM, "%s: out of memory",
				     name);
	return customs_error(ctx, CUSTOMS_EFORMAT,
			     "%s: invalid JSON at line %d column %d: %s", name,
			     err.line, err.column, err.text);
}

static int unsupported(struct customs_ctx *ctx, const char *name,
		       const char *what, const char *version)
{
	return customs_error(ctx, CUSTOMS_EUNSUPPORTED,
			     "%s: %s version \"%.40s\" is not supported", name,
			     what, version ? version : "(none)");
}

static int detect(int (**fn)(struct customs_sbom *, json_t *, const char *,
			     struct customs_ctx *),
		  json_t *root, const char *name, struct customs_ctx *ctx)
{
	const char *schema = json_string_value(json_object_get(root, "schema"));
	const char *bom = json_string_value(json_object_get(root, "bomFormat"));
	const char *sv =
		json_string_value(json_object_get(root, "specVersion"));
	const char *spdx =
		json_string_value(json_object_get(root, "spdxVersion"));

	if (schema && !strncmp(schema, "customs.sbom/", 13)) {
		*fn = sbom_read_native;
		return strcmp(schema, "customs.sbom/v1")
			       ? unsupported(ctx, name, "customs sbom", schema)
			       : 0;
	}
	if (bom && !strcmp(bom, "CycloneDX")) {
		*fn = sbom_read_cdx;
		return sv && strlen(sv) == 3 && !strncmp(sv, "1.", 2) &&
				       sv[2] >= '2' && sv[2] <= '7'
			       ? 0
			       : unsupported(ctx, name, "CycloneDX", sv);
	}
	if (spdx) {
		*fn = sbom_read_spdx;
		return strcmp(spdx, "SPDX-2.2") && strcmp(spdx, "SPDX-2.3")
			       ? unsupported(ctx, name, "SPDX", spdx)
			       : 0;
	}
	if (json_object_get(root, "@context"))
		return customs_error(ctx, CUSTOMS_EUNSUPPORTED,
				     "%s: JSON-LD documents (SPDX 3) are not "
				     "supported",
				     name);
	return customs_error(ctx, CUSTOMS_EFORMAT,
			     "%s: not a customs, CycloneDX or SPDX JSON "
			     "document",
			     name);
}

int customs_sbom_read(struct customs_sbom **out, const char *data, size_t len,
		      const char *name, struct customs_ctx *ctx)
{
	int (*fn)(struct customs_sbom *, json_t *, const char *,
		  struct customs_ctx *) = NULL;
	struct customs_sbom *s = NULL;
	json_t *root = NULL;
	int rc;

	*out = NULL;
	if (len > SBOM_MAX_BYTES)
		return customs_error(ctx, CUSTOMS_ELIMIT,
				     "%s: SBOM larger than %u MiB", name,
				     SBOM_MAX_BYTES >> 20);
	rc = load(&root, data, len, name, ctx);
	if (!rc && !json_is_object(root))
		rc = customs_error(ctx, CUSTOMS_EFORMAT,
				   "%s: the document is %s, not an object",
				   name, sbom_json_kind(root));
	if (!rc)
		rc = detect(&fn, root, name, ctx);
	if (!rc && !(s = customs_sbom_new()))
		rc = CUSTOMS_ENOMEM;
	if (!rc)
		rc = fn(s, root, name, ctx);
	json_decref(root);
	if (rc == CUSTOMS_ENOMEM)
		customs_error(ctx, rc, "%s: out of memory", name);
	if (rc) {
		customs_sbom_free(s);
		return rc;
	}
	*out = s;
	return 0;
}
