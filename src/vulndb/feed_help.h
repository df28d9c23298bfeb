/*
 * Helpers shared by the non-OSV feed parsers (feed_debian.c,
 * feed_alpine.c, feed_nvd.c, feed_kev.c, feed_epss.c): loading a JSON
 * document with a located error, reading optional string members,
 * severity words, a reusable string pool for the few strings a parser
 * builds (ranges such as "< 1.2-3"), and a byte scanner for detection.
 */
#ifndef CUSTOMS_VULNDB_FEED_HELP_H
#define CUSTOMS_VULNDB_FEED_HELP_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "customs/vulndb.h"
#include "util/buf.h"

/** Most bytes of built strings one record may need (ranges, ids). */
#define FEEDH_POOL_MAX ((size_t)64 << 20)

/**
 * Parse one JSON value from data (jansson flags). On a syntax error:
 * CUSTOMS_EFORMAT naming name, line and column. *used (may be NULL) gets
 * the bytes consumed (with JSON_DISABLE_EOF_CHECK). 0, EFORMAT, ENOMEM.
 */
int feedh_load_json(json_t **out, const char *data, size_t len, size_t flags,
		    size_t *used, const char *name, struct customs_ctx *ctx);

/** obj[key] when it is a non-empty string, else NULL. */
const char *feedh_str(const json_t *obj, const char *key);

/**
 * Severity of a feed's word via customs_severity_parse(); words that are
 * no severity ("not yet assigned", "end-of-life", NULL) are Unknown.
 * *known (may be NULL) says whether the word was recognised or is one of
 * those placeholders.
 */
enum customs_severity feedh_severity(const char *word, bool *known);

/**
 * A pool of NUL-terminated strings addressed by offset, reset per record:
 * strings are added while the record is built, then resolved to pointers
 * with feedh_pool_at() once the pool no longer moves.
 */
size_t feedh_pool_add(struct cbuf *pool, const char *prefix, const char *s);
static inline const char *feedh_pool_at(const struct cbuf *pool, size_t off)
{
	return pool->ptr + off;
}

/** Whether head (len bytes) contains the literal lit. */
bool feedh_has(const char *head, size_t len, const char *lit);

/** Skip ASCII whitespace (and a UTF-8 BOM at the start) from p. */
const char *feedh_skip_ws(const char *p, const char *end);

/** Whether name ends with suffix. */
bool feedh_name_ends(const char *name, const char *suffix);

#endif
