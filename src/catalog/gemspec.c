/*
 * Ruby: the gems RubyGems installed, from their installed specifications
 * (<gem home>/specifications/<name>-<version>[-<platform>].gemspec). These
 * are Ruby source RubyGems wrote itself, one assignment per line
 * ("  s.name = \"rack\".freeze"); they are read, never evaluated:
 *
 * - a line "<var>.<field> = <literal>" sets field; the literal is a
 *   string, an array of strings (over several lines), or
 *   Gem::Version.new("..."), with .freeze and the like ignored
 *   (rubylit.c); anything else on the right is not a literal and the
 *   field is left unset (a warning for name, version and licences);
 * - fields kept: name, version, homepage, license/licenses (declared
 *   licences), authors (meta "authors", joined with ", ") and files;
 * - "#{name}" and "#{version}" (also "#{s.name}") in homepage and files
 *   are expanded, as Syft does;
 * - files are relative to the gem's directory, <gem home>/gems/<spec
 *   file name without .gemspec>/, and become owned files under it.
 *
 * A spec without a name or a version is reported as a warning, not a
 * package.
 */
#include <stddef.h>
#include <string.h>

#include "catalog/catalog_int.h"
#include "catalog/rubylit.h"
#include "util/buf.h"
#include "util/banned.h"

#define GEMSPEC_MAX_BYTES (8u << 20)
#define GEMSPEC_MAX_FILES 100000u
#define GEMSPEC_MAX_LICENSES 64u

static const char gemspec_name[] = "ruby-installed-gemspec-cataloger";

struct gem {
	struct customs_strlist name, version, homepage, licenses, authors,
		files;
};

static void gem_release(struct gem *g)
{
	customs_strlist_release(&g->name);
	customs_strlist_release(&g->version);
	customs_strlist_release(&g->homepage);
	customs_strlist_release(&g->licenses);
	customs_strlist_release(&g->authors);
	customs_strlist_release(&g->files);
}

/* The list a field name fills, or NULL for fields not kept. */
static struct customs_strlist *field_list(struct gem *g, const char *f,
					  size_t n)
{
	static const struct {
		const char *name;
		size_t off;
	} fields[] = {
		{ "name", offsetof(struct gem, name) },
		{ "version", offsetof(struct gem, version) },
		{ "homepage", offsetof(struct gem, homepage) },
		{ "license", offsetof(struct gem, licenses) },
		{ "licenses", offsetof(struct gem, licenses) },
		{ "authors", offsetof(struct gem, authors) },
		{ "author", offsetof(struct gem, authors) },
		{ "files", offsetof(struct gem, files) },
	};
	size_t i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (strlen(fields[i].name) == n &&
		    !memcmp(fields[i].name, f, n))
			return (struct customs_strlist *)((char *)g +
							  fields[i].off);
	}
	return NULL;
}

static bool ident_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       (!first && c >= '0' && c <= '9');
}

/* Past an identifier at *p; false when there is none. */
static bool skip_ident(const char **p, const char *end)
{
	const char *s = *p;

	while (*p < end && ident_char(**p, *p == s))
		++*p;
	return *p > s;
}

/*
 * "<var>.<field> = " at r->p (after indentation): the field's name in
 * (*f, *n) and r->p at the value. False for any other line.
 */
static bool assignment(struct rubylit *r, const char **f, size_t *n)
{
	const char *p = r->p;

	if (!skip_ident(&p, r->end) || p >= r->end || *p != '.')
		return false;
	*f = ++p;
	if (!skip_ident(&p, r->end))
		return false;
	*n = (size_t)(p - *f);
	while (p < r->end && (*p == ' ' || *p == '\t'))
		p++;
	if (p >= r->end || *p != '=' || (p + 1 < r->end && p[1] == '='))
		return false;
	r->p = p + 1;
	return true;
}

static bool must_parse(const char *f, size_t n)
{
	return (n == 4 && !memcmp(f, "name", 4)) ||
	       (n == 7 && !memcmp(f, "version", 7)) ||
	       (n >= 7 && !memcmp(f, "license", 7));
}

/* One line at r->p; r->p ends at the start of the next line. */
static int line(struct rubylit *r, struct gem *g, struct cat_result *res)
{
	struct customs_strlist *list;
	const char *f;
	size_t n, at = r->line;
	int rc = 0;

	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t'))
		r->p++;
	if (assignment(r, &f, &n) && (list = field_list(g, f, n))) {
		/* a later assignment replaces an earlier one */
		customs_strlist_release(list);
		rc = rubylit_read(r, list);
		if (rc == CUSTOMS_EFORMAT) {
			customs_strlist_release(list);
			rc = must_parse(f, n)
				     ? cat_warn(res,
						"line %zu: %.*s: not a literal "
						"string or array",
						at, (int)n, f)
				     : 0;
		}
	}
	while (r->p < r->end && *r->p != '\n')
		r->p++;
	if (r->p < r->end) {
		r->p++;
		r->line++;
	}
	return rc;
}

/* s with "#{name}", "#{version}", "#{<var>.name}"... expanded. */
static int expand(struct cbuf *b, const char *s, const char *name,
		  const char *version)
{
	const char *q, *e;

	cbuf_reset(b);
	while ((q = strstr(s, "#{")) && (e = strchr(q, '}'))) {
		const char *dot = memchr(q, '.', (size_t)(e - q));
		const char *word = dot ? dot + 1 : q + 2;
		size_t wn = (size_t)(e - word);

		cbuf_put(b, s, (size_t)(q - s));
		if (wn == 4 && !memcmp(word, "name", 4))
			cbuf_puts(b, name);
		else if (wn == 7 && !memcmp(word, "version", 7))
			cbuf_puts(b, version);
		else
			cbuf_put(b, q, (size_t)(e + 1 - q));
		s = e + 1;
	}
	cbuf_puts(b, s);
	return cbuf_error(b) == CUSTOMS_ENOMEM ? CUSTOMS_ENOMEM : 0;
}

/*
 * The length of the gem home in path (the directory holding the last
 * "specifications" component), or -1 when path is not under one.
 */
static long gem_home(const char *path)
{
	long home = strncmp(path, "specifications/", 15) ? -1 : 0;
	const char *p = path;

	while ((p = strstr(p, "/specifications/"))) {
		home = (long)(p - path);
		p++;
	}
	return home;
}

/* Is a file name safe to put under the gem directory? */
static bool inside(const char *f)
{
	const char *p = f;

	if (!*f || *f == '/')
		return false;
	while ((p = strstr(p, ".."))) {
		if ((p == f || p[-1] == '/') && (!p[2] || p[2] == '/'))
			return false;
		p += 2;
	}
	return true;
}

/* The gem's own directory: <home>/gems/<spec name without .gemspec>/. */
static void gem_dir(struct cbuf *b, const char *path, long home)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 8 && !strcmp(base + n - 8, ".gemspec"))
		n -= 8;
	cbuf_reset(b);
	if (home > 0)
		cbuf_printf(b, "%.*s/", (int)home, path);
	cbuf_printf(b, "gems/%.*s/", (int)n, base);
}

static int add_files(struct customs_pkg *pkg, struct cat_result *res,
		     const struct cat_input *in, const struct gem *g, long home)
{
	struct cbuf dir = CBUF_INIT(1 << 16), f = CBUF_INIT(1 << 16);
	size_t i, skipped = 0, n = g->files.n;
	int rc = 0;

	if (n > GEMSPEC_MAX_FILES)
		n = GEMSPEC_MAX_FILES;
	for (i = 0; !rc && i < n; i++) {
		rc = expand(&f, g->files.v[i], pkg->name, pkg->version);
		if (rc || !inside(f.ptr)) {
			skipped += !rc;
			continue;
		}
		cbuf_reset(&dir);
		gem_dir(&dir, in->path, home);
		cbuf_puts(&dir, f.ptr);
		rc = cbuf_error(&dir) == CUSTOMS_ENOMEM ? CUSTOMS_ENOMEM : 0;
		if (!rc && !cbuf_error(&dir))
			rc = customs_pkg_add_file(pkg, dir.ptr, NULL, NULL,
						  false);
	}
	if (!rc && skipped)
		rc = cat_warn(res,
			      "files: %zu names outside the gem directory "
			      "ignored",
			      skipped);
	cbuf_release(&dir);
	cbuf_release(&f);
	return rc;
}

static int add_authors(struct customs_pkg *pkg, const struct gem *g)
{
	struct cbuf b = CBUF_INIT(1 << 16);
	size_t i;
	int rc;

	for (i = 0; i < g->authors.n; i++)
		cbuf_printf(&b, "%s%s", i ? ", " : "", g->authors.v[i]);
	rc = cbuf_error(&b) == CUSTOMS_ENOMEM ? CUSTOMS_ENOMEM : 0;
	if (!rc && b.len)
		rc = customs_pkg_meta_set(pkg, "authors", b.ptr);
	cbuf_release(&b);
	return rc;
}

static int add_gem(const struct cat_input *in, struct cat_result *res,
		   const struct gem *g, long home)
{
	const char *name = g->name.n ? g->name.v[0] : "";
	const char *version = g->version.n ? g->version.v[0] : "";
	struct cbuf b = CBUF_INIT(1 << 16);
	struct customs_pkg *pkg;
	size_t i;
	int rc;

	if (!*name || !*version)
		return cat_warn(res, "no %s", *name ? "version" : "name");
	pkg = cat_pkg_new(res, in, gemspec_name, CUSTOMS_PKG_GEM);
	if (!pkg)
		return CUSTOMS_ENOMEM;
	rc = customs_pkg_setz(&pkg->name, name);
	rc = rc ? rc : customs_pkg_setz(&pkg->version, version);
	for (i = 0; !rc && i < g->licenses.n && i < GEMSPEC_MAX_LICENSES; i++)
		if (*g->licenses.v[i])
			rc = customs_pkg_add_license(pkg, g->licenses.v[i]);
	if (!rc && g->homepage.n) {
		rc = expand(&b, g->homepage.v[0], name, version);
		if (!rc && b.len)
			rc = customs_pkg_meta_set(pkg, "homepage", b.ptr);
	}
	cbuf_release(&b);
	rc = rc ? rc : add_authors(pkg, g);
	return rc ? rc : add_files(pkg, res, in, g, home);
}

static int parse_gemspec(const struct cat_input *in, struct cat_result *res)
{
	struct rubylit r = { (const char *)in->data,
			     (const char *)in->data + in->len, 1 };
	long home = gem_home(in->path);
	struct gem g;
	int rc = 0;

	if (home < 0)
		return 0;
	memset(&g, 0, sizeof(g));
	while (!rc && r.p < r.end)
		rc = line(&r, &g, res);
	rc = rc ? rc : add_gem(in, res, &g, home);
	gem_release(&g);
	return rc;
}

static const struct customs_want gemspec_wants[] = {
	{ CUSTOMS_WANT_EXT, "gemspec" },
};

const struct cataloger cat_gemspec = {
	.name = gemspec_name,
	.tags = "installed image package language ruby gem",
	.wants = gemspec_wants,
	.n_wants = 1,
	.max_bytes = GEMSPEC_MAX_BYTES,
	.flags = CAT_IMAGE,
	.parse = parse_gemspec,
};
