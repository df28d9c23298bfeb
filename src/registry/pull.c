/*
 * Putting the blobs of an image into the cache in the background, so the
 * scan reads each layer while it downloads. Worker threads (each with
 * its own curl handle and error context) take the blobs largest first -
 * the scan starts with the layers that cost most, so it waits least -
 * skip those already cached (a layer by its diffID, else by its digest)
 * and download the rest into a temporary file of the cache.
 *
 * A plain blob (the config) is hashed as it arrives and renamed into
 * place once its size and digest are right (reg_pull_wait). A stream
 * blob (a layer) is not hashed here: its reader (the layer stream)
 * reads the growing file, waiting in reg_pull_avail() for bytes, and
 * already hashes the blob and the decompressed tar, which it writes to
 * the tee file. Only when the reader has verified both digests
 * (reg_pull_done) is the tee renamed into place under the diffID; the
 * compressed download is then removed. So every blob digest is computed
 * exactly once, and nothing unverified ever gets a digest's name.
 *
 * Each blob has a state (pending, fetching, downloaded, ready, or an
 * error with its message) and a count of bytes downloaded, under one
 * mutex; waiters sleep on one condition variable, woken by the
 * downloader only when the bytes a reader waits for are there. After the
 * first failure no new download starts. Freeing the pull cancels the
 * transfers still running (libcurl's progress callback), joins the
 * threads and removes the temporary files nobody committed.
 */
#include <errno.h>
#include <fcntl.h>
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

/* or a negative error */
enum { DOWNLOADED = 3, FETCHING = 2, PENDING = 1, READY = 0 };

struct item {
	struct reg_blob_spec s; /* strings owned */
	int state;
	char *msg; /* the error message when state < 0 */
	bool diff; /* READY: cached as the uncompressed tar (diff_id) */
	bool claimed; /* a reader has the tee */
	uint64_t have; /* bytes downloaded */
	uint64_t want; /* a reader waits for this many bytes, or 0 */
	char tmp[128]; /* the download's temporary file, or "" */
	char tee[128]; /* the decompressed copy's temporary file, or "" */
	int tee_fd;
};

struct reg_pull {
	struct reg_client *c;
	struct reg_cache *cache;
	struct item *v;
	size_t *order; /* indices, largest blob first */
	size_t n;
	size_t next; /* in order */
	bool failed;
	int first_rc; /* the first failure, for blobs never fetched */
	char *first_msg;
	atomic_int cancel;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_t th[MAX_THREADS];
	size_t n_threads;
};

/* What a stream download tells its readers, after every write. */
struct feed {
	struct reg_pull *p;
	struct item *it;
};

static void on_write(void *arg, uint64_t written)
{
	struct feed *f = arg;

	pthread_mutex_lock(&f->p->lock);
	f->it->have = written;
	if (f->it->want && written >= f->it->want) {
		f->it->want = 0;
		pthread_cond_broadcast(&f->p->cond);
	}
	pthread_mutex_unlock(&f->p->lock);
}

/* Publish the stream download's file: readers may open it now. */
static void publish_tmp(struct reg_pull *p, struct item *it, const char *tmp)
{
	pthread_mutex_lock(&p->lock);
	memcpy(it->tmp, tmp, sizeof(it->tmp));
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
}

static int fetch_one(struct reg_pull *p, CURL *easy, struct item *it,
		     struct customs_ctx *ctx)
{
	struct http_sink sink = { .fd = -1, .max = it->s.size };
	struct feed f = { p, it };
	char tmp[128];
	int rc;

	rc = reg_cache_begin(p->cache, it->s.digest, &sink.fd, tmp, ctx);
	if (rc)
		return rc;
	if (it->s.stream) {
		sink.append_only = true;
		sink.on_write = on_write;
		sink.arg = &f;
		publish_tmp(p, it, tmp);
	} else if (!(sink.sha = customs_sha256_new())) {
		rc = customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	}
	if (!rc)
		rc = reg_blob_download(p->c, easy, it->s.digest, it->s.size,
				       &sink, it->s.name, &p->cancel, ctx);
	customs_sha256_free(sink.sha);
	if (close(sink.fd) && !rc)
		rc = customs_error(ctx, CUSTOMS_EIO, "%s: writing the cache",
				   p->c->label);
	if (it->s.stream)
		return rc; /* the reader commits; reg_pull_free cleans up */
	if (rc)
		reg_cache_abort(p->cache, tmp);
	else
		rc = reg_cache_commit(p->cache, it->s.digest, tmp, ctx);
	return rc;
}

static void fail_item(struct reg_pull *p, struct item *it, int rc,
		      const char *msg)
{
	it->state = rc;
	customs_free(it->msg);
	it->msg = customs_strdup(msg ? msg : customs_strerror(rc));
	if (!p->failed) {
		p->first_rc = rc;
		p->first_msg = customs_strdup(it->msg ? it->msg : "");
	}
	p->failed = true;
}

/* Record blob i's outcome and wake the waiters. Called with the lock. */
static void finish(struct reg_pull *p, size_t i, int rc,
		   const struct customs_ctx *ctx)
{
	struct item *it = &p->v[i];

	if (rc)
		fail_item(p, it, rc, ctx && ctx->code ? ctx->msg : NULL);
	else if (it->s.stream && it->tmp[0])
		it->state = DOWNLOADED;
	else
		it->state = READY;
	if (it->state == DOWNLOADED)
		it->have = it->s.size;
	pthread_cond_broadcast(&p->cond);
}

/* Is blob i cached already? A layer by its diffID, else by digest. */
static bool cached(struct reg_pull *p, struct item *it)
{
	if (it->s.stream && it->s.diff_id &&
	    reg_cache_has(p->cache, it->s.diff_id, REG_SIZE_ANY)) {
		it->diff = true;
		return true;
	}
	return reg_cache_has(p->cache, it->s.digest, it->s.size);
}

/* The next blob to download, or n; cached blobs are marked ready. */
static size_t take(struct reg_pull *p)
{
	size_t i = p->n;

	while (!p->failed && !atomic_load(&p->cancel) && p->next < p->n) {
		i = p->order[p->next++];
		if (!cached(p, &p->v[i])) {
			p->v[i].state = FETCHING;
			return i;
		}
		finish(p, i, READY, NULL);
		i = p->n;
	}
	return i;
}

static void *worker(void *arg)
{
	struct reg_pull *p = arg;
	struct customs_ctx ctx;
	const struct customs_curl *cu = customs_curl_get();
	CURL *easy = cu->easy_init();
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
	pthread_mutex_unlock(&p->lock);
	if (easy)
		cu->easy_cleanup(easy);
	return NULL;
}

static int by_size_desc(const void *a, const void *b, void *arg)
{
	const struct item *v = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;

	if (v[i].s.size != v[j].s.size)
		return v[i].s.size < v[j].s.size ? 1 : -1;
	return i < j ? -1 : i > j;
}

static int copy_items(struct reg_pull *p, const struct reg_blob_spec *v)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		struct item *it = &p->v[i];

		it->s = v[i];
		it->s.digest = customs_strdup(v[i].digest);
		it->s.name = customs_strdup(v[i].name);
		it->s.diff_id =
			v[i].diff_id ? customs_strdup(v[i].diff_id) : NULL;
		it->state = PENDING;
		it->tee_fd = -1;
		p->order[i] = i;
		if (!it->s.digest || !it->s.name ||
		    (v[i].diff_id && !it->s.diff_id))
			return CUSTOMS_ENOMEM;
	}
	qsort_r(p->order, p->n, sizeof(*p->order), by_size_desc, p->v);
	return 0;
}

int reg_pull_start(struct reg_pull **out, struct reg_client *c,
		   struct reg_cache *cache, const struct reg_blob_spec *v,
		   size_t n, struct customs_ctx *ctx)
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
	if (!p->v || !p->order || copy_items(p, v)) {
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

/* The error of blob i (never fetched: what stopped us), on ctx. Called
 * with the lock. */
static int item_error(struct reg_pull *p, struct item *it,
		      struct customs_ctx *ctx)
{
	int rc = it->state;
	const char *msg = it->msg;

	if (rc == PENDING || rc == FETCHING) {
		rc = p->first_rc ? p->first_rc : CUSTOMS_EIO;
		msg = p->first_msg ? p->first_msg : "download cancelled";
	}
	return customs_error(ctx, rc, "%s", msg ? msg : customs_strerror(rc));
}

static bool stopped(struct reg_pull *p)
{
	return p->failed || atomic_load(&p->cancel);
}

int reg_pull_wait(struct reg_pull *p, size_t i, struct customs_ctx *ctx)
{
	int rc = 0;

	if (i >= p->n)
		return customs_error(ctx, CUSTOMS_EINVAL,
				     "blob %zu: no such blob", i);
	pthread_mutex_lock(&p->lock);
	/* After a failure no blob is taken: a pending one never comes. */
	while (p->v[i].state == FETCHING ||
	       (p->v[i].state == PENDING && !stopped(p)))
		pthread_cond_wait(&p->cond, &p->lock);
	if (p->v[i].state != READY)
		rc = item_error(p, &p->v[i], ctx);
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

/* Open the growing download; the first reader also gets a tee file.
 * Called with the lock. */
static int open_download(struct reg_pull *p, struct item *it,
			 struct reg_view *v, struct customs_ctx *ctx)
{
	v->fd = openat(p->cache->dirfd, it->tmp, O_RDONLY | O_CLOEXEC);
	if (v->fd < 0)
		return customs_error(ctx, CUSTOMS_EIO, "%s: %s: cache: %s",
				     p->c->label, it->s.name, strerror(errno));
	v->len = it->s.size;
	v->growing = true;
	/* no tee: another reader has it, nothing to decompress, or
	 * --no-cache (the copy would be thrown away) */
	if (it->claimed || !it->s.diff_id ||
	    !strcmp(it->s.diff_id, it->s.digest) || p->cache->temporary)
		return 0;
	it->claimed = true;
	/* without a tee the layer is simply not cached decompressed */
	if (!reg_cache_begin(p->cache, it->s.diff_id, &it->tee_fd, it->tee,
			     ctx))
		v->tee_fd = it->tee_fd;
	else
		it->tee[0] = '\0';
	memset(ctx, 0, sizeof(*ctx));
	return 0;
}

int reg_pull_open(struct reg_pull *p, size_t i, struct reg_view *v,
		  struct customs_ctx *ctx)
{
	struct item *it = &p->v[i];
	const char *name = NULL;
	int rc = 0;

	memset(v, 0, sizeof(*v));
	v->fd = v->tee_fd = -1;
	pthread_mutex_lock(&p->lock);
	while ((it->state == PENDING && !stopped(p)) ||
	       (it->state == FETCHING && !it->tmp[0] && !stopped(p)))
		pthread_cond_wait(&p->cond, &p->lock);
	if (it->state == READY) {
		name = it->diff ? it->s.diff_id : it->s.digest;
		v->diff = it->diff;
	} else if ((it->state == FETCHING || it->state == DOWNLOADED) &&
		   it->tmp[0]) {
		rc = open_download(p, it, v, ctx);
	} else {
		rc = item_error(p, it, ctx);
	}
	pthread_mutex_unlock(&p->lock);
	if (name)
		rc = reg_cache_open_blob(p->cache, name, &v->fd, &v->len, ctx);
	if (!rc && name && !v->diff && v->len != it->s.size)
		rc = customs_error(ctx, CUSTOMS_EIO,
				   "%s: %s: cached blob has the wrong size",
				   p->c->label, it->s.name);
	return rc;
}

int64_t reg_pull_avail(struct reg_pull *p, size_t i, uint64_t upto,
		       struct customs_ctx *ctx)
{
	struct item *it = &p->v[i];
	int64_t r;

	pthread_mutex_lock(&p->lock);
	while (it->state == FETCHING && it->have < upto &&
	       !atomic_load(&p->cancel)) {
		it->want = upto;
		pthread_cond_wait(&p->cond, &p->lock);
	}
	if (it->have >= upto || it->state == DOWNLOADED)
		r = (int64_t)it->have;
	else if (it->state == READY)
		r = (int64_t)it->s.size;
	else
		r = item_error(p, it, ctx);
	pthread_mutex_unlock(&p->lock);
	return r;
}

/* Remove the temporary files of blob i. Called with the lock. */
static void drop_temps(struct reg_pull *p, struct item *it)
{
	if (it->tee_fd >= 0)
		close(it->tee_fd);
	it->tee_fd = -1;
	if (it->tee[0])
		reg_cache_abort(p->cache, it->tee);
	if (it->tmp[0])
		reg_cache_abort(p->cache, it->tmp);
	it->tee[0] = it->tmp[0] = '\0';
}

/* The verified download goes into the cache: the tee under the diffID,
 * or (no tee, or writing it failed) the blob itself. Called with the
 * lock. */
static int commit(struct reg_pull *p, struct item *it, bool tee_ok,
		  struct customs_ctx *ctx)
{
	int rc;

	if (it->tee_fd >= 0 && close(it->tee_fd))
		tee_ok = false;
	it->tee_fd = -1;
	if (it->tee[0] && tee_ok) {
		rc = reg_cache_commit(p->cache, it->s.diff_id, it->tee, ctx);
		it->tee[0] = '\0';
		it->diff = !rc;
	} else {
		rc = reg_cache_commit(p->cache, it->s.digest, it->tmp, ctx);
		it->tmp[0] = '\0';
	}
	drop_temps(p, it);
	if (!rc)
		it->state = READY;
	return rc;
}

/* The reader of a blob read from the cache failed: is the entry bad? */
static int check_cached(struct reg_pull *p, struct item *it, int rc,
			struct customs_ctx *ctx)
{
	const char *want = it->diff ? it->s.diff_id : it->s.digest;
	char name[96], got[72];

	reg_cache_name(name, want);
	if (reg_cache_hash(p->cache, name, got) || !strcmp(got, want))
		return rc;
	reg_cache_remove(p->cache, want);
	return customs_error(ctx, CUSTOMS_EDIGEST,
			     "%s: %s: the cached copy %s is damaged (content "
			     "has %s); removed it from the cache, run again "
			     "to download it",
			     p->c->label, it->s.name, want, got);
}

/* The reader of a download failed: was it the download? */
static int check_download(struct reg_pull *p, struct item *it, int rc,
			  struct customs_ctx *ctx)
{
	char got[72];

	if (it->state < 0)
		return customs_error(ctx, it->state, "%s",
				     it->msg ? it->msg : "download failed");
	if (it->state != DOWNLOADED || !it->tmp[0] ||
	    reg_cache_hash(p->cache, it->tmp, got) ||
	    !strcmp(got, it->s.digest))
		return rc;
	return customs_error(ctx, CUSTOMS_EDIGEST,
			     "%s: %s blob %s: digest mismatch: content has %s",
			     p->c->label, it->s.name, it->s.digest, got);
}

int reg_pull_done(struct reg_pull *p, size_t i, int rc, bool tee_ok,
		  struct customs_ctx *ctx)
{
	struct item *it = &p->v[i];

	pthread_mutex_lock(&p->lock);
	if (it->state == READY) {
		pthread_mutex_unlock(&p->lock);
		return rc ? check_cached(p, it, rc, ctx) : 0;
	}
	/* the reader saw every byte: the download is about to end */
	while (it->state == FETCHING)
		pthread_cond_wait(&p->cond, &p->lock);
	if (!rc && it->state == DOWNLOADED)
		rc = commit(p, it, tee_ok, ctx);
	else if (rc)
		rc = check_download(p, it, rc, ctx);
	else
		rc = item_error(p, it, ctx);
	if (it->state != READY)
		drop_temps(p, it);
	pthread_mutex_unlock(&p->lock);
	return rc;
}

void reg_pull_free(struct reg_pull *p)
{
	size_t i;

	if (!p)
		return;
	atomic_store(&p->cancel, 1);
	pthread_mutex_lock(&p->lock);
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	for (i = 0; i < p->n_threads; i++)
		pthread_join(p->th[i], NULL);
	for (i = 0; p->v && i < p->n; i++) {
		drop_temps(p, &p->v[i]);
		customs_free((char *)p->v[i].s.digest);
		customs_free((char *)p->v[i].s.name);
		customs_free((char *)p->v[i].s.diff_id);
		customs_free(p->v[i].msg);
	}
	customs_free(p->v);
	customs_free(p->order);
	customs_free(p->first_msg);
	pthread_cond_destroy(&p->cond);
	pthread_mutex_destroy(&p->lock);
	customs_free(p);
}
