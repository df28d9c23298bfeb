/*
 * The layer pipe: a producer thread reads, hashes and decompresses the
 * blob (stream.c) into a ring of slots while the consumer (the tar walk)
 * takes filled slots in order. Decompression and the walk's hashing then
 * run on different cores, so the last large layer of an image no longer
 * leaves a core idle. A slot handed to the consumer stays valid until its
 * next read, which is libarchive's contract for client buffers.
 *
 * The diffID hash of a chunk is deferred while the walk reads it: the
 * walk hashes each file's bytes into the diffID and the file's own hash
 * together (layer_stream_hash_with), which costs about 1.3 hashes instead
 * of two. Invariant: every byte of chunk k is in the diffID, in stream
 * order, before chunk k+1 is taken, and all of them before verification.
 *
 * The blob digest is computed here too, not on the producer: the
 * compressed bytes of the input ring ride along with the diffID hashing
 * (customs_sha256_update_with), which costs well under a separate pass
 * and leaves the producer, the longer stage, with the inflate alone.
 * Invariant: blob bytes are hashed in read order; the consumer hashes
 * what is left alone only when the producer waits for an input buffer
 * (so neither side can wait for the other forever) and at the end.
 *
 * A registry layer being cached decompressed also has each decoded chunk
 * written to its tee file, by the producer, before the slot is published.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "layer/stream_priv.h"
#include "util/alloc.h"
#include "util/fdio.h"
#include "util/hash.h"
#include "util/banned.h"

/* Wait for a free slot; false when asked to stop. */
static bool wait_free(struct layer_stream *s, struct slot *sl)
{
	bool go;

	pthread_mutex_lock(&s->lock);
	while (sl->state != SLOT_FREE && !s->stop)
		pthread_cond_wait(&s->freed, &s->lock);
	go = !s->stop;
	pthread_mutex_unlock(&s->lock);
	return go;
}

static void publish(struct layer_stream *s, struct slot *sl, long n)
{
	pthread_mutex_lock(&s->lock);
	sl->len = n > 0 ? (size_t)n : 0;
	sl->state = n > 0 ? SLOT_FULL : n == 0 ? SLOT_END : SLOT_ERROR;
	pthread_cond_signal(&s->filled);
	pthread_mutex_unlock(&s->lock);
}

/*
 * Write a decoded chunk to the tee file (a registry layer being cached
 * decompressed). On the producer: in a pull it waits for the download
 * and has the slack, while the consumer (the walk and the catalogers) is
 * the longer stage; measured, this side costs less wall time. A failure
 * only means the layer is not cached.
 */
static void tee_chunk(struct layer_stream *s, const unsigned char *p, size_t n)
{
	if (!s->tee_failed && customs_write_all(s->tee_fd, p, n))
		s->tee_failed = true;
}

static void *producer(void *arg)
{
	struct layer_stream *s = arg;
	long n;

	do {
		struct slot *sl = &s->slots[s->prod_i];
		const void *buf;

		if (!wait_free(s, sl))
			break;
		s->out = sl->buf;
		n = decoder_next(s, &buf, &s->pctx);
		if (n > 0 && buf != sl->buf)
			memcpy(sl->buf, buf, (size_t)n); /* plain: from s->in */
		if (n > 0 && s->tee_fd >= 0)
			tee_chunk(s, sl->buf, (size_t)n);
		if (n < 0)
			s->perr = (int)n;
		s->prod_i = (s->prod_i + 1) % N_SLOTS;
		publish(s, sl, n);
	} while (n > 0);
	return NULL;
}

int pipe_init(struct layer_stream *s)
{
	size_t i;

	s->cur_slot = -1;
	s->hash_blob = true;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->filled, NULL);
	pthread_cond_init(&s->freed, NULL);
	s->pipe_ready = true;
	for (i = 0; i < N_SLOTS; i++) {
		s->slots[i].buf = customs_malloc(OUT_CHUNK);
		if (!s->slots[i].buf)
			return CUSTOMS_ENOMEM;
	}
	for (i = 0; i < N_IN; i++) {
		s->inbuf[i] = customs_malloc(IN_CHUNK);
		if (!s->inbuf[i])
			return CUSTOMS_ENOMEM;
	}
	return 0;
}

int pipe_start(struct layer_stream *s, struct customs_ctx *ctx)
{
	if (pthread_create(&s->thread, NULL, producer, s))
		return customs_error(ctx, CUSTOMS_EINTERNAL,
				     "%s: cannot start a decoder thread",
				     s->opts.label);
	s->thread_started = true;
	return 0;
}

void pipe_stop(struct layer_stream *s)
{
	size_t i;

	if (s->thread_started) {
		pthread_mutex_lock(&s->lock);
		s->stop = true;
		pthread_cond_broadcast(&s->freed);
		pthread_mutex_unlock(&s->lock);
		pthread_join(s->thread, NULL);
		s->thread_started = false;
	}
	if (s->pipe_ready) {
		pthread_mutex_destroy(&s->lock);
		pthread_cond_destroy(&s->filled);
		pthread_cond_destroy(&s->freed);
		s->pipe_ready = false;
	}
	for (i = 0; i < N_SLOTS; i++) {
		customs_free(s->slots[i].buf);
		s->slots[i].buf = NULL;
	}
	for (i = 0; i < N_IN; i++) {
		customs_free(s->inbuf[i]);
		s->inbuf[i] = NULL;
	}
}

/* Is the consumer N_IN buffers behind on the blob digest? */
static bool in_full(struct layer_stream *s)
{
	return s->hash_blob && s->in_reads - atomic_load(&s->blob_done) >= N_IN;
}

unsigned char *pipe_in_acquire(struct layer_stream *s)
{
	bool go = true;

	if (in_full(s)) {
		/* the consumer hashes the blob only along with its own work;
		 * wake it to catch up on its own (layer_stream_read) */
		pthread_mutex_lock(&s->lock);
		while (in_full(s) && !s->stop) {
			s->in_wait = true;
			pthread_cond_signal(&s->filled);
			pthread_cond_wait(&s->freed, &s->lock);
		}
		s->in_wait = false;
		go = !s->stop;
		pthread_mutex_unlock(&s->lock);
	}
	return go ? s->inbuf[s->in_reads % N_IN] : NULL;
}

void pipe_in_publish(struct layer_stream *s, size_t n)
{
	s->inlen[s->in_reads % N_IN] = n;
	s->in_reads++;
	atomic_store(&s->in_published, s->in_reads);
}

/* Consumer: give back the input buffer hashed last, take the next one
 * the producer has read, if any. */
static bool blob_next(struct layer_stream *s)
{
	size_t d;

	if (s->blob_held) {
		pthread_mutex_lock(&s->lock);
		atomic_fetch_add(&s->blob_done, 1);
		if (s->in_wait)
			pthread_cond_signal(&s->freed);
		pthread_mutex_unlock(&s->lock);
		s->blob_held = false;
	}
	d = atomic_load(&s->blob_done);
	if (!s->hash_blob || d >= atomic_load(&s->in_published))
		return false;
	s->blob_p = s->inbuf[d % N_IN];
	s->blob_left = s->inlen[d % N_IN];
	s->blob_held = true;
	return true;
}

/* Hash every blob byte read so far, alone. */
static void blob_drain(struct layer_stream *s)
{
	do {
		customs_sha256_update(s->blob_sha, s->blob_p, s->blob_left);
		s->blob_left = 0;
	} while (blob_next(s));
}

static bool blob_pending(struct layer_stream *s)
{
	return s->blob_held ||
	       atomic_load(&s->blob_done) < atomic_load(&s->in_published);
}

/* Hash p into the diffID (and h) with blob bytes riding along. */
static void hash_data(struct layer_stream *s, struct customs_sha256 *h,
		      const unsigned char *p, size_t n)
{
	size_t used;

	if (!s->blob_left)
		blob_next(s);
	used = customs_sha256_update_with(s->diff_sha, h, p, n,
					  s->blob_left ? s->blob_sha : NULL,
					  s->blob_p, s->blob_left);
	if (used) {
		s->blob_p += used;
		s->blob_left -= used;
	}
}

/* Put the rest of the current chunk into the diffID. */
static void catch_up(struct layer_stream *s, const unsigned char *upto)
{
	size_t end = upto ? (size_t)(upto - s->cur) : s->cur_len;

	if (!s->cur || end <= s->hashed)
		return;
	hash_data(s, NULL, s->cur + s->hashed, end - s->hashed);
	s->hashed = end;
}

bool layer_stream_hash_with(struct layer_stream *s, struct customs_sha256 *h,
			    const void *data, size_t n)
{
	const unsigned char *p = data;

	if (!s->cur || p < s->cur + s->hashed || p > s->cur + s->cur_len ||
	    n > (size_t)(s->cur + s->cur_len - p))
		return false;
	catch_up(s, p);
	hash_data(s, h, p, n);
	s->hashed += n;
	return true;
}

/* Give the slot handed out last back to the producer. */
static void release_current(struct layer_stream *s)
{
	catch_up(s, NULL);
	s->cur = NULL;
	if (s->cur_slot < 0)
		return;
	pthread_mutex_lock(&s->lock);
	s->slots[s->cur_slot].state = SLOT_FREE;
	pthread_cond_signal(&s->freed);
	pthread_mutex_unlock(&s->lock);
	s->cur_slot = -1;
}

long layer_stream_read(struct layer_stream *s, const void **buf,
		       struct customs_ctx *ctx)
{
	struct slot *sl = &s->slots[s->cons_i];
	enum slot_state st;

	release_current(s);
	if (s->cons_done)
		return 0;
	pthread_mutex_lock(&s->lock);
	while (sl->state == SLOT_FREE) {
		if (s->in_wait && blob_pending(s)) {
			pthread_mutex_unlock(&s->lock);
			blob_drain(s);
			pthread_mutex_lock(&s->lock);
			continue;
		}
		pthread_cond_wait(&s->filled, &s->lock);
	}
	st = sl->state;
	pthread_mutex_unlock(&s->lock);
	if (st != SLOT_FULL) {
		s->cons_done = true;
		if (st == SLOT_ERROR) {
			customs_error_copy(ctx, &s->pctx);
			return s->perr;
		}
		return 0;
	}
	s->cur_slot = (int)s->cons_i;
	s->cons_i = (s->cons_i + 1) % N_SLOTS;
	s->cur = sl->buf;
	s->cur_len = sl->len;
	s->hashed = 0;
	*buf = sl->buf;
	return (long)sl->len;
}

int layer_stream_finish(struct layer_stream *s, struct customs_ctx *ctx)
{
	const void *buf;
	long n;

	if (s->finished)
		return 0;
	while ((n = layer_stream_read(s, &buf, ctx)) > 0)
		;
	if (n < 0)
		return (int)n;
	/* the producer has published the end, after its last read */
	blob_drain(s);
	/* once joined, its counters are ours to read */
	pipe_stop(s);
	s->finished = true;
	return decoder_verify(s, ctx);
}
