/*
 * An index over one whitelist's live items (whitelist.c).
 */
#ifndef CUSTOMS_POLICY_WHITELIST_H
#define CUSTOMS_POLICY_WHITELIST_H

#include <stdint.h>

#include "policy/bundle_int.h"

#define WL_MAXPLEN 256

struct wnode; /* one item in one bucket */
struct wslot; /* one bucket: a (kind, gate, literal) key */
struct wslow; /* an item tried for every row */

struct wlidx {
	const struct cwl *w;
	struct wslot *slots; /* open addressing, cap a power of two */
	size_t cap, used;
	struct wnode *nodes;
	size_t nnodes;
	struct wslow *slow; /* regexp, "*" and odd items, in item order */
	size_t nslow, capslow;
	bool plen[WL_MAXPLEN]; /* prefix lengths in use */
	bool slen[WL_MAXPLEN]; /* suffix lengths in use */
};

int wlidx_build(struct wlidx *x, const struct cwl *w, struct customs_ctx *ctx);
void wlidx_release(struct wlidx *x);
/* The first item live at now matching (gate, trigger id), or NULL. */
const struct wlitem *wlidx_find(const struct wlidx *x, const char *gate,
				const char *tid, int64_t now);

#endif
