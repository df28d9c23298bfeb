/*
 * A parser for os-release(5) style files: KEY=VALUE lines with shell-like
 * quoting. Also fits the other KEY=VALUE release files (lsb-release).
 */
#ifndef CUSTOMS_ANALYZE_OSRELEASE_H
#define CUSTOMS_ANALYZE_OSRELEASE_H

#include <stddef.h>

#include "util/buf.h"

/* Bytes of one unquoted value handed to the callback; the rest is cut. */
#define CUSTOMS_OSRELEASE_VALUE_MAX 1024

/*
 * Called once per well-formed assignment, in file order. key and value
 * are borrowed for the call only; value is unquoted and unescaped, may
 * hold any byte (NUL included) and is at most CUSTOMS_OSRELEASE_VALUE_MAX
 * bytes. Return 0 to go on or a negative code to stop the parse.
 */
typedef int (*customs_osrelease_cb)(void *arg, struct cslice key,
				    struct cslice value);

/*
 * Parse len bytes of data and call cb for every assignment. Comments,
 * blank lines and malformed lines (no "=", a bad key, an unterminated
 * quote, a dangling backslash) are skipped. Returns 0 or the first
 * non-zero value cb returned.
 */
int customs_osrelease_parse(const unsigned char *data, size_t len,
			    customs_osrelease_cb cb, void *arg);

#endif
