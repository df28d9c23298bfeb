/*
 * OCI image layouts, as a directory or as an uncompressed tar: oci-layout
 * (imageLayoutVersion must exist), index.json, then blobs/sha256/<hex>.
 * index.json may list several images (told apart by their ref.name or
 * containerd image name annotations) and each may be a manifest or an
 * index; nested indexes are followed, at most IMAGE_MAX_INDEX_DEPTH deep,
 * choosing the requested platform in each. Every blob read is
 * size-limited and its digest verified; layer blobs are located (not
 * read) when the image is opened, so a missing layer fails first.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "image/image_priv.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/banned.h"

static int nomem(const struct customs_image *img, struct customs_ctx *ctx)
{
	return customs_error(ctx, CUSTOMS_ENOMEM, "%s: out of memory",
			     img->store.label);
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

static int check_layout(struct customs_image *img, struct customs_ctx *ctx)
{
	char what[IMAGE_WHAT_MAX];
	char *buf = NULL, *version = NULL;
	json_t *root = NULL;
	size_t len;
	int rc;

	if (!image_store_has(&img->store, "oci-layout"))
		return customs_error(
			ctx, CUSTOMS_EFORMAT,
			"%s: not an OCI layout: no oci-layout file",
			img->store.label);
	rc = image_store_read(&img->store, "oci-layout", "oci-layout", &buf,
			      &len, ctx);
	snprintf(what, sizeof(what), "%s: oci-layout", img->store.label);
	if (!rc)
		rc = image_json_load(&root, buf, len, what, ctx);
	if (!rc)
		rc = image_json_str(&version, root, "imageLayoutVersion", what,
				    ctx);
	if (!rc && !version)
		rc = image_json_type_error("imageLayoutVersion", "a string",
					   what, ctx);
	customs_free(version);
	customs_free(buf);
	json_decref(root);
	return rc;
}

static int read_index_json(struct customs_image *img, struct image_index *ix,
			   struct customs_ctx *ctx)
{
	char what[IMAGE_WHAT_MAX];
	json_t *root = NULL;
	char *buf = NULL;
	size_t len;
	int rc;

	memset(ix, 0, sizeof(*ix));
	rc = image_store_read(&img->store, "index.json", "index.json", &buf,
			      &len, ctx);
	snprintf(what, sizeof(what), "%s: index.json", img->store.label);
	if (!rc)
		rc = image_json_load(&root, buf, len, what, ctx);
	if (!rc)
		rc = image_index_from_json(ix, root, what, ctx);
	customs_free(buf);
	json_decref(root);
	return rc;
}

static bool ref_matches(const struct image_desc *d, const char *ref)
{
	size_t n, r = strlen(ref);

	if (d->ref_name && !strcmp(d->ref_name, ref))
		return true;
	if (!d->image_name)
		return false;
	n = strlen(d->image_name);
	if (n == r)
		return !strcmp(d->image_name, ref);
	return n > r && d->image_name[n - r - 1] == ':' &&
	       !strcmp(d->image_name + n - r, ref);
}

static const char *desc_name(const struct image_desc *d)
{
	if (d->image_name)
		return d->image_name;
	return d->ref_name ? d->ref_name : d->digest;
}

static int names_of(struct customs_strlist *l, const struct image_index *top)
{
	size_t i;

	for (i = 0; i < top->n; i++) {
		const char *s = desc_name(&top->v[i]);

		if (top->v[i].attestation || image_strlist_has(l, s))
			continue;
		if (image_strlist_push(l, s))
			return CUSTOMS_ENOMEM;
	}
	return 0;
}

static int ambiguous(struct customs_image *img, const struct image_index *top,
		     const char *ref, struct customs_ctx *ctx)
{
	struct customs_strlist names = { NULL, 0 };
	const char *kind = customs_source_kind_name(img->info.source);
	const char *label = img->store.label;
	char *list = NULL;
	int rc = CUSTOMS_ENOTFOUND;

	if (names_of(&names, top) || !(list = image_strlist_join(&names)))
		rc = nomem(img, ctx);
	else if (ref)
		customs_error(ctx, rc,
			      "%s: no image with reference '%s' in index.json "
			      "(references: %s)",
			      label, ref, list);
	else if (!names.n)
		customs_error(ctx, rc, "%s: index.json lists no images", label);
	else
		customs_error(
			ctx, rc,
			"%s: index.json lists %zu images; choose one with "
			"%s:PATH:REF (references: %s)",
			label, names.n, kind, list);
	image_strlist_release(&names);
	customs_free(list);
	return rc;
}

/* The entries the target can mean (shallow copies): ref matches, or all. */
static size_t candidates(struct image_desc *out, bool *distinct,
			 bool *platforms, const struct image_index *top,
			 const char *ref)
{
	size_t i, n = 0;

	*distinct = false;
	*platforms = true;
	for (i = 0; i < top->n; i++) {
		const struct image_desc *d = &top->v[i];

		if (d->attestation || (ref && !ref_matches(d, ref)))
			continue;
		if (n && strcmp(out[0].digest, d->digest))
			*distinct = true;
		if (!d->has_platform || !d->os || !d->arch)
			*platforms = false;
		out[n++] = *d;
	}
	return n;
}

static int choose_top(struct customs_image *img, const struct image_index *top,
		      const char *ref, const struct image_platform *want,
		      const struct image_desc **chosen, struct customs_ctx *ctx)
{
	struct image_desc *c = customs_calloc(top->n, sizeof(*c));
	bool distinct, platforms;
	size_t i, n, k = 0;
	int rc = 0;

	if (!c)
		return nomem(img, ctx);
	n = candidates(c, &distinct, &platforms, top, ref);
	if (!n || (distinct && !platforms))
		rc = ambiguous(img, top, ref, ctx);
	else if (distinct)
		/* Platform manifests listed in index.json itself. */
		rc = image_platform_select(&k, &img->info.platforms, c, n, want,
					   img->store.label, ctx);
	for (i = 0; !rc && i < top->n; i++) {
		if (!strcmp(top->v[i].digest, c[k].digest)) {
			*chosen = &top->v[i];
			break;
		}
	}
	customs_free(c);
	return rc;
}

/* repo_tags: the names of every entry of index.json for the chosen digest. */
static int top_tags(struct customs_image *img, const struct image_index *top,
		    const char *digest)
{
	size_t i;

	for (i = 0; i < top->n; i++) {
		const struct image_desc *d = &top->v[i];
		const char *s = d->image_name ? d->image_name : d->ref_name;

		if (!s || strcmp(d->digest, digest) ||
		    image_strlist_has(&img->info.repo_tags, s))
			continue;
		if (image_strlist_push(&img->info.repo_tags, s))
			return CUSTOMS_ENOMEM;
	}
	return 0;
}

static int load_layers(struct customs_image *img,
		       const struct image_manifest *m, const char *mdigest,
		       struct customs_ctx *ctx)
{
	struct customs_image_info *info = &img->info;
	char what[IMAGE_WHAT_MAX], path[96];
	size_t i;
	int rc = 0;

	info->layers = customs_calloc(m->n_layers, sizeof(*info->layers));
	img->locs = customs_calloc(m->n_layers, sizeof(*img->locs));
	if (!info->layers || !img->locs)
		return nomem(img, ctx);
	info->n_layers = m->n_layers;
	for (i = 0; !rc && i < m->n_layers; i++) {
		const struct image_desc *d = &m->layers[i];

		snprintf(what, sizeof(what), "manifest %s: layer %zu blob %s",
			 mdigest, i, d->digest);
		image_blob_path(path, d->digest);
		info->layers[i].size = d->size;
		info->total_size += d->size;
		if (set_str(&info->layers[i].digest, d->digest) ||
		    (d->media_type &&
		     set_str(&info->layers[i].media_type, d->media_type)))
			return nomem(img, ctx);
		rc = image_store_locate(&img->store, path, &img->locs[i], what,
					ctx);
		if (!rc && img->locs[i].len != d->size)
			rc = customs_error(
				ctx, CUSTOMS_EFORMAT,
				"%s: %s: blob is %" PRIu64
				" bytes but the manifest says %" PRIu64,
				img->store.label, what, img->locs[i].len,
				d->size);
	}
	return rc;
}

static int load_config(struct customs_image *img,
		       const struct image_manifest *m, const char *mdigest,
		       struct customs_ctx *ctx)
{
	char what[IMAGE_WHAT_MAX];
	int rc;

	snprintf(what, sizeof(what), "manifest %s: config blob %s", mdigest,
		 m->config.digest);
	rc = image_store_read_blob(&img->store, &m->config, what,
				   &img->config_raw, &img->config_len, ctx);
	if (rc)
		return rc;
	img->info.config_size = img->config_len;
	if (set_str(&img->info.id, m->config.digest))
		return nomem(img, ctx);
	snprintf(what, sizeof(what), "%s: config %s", img->store.label,
		 m->config.digest);
	return image_config_parse(&img->info, img->config_raw, img->config_len,
				  what, ctx);
}

static int from_manifest(struct customs_image *img, json_t *root,
			 const struct image_desc *d, const char *what,
			 struct customs_ctx *ctx)
{
	struct image_manifest m;
	int rc;

	rc = image_manifest_from_json(&m, root, what, img->limits.max_layers,
				      ctx);
	if (!rc && set_str(&img->info.manifest_digest, d->digest))
		rc = nomem(img, ctx);
	if (!rc)
		rc = load_layers(img, &m, d->digest, ctx);
	if (!rc)
		rc = load_config(img, &m, d->digest, ctx);
	image_manifest_release(&m);
	return rc;
}

static int resolve(struct customs_image *img, const struct image_desc *d,
		   const struct image_platform *want, int depth,
		   struct customs_ctx *ctx);

static int from_index(struct customs_image *img, json_t *root,
		      const struct image_desc *d,
		      const struct image_platform *want, int depth,
		      const char *what, struct customs_ctx *ctx)
{
	struct image_index ix;
	size_t i;
	int rc;

	rc = image_index_from_json(&ix, root, what, ctx);
	if (!rc)
		rc = image_platform_select(&i, &img->info.platforms, ix.v, ix.n,
					   want, img->store.label, ctx);
	if (!rc && set_str(&img->info.index_digest, d->digest))
		rc = nomem(img, ctx);
	if (!rc)
		rc = resolve(img, &ix.v[i], want, depth + 1, ctx);
	image_index_release(&ix);
	return rc;
}

static int unsupported(struct customs_image *img, const char *what,
		       struct customs_ctx *ctx)
{
	return customs_error(
		ctx, CUSTOMS_EUNSUPPORTED,
		"%s: manifest %s: docker schema 1 manifests are not "
		"supported",
		img->store.label, what);
}

static int dispatch(struct customs_image *img, json_t *root, char **buf,
		    size_t len, const struct image_desc *d,
		    const struct image_platform *want, int depth,
		    struct customs_ctx *ctx)
{
	char what[IMAGE_WHAT_MAX];
	int rc;

	snprintf(what, sizeof(what), "%s: %s", img->store.label, d->digest);
	switch (image_json_kind(root, d->media_type)) {
	case IMAGE_KIND_INDEX:
		snprintf(what, sizeof(what), "%s: index %s", img->store.label,
			 d->digest);
		return from_index(img, root, d, want, depth, what, ctx);
	case IMAGE_KIND_MANIFEST:
		snprintf(what, sizeof(what), "%s: manifest %s",
			 img->store.label, d->digest);
		rc = from_manifest(img, root, d, what, ctx);
		if (!rc) {
			img->manifest_raw = *buf;
			img->manifest_len = len;
			*buf = NULL;
		}
		return rc;
	case IMAGE_KIND_SCHEMA1:
		return unsupported(img, d->digest, ctx);
	default:
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "%s: neither a manifest nor an index",
				     what);
	}
}

static int resolve(struct customs_image *img, const struct image_desc *d,
		   const struct image_platform *want, int depth,
		   struct customs_ctx *ctx)
{
	enum image_kind kind = image_media_kind(d->media_type);
	char what[IMAGE_WHAT_MAX];
	json_t *root = NULL;
	char *buf = NULL;
	size_t len = 0;
	int rc;

	if (kind == IMAGE_KIND_SCHEMA1)
		return unsupported(img, d->digest, ctx);
	if (depth > IMAGE_MAX_INDEX_DEPTH)
		return customs_error(
			ctx, CUSTOMS_ELIMIT,
			"%s: index %s: indexes nested deeper than %d",
			img->store.label, d->digest, IMAGE_MAX_INDEX_DEPTH);
	snprintf(what, sizeof(what), "%s %s",
		 kind == IMAGE_KIND_INDEX ? "index" : "manifest", d->digest);
	rc = image_store_read_blob(&img->store, d, what, &buf, &len, ctx);
	snprintf(what, sizeof(what), "%s: %s %s", img->store.label,
		 kind == IMAGE_KIND_INDEX ? "index" : "manifest", d->digest);
	if (!rc)
		rc = image_json_load(&root, buf, len, what, ctx);
	if (!rc)
		rc = dispatch(img, root, &buf, len, d, want, depth, ctx);
	json_decref(root);
	customs_free(buf);
	return rc;
}

int image_oci_open(struct customs_image *img, const char *ref,
		   const struct image_platform *want, struct customs_ctx *ctx)
{
	const struct image_desc *chosen = NULL;
	struct image_index top;
	int rc;

	rc = check_layout(img, ctx);
	if (rc)
		return rc;
	rc = read_index_json(img, &top, ctx);
	if (!rc)
		rc = choose_top(img, &top, ref, want, &chosen, ctx);
	if (!rc && top_tags(img, &top, chosen->digest))
		rc = nomem(img, ctx);
	if (!rc)
		rc = resolve(img, chosen, want, 0, ctx);
	image_index_release(&top);
	return rc;
}

/* What image_oci_manifest_for_config() found. */
struct found {
	char *digest;
	char *raw;
	size_t raw_len;
	struct image_manifest *m;
};

static int find_config(const struct customs_image *img,
		       const struct image_desc *v, size_t n, const char *config,
		       int depth, struct found *f);

static int found_manifest(const struct customs_image *img,
			  const struct image_desc *d, json_t *root,
			  const char *config, char **buf, size_t len,
			  struct found *f)
{
	if (image_manifest_from_json(f->m, root, "", img->limits.max_layers,
				     NULL) ||
	    strcmp(f->m->config.digest, config)) {
		image_manifest_release(f->m);
		return CUSTOMS_ENOTFOUND;
	}
	f->digest = customs_strdup(d->digest);
	if (!f->digest) {
		image_manifest_release(f->m);
		return CUSTOMS_ENOMEM;
	}
	f->raw = *buf;
	f->raw_len = len;
	*buf = NULL;
	return 0;
}

static int found_in_index(const struct customs_image *img, json_t *root,
			  const char *config, int depth, struct found *f)
{
	struct image_index ix;
	int rc = CUSTOMS_ENOTFOUND;

	if (depth >= IMAGE_MAX_INDEX_DEPTH)
		return rc;
	if (!image_index_from_json(&ix, root, "", NULL))
		rc = find_config(img, ix.v, ix.n, config, depth + 1, f);
	image_index_release(&ix);
	return rc;
}

static int find_config(const struct customs_image *img,
		       const struct image_desc *v, size_t n, const char *config,
		       int depth, struct found *f)
{
	json_t *root;
	char *buf;
	size_t i, len;
	int rc = CUSTOMS_ENOTFOUND;

	for (i = 0; rc == CUSTOMS_ENOTFOUND && i < n; i++) {
		root = NULL;
		rc = image_store_read_blob(&img->store, &v[i], "", &buf, &len,
					   NULL);
		if (!rc)
			rc = image_json_load(&root, buf, len, "", NULL);
		if (!rc &&
		    image_json_kind(root, v[i].media_type) == IMAGE_KIND_INDEX)
			rc = found_in_index(img, root, config, depth, f);
		else if (!rc)
			rc = found_manifest(img, &v[i], root, config, &buf, len,
					    f);
		customs_free(buf);
		json_decref(root);
		if (rc && rc != CUSTOMS_ENOMEM)
			rc = CUSTOMS_ENOTFOUND;
	}
	return rc;
}

int image_oci_manifest_for_config(const struct customs_image *img,
				  const char *config_digest, char **digest,
				  char **raw, size_t *raw_len,
				  struct image_manifest *m)
{
	struct found f = { NULL, NULL, 0, m };
	struct image_index top = { NULL, 0 };
	char *buf = NULL;
	json_t *root = NULL;
	size_t len;
	int rc;

	memset(m, 0, sizeof(*m));
	rc = image_store_read(&img->store, "index.json", "", &buf, &len, NULL);
	if (!rc)
		rc = image_json_load(&root, buf, len, "", NULL);
	if (!rc)
		rc = image_index_from_json(&top, root, "", NULL);
	if (!rc)
		rc = find_config(img, top.v, top.n, config_digest, 0, &f);
	image_index_release(&top);
	json_decref(root);
	customs_free(buf);
	*digest = f.digest;
	*raw = f.raw;
	*raw_len = f.raw_len;
	return rc == CUSTOMS_ENOMEM ? rc : rc ? CUSTOMS_ENOTFOUND : 0;
}
