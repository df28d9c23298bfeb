/*
 * Internal interface of the layer module: a layer blob decoded as a
 * stream (compression detected by magic bytes, digests verified while
 * streaming) and walked as a tar, one entry at a time, never extracted.
 */
#ifndef CUSTOMS_LAYER_INT_H
#define CUSTOMS_LAYER_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "customs/common.h"
#include "customs/fsindex.h"
#include "image/image_int.h"
#include "util/hash.h"

enum layer_compression {
	LAYER_COMP_NONE,
	LAYER_COMP_GZIP,
	LAYER_COMP_ZSTD,
};

/** Options of one layer's decode. */
struct layer_stream_opts {
	const char *label; /**< for messages: "layer 2 (sha256:...)" */
	const char *digest; /**< expected blob digest or NULL */
	const char *diff_id; /**< expected uncompressed digest or NULL */
	uint64_t max_bytes; /**< decompressed byte limit of this layer */
	uint64_t *image_bytes; /**< shared counter of the whole image, atomic */
	uint64_t max_image_bytes;
};

struct layer_stream;

/**
 * Start decoding blob b. Reads the first bytes to detect the compression.
 * b must stay open until layer_stream_free().
 */
int layer_stream_new(struct layer_stream **out, const struct customs_blob *b,
		     const struct layer_stream_opts *opts,
		     struct customs_ctx *ctx);

/**
 * Next chunk of decompressed bytes: *buf points inside the stream (valid
 * until the next call). Returns the chunk size, 0 at the end, or a
 * negative error code with the message on ctx.
 */
long layer_stream_read(struct layer_stream *s, const void **buf,
		       struct customs_ctx *ctx);

/**
 * Read to the end (the tar reader stops at the end-of-archive marker, the
 * digests cover every byte) and verify the blob digest and diffID.
 * Returns 0, CUSTOMS_EDIGEST, or the decode error.
 */
int layer_stream_finish(struct layer_stream *s, struct customs_ctx *ctx);

/**
 * Hash n bytes at p, which must be the next bytes of the chunk the last
 * read returned (a tar data block pointing into it), into both the diffID
 * and h, at the cost of about one hash. Returns false, hashing nothing,
 * when p is not there (the caller then hashes into h alone).
 */
bool layer_stream_hash_with(struct layer_stream *s, struct customs_sha256 *h,
			    const void *p, size_t n);

enum layer_compression layer_stream_compression(const struct layer_stream *s);
/**
 * Whether the decompressed bytes were written to the blob's tee file
 * (customs_blob.tee), every one of them; false when there is no tee.
 * Only after a successful layer_stream_finish() (the decoder is joined).
 */
bool layer_stream_tee_ok(const struct layer_stream *s);
uint64_t layer_stream_bytes(const struct layer_stream *s);
/** The diffID computed so far ("sha256:..."), final after finish. */
void layer_stream_diff_id(const struct layer_stream *s, char out[72]);
void layer_stream_free(struct layer_stream *s);

const char *layer_compression_name(enum layer_compression c);

/**
 * Normalise a tar member name to the form the index uses ("a/b"): strip
 * leading "./", collapse "//" and "/./", drop a trailing "/". Absolute
 * names and ".." components are rejected (CUSTOMS_EFORMAT) because a
 * layer that uses them is trying to write outside the root. The root
 * itself ("." or "./") yields an empty string. out must hold
 * strlen(in) + 1 bytes.
 */
int layer_path_normalize(char *out, const char *in, const char **why);

#endif
