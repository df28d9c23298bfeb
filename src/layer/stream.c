/*
 * Layer streams. A blob is read with pread() in 256 KiB chunks, hashed
 * (blob digest, on the consumer's side: pipe.c), decompressed (ISA-L for gzip,
 * libzstd, or nothing, chosen by the magic bytes, not by the media type, since
 * registries and tools disagree on media types) and hashed again (diffID).
 * Counting every decompressed byte against the layer and image limits stops
 * bombs early.
 *
 * This file is the decoder; it runs on the stream's producer thread
 * (pipe.c), which hands decompressed chunks to the tar walk.
 */
#include <errno.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>
#include <isa-l/igzip_lib.h>
#include <zstd.h>

#include "layer/stream_priv.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/hash.h"
#include "util/banned.h"

const char *layer_compression_name(enum layer_compression c)
{
	switch (c) {
	case LAYER_COMP_GZIP:
		return "gzip";
	case LAYER_COMP_ZSTD:
		return "zstd";
	default:
		return "none";
	}
}

/* pread up to want bytes at s->pos into dst; 0 at the blob's end. */
static long read_blob(struct layer_stream *s, unsigned char *dst, size_t want,
		      struct customs_ctx *ctx)
{
	uint64_t left = s->blob->len - s->pos;
	ssize_t n;

	if (left < want)
		want = (size_t)left;
	if (!want)
		return 0;
	if (s->blob->growing) { /* a registry download: wait for bytes */
		int64_t have = customs_blob_wait(s->blob, s->pos + want, ctx);

		if (have < 0)
			return (long)have;
		if ((uint64_t)have < s->pos + want)
			want = (size_t)((uint64_t)have - s->pos);
		if (!want)
			return customs_error(ctx, CUSTOMS_EIO,
					     "%s: download ended early",
					     s->opts.label);
	}
	do {
		n = pread(s->blob->fd, dst, want,
			  (off_t)(s->blob->off + s->pos));
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return customs_error(ctx, CUSTOMS_EIO, "%s: read: %s",
				     s->opts.label, strerror(errno));
	if (n == 0)
		return customs_error(ctx, CUSTOMS_EIO,
				     "%s: blob ends early at byte %llu of %llu",
				     s->opts.label, (unsigned long long)s->pos,
				     (unsigned long long)s->blob->len);
	s->pos += (uint64_t)n;
	return (long)n;
}

/* Refill s->in from the blob (the next buffer of the input ring, which
 * the consumer hashes); sets in_eof at the blob's end. */
static int refill(struct layer_stream *s, struct customs_ctx *ctx)
{
	long n;

	s->in_off = 0;
	s->in_len = 0;
	if (s->pos == s->blob->len) {
		s->in_eof = true;
		return 0;
	}
	s->in = pipe_in_acquire(s);
	if (!s->in)
		return customs_error(ctx, CUSTOMS_EINTERNAL, "%s: stopped",
				     s->opts.label);
	n = read_blob(s, s->in, IN_CHUNK, ctx);
	if (n < 0)
		return (int)n;
	pipe_in_publish(s, (size_t)n);
	s->in_len = (size_t)n;
	return 0;
}

static int detect(struct layer_stream *s, struct customs_ctx *ctx)
{
	int rc = refill(s, ctx);

	if (rc)
		return rc;
	if (s->in_len >= 2 && s->in[0] == 0x1f && s->in[1] == 0x8b) {
		s->comp = LAYER_COMP_GZIP;
		s->gz = customs_calloc(1, sizeof(*s->gz));
		if (!s->gz)
			return CUSTOMS_ENOMEM;
		isal_inflate_init(s->gz);
		/* the CRC-32 repeats what a digest proves: only without one */
		s->gzw.check_crc = !s->opts.digest && !s->opts.diff_id;
	} else if (s->in_len >= 4 && s->in[0] == 0x28 && s->in[1] == 0xb5 &&
		   s->in[2] == 0x2f && s->in[3] == 0xfd) {
		s->comp = LAYER_COMP_ZSTD;
		s->zs = ZSTD_createDStream();
		if (!s->zs)
			return CUSTOMS_ENOMEM;
		ZSTD_initDStream(s->zs);
	} else {
		/* the blob is the tar: its digest is the diffID, and the
		 * input ring is not needed past this first read */
		s->comp = LAYER_COMP_NONE;
		s->hash_blob = false;
	}
	/* a registry layer is cached decompressed: the producer writes
	 * what it decodes to the tee (a plain blob is cached as it is) */
	if (s->blob->tee && s->comp != LAYER_COMP_NONE)
		s->tee_fd = s->blob->tee_fd;
	return 0;
}

int layer_stream_new(struct layer_stream **out, const struct customs_blob *b,
		     const struct layer_stream_opts *opts,
		     struct customs_ctx *ctx)
{
	struct layer_stream *s;
	int rc;

	*out = NULL;
	s = customs_calloc(1, sizeof(*s));
	if (!s)
		return CUSTOMS_ENOMEM;
	s->blob = b;
	s->opts = *opts;
	s->tee_fd = -1;
	s->blob_sha = customs_sha256_new();
	s->diff_sha = customs_sha256_new();
	if (!s->blob_sha || !s->diff_sha) {
		rc = CUSTOMS_ENOMEM;
		goto fail;
	}
	rc = pipe_init(s);
	if (!rc)
		rc = detect(s, ctx);
	if (!rc)
		rc = pipe_start(s, ctx);
	if (rc)
		goto fail;
	*out = s;
	return 0;
fail:
	layer_stream_free(s);
	return rc;
}

/* One isal_inflate() from the current input into s->out; *n: bytes out.
 * Input that ends inside a deflate body is a truncated stream. */
static int inflate_once(struct layer_stream *s, size_t *n,
			struct customs_ctx *ctx)
{
	struct inflate_state *g = s->gz;
	int ret;

	g->next_in = s->in + s->in_off;
	g->avail_in = (uint32_t)(s->in_len - s->in_off);
	g->next_out = s->out;
	g->avail_out = OUT_CHUNK;
	ret = isal_inflate(g);
	if (ret < 0)
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "%s: corrupt deflate data near byte %llu",
				     s->opts.label, (unsigned long long)s->pos);
	s->in_off = s->in_len - g->avail_in;
	*n = OUT_CHUNK - g->avail_out;
	if (!*n && g->block_state != ISAL_BLOCK_FINISH &&
	    s->in_off == s->in_len && s->in_eof)
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "%s: truncated gzip stream",
				     s->opts.label);
	return 0;
}

/* The member wrapper, byte by byte, up to the next body or the end. */
static int gzip_wrapper(struct layer_stream *s, struct customs_ctx *ctx)
{
	size_t used;
	int ret;

	if (s->in_off == s->in_len) { /* at the blob's end */
		if (gzw_at_member_start(&s->gzw)) {
			s->done = true;
			return 0;
		}
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "%s: truncated gzip stream",
				     s->opts.label);
	}
	ret = gzw_feed(&s->gzw, s->in + s->in_off, s->in_len - s->in_off,
		       s->gz->total_out, s->gz->crc, &used);
	s->in_off += used;
	if (ret)
		return customs_error(
			ctx, CUSTOMS_EFORMAT, "%s: %s at byte %llu",
			s->opts.label, gzw_strerror(ret),
			(unsigned long long)(s->pos - (s->in_len - s->in_off)));
	if (s->gzw.st == GZW_BODY) { /* raw deflate, CRC-32 as asked */
		isal_inflate_reset(s->gz);
		s->gz->crc_flag =
			s->gzw.check_crc ? ISAL_GZIP_NO_HDR : ISAL_DEFLATE;
	}
	return 0;
}

/*
 * A body has ended. ISA-L reads ahead into its bit buffer and, without
 * its own wrapper handling, does not give back the whole bytes it holds
 * past the body's last bit: they are the first bytes of the trailer, so they go
 * to the wrapper first, from the next byte boundary on.
 */
static int gzip_body_end(struct layer_stream *s, struct customs_ctx *ctx)
{
	struct inflate_state *g = s->gz;
	unsigned char held[8];
	unsigned i, k = (unsigned)g->read_in_length / 8;
	unsigned skip = (unsigned)g->read_in_length % 8;
	size_t used;
	int ret;

	gzw_body_done(&s->gzw);
	if (g->read_in_length <= 0)
		return 0;
	for (i = 0; i < k && i < sizeof(held); i++)
		held[i] = (unsigned char)(g->read_in >> (skip + 8 * i));
	g->read_in = 0;
	g->read_in_length = 0;
	ret = gzw_feed(&s->gzw, held, i, g->total_out, g->crc, &used);
	if (!ret && used < i) /* a next member within 8 bytes: too short */
		ret = GZW_EHEADER;
	if (ret)
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "%s: %s near byte %llu", s->opts.label,
				     gzw_strerror(ret),
				     (unsigned long long)s->pos);
	return 0;
}

/* gzip: the member wrapper parsed by gzwrap.c, the bodies by ISA-L. */
static long read_gzip(struct layer_stream *s, struct customs_ctx *ctx)
{
	struct inflate_state *g = s->gz;
	size_t n;
	int rc;

	for (;;) {
		if (s->in_off == s->in_len && !s->in_eof) {
			rc = refill(s, ctx);
			if (rc)
				return rc;
		}
		if (s->gzw.st != GZW_BODY) {
			rc = gzip_wrapper(s, ctx);
			if (rc || s->done)
				return rc;
			continue;
		}
		rc = inflate_once(s, &n, ctx);
		if (rc)
			return rc;
		if (g->block_state == ISAL_BLOCK_FINISH) {
			rc = gzip_body_end(s, ctx);
			if (rc)
				return rc;
		}
		if (n)
			return (long)n;
	}
}

static long read_zstd(struct layer_stream *s, struct customs_ctx *ctx)
{
	ZSTD_outBuffer ob = { s->out, OUT_CHUNK, 0 };
	ZSTD_inBuffer ib;
	int rc;

	for (;;) {
		if (s->in_off == s->in_len) {
			if (!s->in_eof) {
				rc = refill(s, ctx);
				if (rc)
					return rc;
			}
			if (s->in_eof) {
				if (s->zs_last != 0)
					return customs_error(
						ctx, CUSTOMS_EFORMAT,
						"%s: truncated zstd stream",
						s->opts.label);
				s->done = true;
				return 0;
			}
		}
		ib.src = s->in;
		ib.size = s->in_len;
		ib.pos = s->in_off;
		s->zs_last = ZSTD_decompressStream(s->zs, &ob, &ib);
		s->in_off = ib.pos;
		if (ZSTD_isError(s->zs_last))
			return customs_error(ctx, CUSTOMS_EFORMAT,
					     "%s: corrupt zstd data: %s",
					     s->opts.label,
					     ZSTD_getErrorName(s->zs_last));
		if (ob.pos)
			return (long)ob.pos;
	}
}

/* Uncompressed: the rest of the first read, then straight into the slot. */
static long read_plain(struct layer_stream *s, const void **buf,
		       struct customs_ctx *ctx)
{
	size_t n = s->in_len - s->in_off;
	long r;

	if (n) {
		*buf = s->in + s->in_off;
		s->in_off = s->in_len;
		return (long)n;
	}
	r = read_blob(s, s->out, OUT_CHUNK, ctx);
	if (r == 0)
		s->done = true;
	return r;
}

static int account(struct layer_stream *s, const void *buf, long n,
		   struct customs_ctx *ctx)
{
	uint64_t total;

	s->outn += (uint64_t)n;
	if (s->outn > s->opts.max_bytes)
		return customs_error(ctx, CUSTOMS_ELIMIT,
				     "%s: more than %llu decompressed bytes "
				     "(--max-layer-bytes)",
				     s->opts.label,
				     (unsigned long long)s->opts.max_bytes);
	if (s->opts.image_bytes) {
		total = atomic_fetch_add(
				(_Atomic uint64_t *)s->opts.image_bytes,
				(uint64_t)n) +
			(uint64_t)n;
		if (total > s->opts.max_image_bytes)
			return customs_error(
				ctx, CUSTOMS_ELIMIT,
				"%s: image exceeds %llu decompressed "
				"bytes (--max-image-bytes)",
				s->opts.label,
				(unsigned long long)s->opts.max_image_bytes);
	}
	(void)buf;
	return 0;
}

long decoder_next(struct layer_stream *s, const void **buf,
		  struct customs_ctx *ctx)
{
	long n;
	int rc;

	if (s->done)
		return 0;
	*buf = s->out;
	switch (s->comp) {
	case LAYER_COMP_GZIP:
		n = read_gzip(s, ctx);
		break;
	case LAYER_COMP_ZSTD:
		n = read_zstd(s, ctx);
		break;
	default:
		n = read_plain(s, buf, ctx);
		break;
	}
	if (n <= 0)
		return n;
	rc = account(s, *buf, n, ctx);
	return rc ? rc : n;
}

int decoder_verify(struct layer_stream *s, struct customs_ctx *ctx)
{
	unsigned char want[32], got[32];
	char gs[72];

	customs_sha256_final(s->diff_sha, s->diff_id);
	if (s->opts.digest) {
		if (s->hash_blob)
			customs_sha256_final(s->blob_sha, got);
		else
			memcpy(got, s->diff_id, sizeof(got));
		customs_digest_str(gs, got);
		if (!customs_digest_parse(want, s->opts.digest) ||
		    memcmp(want, got, 32))
			return customs_error(ctx, CUSTOMS_EDIGEST,
					     "%s: blob digest mismatch: "
					     "manifest says %s, content is %s",
					     s->opts.label, s->opts.digest, gs);
	}
	if (s->opts.diff_id) {
		customs_digest_str(gs, s->diff_id);
		if (!customs_digest_parse(want, s->opts.diff_id) ||
		    memcmp(want, s->diff_id, 32))
			return customs_error(ctx, CUSTOMS_EDIGEST,
					     "%s: diffID mismatch: config says "
					     "%s, content is %s",
					     s->opts.label, s->opts.diff_id,
					     gs);
	}
	return 0;
}

enum layer_compression layer_stream_compression(const struct layer_stream *s)
{
	return s->comp;
}

bool layer_stream_tee_ok(const struct layer_stream *s)
{
	return s->tee_fd >= 0 && !s->tee_failed;
}

uint64_t layer_stream_bytes(const struct layer_stream *s)
{
	return s->outn;
}

void layer_stream_diff_id(const struct layer_stream *s, char out[72])
{
	customs_digest_str(out, s->diff_id);
}

void layer_stream_free(struct layer_stream *s)
{
	if (!s)
		return;
	pipe_stop(s);
	customs_sha256_free(s->blob_sha);
	customs_sha256_free(s->diff_sha);
	customs_free(s->gz);
	if (s->zs)
		ZSTD_freeDStream(s->zs);
	customs_free(s);
}
