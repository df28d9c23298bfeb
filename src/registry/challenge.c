/*
 * Parsers of what an untrusted registry sends about authentication: the
 * WWW-Authenticate challenge (RFC 7235: `scheme param=value, ...`, with
 * values as tokens or quoted strings, several challenges in one value)
 * and the JSON reply of a token server (`token`, or the OAuth2 name
 * `access_token`). Input is bounded; nothing here allocates more than a
 * copy of the value parts it keeps.
 */
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "registry/registry_int.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/jsonalloc.h"
#include "util/banned.h"

#define CHALLENGE_MAX 8192

struct cursor {
	const char *p;
	const char *end;
};

static bool is_tchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || strchr("!#$%&'*+-.^_`|~/", c);
}

static void skip_ws(struct cursor *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
}

static struct cslice token(struct cursor *c)
{
	const char *s = c->p;

	while (c->p < c->end && *c->p && is_tchar(*c->p))
		c->p++;
	return cslice_make(s, (size_t)(c->p - s));
}

/* A quoted string after its opening quote; escapes are kept unescaped. */
static int quoted(struct cursor *c, struct cbuf *out)
{
	while (c->p < c->end) {
		char ch = *c->p++;

		if (ch == '"')
			return 0;
		if (ch == '\\' && c->p < c->end)
			ch = *c->p++;
		if (ch == '\0' || ch == '\r' || ch == '\n')
			return CUSTOMS_EFORMAT;
		cbuf_putc(out, ch);
	}
	return CUSTOMS_EFORMAT;
}

static int value(struct cursor *c, struct cbuf *out)
{
	struct cslice t;

	if (c->p < c->end && *c->p == '"') {
		c->p++;
		return quoted(c, out);
	}
	/* Unquoted: RFC 7235 says a token, servers send URLs too. */
	t.p = c->p;
	while (c->p < c->end && (unsigned char)*c->p > 0x20 && *c->p != ',' &&
	       *c->p != 0x7f && *c->p != '"')
		c->p++;
	t.n = (size_t)(c->p - t.p);
	if (!t.n)
		return CUSTOMS_EFORMAT;
	cbuf_put(out, t.p, t.n);
	return 0;
}

static char **slot(struct reg_challenge *ch, struct cslice name)
{
	if (name.n == 5 && !strncasecmp(name.p, "realm", 5))
		return &ch->realm;
	if (name.n == 7 && !strncasecmp(name.p, "service", 7))
		return &ch->service;
	if (name.n == 5 && !strncasecmp(name.p, "scope", 5))
		return &ch->scope;
	if (name.n == 5 && !strncasecmp(name.p, "error", 5))
		return &ch->error;
	return NULL;
}

/* One `name=value`; the cursor is at name. Unknown names are skipped. */
static int param(struct reg_challenge *ch, struct cursor *c, bool keep)
{
	struct cbuf v = CBUF_INIT(CHALLENGE_MAX);
	struct cslice name = token(c);
	char **dst;
	int rc;

	skip_ws(c);
	if (!name.n || c->p >= c->end || *c->p != '=')
		return CUSTOMS_EFORMAT;
	c->p++;
	skip_ws(c);
	rc = value(c, &v);
	if (!rc && cbuf_error(&v))
		rc = cbuf_error(&v);
	dst = keep ? slot(ch, name) : NULL;
	if (!rc && dst && !*dst) {
		*dst = cbuf_detach(&v);
		if (!*dst)
			rc = CUSTOMS_ENOMEM;
	}
	cbuf_release(&v);
	return rc;
}

/* After a scheme: its params, up to the next scheme or the end. */
static int params(struct reg_challenge *ch, struct cursor *c, bool keep)
{
	const char *save;
	int rc;

	for (;;) {
		skip_ws(c);
		while (c->p < c->end && (*c->p == ',' || *c->p == ' '))
			c->p++;
		if (c->p >= c->end)
			return 0;
		save = c->p;
		token(c);
		skip_ws(c);
		if (c->p >= c->end || *c->p != '=') {
			c->p = save; /* the next challenge's scheme */
			return 0;
		}
		c->p = save;
		rc = param(ch, c, keep);
		if (rc)
			return rc;
	}
}

static enum reg_scheme scheme_of(struct cslice s)
{
	if (s.n == 5 && !strncasecmp(s.p, "basic", 5))
		return REG_SCHEME_BASIC;
	if (s.n == 6 && !strncasecmp(s.p, "bearer", 6))
		return REG_SCHEME_BEARER;
	return REG_SCHEME_NONE;
}

int reg_challenge_parse(struct reg_challenge *ch, const char *s, size_t len)
{
	struct cursor c = { s, s + len };
	enum reg_scheme sc;
	struct cslice name;
	int rc = 0;

	memset(ch, 0, sizeof(*ch));
	if (len > CHALLENGE_MAX)
		return CUSTOMS_ELIMIT;
	while (!rc && ch->scheme == REG_SCHEME_NONE) {
		skip_ws(&c);
		while (c.p < c.end && *c.p == ',')
			c.p++;
		skip_ws(&c);
		if (c.p >= c.end)
			break;
		name = token(&c);
		if (!name.n)
			rc = CUSTOMS_EFORMAT;
		sc = scheme_of(name);
		if (!rc)
			rc = params(ch, &c, sc != REG_SCHEME_NONE);
		if (!rc)
			ch->scheme = sc;
	}
	if (rc)
		reg_challenge_release(ch);
	return rc;
}

void reg_challenge_release(struct reg_challenge *c)
{
	customs_free(c->realm);
	customs_free(c->service);
	customs_free(c->scope);
	customs_free(c->error);
	memset(c, 0, sizeof(*c));
}

/* A token goes into a header line: no control characters. */
static bool printable(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	}
	return true;
}

int reg_token_parse(char **out, const char *json, size_t len)
{
	json_t *root, *t;
	int rc = CUSTOMS_EFORMAT;

	*out = NULL;
	if (len > REG_MAX_SMALL)
		return CUSTOMS_ELIMIT;
	customs_json_alloc_init();
	root = json_loadb(json, len, 0, NULL);
	if (!root)
		return CUSTOMS_EFORMAT;
	t = json_object_get(root, "token");
	if (!json_is_string(t) || !json_string_length(t))
		t = json_object_get(root, "access_token");
	if (json_is_string(t) && json_string_length(t) &&
	    printable(json_string_value(t), json_string_length(t))) {
		*out = customs_strdup(json_string_value(t));
		rc = *out ? 0 : CUSTOMS_ENOMEM;
	}
	json_decref(root);
	return rc;
}
