/*
 * customs fsindex: the squashed final filesystem of an image.
 *
 * Paths are relative to the image root, without a leading "/" and without
 * "." or ".." components ("etc/os-release"). For every path the index
 * remembers the layer that last wrote it. Symbolic links are resolved
 * inside the root only: ".." at the root stays at the root and absolute
 * targets start from the image root, as a chroot would see them.
 */
#ifndef CUSTOMS_FSINDEX_H
#define CUSTOMS_FSINDEX_H

#include <stdbool.h>
#include "customs/common.h"

/** File types, as in the tar header. */
enum customs_ftype {
	CUSTOMS_FT_REG,
	CUSTOMS_FT_DIR,
	CUSTOMS_FT_SYMLINK,
	CUSTOMS_FT_HARDLINK,
	CUSTOMS_FT_CHR,
	CUSTOMS_FT_BLK,
	CUSTOMS_FT_FIFO,
	CUSTOMS_FT_SOCK,
};

/** One file. Borrowed from the index that holds it. */
struct customs_file {
	const char *path; /**< relative to the root, no leading "/" */
	const char *link; /**< symlink or hard link target, else NULL */
	uint64_t size; /**< content size (hard links: the target's) */
	uint32_t mode; /**< full st_mode, file-type bits included */
	uint32_t uid;
	uint32_t gid;
	int layer; /**< index of the layer that wrote it; 0 for dir: */
	enum customs_ftype type;
	bool has_sha256; /**< regular files when hashing was asked for */
	unsigned char sha256[32];
	bool has_md5; /**< regular files when hash_md5 was asked for */
	unsigned char md5[16];
};

struct customs_fsindex;

/** Number of entries (every path, directories included). */
size_t customs_fsindex_count(const struct customs_fsindex *idx);

/**
 * Look path up without following a final symlink (intermediate directory
 * symlinks are not followed either: the path must be literal).
 * Returns 0 and sets *out, or CUSTOMS_ENOTFOUND.
 */
int customs_fsindex_lookup(const struct customs_file **out,
			   const struct customs_fsindex *idx, const char *path);

/**
 * Resolve path as the kernel would inside a chroot at the image root:
 * every symlink (intermediate and final) is followed, ".." never climbs
 * above the root, at most 40 links are followed. Hard links resolve to
 * their target. Returns 0 and sets *out, CUSTOMS_ENOTFOUND, CUSTOMS_ELOOP,
 * or CUSTOMS_ELIMIT (path too long).
 */
int customs_fsindex_resolve(const struct customs_file **out,
			    const struct customs_fsindex *idx,
			    const char *path);

/** Callback for customs_fsindex_foreach(); non-zero stops and is returned. */
typedef int (*customs_fsindex_cb)(const struct customs_file *f, void *data);

/** Visit every entry in byte-wise sorted path order. */
int customs_fsindex_foreach(const struct customs_fsindex *idx,
			    customs_fsindex_cb cb, void *data);

/**
 * Visit count entries from position first (0-based) of the order
 * customs_fsindex_foreach() uses, so that a listing can be cut into
 * ranges handled apart (on several threads: the index is only read).
 * The range is clipped to customs_fsindex_count(); an empty one visits
 * nothing. Returns 0, or the callback's non-zero value that stopped it.
 */
int customs_fsindex_foreach_range(const struct customs_fsindex *idx,
				  size_t first, size_t count,
				  customs_fsindex_cb cb, void *data);

/** The name of a file type ("file", "dir", "symlink", ...). */
const char *customs_ftype_name(enum customs_ftype type);

#endif
