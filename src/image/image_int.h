/*
 * Internal interface of the image module, used by the layer decoder and
 * the scan driver (analyze). A blob is a byte range of a file: a member
 * of an uncompressed outer tar (docker-archive, oci-archive) or a whole
 * file (OCI layout directory). Reading is by pread(), so several threads
 * may read different blobs of one image at once.
 */
#ifndef CUSTOMS_IMAGE_INT_H
#define CUSTOMS_IMAGE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "customs/image.h"

struct customs_blob {
	int fd; /**< readable with pread() */
	bool owns_fd; /**< close fd in customs_blob_close() */
	uint64_t off; /**< first byte of the blob in fd */
	uint64_t len; /**< blob length */
	char name[160]; /**< for messages: digest or archive member path */
	/* Registry layers only (all false otherwise): */
	bool pulled; /**< verify both digests whatever the scan options say,
		      * and report with customs_image_layer_done() */
	bool growing; /**< still downloading: customs_blob_wait() first */
	bool diff_only; /**< the cached uncompressed tar: its digest is the
			 * diffID, not the manifest's blob digest */
	bool tee; /**< write the decompressed tar to tee_fd (not owned) */
	int tee_fd;
	const struct customs_image *img; /**< growing: whose layer */
	size_t index; /**< growing: which layer */
};

/**
 * Open the blob of layer i (0-based, in manifest order) for reading. For
 * a registry image this waits until the blob is downloaded. Returns 0,
 * CUSTOMS_ENOTFOUND (a manifest refers to a missing blob; message names
 * the layer), CUSTOMS_EIO, CUSTOMS_EDIGEST (registry download),
 * CUSTOMS_EINVAL (i out of range, or a dir: image).
 */
int customs_image_layer_blob(const struct customs_image *img, size_t i,
			     struct customs_blob *out, struct customs_ctx *ctx);

/**
 * Whether layer i's blob can be opened without waiting (always, but for
 * a registry image whose layer is still downloading). Never blocks.
 */
bool customs_image_layer_ready(const struct customs_image *img, size_t i);

/**
 * For a growing blob: wait until its first upto bytes (or all it will
 * have) are there. Returns the bytes there (more than the caller's
 * position unless the blob ended), or the download's negative error
 * with its message on ctx (it names the layer).
 */
int64_t customs_blob_wait(const struct customs_blob *b, uint64_t upto,
			  struct customs_ctx *ctx);

/**
 * The scan of a pulled layer ended with rc (0: blob digest and diffID
 * verified); tee_ok says whether the tee file got every byte. A verified
 * layer is committed to the registry cache; on an error the cached
 * entry or the download is checked, a damaged entry is removed, and a
 * better error may replace rc (message on ctx). Returns the outcome.
 */
int customs_image_layer_done(const struct customs_image *img, size_t i, int rc,
			     bool tee_ok, struct customs_ctx *ctx);

/** Close what customs_image_layer_blob() opened. Accepts a zeroed blob. */
void customs_blob_close(struct customs_blob *b);

/**
 * For dir: images, the root directory to walk; NULL for every other kind.
 */
const char *customs_image_rootfs(const struct customs_image *img);

/** The limits the image was opened with (defaults resolved). */
const struct customs_limits *
customs_image_limits(const struct customs_image *img);

#endif
