/*
 * Images from a registry ("registry:REF", or a bare reference). The
 * reference is resolved through the registry client: the manifest (or
 * index, then the platform's manifest, nested at most
 * IMAGE_MAX_INDEX_DEPTH deep) is fetched and verified (or read from the
 * cache by digest, registry/mcache.c), then the config
 * is put into the blob cache (verified) and parsed. The layers are then
 * pulled in the background (registry/pull.c), several at once, skipping
 * those whose diffID (or digest) is cached. customs_image_layer_blob()
 * hands out either the cached uncompressed tar (read like a
 * docker-archive's layer, diffID verified while streaming) or the
 * download's growing file, which the layer stream reads as it arrives
 * (customs_blob_wait), verifying the blob digest and diffID and writing
 * the decompressed tar to a tee file; customs_image_layer_done() then
 * commits it to the cache. Unlike the local sources, a layer that cannot
 * be downloaded is reported when the scan reads it, with the download's
 * message. The cache is evicted down to its cap when the image closes,
 * sparing the image's own files.
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

/* Put the config into the cache (downloaded and verified here). */
static int pull_config(struct pull *p, const struct image_manifest *m,
		       struct customs_ctx *ctx)
{
	struct reg_blob_spec b = { m->config.digest, NULL, "config",
				   m->config.size, false };
	struct reg_pull *rp = NULL;
	int rc;

	rc = reg_pull_start(&rp, p->client, p->img->regcache, &b, 1, ctx);
	if (!rc)
		rc = reg_pull_wait(rp, 0, ctx);
	reg_pull_free(rp);
	return rc;
}

/*
 * Start putting the layers into the cache, decompressed under their
 * diffIDs (from the config, which is verified): the scan reads each one
 * while it downloads and waits in customs_blob_wait().
 */
static int start_layers(struct pull *p, const struct image_manifest *m,
			struct customs_ctx *ctx)
{
	const struct customs_layer_info *l = p->img->info.layers;
	size_t n = m->n_layers, i;
	struct reg_blob_spec *v = customs_calloc(n + 1, sizeof(*v));
	char(*labels)[32] = customs_calloc(n + 1, sizeof(*labels));
	int rc = 0;

	if (!v || !labels)
		rc = nomem(ctx);
	for (i = 0; !rc && i < n; i++) {
		snprintf(labels[i], sizeof(labels[i]), "layer %zu", i);
		v[i].digest = m->layers[i].digest;
		v[i].size = m->layers[i].size;
		v[i].diff_id = l[i].diff_id;
		v[i].name = labels[i];
		v[i].stream = true;
	}
	if (!rc)
		rc = reg_pull_start(&p->img->regpull, p->client,
				    p->img->regcache, v, n, ctx);
	customs_free(v);
	customs_free(labels);
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
		rc = load_layers(p, &m, ctx);
	if (!rc)
		rc = pull_config(p, &m, ctx);
	if (!rc)
		rc = load_config(p, &m, ctx);
	if (!rc)
		rc = start_layers(p, &m, ctx);
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
	rc = reg_manifest_fetch(p->client, p->img->regcache, ref, &buf, &len,
				&mt, &digest, p->img->limits.max_manifest_bytes,
				ctx);
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

int image_registry_layer_blob(const struct customs_image *img, size_t i,
			      struct customs_blob *out, struct customs_ctx *ctx)
{
	struct reg_view v;
	int rc = reg_pull_open(img->regpull, i, &v, ctx);

	if (rc)
		return rc;
	out->fd = v.fd;
	out->owns_fd = true;
	out->len = v.len;
	out->pulled = true;
	out->growing = v.growing;
	out->diff_only = v.diff;
	out->tee = v.tee_fd >= 0;
	out->tee_fd = v.tee_fd;
	out->img = img;
	out->index = i;
	return 0;
}

int64_t customs_blob_wait(const struct customs_blob *b, uint64_t upto,
			  struct customs_ctx *ctx)
{
	if (!b->growing)
		return (int64_t)b->len;
	return reg_pull_avail(b->img->regpull, b->index, upto, ctx);
}

int customs_image_layer_done(const struct customs_image *img, size_t i, int rc,
			     bool tee_ok, struct customs_ctx *ctx)
{
	if (!img->regpull || i >= img->info.n_layers)
		return rc;
	return reg_pull_done(img->regpull, i, rc, tee_ok, ctx);
}

/* Keep the cache under its cap, sparing everything this image uses. */
static void evict(struct customs_image *img)
{
	const struct customs_image_info *info = &img->info;
	const char **keep =
		customs_calloc(2 * info->n_layers + 4, sizeof(*keep));
	size_t i, n = 0;

	if (!keep)
		return;
	keep[n++] = info->id;
	if (info->manifest_digest)
		keep[n++] = info->manifest_digest;
	if (info->index_digest)
		keep[n++] = info->index_digest;
	for (i = 0; i < info->n_layers; i++) {
		keep[n++] = info->layers[i].digest;
		keep[n++] = info->layers[i].diff_id;
	}
	reg_cache_evict(img->regcache, keep, n);
	customs_free(keep);
}

void image_registry_release(struct customs_image *img)
{
	reg_pull_free(img->regpull); /* joins before the cache goes */
	img->regpull = NULL;
	if (img->regcache && img->info.layers)
		evict(img);
	reg_client_free(img->regclient);
	img->regclient = NULL;
	if (!img->regcache)
		return;
	reg_cache_close(img->regcache);
	customs_free(img->regcache);
	img->regcache = NULL;
}
