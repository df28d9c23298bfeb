/*
 * requirements*.txt (pip's requirements file format) for
 * python-package-cataloger. Like Syft, only pinned requirements
 * ("name==1.2.3", "name===1.2.3") become packages: a range says what may
 * be installed, not what is. Handled:
 *   - a backslash at the end of a line joins the next one;
 *   - comments: '#' at the start or after whitespace;
 *   - options ("-r other.txt", "-e .", "--index-url ...") and per-line
 *     options after the requirement ("--hash=sha256:...") are ignored;
 *   - extras "name[a,b]==1" (kept in meta "extras"), environment markers
 *     after ';' (kept in meta "markers");
 *   - URLs, paths and "name @ url" direct references carry no version
 *     and are skipped, as are wildcard pins ("==1.2.*").
 * A line that is none of these (no valid project name) is counted into
 * one warning.
 */
#include <string.h>

#include "catalog/catutil.h"
#include "catalog/lang.h"
#include "catalog/python_int.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/banned.h"

#define MAX_LINE 65536
#define MAX_PKGS 100000

struct req {
	const struct cat_input *in;
	struct cat_result *res;
	size_t n;
	size_t bad;
	size_t first_bad;
};

static bool name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

static void skip_ws(struct cslice *s)
{
	while (s->n && (s->p[0] == ' ' || s->p[0] == '\t')) {
		s->p++;
		s->n--;
	}
}

/* Drop a comment and per-requirement options (" --hash=..."). */
static struct cslice strip(struct cslice s)
{
	size_t i;

	for (i = 0; i < s.n; i++) {
		bool after_ws =
			i == 0 || s.p[i - 1] == ' ' || s.p[i - 1] == '\t';

		if (after_ws && (s.p[i] == '#' || (s.p[i] == '-' && i > 0))) {
			s.n = i;
			break;
		}
	}
	return cslice_trim(s);
}

static int set_meta(struct customs_pkg *pkg, const char *key, struct cslice v)
{
	return cat_meta_slice(pkg, key, cslice_trim(v));
}

/* The pinned version of spec ("==1.2.3"), or an empty slice. */
static struct cslice pin(struct cslice spec)
{
	size_t i;

	skip_ws(&spec);
	if (!cslice_startswith(spec, "=="))
		return cslice_make("", 0);
	spec.p += 2;
	spec.n -= 2;
	if (spec.n && spec.p[0] == '=') {
		spec.p++;
		spec.n--;
	}
	spec = cslice_trim(spec);
	for (i = 0; i < spec.n; i++) {
		/* a second clause, or a wildcard: not one exact version */
		if (spec.p[i] == ',' || spec.p[i] == '*' || spec.p[i] == ' ')
			return cslice_make("", 0);
	}
	return spec;
}

static int requirement(struct req *r, struct cslice s, size_t lineno)
{
	struct cslice name, extras = { "", 0 }, markers = { "", 0 }, version;
	struct customs_pkg *pkg;
	const char *semi = memchr(s.p, ';', s.n), *close;
	int rc;

	if (semi) {
		markers = cslice_make(semi + 1, (size_t)(s.p + s.n - semi - 1));
		s.n = (size_t)(semi - s.p);
	}
	name = cslice_make(s.p, 0);
	while (name.n < s.n && name_char(s.p[name.n]))
		name.n++;
	if (!name.n || s.p[0] == '.' || memchr(s.p, '/', s.n)) {
		/* a path or URL has no version; anything else is garbage */
		if (name.n || s.p[0] == '.' || s.p[0] == '/')
			return 0;
		if (!r->bad++)
			r->first_bad = lineno;
		return 0;
	}
	s.p += name.n;
	s.n -= name.n;
	skip_ws(&s);
	if (s.n && s.p[0] == '[' && (close = memchr(s.p, ']', s.n))) {
		extras = cslice_make(s.p + 1, (size_t)(close - s.p - 1));
		s.n -= (size_t)(close + 1 - s.p);
		s.p = close + 1;
	}
	version = pin(s);
	rc = 0;
	if (!version.n || !cat_room(&r->n, MAX_PKGS, r->res, &rc))
		return rc;
	rc = py_lock_pkg(&pkg, r->res, r->in, name, version);
	if (rc || !pkg)
		return rc;
	rc = set_meta(pkg, "extras", extras);
	if (!rc)
		rc = set_meta(pkg, "markers", markers);
	return rc;
}

/* A logical line (continuations joined) in b; its first line number. */
static bool next_logical(struct cslice *rest, struct cbuf *b, size_t *lineno,
			 size_t *first)
{
	struct cslice line;
	bool any = false;

	cbuf_reset(b);
	*first = *lineno + 1;
	while (cslice_next_line(rest, &line)) {
		++*lineno;
		any = true;
		if (line.n && line.p[line.n - 1] == '\\') {
			cbuf_put(b, line.p, line.n - 1);
			continue;
		}
		cbuf_put(b, line.p, line.n);
		break;
	}
	return any;
}

int py_parse_requirements(const struct cat_input *in, struct cat_result *res)
{
	struct req r = { in, res, 0, 0, 0 };
	struct cslice rest = cslice_make((const char *)in->data, in->len);
	struct cbuf b;
	size_t lineno = 0, first;
	int rc = 0;

	cbuf_init(&b, MAX_LINE);
	while (!rc && next_logical(&rest, &b, &lineno, &first)) {
		struct cslice s;

		if (cbuf_error(&b) == CUSTOMS_ENOMEM) {
			rc = CUSTOMS_ENOMEM;
			break;
		}
		s = strip(cslice_make(b.ptr, b.len));
		if (!s.n || s.p[0] == '-' || cbuf_error(&b))
			continue;
		rc = requirement(&r, s, first);
	}
	cbuf_release(&b);
	if (!rc && r.bad)
		rc = cat_warn(res,
			      "line %zu: not a requirement (%zu such lines)",
			      r.first_bad, r.bad);
	return rc;
}
