/*
 * CPE 2.3 candidates for packages, in the spirit of Syft's generator:
 * vendor and product candidates from the name, the namespace and the
 * ecosystem, crossed, each written as a formatted string
 * "cpe:2.3:a:<vendor>:<product>:<version>:*:*:*:*:*:*:*".
 *
 * Unlike Syft we generate none for deb, rpm and apk packages: their
 * vulnerabilities are matched through the distribution's own data by
 * PURL, and name-derived CPEs for OS packages are the main source of
 * false positives. A cataloger that set CPEs (binary classifiers) keeps
 * them. The most specific candidate comes first, because CycloneDX has
 * room for one CPE and the writers use the first.
 *
 * Values are escaped per the CPE 2.3 formatted-string binding: letters,
 * digits, '-', '.' and '_' stay, a space becomes '_', every other
 * printable ASCII character is quoted with '\'. A value with bytes
 * outside printable ASCII gives no CPE.
 */
#include <ctype.h>
#include <string.h>

#include "customs/pkg.h"
#include "pkg/pkg_int.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/banned.h"

#define CPE_MAX 1024
#define MAX_CAND 4

struct cands {
	char v[MAX_CAND][128];
	size_t n;
};

/* Add the lower-cased n bytes of s as a candidate (dropping duplicates). */
static void cand_add(struct cands *c, const char *s, size_t n)
{
	size_t i;

	if (!s || !n || n >= sizeof(c->v[0]) || c->n >= MAX_CAND)
		return;
	for (i = 0; i < n; i++)
		c->v[c->n][i] = (char)tolower((unsigned char)s[i]);
	c->v[c->n][n] = '\0';
	for (i = 0; i < c->n; i++) {
		if (!strcmp(c->v[i], c->v[c->n]))
			return;
	}
	c->n++;
}

static void cand_addz(struct cands *c, const char *s)
{
	if (s)
		cand_add(c, s, strlen(s));
}

/* Escape one value; false when it cannot be written. */
static bool put_value(struct cbuf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!*p) {
		cbuf_putc(b, '*');
		return true;
	}
	for (; *p; p++) {
		if (isalnum(*p) || *p == '-' || *p == '.' || *p == '_') {
			cbuf_putc(b, (char)*p);
		} else if (*p == ' ') {
			cbuf_putc(b, '_');
		} else if (*p > 0x20 && *p < 0x7f) {
			cbuf_putc(b, '\\');
			cbuf_putc(b, (char)*p);
		} else {
			return false;
		}
	}
	return true;
}

int pkg_cpe_format(char **out, const char *vendor, const char *product,
		   const char *version)
{
	struct cbuf b;
	bool ok;

	*out = NULL;
	cbuf_init(&b, CPE_MAX);
	cbuf_puts(&b, "cpe:2.3:a:");
	ok = put_value(&b, vendor);
	cbuf_putc(&b, ':');
	ok = ok && put_value(&b, product);
	cbuf_putc(&b, ':');
	ok = ok && put_value(&b, version ? version : "");
	cbuf_puts(&b, ":*:*:*:*:*:*:*");
	if (cbuf_error(&b) == CUSTOMS_ENOMEM) {
		cbuf_release(&b);
		return CUSTOMS_ENOMEM;
	}
	if (ok && !cbuf_error(&b)) {
		*out = cbuf_detach(&b);
		if (!*out)
			return CUSTOMS_ENOMEM;
	}
	cbuf_release(&b);
	return 0;
}

static const char *const tlds[] = { "com", "org", "net", "io", "de",
				    "edu", "gov", "uk",	 "fr", "ch",
				    "eu",  "dev", NULL };

static bool is_tld(const char *s, size_t n)
{
	size_t i;

	for (i = 0; tlds[i]; i++) {
		if (strlen(tlds[i]) == n && !strncmp(tlds[i], s, n))
			return true;
	}
	return false;
}

/* Maven: groupId "org.apache.logging.log4j" gives vendor "apache". */
static void java_cands(struct cands *v, struct cands *p,
		       const struct customs_pkg *pkg)
{
	const char *g = pkg->namespace, *dot;

	if (g) {
		dot = strchr(g, '.');
		if (dot && is_tld(g, (size_t)(dot - g))) {
			const char *next = strchr(dot + 1, '.');

			cand_add(v, dot + 1,
				 next ? (size_t)(next - dot - 1)
				      : strlen(dot + 1));
		} else {
			cand_add(v, g, dot ? (size_t)(dot - g) : strlen(g));
		}
	}
	cand_addz(v, pkg->name);
	cand_addz(p, pkg->name);
}

/* Go: "github.com/org/repo" gives org:repo, "golang.org/x/net" golang:net */
static void go_cands(struct cands *v, struct cands *p,
		     const struct customs_pkg *pkg)
{
	const char *n = pkg->name, *s1 = strchr(n, '/'), *last;

	last = strrchr(n, '/');
	last = last ? last + 1 : n;
	if (s1 &&
	    (!strncmp(n, "github.com/", 11) || !strncmp(n, "gitlab.com/", 11) ||
	     !strncmp(n, "bitbucket.org/", 14))) {
		const char *s2 = strchr(s1 + 1, '/');

		cand_add(v, s1 + 1,
			 s2 ? (size_t)(s2 - s1 - 1) : strlen(s1 + 1));
	} else if (s1) {
		const char *dot = memchr(n, '.', (size_t)(s1 - n));

		cand_add(v, n, dot ? (size_t)(dot - n) : (size_t)(s1 - n));
	}
	cand_addz(v, last);
	cand_addz(p, last);
}

/* npm "@scope/name": vendors scope and name, product name. */
static void scoped_cands(struct cands *v, struct cands *p, const char *name,
			 char sep)
{
	const char *s = strchr(name, sep);

	if (*name == '@')
		name++;
	if (s && s[1]) {
		cand_add(v, name, (size_t)(s - name));
		name = s + 1;
	}
	cand_addz(v, name);
	cand_addz(p, name);
}

static int add_cross(struct customs_pkg *pkg, const struct cands *v,
		     const struct cands *p, const char *version)
{
	size_t i, j;
	int rc = 0;

	for (i = 0; !rc && i < v->n; i++) {
		for (j = 0; !rc && j < p->n; j++) {
			char *cpe = NULL;

			rc = pkg_cpe_format(&cpe, v->v[i], p->v[j], version);
			if (!rc && cpe)
				rc = customs_pkg_add_cpe(pkg, cpe);
			customs_free(cpe);
		}
	}
	return rc;
}

int pkg_cpe_generate(struct customs_pkg *pkg,
		     const struct customs_pkg_distro *distro)
{
	struct cands v = { .n = 0 }, p = { .n = 0 };
	const char *version = pkg->version;

	(void)distro;
	if (pkg->cpes.n || !pkg->name || !*pkg->name)
		return 0;
	/* a Go main module built outside version control has no version;
	 * a CPE with "(devel)" would only ever match by accident */
	if (version && !strcmp(version, "(devel)"))
		return 0;
	switch (pkg->type) {
	case CUSTOMS_PKG_JAVA:
	case CUSTOMS_PKG_JENKINS:
		java_cands(&v, &p, pkg);
		break;
	case CUSTOMS_PKG_GO:
		if (!strcmp(pkg->name, "stdlib")) {
			cand_addz(&v, "golang");
			cand_addz(&p, "go");
			if (version && !strncmp(version, "go", 2))
				version += 2;
		} else {
			go_cands(&v, &p, pkg);
		}
		break;
	case CUSTOMS_PKG_NPM:
		scoped_cands(&v, &p, pkg->name, '/');
		break;
	case CUSTOMS_PKG_PHP:
		scoped_cands(&v, &p, pkg->name, '/');
		break;
	case CUSTOMS_PKG_PYTHON:
	case CUSTOMS_PKG_GEM:
	case CUSTOMS_PKG_RUST:
	case CUSTOMS_PKG_DOTNET:
	case CUSTOMS_PKG_BINARY:
		cand_addz(&v, pkg->name);
		cand_addz(&p, pkg->name);
		break;
	default: /* deb, rpm, apk: matched by PURL (see the top) */
		return 0;
	}
	return add_cross(pkg, &v, &p, version);
}
