/*
 * Assembling an analysis document from the outputs customs already has:
 * the inspect document (its keys are kept as they are), the native SBOM
 * (its packages array becomes "packages"), a retrieved /etc/passwd, a
 * base image name and the scan document (its matches array becomes
 * "vulnerabilities", its ignored array "suppressed_vulnerabilities" -
 * which no gate reads - beside "vulnerability_db", which also records
 * the distro namespace the OS packages were matched in). Keys a part
 * does not provide stay absent, which the gates read as "analyzer did
 * not run".
 */
#include <string.h>

#include "policy/policy_int.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/jsonalloc.h"
#include "util/banned.h"

static const char b64chars[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static char *b64_encode(const unsigned char *p, size_t n)
{
	size_t olen, i, o = 0;
	char *out;

	if (!customs_mul_ok(&olen, (n + 2) / 3, 4) ||
	    !customs_add_ok(&olen, olen, 1))
		return NULL;
	out = customs_malloc(olen);
	if (!out)
		return NULL;
	for (i = 0; i + 2 < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 |
			     p[i + 2];

		out[o++] = b64chars[v >> 18];
		out[o++] = b64chars[(v >> 12) & 63];
		out[o++] = b64chars[(v >> 6) & 63];
		out[o++] = b64chars[v & 63];
	}
	if (i < n) {
		unsigned v = (unsigned)p[i] << 16 |
			     (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0);

		out[o++] = b64chars[v >> 18];
		out[o++] = b64chars[(v >> 12) & 63];
		out[o++] = i + 1 < n ? b64chars[(v >> 6) & 63] : '=';
		out[o++] = '=';
	}
	out[o] = '\0';
	return out;
}

static json_t *load(const char *text, size_t len, const char *what,
		    struct customs_ctx *ctx)
{
	json_error_t jerr;
	json_t *j = json_loadb(text, len, 0, &jerr);

	if (!j && json_error_code(&jerr) == json_error_out_of_memory) {
		customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
		return NULL;
	}
	if (!j || !json_is_object(j)) {
		json_decref(j);
		customs_error(ctx, CUSTOMS_EFORMAT, "%s: not a JSON object%s%s",
			      what, j ? "" : ": ", j ? "" : jerr.text);
		return NULL;
	}
	return j;
}

static int add_passwd(json_t *doc, const struct customs_policy_parts *p)
{
	char *b64 = b64_encode((const unsigned char *)p->passwd, p->passwd_len);
	json_t *rf;

	if (!b64)
		return CUSTOMS_ENOMEM;
	rf = json_pack("{s:{s:I,s:b,s:s}}", "/etc/passwd", "size",
		       (json_int_t)p->passwd_len, "truncated",
		       (int)p->passwd_truncated, "content_b64", b64);
	customs_free(b64);
	return rf && !json_object_set_new(doc, "retrieved_files", rf)
		       ? 0
		       : CUSTOMS_ENOMEM;
}

static int add_sbom(json_t *doc, const struct customs_policy_parts *p,
		    struct customs_ctx *ctx)
{
	json_t *s = load(p->sbom_json, p->sbom_len, "sbom document", ctx);
	json_t *pk;

	if (!s)
		return customs_ctx_errcode(ctx) ? customs_ctx_errcode(ctx)
						: CUSTOMS_EFORMAT;
	pk = json_object_get(s, "packages");
	if (!json_is_array(pk)) {
		json_decref(s);
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "sbom document: no packages array");
	}
	if (json_object_set(doc, "packages", pk)) {
		json_decref(s);
		return CUSTOMS_ENOMEM;
	}
	json_decref(s);
	return 0;
}

static json_t *vulndb_obj(const struct customs_policy_parts *p,
			  const json_t *scan)
{
	json_t *dist =
		json_object_get(json_object_get(scan, "distro"), "namespace");
	json_t *db = json_object(), *ns = json_array();
	size_t i, n = p->vulndb_namespaces ? p->vulndb_namespaces->n : 0;
	bool bad = !db || !ns;

	for (i = 0; !bad && i < n; i++)
		bad = json_array_append_new(
			ns, json_string(p->vulndb_namespaces->v[i]));
	if (!bad)
		bad = json_object_set_new(db, "built",
					  p->vulndb_built
						  ? json_string(p->vulndb_built)
						  : json_null());
	if (!bad) {
		bad = json_object_set_new(db, "namespaces", ns);
		ns = NULL;
	}
	if (!bad)
		bad = json_object_set_new(db, "distro_namespace",
					  json_is_string(dist)
						  ? json_deep_copy(dist)
						  : json_null());
	json_decref(ns);
	if (bad) {
		json_decref(db);
		return NULL;
	}
	return db;
}

static int add_scan(json_t *doc, const struct customs_policy_parts *p,
		    struct customs_ctx *ctx)
{
	json_t *s = load(p->scan_json, p->scan_len, "scan document", ctx);
	json_t *m, *ign, *db;
	int rc = 0;

	if (!s)
		return customs_ctx_errcode(ctx) ? customs_ctx_errcode(ctx)
						: CUSTOMS_EFORMAT;
	m = json_object_get(s, "matches");
	ign = json_object_get(s, "ignored");
	if (!json_is_array(m))
		rc = customs_error(ctx, CUSTOMS_EFORMAT,
				   "scan document: no matches array");
	else if (ign && !json_is_array(ign))
		rc = customs_error(ctx, CUSTOMS_EFORMAT,
				   "scan document: \"ignored\" is not an "
				   "array");
	else if (json_object_set(doc, "vulnerabilities", m) ||
		 (ign &&
		  json_object_set(doc, "suppressed_vulnerabilities", ign)) ||
		 !(db = vulndb_obj(p, s)) ||
		 json_object_set_new(doc, "vulnerability_db", db))
		rc = CUSTOMS_ENOMEM;
	json_decref(s);
	return rc;
}

/* "base_image": {"name": ..., "layers": [diffID, ...]}, either optional. */
static int add_base(json_t *doc, const struct customs_policy_parts *p)
{
	json_t *b = json_object(), *l;
	size_t i;
	int bad = !b;

	if (!bad && p->base_name)
		bad = json_object_set_new(b, "name", json_string(p->base_name));
	if (!bad && p->base_layers) {
		l = json_array();
		bad = json_object_set_new(b, "layers", l);
		for (i = 0; !bad && i < p->base_layers->n; i++)
			bad = json_array_append_new(
				l, json_string(p->base_layers->v[i]));
	}
	if (bad) {
		json_decref(b);
		return CUSTOMS_ENOMEM;
	}
	return json_object_set_new(doc, "base_image", b) ? CUSTOMS_ENOMEM : 0;
}

int customs_policy_analysis_build(char **out,
				  const struct customs_policy_parts *p,
				  struct customs_ctx *ctx)
{
	json_t *doc;
	int rc = 0;

	*out = NULL;
	customs_json_alloc_init();
	doc = load(p->inspect_json, p->inspect_len, "inspect document", ctx);
	if (!doc)
		return customs_ctx_errcode(ctx) ? customs_ctx_errcode(ctx)
						: CUSTOMS_EFORMAT;
	if (p->sbom_json)
		rc = add_sbom(doc, p, ctx);
	if (!rc && p->passwd)
		rc = add_passwd(doc, p);
	if (!rc && p->scan_json)
		rc = add_scan(doc, p, ctx);
	if (!rc && (p->base_name || p->base_layers))
		rc = add_base(doc, p);
	if (!rc) {
		*out = json_dumps(doc, JSON_PRESERVE_ORDER | JSON_COMPACT);
		if (!*out)
			rc = CUSTOMS_ENOMEM;
	}
	json_decref(doc);
	if (rc == CUSTOMS_ENOMEM)
		customs_error(ctx, rc, "out of memory");
	return rc;
}
