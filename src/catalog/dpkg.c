/*
 * dpkg-db-cataloger: the packages dpkg installed, from its status
 * database (var/lib/dpkg/status: one stanza per package) or from the
 * distroless layout (var/lib/dpkg/status.d/<pkg>: one stanza per file).
 *
 * A stanza is deb822: "Field: value" lines, continuation lines start with
 * a space or a tab, a blank line ends the stanza; field names ignore case.
 * Values are kept as slices of the input (a multi-line value runs from
 * after the ':' to the end of its last continuation line), so parsing
 * copies nothing it does not keep. A stanza that cannot be used (no
 * Package, no Version, cut by the read limit) is skipped with a warning
 * naming its line; a repeated field keeps its first value. Packages dpkg
 * does not count as installed (Status want "deinstall", state
 * "not-installed" or "config-files") are left out silently.
 *
 * The owned files (info/<pkg>.md5sums, .conffiles) and the licences
 * (usr/share/doc/<pkg>/copyright) are other files of the same scan, so
 * they are parsed here into the result's aux and merged into the packages
 * by finish() (dpkg_files.c).
 */
#include <string.h>

#include "catalog/catutil.h"
#include "catalog/dpkg_int.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/banned.h"

#define NAME "dpkg-db-cataloger"
#define MAX_PACKAGES 200000 /* stanzas read from one file */

enum field {
	F_PACKAGE,
	F_VERSION,
	F_ARCH,
	F_SOURCE,
	F_STATUS,
	F_MAINTAINER,
	F_INSTALLED_SIZE,
	F_PROVIDES,
	F_DEPENDS,
	F_PRE_DEPENDS,
	F_DESCRIPTION,
	F_HOMEPAGE,
	F_CONFFILES,
	F_LICENSE,
	F_COUNT,
	F_OTHER = F_COUNT, /* a field the cataloger does not keep */
	F_NONE = -1, /* no field open: a continuation line is an error */
};

static const char *const field_names[F_COUNT] = {
	"Package",   "Version",	    "Architecture",   "Source",
	"Status",    "Maintainer",  "Installed-Size", "Provides",
	"Depends",   "Pre-Depends", "Description",    "Homepage",
	"Conffiles", "License",
};

/* Meta keys for the fields copied as written (one line, spaces joined). */
static const struct {
	enum field f;
	const char *key;
} meta_fields[] = {
	{ F_MAINTAINER, "maintainer" },
	{ F_INSTALLED_SIZE, "installed_size" },
	{ F_PROVIDES, "provides" },
	{ F_DEPENDS, "depends" },
	{ F_PRE_DEPENDS, "pre_depends" },
	{ F_HOMEPAGE, "homepage" },
};

struct stanza {
	struct cslice v[F_COUNT]; /* raw value, continuation lines included */
	size_t line[F_COUNT]; /* line of the field; 0 when absent */
	size_t first_line; /* 0: no line yet */
	int cur; /* enum field the next continuation line extends */
};

struct parser {
	const struct cat_input *in;
	struct cat_result *res;
	struct stanza st;
	size_t n_pkgs;
	bool full; /* MAX_PACKAGES reached and reported */
};

static bool is_blank_line(struct cslice line)
{
	return cslice_trim(line).n == 0;
}

static bool key_eq(struct cslice key, const char *name)
{
	return key.n == strlen(name) && !strncasecmp(key.p, name, key.n);
}

static int field_of(struct cslice key)
{
	int i;

	for (i = 0; i < F_COUNT; i++) {
		if (key_eq(key, field_names[i]))
			return i;
	}
	return F_OTHER;
}

static void stanza_reset(struct stanza *st)
{
	memset(st, 0, sizeof(*st));
	st->cur = F_NONE;
}

/* The first line of a value, trimmed. */
static struct cslice first_line(struct cslice v)
{
	struct cslice line = { v.p, 0 };

	cslice_next_line(&v, &line);
	return cslice_trim(line);
}

static int field_line(struct parser *p, struct cslice line, size_t lineno)
{
	struct stanza *st = &p->st;
	const char *colon = memchr(line.p, ':', line.n);
	struct cslice key;
	char buf[CAT_SHOW_MAX + 4];
	int f;

	if (!colon) {
		st->cur = F_NONE;
		return cat_warn(p->res, "line %zu: no ':' in '%s', skipped",
				lineno, cat_show(buf, line));
	}
	key = cslice_trim(cslice_make(line.p, (size_t)(colon - line.p)));
	f = field_of(key);
	st->cur = f;
	if (f == F_OTHER)
		return 0;
	if (st->line[f]) {
		st->cur = F_OTHER;
		return cat_warn(p->res,
				"line %zu: field '%s' repeated (first on line "
				"%zu), the first value is kept",
				lineno, field_names[f], st->line[f]);
	}
	st->line[f] = lineno;
	st->v[f] =
		cslice_make(colon + 1, line.n - (size_t)(colon + 1 - line.p));
	return 0;
}

static int continuation(struct parser *p, struct cslice line, size_t lineno)
{
	struct stanza *st = &p->st;
	struct cslice *v;

	if (st->cur == F_NONE)
		return cat_warn(p->res,
				"line %zu: continuation line outside a field, "
				"skipped",
				lineno);
	if (st->cur == F_OTHER)
		return 0;
	v = &st->v[st->cur];
	v->n = (size_t)(line.p + line.n - v->p);
	return 0;
}

/* Status "want flag state": is the package on disk? */
static bool installed(struct cslice status)
{
	struct cslice rest = first_line(status), word[3] = { { 0 } };
	size_t i;

	for (i = 0; i < 3 && rest.n; i++) {
		size_t n = 0;

		while (n < rest.n && rest.p[n] != ' ' && rest.p[n] != '\t')
			n++;
		word[i] = cslice_make(rest.p, n);
		rest = cslice_trim(cslice_make(rest.p + n, rest.n - n));
	}
	return !cslice_eq(word[0], "deinstall") &&
	       !cslice_eq(word[2], "not-installed") &&
	       !cslice_eq(word[2], "config-files");
}

/* "Source: name (version)": the version only when written. */
static int set_source(struct customs_pkg *pkg, struct cslice v)
{
	struct cslice s = first_line(v), name = s, ver = { NULL, 0 };
	const char *open = s.n ? memchr(s.p, '(', s.n) : NULL;

	if (open) {
		const char *close =
			memchr(open, ')', s.n - (size_t)(open - s.p));

		name = cslice_trim(cslice_make(s.p, (size_t)(open - s.p)));
		if (close)
			ver = cslice_trim(cslice_make(
				open + 1, (size_t)(close - open - 1)));
	}
	if (cat_set_slice(&pkg->source_name, name) ||
	    cat_set_slice(&pkg->source_version, ver))
		return CUSTOMS_ENOMEM;
	return 0;
}

/* A value with its lines trimmed and joined by single spaces. */
static int set_meta_joined(struct customs_pkg *pkg, const char *key,
			   struct cslice v)
{
	struct cbuf b;
	struct cslice line;
	int rc = 0;

	cbuf_init(&b, v.n + 1);
	while (cslice_next_line(&v, &line)) {
		line = cslice_trim(line);
		if (!line.n)
			continue;
		if (b.len)
			cbuf_putc(&b, ' ');
		cbuf_put(&b, line.p, line.n);
	}
	if (cbuf_error(&b))
		rc = CUSTOMS_ENOMEM;
	else if (b.len)
		rc = customs_pkg_meta_set(pkg, key, b.ptr);
	cbuf_release(&b);
	return rc;
}

/* Split s at its last space: the word after, the trimmed text before. */
static bool split_last(struct cslice s, struct cslice *before,
		       struct cslice *word)
{
	size_t i = s.n;

	while (i && s.p[i - 1] != ' ' && s.p[i - 1] != '\t')
		i--;
	if (!i)
		return false;
	*word = cslice_make(s.p + i, s.n - i);
	*before = cslice_trim(cslice_make(s.p, i));
	return before->n != 0;
}

static int add_file(struct customs_pkg *pkg, struct cslice path,
		    const char *md5, bool config)
{
	char *s;
	int rc;

	while (path.n && path.p[0] == '/') {
		path.p++;
		path.n--;
	}
	if (!path.n || memchr(path.p, '\0', path.n))
		return 0;
	s = cslice_dup(path);
	if (!s)
		return CUSTOMS_ENOMEM;
	rc = customs_pkg_add_file(pkg, s, md5 ? "md5" : NULL, md5, config);
	customs_free(s);
	return rc;
}

/*
 * One " /etc/x <md5> [obsolete] [remove-on-upgrade]" line of Conffiles,
 * read from the right since a path may hold spaces. Flagged conffiles are
 * no longer shipped and are left out.
 */
static int conffile(struct parser *p, struct customs_pkg *pkg,
		    struct cslice line, size_t lineno)
{
	struct cslice path, word;
	bool gone = false;
	char md5[33], buf[CAT_SHOW_MAX + 4];

	line = cslice_trim(line);
	if (!line.n)
		return 0;
	while (split_last(line, &path, &word) &&
	       (cslice_eq(word, "obsolete") ||
		cslice_eq(word, "remove-on-upgrade"))) {
		gone = true;
		line = path;
	}
	if (!split_last(line, &path, &word) || path.p[0] != '/')
		return cat_warn(p->res, "line %zu: bad Conffiles line '%s'",
				lineno, cat_show(buf, line));
	if (gone)
		return 0;
	return add_file(pkg, path,
			dpkg_md5_norm(md5, word.p, word.n) ? md5 : NULL, true);
}

static int conffiles(struct parser *p, struct customs_pkg *pkg, struct cslice v,
		     size_t lineno)
{
	struct cslice line;
	int rc = 0;

	while (!rc && cslice_next_line(&v, &line))
		rc = conffile(p, pkg, line, lineno++);
	return rc;
}

static int fill(struct parser *p, struct customs_pkg *pkg)
{
	const struct stanza *st = &p->st;
	size_t i;
	int rc = 0;

	rc |= cat_set_slice(&pkg->name, first_line(st->v[F_PACKAGE]));
	rc |= cat_set_slice(&pkg->version, first_line(st->v[F_VERSION]));
	rc |= cat_set_slice(&pkg->arch, first_line(st->v[F_ARCH]));
	if (st->line[F_SOURCE])
		rc |= set_source(pkg, st->v[F_SOURCE]);
	for (i = 0; !rc && i < sizeof(meta_fields) / sizeof(meta_fields[0]);
	     i++) {
		if (st->line[meta_fields[i].f])
			rc = set_meta_joined(pkg, meta_fields[i].key,
					     st->v[meta_fields[i].f]);
	}
	if (!rc && st->line[F_DESCRIPTION])
		rc = set_meta_joined(pkg, "description",
				     first_line(st->v[F_DESCRIPTION]));
	if (!rc && st->line[F_LICENSE]) {
		char *l = cslice_dup(first_line(st->v[F_LICENSE]));

		rc = !l	  ? CUSTOMS_ENOMEM
		     : *l ? customs_pkg_add_license(pkg, l)
			  : 0;
		customs_free(l);
	}
	if (!rc && st->line[F_CONFFILES])
		rc = conffiles(p, pkg, st->v[F_CONFFILES],
			       st->line[F_CONFFILES]);
	return rc ? CUSTOMS_ENOMEM : 0;
}

/* The stanza is complete (blank line or end of file): make its package. */
static int stanza_end(struct parser *p, bool cut)
{
	const struct stanza *st = &p->st;
	struct cslice name = first_line(st->v[F_PACKAGE]);
	struct customs_pkg *pkg;
	char buf[CAT_SHOW_MAX + 4];

	if (!st->first_line)
		return 0;
	if (!name.n || cat_has_ctl(name) || memchr(name.p, ' ', name.n))
		return cat_warn(p->res,
				"line %zu: stanza without a usable Package "
				"field, skipped",
				st->first_line);
	if (cut)
		return cat_warn(p->res,
				"line %zu: stanza of '%s' is cut short by the "
				"read limit, skipped",
				st->first_line, cat_show(buf, name));
	if (st->line[F_STATUS] && !installed(st->v[F_STATUS]))
		return 0;
	if (!first_line(st->v[F_VERSION]).n)
		return cat_warn(p->res,
				"line %zu: package '%s' has no Version, "
				"skipped",
				st->first_line, cat_show(buf, name));
	if (cat_has_ctl(first_line(st->v[F_VERSION])))
		return cat_warn(p->res,
				"line %zu: package '%s' has a control byte in "
				"its Version, skipped",
				st->first_line, cat_show(buf, name));
	if (p->n_pkgs >= MAX_PACKAGES) {
		if (p->full)
			return 0;
		p->full = true;
		return cat_warn(p->res,
				"line %zu: more than %d packages, the rest "
				"are skipped",
				st->first_line, MAX_PACKAGES);
	}
	pkg = cat_pkg_new(p->res, p->in, NAME, CUSTOMS_PKG_DEB);
	if (!pkg)
		return CUSTOMS_ENOMEM;
	p->n_pkgs++;
	return fill(p, pkg);
}

static int parse_stanzas(const struct cat_input *in, struct cat_result *res)
{
	struct parser p = { 0 };
	struct cslice rest = cslice_make((const char *)in->data, in->len);
	struct cslice line;
	size_t lineno = 0;
	int rc = 0;

	p.in = in;
	p.res = res;
	stanza_reset(&p.st);
	while (!rc && cslice_next_line(&rest, &line)) {
		lineno++;
		if (is_blank_line(line)) {
			rc = stanza_end(&p, false);
			stanza_reset(&p.st);
			continue;
		}
		if (!p.st.first_line)
			p.st.first_line = lineno;
		if (line.p[0] == ' ' || line.p[0] == '\t')
			rc = continuation(&p, line, lineno);
		else
			rc = field_line(&p, line, lineno);
	}
	if (!rc)
		rc = stanza_end(&p, in->truncated);
	return rc;
}

static bool ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n > k && !memcmp(s + n - k, suffix, k);
}

/* The name after prefix when it is one non-hidden component, else NULL. */
static const char *leaf(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);

	if (strncmp(path, prefix, n) || !path[n] || path[n] == '.' ||
	    strchr(path + n, '/'))
		return NULL;
	return path + n;
}

enum dpkg_kind dpkg_classify(const char *path)
{
	const char *name;
	size_t n;

	if (!strcmp(path, DPKG_STATUS))
		return DPKG_KIND_STATUS;
	if ((name = leaf(path, DPKG_STATUS_D)))
		return ends_with(name, strlen(name), ".md5sums")
			       ? DPKG_KIND_MD5SUMS
			       : DPKG_KIND_STATUS_D;
	if ((name = leaf(path, DPKG_INFO))) {
		n = strlen(name);
		if (ends_with(name, n, ".md5sums"))
			return DPKG_KIND_MD5SUMS;
		if (ends_with(name, n, ".conffiles"))
			return DPKG_KIND_CONFFILES;
		return DPKG_KIND_NONE;
	}
	n = strlen(DEB_DOC);
	if (!strncmp(path, DEB_DOC, n) && path[n] && path[n] != '/') {
		name = strchr(path + n, '/');
		if (name && !strcmp(name, "/copyright"))
			return DPKG_KIND_COPYRIGHT;
	}
	return DPKG_KIND_NONE;
}

static int dpkg_parse(const struct cat_input *in, struct cat_result *res)
{
	enum dpkg_kind kind = dpkg_classify(in->path);
	struct dpkg_aux *aux;

	if (kind == DPKG_KIND_NONE)
		return 0;
	aux = dpkg_aux_new(kind);
	if (!aux)
		return CUSTOMS_ENOMEM;
	res->aux = aux;
	switch (kind) {
	case DPKG_KIND_STATUS:
	case DPKG_KIND_STATUS_D:
		return parse_stanzas(in, res);
	case DPKG_KIND_MD5SUMS:
	case DPKG_KIND_CONFFILES:
		return dpkg_parse_filelist(aux, in, res);
	case DPKG_KIND_COPYRIGHT:
		return deb_copyright_parse(aux, in->data, in->len);
	case DPKG_KIND_NONE:
		break;
	}
	return 0;
}

static const struct customs_want dpkg_wants[] = {
	{ CUSTOMS_WANT_PATH, DPKG_STATUS },
	{ CUSTOMS_WANT_DIR, "var/lib/dpkg/status.d" },
	{ CUSTOMS_WANT_EXT, "md5sums" },
	{ CUSTOMS_WANT_EXT, "conffiles" },
	{ CUSTOMS_WANT_BASENAME, "copyright" },
};

const struct cataloger cat_dpkg = {
	NAME,
	"os dpkg deb debian",
	dpkg_wants,
	sizeof(dpkg_wants) / sizeof(dpkg_wants[0]),
	/* an Ubuntu status file with every package is ~5 MiB */
	64u << 20,
	CAT_IMAGE | CAT_OS,
	dpkg_parse,
	dpkg_finish,
	dpkg_aux_free,
};
