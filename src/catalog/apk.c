/*
 * apk-db-cataloger: the packages apk installed (Alpine, Wolfi,
 * Chainguard, postmarketOS), from lib/apk/db/installed (apk v2) or
 * usr/lib/apk/db/installed (apk v3's location).
 *
 * The database is a list of records separated by blank lines; each line
 * is "<letter>:<value>". Package fields: P name, V version, A arch,
 * o origin (the source package), L licence, T description, U url,
 * m maintainer, S size, I installed size, D depends, p provides,
 * C checksum of the control data, c git commit. Owned files follow the
 * package fields: F sets the current directory, R names a file in it,
 * Z is that file's checksum ("Q1" + base64 of a SHA-1, "Q2" of a
 * SHA-256, else hex). Other letters (ACLs, build time, replaces, ...)
 * are ignored.
 *
 * A record with no P or no V is skipped with a warning naming its line;
 * a repeated field keeps its first value. The licence is kept whole when
 * it is an SPDX expression (it has AND/OR/WITH or parentheses), else it
 * is split on spaces into separate licences.
 */
#include <string.h>

#include "catalog/catalog_int.h"
#include "catalog/catutil.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/banned.h"

#define NAME "apk-db-cataloger"
#define MAX_PACKAGES 200000
#define MAX_FILES 2000000 /* R lines in one database */
#define PATH_MAX_LEN 4096

/* Fields copied into meta as written. */
static const struct {
	char letter;
	const char *key;
} meta_fields[] = {
	{ 'T', "description" },	   { 'U', "url" },
	{ 'm', "maintainer" },	   { 'S', "size" },
	{ 'I', "installed_size" }, { 'D', "depends" },
	{ 'p', "provides" },	   { 'C', "checksum" },
	{ 'c', "git_commit" },
};

struct record {
	struct cslice v[128]; /* by letter; only ASCII letters are kept */
	size_t line[128];
	size_t first_line;
	struct customs_pkg *pkg; /* made at the first F or R line, or the end */
	struct cbuf dir; /* the current F directory */
	struct cbuf path;
	bool file_open; /* the last R has no Z yet */
};

struct parser {
	const struct cat_input *in;
	struct cat_result *res;
	struct record r;
	size_t n_pkgs, n_files;
	bool full;
};

static int b64val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Decode base64 s into exactly n bytes of out; false when it is not. */
static bool b64_decode(unsigned char *out, size_t n, struct cslice s)
{
	size_t i, o = 0;
	unsigned acc = 0;
	int bits = 0;

	for (i = 0; i < s.n && s.p[i] != '='; i++) {
		int v = b64val(s.p[i]);

		if (v < 0)
			return false;
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o == n)
				return false;
			out[o++] = (unsigned char)(acc >> bits);
		}
	}
	return o == n;
}

static bool is_hex(struct cslice s)
{
	size_t i;

	for (i = 0; i < s.n; i++) {
		char c = s.p[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
		      (c >= 'A' && c <= 'F')))
			return false;
	}
	return s.n > 0;
}

/*
 * An apk checksum as algorithm and lower-case hex in hex[65]; false when
 * it is not one.
 */
static bool checksum(const char **algo, char hex[65], struct cslice s)
{
	unsigned char raw[32];
	size_t n = 0, i;

	if (cslice_startswith(s, "Q1") &&
	    b64_decode(raw, 20, cslice_make(s.p + 2, s.n - 2))) {
		*algo = "sha1";
		n = 20;
	} else if (cslice_startswith(s, "Q2") &&
		   b64_decode(raw, 32, cslice_make(s.p + 2, s.n - 2))) {
		*algo = "sha256";
		n = 32;
	} else if (is_hex(s) && (s.n == 32 || s.n == 40 || s.n == 64)) {
		*algo = s.n == 32 ? "md5" : s.n == 40 ? "sha1" : "sha256";
		for (i = 0; i < s.n; i++)
			hex[i] = (char)(s.p[i] >= 'A' && s.p[i] <= 'F'
						? s.p[i] - 'A' + 'a'
						: s.p[i]);
		hex[s.n] = '\0';
		return true;
	} else {
		return false;
	}
	customs_hex(hex, raw, n);
	return true;
}

static bool is_word(struct cslice w, const char *lit)
{
	return w.n == strlen(lit) && !strncasecmp(w.p, lit, w.n);
}

/* Does the licence read as an SPDX expression rather than a list? */
static bool is_expression(struct cslice l)
{
	struct cslice rest = l;

	if (memchr(l.p, '(', l.n) || memchr(l.p, ')', l.n))
		return true;
	while (rest.n) {
		size_t n = 0;

		while (n < rest.n && rest.p[n] != ' ')
			n++;
		if (is_word(cslice_make(rest.p, n), "AND") ||
		    is_word(cslice_make(rest.p, n), "OR") ||
		    is_word(cslice_make(rest.p, n), "WITH"))
			return true;
		rest = cslice_trim(cslice_make(rest.p + n, rest.n - n));
	}
	return false;
}

static int add_license(struct customs_pkg *pkg, struct cslice l)
{
	char *s = cslice_dup(l);
	int rc;

	if (!s)
		return CUSTOMS_ENOMEM;
	rc = customs_pkg_add_license(pkg, s);
	customs_free(s);
	return rc;
}

static int licenses(struct customs_pkg *pkg, struct cslice l)
{
	int rc = 0;

	l = cslice_trim(l);
	if (!l.n)
		return 0;
	if (is_expression(l))
		return add_license(pkg, l);
	while (!rc && l.n) {
		size_t n = 0;

		while (n < l.n && l.p[n] != ' ' && l.p[n] != '\t')
			n++;
		rc = add_license(pkg, cslice_make(l.p, n));
		l = cslice_trim(cslice_make(l.p + n, l.n - n));
	}
	return rc;
}

static int fill(struct parser *p, struct customs_pkg *pkg)
{
	const struct record *r = &p->r;
	size_t i;
	int rc = 0;

	rc |= cat_set_slice(&pkg->name, r->v['P']);
	rc |= cat_set_slice(&pkg->version, r->v['V']);
	rc |= cat_set_slice(&pkg->arch, r->v['A']);
	rc |= cat_set_slice(&pkg->source_name, r->v['o']);
	for (i = 0; !rc && i < sizeof(meta_fields) / sizeof(meta_fields[0]);
	     i++)
		rc = cat_meta_slice(pkg, meta_fields[i].key,
				    r->v[(unsigned char)meta_fields[i].letter]);
	if (!rc)
		rc = licenses(pkg, r->v['L']);
	return rc ? CUSTOMS_ENOMEM : 0;
}

/* The record's package, made once its fields are known. */
static int make_pkg(struct parser *p, size_t lineno)
{
	struct record *r = &p->r;
	char buf[CAT_SHOW_MAX + 4];

	if (r->pkg)
		return 0;
	if (!r->v['P'].n || cat_has_ctl(r->v['P']))
		return cat_warn(p->res,
				"line %zu: record without a usable P (name) "
				"field, skipped",
				r->first_line ? r->first_line : lineno);
	if (!r->v['V'].n || cat_has_ctl(r->v['V']))
		return cat_warn(p->res,
				"line %zu: package '%s' has no usable V "
				"(version), skipped",
				r->first_line, cat_show(buf, r->v['P']));
	if (p->n_pkgs >= MAX_PACKAGES) {
		if (p->full)
			return 0;
		p->full = true;
		return cat_warn(p->res,
				"line %zu: more than %d packages, the rest "
				"are skipped",
				r->first_line, MAX_PACKAGES);
	}
	r->pkg = cat_pkg_new(p->res, p->in, NAME, CUSTOMS_PKG_APK);
	if (!r->pkg)
		return CUSTOMS_ENOMEM;
	p->n_pkgs++;
	return fill(p, r->pkg);
}

static int file_line(struct parser *p, char key, struct cslice v, size_t lineno)
{
	struct record *r = &p->r;
	struct customs_pkg *pkg;
	const char *algo;
	char hex[65];
	int rc = make_pkg(p, lineno);

	pkg = r->pkg;
	if (rc || !pkg)
		return rc;
	if (key == 'F') {
		while (v.n && v.p[0] == '/') {
			v.p++;
			v.n--;
		}
		cbuf_reset(&r->dir);
		cbuf_put(&r->dir, v.p, v.n);
		r->file_open = false;
		return cbuf_error(&r->dir) == CUSTOMS_ENOMEM ? CUSTOMS_ENOMEM
							     : 0;
	}
	if (key == 'Z') {
		if (!r->file_open)
			return cat_warn(p->res,
					"line %zu: Z without a file, skipped",
					lineno);
		r->file_open = false;
		if (!checksum(&algo, hex, v))
			return cat_warn(p->res,
					"line %zu: bad file checksum, skipped",
					lineno);
		if (customs_pkg_setz(&pkg->files[pkg->n_files - 1].algorithm,
				     algo) ||
		    customs_pkg_setz(&pkg->files[pkg->n_files - 1].digest, hex))
			return CUSTOMS_ENOMEM;
		return 0;
	}
	/* R */
	r->file_open = false;
	if (!v.n || memchr(v.p, '/', v.n) || memchr(v.p, '\0', v.n) ||
	    memchr(r->dir.ptr, '\0', r->dir.len))
		return cat_warn(p->res, "line %zu: bad file name, skipped",
				lineno);
	if (p->n_files >= MAX_FILES)
		return 0;
	cbuf_reset(&r->path);
	if (r->dir.len)
		cbuf_printf(&r->path, "%s/", r->dir.ptr);
	cbuf_put(&r->path, v.p, v.n);
	if (cbuf_error(&r->path) == CUSTOMS_ELIMIT)
		return cat_warn(p->res, "line %zu: path too long, skipped",
				lineno);
	if (cbuf_error(&r->path) ||
	    customs_pkg_add_file(pkg, r->path.ptr, NULL, NULL, false))
		return CUSTOMS_ENOMEM;
	p->n_files++;
	r->file_open = true;
	return 0;
}

static void record_reset(struct record *r)
{
	memset(r->v, 0, sizeof(r->v));
	memset(r->line, 0, sizeof(r->line));
	r->first_line = 0;
	r->pkg = NULL;
	r->file_open = false;
	cbuf_reset(&r->dir);
	cbuf_reset(&r->path);
}

static int record_line(struct parser *p, struct cslice line, size_t lineno)
{
	struct record *r = &p->r;
	unsigned char key;
	struct cslice v;

	if (line.n < 2 || line.p[1] != ':' ||
	    !((line.p[0] >= 'A' && line.p[0] <= 'Z') ||
	      (line.p[0] >= 'a' && line.p[0] <= 'z')))
		return cat_warn(p->res,
				"line %zu: not a '<letter>:<value>' line, "
				"skipped",
				lineno);
	key = (unsigned char)line.p[0];
	v = cslice_make(line.p + 2, line.n - 2);
	if (key == 'F' || key == 'R' || key == 'Z')
		return file_line(p, (char)key, v, lineno);
	if (r->pkg) {
		/* fields after the file list (apk writes none we keep) */
		return 0;
	}
	if (r->line[key])
		return cat_warn(p->res,
				"line %zu: field '%c' repeated (first on line "
				"%zu), the first value is kept",
				lineno, key, r->line[key]);
	r->line[key] = lineno;
	r->v[key] = v;
	return 0;
}

static int record_end(struct parser *p, size_t lineno, bool cut)
{
	struct record *r = &p->r;

	if (!r->first_line)
		return 0;
	if (cut && !r->pkg)
		return cat_warn(p->res,
				"line %zu: record cut short by the read "
				"limit, skipped",
				r->first_line);
	return make_pkg(p, lineno);
}

static int apk_parse(const struct cat_input *in, struct cat_result *res)
{
	struct parser p = { 0 };
	struct cslice rest = cslice_make((const char *)in->data, in->len);
	struct cslice line;
	size_t lineno = 0;
	int rc = 0;

	p.in = in;
	p.res = res;
	cbuf_init(&p.r.dir, PATH_MAX_LEN);
	cbuf_init(&p.r.path, PATH_MAX_LEN);
	record_reset(&p.r);
	while (!rc && cslice_next_line(&rest, &line)) {
		lineno++;
		if (!cslice_trim(line).n) {
			rc = record_end(&p, lineno, false);
			record_reset(&p.r);
			continue;
		}
		/* the last line of a cut file is partial */
		if (in->truncated && !rest.n)
			break;
		if (!p.r.first_line)
			p.r.first_line = lineno;
		rc = record_line(&p, line, lineno);
	}
	if (!rc)
		rc = record_end(&p, lineno, in->truncated);
	cbuf_release(&p.r.dir);
	cbuf_release(&p.r.path);
	return rc;
}

static const struct customs_want apk_wants[] = {
	{ CUSTOMS_WANT_PATH, "lib/apk/db/installed" },
	{ CUSTOMS_WANT_PATH, "usr/lib/apk/db/installed" },
};

const struct cataloger cat_apk = {
	NAME,	   "os apk alpine",
	apk_wants, sizeof(apk_wants) / sizeof(apk_wants[0]),
	64u << 20, CAT_IMAGE | CAT_OS,
	apk_parse, NULL,
	NULL,
};
