/*
 * Manifests, indexes and descriptors: Docker v2 schema 2 manifests and
 * manifest lists, OCI manifests and indexes (the same shape under other
 * media types). Schema 1 is refused. Every digest must be a well-formed
 * "sha256:<64 hex>" before it is kept, so later code can turn a digest
 * into a path ("blobs/sha256/<hex>") without any check.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "image/image_priv.h"
#include "util/alloc.h"
#include "util/jsonalloc.h"
#include "util/error.h"
#include "util/hash.h"
#include "util/banned.h"

#define FIELD_MAX 96

static const struct {
	const char *media_type;
	enum image_kind kind;
} media_kinds[] = {
	{ "application/vnd.oci.image.manifest.v1+json", IMAGE_KIND_MANIFEST },
	{ "application/vnd.docker.distribution.manifest.v2+json",
	  IMAGE_KIND_MANIFEST },
	{ "application/vnd.oci.image.index.v1+json", IMAGE_KIND_INDEX },
	{ "application/vnd.docker.distribution.manifest.list.v2+json",
	  IMAGE_KIND_INDEX },
	{ "application/vnd.docker.distribution.manifest.v1+json",
	  IMAGE_KIND_SCHEMA1 },
	{ "application/vnd.docker.distribution.manifest.v1+prettyjws",
	  IMAGE_KIND_SCHEMA1 },
};

enum image_kind image_media_kind(const char *media_type)
{
	size_t i;

	if (!media_type)
		return IMAGE_KIND_UNKNOWN;
	for (i = 0; i < sizeof(media_kinds) / sizeof(media_kinds[0]); i++) {
		if (!strcmp(media_type, media_kinds[i].media_type))
			return media_kinds[i].kind;
	}
	return IMAGE_KIND_UNKNOWN;
}

int image_json_load(json_t **out, const char *buf, size_t len, const char *what,
		    struct customs_ctx *ctx)
{
	json_error_t err;

	/* jansson allocates through our wrappers, so the failing-allocation
	 * tests reach its error paths too */
	customs_json_alloc_init();
	/* Duplicate keys are refused: two readers must not see two images. */
	*out = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &err);
	if (*out)
		return 0;
	if (json_error_code(&err) == json_error_out_of_memory)
		return customs_error(ctx, CUSTOMS_ENOMEM, "%s: out of memory",
				     what);
	return customs_error(ctx, CUSTOMS_EFORMAT,
			     "%s: invalid JSON at line %d column %d: %s", what,
			     err.line, err.column, err.text);
}

enum image_kind image_json_kind(json_t *root, const char *hint)
{
	json_t *mt = json_object_get(root, "mediaType");
	json_t *sv = json_object_get(root, "schemaVersion");
	enum image_kind kind = image_media_kind(json_string_value(mt));

	if (json_is_integer(sv) && json_integer_value(sv) == 1)
		return IMAGE_KIND_SCHEMA1;
	if (kind != IMAGE_KIND_UNKNOWN)
		return kind;
	if (json_string_value(mt))
		return IMAGE_KIND_UNKNOWN;
	kind = image_media_kind(hint);
	if (kind != IMAGE_KIND_UNKNOWN)
		return kind;
	if (json_object_get(root, "manifests"))
		return IMAGE_KIND_INDEX;
	if (json_object_get(root, "layers") || json_object_get(root, "config"))
		return IMAGE_KIND_MANIFEST;
	return IMAGE_KIND_UNKNOWN;
}

void image_desc_release(struct image_desc *d)
{
	customs_free(d->media_type);
	customs_free(d->digest);
	customs_free(d->os);
	customs_free(d->arch);
	customs_free(d->variant);
	customs_free(d->ref_name);
	customs_free(d->image_name);
	memset(d, 0, sizeof(*d));
}

static int check_digest(const char *digest, const char *field, const char *what,
			struct customs_ctx *ctx)
{
	unsigned char sha[32];
	const char *colon = strchr(digest, ':');

	if (customs_digest_parse(sha, digest))
		return 0;
	if (!colon || !strncmp(digest, "sha256:", 7) || colon == digest)
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "%s: field '%s': bad digest '%.80s'", what,
				     field, digest);
	return customs_error(ctx, CUSTOMS_EUNSUPPORTED,
			     "%s: field '%s': digest '%.80s': only sha256 "
			     "digests are supported",
			     what, field, digest);
}

static int desc_size(struct image_desc *d, json_t *o, const char *field,
		     const char *what, struct customs_ctx *ctx)
{
	json_t *v = json_object_get(o, "size");

	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return image_json_type_error(field, "a non-negative integer",
					     what, ctx);
	d->size = (uint64_t)json_integer_value(v);
	return 0;
}

static int desc_platform(struct image_desc *d, json_t *o, const char *field,
			 const char *what, struct customs_ctx *ctx)
{
	char f[FIELD_MAX];
	json_t *p;
	int rc;

	snprintf(f, sizeof(f), "%s.platform", field);
	rc = image_json_object(&p, o, f, what, ctx);
	if (rc || !p)
		return rc;
	d->has_platform = true;
	snprintf(f, sizeof(f), "%s.platform.os", field);
	rc = image_json_str(&d->os, p, f, what, ctx);
	snprintf(f, sizeof(f), "%s.platform.architecture", field);
	if (!rc)
		rc = image_json_str(&d->arch, p, f, what, ctx);
	snprintf(f, sizeof(f), "%s.platform.variant", field);
	if (!rc)
		rc = image_json_str(&d->variant, p, f, what, ctx);
	if (!rc && d->os && !strcmp(d->os, "unknown"))
		d->attestation = true;
	return rc;
}

/* An annotation by its full (dotted) key; a non-string value is an error. */
static int annotation(char **out, json_t *ann, const char *key,
		      const char *field, const char *what,
		      struct customs_ctx *ctx)
{
	json_t *v = json_object_get(ann, key);

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return image_json_type_error(field, "an object of strings",
					     what, ctx);
	*out = customs_strdup(json_string_value(v));
	return *out ? 0 : CUSTOMS_ENOMEM;
}

static int desc_annotations(struct image_desc *d, json_t *o, const char *field,
			    const char *what, struct customs_ctx *ctx)
{
	char f[FIELD_MAX];
	json_t *ann;
	int rc;

	snprintf(f, sizeof(f), "%s.annotations", field);
	rc = image_json_object(&ann, o, f, what, ctx);
	if (rc || !ann)
		return rc;
	rc = annotation(&d->ref_name, ann, "org.opencontainers.image.ref.name",
			f, what, ctx);
	if (!rc)
		rc = annotation(&d->image_name, ann, "io.containerd.image.name",
				f, what, ctx);
	if (rc == CUSTOMS_ENOMEM)
		return customs_error(ctx, rc, "%s: out of memory", what);
	if (json_object_get(ann, "vnd.docker.reference.type"))
		d->attestation = true;
	return rc;
}

static int desc_parse(struct image_desc *d, json_t *o, const char *field,
		      const char *what, struct customs_ctx *ctx)
{
	char f[FIELD_MAX];
	int rc;

	if (!json_is_object(o))
		return image_json_type_error(field, "an object", what, ctx);
	snprintf(f, sizeof(f), "%s.mediaType", field);
	rc = image_json_str(&d->media_type, o, f, what, ctx);
	snprintf(f, sizeof(f), "%s.digest", field);
	if (!rc)
		rc = image_json_str(&d->digest, o, f, what, ctx);
	if (!rc && !d->digest)
		rc = image_json_type_error(f, "a string", what, ctx);
	if (!rc)
		rc = check_digest(d->digest, f, what, ctx);
	snprintf(f, sizeof(f), "%s.size", field);
	if (!rc)
		rc = desc_size(d, o, f, what, ctx);
	if (!rc)
		rc = desc_platform(d, o, field, what, ctx);
	if (!rc)
		rc = desc_annotations(d, o, field, what, ctx);
	return rc;
}

static int schema1(const char *what, struct customs_ctx *ctx)
{
	return customs_error(ctx, CUSTOMS_EUNSUPPORTED,
			     "%s: docker schema 1 manifests are not supported",
			     what);
}

static int required(json_t **out, json_t *root, const char *field, bool array,
		    const char *what, struct customs_ctx *ctx)
{
	int rc = array ? image_json_array(out, root, field, what, ctx)
		       : image_json_object(out, root, field, what, ctx);

	if (!rc && !*out)
		rc = image_json_type_error(
			field, array ? "an array" : "an object", what, ctx);
	return rc;
}

/* Parse a JSON array of descriptors named name ("layers") into *v. */
static int desc_array(struct image_desc **v, size_t *n, json_t *arr,
		      const char *name, const char *what,
		      struct customs_ctx *ctx)
{
	char f[FIELD_MAX];
	json_t *e;
	size_t i;
	int rc = 0;

	*v = customs_calloc(json_array_size(arr), sizeof(**v));
	if (!*v)
		return customs_error(ctx, CUSTOMS_ENOMEM, "%s: out of memory",
				     what);
	json_array_foreach(arr, i, e)
	{
		snprintf(f, sizeof(f), "%s[%zu]", name, i);
		rc = desc_parse(&(*v)[i], e, f, what, ctx);
		*n = i + 1;
		if (rc)
			break;
	}
	return rc;
}

static int manifest_layers(struct image_manifest *m, json_t *layers,
			   const char *what, struct customs_ctx *ctx)
{
	return desc_array(&m->layers, &m->n_layers, layers, "layers", what,
			  ctx);
}

int image_manifest_from_json(struct image_manifest *m, json_t *root,
			     const char *what, uint64_t max_layers,
			     struct customs_ctx *ctx)
{
	json_t *config, *layers;
	int rc;

	memset(m, 0, sizeof(*m));
	if (!json_is_object(root))
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "%s: expected a JSON object", what);
	if (image_json_kind(root, NULL) == IMAGE_KIND_SCHEMA1)
		return schema1(what, ctx);
	rc = image_json_str(&m->media_type, root, "mediaType", what, ctx);
	if (!rc)
		rc = required(&config, root, "config", false, what, ctx);
	if (!rc)
		rc = required(&layers, root, "layers", true, what, ctx);
	if (!rc && json_array_size(layers) > max_layers)
		rc = customs_error(
			ctx, CUSTOMS_ELIMIT,
			"%s: %zu layers, more than max_layers (%" PRIu64 ")",
			what, json_array_size(layers), max_layers);
	if (!rc)
		rc = desc_parse(&m->config, config, "config", what, ctx);
	if (!rc)
		rc = manifest_layers(m, layers, what, ctx);
	return rc;
}

void image_manifest_release(struct image_manifest *m)
{
	size_t i;

	for (i = 0; i < m->n_layers; i++)
		image_desc_release(&m->layers[i]);
	customs_free(m->layers);
	image_desc_release(&m->config);
	customs_free(m->media_type);
	memset(m, 0, sizeof(*m));
}

int image_index_from_json(struct image_index *ix, json_t *root,
			  const char *what, struct customs_ctx *ctx)
{
	json_t *list;
	int rc;

	memset(ix, 0, sizeof(*ix));
	if (!json_is_object(root))
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "%s: expected a JSON object", what);
	if (image_json_kind(root, NULL) == IMAGE_KIND_SCHEMA1)
		return schema1(what, ctx);
	rc = required(&list, root, "manifests", true, what, ctx);
	if (rc)
		return rc;
	return desc_array(&ix->v, &ix->n, list, "manifests", what, ctx);
}

void image_index_release(struct image_index *ix)
{
	size_t i;

	for (i = 0; i < ix->n; i++)
		image_desc_release(&ix->v[i]);
	customs_free(ix->v);
	memset(ix, 0, sizeof(*ix));
}
