/*
 * customs_vulndb_update(): download the selected feeds and import them.
 *
 * Invariants:
 *   - One writer for the whole run, committed once at the end, so a reader
 *     sees the old database or the new one, never a mix; when no feed
 *     brought anything new, nothing is committed at all.
 *   - A file is imported only once it is downloaded completely, and its
 *     validators (ETag, Last-Modified) are stored only after its import
 *     succeeded, so a failed feed is fetched whole again next time.
 *   - A feed that fails to download, or whose document is not its
 *     format (checked before anything is written), leaves its data as it
 *     was; the other feeds still commit unless strict. A failed import
 *     may have written part of a document (the writer has one
 *     transaction), so it abandons the whole update: the old database
 *     stays.
 *   - Downloads are held in memory up to max_download; compressed files
 *     (.gz, .xz, .bz2, .zst, .zip) are expanded one document at a time up
 *     to max_document.
 */
#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/dyncurl.h"
#include "util/error.h"
#include "vulndb/feed_int.h"
#include "vulndb/update_int.h"
#include "util/banned.h"

static void progress(struct upd *u, enum customs_update_event ev,
		     enum customs_update_result res, const char *msg)
{
	struct customs_vulndb_progress p = { 0 };

	if (!u->o->progress)
		return;
	p.event = ev;
	p.feed = u->feed->name;
	p.bytes = u->bytes;
	p.result = res;
	p.records = u->records;
	p.message = msg;
	u->o->progress(u->o->arg, &p);
}

/*
 * Whether data looks like the feed's format, asked before anything is
 * written: the writer has one transaction for the whole run, so an
 * import failing half-way cannot be undone for one feed alone.
 */
static int check_format(struct upd *u, const char *data, size_t len,
			const char *name)
{
	size_t i, head = len < 65536 ? len : 65536;

	for (i = 0; i < feed_n_parsers; i++) {
		const struct feed_parser *p = &feed_parsers[i];

		if (p->fmt != u->feed->format)
			continue;
		if (p->detect(data, head, name))
			return 0;
		return customs_error(u->fctx, CUSTOMS_EFORMAT,
				     "%s: not a '%s' feed document", name,
				     p->name);
	}
	return customs_error(u->fctx, CUSTOMS_EUNSUPPORTED,
			     "%s: no %s parser in this build", name,
			     customs_feed_format_name(u->feed->format));
}

/* Import one decompressed document of the current feed. */
int upd_import_doc(struct upd *u, const char *url, const char *data, size_t len,
		   const char *name)
{
	struct customs_vulndb_source src = CUSTOMS_VULNDB_SOURCE_INIT;
	int rc = check_format(u, data, len, name);

	if (rc)
		return rc;
	src.name = u->feed->name;
	src.origin = url;
	rc = customs_vulndb_import_buffer(u->w, &src, data, len, name,
					  u->feed->format, u->o->warn,
					  u->o->arg, &u->records, u->fctx);
	if (rc)
		u->fatal = true;
	return rc;
}

/* Read the current archive entry into u->doc. */
static int read_entry(struct upd *u, struct archive *a, const char *name)
{
	char chunk[65536];
	la_ssize_t n;

	cbuf_reset(&u->doc);
	while ((n = archive_read_data(a, chunk, sizeof(chunk))) > 0) {
		if (cbuf_put(&u->doc, chunk, (size_t)n))
			break;
	}
	if (cbuf_error(&u->doc) == CUSTOMS_ELIMIT)
		return customs_error(u->fctx, CUSTOMS_ELIMIT,
				     "%s: larger than %zu bytes expanded", name,
				     u->doc.max);
	if (cbuf_error(&u->doc))
		return CUSTOMS_ENOMEM;
	if (n < 0)
		return customs_error(u->fctx, CUSTOMS_EFORMAT, "%s: %s", name,
				     archive_error_string(a));
	return 0;
}

static bool is_json_name(const char *p)
{
	size_t n = strlen(p);

	return n > 5 && !strcmp(p + n - 5, ".json");
}

/* Every .json entry of a zip (OSV dumps), one document each. */
static int import_zip(struct upd *u, struct archive *a, const char *url)
{
	struct archive_entry *e;
	char name[512];
	const char *p;
	int r, rc = 0;

	while (!rc && (r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		p = archive_entry_pathname(e);
		if (!p || archive_entry_filetype(e) != AE_IFREG ||
		    !is_json_name(p))
			continue;
		snprintf(name, sizeof(name), "%s:%s", u->feed->name, p);
		rc = read_entry(u, a, name);
		if (rc)
			break;
		rc = upd_import_doc(u, url, u->doc.ptr, u->doc.len, name);
		if (rc == CUSTOMS_EFORMAT && !u->fatal) {
			/* nothing written: skipped like a bad record */
			if (u->o->warn)
				u->o->warn(u->o->arg,
					   customs_ctx_errmsg(u->fctx));
			customs_ctx_clear(u->fctx);
			rc = 0;
		}
	}
	if (!rc && r != ARCHIVE_EOF)
		rc = customs_error(u->fctx, CUSTOMS_EFORMAT, "%s: %s",
				   u->feed->name, archive_error_string(a));
	return rc;
}

/* The kind of body by its first bytes. */
enum body_kind { BODY_PLAIN, BODY_ZIP, BODY_COMPRESSED };

static enum body_kind body_kind(const unsigned char *p, size_t n)
{
	if (n >= 4 && p[0] == 'P' && p[1] == 'K' &&
	    ((p[2] == 3 && p[3] == 4) || (p[2] == 5 && p[3] == 6)))
		return BODY_ZIP;
	if ((n >= 2 && p[0] == 0x1f && p[1] == 0x8b) ||
	    (n >= 6 && !memcmp(p,
			       "\xfd"
			       "7zXZ\0",
			       6)) ||
	    (n >= 3 && !memcmp(p, "BZh", 3)) ||
	    (n >= 4 && !memcmp(p, "\x28\xb5\x2f\xfd", 4)))
		return BODY_COMPRESSED;
	return BODY_PLAIN;
}

/* Import a downloaded body: plain, compressed or a zip of documents. */
static int import_body(struct upd *u, const char *url, const char *data,
		       size_t len)
{
	enum body_kind k = body_kind((const unsigned char *)data, len);
	struct archive *a;
	struct archive_entry *e;
	int rc;

	if (k == BODY_PLAIN)
		return upd_import_doc(u, url, data, len, url);
	a = archive_read_new();
	if (!a)
		return CUSTOMS_ENOMEM;
	archive_read_support_filter_all(a);
	if (k == BODY_ZIP)
		archive_read_support_format_zip(a);
	else
		archive_read_support_format_raw(a);
	if (archive_read_open_memory(a, data, len) != ARCHIVE_OK) {
		rc = customs_error(u->fctx, CUSTOMS_EFORMAT, "%s: %s", url,
				   archive_error_string(a));
	} else if (k == BODY_ZIP) {
		rc = import_zip(u, a, url);
	} else if (archive_read_next_header(a, &e) != ARCHIVE_OK) {
		rc = customs_error(u->fctx, CUSTOMS_EFORMAT, "%s: %s", url,
				   archive_error_string(a));
	} else {
		rc = read_entry(u, a, url);
		if (!rc)
			rc = upd_import_doc(u, url, u->doc.ptr, u->doc.len,
					    url);
	}
	archive_read_free(a);
	return rc;
}

/* GET url with its stored validators. */
int upd_fetch_cond(struct upd *u, struct upd_fetch *f, bool conditional)
{
	char *etag = NULL, *lm = NULL;
	int rc = 0;

	f->feed = u->feed->name;
	if (conditional) {
		rc = customs_vulndb_writer_validators(u->w, f->url, &etag, &lm,
						      u->fctx);
		if (rc == CUSTOMS_ENOTFOUND) {
			customs_ctx_clear(u->fctx);
			rc = 0;
		}
	}
	if (!rc) {
		f->etag = etag;
		f->last_modified = lm;
		rc = upd_http_get(u->http, f, u->fctx);
		f->etag = f->last_modified = NULL;
	}
	customs_free(etag);
	customs_free(lm);
	return rc;
}

/*
 * Download url conditionally and import it. A 304 imports nothing; a 404
 * is skipped (with a warning) when missing_ok, else an error.
 */
static int get_and_import(struct upd *u, const char *url, bool missing_ok)
{
	struct upd_fetch f = { .url = url };
	int rc = upd_fetch_cond(u, &f, true);

	if (rc)
		goto out;
	if (f.status == 404) {
		if (!missing_ok)
			rc = customs_error(u->fctx, CUSTOMS_ENOTFOUND,
					   "%s: HTTP status 404", url);
		goto out;
	}
	if (f.status == 304)
		goto out;
	u->bytes += f.body.len;
	rc = import_body(u, url, f.body.ptr, f.body.len);
	if (!rc)
		rc = customs_vulndb_writer_set_validators(
			u->w, url, f.etag_out, f.last_modified_out, u->fctx);
	if (!rc)
		u->fetched++;
out:
	upd_fetch_release(&f);
	return rc;
}

static int feed_plain(struct upd *u)
{
	char *url = NULL;
	int rc = upd_join(&url, u->base, u->feed->path);

	if (!rc)
		rc = get_and_import(u, url, false);
	customs_free(url);
	return rc;
}

/* One secdb branch: main and community (community is missing before
 * v3.3, and a branch may have only one of them). */
static int alpine_branch(struct upd *u, const char *branch)
{
	static const char *const repos[] = { "main", "community" };
	char path[64], *url = NULL;
	size_t i;
	int rc = 0;

	for (i = 0; !rc && i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s.json", branch, repos[i]);
		rc = upd_join(&url, u->base, path);
		if (!rc)
			rc = get_and_import(u, url, true);
		customs_free(url);
		url = NULL;
	}
	return rc;
}

static int feed_alpine(struct upd *u)
{
	struct customs_strlist br = { 0 };
	struct upd_fetch f = { 0 };
	char *url = NULL;
	size_t i;
	int rc = upd_join(&url, u->base, "/");

	/* the index is a directory listing: ask for it as one */
	f.url = url;
	if (!rc)
		rc = upd_fetch_cond(u, &f, false);
	if (!rc && f.status != 200)
		rc = customs_error(u->fctx, CUSTOMS_ENOTFOUND,
				   "%s: HTTP status %ld", url, f.status);
	if (!rc)
		rc = upd_alpine_branches(&br, f.body.ptr, f.body.len, u->fctx);
	upd_fetch_release(&f);
	for (i = 0; !rc && i < br.n; i++)
		rc = alpine_branch(u, br.v[i]);
	customs_strlist_release(&br);
	customs_free(url);
	return rc;
}

/* ---- the run ---------------------------------------------------------- */

static int run_one(struct upd *u)
{
	int rc = upd_base_url(&u->base, u->feed->group, u->o->mirror, &u->cfg,
			      u->fctx);

	if (rc)
		return rc;
	if (!strcmp(u->feed->group, "alpine"))
		return feed_alpine(u);
	if (u->feed->format == CUSTOMS_FEED_NVD)
		return upd_feed_nvd(u);
	return feed_plain(u);
}

/* One feed; a failure is recorded in the report. Returns non-zero only
 * when the whole update must stop. */
static int run_feed(struct upd *u, const struct customs_vulndb_feed *feed)
{
	const char *msg;
	int rc;

	u->feed = feed;
	u->records = u->bytes = 0;
	u->fetched = 0;
	customs_ctx_clear(u->fctx);
	progress(u, CUSTOMS_UPDATE_FEED_START, CUSTOMS_UPDATE_IMPORTED, NULL);
	rc = run_one(u);
	customs_free(u->base);
	u->base = NULL;
	if (!rc) {
		progress(u, CUSTOMS_UPDATE_FEED_DONE,
			 u->fetched ? CUSTOMS_UPDATE_IMPORTED
				    : CUSTOMS_UPDATE_UNCHANGED,
			 NULL);
		return customs_strlist_add(u->fetched ? &u->rep->updated
						      : &u->rep->unchanged,
					   feed->name)
			       ? CUSTOMS_ENOMEM
			       : 0;
	}
	msg = customs_ctx_errmsg(u->fctx);
	if (!msg[0])
		msg = customs_strerror(rc);
	progress(u, CUSTOMS_UPDATE_FEED_DONE, CUSTOMS_UPDATE_FAILED, msg);
	if (customs_kvlist_add(&u->rep->failed, feed->name, msg))
		return CUSTOMS_ENOMEM;
	if (u->fatal || rc == CUSTOMS_ENOMEM || rc == CUSTOMS_EINVAL ||
	    upd_cancelled(u->o))
		return rc;
	return 0;
}

/* Every selected feed's base URL resolves: a bad one in the environment
 * or the config is a usage error before anything is downloaded. */
static int check_urls(struct upd *u, const bool *sel, struct customs_ctx *ctx)
{
	size_t i, n;
	const struct customs_vulndb_feed *all = customs_vulndb_feeds(&n);
	char *url = NULL;
	int rc = 0;

	for (i = 0; !rc && i < n; i++) {
		if (!sel[i])
			continue;
		rc = upd_base_url(&url, all[i].group, u->o->mirror, &u->cfg,
				  ctx);
		customs_free(url);
		url = NULL;
	}
	return rc;
}

static int setup(struct upd *u, bool *sel, struct customs_ctx *ctx)
{
	const struct customs_vulndb_update_opts *o = u->o;
	const char *list;
	char *path = NULL;
	int rc;

	if (o->version != 1)
		return customs_error(ctx, CUSTOMS_EINVAL,
				     "update options version %d unknown",
				     o->version);
	if (o->mirror && !upd_url_ok(o->mirror))
		return customs_error(ctx, CUSTOMS_EINVAL,
				     "--mirror: '%s' is not an http(s) URL",
				     o->mirror);
	if (o->config_path) {
		rc = upd_config_load(&u->cfg, o->config_path, ctx);
		if (rc)
			return rc;
	}
	list = o->feeds ? o->feeds : u->cfg.feeds ? u->cfg.feeds : "default";
	rc = upd_select(sel, list, ctx);
	if (!rc)
		rc = check_urls(u, sel, ctx);
	if (rc)
		return rc;
	if (customs_ctx_new(&u->fctx))
		return CUSTOMS_ENOMEM;
	cbuf_init(&u->doc,
		  (size_t)(o->max_document ? o->max_document : 2ULL << 30));
	if (!o->db_path) {
		rc = customs_vulndb_default_path(&path);
		if (rc)
			return customs_error(ctx, rc,
					     "no database path: set --db, "
					     "CUSTOMS_DB or HOME");
	}
	rc = customs_vulndb_writer_new(&u->w, o->db_path ? o->db_path : path,
				       false, ctx);
	customs_free(path);
	if (!rc)
		rc = upd_http_new(&u->http, o, ctx);
	return rc;
}

/* ctx's message for the failed feeds: the first with its reason. */
static int failed_error(const struct customs_vulndb_update_report *r,
			bool strict, struct customs_ctx *ctx)
{
	struct cbuf b = CBUF_INIT(512);
	size_t i;
	int rc;

	for (i = 1; i < r->failed.n; i++) {
		cbuf_puts(&b, i == 1 ? "; also failed: " : ", ");
		cbuf_puts(&b, r->failed.keys[i]);
	}
	rc = customs_error(ctx, CUSTOMS_EIO, "feed '%s' failed: %s%s%s",
			   r->failed.keys[0], r->failed.values[0],
			   cbuf_error(&b) ? "" : b.ptr,
			   strict ? "; nothing committed (--strict)" : "");
	cbuf_release(&b);
	return rc;
}

int customs_vulndb_update(const struct customs_vulndb_update_opts *opts,
			  struct customs_vulndb_update_report *report,
			  struct customs_ctx *ctx)
{
	size_t i, n;
	const struct customs_vulndb_feed *all = customs_vulndb_feeds(&n);
	struct upd u = { .o = opts, .rep = report };
	bool sel[64] = { false };
	const struct customs_curl *cu;
	int rc;

	memset(report, 0, sizeof(*report));
	if (n > sizeof(sel) / sizeof(sel[0]))
		return customs_error(ctx, CUSTOMS_EINTERNAL, "feed table");
	rc = customs_curl_load("db update", ctx);
	if (rc)
		return rc;
	cu = customs_curl_get();
	if (cu->global_init(CURL_GLOBAL_DEFAULT))
		return customs_error(ctx, CUSTOMS_EIO, "cannot start libcurl");
	rc = setup(&u, sel, ctx);
	for (i = 0; !rc && i < n; i++) {
		if (upd_cancelled(opts))
			rc = customs_error(ctx, CUSTOMS_EIO, "interrupted");
		else if (sel[i])
			rc = run_feed(&u, &all[i]);
	}
	if (rc && u.fctx && customs_ctx_errmsg(u.fctx)[0])
		customs_error_copy(ctx, u.fctx);
	if (!rc && report->failed.n && opts->strict)
		rc = failed_error(report, true, ctx);
	if (!rc && report->updated.n) {
		rc = customs_vulndb_writer_commit(u.w, ctx);
		u.w = NULL;
		report->committed = !rc;
	}
	if (!rc && report->failed.n)
		failed_error(report, false, ctx);
	customs_vulndb_writer_free(u.w);
	upd_http_free(u.http);
	customs_ctx_free(u.fctx);
	cbuf_release(&u.doc);
	upd_config_release(&u.cfg);
	cu->global_cleanup();
	return rc;
}

void customs_vulndb_update_report_release(
	struct customs_vulndb_update_report *r)
{
	customs_strlist_release(&r->updated);
	customs_strlist_release(&r->unchanged);
	customs_kvlist_release(&r->failed);
}
