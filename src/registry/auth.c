/*
 * Answering a registry's WWW-Authenticate challenge. Basic: the user's
 * credentials, base64. Bearer: a GET of the realm with service and
 * scope "repository:PATH:pull" (Basic auth with the user's credentials
 * when there are some, anonymous otherwise) whose JSON reply holds the
 * token. The realm must be http(s); plain http only when the registry
 * itself is reached over plain http, so credentials never travel in
 * clear to a TLS registry's token server. The token and the credentials
 * are secrets: wiped when freed, never put in a message.
 */
#include <string.h>

#include "registry/client_priv.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

#define TOKEN_REPLY_MAX (1u << 20)

static void set_auth(struct reg_client *c, char *value)
{
	pthread_mutex_lock(&c->lock);
	if (c->auth)
		explicit_bzero(c->auth, strlen(c->auth));
	customs_free(c->auth);
	c->auth = value;
	pthread_mutex_unlock(&c->lock);
}

static int token_url(char **out, CURL *easy, const struct reg_client *c,
		     const struct reg_challenge *ch, struct customs_ctx *ctx)
{
	struct cbuf b = CBUF_INIT(16384);
	struct cbuf scope = CBUF_INIT(4096);
	char *svc = NULL, *sc = NULL;

	cbuf_printf(&scope, "repository:%s:pull", c->ref.path);
	if (ch->service)
		svc = curl_easy_escape(easy, ch->service, 0);
	sc = curl_easy_escape(easy, scope.ptr, 0);
	cbuf_puts(&b, ch->realm);
	cbuf_putc(&b, strchr(ch->realm, '?') ? '&' : '?');
	if (svc)
		cbuf_printf(&b, "service=%s&", svc);
	cbuf_printf(&b, "scope=%s", sc ? sc : "");
	curl_free(svc);
	curl_free(sc);
	cbuf_release(&scope);
	*out = cbuf_detach(&b);
	return *out ? 0 : customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
}

static int check_realm(const struct reg_client *c, const char *realm,
		       struct customs_ctx *ctx)
{
	if (!strncmp(realm, "https://", 8))
		return 0;
	if (!strncmp(realm, "http://", 7) && !strncmp(c->base, "http://", 7))
		return 0;
	return customs_error(ctx, CUSTOMS_EIO,
			     "%s: token realm '%.200s' is not an https URL",
			     c->label, realm);
}

static int token_error(struct reg_client *c, const struct http_resp *r,
		       struct customs_ctx *ctx)
{
	struct http_resp as401 = *r;

	/* A token server refusing the user is the registry refusing. */
	if (r->status == 400 || r->status == 401 || r->status == 403)
		as401.status = 401;
	return reg_status_error(c, &as401, "token request", ctx);
}

static int fetch_token(struct reg_client *c, CURL *easy,
		       const struct reg_challenge *ch, struct customs_ctx *ctx)
{
	struct cbuf body = CBUF_INIT(TOKEN_REPLY_MAX);
	struct http_sink sink = { .fd = -1, .max = TOKEN_REPLY_MAX };
	struct http_req req = { .head = false };
	struct http_resp r;
	char *url = NULL, *basic = NULL, *token = NULL, *value;
	struct cbuf hv = CBUF_INIT(1u << 20);
	int rc;

	memset(&r, 0, sizeof(r));
	sink.mem = &body;
	rc = check_realm(c, ch->realm, ctx);
	if (!rc)
		rc = token_url(&url, easy, c, ch, ctx);
	if (!rc && c->creds.username && !(basic = reg_basic(&c->creds)))
		rc = customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	if (rc)
		goto out;
	req.url = url;
	req.auth = basic;
	req.ca_file = c->ca_file;
	req.insecure = c->insecure;
	rc = http_do(easy, &req, &sink, &r);
	if (rc)
		rc = customs_error(ctx, rc, "out of memory");
	else if (r.cc != CURLE_OK)
		rc = customs_error(ctx, CUSTOMS_EIO, "%s: token request: %s",
				   c->label, r.err[0] ? r.err : "failed");
	else if (r.status != 200)
		rc = token_error(c, &r, ctx);
	else if (reg_token_parse(&token, body.ptr, body.len))
		rc = customs_error(ctx, CUSTOMS_EIO,
				   "%s: token server reply has no token",
				   c->label);
	if (rc)
		goto out;
	cbuf_printf(&hv, "Bearer %s", token);
	value = cbuf_detach(&hv);
	if (!value)
		rc = customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	else
		set_auth(c, value);
out:
	if (token)
		explicit_bzero(token, strlen(token));
	if (basic)
		explicit_bzero(basic, strlen(basic));
	explicit_bzero(body.ptr, body.len);
	customs_free(token);
	customs_free(basic);
	customs_free(url);
	cbuf_release(&body);
	cbuf_release(&hv);
	http_resp_release(&r);
	return rc;
}

int reg_authenticate(struct reg_client *c, CURL *easy, const char *www,
		     struct customs_ctx *ctx)
{
	struct reg_challenge ch;
	char *basic;
	int rc = reg_challenge_parse(&ch, www, strlen(www));

	if (rc == CUSTOMS_ENOMEM)
		return customs_error(ctx, rc, "out of memory");
	if (rc || ch.scheme == REG_SCHEME_NONE ||
	    (ch.scheme == REG_SCHEME_BEARER && !ch.realm)) {
		reg_challenge_release(&ch);
		return customs_error(ctx, CUSTOMS_EIO,
				     "%s: unsupported authentication "
				     "challenge '%.100s'",
				     c->label, www);
	}
	if (ch.scheme == REG_SCHEME_BEARER) {
		rc = fetch_token(c, easy, &ch, ctx);
	} else if (!c->creds.username) {
		struct http_resp r = { .status = 401 };

		rc = reg_status_error(c, &r, "", ctx);
	} else if (!(basic = reg_basic(&c->creds))) {
		rc = customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	} else {
		set_auth(c, basic);
	}
	reg_challenge_release(&ch);
	return rc;
}
