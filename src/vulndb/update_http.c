/*
 * The HTTP client of `customs db update`: one libcurl easy handle reused
 * for every download (so connections are kept), bodies collected in memory
 * up to max_download bytes, conditional GET with the validators the caller
 * passes, and bounded retries with exponential backoff.
 *
 * What is retried: network failures (connect, resolve, timeouts, a body
 * cut short), 408, 429 and every 5xx; a Retry-After header (seconds or an
 * HTTP date) replaces the backoff delay, capped at 60 s. Everything else
 * (4xx, a body over the limit) fails at once. TLS is verified (libcurl's
 * default, never turned off), proxies come from the environment as libcurl
 * reads them (http_proxy, https_proxy, no_proxy) plus upper-case
 * HTTP_PROXY for http:// mirrors (util/proxyenv.h), only http and https
 * are allowed, also for redirects.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>
#include <time.h>

#include "util/alloc.h"
#include "util/dyncurl.h"
#include "util/error.h"
#include "util/proxyenv.h"
#include "vulndb/update_int.h"
#include "util/banned.h"

#define MAX_RETRY_AFTER_S 60
#define MAX_BACKOFF_MS 30000u
#define PROGRESS_EVERY_MS 200

struct upd_http {
	const struct customs_curl *cu; /* loaded by upd_http_new() */
	CURL *curl;
	const struct customs_vulndb_update_opts *o;
	struct upd_fetch *f; /* the fetch in flight */
	char err[CURL_ERROR_SIZE];
	long retry_after_s; /* from the last answer, -1 none */
	uint64_t last_report_ms, last_bytes;
	bool over_limit;
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

bool upd_sleep_ms(unsigned ms, const volatile sig_atomic_t *cancel)
{
	struct timespec ts;
	unsigned step;

	while (ms > 0 && !(cancel && *cancel)) {
		step = ms < 100 ? ms : 100;
		ts.tv_sec = 0;
		ts.tv_nsec = (long)step * 1000000L;
		while (nanosleep(&ts, &ts) == -1 && errno == EINTR &&
		       !(cancel && *cancel))
			;
		ms -= step;
	}
	return !(cancel && *cancel);
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *arg)
{
	struct upd_http *h = arg;
	size_t n = size * nmemb;

	if (cbuf_put(&h->f->body, data, n)) {
		h->over_limit = cbuf_error(&h->f->body) == CUSTOMS_ELIMIT;
		return 0; /* abort the transfer */
	}
	return n;
}

/* A copy of a header's value without the line end, or NULL. */
static char *header_value(const char *line, size_t n, const char *name)
{
	size_t k = strlen(name);

	if (n <= k || strncasecmp(line, name, k) || line[k] != ':')
		return NULL;
	line += k + 1, n -= k + 1;
	while (n && (*line == ' ' || *line == '\t'))
		line++, n--;
	while (n && (line[n - 1] == '\r' || line[n - 1] == '\n' ||
		     line[n - 1] == ' '))
		n--;
	return n ? customs_strndup(line, n) : NULL;
}

/* Retry-After: seconds or an HTTP date; -1 when absent or unusable. */
static long parse_retry_after(const struct customs_curl *cu, const char *v)
{
	char *end = NULL;
	long s;
	time_t t;

	errno = 0;
	s = strtol(v, &end, 10);
	if (!errno && end != v && !*end && s >= 0)
		return s > MAX_RETRY_AFTER_S ? MAX_RETRY_AFTER_S : s;
	t = cu->getdate(v, NULL);
	if (t < 0)
		return -1;
	s = (long)(t - time(NULL));
	if (s < 0)
		s = 0;
	return s > MAX_RETRY_AFTER_S ? MAX_RETRY_AFTER_S : s;
}

static size_t on_header(char *line, size_t size, size_t nmemb, void *arg)
{
	struct upd_http *h = arg;
	size_t n = size * nmemb;
	char *v;

	if (n >= 5 && !strncmp(line, "HTTP/", 5)) {
		/* a new answer (after a redirect): forget the old one's */
		customs_free(h->f->etag_out);
		customs_free(h->f->last_modified_out);
		h->f->etag_out = h->f->last_modified_out = NULL;
		h->retry_after_s = -1;
		return n;
	}
	if ((v = header_value(line, n, "etag"))) {
		customs_free(h->f->etag_out);
		h->f->etag_out = v;
	} else if ((v = header_value(line, n, "last-modified"))) {
		customs_free(h->f->last_modified_out);
		h->f->last_modified_out = v;
	} else if ((v = header_value(line, n, "retry-after"))) {
		h->retry_after_s = parse_retry_after(h->cu, v);
		customs_free(v);
	}
	return n;
}

static void report(struct upd_http *h, enum customs_update_event ev,
		   uint64_t bytes, uint64_t total, const char *msg)
{
	struct customs_vulndb_progress p = { 0 };

	if (!h->o->progress)
		return;
	p.event = ev;
	p.feed = h->f->feed;
	p.url = h->f->url;
	p.bytes = bytes;
	p.total = total;
	p.message = msg;
	h->o->progress(h->o->arg, &p);
}

static int on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow,
		       curl_off_t ultotal, curl_off_t ulnow)
{
	struct upd_http *h = arg;
	uint64_t t = now_ms();

	(void)ultotal, (void)ulnow;
	if (upd_cancelled(h->o))
		return 1; /* abort the transfer */
	if (dlnow <= 0 ||
	    (t - h->last_report_ms < PROGRESS_EVERY_MS && dlnow != dltotal))
		return 0;
	h->last_report_ms = t;
	report(h, CUSTOMS_UPDATE_BYTES, (uint64_t)dlnow,
	       dltotal > 0 ? (uint64_t)dltotal : 0, NULL);
	return 0;
}

int upd_http_new(struct upd_http **out,
		 const struct customs_vulndb_update_opts *o,
		 struct customs_ctx *ctx)
{
	const struct customs_curl *cu;
	struct upd_http *h;
	CURL *c;
	int rc;

	*out = NULL;
	rc = customs_curl_load("db update", ctx);
	if (rc)
		return rc;
	cu = customs_curl_get();
	h = customs_calloc(1, sizeof(*h));
	if (!h)
		return CUSTOMS_ENOMEM;
	h->o = o;
	h->cu = cu;
	h->curl = c = cu->easy_init();
	if (!c) {
		customs_free(h);
		return customs_error(ctx, CUSTOMS_EIO, "cannot start libcurl");
	}
	cu->easy_setopt(c, CURLOPT_ERRORBUFFER, h->err);
	cu->easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	cu->easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	cu->easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	cu->easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	cu->easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	cu->easy_setopt(c, CURLOPT_USERAGENT, "customs/" CUSTOMS_VERSION);
	cu->easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	cu->easy_setopt(
		c, CURLOPT_CONNECTTIMEOUT,
		(long)(o->connect_timeout_s ? o->connect_timeout_s : 30));
	cu->easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	cu->easy_setopt(c, CURLOPT_LOW_SPEED_TIME,
			(long)(o->stall_timeout_s ? o->stall_timeout_s : 60));
	cu->easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	cu->easy_setopt(c, CURLOPT_WRITEDATA, h);
	cu->easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	cu->easy_setopt(c, CURLOPT_HEADERDATA, h);
	cu->easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
	cu->easy_setopt(c, CURLOPT_XFERINFODATA, h);
	cu->easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	*out = h;
	return 0;
}

void upd_http_free(struct upd_http *h)
{
	if (!h)
		return;
	h->cu->easy_cleanup(h->curl);
	customs_free(h);
}

void upd_fetch_release(struct upd_fetch *f)
{
	cbuf_release(&f->body);
	customs_free(f->etag_out);
	customs_free(f->last_modified_out);
	f->etag_out = f->last_modified_out = NULL;
}

/* Request headers: the validators and the extra one. */
static int make_headers(const struct customs_curl *cu, struct curl_slist **out,
			const struct upd_fetch *f)
{
	struct cbuf b = CBUF_INIT(UPD_MAX_URL);
	struct curl_slist *l = NULL, *n;
	const char *v[3] = { f->etag, f->last_modified, f->header };
	const char *name[3] = { "If-None-Match: ", "If-Modified-Since: ", "" };
	int i;

	for (i = 0; i < 3; i++) {
		if (!v[i] || strpbrk(v[i], "\r\n"))
			continue;
		cbuf_reset(&b);
		cbuf_puts(&b, name[i]);
		cbuf_puts(&b, v[i]);
		n = cbuf_error(&b) ? NULL : cu->slist_append(l, b.ptr);
		if (!n) {
			cbuf_release(&b);
			cu->slist_free_all(l);
			return CUSTOMS_ENOMEM;
		}
		l = n;
	}
	cbuf_release(&b);
	*out = l;
	return 0;
}

static bool retryable_curl(CURLcode cc)
{
	switch (cc) {
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_PARTIAL_FILE:
	case CURLE_GOT_NOTHING:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_BAD_CONTENT_ENCODING:
	case CURLE_SSL_CONNECT_ERROR:
		return true;
	default:
		return false;
	}
}

static bool retryable_status(long st)
{
	return st == 408 || st == 429 || (st >= 500 && st <= 599);
}

/*
 * One attempt. Returns 0 (answer in f->status), 1 (retryable failure,
 * described in why) or an error code.
 */
static int attempt(struct upd_http *h, struct upd_fetch *f, char *why,
		   size_t why_len, struct customs_ctx *ctx)
{
	uint64_t max = h->o->max_download ? h->o->max_download : 2ULL << 30;
	CURLcode cc;

	upd_fetch_release(f);
	cbuf_init(&f->body, (size_t)max);
	h->err[0] = '\0';
	h->over_limit = false;
	h->retry_after_s = -1;
	h->last_report_ms = h->last_bytes = 0;
	f->status = 0;
	cc = h->cu->easy_perform(h->curl);
	if (h->over_limit)
		return customs_error(ctx, CUSTOMS_ELIMIT,
				     "%s: larger than %llu bytes", f->url,
				     (unsigned long long)max);
	if (cc == CURLE_WRITE_ERROR)
		return CUSTOMS_ENOMEM;
	if (upd_cancelled(h->o))
		return customs_error(ctx, CUSTOMS_EIO, "%s: interrupted",
				     f->url);
	if (cc != CURLE_OK) {
		snprintf(why, why_len, "%s",
			 h->err[0] ? h->err : h->cu->easy_strerror(cc));
		return retryable_curl(cc)
			       ? 1
			       : customs_error(ctx, CUSTOMS_EIO, "%s: %s",
					       f->url, why);
	}
	h->cu->easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &f->status);
	if (f->status == 200 || f->status == 404 ||
	    (f->status == 304 && (f->etag || f->last_modified)))
		return 0;
	snprintf(why, why_len, "HTTP status %ld", f->status);
	if (retryable_status(f->status))
		return 1;
	return customs_error(ctx, CUSTOMS_EIO, "%s: %s", f->url, why);
}

/* The delay before retry number n (1-based). */
static unsigned backoff_ms(const struct upd_http *h, unsigned n)
{
	unsigned base = h->o->retry_delay_ms ? h->o->retry_delay_ms : 1000;
	unsigned long long d = (unsigned long long)base
			       << (n - 1 < 16 ? n - 1 : 16);

	if (h->retry_after_s >= 0)
		return (unsigned)h->retry_after_s * 1000u;
	return d > MAX_BACKOFF_MS ? MAX_BACKOFF_MS : (unsigned)d;
}

int upd_http_get(struct upd_http *h, struct upd_fetch *f,
		 struct customs_ctx *ctx)
{
	unsigned tries = h->o->attempts ? h->o->attempts - 1 : 4, n;
	struct curl_slist *hdr = NULL;
	char why[CURL_ERROR_SIZE + 64] = "", msg[sizeof(why) + 64];
	int rc;

	if (!upd_url_ok(f->url))
		return customs_error(ctx, CUSTOMS_EINVAL,
				     "'%s' is not an http(s) URL", f->url);
	rc = make_headers(h->cu, &hdr, f);
	if (rc)
		return rc;
	h->f = f;
	h->cu->easy_setopt(h->curl, CURLOPT_URL, f->url);
	/* NULL: back to the environment's proxy (the handle is reused) */
	h->cu->easy_setopt(h->curl, CURLOPT_PROXY,
			   customs_upper_http_proxy(f->url));
	h->cu->easy_setopt(h->curl, CURLOPT_HTTPHEADER, hdr);
	for (n = 0;; n++) {
		rc = attempt(h, f, why, sizeof(why), ctx);
		if (rc <= 0 || n >= tries)
			break;
		snprintf(msg, sizeof(msg), "%s; retry %u of %u", why, n + 1,
			 tries);
		report(h, CUSTOMS_UPDATE_RETRY, 0, 0, msg);
		if (!upd_sleep_ms(backoff_ms(h, n + 1), h->o->cancel)) {
			rc = customs_error(ctx, CUSTOMS_EIO, "%s: interrupted",
					   f->url);
			break;
		}
	}
	if (rc == 1)
		rc = customs_error(ctx, CUSTOMS_EIO, "%s: %s (after %u tries)",
				   f->url, why, n + 1);
	h->cu->easy_setopt(h->curl, CURLOPT_HTTPHEADER, NULL);
	h->cu->slist_free_all(hdr);
	h->f = NULL;
	return rc;
}
