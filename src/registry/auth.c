/*
 * Answering a registry's WWW-Authenticate challenge. Basic: the user's
 * credentials, base64. Bearer: a GET of the realm with service and
 * scope "repository:PATH:pull" (Basic auth with the user's credentials
 * when there are some, anonymous otherwise) whose JSON reply holds the
 * token; with an identity token instead of a password, an OAuth2 form
 * POST to the realm (grant_type=refresh_token, refresh_token, service,
 * scope, client_id=customs), as Docker does. An identity token is never
 * sent as Basic auth: a Basic challenge is an error then. The realm must
 * be http(s); plain http only when the registry itself is reached over
 * plain http, so credentials never travel in clear to a TLS registry's
 * token server. The token and the credentials are secrets: wiped when
 * freed, never put in a message.
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

static char *pull_scope(const struct reg_client *c)
{
	struct cbuf scope = CBUF_INIT(4096);

	cbuf_printf(&scope, "repository:%s:pull", c->ref.path);
	return cbuf_detach(&scope);
}

static int token_url(char **out, CURL *easy, const struct reg_client *c,
		     const struct reg_challenge *ch, const char *scope,
		     struct customs_ctx *ctx)
{
	const struct customs_curl *cu = customs_curl_get();
	struct cbuf b = CBUF_INIT(16384);
	char *svc = NULL, *sc = NULL;

	if (ch->service)
		svc = cu->easy_escape(easy, ch->service, 0);
	sc = cu->easy_escape(easy, scope, 0);
	cbuf_puts(&b, ch->realm);
	cbuf_putc(&b, strchr(ch->realm, '?') ? '&' : '?');
	if (svc)
		cbuf_printf(&b, "service=%s&", svc);
	cbuf_printf(&b, "scope=%s", sc ? sc : "");
	cu->free(svc);
	cu->free(sc);
	*out = cbuf_detach(&b);
	return *out ? 0 : customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
}

/*
 * The body of an OAuth2 refresh-token grant, as Docker's clients send
 * it. It holds the identity token: a secret.
 */
static int refresh_form(char **out, CURL *easy, const struct reg_client *c,
			const struct reg_challenge *ch, const char *scope,
			struct customs_ctx *ctx)
{
	const struct customs_curl *cu = customs_curl_get();
	struct cbuf b = CBUF_INIT(65536);
	char *svc = NULL, *sc, *tok;
	int rc;

	if (ch->service)
		svc = cu->easy_escape(easy, ch->service, 0);
	sc = cu->easy_escape(easy, scope, 0);
	tok = cu->easy_escape(easy, c->creds.password, 0);
	cbuf_puts(&b, "grant_type=refresh_token&client_id=customs");
	if (svc)
		cbuf_printf(&b, "&service=%s", svc);
	cbuf_printf(&b, "&scope=%s&refresh_token=%s", sc ? sc : "",
		    tok ? tok : "");
	rc = !sc || !tok || (ch->service && !svc) ? CUSTOMS_ENOMEM
						  : cbuf_error(&b);
	if (!rc)
		*out = cbuf_detach(&b);
	explicit_bzero(b.ptr, b.len);
	cbuf_release(&b);
	if (tok)
		explicit_bzero(tok, strlen(tok));
	cu->free(svc);
	cu->free(sc);
	cu->free(tok);
	if (rc == CUSTOMS_ELIMIT)
		return customs_error(ctx, rc, "%s: identity token too long",
				     c->label);
	return rc ? customs_error(ctx, rc, "out of memory") : 0;
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

	as401.www_auth = NULL; /* the token server's, not the registry's */
	/* A token server refusing the user is the registry refusing. */
	if (r->status == 400 || r->status == 401 || r->status == 403)
		as401.status = 401;
	return reg_status_error(c, &as401, "token request", ctx);
}

/*
 * The request for a token: a GET of the realm with the scope (Basic auth
 * when there is a user), or for an identity token a form POST to it.
 * *url and *secret (the Basic value or the form) are the caller's.
 */
static int token_request(struct http_req *req, char **url, char **secret,
			 struct reg_client *c, CURL *easy,
			 const struct reg_challenge *ch,
			 struct customs_ctx *ctx)
{
	char *scope = pull_scope(c);
	int rc;

	if (!scope)
		return customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	if (c->creds.identity) {
		rc = refresh_form(secret, easy, c, ch, scope, ctx);
		req->url = ch->realm;
		req->form = *secret;
	} else {
		rc = token_url(url, easy, c, ch, scope, ctx);
		req->url = *url;
		if (!rc && c->creds.username &&
		    !(*secret = reg_basic(&c->creds)))
			rc = customs_error(ctx, CUSTOMS_ENOMEM,
					   "out of memory");
		req->auth = *secret;
	}
	customs_free(scope);
	return rc;
}

static int fetch_token(struct reg_client *c, CURL *easy,
		       const struct reg_challenge *ch, struct customs_ctx *ctx)
{
	struct cbuf body = CBUF_INIT(TOKEN_REPLY_MAX);
	struct http_sink sink = { .fd = -1, .max = TOKEN_REPLY_MAX };
	struct http_req req = { .head = false };
	struct http_resp r;
	char *url = NULL, *secret = NULL, *token = NULL, *value;
	struct cbuf hv = CBUF_INIT(1u << 20);
	int rc;

	memset(&r, 0, sizeof(r));
	sink.mem = &body;
	rc = check_realm(c, ch->realm, ctx);
	if (!rc)
		rc = token_request(&req, &url, &secret, c, easy, ch, ctx);
	if (rc)
		goto out;
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
	if (secret)
		explicit_bzero(secret, strlen(secret));
	explicit_bzero(body.ptr, body.len);
	customs_free(token);
	customs_free(secret);
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
	} else if (c->creds.identity) {
		rc = customs_error(ctx, CUSTOMS_EIO,
				   "%s: the registry asks for a password "
				   "(Basic authentication), but the "
				   "credentials are an identity token: "
				   "run customs login %s",
				   c->label, c->ref.domain);
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
