/*
 * Squash: layers are applied in order, each as soon as it and every layer
 * below it are decoded, so the squash overlaps the decoding of upper
 * layers; in each, whiteouts and opaque markers first (they hide only
 * what lower layers wrote, never what the same layer adds), then entries
 * in tar order. Afterwards every symlink
 * is checked: a loop or a target that climbs above the root is an error
 * naming the layer and path, since an image that relies on either is
 * broken or hostile.
 */
#include <stdlib.h>
#include <string.h>

#include "analyze/squash.h"
#include "fsindex/fsindex_int.h"
#include "util/alloc.h"
#include "util/banned.h"

static void apply_hiding(struct customs_fsindex *idx, const struct layer_job *j)
{
	size_t i;

	for (i = 0; i < j->n_entries; i++) {
		const struct stored_entry *e = &j->entries[i];

		if (e->kind == LAYER_ENTRY_WHITEOUT)
			customs_fsindex_whiteout(idx, e->f.path);
		else if (e->kind == LAYER_ENTRY_OPAQUE)
			customs_fsindex_opaque(idx, e->f.path);
	}
}

/* How many entries ahead of the put their index slots start loading:
 * the index is megabytes, so nearly every lookup misses the cache. */
#define KEY_AHEAD 8

static int apply_entries(struct customs_fsindex *idx, struct layer_job *j,
			 bool kept)
{
	struct customs_fsindex_key keys[KEY_AHEAD];
	size_t i;
	int rc;

	for (i = 0; i < j->n_entries && i < KEY_AHEAD; i++)
		customs_fsindex_key(&keys[i], idx, j->entries[i].f.path);
	for (i = 0; i < j->n_entries; i++) {
		struct customs_fsindex_key k = keys[i % KEY_AHEAD];

		if (i + KEY_AHEAD < j->n_entries)
			customs_fsindex_key(&keys[i % KEY_AHEAD], idx,
					    j->entries[i + KEY_AHEAD].f.path);
		if (j->entries[i].kind != LAYER_ENTRY_FILE)
			continue;
		rc = kept ? customs_fsindex_put_kept(idx, &j->entries[i].f, &k)
			  : customs_fsindex_put_key(idx, &j->entries[i].f, &k);
		if (rc)
			return rc;
	}
	return 0;
}

struct link_check {
	const struct customs_fsindex *idx;
	const struct scan *sc;
	struct customs_ctx *ctx;
};

static int check_link(const struct customs_file *f, void *data)
{
	struct link_check *lc = data;
	const struct customs_file *t;
	const char *label = lc->sc->jobs[f->layer].label;

	if (f->type != CUSTOMS_FT_SYMLINK)
		return 0;
	if (customs_fsindex_link_escapes(f))
		return customs_error(lc->ctx, CUSTOMS_EFORMAT,
				     "%s: '%s': symlink target '%s' leads "
				     "outside the image root",
				     label[0] ? label : "rootfs", f->path,
				     f->link);
	if (customs_fsindex_resolve(&t, lc->idx, f->path) == CUSTOMS_ELOOP)
		return customs_error(lc->ctx, CUSTOMS_ELOOP,
				     "%s: '%s': symlink loop (target '%s')",
				     label[0] ? label : "rootfs", f->path,
				     f->link);
	return 0;
}

int squash_layer(struct customs_fsindex *idx, struct layer_job *j)
{
	/* the index keeps the layer's entries where they are, rather than
	 * copying them into nodes of its own: that was a page fault for
	 * every 4 KiB of a layer's listing, in the part of the scan that
	 * runs alone; without memory for the hand-over, it copies */
	bool kept = !customs_fsindex_adopt(idx, j->entries, &j->arena);
	int rc;

	apply_hiding(idx, j);
	rc = apply_entries(idx, j, kept);
	if (!kept) {
		customs_free(j->entries);
		arena_release(&j->arena);
	}
	j->entries = NULL;
	j->n_entries = j->cap_entries = 0;
	return rc;
}

int squash_finish(struct customs_fsindex *idx, struct scan *sc,
		  struct customs_ctx *ctx)
{
	struct link_check lc = { idx, sc, ctx };
	int rc = customs_fsindex_finish(idx);

	if (!rc)
		rc = customs_fsindex_foreach(idx, check_link, &lc);
	if (rc && !customs_ctx_errcode(ctx))
		customs_error(ctx, rc, "building the file index: %s",
			      customs_strerror(rc));
	return rc;
}

static int by_path(const void *a, const void *b)
{
	const struct stored_result *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	if (c)
		return c;
	return x->analyzer < y->analyzer ? -1 : x->analyzer > y->analyzer;
}

static int deliver_layer(struct scan *sc, struct layer_job *j,
			 const struct customs_fsindex *idx,
			 struct customs_ctx *ctx)
{
	size_t i;
	int rc = 0;

	if (j->n_results)
		qsort(j->results, j->n_results, sizeof(*j->results), by_path);
	for (i = 0; i < j->n_results; i++) {
		struct stored_result *r = &j->results[i];
		const struct customs_analyzer *an = sc->an[r->analyzer];
		const struct customs_file *f;
		bool visible = !customs_fsindex_lookup(&f, idx, r->path) &&
			       f->layer == (int)j->index;
		void *res = r->result;

		r->result = NULL;
		if (!rc)
			rc = an->on_result(an->state, r->path, (int)j->index,
					   visible, res, ctx);
		else
			an->free_result(an->state, res);
	}
	return rc;
}

int deliver_results(struct scan *sc, const struct customs_fsindex *idx,
		    struct customs_ctx *ctx)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < sc->n_jobs; i++) {
		int r = deliver_layer(sc, &sc->jobs[i], idx, ctx);

		if (!rc)
			rc = r;
	}
	return rc;
}
