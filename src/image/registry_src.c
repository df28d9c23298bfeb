/*
 * Images from a registry ("registry:REF", or a bare reference). The
 * reference is resolved through the registry client: the manifest (or
 * index, then the platform's manifest, nested at most
 * IMAGE_MAX_INDEX_DEPTH deep) is fetched and verified, then the config
 * is put into the blob cache and parsed. The layers are put into the
 * cache in the background (registry/pull.c), several at once, skipping
 * blobs already cached; customs_image_layer_blob() waits for a layer's
 * blob, so the scan starts on the first layer downloaded. The image's
 * store is the cache directory, read like an OCI layout
 * (blobs/sha256/<hex>), so layers are read, verified and scanned exactly
 * as for a local image, by several threads with pread(). Unlike the
 * local sources, a layer that cannot be downloaded is reported when the
 * scan asks for it, with the download's message.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "customs/reference.h"
#include "image/image_priv.h"
#include "registry/registry_int.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/banned.h"

struct pull {
	struct customs_image *img;
	struct reg_client *client;
	struct customs_ref ref;
	char *name; /* canonical reference */
	const struct image_platform *want;
};

static int nomem(struct customs_ctx *ctx)
{
	return customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
}

static int set_str(char **slot, const char *s)
{
	char *d = customs_strdup(s);

	if (!d)
		return CUSTOMS_ENOMEM;
	customs_free(*slot);
	*slot = d;
	return 0;
}

/*
 * Start putting the config (blob 0) and the layers (blob i + 1) into the
 * cache, and wait for the config: the image's facts come from it. The
 * scan waits for each layer.
 */
static int start_pull(struct pull *p, const struct image_manifest *m,
		      struct customs_ctx *ctx)
{
	size_t n = m->n_layers + 1, i;
	const char **digests = customs_calloc(n, sizeof(*digests));
	const char **names = customs_calloc(n, sizeof(*names));
	char(*labels)[32] = customs_calloc(n, sizeof(*labels));
	uint64_t *sizes = customs_calloc(n, sizeof(*sizes));
	int rc = 0;

	if (!digests || !names || !labels || !sizes)
		rc = nomem(ctx);
	for (i = 0; !rc && i < n; i++) {
		const struct image_desc *d = i ? &m->layers[i - 1] : &m->config;

		snprintf(labels[i], sizeof(labels[i]),
			 i ? "layer %zu" : "config", i - 1);
		digests[i] = d->digest;
		sizes[i] = d->size;
		names[i] = labels[i];
	}
	if (!rc)
		rc = reg_pull_start(&p->img->regpull, p->client,
				    p->img->regcache, digests, sizes, names, n,
				    ctx);
	if (!rc)
		rc = reg_pull_wait(p->img->regpull, 0, ctx);
	customs_free(digests);
	customs_free(names);
	customs_free(labels);
	customs_free(sizes);
	return rc;
}

static int load_layers(struct pull *p, const struct image_manifest *m,
		       struct customs_ctx *ctx)
{
	struct customs_image *img = p->img;
	struct customs_image_info *info = &img->info;
	char path[96];
	size_t i;
	int rc = 0;

	info->layers = customs_calloc(m->n_layers + 1, sizeof(*info->layers));
	img->locs = customs_calloc(m->n_layers + 1, sizeof(*img->locs));
	if (!info->layers || !img->locs)
		return nomem(ctx);
	info->n_layers = m->n_layers;
	for (i = 0; !rc && i < m->n_layers; i++) {
		const struct image_desc *d = &m->layers[i];

		image_blob_path(path, d->digest);
		info->layers[i].size = d->size;
		info->total_size += d->size;
		if (set_str(&info->layers[i].digest, d->digest) ||
		    (d->media_type &&
		     set_str(&info->layers[i].media_type, d->media_type)))
			return nomem(ctx);
		/* downloaded in the background: located, not yet there */
		img->locs[i].path = customs_strdup(path);
		img->locs[i].len = d->size;
		if (!img->locs[i].path)
			return nomem(ctx);
	}
	return rc;
}

static int load_config(struct pull *p, const struct image_manifest *m,
		       struct customs_ctx *ctx)
{
	struct customs_image *img = p->img;
	char what[IMAGE_WHAT_MAX];
	int rc;

	snprintf(what, sizeof(what), "config blob %s", m->config.digest);
	rc = image_store_read_blob(&img->store, &m->config, what,
				   &img->config_raw, &img->config_len, ctx);
	if (rc)
		return rc;
	img->info.config_size = img->config_len;
	if (set_str(&img->info.id, m->config.digest))
		return nomem(ctx);
	snprintf(what, sizeof(what), "%s: config %s", img->store.label,
		 m->config.digest);
	return image_config_parse(&img->info, img->config_raw, img->config_len,
				  what, ctx);
}

static int from_manifest(struct pull *p, json_t *root, char **buf, size_t len,
			 const char *digest, const char *what,
			 struct customs_ctx *ctx)
{
	struct customs_image *img = p->img;
	struct image_manifest m;
	int rc;

	rc = image_manifest_from_json(&m, root, what, img->limits.max_layers,
				      ctx);
	if (!rc && set_str(&img->info.manifest_digest, digest))
		rc = nomem(ctx);
	if (!rc)
		rc = start_pull(p, &m, ctx);
	if (!rc)
		rc = load_layers(p, &m, ctx);
	if (!rc)
		rc = load_config(p, &m, ctx);
	if (!rc) {
		img->manifest_raw = *buf;
		img->manifest_len = len;
		*buf = NULL;
	}
	image_manifest_release(&m);
	return rc;
}

static int resolve(struct pull *p, const char *ref, int depth,
		   struct customs_ctx *ctx);

static int from_index(struct pull *p, json_t *root, const char *digest,
		      int depth, const char *what, struct customs_ctx *ctx)
{
	struct customs_image *img = p->img;
	struct image_index ix;
	size_t i;
	int rc;

	rc = image_index_from_json(&ix, root, what, ctx);
	if (!rc)
		rc = image_platform_select(&i, &img->info.platforms, ix.v, ix.n,
					   p->want, img->store.label, ctx);
	if (!rc && !img->info.index_digest &&
	    set_str(&img->info.index_digest, digest))
		rc = nomem(ctx);
	if (!rc)
		rc = resolve(p, ix.v[i].digest, depth + 1, ctx);
	image_index_release(&ix);
	return rc;
}

static int dispatch(struct pull *p, json_t *root, char **buf, size_t len,
		    const char *media_type, const char *digest, int depth,
		    struct customs_ctx *ctx)
{
	const char *label = p->img->store.label;
	char what[IMAGE_WHAT_MAX];

	switch (image_json_kind(root, media_type)) {
	case IMAGE_KIND_INDEX:
		snprintf(what, sizeof(what), "%s: index %s", label, digest);
		return from_index(p, root, digest, depth, what, ctx);
	case IMAGE_KIND_MANIFEST:
		snprintf(what, sizeof(what), "%s: manifest %s", label, digest);
		return from_manifest(p, root, buf, len, digest, what, ctx);
	case IMAGE_KIND_SCHEMA1:
		return customs_error(ctx, CUSTOMS_EUNSUPPORTED,
				     "%s: manifest %s: docker schema 1 "
				     "manifests are not supported",
				     label, digest);
	default:
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "%s: %s: neither a manifest nor an index "
				     "(media type '%s')",
				     label, digest,
				     media_type ? media_type : "none");
	}
}

static int resolve(struct pull *p, const char *ref, int depth,
		   struct customs_ctx *ctx)
{
	char *buf = NULL, *mt = NULL, *digest = NULL;
	char what[IMAGE_WHAT_MAX];
	json_t *root = NULL;
	size_t len = 0;
	int rc;

	if (depth > IMAGE_MAX_INDEX_DEPTH)
		return customs_error(ctx, CUSTOMS_ELIMIT,
				     "%s: indexes nested deeper than %d",
				     p->img->store.label,
				     IMAGE_MAX_INDEX_DEPTH);
	rc = reg_manifest_get(p->client, ref, &buf, &len, &mt, &digest,
			      p->img->limits.max_manifest_bytes, ctx);
	snprintf(what, sizeof(what), "%s: manifest %s", p->img->store.label,
		 digest ? digest : ref);
	if (!rc)
		rc = image_json_load(&root, buf, len, what, ctx);
	if (!rc)
		rc = dispatch(p, root, &buf, len, mt, digest, depth, ctx);
	json_decref(root);
	customs_free(buf);
	customs_free(mt);
	customs_free(digest);
	return rc;
}

static int open_store(struct pull *p, const struct customs_registry_opts *o,
		      struct customs_ctx *ctx)
{
	struct customs_image *img = p->img;
	int rc;

	img->regcache = customs_calloc(1, sizeof(*img->regcache));
	if (!img->regcache)
		return nomem(ctx);
	img->regcache->dirfd = -1;
	rc = reg_cache_open(img->regcache, o, ctx);
	if (!rc)
		rc = image_store_open_dir(&img->store, CUSTOMS_SOURCE_REGISTRY,
					  img->regcache->dir, &img->limits,
					  ctx);
	if (!rc)
		rc = image_store_relabel(&img->store, CUSTOMS_SOURCE_REGISTRY,
					 p->name, ctx);
	return rc;
}

static int repo_tag(struct pull *p)
{
	char *fam = NULL;
	int rc;

	if (!p->ref.tag)
		return 0;
	if (customs_ref_familiar(&fam, &p->ref, NULL))
		return CUSTOMS_ENOMEM;
	rc = image_strlist_push(&p->img->info.repo_tags, fam);
	customs_free(fam);
	return rc;
}

int image_registry_open(struct customs_image *img, const char *ref,
			const struct image_platform *want,
			const struct customs_registry_opts *o,
			struct customs_ctx *ctx)
{
	struct pull p = { img, NULL, { NULL, NULL, NULL, NULL }, NULL, want };
	int rc;

	rc = customs_ref_parse(&p.ref, ref, ctx);
	if (!rc)
		rc = customs_ref_string(&p.name, &p.ref, ctx);
	if (!rc && set_str(&img->info.source_path, p.name))
		rc = nomem(ctx);
	if (!rc)
		rc = open_store(&p, o, ctx);
	if (!rc)
		rc = reg_client_new(&p.client, &p.ref, o, ctx);
	if (!rc && repo_tag(&p))
		rc = nomem(ctx);
	if (!rc)
		rc = resolve(&p, p.ref.digest ? p.ref.digest : p.ref.tag, 0,
			     ctx);
	img->regclient = p.client; /* the background downloads use it */
	customs_ref_release(&p.ref);
	customs_free(p.name);
	return rc;
}

void image_registry_release(struct customs_image *img)
{
	reg_pull_free(img->regpull); /* joins before the cache goes */
	img->regpull = NULL;
	reg_client_free(img->regclient);
	img->regclient = NULL;
	if (!img->regcache)
		return;
	reg_cache_close(img->regcache);
	customs_free(img->regcache);
	img->regcache = NULL;
}
