/*
 * Internal state of one scan, shared by the driver (scan.c), the layer
 * jobs (job.c), the squash (squash.c) and the rootfs walker (dirsource.c).
 */
#ifndef CUSTOMS_ANALYZE_SCAN_INT_H
#define CUSTOMS_ANALYZE_SCAN_INT_H

#include <pthread.h>
#include <stdatomic.h>

#include "customs/analyze.h"
#include "analyze/wants.h"
#include "layer/walk.h"
#include "util/arena.h"
#include "util/error.h"

/* One tar entry as a layer wrote it; strings live in the job's arena. */
struct stored_entry {
	struct customs_file f; /* f.layer is the job's index */
	uint8_t kind; /* enum layer_entry_kind */
};

struct stored_result {
	const char *path;
	size_t analyzer;
	void *result;
};

struct scan;

/* Ranges one streamed file may keep (the union of its analyzers' plans). */
#define PLANNED_MAX 32

/*
 * The capture of one streamed file (plan.c): its head, then only the
 * ranges its analyzers planned, back to back in buf. Reused from file to
 * file; a buffer grown past PLANNED_KEEP goes once its file is done.
 */
struct planned {
	bool active; /* the current entry streams through here */
	bool decided; /* the head was seen, r[] is fixed */
	uint64_t size; /* of the file */
	uint64_t pos; /* file offset of the next byte */
	size_t cap; /* content cap over the analyzers in the mask */
	struct customs_file file; /* what plan() sees; path in pathbuf */
	char *pathbuf;
	size_t pathcap;
	unsigned char *buf;
	size_t len; /* bytes of buf in use */
	size_t bufcap;
	struct customs_range r[PLANNED_MAX];
	size_t mem[PLANNED_MAX]; /* where r[i] starts in buf */
	size_t n;
	size_t at; /* the first range not yet filled */
};

struct layer_job {
	struct scan *scan;
	size_t index;
	struct arena arena;
	struct stored_entry *entries;
	size_t n_entries, cap_entries;
	struct stored_result *results;
	size_t n_results, cap_results;
	uint64_t mask; /* analyzers wanting the current entry */
	struct planned pl;
	struct customs_ctx ctx;
	int rc;
	bool decoded;
	uint64_t estimate; /* of the work, for the order of the jobs */
	struct customs_layer_stats stats;
	char label[200];
};

struct scan {
	struct customs_image *img;
	const struct customs_image_info *info;
	struct customs_scan_opts opts;
	struct customs_limits lim;
	const struct customs_analyzer **an;
	size_t n_an;
	struct wants wants;
	struct layer_job *jobs;
	size_t n_jobs;
	size_t *order;
	atomic_size_t next;
	atomic_int stop;
	_Atomic uint64_t image_bytes;
	_Atomic uint64_t image_entries;
	/* the squash, advanced by whichever worker finishes the next layer
	 * in order; lock guards applied, squash_rc, squashing and the jobs'
	 * decoded flags, and only the worker that set squashing touches idx */
	pthread_mutex_t lock;
	struct customs_fsindex *idx;
	size_t applied;
	int squash_rc;
	bool squashing;
	bool lock_ready;
};

/** The layer_walk_ops that store entries and dispatch content of job. */
void job_ops(struct layer_job *job, struct layer_walk_ops *ops);
/**
 * How much work decoding layer i is, roughly: compressed bytes plus twice
 * the decompressed bytes (read from the gzip trailer; guessed for zstd).
 */
uint64_t job_estimate(const struct scan *sc, size_t i);
/** Decode one layer of the image into job. Sets job->rc and job->ctx. */
void job_run_layer(struct layer_job *job);
/** Walk the dir: image's rootfs into job (one pseudo-layer). */
void job_run_rootfs(struct layer_job *job, const char *root);
void job_release(struct layer_job *job);

/*
 * Should the current entry (size bytes, wanted by job->mask, content
 * cap cap) stream through a plan? Yes when it is longer than the head
 * and every analyzer wanting it can plan.
 */
bool planned_eligible(const struct layer_job *job, uint64_t size, size_t cap);
/* Start streaming entry e. 0 or CUSTOMS_ENOMEM. */
int planned_begin(struct layer_job *job, const struct layer_entry *e,
		  size_t cap);
/* layer_walk_ops.on_data: take the next bytes of the streamed entry. */
int planned_data(void *data, const unsigned char *p, size_t n);
/* The entry's data is all there: fix what was kept. 0 or an error. */
int planned_finish(struct layer_job *job);
/*
 * The ranges analyzer an may see of the kept content: r[] clipped to its
 * max_bytes, into out (PLANNED_MAX entries); returns how many, with the
 * bytes they cover in *len.
 */
size_t planned_view(const struct planned *pl, size_t max_bytes,
		    struct customs_range *out, size_t *len);
/* The streamed entry was dispatched: drop a large buffer. */
void planned_end(struct planned *pl);
void planned_release(struct planned *pl);

#endif
