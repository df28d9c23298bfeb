/*
 * The inside of a layer stream, shared by the decoder (stream.c), which
 * runs on a producer thread, and the pipe (pipe.c), which hands its
 * chunks to the consumer (the tar walk). Fields are grouped by the thread
 * that owns them; the slots are shared under the lock, the input buffers
 * through two counters.
 *
 * The blob is read into a ring of N_IN input buffers. The consumer, not
 * the producer, hashes them (the blob digest), in order, riding along
 * with its diffID and file hashing; input buffer k is reused for read
 * k + N_IN only once the consumer has hashed it.
 */
#ifndef CUSTOMS_LAYER_STREAM_PRIV_H
#define CUSTOMS_LAYER_STREAM_PRIV_H

#include <pthread.h>
#include <stdatomic.h>
#include <isa-l/igzip_lib.h>
#include <zstd.h>

#include "layer/layer_int.h"
#include "util/error.h"

#define IN_CHUNK (256 * 1024)
#define OUT_CHUNK (256 * 1024)
#define N_SLOTS 4
#define N_IN 4

enum slot_state {
	SLOT_FREE,
	SLOT_FULL,
	SLOT_END, /* the stream ended */
	SLOT_ERROR, /* the decoder failed; message in pctx */
};

struct slot {
	unsigned char *buf; /* OUT_CHUNK bytes */
	size_t len;
	enum slot_state state;
};

/* The gzip member wrapper, parsed by gzwrap.c when the body is inflated
 * raw. The order of the states is the order of the header's fields. */
enum gzw_state {
	GZW_MAGIC, /* before a member (zero: the initial state) */
	GZW_MAGIC2,
	GZW_FIXED, /* the 10-byte fixed header */
	GZW_XLEN,
	GZW_EXTRA,
	GZW_NAME,
	GZW_COMMENT,
	GZW_HCRC,
	GZW_BODY, /* the deflate data: ISA-L's */
	GZW_TRAILER, /* CRC-32 and ISIZE */
};

#define GZW_EHEADER (-1)
#define GZW_ELENGTH (-2)
#define GZW_EGARBAGE (-3)
#define GZW_ECRC (-4)

struct gzw {
	bool check_crc; /* the trailer's CRC-32 (the header's is always) */
	uint32_t hcrc; /* CRC-32 of the member's header so far */
	enum gzw_state st;
	uint32_t need, n; /* bytes of the current part: wanted, seen */
	uint32_t members; /* headers parsed */
	unsigned char flg;
	unsigned char b[10];
};

/** Consume wrapper bytes of p (up to the body); isize and crc: the
 * member's decompressed length mod 2^32 and CRC-32, checked against its
 * trailer (crc only with check_crc). Returns 0 or a GZW_E* code; *used
 * counts the bytes consumed. */
int gzw_feed(struct gzw *w, const unsigned char *p, size_t len, uint32_t isize,
	     uint32_t crc, size_t *used);
/** The deflate body of the current member has ended. */
void gzw_body_done(struct gzw *w);
/** True between members (after at least one). */
bool gzw_at_member_start(const struct gzw *w);
const char *gzw_strerror(int code);

struct layer_stream {
	/* set up before the producer starts, then read-only */
	const struct customs_blob *blob;
	struct layer_stream_opts opts;
	enum layer_compression comp;

	/* the decoder: producer thread only (until it has exited) */
	uint64_t pos; /* bytes of the blob read so far */
	uint64_t outn; /* decompressed bytes produced */
	unsigned char *in; /* the input buffer being decoded */
	size_t in_off, in_len;
	size_t in_reads; /* input buffers filled so far */
	unsigned char *out; /* the slot being filled */
	struct inflate_state *gz;
	struct gzw gzw;
	ZSTD_DStream *zs;
	size_t zs_last; /* last ZSTD_decompressStream() hint; 0 = frame done */
	bool in_eof;
	bool done;
	int perr;
	struct customs_ctx pctx;

	/* the pipe: under lock */
	pthread_t thread;
	bool pipe_ready; /* lock and conditions initialised */
	bool thread_started;
	pthread_mutex_t lock;
	pthread_cond_t filled;
	pthread_cond_t freed;
	struct slot slots[N_SLOTS];
	size_t prod_i;
	bool stop;
	bool in_wait; /* the producer waits for an input buffer */

	/* the input ring: buffer k % N_IN holds read k; the producer
	 * publishes reads, the consumer counts buffers it has hashed */
	unsigned char *inbuf[N_IN];
	size_t inlen[N_IN];
	bool hash_blob; /* false for uncompressed blobs: blob == diffID */
	_Atomic size_t in_published;
	_Atomic size_t blob_done;

	/* the consumer: the thread that called layer_stream_new() */
	size_t cons_i;
	int cur_slot; /* slot handed out last, or -1 */
	struct customs_sha256 *diff_sha;
	struct customs_sha256 *blob_sha;
	const unsigned char *blob_p; /* unhashed rest of input buffer */
	size_t blob_left; /* blob_done's */
	bool blob_held; /* blob_p points into input buffer blob_done */
	const unsigned char *cur; /* last chunk handed out */
	size_t cur_len;
	size_t hashed; /* bytes of cur already in the diffID */
	bool cons_done;
	bool finished;
	int tee_fd; /* set before the producer starts, or -1 */
	bool tee_failed; /* producer only (read after it was joined) */
	unsigned char diff_id[32];
};

/** Decode the next chunk into s->out (or point *buf into s->in). */
long decoder_next(struct layer_stream *s, const void **buf,
		  struct customs_ctx *ctx);
/** Compare the blob digest and diffID with what the image says. */
int decoder_verify(struct layer_stream *s, struct customs_ctx *ctx);

/** Allocate the slots and input buffers, set up the lock. */
int pipe_init(struct layer_stream *s);
/** Start the producer thread. */
int pipe_start(struct layer_stream *s, struct customs_ctx *ctx);
/** Producer: the input buffer for the next read; NULL when stopping. */
unsigned char *pipe_in_acquire(struct layer_stream *s);
/** Producer: publish n bytes read into the buffer acquired last. */
void pipe_in_publish(struct layer_stream *s, size_t n);
/** Stop and join the producer (if running) and free the slots. */
void pipe_stop(struct layer_stream *s);

#endif
