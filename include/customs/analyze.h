/*
 * customs analyze: one streaming pass over an image's layers.
 *
 * customs_image_scan() decodes every layer (in parallel, one worker per
 * core), builds the squashed file index and offers the content of the
 * files analyzers asked for. Analyzers declare what they want (exact path,
 * basename, extension, directory) so dispatch is a few hash lookups per
 * tar entry, not a glob walk per analyzer. Content is read once and
 * offered to every analyzer that wants it.
 *
 * Results are tied to (layer, path). After all layers are decoded and
 * squashed, each kept result is handed back on the calling thread, in
 * layer order then path order, with a flag telling whether that (layer,
 * path) is what the final filesystem shows.
 */
#ifndef CUSTOMS_ANALYZE_H
#define CUSTOMS_ANALYZE_H

#include <stdbool.h>
#include "customs/common.h"
#include "customs/image.h"
#include "customs/fsindex.h"

/** How an analyzer names the files it wants. */
enum customs_want_kind {
	CUSTOMS_WANT_PATH, /**< exact path: "etc/os-release" */
	CUSTOMS_WANT_BASENAME, /**< last component: "package.json" */
	CUSTOMS_WANT_EXT, /**< suffix after one of the last 3 dots: "jar",
			     "deps.json", "tar.gz" */
	CUSTOMS_WANT_DIR, /**< every file below: "var/lib/dpkg/status.d" */
	CUSTOMS_WANT_PREFIX, /**< last component starts with: "libssl.so" */
	CUSTOMS_WANT_EXEC, /**< every regular file with an execute bit */
	CUSTOMS_WANT_ALL, /**< every regular file (secrets, malware) */
};

struct customs_want {
	enum customs_want_kind kind;
	const char *value; /**< without leading "/" (PATH, DIR); NULL (EXEC,
			      ALL) */
};

/** A byte range of a file: offset and length. */
struct customs_range {
	uint64_t off;
	uint64_t len;
};

/**
 * One file offered to an analyzer. Borrowed for the call only.
 *
 * When ranges is NULL, data is the file's first len bytes. Otherwise the
 * analyzer planned (see customs_analyzer.plan) and data holds only the
 * n_ranges byte ranges of the file listed there, sorted, disjoint and
 * back to back (len is the sum of their lengths): at least the ranges
 * the analyzer asked for, within its max_bytes.
 */
struct customs_file_event {
	const struct customs_file *file; /**< as this layer wrote it */
	int layer;
	const unsigned char *data; /**< content, at most max_bytes */
	size_t len;
	bool truncated; /**< the file was longer than max_bytes */
	const struct customs_range *ranges; /**< NULL: data is one prefix */
	size_t n_ranges;
};

/** Bytes of a file's head an analyzer's plan() sees. */
#define CUSTOMS_PLAN_HEAD ((size_t)64 << 10)
/** Ranges one plan may ask for. */
#define CUSTOMS_PLAN_MAX 16

/**
 * What an analyzer wants of a file once it has seen its head: nothing
 * more (n == 0 and !whole: on_file is not called for this file), the
 * whole file (up to max_bytes), or these byte ranges (the head is always
 * kept as well).
 */
struct customs_plan {
	bool whole;
	size_t n;
	struct customs_range r[CUSTOMS_PLAN_MAX];
};

/**
 * An analyzer. on_file runs on worker threads, concurrently for different
 * layers: it must only touch its own state under its own lock, or keep
 * everything in the result it returns. A result is any heap object; the
 * dispatcher owns it until it is passed to on_result (which takes it) or
 * free_result.
 */
struct customs_analyzer {
	int version;
	const char *name;
	const struct customs_want *wants;
	size_t n_wants;
	size_t max_bytes; /**< content cap per file; 0 = metadata only */
	void *state;
	/** Return 0 and set *result (may stay NULL), or a negative code. */
	int (*on_file)(void *state, const struct customs_file_event *ev,
		       void **result, struct customs_ctx *ctx);
	/** Called on the scanning thread; takes ownership of result. */
	int (*on_result)(void *state, const char *path, int layer, bool visible,
			 void *result, struct customs_ctx *ctx);
	void (*free_result)(void *state, void *result);
	/**
	 * Optional: the content cap for one file, from its path and size
	 * (at most max_bytes; 0 = metadata only), for an analyzer that wants
	 * every file but reads few of them in full. Runs on worker threads.
	 * NULL: max_bytes for every file.
	 */
	size_t (*file_cap)(void *state, const char *path, uint64_t size);
	/**
	 * Optional: decide from a file's head what to read of it, so that
	 * large files are not held whole. ev->data is the first
	 * CUSTOMS_PLAN_HEAD bytes (ev->file->size is the whole size); set
	 * *plan (zeroed by the caller) and return 0, or a negative code.
	 * Only asked for files longer than the head, while the layer is
	 * read once; the dispatcher keeps just the planned ranges and hands
	 * them to on_file with ev->ranges set (or the whole file). Runs on
	 * worker threads. NULL: the whole file up to max_bytes.
	 */
	int (*plan)(void *state, const struct customs_file_event *ev,
		    struct customs_plan *plan);
};

#define CUSTOMS_ANALYZER_VERSION 1

/** Options for customs_image_scan(). Initialise with CUSTOMS_SCAN_OPTS_INIT. */
struct customs_scan_opts {
	int version;
	bool hash_files; /**< compute SHA-256 of every regular file */
	bool verify; /**< verify blob digests and diffIDs (default on) */
	int threads; /**< 0 = one per core */
	const struct customs_analyzer *const *analyzers;
	size_t n_analyzers;
	struct customs_limits limits;
	/**
	 * With hash_files: also the MD5 of every regular file, computed in
	 * the same pass (what package databases such as dpkg's md5sums hold,
	 * for the policy's packages/verify). Off by default: it costs CPU.
	 */
	bool hash_md5;
};

#define CUSTOMS_SCAN_OPTS_VERSION 1
#define CUSTOMS_SCAN_OPTS_INIT                                      \
	{                                                           \
		CUSTOMS_SCAN_OPTS_VERSION, false, true, 0, NULL, 0, \
			CUSTOMS_LIMITS_INIT, false                  \
	}

/** The distribution found in the final filesystem. */
struct customs_distro {
	char *id; /**< "debian", "alpine", "rhel", "busybox", ... */
	char *version_id; /**< "12", "3.18.4", ... */
	char *version; /**< point release where known: "12.5" */
	char *pretty_name;
	char *id_like; /**< space-separated, as in os-release */
	char *codename;
	char *cpe; /**< from os-release CPE_NAME or system-release-cpe */
	char *source; /**< the file it came from, e.g. "etc/os-release" */
};

/** Per-layer facts gathered while decoding. */
struct customs_layer_stats {
	uint64_t entries;
	uint64_t files;
	uint64_t bytes; /**< decompressed tar bytes */
	uint64_t whiteouts;
	char *compression; /**< "gzip", "zstd", "none" */
	char *diff_id; /**< computed "sha256:..." of the tar stream */
};

struct customs_analysis;

/**
 * Decode every layer of img, build the file index, detect the distro and
 * run the analyzers. Returns 0 with *out owned by the caller (free with
 * customs_analysis_free()), or a negative code with a message on ctx that
 * names the layer and path at fault.
 */
int customs_image_scan(struct customs_analysis **out, struct customs_image *img,
		       struct customs_ctx *ctx,
		       const struct customs_scan_opts *opts);

/** Free an analysis; accepts NULL. */
void customs_analysis_free(struct customs_analysis *an);

/** The squashed filesystem. Borrowed from the analysis. */
const struct customs_fsindex *
customs_analysis_files(const struct customs_analysis *an);

/** The distro, or NULL when none was recognised. Borrowed. */
const struct customs_distro *
customs_analysis_distro(const struct customs_analysis *an);

/** Per-layer stats, n_layers entries (1 for dir:). Borrowed. */
const struct customs_layer_stats *
customs_analysis_layers(const struct customs_analysis *an, size_t *n_layers);

/**
 * Detect a distro from the content of the usual release files. Exposed for
 * tests and fuzzing: `files` maps each path ("etc/os-release",
 * "usr/lib/os-release", "etc/system-release-cpe", "etc/redhat-release",
 * "etc/debian_version", "etc/alpine-release", "bin/busybox") to content
 * (NULL when absent). Returns 0 with *out set (NULL when nothing matched)
 * or CUSTOMS_ENOMEM. Free with customs_distro_free().
 */
int customs_distro_detect(struct customs_distro **out, const char *const *paths,
			  const unsigned char *const *data, const size_t *lens,
			  size_t n);

/** Free a distro; accepts NULL. */
void customs_distro_free(struct customs_distro *d);

#endif
