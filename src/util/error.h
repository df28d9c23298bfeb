/*
 * Internal side of the error context: recording a failure.
 */
#ifndef CUSTOMS_UTIL_ERROR_H
#define CUSTOMS_UTIL_ERROR_H

#include "customs/common.h"

#define CUSTOMS_ERRMSG_MAX 1024

struct customs_ctx {
	int code;
	char msg[CUSTOMS_ERRMSG_MAX];
};

/**
 * Record code and a printf-style message on ctx (ctx may be NULL) and
 * return code, so callers can write `return customs_error(ctx, ...)`.
 * The message is one line: control characters are replaced by '?'.
 */
int customs_error(struct customs_ctx *ctx, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/**
 * Prefix the message already on ctx with "prefix: ", for adding context
 * at a module boundary. Returns the recorded code.
 */
int customs_error_prefix(struct customs_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/** Copy src's error into dst (used to bring a worker's error back). */
void customs_error_copy(struct customs_ctx *dst, const struct customs_ctx *src);

#endif
