/*
 * The `files` array of `customs inspect --files -o json`, rendered on two
 * threads. It is the last serial step of inspect (tens of milliseconds on
 * a large image) and runs when the scan is over and the other core idle.
 *
 * The listing is cut into chunks of CHUNK entries. Both threads take the
 * next chunk from a shared counter, so whichever is quicker does more.
 * The worker renders its chunks into a ring of NSLOT memory writers, in
 * the order it took them, and waits when the ring is full. The main
 * thread renders its own chunks straight into the stream, but first
 * splices in every earlier chunk of the worker's, waiting for one still
 * being rendered. So the bytes reach the FILE in listing order and
 * memory is NSLOT chunks, however long the listing.
 *
 * (A main thread that rendered into memory too, instead of waiting, was
 * measured slower: the copies and the fresh pages cost more than the
 * waits.)
 *
 * The output is byte for byte the one-thread output: a memory writer
 * starts at the stream's depth owing a comma (unless its chunk is the
 * first), which is the state the stream is in between two entries. A
 * chunk a memory writer could not hold (no memory, or past CHUNK_MAX
 * bytes) is rendered again by the main thread; when no worker can be
 * had, the main thread renders everything. Write errors stay on the
 * FILE, as for every other part of the document.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "inspect.h"
#include "jsonw.h"
#include "util/alloc.h"
#include "util/banned.h"

/* Entries per chunk, measured on a 75k-file listing (1024 to 8192):
 * smaller chunks pay more hand-overs, whose wake-ups are slow on a VM;
 * larger ones leave a longer last chunk for one thread alone. */
#define CHUNK 2048
/* Chunks the worker may have rendered ahead of the main thread: more
 * only touched more fresh memory, which cost more than it saved. */
#define NSLOT 2
/* A chunk of hostile, long, escape-heavy paths rendered this large is
 * left to the main thread to render again, not held in memory. */
#define CHUNK_MAX ((size_t)64 << 20)

struct slot {
	size_t chunk;
	bool ready; /* rendered; the main thread may splice it */
	struct jsonw w;
};

struct par {
	const struct customs_fsindex *idx;
	customs_fsindex_cb one;
	size_t n_chunks;
	int depth; /* the stream's, inside the array */
	bool first; /* the stream has written nothing in the array yet */
	pthread_mutex_t mu;
	pthread_cond_t cv; /* any change below; two threads wait on it */
	size_t next; /* the next chunk nobody has taken */
	size_t head, used; /* the worker's chunks, oldest first */
	struct slot slots[NSLOT];
};

/*
 * CUSTOMS_JSON_THREADS=1 renders on the calling thread alone: the output
 * is the same, which is what the tests compare against (t0160). Any
 * other value, or none, uses two threads for a listing long enough.
 */
static bool one_thread(void)
{
	const char *s = getenv("CUSTOMS_JSON_THREADS");

	return s && !strcmp(s, "1");
}

static void render(const struct par *p, size_t chunk, struct jsonw *w)
{
	customs_fsindex_foreach_range(p->idx, chunk * CHUNK, CHUNK, p->one, w);
}

static void *worker(void *arg)
{
	struct par *p = arg;
	struct slot *s;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (p->used == NSLOT)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->next >= p->n_chunks)
			break;
		s = &p->slots[(p->head + p->used++) % NSLOT];
		s->chunk = p->next++;
		s->ready = false;
		pthread_mutex_unlock(&p->mu);
		jsonw_mem_reset(&s->w, p->depth, !s->chunk && p->first);
		render(p, s->chunk, &s->w);
		pthread_mutex_lock(&p->mu);
		s->ready = true;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* Into the stream: the worker's chunks before chunk (all, for SIZE_MAX). */
static void splice_before(struct par *p, size_t chunk, struct jsonw *w)
{
	struct slot *s;
	const char *bytes;
	size_t len;

	pthread_mutex_lock(&p->mu);
	while (p->used && p->slots[p->head].chunk < chunk) {
		s = &p->slots[p->head];
		while (!s->ready)
			pthread_cond_wait(&p->cv, &p->mu);
		/* the slot stays taken while it is copied out */
		pthread_mutex_unlock(&p->mu);
		bytes = jsonw_mem_bytes(&s->w, &len);
		if (bytes)
			jsonw_raw(w, bytes, len);
		else
			render(p, s->chunk, w);
		pthread_mutex_lock(&p->mu);
		p->head = (p->head + 1) % NSLOT;
		p->used--;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
}

/* Take the next chunk for the main thread; SIZE_MAX when none is left. */
static size_t take(struct par *p)
{
	size_t chunk = SIZE_MAX;

	pthread_mutex_lock(&p->mu);
	if (p->next < p->n_chunks)
		chunk = p->next++;
	pthread_mutex_unlock(&p->mu);
	return chunk;
}

static void render_two(struct par *p, struct jsonw *w)
{
	size_t chunk;

	do {
		chunk = take(p);
		splice_before(p, chunk, w);
		if (chunk != SIZE_MAX)
			render(p, chunk, w);
	} while (chunk != SIZE_MAX);
}

/* Two threads over p, or false (nothing written) when no worker starts. */
static bool run_two(struct par *p, struct jsonw *w)
{
	bool mu, cv, ok = false;
	pthread_t th;
	int i;

	for (i = 0; i < NSLOT; i++)
		jsonw_init_mem(&p->slots[i].w, w->pretty, CHUNK_MAX);
	mu = !pthread_mutex_init(&p->mu, NULL);
	cv = mu && !pthread_cond_init(&p->cv, NULL);
	if (cv && !pthread_create(&th, NULL, worker, p)) {
		render_two(p, w);
		pthread_join(th, NULL);
		ok = true;
	}
	if (cv)
		pthread_cond_destroy(&p->cv);
	if (mu)
		pthread_mutex_destroy(&p->mu);
	for (i = 0; i < NSLOT; i++)
		jsonw_release(&p->slots[i].w);
	return ok;
}

void inspect_files_json(struct jsonw *w, const struct customs_fsindex *idx,
			customs_fsindex_cb one)
{
	size_t n = customs_fsindex_count(idx);
	struct par *p = NULL;

	/* below two chunks there is nothing to share */
	if (n >= 2 * CHUNK && !one_thread())
		p = customs_calloc(1, sizeof(*p));
	if (p) {
		p->idx = idx;
		p->one = one;
		p->n_chunks = n / CHUNK + (n % CHUNK != 0);
		p->depth = w->depth;
		p->first = w->first[w->depth];
	}
	if (!p || !run_two(p, w))
		customs_fsindex_foreach(idx, one, w);
	customs_free(p);
}
