/*
 * The image object: opening a target (parse, detect the kind, read the
 * metadata through the source's reader), the accessors, and layer blobs
 * for the decoder. Opening reads only manifests, indexes and the config,
 * and locates every layer blob, so that an image that opened can be
 * scanned without discovering a missing layer halfway - except registry
 * images, whose layers download while the scan runs: their
 * customs_image_layer_blob() waits for the blob and reports a failed
 * download. After a
 * successful open the image is immutable: the accessors and
 * customs_image_layer_blob() may be called from several threads.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/image_priv.h"
#include "registry/registry_int.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/banned.h"

static int open_rootfs(struct customs_image *img, const struct image_target *t,
		       struct customs_ctx *ctx)
{
	struct stat st;
	char *real;

	if (t->ref)
		return customs_error(ctx, CUSTOMS_EINVAL,
				     "dir '%s': a directory takes no reference "
				     "(':%s')",
				     t->path, t->ref);
	if (stat(t->path, &st))
		return customs_error(ctx, CUSTOMS_ENOTFOUND,
				     "no such file: '%s'", t->path);
	if (!S_ISDIR(st.st_mode))
		return customs_error(ctx, CUSTOMS_EINVAL,
				     "dir '%s': not a directory", t->path);
	real = realpath(t->path, NULL);
	if (!real)
		return customs_error(ctx, CUSTOMS_EIO, "dir '%s': %s", t->path,
				     strerror(errno));
	img->rootfs = customs_strdup(real);
	free(real);
	if (!img->rootfs)
		return customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	return 0;
}

/* A bare archive path: manifest.json means docker-archive. */
static int detect_archive(struct customs_image *img, struct image_target *t,
			  struct customs_ctx *ctx)
{
	if (image_store_has(&img->store, "manifest.json"))
		t->kind = CUSTOMS_SOURCE_DOCKER_ARCHIVE;
	else if (image_store_has(&img->store, "index.json"))
		t->kind = CUSTOMS_SOURCE_OCI_ARCHIVE;
	else
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "'%s': not an image: a tar without "
				     "manifest.json or index.json",
				     t->path);
	return image_store_relabel(&img->store, t->kind, t->path, ctx);
}

static int open_source(struct customs_image *img, struct image_target *t,
		       const struct image_platform *want,
		       const struct customs_image_opts *opts,
		       struct customs_ctx *ctx)
{
	int rc;

	if (t->kind == CUSTOMS_SOURCE_DIR) {
		img->info.source = CUSTOMS_SOURCE_DIR;
		return open_rootfs(img, t, ctx);
	}
	if (t->kind == CUSTOMS_SOURCE_REGISTRY) {
		img->info.source = CUSTOMS_SOURCE_REGISTRY;
		rc = image_registry_open(img, t->ref, want, opts->registry,
					 ctx);
		if (!rc)
			rc = image_platform_check(&img->info, want,
						  img->store.label, ctx);
		return rc;
	}
	if (t->kind == CUSTOMS_SOURCE_OCI_DIR)
		rc = image_store_open_dir(&img->store, t->kind, t->path,
					  &img->limits, ctx);
	else
		rc = image_store_open_tar(&img->store, t->kind, t->path,
					  &img->limits, ctx);
	if (!rc && t->kind < 0)
		rc = detect_archive(img, t, ctx);
	if (rc)
		return rc;
	img->info.source = (enum customs_source_kind)t->kind;
	if (t->kind == CUSTOMS_SOURCE_DOCKER_ARCHIVE)
		rc = image_docker_open(img, t->ref, want, ctx);
	else
		rc = image_oci_open(img, t->ref, want, ctx);
	if (!rc)
		rc = image_platform_check(&img->info, want, img->store.label,
					  ctx);
	return rc;
}

static struct customs_image *image_new(const struct customs_image_opts *opts)
{
	struct customs_image *img = customs_calloc(1, sizeof(*img));

	if (!img)
		return NULL;
	img->store.fd = -1;
	img->store.dirfd = -1;
	img->limits = opts->limits;
	customs_limits_resolve(&img->limits);
	return img;
}

int customs_image_open(struct customs_image **out, struct customs_ctx *ctx,
		       const char *target,
		       const struct customs_image_opts *opts)
{
	struct customs_image_opts defaults = CUSTOMS_IMAGE_OPTS_INIT;
	struct image_target t = { -1, NULL, NULL };
	struct image_platform want;
	struct customs_image *img = NULL;
	int rc;

	if (!out)
		return customs_error(ctx, CUSTOMS_EINVAL, "no image to open");
	*out = NULL;
	opts = opts ? opts : &defaults;
	if (opts->version != CUSTOMS_IMAGE_OPTS_VERSION)
		return customs_error(ctx, CUSTOMS_EINVAL,
				     "image options version %d not supported",
				     opts->version);
	rc = image_platform_parse(&want, opts->platform, ctx);
	if (!rc)
		rc = image_target_parse(&t, target, ctx);
	if (!rc)
		rc = image_target_detect(&t, ctx);
	if (!rc && !(img = image_new(opts)))
		rc = customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	if (!rc && !(img->info.source_path = customs_strdup(t.path)))
		rc = customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	if (!rc)
		rc = open_source(img, &t, &want, opts, ctx);
	image_target_release(&t);
	if (rc) {
		customs_image_free(img);
		return rc;
	}
	*out = img;
	return 0;
}

void customs_image_free(struct customs_image *img)
{
	size_t i;

	if (!img)
		return;
	image_registry_release(img); /* evicts sparing the image's layers */
	if (img->locs) {
		for (i = 0; i < img->info.n_layers; i++)
			image_loc_release(&img->locs[i]);
	}
	customs_free(img->locs);
	image_info_release(&img->info);
	image_store_release(&img->store);
	customs_free(img->rootfs);
	customs_free(img->config_raw);
	customs_free(img->manifest_raw);
	customs_free(img);
}

const struct customs_image_info *
customs_image_info(const struct customs_image *img)
{
	return &img->info;
}

const char *customs_image_config_raw(const struct customs_image *img,
				     size_t *len)
{
	if (len)
		*len = img->config_len;
	return img->config_raw;
}

const char *customs_image_manifest_raw(const struct customs_image *img,
				       size_t *len)
{
	if (len)
		*len = img->manifest_len;
	return img->manifest_raw;
}

const char *customs_image_rootfs(const struct customs_image *img)
{
	return img->rootfs;
}

const struct customs_limits *
customs_image_limits(const struct customs_image *img)
{
	return &img->limits;
}

static int open_dir_blob(const struct customs_image *img, size_t i,
			 struct customs_blob *out, struct customs_ctx *ctx)
{
	const struct image_loc *loc = &img->locs[i];
	const char *digest = img->info.layers[i].digest;
	struct stat st;
	int fd, rc = 0;

	fd = openat(img->store.dirfd, loc->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && (errno == ENOENT || errno == ENOTDIR))
		return customs_error(ctx, CUSTOMS_ENOTFOUND,
				     "layer %zu blob %s: not found in %s", i,
				     digest, img->store.label);
	if (fd < 0 || fstat(fd, &st))
		rc = customs_error(
			ctx, CUSTOMS_EIO, "%s: layer %zu blob %s: %s",
			img->store.label, i, digest, strerror(errno));
	else if ((uint64_t)st.st_size != loc->len)
		rc = customs_error(ctx, CUSTOMS_EFORMAT,
				   "%s: layer %zu blob %s: file is %" PRIu64
				   " bytes but the manifest says %" PRIu64,
				   img->store.label, i, digest,
				   (uint64_t)st.st_size, loc->len);
	if (rc) {
		if (fd >= 0)
			close(fd);
		return rc;
	}
	out->fd = fd;
	out->owns_fd = true;
	out->len = loc->len;
	return 0;
}

int customs_image_layer_blob(const struct customs_image *img, size_t i,
			     struct customs_blob *out, struct customs_ctx *ctx)
{
	const struct customs_layer_info *l;

	memset(out, 0, sizeof(*out));
	out->fd = -1;
	if (!img || img->info.source == CUSTOMS_SOURCE_DIR ||
	    i >= img->info.n_layers)
		return customs_error(ctx, CUSTOMS_EINVAL,
				     "layer %zu: no such layer", i);
	l = &img->info.layers[i];
	snprintf(out->name, sizeof(out->name), "%s",
		 l->digest ? l->digest : img->locs[i].path);
	if (img->regpull)
		return image_registry_layer_blob(img, i, out, ctx);
	if (!img->store.tar)
		return open_dir_blob(img, i, out, ctx);
	out->fd = img->store.fd;
	out->off = img->locs[i].off;
	out->len = img->locs[i].len;
	return 0;
}

bool customs_image_layer_ready(const struct customs_image *img, size_t i)
{
	if (!img || i >= img->info.n_layers)
		return false;
	return !img->regpull || reg_pull_ready(img->regpull, i);
}

void customs_blob_close(struct customs_blob *b)
{
	if (b->owns_fd && b->fd >= 0)
		close(b->fd);
	b->fd = -1;
	b->owns_fd = false;
}
