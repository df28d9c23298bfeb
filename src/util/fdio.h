/*
 * Whole reads and writes on file descriptors: retried on EINTR and short
 * counts, so callers say what a failure means instead of writing the
 * loop again.
 */
#ifndef CUSTOMS_UTIL_FDIO_H
#define CUSTOMS_UTIL_FDIO_H

#include <stddef.h>

#include "util/buf.h"

/* Write all n bytes of p. 0, or CUSTOMS_EIO with errno set (a write of
 * zero bytes counts as a failure, errno EIO). */
int customs_write_all(int fd, const void *p, size_t n);

/* Read until n bytes or the end of the file; *got says how many came.
 * 0, or CUSTOMS_EIO with errno set. */
int customs_read_full(int fd, void *buf, size_t n, size_t *got);

/* Append everything up to the end of the file to b. 0, CUSTOMS_EIO with
 * errno set, or b's error (CUSTOMS_ELIMIT past its maximum,
 * CUSTOMS_ENOMEM). */
int customs_read_cbuf(int fd, struct cbuf *b);

#endif
