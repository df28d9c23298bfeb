/*
 * Building the squashed index: layers are applied in order, each layer's
 * whiteouts and opaque markers first (they only hide lower layers), then
 * its entries in tar order.
 */
#ifndef CUSTOMS_FSINDEX_INT_H
#define CUSTOMS_FSINDEX_INT_H

#include <stddef.h>
#include <stdint.h>

#include "customs/fsindex.h"
#include "util/arena.h"

int customs_fsindex_new(struct customs_fsindex **out);
void customs_fsindex_free(struct customs_fsindex *idx);

/**
 * Add or replace f->path (f is copied; strings too). A non-directory
 * replacing a directory removes everything below it. Missing parent
 * directories are created as implicit (not listed) directories. Hard
 * links take size and digest from their target when it exists.
 */
int customs_fsindex_put(struct customs_fsindex *idx,
			const struct customs_file *f);

/**
 * A path's length and hashes (its own and its directory's), worked out
 * ahead of the put: customs_fsindex_key() also starts loading the index
 * slots they point to, so a caller that keys entry i + d while putting
 * entry i waits for memory less. A key stays valid across puts.
 */
struct customs_fsindex_key {
	size_t len, plen;
	uint64_t h, ph;
};
void customs_fsindex_key(struct customs_fsindex_key *k,
			 const struct customs_fsindex *idx, const char *path);
/** customs_fsindex_put() with k from customs_fsindex_key(k, idx, f->path). */
int customs_fsindex_put_key(struct customs_fsindex *idx,
			    const struct customs_file *f,
			    const struct customs_fsindex_key *k);

/**
 * customs_fsindex_put_key() of an entry the index keeps as it is, not a
 * copy: f, its path and link must live as long as the index (their
 * memory adopted with customs_fsindex_adopt() first), and the index may
 * change f (a hard link takes its target's size and digest).
 */
int customs_fsindex_put_kept(struct customs_fsindex *idx,
			     struct customs_file *f,
			     const struct customs_fsindex_key *k);
/**
 * Keep block (freed with customs_free()) and every chunk of strings (the
 * arena is left empty) until the index is freed. On CUSTOMS_ENOMEM
 * nothing is taken.
 */
int customs_fsindex_adopt(struct customs_fsindex *idx, void *block,
			  struct arena *strings);

/**
 * Make room for n entries in all (implicit directories count), so that
 * applying a layer does not rehash the index again and again. 0 or
 * CUSTOMS_ENOMEM.
 */
int customs_fsindex_reserve(struct customs_fsindex *idx, size_t n);
/** Nodes in the index so far: entries, deleted ones and implicit dirs. */
size_t customs_fsindex_size(const struct customs_fsindex *idx);

/** Remove path and everything below it (a ".wh." whiteout). */
void customs_fsindex_whiteout(struct customs_fsindex *idx, const char *path);

/** Remove everything below dir, keeping dir (an opaque marker). */
void customs_fsindex_opaque(struct customs_fsindex *idx, const char *dir);

/**
 * The entry at a literal path, implicit directories and the root ("")
 * included, or NULL. For resolution, which walks through directories that
 * no tar entry named.
 */
const struct customs_file *
customs_fsindex_find_any(const struct customs_fsindex *idx, const char *path);

/** Sort the listing; call once after the last change, before reading. */
int customs_fsindex_finish(struct customs_fsindex *idx);

/**
 * Does symlink f, read lexically from its directory, climb above the
 * root? ("../../../etc/passwd" from "a/link")
 */
bool customs_fsindex_link_escapes(const struct customs_file *f);

#endif
