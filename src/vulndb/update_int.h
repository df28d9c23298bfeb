/*
 * Internal pieces of `customs db update` (update.c): the feed table and
 * URL configuration (update_conf.c), the small parsers of what the feed
 * sites answer besides feed documents (update_parse.c) and the HTTP
 * client (update_http.c). Split out so the unit tests and fuzz targets
 * can reach them.
 */
#ifndef CUSTOMS_VULNDB_UPDATE_INT_H
#define CUSTOMS_VULNDB_UPDATE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "customs/vulndb.h"
#include "util/buf.h"

/* Largest config file, Alpine index page and NVD page head we read. */
#define UPD_MAX_CONFIG (1u << 20)
#define UPD_MAX_INDEX (4u << 20)
#define UPD_MAX_BRANCHES 256
#define UPD_MAX_URL 4096

/** What a config file says (every field may be empty). */
struct upd_config {
	char *mirror; /**< base URL, or NULL */
	char *feeds; /**< "a,b" selection, or NULL */
	struct customs_kvlist urls; /**< group -> base URL */
};

/** Parse a YAML config document of len bytes; name names it in errors.
 * 0, CUSTOMS_EINVAL (bad content), CUSTOMS_ENOMEM, CUSTOMS_ELIMIT. */
int upd_config_parse(struct upd_config *cfg, const char *data, size_t len,
		     const char *name, struct customs_ctx *ctx);

/** Read and parse the config file at path. As above, plus CUSTOMS_EIO. */
int upd_config_load(struct upd_config *cfg, const char *path,
		    struct customs_ctx *ctx);

void upd_config_release(struct upd_config *cfg);

/** Whether url is an absolute http(s) URL without spaces or controls. */
bool upd_url_ok(const char *url);

/**
 * The base URL of group (no trailing '/') into *out (caller frees), by
 * the precedence documented at struct customs_vulndb_update_opts. mirror
 * and cfg may be NULL. 0, CUSTOMS_EINVAL (a bad URL, named), ENOMEM.
 */
int upd_base_url(char **out, const char *group, const char *mirror,
		 const struct upd_config *cfg, struct customs_ctx *ctx);

/** base + "/" + path (no "/" added when path is "" or starts with one),
 * into *out. 0 or CUSTOMS_ENOMEM. */
int upd_join(char **out, const char *base, const char *path);

/**
 * Mark in sel[] (one per entry of customs_vulndb_feeds()) the feeds list
 * names: feed names, group names, "default", "all", comma-separated.
 * 0 or CUSTOMS_EINVAL naming the unknown word.
 */
int upd_select(bool *sel, const char *list, struct customs_ctx *ctx);

/**
 * The secdb branches linked from the Alpine index page html: every href
 * "vN.M/" or "edge/" (optionally with a leading "./" or "/"), each once,
 * in page order, without the slash. 0, CUSTOMS_ELIMIT (more than
 * UPD_MAX_BRANCHES), CUSTOMS_EFORMAT (no branch at all), ENOMEM.
 */
int upd_alpine_branches(struct customs_strlist *out, const char *html,
			size_t len, struct customs_ctx *ctx);

/**
 * totalResults of an NVD API page (looked for in the first 64 KiB, where
 * the API writes it before the vulnerabilities). 0 or CUSTOMS_EFORMAT.
 */
int upd_nvd_total(uint64_t *out, const char *data, size_t len,
		  struct customs_ctx *ctx);

/* ---- HTTP ------------------------------------------------------------- */

struct upd_http;

/** One GET. Inputs first; the rest is filled by upd_http_get(). */
struct upd_fetch {
	const char *url;
	const char *feed; /**< for progress reports */
	const char *etag, *last_modified; /**< validators to send, or NULL */
	const char *header; /**< one extra request header, or NULL */
	long status; /**< 200, 304, 404 ... */
	struct cbuf body; /**< released by upd_fetch_release() */
	char *etag_out, *last_modified_out; /**< as answered, or NULL */
};

/** Create a client with opts' timeouts, retries and progress (loading
 * libcurl first). 0, EIO, ENOMEM, EUNSUPPORTED (libcurl not loadable). */
int upd_http_new(struct upd_http **out,
		 const struct customs_vulndb_update_opts *opts,
		 struct customs_ctx *ctx);

/**
 * GET f->url, retrying network errors, 408, 429 and 5xx. Returns 0 with
 * f->status 200 (body filled), 304 (only when validators were sent) or
 * 404; CUSTOMS_EIO naming the URL and the last failure after the
 * retries; CUSTOMS_ELIMIT when the body passes max_download.
 */
int upd_http_get(struct upd_http *h, struct upd_fetch *f,
		 struct customs_ctx *ctx);

/** Sleep ms milliseconds in short steps; false when *cancel (may be
 * NULL) became set meanwhile. */
bool upd_sleep_ms(unsigned ms, const volatile sig_atomic_t *cancel);

/** Whether the update was asked to stop. */
static inline bool upd_cancelled(const struct customs_vulndb_update_opts *o)
{
	return o->cancel && *o->cancel;
}

void upd_fetch_release(struct upd_fetch *f);
void upd_http_free(struct upd_http *h);

/* ---- the run (update.c, update_nvd.c) ---------------------------------- */

/** One update run; the feed fields describe the feed being fetched. */
struct upd {
	const struct customs_vulndb_update_opts *o;
	struct upd_config cfg;
	struct customs_vulndb_writer *w;
	struct upd_http *http;
	struct customs_vulndb_update_report *rep;
	struct customs_ctx *fctx; /* the current feed's error */
	const struct customs_vulndb_feed *feed;
	char *base; /* the current feed's group base URL */
	struct cbuf doc; /* one decompressed document */
	uint64_t records, bytes;
	unsigned fetched; /* files imported in this feed */
	bool fatal; /* an import failed half-way: stop everything */
};

/** GET f->url (conditionally with its stored validators) into f. */
int upd_fetch_cond(struct upd *u, struct upd_fetch *f, bool conditional);

/** Import one decompressed document of the current feed; its format is
 * checked first. A failure after the check sets u->fatal. */
int upd_import_doc(struct upd *u, const char *url, const char *data, size_t len,
		   const char *name);

/** The NVD feed (update_nvd.c). */
int upd_feed_nvd(struct upd *u);

#endif
