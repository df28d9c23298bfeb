/*
 * Error contexts. A context holds one message: the first failure of an
 * operation wins unless a caller clears it. Messages are kept on one line
 * so that a hostile path cannot forge extra lines in logs.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/banned.h"

int customs_ctx_new(struct customs_ctx **out)
{
	struct customs_ctx *ctx = calloc(1, sizeof(*ctx));

	*out = ctx;
	return ctx ? 0 : CUSTOMS_ENOMEM;
}

void customs_ctx_free(struct customs_ctx *ctx)
{
	free(ctx);
}

const char *customs_ctx_errmsg(const struct customs_ctx *ctx)
{
	return ctx ? ctx->msg : "";
}

int customs_ctx_errcode(const struct customs_ctx *ctx)
{
	return ctx ? ctx->code : 0;
}

void customs_ctx_clear(struct customs_ctx *ctx)
{
	if (!ctx)
		return;
	ctx->code = 0;
	ctx->msg[0] = '\0';
}

static void one_line(char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
	}
}

int customs_error(struct customs_ctx *ctx, int code, const char *fmt, ...)
{
	va_list ap;

	if (!ctx)
		return code;
	va_start(ap, fmt);
	vsnprintf(ctx->msg, sizeof(ctx->msg), fmt, ap);
	va_end(ap);
	one_line(ctx->msg);
	ctx->code = code;
	return code;
}

int customs_error_prefix(struct customs_ctx *ctx, const char *fmt, ...)
{
	char prefix[CUSTOMS_ERRMSG_MAX];
	char old[CUSTOMS_ERRMSG_MAX];
	va_list ap;

	if (!ctx)
		return CUSTOMS_EINTERNAL;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, ctx->msg, sizeof(old));
	snprintf(ctx->msg, sizeof(ctx->msg), "%s: %s", prefix, old);
	one_line(ctx->msg);
	return ctx->code;
}

void customs_error_copy(struct customs_ctx *dst, const struct customs_ctx *src)
{
	if (dst && src)
		*dst = *src;
}

const char *customs_strerror(int code)
{
	switch (code) {
	case CUSTOMS_OK:
		return "success";
	case CUSTOMS_ENOMEM:
		return "out of memory";
	case CUSTOMS_EINVAL:
		return "invalid argument";
	case CUSTOMS_EIO:
		return "i/o error";
	case CUSTOMS_EFORMAT:
		return "format error";
	case CUSTOMS_EUNSUPPORTED:
		return "unsupported";
	case CUSTOMS_ENOTFOUND:
		return "not found";
	case CUSTOMS_ELIMIT:
		return "limit exceeded";
	case CUSTOMS_EDIGEST:
		return "digest mismatch";
	case CUSTOMS_ELOOP:
		return "too many levels of symbolic links";
	default:
		return "internal error";
	}
}

void customs_limits_resolve(struct customs_limits *lim)
{
	if (!lim->max_layer_bytes)
		lim->max_layer_bytes = CUSTOMS_DEFAULT_MAX_LAYER_BYTES;
	if (!lim->max_image_bytes)
		lim->max_image_bytes = CUSTOMS_DEFAULT_MAX_IMAGE_BYTES;
	if (!lim->max_entries)
		lim->max_entries = CUSTOMS_DEFAULT_MAX_ENTRIES;
	if (!lim->max_manifest_bytes)
		lim->max_manifest_bytes = CUSTOMS_DEFAULT_MAX_MANIFEST_BYTES;
	if (!lim->max_path_len)
		lim->max_path_len = CUSTOMS_DEFAULT_MAX_PATH_LEN;
	if (!lim->max_layers)
		lim->max_layers = CUSTOMS_DEFAULT_MAX_LAYERS;
}
