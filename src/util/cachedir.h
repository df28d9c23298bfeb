/*
 * The directory customs keeps its caches in (registry blobs, compiled
 * Hyperscan databases), resolved in one place so every cache agrees.
 */
#ifndef CUSTOMS_UTIL_CACHEDIR_H
#define CUSTOMS_UTIL_CACHEDIR_H

#include "customs/common.h"
#include "util/buf.h"

/**
 * Append the cache directory to b: override when it is not NULL (the
 * CLI's --cache-dir), else $CUSTOMS_CACHE_DIR when set and not empty,
 * else $XDG_CACHE_HOME/customs when XDG_CACHE_HOME is absolute, else
 * $HOME/.cache/customs. Returns 0, CUSTOMS_ENOTFOUND when none of them
 * is set, or b's error (CUSTOMS_ENOMEM, CUSTOMS_ELIMIT).
 */
int cachedir_resolve(struct cbuf *b, const char *override);

/**
 * mkdir -p of path, which is modified while it runs and restored:
 * every directory created gets mode 0700 (existing ones are left as
 * they are). Returns 0, or -1 with errno set.
 */
int cachedir_mkdirs(char *path);

#endif
