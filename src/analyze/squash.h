/*
 * Squashing decoded layers into the final index, checking its links, and
 * handing analyzer results back in a deterministic order.
 */
#ifndef CUSTOMS_ANALYZE_SQUASH_H
#define CUSTOMS_ANALYZE_SQUASH_H

#include "analyze/scan_int.h"
#include "analyze/distro_an.h"

/**
 * Apply one decoded layer to idx (layers must come in order), then free
 * the layer's entries. Returns 0 or CUSTOMS_ENOMEM.
 */
int squash_layer(struct customs_fsindex *idx, struct layer_job *j);

/** After the last layer: sort the listing and check every symlink. */
int squash_finish(struct customs_fsindex *idx, struct scan *sc,
		  struct customs_ctx *ctx);

/**
 * Hand every stored result to its analyzer's on_result, layer by layer,
 * sorted by path, telling whether (layer, path) survives in idx.
 */
int deliver_results(struct scan *sc, const struct customs_fsindex *idx,
		    struct customs_ctx *ctx);

#endif
