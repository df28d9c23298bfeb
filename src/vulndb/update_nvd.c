/*
 * The NVD feed of `customs db update`: the CVE API 2.0 has no file to
 * fetch conditionally, the API itself is the incremental mechanism. The
 * first run pages through every CVE; later runs ask for the CVEs modified
 * since the last successful run, in windows of at most 120 days (the
 * API's limit), each paged by startIndex in steps of 2000. The time of the
 * last successful run is kept as the Last-Modified validator of the base
 * URL, so it moves only when every page of every window was imported.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/alloc.h"
#include "util/error.h"
#include "vulndb/update_int.h"
#include "util/banned.h"

#define NVD_PAGE 2000
#define NVD_WINDOW_S (120L * 86400L)
#define NVD_MAX_PAGES 10000

/* "YYYY-MM-DDTHH:MM:SSZ" of t. */
static void iso_time(char *out, size_t cap, time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static bool parse_iso(const char *s, time_t *t)
{
	struct tm tm = { 0 };
	const char *e = s ? strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm) : NULL;

	if (!e || *e)
		return false;
	*t = timegm(&tm);
	return *t > 0;
}

/* The API's date parameter: "2024-01-31T10:00:00.000+00:00", escaped. */
static void nvd_date(char *out, size_t cap, time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, cap, "%Y-%m-%dT%H:%M:%S.000%%2B00:00", &tm);
}

struct nvd_walk {
	const char *header; /* "apiKey: ..." or NULL */
	unsigned delay_ms; /* between requests */
	unsigned pages;
};

/* Every page of one window (from == 0: no window, the whole database). */
static int nvd_window(struct upd *u, struct nvd_walk *nw, time_t from,
		      time_t to)
{
	char a[64], b[64], url[UPD_MAX_URL + 256], name[64];
	uint64_t start = 0, total = 1;
	struct upd_fetch f = { 0 };
	int rc = 0;

	nvd_date(a, sizeof(a), from);
	nvd_date(b, sizeof(b), to);
	while (!rc && start < total) {
		if (++nw->pages > NVD_MAX_PAGES)
			return customs_error(u->fctx, CUSTOMS_ELIMIT,
					     "nvd: more than %d pages",
					     NVD_MAX_PAGES);
		if (nw->pages > 1 && nw->delay_ms &&
		    !upd_sleep_ms(nw->delay_ms, u->o->cancel))
			return customs_error(u->fctx, CUSTOMS_EIO,
					     "nvd: interrupted");
		snprintf(url, sizeof(url),
			 "%s?resultsPerPage=%d&startIndex=%llu%s%s%s%s",
			 u->base, NVD_PAGE, (unsigned long long)start,
			 from ? "&lastModStartDate=" : "", from ? a : "",
			 from ? "&lastModEndDate=" : "", from ? b : "");
		snprintf(name, sizeof(name), "nvd page %llu",
			 (unsigned long long)start);
		f.url = url;
		f.header = nw->header;
		rc = upd_fetch_cond(u, &f, false);
		if (!rc && f.status != 200)
			rc = customs_error(u->fctx, CUSTOMS_EIO,
					   "%s: HTTP status %ld", url,
					   f.status);
		if (!rc)
			rc = upd_nvd_total(&total, f.body.ptr, f.body.len,
					   u->fctx);
		if (!rc) {
			u->bytes += f.body.len;
			rc = upd_import_doc(u, url, f.body.ptr, f.body.len,
					    name);
		}
		upd_fetch_release(&f);
		start += NVD_PAGE;
	}
	if (!rc)
		u->fetched++;
	return rc;
}

/*
 * NVD: the first run pages through everything; later runs ask for what
 * was modified since the last successful run, in windows of at most 120
 * days (the API's limit). The time of the last run is kept as the
 * Last-Modified validator of the base URL, so it moves only on success.
 */
int upd_feed_nvd(struct upd *u)
{
	char *etag = NULL, *lm = NULL, hdr[256], now_s[32];
	const char *key = getenv("NVD_API_KEY");
	struct nvd_walk nw = { 0 };
	time_t now = time(NULL), from = 0, to;
	int rc;

	rc = customs_vulndb_writer_validators(u->w, u->base, &etag, &lm,
					      u->fctx);
	if (rc == CUSTOMS_ENOTFOUND) {
		customs_ctx_clear(u->fctx);
		rc = 0;
	}
	if (rc)
		return rc;
	if (key && *key && strlen(key) < 200 && !strpbrk(key, "\r\n")) {
		snprintf(hdr, sizeof(hdr), "apiKey: %s", key);
		nw.header = hdr;
	}
	/* the public API allows 5 requests per 30 s, 50 with a key */
	if (!strcmp(u->base, customs_vulndb_feed_base("nvd")))
		nw.delay_ms = nw.header ? 600 : 6000;
	if (!parse_iso(lm, &from) || from > now)
		from = 0;
	if (!from)
		rc = nvd_window(u, &nw, 0, now);
	/*
	 * At least one window, even when the last run was in this very
	 * second: a change made since then must not wait for the next run.
	 */
	while (!rc && from) {
		to = from + NVD_WINDOW_S < now ? from + NVD_WINDOW_S : now;
		rc = nvd_window(u, &nw, from, to);
		if (to >= now)
			break;
		from = to;
	}
	iso_time(now_s, sizeof(now_s), now);
	if (!rc)
		rc = customs_vulndb_writer_set_validators(u->w, u->base, NULL,
							  now_s, u->fctx);
	customs_free(etag);
	customs_free(lm);
	return rc;
}
