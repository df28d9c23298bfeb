/*
 * docker-archive: the output of `docker save`, an uncompressed tar whose
 * manifest.json is an array of {Config, RepoTags, Layers} with paths into
 * the tar. Two layouts exist: the classic one (<id>/layer.tar, <hex>.json
 * config) and, since Docker 25, an OCI layout inside the same tar
 * (blobs/sha256/<hex>, index.json, oci-layout) where manifest.json points
 * at blobs and old paths may be symlinks to them. manifest.json is always
 * the source of truth; index.json, when present, only supplies the
 * manifest digest and layer media types. Layer digests are known only
 * when a layer resolves to blobs/sha256/<hex>.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "image/image_priv.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/hash.h"
#include "util/banned.h"

static int nomem(const struct customs_image *img, struct customs_ctx *ctx)
{
	return customs_error(ctx, CUSTOMS_ENOMEM, "%s: out of memory",
			     img->store.label);
}

static bool tag_matches(json_t *entry, const char *ref)
{
	json_t *tags = json_object_get(entry, "RepoTags"), *t;
	size_t i, r = strlen(ref);

	json_array_foreach(tags, i, t)
	{
		const char *s = json_string_value(t);

		if (!s)
			continue;
		if (!strcmp(s, ref))
			return true;
		if (strlen(s) == r + 7 && !strncmp(s, ref, r) &&
		    !strcmp(s + r, ":latest"))
			return true;
	}
	return false;
}

static int all_tags(struct customs_strlist *l, json_t *arr)
{
	json_t *entry, *t;
	size_t i, j;

	json_array_foreach(arr, i, entry)
	{
		json_t *tags = json_object_get(entry, "RepoTags");

		if (!json_array_size(tags) && image_strlist_push(l, "<none>"))
			return CUSTOMS_ENOMEM;
		json_array_foreach(tags, j, t)
		{
			if (json_string_value(t) &&
			    image_strlist_push(l, json_string_value(t)))
				return CUSTOMS_ENOMEM;
		}
	}
	return 0;
}

static int no_choice(struct customs_image *img, json_t *arr, const char *ref,
		     struct customs_ctx *ctx)
{
	struct customs_strlist tags = { NULL, 0 };
	char *list = NULL;
	int rc = CUSTOMS_ENOTFOUND;

	if (all_tags(&tags, arr) || !(list = image_strlist_join(&tags)))
		rc = nomem(img, ctx);
	else if (ref)
		customs_error(ctx, rc,
			      "%s: no image tagged '%s' in manifest.json "
			      "(tags: %s)",
			      img->store.label, ref, list);
	else
		customs_error(ctx, rc,
			      "%s: manifest.json lists %zu images; choose one "
			      "with docker-archive:PATH:REF (tags: %s)",
			      img->store.label, json_array_size(arr), list);
	image_strlist_release(&tags);
	customs_free(list);
	return rc;
}

static int select_entry(struct customs_image *img, json_t *arr, const char *ref,
			json_t **entry, struct customs_ctx *ctx)
{
	json_t *e;
	size_t i;

	if (!json_array_size(arr))
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "%s: manifest.json lists no images",
				     img->store.label);
	if (!ref && json_array_size(arr) == 1) {
		*entry = json_array_get(arr, 0);
		return 0;
	}
	json_array_foreach(arr, i, e)
	{
		if (ref && tag_matches(e, ref)) {
			*entry = e;
			return 0;
		}
	}
	return no_choice(img, arr, ref, ctx);
}

/* "sha256:<hex>" when path is blobs/sha256/<hex>, else NULL. */
static int digest_from_path(char **out, const char *path)
{
	char d[80];
	unsigned char sha[32];

	*out = NULL;
	if (strncmp(path, "blobs/sha256/", 13) || strlen(path) != 13 + 64)
		return 0;
	snprintf(d, sizeof(d), "sha256:%s", path + 13);
	if (!customs_digest_parse(sha, d))
		return 0;
	*out = customs_strdup(d);
	return *out ? 0 : CUSTOMS_ENOMEM;
}

static int load_layers(struct customs_image *img,
		       const struct customs_strlist *paths,
		       struct customs_ctx *ctx)
{
	struct customs_image_info *info = &img->info;
	char what[IMAGE_WHAT_MAX];
	size_t i;
	int rc = 0;

	if (paths->n > img->limits.max_layers)
		return customs_error(ctx, CUSTOMS_ELIMIT,
				     "%s: manifest.json: %zu layers, more than "
				     "max_layers (%" PRIu64 ")",
				     img->store.label, paths->n,
				     img->limits.max_layers);
	info->layers = customs_calloc(paths->n, sizeof(*info->layers));
	img->locs = customs_calloc(paths->n, sizeof(*img->locs));
	if (!info->layers || !img->locs)
		return nomem(img, ctx);
	info->n_layers = paths->n;
	for (i = 0; !rc && i < paths->n; i++) {
		snprintf(what, sizeof(what),
			 "manifest.json: layer %zu '%.200s'", i, paths->v[i]);
		rc = image_store_locate(&img->store, paths->v[i], &img->locs[i],
					what, ctx);
		if (!rc && digest_from_path(&info->layers[i].digest,
					    img->locs[i].path))
			rc = nomem(img, ctx);
		info->layers[i].size = img->locs[i].len;
		info->total_size += img->locs[i].len;
	}
	return rc;
}

/* The digest a config path promises: blobs/sha256/<hex> or <hex>.json. */
static void promised_digest(char out[80], const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;

	out[0] = '\0';
	base = base ? base + 1 : path;
	n = strlen(base);
	if (!strncmp(path, "blobs/sha256/", 13) && n == 64)
		snprintf(out, 80, "sha256:%s", base);
	else if (n == 64 + 5 && !strcmp(base + 64, ".json"))
		snprintf(out, 80, "sha256:%.64s", base);
}

static int load_config(struct customs_image *img, const char *path,
		       struct customs_ctx *ctx)
{
	char what[IMAGE_WHAT_MAX], got[72], want[80];
	int rc;

	snprintf(what, sizeof(what), "config '%.200s'", path);
	rc = image_store_read(&img->store, path, what, &img->config_raw,
			      &img->config_len, ctx);
	if (rc)
		return rc;
	if (image_sha256_str(got, img->config_raw, img->config_len))
		return nomem(img, ctx);
	promised_digest(want, path);
	if (want[0] && strcmp(want, got))
		return customs_error(ctx, CUSTOMS_EDIGEST,
				     "%s: config blob %s: digest mismatch "
				     "(got %s)",
				     img->store.label, want, got);
	img->info.config_size = img->config_len;
	img->info.id = customs_strdup(got);
	if (!img->info.id)
		return nomem(img, ctx);
	snprintf(what, sizeof(what), "%s: config %s", img->store.label, got);
	return image_config_parse(&img->info, img->config_raw, img->config_len,
				  what, ctx);
}

/* Docker 25+ also writes index.json: take the manifest digest from it. */
static int oci_manifest(struct customs_image *img, struct customs_ctx *ctx)
{
	struct image_manifest m;
	char *digest = NULL, *raw = NULL;
	size_t i, len = 0;
	int rc;

	if (!image_store_has(&img->store, "index.json"))
		return 0;
	rc = image_oci_manifest_for_config(img, img->info.id, &digest, &raw,
					   &len, &m);
	if (rc)
		return rc == CUSTOMS_ENOMEM ? nomem(img, ctx) : 0;
	img->info.manifest_digest = digest;
	customs_free(img->manifest_raw);
	img->manifest_raw = raw;
	img->manifest_len = len;
	for (i = 0; m.n_layers == img->info.n_layers && i < m.n_layers; i++) {
		if (!m.layers[i].media_type)
			continue;
		img->info.layers[i].media_type =
			customs_strdup(m.layers[i].media_type);
		if (!img->info.layers[i].media_type)
			rc = nomem(img, ctx);
	}
	image_manifest_release(&m);
	return rc;
}

static int load_entry(struct customs_image *img, json_t *entry,
		      struct customs_ctx *ctx)
{
	struct customs_strlist layers = { NULL, 0 };
	char what[IMAGE_WHAT_MAX];
	char *config = NULL;
	int rc;

	snprintf(what, sizeof(what), "%s: manifest.json", img->store.label);
	rc = image_json_strlist(&img->info.repo_tags, entry, "RepoTags", what,
				ctx);
	if (!rc)
		rc = image_json_str(&config, entry, "Config", what, ctx);
	if (!rc && !config)
		rc = image_json_type_error("Config", "a string", what, ctx);
	if (!rc)
		rc = image_json_strlist(&layers, entry, "Layers", what, ctx);
	if (!rc && !json_is_array(json_object_get(entry, "Layers")))
		rc = image_json_type_error("Layers", "an array of strings",
					   what, ctx);
	if (!rc)
		rc = load_layers(img, &layers, ctx);
	if (!rc)
		rc = load_config(img, config, ctx);
	if (!rc)
		rc = oci_manifest(img, ctx);
	image_strlist_release(&layers);
	customs_free(config);
	return rc;
}

int image_docker_open(struct customs_image *img, const char *ref,
		      const struct image_platform *want,
		      struct customs_ctx *ctx)
{
	char what[IMAGE_WHAT_MAX];
	json_t *root = NULL, *entry = NULL;
	int rc;

	(void)want; /* a docker-archive entry is one platform: checked later */
	rc = image_store_read(&img->store, "manifest.json", "manifest.json",
			      &img->manifest_raw, &img->manifest_len, ctx);
	snprintf(what, sizeof(what), "%s: manifest.json", img->store.label);
	if (!rc)
		rc = image_json_load(&root, img->manifest_raw,
				     img->manifest_len, what, ctx);
	if (!rc && !json_is_array(root))
		rc = customs_error(ctx, CUSTOMS_EFORMAT,
				   "%s: expected a JSON array", what);
	if (!rc)
		rc = select_entry(img, root, ref, &entry, ctx);
	if (!rc)
		rc = load_entry(img, entry, ctx);
	json_decref(root);
	return rc;
}
