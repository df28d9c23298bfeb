/*
 * The feed dispatcher: customs_feed_parse() picks a parser by format or,
 * for CUSTOMS_FEED_AUTO, by asking each parser in table order whether the
 * head of the document is its format. Specific formats come first; OSV
 * (any JSON object with an "id") is last. Adding a format is one row in
 * feed_parsers[].
 */
#include <stdarg.h>
#include <stdio.h>

#include "util/error.h"
#include "vulndb/feed_int.h"
#include "vulndb/vulndb_int.h"
#include "util/banned.h"

/* Detection looks at no more than this many bytes. */
#define FEED_HEAD_MAX (64u << 10)

const struct feed_parser feed_parsers[] = {
	/* { fmt, name, detect, parse }: one row per format */
	{ CUSTOMS_FEED_DEBIAN, "debian", feed_debian_detect,
	  feed_debian_parse },
	{ CUSTOMS_FEED_NVD, "nvd", feed_nvd_detect, feed_nvd_parse },
	{ CUSTOMS_FEED_KEV, "kev", feed_kev_detect, feed_kev_parse },
	{ CUSTOMS_FEED_EPSS, "epss", feed_epss_detect, feed_epss_parse },
	{ CUSTOMS_FEED_ALPINE, "alpine", feed_alpine_detect,
	  feed_alpine_parse },
	{ CUSTOMS_FEED_OSV, "osv", feed_osv_detect, feed_osv_parse },
};

const size_t feed_n_parsers = sizeof(feed_parsers) / sizeof(feed_parsers[0]);

void feed_warnf(const struct feed_warn *w, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (!w || !w->fn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (char *p = msg; *p; p++) {
		if ((unsigned char)*p < 0x20)
			*p = '?';
	}
	w->fn(w->arg, msg);
}

const struct feed_parser *feed_pick(enum customs_feed_format fmt,
				    const char *data, size_t len,
				    const char *name)
{
	size_t head = len < FEED_HEAD_MAX ? len : FEED_HEAD_MAX;
	size_t i;

	for (i = 0; i < feed_n_parsers; i++) {
		const struct feed_parser *p = &feed_parsers[i];

		if (fmt != CUSTOMS_FEED_AUTO ? p->fmt == fmt
					     : p->detect(data, head, name))
			return p;
	}
	return NULL;
}

int customs_feed_parse(enum customs_feed_format fmt, const char *data,
		       size_t len, const char *name,
		       const struct customs_vuln_sink *sink,
		       void (*warn)(void *arg, const char *msg), void *warn_arg,
		       struct customs_ctx *ctx)
{
	const struct feed_parser *p = feed_pick(fmt, data, len, name);
	struct feed_warn w = { warn, warn_arg };

	if (!p && fmt == CUSTOMS_FEED_AUTO)
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "%s: not a feed format customs knows "
				     "(osv, debian, alpine, nvd, kev, epss)",
				     name);
	if (!p)
		return customs_error(ctx, CUSTOMS_EUNSUPPORTED,
				     "%s: no parser for format '%s' in this "
				     "build",
				     name, customs_feed_format_name(fmt));
	return p->parse(data, len, name, sink, &w, ctx);
}
