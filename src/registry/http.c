/*
 * One HTTP exchange over libcurl (see http.h). TLS is verified unless
 * the caller says the registry is insecure; proxies come from the usual
 * environment variables, which libcurl reads itself, except upper-case
 * HTTP_PROXY: libcurl ignores it (a CGI guard), Docker and Go take it
 * outside CGI, so here it is set as CURLOPT_PROXY for an http:// URL
 * when http_proxy is unset (no_proxy/NO_PROXY still apply). Redirects
 * are followed (blob storage often lives elsewhere); libcurl does not
 * send our Authorization header to another host or port (there is no
 * CURLOPT_UNRESTRICTED_AUTH). A body is kept only for a 2xx answer; a
 * 200 answering a Range request restarts the sink from byte 0, or, for
 * a file being read while it grows (append_only), skips the bytes the
 * sink already has: a resumed download is the exact bytes of the blob.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <jansson.h>

#include "registry/http.h"
#include "util/alloc.h"
#include "util/jsonalloc.h"
#include "util/proxyenv.h"
#include "util/banned.h"

#define ERROR_BODY_MAX 4096
#define USER_AGENT "customs/" CUSTOMS_VERSION

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void init_once(void)
{
	customs_curl_get()->global_init(CURL_GLOBAL_DEFAULT);
}

int http_global_init(struct customs_ctx *ctx)
{
	int rc = customs_curl_load("registry", ctx);

	if (!rc)
		pthread_once(&once, init_once);
	return rc;
}

struct xfer {
	const struct customs_curl *cu;
	CURL *easy;
	const struct http_req *req;
	struct http_sink *sink;
	struct http_resp *resp;
	struct cbuf errbody;
	bool decided; /* the status of the final response was seen */
	bool keep; /* 2xx: the body goes to the sink */
};

static int sink_reset(struct http_sink *s)
{
	s->written = 0;
	if (s->sha)
		customs_sha256_reset(s->sha);
	if (s->mem) {
		cbuf_reset(s->mem);
		return 0;
	}
	if (ftruncate(s->fd, 0) || lseek(s->fd, 0, SEEK_SET) < 0)
		return -1;
	return 0;
}

static void decide(struct xfer *x)
{
	long status = 0;

	x->cu->easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
	x->decided = true;
	x->keep = status >= 200 && status < 300;
	x->sink->skip = 0;
	/* A server ignoring Range sends the whole blob again: a file with a
	 * reader must not shrink under it, so the known bytes are skipped. */
	if (!x->keep || status != 200 || !x->req->range || !x->sink->written)
		return;
	if (x->sink->append_only)
		x->sink->skip = x->sink->written;
	else if (sink_reset(x->sink))
		x->sink->io_error = true;
}

static bool write_fd(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n) {
		w = write(fd, p, n);
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

static size_t on_body(char *p, size_t size, size_t nmemb, void *data)
{
	struct xfer *x = data;
	struct http_sink *s = x->sink;
	size_t n = size * nmemb, all = n, k;

	if (!x->decided)
		decide(x);
	if (!x->keep) {
		cbuf_put(&x->errbody, p, n); /* a capped prefix is enough */
		return n;
	}
	if (s->io_error)
		return 0;
	if (s->skip) {
		k = n < s->skip ? n : (size_t)s->skip;
		s->skip -= k;
		p += k;
		n -= k;
		if (!n)
			return all;
	}
	if (n > s->max || s->written > s->max - n) {
		s->too_big = true;
		return 0; /* aborts the transfer */
	}
	if (s->mem ? cbuf_put(s->mem, p, n) != 0 : !write_fd(s->fd, p, n)) {
		s->io_error = true;
		return 0;
	}
	if (s->sha)
		customs_sha256_update(s->sha, p, n);
	s->written += n;
	if (s->on_write)
		s->on_write(s->arg, s->written);
	return all;
}

static int set_str(char **slot, const char *v, size_t n)
{
	char *d = customs_strndup(v, n);

	if (!d)
		return -1;
	customs_free(*slot);
	*slot = d;
	return 0;
}

/* Progress callback: a non-zero return aborts the transfer. */
static int on_progress(void *data, curl_off_t a, curl_off_t b, curl_off_t c,
		       curl_off_t d)
{
	const struct http_req *req = data;

	(void)a, (void)b, (void)c, (void)d;
	return atomic_load(req->cancel) != 0;
}

static size_t on_header(char *p, size_t size, size_t nmemb, void *data)
{
	struct xfer *x = data;
	struct http_resp *r = x->resp;
	size_t n = size * nmemb, k;
	struct cslice v;
	int rc = 0;

	if (n >= 5 && !strncmp(p, "HTTP/", 5)) {
		x->decided = false; /* a new response (redirect, 100) */
		return n;
	}
	k = strcspn(p, ":");
	if (k >= n)
		return n;
	v = cslice_trim(cslice_make(p + k + 1, n - k - 1));
	if (k == 12 && !strncasecmp(p, "Content-Type", k))
		rc = set_str(&r->content_type, v.p, v.n);
	else if (k == 21 && !strncasecmp(p, "Docker-Content-Digest", k))
		rc = set_str(&r->digest, v.p, v.n);
	else if (k == 16 && !strncasecmp(p, "WWW-Authenticate", k))
		rc = set_str(&r->www_auth, v.p, v.n);
	else if (k == 11 && !strncasecmp(p, "Retry-After", k))
		r->retry_after = v.n && v.n < 8 ? strtol(v.p, NULL, 10) : -1;
	return rc ? 0 : n;
}

static struct curl_slist *headers(const struct customs_curl *cu,
				  const struct http_req *req,
				  const struct http_sink *sink, bool *nomem)
{
	struct curl_slist *h = NULL, *t;
	struct cbuf b = CBUF_INIT(16384);

	*nomem = false;
	if (req->accept)
		cbuf_printf(&b, "Accept: %s\n", req->accept);
	if (req->auth)
		cbuf_printf(&b, "Authorization: %s\n", req->auth);
	if (req->form)
		cbuf_puts(&b, "Content-Type: "
			      "application/x-www-form-urlencoded\n");
	if (req->range && sink->written)
		cbuf_printf(&b, "Range: bytes=%llu-\n",
			    (unsigned long long)sink->written);
	for (char *line = b.ptr, *nl;
	     !cbuf_error(&b) && (nl = strchr(line, '\n')); line = nl + 1) {
		*nl = '\0';
		t = cu->slist_append(h, line);
		if (!t) {
			*nomem = true;
			break;
		}
		h = t;
	}
	if (cbuf_error(&b))
		*nomem = true;
	explicit_bzero(b.ptr, b.len);
	cbuf_release(&b);
	return h;
}

static void setup(CURL *e, const struct http_req *req, struct xfer *x,
		  struct curl_slist *h)
{
	const struct customs_curl *cu = x->cu;
	const char *proxy;

	cu->easy_reset(e);
	cu->easy_setopt(e, CURLOPT_URL, req->url);
	cu->easy_setopt(e, CURLOPT_NOBODY, req->head ? 1L : 0L);
	if (req->form) {
		cu->easy_setopt(e, CURLOPT_POSTFIELDS, req->form);
		cu->easy_setopt(e, CURLOPT_POSTFIELDSIZE,
				(long)strlen(req->form));
	}
	cu->easy_setopt(e, CURLOPT_HTTPHEADER, h);
	cu->easy_setopt(e, CURLOPT_USERAGENT, USER_AGENT);
	cu->easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	cu->easy_setopt(e, CURLOPT_MAXREDIRS, 5L);
	cu->easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	cu->easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	cu->easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	cu->easy_setopt(e, CURLOPT_CONNECTTIMEOUT, 30L);
	/* a stalled transfer: under 1 KiB/s for 60 s */
	cu->easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1024L);
	cu->easy_setopt(e, CURLOPT_LOW_SPEED_TIME, 60L);
	cu->easy_setopt(e, CURLOPT_ACCEPT_ENCODING, NULL);
	cu->easy_setopt(e, CURLOPT_ERRORBUFFER, x->resp->err);
	cu->easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	cu->easy_setopt(e, CURLOPT_WRITEDATA, x);
	cu->easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	cu->easy_setopt(e, CURLOPT_HEADERDATA, x);
	if (req->ca_file)
		cu->easy_setopt(e, CURLOPT_CAINFO, req->ca_file);
	proxy = customs_upper_http_proxy(req->url);
	if (proxy)
		cu->easy_setopt(e, CURLOPT_PROXY, proxy);
	if (req->cancel) {
		cu->easy_setopt(e, CURLOPT_XFERINFOFUNCTION, on_progress);
		cu->easy_setopt(e, CURLOPT_XFERINFODATA, (void *)req);
		cu->easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
	}
	if (req->insecure) {
		cu->easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
		cu->easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
	}
}

int http_do(CURL *easy, const struct http_req *req, struct http_sink *sink,
	    struct http_resp *resp)
{
	const struct customs_curl *cu = customs_curl_get();
	struct xfer x = { .cu = cu,
			  .easy = easy,
			  .req = req,
			  .sink = sink,
			  .resp = resp,
			  .errbody = CBUF_INIT(ERROR_BODY_MAX) };
	struct curl_slist *h;
	bool nomem;

	http_resp_release(resp);
	h = headers(cu, req, sink, &nomem);
	if (nomem) {
		cu->slist_free_all(h);
		return CUSTOMS_ENOMEM;
	}
	setup(easy, req, &x, h);
	resp->cc = cu->easy_perform(easy);
	cu->easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &resp->status);
	cu->easy_setopt(easy, CURLOPT_HTTPHEADER, NULL);
	cu->slist_free_all(h);
	if (x.errbody.len)
		resp->error_body = cbuf_detach(&x.errbody);
	cbuf_release(&x.errbody);
	return 0;
}

void http_resp_release(struct http_resp *r)
{
	customs_free(r->content_type);
	customs_free(r->digest);
	customs_free(r->www_auth);
	customs_free(r->error_body);
	memset(r, 0, sizeof(*r));
	r->retry_after = -1;
}

bool http_transient(CURLcode cc)
{
	switch (cc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_PARTIAL_FILE:
	case CURLE_GOT_NOTHING:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_COULDNT_RESOLVE_HOST:
		return true;
	default:
		return false;
	}
}

void http_error_code(char *out, size_t n, const char *body)
{
	json_t *root, *code;

	out[0] = '\0';
	if (!body)
		return;
	customs_json_alloc_init();
	root = json_loads(body, 0, NULL);
	code = json_object_get(
		json_array_get(json_object_get(root, "errors"), 0), "code");
	if (json_is_string(code))
		snprintf(out, n, "%s", json_string_value(code));
	json_decref(root);
}
