/*
 * The scan driver: start one worker per core, let each take the layer
 * with the most work not yet decoded (judged by decompressed bytes, which
 * inflating and hashing cost by, more than by compressed ones), then
 * squash the layers in order on the calling thread and hand analyzer
 * results back there. The first failing layer (lowest index, so the
 * message does not depend on thread timing) is the error reported; the
 * others stop early.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze/scan_int.h"
#include "analyze/squash.h"
#include "fsindex/fsindex_int.h"
#include "image/image_int.h"
#include "util/alloc.h"
#include "util/banned.h"

struct customs_analysis {
	struct customs_fsindex *idx;
	struct customs_distro *distro;
	struct customs_layer_stats *layers;
	size_t n_layers;
};

/*
 * Room in the index for every decoded layer's entries: grown once, by the
 * squash that applies the first of them, rather than doubled step by step
 * while the last layers are applied and nothing else is left to run.
 * Called under sc->lock; the result is for the squashing worker.
 */
static size_t decoded_entries(const struct scan *sc)
{
	size_t i, n = customs_fsindex_size(sc->idx);

	for (i = sc->applied; i < sc->n_jobs; i++) {
		if (sc->jobs[i].decoded)
			n += sc->jobs[i].n_entries;
	}
	return n + n / 8;
}

/*
 * Apply every decoded layer that the squash can take next, in order. One
 * worker squashes at a time, outside the lock: a worker that finishes a
 * layer meanwhile only marks it decoded and goes on to its next layer,
 * and the squashing worker, which looks again under the lock before it
 * stops, applies that layer too.
 */
static void advance_squash(struct scan *sc, struct layer_job *done)
{
	pthread_mutex_lock(&sc->lock);
	done->decoded = true;
	if (sc->squashing) {
		pthread_mutex_unlock(&sc->lock);
		return;
	}
	sc->squashing = true;
	while (!sc->squash_rc && sc->applied < sc->n_jobs &&
	       sc->jobs[sc->applied].decoded) {
		struct layer_job *j = &sc->jobs[sc->applied];
		size_t room = decoded_entries(sc);
		int rc;

		pthread_mutex_unlock(&sc->lock);
		rc = customs_fsindex_reserve(sc->idx, room);
		if (!rc)
			rc = squash_layer(sc->idx, j);
		pthread_mutex_lock(&sc->lock);
		sc->squash_rc = rc;
		sc->applied++;
	}
	sc->squashing = false;
	if (sc->squash_rc)
		atomic_store(&sc->stop, 1);
	pthread_mutex_unlock(&sc->lock);
}

static void *worker(void *arg)
{
	struct scan *sc = arg;
	size_t i;

	while (!atomic_load(&sc->stop) &&
	       (i = atomic_fetch_add(&sc->next, 1)) < sc->n_jobs) {
		struct layer_job *job = &sc->jobs[sc->order[i]];

		job_run_layer(job);
		if (job->rc)
			atomic_store(&sc->stop, 1);
		else
			advance_squash(sc, job);
	}
	return NULL;
}

static struct scan *order_scan; /* qsort has no context argument */

static int by_estimate_desc(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	uint64_t x = order_scan->jobs[i].estimate;
	uint64_t y = order_scan->jobs[j].estimate;

	if (x != y)
		return x < y ? 1 : -1;
	return i < j ? -1 : i > j;
}

static int thread_count(const struct scan *sc)
{
	long n = sc->opts.threads > 0 ? sc->opts.threads
				      : sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		n = 1;
	if ((size_t)n > sc->n_jobs)
		n = (long)sc->n_jobs;
	return n > 64 ? 64 : (int)n;
}

static int run_layers(struct scan *sc, struct customs_ctx *ctx)
{
	pthread_t th[64];
	int i, started = 0, n = thread_count(sc);
	size_t j;

	for (j = 0; j < sc->n_jobs; j++) {
		sc->order[j] = j;
		sc->jobs[j].estimate = job_estimate(sc, j);
	}
	order_scan = sc;
	qsort(sc->order, sc->n_jobs, sizeof(*sc->order), by_estimate_desc);
	for (i = 1; i < n; i++) {
		if (pthread_create(&th[i], NULL, worker, sc))
			break;
		started++;
	}
	worker(sc);
	for (i = 1; i <= started; i++)
		pthread_join(th[i], NULL);
	for (j = 0; j < sc->n_jobs; j++) {
		if (sc->jobs[j].rc) {
			customs_error_copy(ctx, &sc->jobs[j].ctx);
			return sc->jobs[j].rc;
		}
	}
	if (sc->squash_rc)
		return customs_error(ctx, sc->squash_rc,
				     "building the file index: %s",
				     customs_strerror(sc->squash_rc));
	if (sc->applied != sc->n_jobs)
		return customs_error(ctx, CUSTOMS_EINTERNAL,
				     "only %zu of %zu layers were squashed",
				     sc->applied, sc->n_jobs);
	return 0;
}

static int setup(struct scan *sc, struct customs_image *img,
		 const struct customs_scan_opts *opts,
		 const struct customs_analyzer *distro)
{
	size_t i, n = opts->n_analyzers + 1;
	int rc;

	sc->img = img;
	sc->info = customs_image_info(img);
	sc->opts = *opts;
	sc->lim = *customs_image_limits(img);
	if (opts->limits.max_layer_bytes)
		sc->lim.max_layer_bytes = opts->limits.max_layer_bytes;
	if (opts->limits.max_image_bytes)
		sc->lim.max_image_bytes = opts->limits.max_image_bytes;
	if (opts->limits.max_entries)
		sc->lim.max_entries = opts->limits.max_entries;
	sc->an = customs_calloc(n, sizeof(*sc->an));
	if (!sc->an)
		return CUSTOMS_ENOMEM;
	for (i = 0; i < opts->n_analyzers; i++)
		sc->an[i] = opts->analyzers[i];
	sc->an[n - 1] = distro;
	sc->n_an = n;
	rc = wants_build(&sc->wants, sc->an, sc->n_an);
	if (rc)
		return rc;
	rc = customs_fsindex_new(&sc->idx);
	if (rc)
		return rc;
	pthread_mutex_init(&sc->lock, NULL);
	sc->lock_ready = true;
	sc->n_jobs = customs_image_rootfs(img) ? 1 : sc->info->n_layers;
	sc->jobs =
		customs_calloc(sc->n_jobs ? sc->n_jobs : 1, sizeof(*sc->jobs));
	sc->order =
		customs_calloc(sc->n_jobs ? sc->n_jobs : 1, sizeof(*sc->order));
	if (!sc->jobs || !sc->order)
		return CUSTOMS_ENOMEM;
	for (i = 0; i < sc->n_jobs; i++) {
		sc->jobs[i].scan = sc;
		sc->jobs[i].index = i;
	}
	return 0;
}

static void teardown(struct scan *sc)
{
	size_t i;

	for (i = 0; sc->jobs && i < sc->n_jobs; i++)
		job_release(&sc->jobs[i]);
	customs_free(sc->jobs);
	customs_free(sc->order);
	wants_release(&sc->wants);
	customs_free(sc->an);
	customs_fsindex_free(sc->idx);
	if (sc->lock_ready)
		pthread_mutex_destroy(&sc->lock);
}

/* Move the per-layer stats into the analysis. */
static int take_stats(struct customs_analysis *an, struct scan *sc)
{
	size_t i;

	an->layers = customs_calloc(sc->n_jobs ? sc->n_jobs : 1,
				    sizeof(*an->layers));
	if (!an->layers)
		return CUSTOMS_ENOMEM;
	for (i = 0; i < sc->n_jobs; i++) {
		an->layers[i] = sc->jobs[i].stats;
		memset(&sc->jobs[i].stats, 0, sizeof(sc->jobs[i].stats));
	}
	an->n_layers = sc->n_jobs;
	return 0;
}

static int decode_all(struct scan *sc, struct customs_ctx *ctx)
{
	const char *root = customs_image_rootfs(sc->img);

	if (!root)
		return run_layers(sc, ctx);
	job_run_rootfs(&sc->jobs[0], root);
	if (sc->jobs[0].rc) {
		customs_error_copy(ctx, &sc->jobs[0].ctx);
		return sc->jobs[0].rc;
	}
	advance_squash(sc, &sc->jobs[0]);
	return sc->squash_rc ? customs_error(ctx, sc->squash_rc,
					     "building the file index: %s",
					     customs_strerror(sc->squash_rc))
			     : 0;
}

int customs_image_scan(struct customs_analysis **out, struct customs_image *img,
		       struct customs_ctx *ctx,
		       const struct customs_scan_opts *opts)
{
	struct customs_scan_opts defaults = CUSTOMS_SCAN_OPTS_INIT;
	struct scan sc = { 0 };
	struct distro_state ds;
	struct customs_analyzer distro;
	struct customs_analysis *an = NULL;
	int rc;

	*out = NULL;
	distro_analyzer_init(&distro, &ds);
	an = customs_calloc(1, sizeof(*an));
	rc = an ? setup(&sc, img, opts ? opts : &defaults, &distro)
		: CUSTOMS_ENOMEM;
	if (!rc)
		rc = decode_all(&sc, ctx);
	if (!rc)
		rc = take_stats(an, &sc);
	if (!rc) {
		an->idx = sc.idx;
		sc.idx = NULL;
		rc = squash_finish(an->idx, &sc, ctx);
	}
	if (!rc)
		rc = deliver_results(&sc, an->idx, ctx);
	if (!rc)
		rc = distro_finish(&ds, an->idx, &an->distro);
	if (rc && !customs_ctx_errcode(ctx))
		customs_error(ctx, rc, "scan: %s", customs_strerror(rc));
	teardown(&sc);
	distro_analyzer_release(&ds);
	if (rc) {
		customs_analysis_free(an);
		return rc;
	}
	*out = an;
	return 0;
}

void customs_analysis_free(struct customs_analysis *an)
{
	size_t i;

	if (!an)
		return;
	customs_fsindex_free(an->idx);
	customs_distro_free(an->distro);
	for (i = 0; i < an->n_layers; i++) {
		customs_free(an->layers[i].compression);
		customs_free(an->layers[i].diff_id);
	}
	customs_free(an->layers);
	customs_free(an);
}

const struct customs_fsindex *
customs_analysis_files(const struct customs_analysis *an)
{
	return an->idx;
}

const struct customs_distro *
customs_analysis_distro(const struct customs_analysis *an)
{
	return an->distro;
}

const struct customs_layer_stats *
customs_analysis_layers(const struct customs_analysis *an, size_t *n_layers)
{
	*n_layers = an->n_layers;
	return an->layers;
}
