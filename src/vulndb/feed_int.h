/*
 * Internal interface between the feed dispatcher (feed.c,
 * customs_feed_parse()) and the feed parsers, one file per format:
 * feed_osv.c, feed_debian.c, feed_alpine.c, feed_nvd.c, feed_kev.c,
 * feed_epss.c. A parser turns one decompressed document into records for
 * the sink; it never touches the database. detect() looks at the first
 * bytes only and says whether the document is its format, so
 * CUSTOMS_FEED_AUTO can pick a parser.
 */
#ifndef CUSTOMS_VULNDB_FEED_INT_H
#define CUSTOMS_VULNDB_FEED_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "customs/vulndb.h"

/** Where a parser reports a skipped record (may be NULL). */
struct feed_warn {
	void (*fn)(void *arg, const char *msg);
	void *arg;
};

typedef int (*feed_parse_fn)(const char *data, size_t len, const char *name,
			     const struct customs_vuln_sink *sink,
			     const struct feed_warn *warn,
			     struct customs_ctx *ctx);
typedef bool (*feed_detect_fn)(const char *head, size_t len, const char *name);

struct feed_parser {
	enum customs_feed_format fmt;
	const char *name; /**< as customs_feed_format_name() */
	feed_detect_fn detect;
	feed_parse_fn parse;
};

/** The parsers, in detection order; defined in feed.c. */
extern const struct feed_parser feed_parsers[];
extern const size_t feed_n_parsers;

/** printf-style warning through w (no-op when w or w->fn is NULL). */
void feed_warnf(const struct feed_warn *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

int feed_osv_parse(const char *data, size_t len, const char *name,
		   const struct customs_vuln_sink *sink,
		   const struct feed_warn *warn, struct customs_ctx *ctx);
bool feed_osv_detect(const char *head, size_t len, const char *name);
int feed_debian_parse(const char *data, size_t len, const char *name,
		      const struct customs_vuln_sink *sink,
		      const struct feed_warn *warn, struct customs_ctx *ctx);
bool feed_debian_detect(const char *head, size_t len, const char *name);
int feed_alpine_parse(const char *data, size_t len, const char *name,
		      const struct customs_vuln_sink *sink,
		      const struct feed_warn *warn, struct customs_ctx *ctx);
bool feed_alpine_detect(const char *head, size_t len, const char *name);
int feed_nvd_parse(const char *data, size_t len, const char *name,
		   const struct customs_vuln_sink *sink,
		   const struct feed_warn *warn, struct customs_ctx *ctx);
bool feed_nvd_detect(const char *head, size_t len, const char *name);
int feed_kev_parse(const char *data, size_t len, const char *name,
		   const struct customs_vuln_sink *sink,
		   const struct feed_warn *warn, struct customs_ctx *ctx);
bool feed_kev_detect(const char *head, size_t len, const char *name);
int feed_epss_parse(const char *data, size_t len, const char *name,
		    const struct customs_vuln_sink *sink,
		    const struct feed_warn *warn, struct customs_ctx *ctx);
bool feed_epss_detect(const char *head, size_t len, const char *name);

#endif
