/*
 * customs: common definitions shared by every module.
 *
 * Error model: fallible functions return 0 or a negative CUSTOMS_E* code.
 * The human-readable message of the last failure lives on the operation's
 * context (struct customs_ctx), like sqlite3_errmsg(). The library never
 * prints and never exits.
 */
#ifndef CUSTOMS_COMMON_H
#define CUSTOMS_COMMON_H

#include <stddef.h>
#include <stdint.h>

#define CUSTOMS_VERSION "0.1.0"

/** Error codes. Every fallible function returns 0 or one of these. */
enum customs_error_code {
	CUSTOMS_OK = 0,
	CUSTOMS_ENOMEM = -1, /**< allocation failed */
	CUSTOMS_EINVAL = -2, /**< bad argument or usage */
	CUSTOMS_EIO = -3, /**< read/write failure */
	CUSTOMS_EFORMAT = -4, /**< input does not follow its format */
	CUSTOMS_EUNSUPPORTED = -5, /**< valid input we do not handle */
	CUSTOMS_ENOTFOUND = -6, /**< a named thing does not exist */
	CUSTOMS_ELIMIT = -7, /**< a configured limit was exceeded */
	CUSTOMS_EDIGEST = -8, /**< content does not match its digest */
	CUSTOMS_ELOOP = -9, /**< too many symbolic links */
	CUSTOMS_EINTERNAL = -10, /**< a bug in customs */
};

/**
 * One operation's context: holds the message of the last error. One per CLI
 * run (or per HTTP request). Not thread-safe; worker threads use their own
 * and the library copies the first failure back.
 */
struct customs_ctx;

/**
 * Create a context. Returns 0 or CUSTOMS_ENOMEM. Free with customs_ctx_free().
 */
int customs_ctx_new(struct customs_ctx **out);

/** Free a context; accepts NULL. */
void customs_ctx_free(struct customs_ctx *ctx);

/**
 * The message of the last error recorded on ctx, or "" when none.
 * Borrowed: valid until the next failing call on ctx.
 */
const char *customs_ctx_errmsg(const struct customs_ctx *ctx);

/** The code of the last error recorded on ctx, or 0. */
int customs_ctx_errcode(const struct customs_ctx *ctx);

/** Clear the recorded error. */
void customs_ctx_clear(struct customs_ctx *ctx);

/** A short static description of an error code ("format error", ...). */
const char *customs_strerror(int code);

/**
 * Lower-case hex of n bytes into out, which holds 2n + 1 bytes (a file's
 * SHA-256 for display, say).
 */
void customs_hex(char *out, const unsigned char *in, size_t n);

/**
 * Limits on everything that grows from input. Exceeding one is a
 * CUSTOMS_ELIMIT error naming the limit, never an OOM. Initialise with
 * CUSTOMS_LIMITS_INIT; zero in a field means "use the default".
 */
struct customs_limits {
	int version;
	uint64_t max_layer_bytes; /**< decompressed bytes of one layer */
	uint64_t max_image_bytes; /**< decompressed bytes of all layers */
	uint64_t max_entries; /**< tar entries in the whole image */
	uint64_t max_manifest_bytes; /**< manifest, index or config JSON */
	uint64_t max_path_len; /**< bytes in one path or link target */
	uint64_t max_layers; /**< layers in one image */
};

#define CUSTOMS_LIMITS_VERSION 1
#define CUSTOMS_LIMITS_INIT                              \
	{                                                \
		CUSTOMS_LIMITS_VERSION, 0, 0, 0, 0, 0, 0 \
	}

/* Defaults, chosen so real images (the largest public ones are ~20 GiB
 * and a few million files) pass while bombs stop early. */
#define CUSTOMS_DEFAULT_MAX_LAYER_BYTES (32ULL << 30)
#define CUSTOMS_DEFAULT_MAX_IMAGE_BYTES (64ULL << 30)
#define CUSTOMS_DEFAULT_MAX_ENTRIES 4000000ULL
#define CUSTOMS_DEFAULT_MAX_MANIFEST_BYTES (8ULL << 20)
#define CUSTOMS_DEFAULT_MAX_PATH_LEN 4096ULL
#define CUSTOMS_DEFAULT_MAX_LAYERS 1024ULL

/**
 * Fill every zero field of lim with its default.
 */
void customs_limits_resolve(struct customs_limits *lim);

/** A list of owned strings. */
struct customs_strlist {
	char **v;
	size_t n;
};

/** A list of owned key/value string pairs, in source order. */
struct customs_kvlist {
	char **keys;
	char **values;
	size_t n;
};

/** Append a copy of s to list (duplicates kept). 0 or CUSTOMS_ENOMEM. */
int customs_strlist_add(struct customs_strlist *list, const char *s);

/** Free every string and the array; the list is left empty. */
void customs_strlist_release(struct customs_strlist *list);

/** Free every pair and the arrays; the list is left empty. */
void customs_kvlist_release(struct customs_kvlist *list);

/** Append copies of key and value. 0 or CUSTOMS_ENOMEM. */
int customs_kvlist_add(struct customs_kvlist *list, const char *key,
		       const char *value);

#endif
