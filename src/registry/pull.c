/*
 * Putting the blobs of an image into the cache in the background, so the
 * scan can start on the first layer while the others still download.
 * Worker threads (each with its own curl handle and error context) take
 * blob 0 first (the image's config, needed at once), then the others
 * largest first - the scan starts with the layers that cost most, so it
 * waits least - skip those already cached, download the
 * rest into a temporary file of the cache and rename it into place only
 * once its size and digest are right. Each blob has a state (pending,
 * ready, or an error with its message) under one mutex; waiters sleep on
 * a condition variable. After the first failure no new download starts.
 * Freeing the pull cancels the transfers still running (libcurl's
 * progress callback) and joins the threads.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "registry/client_priv.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/banned.h"

#define MAX_THREADS 16

enum { FETCHING = 2, PENDING = 1, READY = 0 }; /* or a negative error */

struct item {
	char *digest;
	char *name;
	uint64_t size;
	int state;
	char *msg; /* the error message when state < 0 */
};

struct reg_pull {
	struct reg_client *c;
	struct reg_cache *cache;
	struct item *v;
	size_t *order; /* indices, largest blob first */
	size_t n;
	size_t next; /* in order */
	size_t finished;
	bool failed;
	int first_rc; /* the first failure, for blobs never fetched */
	char *first_msg;
	atomic_int cancel;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_t th[MAX_THREADS];
	size_t n_threads;
};

static int fetch_one(struct reg_pull *p, CURL *easy, const struct item *it,
		     struct customs_ctx *ctx)
{
	struct http_sink sink = { .fd = -1, .max = it->size };
	char tmp[128];
	int rc;

	rc = reg_cache_begin(p->cache, it->digest, &sink.fd, tmp, ctx);
	if (rc)
		return rc;
	sink.sha = customs_sha256_new();
	rc = sink.sha ? reg_blob_download(p->c, easy, it->digest, it->size,
					  &sink, it->name, &p->cancel, ctx)
		      : customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	customs_sha256_free(sink.sha);
	if (close(sink.fd) && !rc)
		rc = customs_error(ctx, CUSTOMS_EIO, "%s: writing the cache",
				   p->c->label);
	if (rc)
		reg_cache_abort(p->cache, tmp);
	else
		rc = reg_cache_commit(p->cache, it->digest, tmp, ctx);
	return rc;
}

/* Record blob i's outcome and wake the waiters. Called with the lock. */
static void finish(struct reg_pull *p, size_t i, int rc,
		   const struct customs_ctx *ctx)
{
	struct item *it = &p->v[i];

	it->state = rc;
	if (rc) {
		it->msg = customs_strdup(ctx->code ? ctx->msg
						   : customs_strerror(rc));
		if (!p->failed) {
			p->first_rc = rc;
			p->first_msg = customs_strdup(it->msg ? it->msg : "");
		}
		p->failed = true;
	}
	p->finished++;
	pthread_cond_broadcast(&p->cond);
}

/* The next blob to download, or n; cached blobs are marked ready. */
static size_t take(struct reg_pull *p)
{
	size_t i = p->n;

	while (!p->failed && !atomic_load(&p->cancel) && p->next < p->n) {
		i = p->order[p->next++];
		if (!reg_cache_has(p->cache, p->v[i].digest, p->v[i].size)) {
			p->v[i].state = FETCHING;
			return i;
		}
		finish(p, i, READY, NULL);
		i = p->n;
	}
	return i;
}

static void evict(struct reg_pull *p)
{
	const char **keep = customs_calloc(p->n + 1, sizeof(*keep));
	size_t i;

	if (!keep)
		return;
	for (i = 0; i < p->n; i++)
		keep[i] = p->v[i].digest;
	reg_cache_evict(p->cache, keep, p->n);
	customs_free(keep);
}

static void *worker(void *arg)
{
	struct reg_pull *p = arg;
	struct customs_ctx ctx;
	CURL *easy = curl_easy_init();
	size_t i;
	int rc;

	pthread_mutex_lock(&p->lock);
	while ((i = take(p)) < p->n) {
		pthread_mutex_unlock(&p->lock);
		memset(&ctx, 0, sizeof(ctx));
		rc = easy ? fetch_one(p, easy, &p->v[i], &ctx)
			  : customs_error(&ctx, CUSTOMS_ENOMEM,
					  "out of memory");
		pthread_mutex_lock(&p->lock);
		finish(p, i, rc, &ctx);
	}
	if (p->finished == p->n && !p->failed) {
		p->finished++; /* only one worker evicts */
		pthread_mutex_unlock(&p->lock);
		evict(p);
	} else {
		pthread_mutex_unlock(&p->lock);
	}
	if (easy)
		curl_easy_cleanup(easy);
	return NULL;
}

static int by_size_desc(const void *a, const void *b, void *arg)
{
	const struct item *v = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;

	if (i == 0 || j == 0)
		return i == 0 ? -1 : 1;
	if (v[i].size != v[j].size)
		return v[i].size < v[j].size ? 1 : -1;
	return i < j ? -1 : i > j;
}

static int copy_items(struct reg_pull *p, const char *const *digests,
		      const uint64_t *sizes, const char *const *names)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		p->v[i].digest = customs_strdup(digests[i]);
		p->v[i].name = customs_strdup(names[i]);
		p->v[i].size = sizes[i];
		p->v[i].state = PENDING;
		p->order[i] = i;
		if (!p->v[i].digest || !p->v[i].name)
			return CUSTOMS_ENOMEM;
	}
	qsort_r(p->order, p->n, sizeof(*p->order), by_size_desc, p->v);
	return 0;
}

int reg_pull_start(struct reg_pull **out, struct reg_client *c,
		   struct reg_cache *cache, const char *const *digests,
		   const uint64_t *sizes, const char *const *names, size_t n,
		   struct customs_ctx *ctx)
{
	struct reg_pull *p = customs_calloc(1, sizeof(*p));
	size_t k, want;

	*out = NULL;
	if (!p)
		return customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	p->c = c;
	p->cache = cache;
	p->n = n;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->cond, NULL);
	p->v = customs_calloc(n + 1, sizeof(*p->v));
	p->order = customs_calloc(n + 1, sizeof(*p->order));
	if (!p->v || !p->order || copy_items(p, digests, sizes, names)) {
		reg_pull_free(p);
		return customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	}
	want = (size_t)(c->parallel < MAX_THREADS ? c->parallel : MAX_THREADS);
	for (k = 0; k < want && k < n; k++) {
		if (pthread_create(&p->th[k], NULL, worker, p))
			break;
		p->n_threads++;
	}
	if (!p->n_threads && n)
		worker(p); /* no threads: do it all now */
	*out = p;
	return 0;
}

int reg_pull_wait(struct reg_pull *p, size_t i, struct customs_ctx *ctx)
{
	const char *msg;
	int rc;

	if (i >= p->n)
		return customs_error(ctx, CUSTOMS_EINVAL,
				     "blob %zu: no such "
				     "blob",
				     i);
	pthread_mutex_lock(&p->lock);
	/* After a failure no blob is taken: a pending one never comes. */
	while (p->v[i].state == FETCHING ||
	       (p->v[i].state == PENDING && !p->failed &&
		!atomic_load(&p->cancel)))
		pthread_cond_wait(&p->cond, &p->lock);
	rc = p->v[i].state;
	msg = p->v[i].msg;
	if (rc == PENDING) { /* never fetched: report what stopped us */
		rc = p->first_rc ? p->first_rc : CUSTOMS_EIO;
		msg = p->first_msg;
	}
	if (rc)
		customs_error(ctx, rc, "%s", msg ? msg : customs_strerror(rc));
	pthread_mutex_unlock(&p->lock);
	return rc;
}

bool reg_pull_ready(struct reg_pull *p, size_t i)
{
	bool ready;

	pthread_mutex_lock(&p->lock);
	ready = i < p->n && p->v[i].state == READY;
	pthread_mutex_unlock(&p->lock);
	return ready;
}

int reg_pull_wait_all(struct reg_pull *p, struct customs_ctx *ctx)
{
	size_t i;
	int rc, first = 0;

	for (i = 0; i < p->n; i++) {
		rc = reg_pull_wait(p, i, first ? NULL : ctx);
		if (rc && !first)
			first = rc;
	}
	return first;
}

void reg_pull_free(struct reg_pull *p)
{
	size_t i;

	if (!p)
		return;
	atomic_store(&p->cancel, 1);
	for (i = 0; i < p->n_threads; i++)
		pthread_join(p->th[i], NULL);
	for (i = 0; p->v && i < p->n; i++) {
		customs_free(p->v[i].digest);
		customs_free(p->v[i].name);
		customs_free(p->v[i].msg);
	}
	customs_free(p->v);
	customs_free(p->order);
	customs_free(p->first_msg);
	pthread_cond_destroy(&p->cond);
	pthread_mutex_destroy(&p->lock);
	customs_free(p);
}
