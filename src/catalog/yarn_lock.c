/*
 * yarn.lock, classic (v1) format, for javascript-lock-cataloger. Berry
 * (yarn 2+) lock files are YAML and go to npm_parse_yarn_berry().
 *
 * v1 is an indented text format: a block starts with a header at column
 * 0 listing the descriptors it resolves ("name@range", "name@range2":),
 * then indented "key value" lines (version, resolved, integrity) and
 * nested "dependencies:" sub-blocks. The package name is the first
 * descriptor's name; an npm alias "alias@npm:real@range" names the real
 * package. A block without a version is a warning. The same
 * name@version is reported once.
 */
#include <string.h>

#include "catalog/lang.h"
#include "catalog/npm_int.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/strmap.h"
#include "util/banned.h"

#define MAX_FIELD 4096

struct block {
	size_t line; /* header line, 0 when no block is open */
	struct cslice name;
	struct cslice version;
	struct cslice resolved;
	struct cslice integrity;
};

struct yarn {
	const struct cat_input *in;
	struct cat_result *res;
	struct strmap seen;
	struct arena arena;
	size_t n;
	size_t no_version; /* blocks without a version */
	size_t first_no_version;
};

/* Strip one pair of double quotes. */
static struct cslice unquote(struct cslice s)
{
	s = cslice_trim(s);
	if (s.n >= 2 && s.p[0] == '"' && s.p[s.n - 1] == '"')
		return cslice_make(s.p + 1, s.n - 2);
	return s;
}

struct cslice npm_descriptor_name(struct cslice d, bool alias)
{
	const char *at;

	if (d.n < 2)
		return cslice_make(d.p, 0);
	at = memchr(d.p + 1, '@', d.n - 1);
	if (!at)
		return d;
	/* "alias@npm:real@range": the real name */
	if (alias && (size_t)(d.p + d.n - at) > 5 && !memcmp(at, "@npm:", 5))
		return npm_descriptor_name(
			cslice_make(at + 5, (size_t)(d.p + d.n - at - 5)),
			false);
	return cslice_make(d.p, (size_t)(at - d.p));
}

static int set_field(struct customs_pkg *pkg, const char *key, struct cslice v)
{
	char *s;
	int rc;

	if (!v.n || v.n > MAX_FIELD)
		return 0;
	s = cslice_dup(v);
	if (!s)
		return CUSTOMS_ENOMEM;
	rc = customs_pkg_meta_set(pkg, key, s);
	customs_free(s);
	return rc;
}

static int emit(struct yarn *y, struct block *b)
{
	struct customs_pkg *pkg;
	char *key;
	int rc;

	if (!b->line || !b->name.n)
		return 0;
	if (!b->version.n) {
		if (!y->no_version++)
			y->first_no_version = b->line;
		return 0;
	}
	key = arena_alloc(&y->arena, b->name.n + b->version.n + 2);
	if (!key)
		return CUSTOMS_ENOMEM;
	memcpy(key, b->name.p, b->name.n);
	key[b->name.n] = '@';
	memcpy(key + b->name.n + 1, b->version.p, b->version.n);
	key[b->name.n + 1 + b->version.n] = '\0';
	rc = 0;
	if (strmap_get(&y->seen, key) ||
	    !cat_room(&y->n, NPM_MAX_LOCK_PKGS, y->res, &rc))
		return rc;
	if (strmap_put(&y->seen, key, (void *)1))
		return CUSTOMS_ENOMEM;
	rc = npm_lock_pkg(&pkg, y->res, y->in, b->name.p, b->name.n,
			  b->version.p, b->version.n);
	if (rc || !pkg)
		return rc;
	rc = set_field(pkg, "resolved", b->resolved);
	if (!rc)
		rc = set_field(pkg, "integrity", b->integrity);
	return rc;
}

/* A header line: "a@1", "a@^1.0.0":  -> the first descriptor's name. */
static void header(struct block *b, struct cslice line, size_t lineno)
{
	struct cslice first = line;
	const char *comma;

	first.n--; /* the ':' */
	comma = memchr(first.p, ',', first.n);
	if (comma)
		first.n = (size_t)(comma - first.p);
	memset(b, 0, sizeof(*b));
	b->line = lineno;
	b->name = npm_descriptor_name(unquote(first), true);
}

/* An indented "key value" line of the open block (depth 1 only). */
static void field(struct block *b, struct cslice line)
{
	struct cslice key, val;
	const char *sp;

	if (line.n < 3 || line.p[0] != ' ' || line.p[1] != ' ' ||
	    line.p[2] == ' ')
		return; /* nested (dependencies) lines are not fields */
	line = cslice_trim(line);
	sp = memchr(line.p, ' ', line.n);
	if (!sp)
		return;
	key = cslice_make(line.p, (size_t)(sp - line.p));
	val = unquote(cslice_make(sp + 1, (size_t)(line.p + line.n - sp - 1)));
	if (cslice_eq(key, "version"))
		b->version = val;
	else if (cslice_eq(key, "resolved"))
		b->resolved = val;
	else if (cslice_eq(key, "integrity"))
		b->integrity = val;
}

static bool is_berry(struct cslice rest)
{
	struct cslice line;

	while (cslice_next_line(&rest, &line)) {
		if (cslice_startswith(line, "__metadata:"))
			return true;
	}
	return false;
}

static int parse_v1(struct yarn *y)
{
	struct cslice rest = cslice_make((const char *)y->in->data, y->in->len);
	struct cslice line;
	struct block b = { 0 };
	size_t lineno = 0, bad = 0, first_bad = 0;
	int rc = 0;

	while (!rc && cslice_next_line(&rest, &line)) {
		lineno++;
		if (!line.n || line.p[0] == '#')
			continue;
		if (line.p[0] == ' ') {
			if (b.line)
				field(&b, line);
			continue;
		}
		rc = emit(y, &b);
		memset(&b, 0, sizeof(b));
		line = cslice_trim(line);
		if (line.n && line.p[line.n - 1] == ':') {
			header(&b, line, lineno);
		} else if (line.n && !bad++) {
			first_bad = lineno;
		}
	}
	if (!rc)
		rc = emit(y, &b);
	if (!rc && y->no_version)
		rc = cat_warn(y->res,
			      "line %zu: entry has no version (%zu such "
			      "entries)",
			      y->first_no_version, y->no_version);
	if (!rc && bad)
		rc = cat_warn(y->res,
			      "line %zu: not a yarn.lock entry header (%zu "
			      "such lines)",
			      first_bad, bad);
	return rc;
}

int npm_parse_yarn_lock(const struct cat_input *in, struct cat_result *res)
{
	struct yarn y = { in, res, STRMAP_INIT, ARENA_INIT, 0, 0, 0 };
	int rc;

	if (npm_under_node_modules(in->path))
		return 0;
	if (is_berry(cslice_make((const char *)in->data, in->len)))
		return npm_parse_yarn_berry(in, res);
	rc = parse_v1(&y);
	strmap_release(&y.seen);
	arena_release(&y.arena);
	return rc;
}
