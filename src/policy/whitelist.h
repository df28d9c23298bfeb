/*
 * An index over one whitelist's live items (whitelist.c).
 */
#ifndef CUSTOMS_POLICY_WHITELIST_H
#define CUSTOMS_POLICY_WHITELIST_H

#include "policy/bundle_int.h"

#define WL_MAXPLEN 256

struct wnode;

struct bucket {
	struct wnode *head, *tail;
};

struct wlidx {
	const struct cwl *w;
	struct arena arena;
	struct strmap exact; /* "gate\x1ftid" -> struct bucket */
	bool elen[1]; /* unused length set of the exact map */
	struct strmap prefix; /* "gate\x1fprefix" -> struct bucket */
	struct strmap suffix; /* "gate\x1fsuffix" -> struct bucket */
	bool plen[WL_MAXPLEN]; /* prefix lengths in use */
	bool slen[WL_MAXPLEN]; /* suffix lengths in use */
	struct bucket slow; /* regexp and long-prefix items, in order */
};

int wlidx_build(struct wlidx *x, const struct cwl *w, struct customs_ctx *ctx);
void wlidx_release(struct wlidx *x);
/* The first item live at now matching (gate, trigger id), or NULL. */
const struct wlitem *wlidx_find(const struct wlidx *x, const char *gate,
				const char *tid, int64_t now);

#endif
