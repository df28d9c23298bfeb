/*
 * Squashing decoded layers into the final index, checking its links, and
 * handing analyzer results back in a deterministic order.
 */
#ifndef CUSTOMS_ANALYZE_SQUASH_H
#define CUSTOMS_ANALYZE_SQUASH_H

#include "analyze/scan_int.h"
#include "analyze/distro_an.h"

/** Apply every job's entries in layer order into a new index (*out). */
int squash(struct customs_fsindex **out, struct scan *sc,
	   struct customs_ctx *ctx);

/**
 * Hand every stored result to its analyzer's on_result, layer by layer,
 * sorted by path, telling whether (layer, path) survives in idx.
 */
int deliver_results(struct scan *sc, const struct customs_fsindex *idx,
		    struct customs_ctx *ctx);

#endif
