/*
 * Package URLs (purl-spec, ECMA-427): building one from a package's raw
 * facts, formatting and strict parsing.
 *
 * Encoding follows ECMA-427 clause 5.4: ASCII letters, digits, the
 * punctuation "-._~" and the colon stay as they are; every other byte of
 * a component (namespace segment, name, version, qualifier value, subpath
 * segment) is written as %XX with upper-case hex. So "+" in a Debian
 * version is "%2B", an npm scope's "@" is "%40" and a qualifier value's
 * "/" is "%2F". Qualifiers are sorted by key and empty values dropped.
 *
 * What goes into each type's PURL (namespace, qualifiers) follows Syft;
 * docs/internals/purl.md lists the rules and where we differ.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "customs/pkg.h"
#include "pkg/pkg_int.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

#define PURL_MAX (64 * 1024)

static bool is_safe(unsigned char c)
{
	return isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' ||
	       c == ':';
}

static void put_enc(struct cbuf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		if (is_safe(*p)) {
			cbuf_putc(b, (char)*p);
		} else {
			cbuf_putc(b, '%');
			cbuf_putc(b, hex[*p >> 4]);
			cbuf_putc(b, hex[*p & 15]);
		}
	}
}

static void sort_kv(struct customs_kvlist *m)
{
	size_t i, j;

	for (i = 1; i < m->n; i++) {
		char *k = m->keys[i], *v = m->values[i];

		for (j = i; j > 0 && strcmp(m->keys[j - 1], k) > 0; j--) {
			m->keys[j] = m->keys[j - 1];
			m->values[j] = m->values[j - 1];
		}
		m->keys[j] = k;
		m->values[j] = v;
	}
}

/* lead, then the '/'-separated segments of s, each encoded; empty
 * segments are left out. */
static void put_segments(struct cbuf *b, const char *lead, const char *s)
{
	bool first = true;

	cbuf_puts(b, lead);
	while (*s) {
		const char *slash = strchr(s, '/');
		size_t len = slash ? (size_t)(slash - s) : strlen(s);
		char *seg = len ? customs_strndup(s, len) : NULL;

		if (len && !seg)
			b->err = CUSTOMS_ENOMEM;
		if (seg) {
			if (!first)
				cbuf_putc(b, '/');
			put_enc(b, seg);
			first = false;
		}
		customs_free(seg);
		s += len + (slash ? 1 : 0);
	}
}

int pkg_purl_format(char **out, const struct customs_purl *p)
{
	struct cbuf b;
	size_t i;
	int n = 0;

	*out = NULL;
	cbuf_init(&b, PURL_MAX);
	cbuf_puts(&b, "pkg:");
	cbuf_puts(&b, p->type);
	cbuf_putc(&b, '/');
	if (p->namespace && *p->namespace) {
		put_segments(&b, "", p->namespace);
		cbuf_putc(&b, '/');
	}
	put_enc(&b, p->name);
	if (p->version && *p->version) {
		cbuf_putc(&b, '@');
		put_enc(&b, p->version);
	}
	for (i = 0; i < p->qualifiers.n; i++) {
		if (!*p->qualifiers.values[i])
			continue;
		cbuf_putc(&b, n++ ? '&' : '?');
		cbuf_puts(&b, p->qualifiers.keys[i]);
		cbuf_putc(&b, '=');
		put_enc(&b, p->qualifiers.values[i]);
	}
	if (p->subpath && *p->subpath)
		put_segments(&b, "#", p->subpath);
	if (cbuf_error(&b)) {
		int rc = cbuf_error(&b);

		cbuf_release(&b);
		return rc == CUSTOMS_ELIMIT ? CUSTOMS_ELIMIT : CUSTOMS_ENOMEM;
	}
	*out = cbuf_detach(&b);
	return *out ? 0 : CUSTOMS_ENOMEM;
}

/* ---- building from a package ---- */

struct draft {
	struct customs_purl p;
	struct cbuf tmp; /* scratch for computed strings */
	int rc;
};

static void set(struct draft *d, char **field, const char *s, size_t n)
{
	if (!d->rc && customs_pkg_set(field, s, n))
		d->rc = CUSTOMS_ENOMEM;
}

static void setz(struct draft *d, char **field, const char *s)
{
	set(d, field, s, s ? strlen(s) : 0);
}

static void qual(struct draft *d, const char *key, const char *value)
{
	if (!d->rc && value && *value &&
	    customs_kvlist_add(&d->p.qualifiers, key, value))
		d->rc = CUSTOMS_ENOMEM;
}

static char *lower_dup(struct draft *d, const char *s)
{
	char *c;

	if (d->rc || !s)
		return NULL;
	c = customs_strdup(s);
	if (!c) {
		d->rc = CUSTOMS_ENOMEM;
		return NULL;
	}
	for (char *p = c; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return c;
}

static bool has_word(const char *list, const char *word)
{
	size_t n = strlen(word);
	const char *p = list;

	while (p && *p) {
		while (*p == ' ')
			p++;
		if (!strncmp(p, word, n) && (p[n] == ' ' || !p[n]))
			return true;
		p = strchr(p, ' ');
	}
	return false;
}

static void distro_qual(struct draft *d, const struct customs_pkg_distro *ds)
{
	char *id;

	if (!ds || !ds->id || !*ds->id)
		return;
	id = lower_dup(d, ds->id);
	if (!id)
		return;
	cbuf_reset(&d->tmp);
	if (ds->version_id && *ds->version_id)
		cbuf_printf(&d->tmp, "%s-%s", id, ds->version_id);
	else
		cbuf_puts(&d->tmp, id);
	customs_free(id);
	if (cbuf_error(&d->tmp))
		d->rc = CUSTOMS_ENOMEM;
	qual(d, "distro", d->tmp.ptr);
}

static const char *eq_or(const char *a, const char *b)
{
	return a && b && !strcmp(a, b) ? NULL : a;
}

/* upstream=<source>[@<srcver>] when the source package differs. */
static void upstream_qual(struct draft *d, const struct customs_pkg *pkg)
{
	const char *sv = eq_or(pkg->source_version, pkg->version);

	if (!pkg->source_name || !*pkg->source_name)
		return;
	if (!sv && pkg->name && !strcmp(pkg->source_name, pkg->name))
		return;
	cbuf_reset(&d->tmp);
	cbuf_puts(&d->tmp, pkg->source_name);
	if (sv && *sv)
		cbuf_printf(&d->tmp, "@%s", sv);
	if (cbuf_error(&d->tmp))
		d->rc = CUSTOMS_ENOMEM;
	qual(d, "upstream", d->tmp.ptr);
}

static bool debian_like(const struct customs_pkg_distro *ds)
{
	return ds && ds->id &&
	       (!strcmp(ds->id, "debian") || has_word(ds->id_like, "debian"));
}

static int build_deb(struct draft *d, const struct customs_pkg *pkg,
		     const struct customs_pkg_distro *ds)
{
	if (!debian_like(ds))
		return 1;
	d->p.namespace = lower_dup(d, ds->id);
	qual(d, "arch", pkg->arch);
	distro_qual(d, ds);
	upstream_qual(d, pkg);
	setz(d, &d->p.version, pkg->version);
	return 0;
}

static void rpm_namespace(struct draft *d, const struct customs_pkg_distro *ds)
{
	if (!ds || !ds->id || !*ds->id)
		return;
	if (!strcmp(ds->id, "rhel") || !strcmp(ds->id, "hummingbird"))
		setz(d, &d->p.namespace, "redhat");
	else if (!strncmp(ds->id, "opensuse", 8))
		setz(d, &d->p.namespace, "opensuse");
	else
		d->p.namespace = lower_dup(d, ds->id);
}

/* "[epoch:]version-release": the epoch becomes a qualifier. */
static void build_rpm(struct draft *d, const struct customs_pkg *pkg,
		      const struct customs_pkg_distro *ds)
{
	const char *v = pkg->version, *colon = v ? strchr(v, ':') : NULL;
	const char *epoch = customs_pkg_meta_get(pkg, "epoch");
	char ebuf[24];
	size_t i = 0;

	rpm_namespace(d, ds);
	while (colon && v + i < colon && isdigit((unsigned char)v[i]))
		i++;
	if (colon && v + i == colon && i > 0 && i < sizeof(ebuf)) {
		memcpy(ebuf, v, i);
		ebuf[i] = '\0';
		if (!epoch)
			epoch = ebuf;
		v = colon + 1;
	}
	setz(d, &d->p.version, v);
	qual(d, "arch", pkg->arch);
	qual(d, "epoch", epoch);
	qual(d, "upstream", pkg->source_name);
	distro_qual(d, ds);
}

static void build_apk(struct draft *d, const struct customs_pkg *pkg,
		      const struct customs_pkg_distro *ds)
{
	if (ds && ds->id && *ds->id)
		d->p.namespace = lower_dup(d, ds->id);
	else
		setz(d, &d->p.namespace, "alpine");
	setz(d, &d->p.version, pkg->version);
	qual(d, "arch", pkg->arch);
	distro_qual(d, ds);
	if (pkg->source_name && pkg->name &&
	    strcmp(pkg->source_name, pkg->name))
		qual(d, "upstream", pkg->source_name);
}

/* Split "a/b/c" at the last '/' into namespace "a/b" and name "c". */
static void split_last(struct draft *d, const char *full)
{
	const char *slash = strrchr(full, '/');

	if (slash && slash != full && slash[1]) {
		set(d, &d->p.namespace, full, (size_t)(slash - full));
		setz(d, &d->p.name, slash + 1);
	} else {
		setz(d, &d->p.name, full);
	}
}

static void build_npm(struct draft *d, const struct customs_pkg *pkg)
{
	if (pkg->namespace && *pkg->namespace) {
		setz(d, &d->p.namespace, pkg->namespace);
		setz(d, &d->p.name, pkg->name);
	} else {
		split_last(d, pkg->name);
	}
}

/* PEP 503: lower-case, runs of "-_." become one "-". */
static void build_pypi(struct draft *d, const struct customs_pkg *pkg)
{
	const char *s;

	cbuf_reset(&d->tmp);
	for (s = pkg->name; *s; s++) {
		if (*s == '-' || *s == '_' || *s == '.') {
			while (s[1] == '-' || s[1] == '_' || s[1] == '.')
				s++;
			cbuf_putc(&d->tmp, '-');
		} else {
			cbuf_putc(&d->tmp, (char)tolower((unsigned char)*s));
		}
	}
	if (cbuf_error(&d->tmp))
		d->rc = CUSTOMS_ENOMEM;
	setz(d, &d->p.name, d->tmp.ptr);
	qual(d, "vcs_url", customs_pkg_meta_get(pkg, "vcs_url"));
}

/* Composer "vendor/name[/more]": extra segments join the name with "-". */
static void build_composer(struct draft *d, const struct customs_pkg *pkg)
{
	const char *slash = strchr(pkg->name, '/');

	if (!slash || slash == pkg->name || !slash[1]) {
		setz(d, &d->p.name, pkg->name);
		return;
	}
	set(d, &d->p.namespace, pkg->name, (size_t)(slash - pkg->name));
	setz(d, &d->p.name, slash + 1);
	for (char *p = d->p.name; p && *p; p++) {
		if (*p == '/')
			*p = '-';
	}
}

static void build_go(struct draft *d, const struct customs_pkg *pkg)
{
	const char *v = pkg->version;

	split_last(d, pkg->name);
	/* Syft writes the toolchain as pkg:golang/stdlib@1.21.5 */
	if (!strcmp(pkg->name, "stdlib") && v && !strncmp(v, "go", 2))
		v += 2;
	setz(d, &d->p.version, v);
}

static const char *purl_type(enum customs_pkg_type t)
{
	switch (t) {
	case CUSTOMS_PKG_DEB:
		return "deb";
	case CUSTOMS_PKG_APK:
		return "apk";
	case CUSTOMS_PKG_RPM:
		return "rpm";
	case CUSTOMS_PKG_NPM:
		return "npm";
	case CUSTOMS_PKG_PYTHON:
		return "pypi";
	case CUSTOMS_PKG_JAVA:
	case CUSTOMS_PKG_JENKINS:
		return "maven";
	case CUSTOMS_PKG_GO:
		return "golang";
	case CUSTOMS_PKG_RUST:
		return "cargo";
	case CUSTOMS_PKG_GEM:
		return "gem";
	case CUSTOMS_PKG_PHP:
		return "composer";
	case CUSTOMS_PKG_DOTNET:
		return "nuget";
	case CUSTOMS_PKG_BINARY:
		return "generic";
	default:
		return NULL;
	}
}

/* Fill d->p for pkg; returns 1 when the type has no PURL here. */
static int build_draft(struct draft *d, const struct customs_pkg *pkg,
		       const struct customs_pkg_distro *ds)
{
	switch (pkg->type) {
	case CUSTOMS_PKG_DEB:
		return build_deb(d, pkg, ds);
	case CUSTOMS_PKG_RPM:
		build_rpm(d, pkg, ds);
		return 0;
	case CUSTOMS_PKG_APK:
		build_apk(d, pkg, ds);
		return 0;
	case CUSTOMS_PKG_NPM:
		build_npm(d, pkg);
		break;
	case CUSTOMS_PKG_PYTHON:
		build_pypi(d, pkg);
		break;
	case CUSTOMS_PKG_JAVA:
	case CUSTOMS_PKG_JENKINS:
		setz(d, &d->p.namespace, pkg->namespace);
		break;
	case CUSTOMS_PKG_GO:
		build_go(d, pkg);
		return 0;
	case CUSTOMS_PKG_PHP:
		build_composer(d, pkg);
		break;
	case CUSTOMS_PKG_BINARY:
		/* "java/jre" is pkg:generic/java/jre, as Syft writes it; a
		 * JVM install names its vendor in namespace */
		split_last(d, pkg->name);
		if (!d->p.namespace && pkg->namespace && *pkg->namespace)
			setz(d, &d->p.namespace, pkg->namespace);
		break;
	default:
		break;
	}
	setz(d, &d->p.version, pkg->version);
	return 0;
}

static bool no_controls(const char *s)
{
	for (; s && *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	}
	return true;
}

/* A component with a control byte gives no PURL: the parser (rightly)
 * refuses them, and no ecosystem names packages that way. */
static bool printable(const struct customs_purl *p)
{
	size_t i;

	if (!no_controls(p->namespace) || !no_controls(p->name) ||
	    !no_controls(p->version))
		return false;
	for (i = 0; i < p->qualifiers.n; i++) {
		if (!no_controls(p->qualifiers.values[i]))
			return false;
	}
	return true;
}

int customs_purl_build(char **out, const struct customs_pkg *pkg,
		       const struct customs_pkg_distro *distro)
{
	struct draft d = { 0 };
	const char *type = purl_type(pkg->type);
	int none;

	*out = NULL;
	if (!type || !pkg->name || !*pkg->name)
		return 0;
	cbuf_init(&d.tmp, PURL_MAX);
	setz(&d, &d.p.type, type);
	none = build_draft(&d, pkg, distro);
	if (!d.rc && !none && !d.p.name)
		setz(&d, &d.p.name, pkg->name);
	if (!d.rc && !none && d.p.name && *d.p.name && printable(&d.p)) {
		sort_kv(&d.p.qualifiers);
		d.rc = pkg_purl_format(out, &d.p);
		/* an over-long PURL is left out rather than failing */
		if (d.rc == CUSTOMS_ELIMIT)
			d.rc = 0;
	}
	cbuf_release(&d.tmp);
	customs_purl_release(&d.p);
	return d.rc;
}

/* ---- parsing ---- */

void customs_purl_release(struct customs_purl *p)
{
	customs_free(p->type);
	customs_free(p->namespace);
	customs_free(p->name);
	customs_free(p->version);
	customs_kvlist_release(&p->qualifiers);
	customs_free(p->subpath);
	memset(p, 0, sizeof(*p));
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/*
 * Decode n bytes of s into a new string. Fails on a bad escape, on a
 * decoded control byte or, unless slash_ok, on a decoded '/'.
 */
static int decode(char **out, const char *s, size_t n, const char *what,
		  bool slash_ok, struct customs_ctx *ctx)
{
	char *d = customs_malloc(n + 1);
	size_t i, j = 0;

	*out = NULL;
	if (!d)
		return CUSTOMS_ENOMEM;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '%') {
			int hi = i + 2 < n ? hexval(s[i + 1]) : -1;
			int lo = hi >= 0 ? hexval(s[i + 2]) : -1;

			if (hi < 0 || lo < 0) {
				customs_free(d);
				return customs_error(ctx, CUSTOMS_EFORMAT,
						     "purl: %s: bad percent "
						     "escape",
						     what);
			}
			c = (unsigned char)(hi * 16 + lo);
			i += 2;
		}
		if (c < 0x20 || c == 0x7f || (c == '/' && !slash_ok)) {
			customs_free(d);
			return customs_error(ctx, CUSTOMS_EFORMAT,
					     "purl: %s: forbidden character "
					     "0x%02x",
					     what, c);
		}
		d[j++] = (char)c;
	}
	d[j] = '\0';
	*out = d;
	return 0;
}

static bool valid_type(const char *s, size_t n)
{
	size_t i;

	if (!n || !isalpha((unsigned char)s[0]))
		return false;
	for (i = 0; i < n; i++) {
		if (!isalnum((unsigned char)s[i]) && s[i] != '.' && s[i] != '-')
			return false;
	}
	return true;
}

static bool valid_key(const char *s, size_t n)
{
	size_t i;

	if (!n || !isalpha((unsigned char)s[0]))
		return false;
	for (i = 0; i < n; i++) {
		if (!isalnum((unsigned char)s[i]) && s[i] != '.' &&
		    s[i] != '-' && s[i] != '_')
			return false;
	}
	return true;
}

static int parse_one_qualifier(struct customs_purl *out, const char *s,
			       size_t n, struct customs_ctx *ctx)
{
	const char *eq = memchr(s, '=', n);
	char key[256], *val = NULL;
	size_t kn, i;
	int rc;

	kn = eq ? (size_t)(eq - s) : n;
	if (!eq || !valid_key(s, kn) || kn >= sizeof(key))
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "purl: qualifier '%.*s' is not key=value "
				     "with a valid key",
				     (int)(n > 64 ? 64 : n), s);
	for (i = 0; i < kn; i++)
		key[i] = (char)tolower((unsigned char)s[i]);
	key[kn] = '\0';
	for (i = 0; i < out->qualifiers.n; i++) {
		if (!strcmp(out->qualifiers.keys[i], key))
			return customs_error(ctx, CUSTOMS_EFORMAT,
					     "purl: qualifier '%s' appears "
					     "twice",
					     key);
	}
	rc = decode(&val, eq + 1, n - kn - 1, "qualifier value", true, ctx);
	if (!rc && *val && customs_kvlist_add(&out->qualifiers, key, val))
		rc = CUSTOMS_ENOMEM;
	customs_free(val);
	return rc;
}

static int parse_qualifiers(struct customs_purl *out, const char *s, size_t n,
			    struct customs_ctx *ctx)
{
	size_t i = 0;
	int rc = 0;

	while (!rc && i < n) {
		const char *amp = memchr(s + i, '&', n - i);
		size_t len = amp ? (size_t)(amp - (s + i)) : n - i;

		if (len)
			rc = parse_one_qualifier(out, s + i, len, ctx);
		i += len + 1;
	}
	if (!rc)
		sort_kv(&out->qualifiers);
	return rc;
}

/* Subpath: segments without "", "." and "..", decoded, joined by '/'. */
static int parse_subpath(struct customs_purl *out, const char *s, size_t n,
			 struct customs_ctx *ctx)
{
	struct cbuf b;
	size_t i = 0;
	int rc = 0;

	cbuf_init(&b, PURL_MAX);
	while (!rc && i < n) {
		const char *sl = memchr(s + i, '/', n - i);
		size_t len = sl ? (size_t)(sl - (s + i)) : n - i;
		char *seg = NULL;

		rc = decode(&seg, s + i, len, "subpath", false, ctx);
		if (!rc && *seg && strcmp(seg, ".") && strcmp(seg, "..")) {
			if (b.len)
				cbuf_putc(&b, '/');
			cbuf_puts(&b, seg);
		}
		customs_free(seg);
		i += len + 1;
	}
	if (!rc && cbuf_error(&b))
		rc = CUSTOMS_ENOMEM;
	if (!rc && b.len && !(out->subpath = cbuf_detach(&b)))
		rc = CUSTOMS_ENOMEM;
	cbuf_release(&b);
	return rc;
}

static int parse_namespace(struct customs_purl *out, const char *s, size_t n,
			   struct customs_ctx *ctx)
{
	struct cbuf b;
	size_t i = 0;
	int rc = 0;

	cbuf_init(&b, PURL_MAX);
	while (!rc && i < n) {
		const char *sl = memchr(s + i, '/', n - i);
		size_t len = sl ? (size_t)(sl - (s + i)) : n - i;
		char *seg = NULL;

		if (len) {
			rc = decode(&seg, s + i, len, "namespace", false, ctx);
			if (!rc && !*seg)
				rc = customs_error(ctx, CUSTOMS_EFORMAT,
						   "purl: empty namespace "
						   "segment");
			if (!rc && b.len)
				cbuf_putc(&b, '/');
			if (!rc)
				cbuf_puts(&b, seg);
		}
		customs_free(seg);
		i += len + 1;
	}
	if (!rc && cbuf_error(&b))
		rc = CUSTOMS_ENOMEM;
	if (!rc && b.len && !(out->namespace = cbuf_detach(&b)))
		rc = CUSTOMS_ENOMEM;
	cbuf_release(&b);
	return rc;
}

/* type/namespace/name@version, s without scheme, qualifiers, subpath. */
static int parse_path(struct customs_purl *out, const char *s, size_t n,
		      struct customs_ctx *ctx)
{
	const char *slash, *at, *name;
	size_t i;
	int rc;

	while (n && *s == '/') /* "pkg://type" is tolerated */
		s++, n--;
	while (n && s[n - 1] == '/')
		n--;
	slash = memchr(s, '/', n);
	if (!slash || !valid_type(s, (size_t)(slash - s)))
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "purl: missing or invalid type");
	out->type = customs_strndup(s, (size_t)(slash - s));
	if (!out->type)
		return CUSTOMS_ENOMEM;
	for (i = 0; out->type[i]; i++)
		out->type[i] = (char)tolower((unsigned char)out->type[i]);
	n -= (size_t)(slash + 1 - s);
	s = slash + 1;
	at = NULL;
	for (i = n; i-- > 0;) {
		if (s[i] == '/')
			break;
		if (s[i] == '@') {
			at = s + i;
			break;
		}
	}
	if (at) {
		if (at + 1 == s + n)
			return customs_error(ctx, CUSTOMS_EFORMAT,
					     "purl: empty version after '@'");
		rc = decode(&out->version, at + 1, (size_t)(s + n - at - 1),
			    "version", true, ctx);
		if (rc)
			return rc;
		n = (size_t)(at - s);
	}
	for (name = s + n; name > s && name[-1] != '/'; name--)
		;
	if (name == s + n)
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "purl: missing name");
	/* an encoded '/' may be part of a name (it is no separator there) */
	rc = decode(&out->name, name, (size_t)(s + n - name), "name", true,
		    ctx);
	if (!rc && name > s)
		rc = parse_namespace(out, s, (size_t)(name - 1 - s), ctx);
	return rc;
}

int customs_purl_parse(struct customs_purl *out, const char *s,
		       struct customs_ctx *ctx)
{
	size_t n = strlen(s);
	const char *hash, *q;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (n > PURL_MAX)
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "purl: longer than %d bytes", PURL_MAX);
	if (n < 4 || strncasecmp(s, "pkg:", 4))
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "purl: does not start with \"pkg:\"");
	hash = memchr(s, '#', n);
	if (hash) {
		rc = parse_subpath(out, hash + 1, (size_t)(s + n - hash - 1),
				   ctx);
		n = (size_t)(hash - s);
	}
	q = rc ? NULL : memchr(s, '?', n);
	if (q) {
		rc = parse_qualifiers(out, q + 1, (size_t)(s + n - q - 1), ctx);
		n = (size_t)(q - s);
	}
	if (!rc)
		rc = parse_path(out, s + 4, n - 4, ctx);
	if (rc)
		customs_purl_release(out);
	return rc;
}
