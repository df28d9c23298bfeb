/*
 * The dispatch table: which analyzers want a given path. Built once per
 * scan from every analyzer's wants; a lookup is at most four hash probes
 * plus a short scan of directory prefixes, whatever the analyzer count.
 */
#ifndef CUSTOMS_ANALYZE_WANTS_H
#define CUSTOMS_ANALYZE_WANTS_H

#include <stdint.h>

#include "customs/analyze.h"
#include "util/strmap.h"

#define WANTS_MAX_ANALYZERS 64
/* An EXT want matches the suffix after any of the last this many dots. */
#define WANTS_EXT_DOTS 3

struct wants {
	struct strmap paths; /* value: (void *)(uintptr_t)mask */
	struct strmap bases;
	struct strmap exts;
	const char **dirs;
	uint64_t *dir_masks;
	size_t n_dirs;
	const char **prefixes;
	uint64_t *prefix_masks;
	size_t n_prefixes;
	uint64_t exec_mask; /* analyzers that want every executable */
	uint64_t all_mask; /* analyzers that want every regular file */
	size_t caps[WANTS_MAX_ANALYZERS];
	size_t n;
};

int wants_build(struct wants *w, const struct customs_analyzer *const *an,
		size_t n);
/** Bit i set: analyzer i wants path (a regular file of this mode). */
uint64_t wants_match(const struct wants *w, const char *path, uint32_t mode);
/** Largest content cap among the analyzers in mask. */
size_t wants_cap(const struct wants *w, uint64_t mask);
/** The same, asking the analyzers that have a file_cap about this file. */
size_t wants_file_cap(const struct wants *w,
		      const struct customs_analyzer *const *an, uint64_t mask,
		      const char *path, uint64_t size);
void wants_release(struct wants *w);

#endif
