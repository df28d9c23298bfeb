/*
 * os-release(5) parser. The file is a list of KEY=VALUE lines written for
 * a shell; this follows what systemd's own reader (env-file.c) accepts,
 * one line at a time:
 *   - leading whitespace is skipped; "#" or ";" starts a comment line;
 *   - the key is [A-Za-z_][A-Za-z0-9_]*, whitespace around "=" is allowed;
 *   - unquoted text keeps inner whitespace, loses trailing whitespace, and
 *     a backslash takes the next byte literally;
 *   - in "double quotes" a backslash escapes one of " \ ` $ and is kept
 *     before any other byte; in 'single quotes' nothing is special;
 *   - quoted and unquoted pieces may follow each other: A="x"'y'z is "xyz".
 * A line that breaks these rules (no "=", a bad key, an unterminated quote
 * or a trailing backslash, which systemd would read as a continuation) is
 * skipped, never an error: release files are written by hand. Values are
 * unescaped into a fixed buffer and cut at CUSTOMS_OSRELEASE_VALUE_MAX
 * bytes, so nothing here allocates and nothing grows with the input.
 */
#include <stdbool.h>
#include <string.h>

#include "analyze/osrelease.h"
#include "util/banned.h"

struct value {
	char v[CUSTOMS_OSRELEASE_VALUE_MAX];
	size_t n; /* bytes in v */
	size_t keep; /* n without trailing unquoted whitespace */
};

enum quote { Q_NONE, Q_DOUBLE, Q_SINGLE };

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

static bool is_key_char(char c, bool first)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_')
		return true;
	return !first && c >= '0' && c <= '9';
}

static bool valid_key(struct cslice k)
{
	size_t i;

	if (!k.n)
		return false;
	for (i = 0; i < k.n; i++) {
		if (!is_key_char(k.p[i], i == 0))
			return false;
	}
	return true;
}

/* Append c; kept says whether trailing-whitespace stripping spares it. */
static void put(struct value *v, char c, bool kept)
{
	if (v->n < sizeof(v->v))
		v->v[v->n++] = c;
	if (kept)
		v->keep = v->n;
}

static bool dq_escapable(char c)
{
	return c == '"' || c == '\\' || c == '`' || c == '$';
}

/* One byte inside double quotes at s[*i]; advances *i. */
static void put_double(struct value *v, struct cslice s, size_t *i)
{
	char c = s.p[*i];

	if (c == '\\' && *i + 1 < s.n) {
		++*i;
		if (!dq_escapable(s.p[*i]))
			put(v, '\\', true);
		c = s.p[*i];
	}
	put(v, c, true);
}

/* Unquote and unescape s into v. False when the text is malformed. */
static bool unquote(struct cslice s, struct value *v)
{
	enum quote q = Q_NONE;
	size_t i;

	v->n = 0;
	v->keep = 0;
	for (i = 0; i < s.n; i++) {
		char c = s.p[i];

		if (q == Q_SINGLE) {
			if (c == '\'')
				q = Q_NONE;
			else
				put(v, c, true);
		} else if (q == Q_DOUBLE) {
			if (c == '"')
				q = Q_NONE;
			else
				put_double(v, s, &i);
		} else if (c == '"') {
			q = Q_DOUBLE;
		} else if (c == '\'') {
			q = Q_SINGLE;
		} else if (c == '\\') {
			if (++i == s.n)
				return false;
			put(v, s.p[i], true);
		} else {
			put(v, c, !is_blank(c));
		}
	}
	/* A lone backslash before the closing quote runs off the line. */
	if (q != Q_NONE)
		return false;
	v->n = v->keep;
	return true;
}

static int parse_line(struct cslice line, struct value *v,
		      customs_osrelease_cb cb, void *arg)
{
	const char *eq;
	struct cslice key, raw;

	while (line.n && is_blank(line.p[0])) {
		line.p++;
		line.n--;
	}
	if (!line.n || line.p[0] == '#' || line.p[0] == ';')
		return 0;
	eq = memchr(line.p, '=', line.n);
	if (!eq)
		return 0;
	key = cslice_trim(cslice_make(line.p, (size_t)(eq - line.p)));
	if (!valid_key(key))
		return 0;
	raw = cslice_make(eq + 1, line.n - (size_t)(eq - line.p) - 1);
	while (raw.n && is_blank(raw.p[0])) {
		raw.p++;
		raw.n--;
	}
	if (!unquote(raw, v))
		return 0;
	return cb(arg, key, cslice_make(v->v, v->n));
}

int customs_osrelease_parse(const unsigned char *data, size_t len,
			    customs_osrelease_cb cb, void *arg)
{
	struct cslice rest = cslice_make((const char *)data, data ? len : 0);
	struct cslice line;
	struct value v;
	int rc;

	while (cslice_next_line(&rest, &line)) {
		rc = parse_line(line, &v, cb, arg);
		if (rc)
			return rc;
	}
	return 0;
}
