/*
 * The client of one repository of one registry: picks the scheme (HTTPS,
 * verified; plain HTTP only for loopback registries and ones named
 * insecure, and only when the server does not speak TLS), authenticates
 * (anonymous, Basic, or a Bearer token for "repository:PATH:pull" from
 * the realm of the WWW-Authenticate challenge, with the user's
 * credentials when there are some), and performs requests with bounded
 * retries: transport failures, 5xx and 429 are retried with backoff (a
 * blob download resumes with Range), a 401 renews the token once.
 * Every error message names the registry and says what the user can do.
 * After reg_client_new() the client may be shared by threads: the auth
 * header is read and renewed under a lock, each thread has its own curl
 * handle.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "registry/client_priv.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

#define BACKOFF_MS 200
#define RETRY_AFTER_MAX 60

static int nomem(struct customs_ctx *ctx)
{
	return customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
}

const char *reg_client_label(const struct reg_client *c)
{
	return c->label;
}

static bool named_insecure(const char *host,
			   const struct customs_registry_opts *o)
{
	size_t i;

	for (i = 0; o && i < o->n_insecure; i++) {
		if (o->insecure[i] && !strcmp(o->insecure[i], host))
			return true;
	}
	return false;
}

static int client_init(struct reg_client *c, const struct customs_ref *ref,
		       const struct customs_registry_opts *o,
		       struct customs_ctx *ctx)
{
	struct cbuf b = CBUF_INIT(8192);

	c->ref.domain = customs_strdup(ref->domain);
	c->ref.path = customs_strdup(ref->path);
	c->host = customs_strdup(customs_ref_api_host(ref));
	if (o && o->ca_file)
		c->ca_file = customs_strdup(o->ca_file);
	cbuf_printf(&b, "registry '%s/%s'", ref->domain, ref->path);
	c->label = cbuf_detach(&b);
	if (!c->ref.domain || !c->ref.path || !c->host || !c->label ||
	    (o && o->ca_file && !c->ca_file))
		return nomem(ctx);
	c->insecure = named_insecure(ref->domain, o);
	c->plain_ok = c->insecure || customs_ref_plain_http_ok(ref->domain);
	c->parallel = o && o->parallel > 0 ? o->parallel : 4;
	if (o && !!o->username != !!o->password)
		return customs_error(ctx, CUSTOMS_EINVAL,
				     "%s: a username needs a password "
				     "(--password-stdin) and a password a "
				     "username",
				     c->label);
	if (o && o->username && o->password) {
		c->creds.username = customs_strdup(o->username);
		c->creds.password = customs_strdup(o->password);
		if (!c->creds.username || !c->creds.password)
			return nomem(ctx);
		return 0;
	}
	return reg_creds_lookup(&c->creds, o ? o->config_dir : NULL,
				ref->domain, ctx);
}

int reg_client_new(struct reg_client **out, const struct customs_ref *ref,
		   const struct customs_registry_opts *o,
		   struct customs_ctx *ctx)
{
	struct reg_client *c;
	int rc;

	*out = NULL;
	rc = http_global_init(ctx);
	if (rc)
		return rc;
	c = customs_calloc(1, sizeof(*c));
	if (!c)
		return nomem(ctx);
	pthread_mutex_init(&c->lock, NULL);
	c->easy = customs_curl_get()->easy_init();
	rc = c->easy ? client_init(c, ref, o, ctx) : nomem(ctx);
	if (!rc)
		rc = reg_client_ping(c, ctx);
	if (rc) {
		reg_client_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

void reg_client_free(struct reg_client *c)
{
	if (!c)
		return;
	if (c->easy)
		customs_curl_get()->easy_cleanup(c->easy);
	pthread_mutex_destroy(&c->lock);
	customs_ref_release(&c->ref);
	reg_creds_release(&c->creds);
	if (c->auth)
		explicit_bzero(c->auth, strlen(c->auth));
	customs_free(c->auth);
	customs_free(c->host);
	customs_free(c->ca_file);
	customs_free(c->label);
	customs_free(c->base);
	customs_free(c);
}

void reg_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Copy of the current Authorization value (or NULL) for one request. */
static char *auth_copy(struct reg_client *c, bool *nomem_out)
{
	char *a = NULL;

	pthread_mutex_lock(&c->lock);
	if (c->auth) {
		a = customs_strdup(c->auth);
		*nomem_out = !a;
	}
	pthread_mutex_unlock(&c->lock);
	return a;
}

static void wipe_free(char *s)
{
	if (s)
		explicit_bzero(s, strlen(s));
	customs_free(s);
}

static int transport_error(struct reg_client *c, const struct http_resp *r,
			   const char *what, int attempts,
			   struct customs_ctx *ctx)
{
	const char *why =
		r->err[0] ? r->err : customs_curl_get()->easy_strerror(r->cc);

	if (r->cc == CURLE_PEER_FAILED_VERIFICATION)
		return customs_error(
			ctx, CUSTOMS_EIO,
			"%s: TLS certificate of '%s' not trusted (%s): give "
			"its CA with --ca-file FILE, or --insecure %s",
			c->label, c->host, r->err, c->ref.domain);
	return customs_error(ctx, CUSTOMS_EIO, "%s: %s: %s (%d attempt%s)",
			     c->label, what, why, attempts,
			     attempts == 1 ? "" : "s");
}

/* A 401 saying the (valid) token lacks the access asked for. */
static bool scope_refused(const struct http_resp *r)
{
	struct reg_challenge ch;
	bool yes;

	if (!r->www_auth ||
	    reg_challenge_parse(&ch, r->www_auth, strlen(r->www_auth)))
		return false;
	yes = ch.scheme == REG_SCHEME_BEARER && ch.error &&
	      !strcmp(ch.error, "insufficient_scope");
	reg_challenge_release(&ch);
	return yes;
}

int reg_status_error(struct reg_client *c, const struct http_resp *r,
		     const char *what, struct customs_ctx *ctx)
{
	char code[64];

	http_error_code(code, sizeof(code), r->error_body);
	if (r->status == 401 && c->creds.identity && scope_refused(r))
		return customs_error(ctx, CUSTOMS_EIO,
				     "%s: access to '%s' denied: the identity "
				     "token's user has no pull access "
				     "(insufficient_scope)",
				     c->label, c->ref.path);
	if (r->status == 401 && c->creds.username && scope_refused(r))
		return customs_error(ctx, CUSTOMS_EIO,
				     "%s: access to '%s' denied: user '%s' "
				     "has no pull access (insufficient_scope)",
				     c->label, c->ref.path, c->creds.username);
	if (r->status == 401 && !c->creds.username)
		return customs_error(ctx, CUSTOMS_EIO,
				     "%s: authentication required for '%s': "
				     "run customs login %s",
				     c->label, c->ref.path, c->ref.domain);
	if (r->status == 401 && c->creds.identity)
		return customs_error(ctx, CUSTOMS_EIO,
				     "%s: authentication failed: the identity "
				     "token was refused (expired or revoked?): "
				     "run customs login %s",
				     c->label, c->ref.domain);
	if (r->status == 401)
		return customs_error(ctx, CUSTOMS_EIO,
				     "%s: authentication failed for user "
				     "'%s': check the password (customs "
				     "login %s)",
				     c->label, c->creds.username,
				     c->ref.domain);
	if (r->status == 403)
		return customs_error(
			ctx, CUSTOMS_EIO, "%s: access to '%s' denied (403%s%s)",
			c->label, c->ref.path, code[0] ? " " : "", code);
	if (r->status == 429)
		return customs_error(ctx, CUSTOMS_EIO,
				     "%s: rate limit exceeded (429): retry "
				     "after %ld s, or log in for a higher "
				     "limit",
				     c->label,
				     r->retry_after > 0 ? r->retry_after : 60);
	if (r->status == 404)
		return customs_error(ctx, CUSTOMS_ENOTFOUND,
				     "%s: %s: not found (404%s%s)", c->label,
				     what, code[0] ? " " : "", code);
	return customs_error(ctx, CUSTOMS_EIO, "%s: %s: HTTP status %ld%s%s",
			     c->label, what, r->status, code[0] ? " " : "",
			     code);
}

static long backoff_ms(const struct http_resp *r, int attempt)
{
	long ms = BACKOFF_MS << attempt;

	if (r->status == 429 && r->retry_after > 0)
		ms = r->retry_after * 1000;
	return ms;
}

static bool retryable(const struct http_resp *r)
{
	if (r->cc != CURLE_OK)
		return http_transient(r->cc);
	return r->status == 429 || r->status == 500 || r->status == 502 ||
	       r->status == 503 || r->status == 504;
}

int reg_request(struct reg_client *c, CURL *easy, struct http_req *req,
		struct http_sink *sink, struct http_resp *resp,
		const char *what, struct customs_ctx *ctx)
{
	bool renewed = false, oom = false;
	int attempt, rc = 0;

	for (attempt = 0; attempt < REG_ATTEMPTS; attempt++) {
		char *auth;

		if (req->cancel && atomic_load(req->cancel))
			return customs_error(ctx, CUSTOMS_EIO,
					     "%s: %s: cancelled", c->label,
					     what);
		auth = auth_copy(c, &oom);

		if (oom)
			return nomem(ctx);
		req->auth = auth;
		rc = http_do(easy, req, sink, resp);
		req->auth = NULL;
		wipe_free(auth);
		if (rc)
			return nomem(ctx);
		if (sink && (sink->too_big || sink->io_error))
			return 0; /* the caller names the limit or file */
		if (resp->cc == CURLE_OK && resp->status == 401 && !renewed &&
		    resp->www_auth) {
			renewed = true;
			rc = reg_authenticate(c, easy, resp->www_auth, ctx);
			if (rc)
				return rc;
			attempt--;
			continue;
		}
		if (!retryable(resp) || attempt + 1 == REG_ATTEMPTS)
			break;
		if (resp->status == 429 && resp->retry_after > RETRY_AFTER_MAX)
			break;
		reg_sleep_ms(backoff_ms(resp, attempt));
	}
	if (resp->cc != CURLE_OK)
		return transport_error(c, resp, what, attempt + 1, ctx);
	return 0;
}

/* GET /v2/ over https, or http when allowed and the server is plain. */
static int probe(struct reg_client *c, const char *scheme, struct http_resp *r)
{
	struct cbuf url = CBUF_INIT(8192);
	struct http_req req = { .head = false };
	struct http_sink sink = { .fd = -1, .max = 65536 };
	struct cbuf body = CBUF_INIT(65536);
	int rc;

	sink.mem = &body;
	cbuf_printf(&url, "%s://%s/v2/", scheme, c->host);
	req.url = url.ptr;
	req.ca_file = c->ca_file;
	req.insecure = c->insecure;
	rc = cbuf_error(&url) ? CUSTOMS_ENOMEM
			      : http_do(c->easy, &req, &sink, r);
	cbuf_release(&url);
	cbuf_release(&body);
	return rc;
}

static int set_base(struct reg_client *c, const char *scheme,
		    struct customs_ctx *ctx)
{
	struct cbuf b = CBUF_INIT(8192);

	cbuf_printf(&b, "%s://%s", scheme, c->host);
	customs_free(c->base);
	c->base = cbuf_detach(&b);
	return c->base ? 0 : nomem(ctx);
}

int reg_client_ping(struct reg_client *c, struct customs_ctx *ctx)
{
	struct http_resp r;
	const char *scheme = "https";
	int rc, attempt;

	memset(&r, 0, sizeof(r));
	for (attempt = 0; attempt < REG_ATTEMPTS; attempt++) {
		rc = probe(c, scheme, &r);
		if (!rc && r.cc == CURLE_SSL_CONNECT_ERROR && c->plain_ok &&
		    !strcmp(scheme, "https")) {
			scheme = "http";
			rc = probe(c, scheme, &r);
		}
		if (rc || !retryable(&r) || attempt + 1 == REG_ATTEMPTS)
			break;
		reg_sleep_ms(backoff_ms(&r, attempt));
	}
	if (!rc)
		rc = set_base(c, scheme, ctx);
	else
		rc = nomem(ctx);
	if (!rc && r.cc != CURLE_OK)
		rc = transport_error(c, &r, "GET /v2/", attempt + 1, ctx);
	else if (!rc && r.status == 401 && r.www_auth)
		rc = reg_authenticate(c, c->easy, r.www_auth, ctx);
	else if (!rc && (r.status < 200 || r.status >= 300))
		rc = reg_status_error(c, &r, "GET /v2/ (is it a registry?)",
				      ctx);
	http_resp_release(&r);
	return rc;
}

int reg_url(char **out, const struct reg_client *c, const char *kind,
	    const char *name, struct customs_ctx *ctx)
{
	struct cbuf b = CBUF_INIT(16384);

	cbuf_printf(&b, "%s/v2/%s/%s/%s", c->base, c->ref.path, kind, name);
	*out = cbuf_detach(&b);
	return *out ? 0 : nomem(ctx);
}

char *reg_basic(const struct reg_creds *cr)
{
	struct cbuf plain = CBUF_INIT(16384);
	char *out = NULL;
	size_t n;

	cbuf_printf(&plain, "%s:%s", cr->username, cr->password);
	if (!cbuf_error(&plain)) {
		n = 6 + 4 * ((plain.len + 2) / 3) + 1;
		out = customs_malloc(n);
	}
	if (out) {
		memcpy(out, "Basic ", 6);
		EVP_EncodeBlock((unsigned char *)out + 6,
				(const unsigned char *)plain.ptr,
				(int)plain.len);
	}
	explicit_bzero(plain.ptr, plain.len);
	cbuf_release(&plain);
	return out;
}
