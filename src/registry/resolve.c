/*
 * customs_registry_resolve(): what a reference names, by digest, with
 * as little traffic as possible: one HEAD of the manifest (its digest
 * comes from Docker-Content-Digest), and for an index a GET of the index
 * by that digest (so it is verified) to list each platform's manifest.
 * A registry that sends no digest on HEAD gets a GET, whose body is
 * hashed.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "registry/registry_int.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/jsonalloc.h"
#include "util/banned.h"

static bool is_index(const char *mt)
{
	return mt &&
	       (!strcmp(mt, "application/vnd.oci.image.index.v1+json") ||
		!strcmp(mt, "application/vnd.docker.distribution.manifest."
			    "list.v2+json"));
}

static char *platform_of(json_t *p)
{
	const char *os = json_string_value(json_object_get(p, "os"));
	const char *arch =
		json_string_value(json_object_get(p, "architecture"));
	const char *var = json_string_value(json_object_get(p, "variant"));
	struct cbuf b = CBUF_INIT(512);

	if (!os || !arch)
		cbuf_puts(&b, "unknown");
	else
		cbuf_printf(&b, "%.100s/%.100s%s%.100s", os, arch,
			    var && *var ? "/" : "", var ? var : "");
	return cbuf_detach(&b);
}

static int entry(struct customs_resolved_entry *e, json_t *m)
{
	const char *d = json_string_value(json_object_get(m, "digest"));
	const char *mt = json_string_value(json_object_get(m, "mediaType"));

	if (!d)
		return CUSTOMS_EFORMAT;
	e->digest = customs_strdup(d);
	e->media_type = customs_strdup(mt ? mt : "");
	e->platform = platform_of(json_object_get(m, "platform"));
	return e->digest && e->media_type && e->platform ? 0 : CUSTOMS_ENOMEM;
}

static int entries(struct customs_resolved *out, const char *buf, size_t len,
		   struct customs_ctx *ctx)
{
	json_t *root, *list, *m;
	size_t i;
	int rc = 0;

	customs_json_alloc_init();
	root = json_loadb(buf, len, 0, NULL);
	list = json_object_get(root, "manifests");
	if (!json_is_array(list)) {
		json_decref(root);
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "index %s: no 'manifests' array",
				     out->digest);
	}
	out->entries = customs_calloc(json_array_size(list) + 1,
				      sizeof(*out->entries));
	if (!out->entries)
		rc = CUSTOMS_ENOMEM;
	json_array_foreach(list, i, m)
	{
		if (rc)
			break;
		rc = entry(&out->entries[i], m);
		out->n_entries = i + 1;
	}
	json_decref(root);
	if (rc == CUSTOMS_EFORMAT)
		return customs_error(ctx, rc,
				     "index %s: manifests[%zu] has no digest",
				     out->digest, i);
	return rc ? customs_error(ctx, rc, "out of memory") : 0;
}

static int head_or_get(struct reg_client *c, const char *ref,
		       struct customs_resolved *out, struct customs_ctx *ctx)
{
	char *body = NULL;
	size_t len;
	int rc;

	rc = reg_manifest_get(c, ref, NULL, NULL, &out->media_type,
			      &out->digest, REG_MAX_SMALL, ctx);
	if (rc != CUSTOMS_ENOTFOUND || customs_ctx_errcode(ctx))
		return rc;
	/* HEAD answered without a digest: hash the body instead. */
	customs_free(out->media_type);
	out->media_type = NULL;
	rc = reg_manifest_get(c, ref, &body, &len, &out->media_type,
			      &out->digest, REG_MAX_SMALL, ctx);
	customs_free(body);
	return rc;
}

int customs_registry_resolve(struct customs_resolved *out,
			     struct customs_ctx *ctx, const char *s,
			     const struct customs_registry_opts *o)
{
	struct customs_ref ref = { NULL, NULL, NULL, NULL };
	struct reg_client *c = NULL;
	char *body = NULL, *mt = NULL, *dg = NULL;
	size_t len = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	customs_ctx_clear(ctx);
	rc = customs_ref_parse(&ref, s, ctx);
	if (!rc)
		rc = customs_ref_string(&out->name, &ref, ctx);
	if (!rc)
		rc = reg_client_new(&c, &ref, o, ctx);
	if (!rc)
		rc = head_or_get(c, ref.digest ? ref.digest : ref.tag, out,
				 ctx);
	if (!rc && ref.digest && strcmp(ref.digest, out->digest))
		rc = customs_error(ctx, CUSTOMS_EDIGEST,
				   "%s: registry answered digest %s", out->name,
				   out->digest);
	if (!rc && is_index(out->media_type))
		rc = reg_manifest_get(c, out->digest, &body, &len, &mt, &dg,
				      REG_MAX_SMALL, ctx);
	if (!rc && body)
		rc = entries(out, body, len, ctx);
	customs_free(body);
	customs_free(mt);
	customs_free(dg);
	reg_client_free(c);
	customs_ref_release(&ref);
	return rc;
}

void customs_resolved_release(struct customs_resolved *out)
{
	size_t i;

	for (i = 0; out->entries && i < out->n_entries; i++) {
		customs_free(out->entries[i].platform);
		customs_free(out->entries[i].digest);
		customs_free(out->entries[i].media_type);
	}
	customs_free(out->entries);
	customs_free(out->name);
	customs_free(out->digest);
	customs_free(out->media_type);
	memset(out, 0, sizeof(*out));
}
