/*
 * binary-classifier-cataloger: versions of well-known programs found in
 * their binaries, as Syft's classifiers do. A classifier names the file
 * (exact basename or a prefix, as Syft's "**\/name" globs), a matcher for
 * the version in the content (binmatch.c), the package name Syft gives it
 * and the CPEs Syft attaches (vendor:product pairs; the version is filled
 * in here, escaped as CPE 2.3 formatted strings require).
 *
 * The first classifier whose name and evidence match wins; one package
 * per file, type "binary", meta "class" naming the classifier. Packages
 * in a file an OS package owns are dropped later by the catalog
 * (dedupe.c), which compares the real path this cataloger records.
 *
 * Beyond Syft: libcrypto.so* (OpenSSL's version lives in libcrypto,
 * libssl carries none), libcurl*.so* and libjvm.so are classified too,
 * so a library copied into an image without its package is still seen.
 */
#include <stdio.h>
#include <string.h>

#include "catalog/bincat.h"
#include "catalog/binmatch.h"
#include "util/banned.h"

#define NAME "binary-classifier-cataloger"

struct classifier {
	const char *cls;
	const char *file;
	bool prefix; /* file is a basename prefix */
	bool (*match)(const struct binfile *f, char *ver);
	const char *pkg;
	const char *cpes[2]; /* "vendor:product" */
};

static const struct classifier classifiers[] = {
	{ "python-binary",
	  "python",
	  true,
	  bm_python,
	  "python",
	  { "python_software_foundation:python", "python:python" } },
	{ "python-binary-lib",
	  "libpython",
	  true,
	  bm_libpython,
	  "python",
	  { "python_software_foundation:python", "python:python" } },
	{ "redis-binary",
	  "redis-server",
	  false,
	  bm_redis,
	  "redis",
	  { "redislabs:redis", "redis:redis" } },
	{ "java-binary-openjdk",
	  "java",
	  false,
	  bm_java,
	  "java/jre",
	  { "oracle:openjdk", NULL } },
	{ "java-library-openjdk",
	  "libjvm.so",
	  false,
	  bm_libjvm,
	  "java/jre",
	  { "oracle:openjdk", NULL } },
	{ "nodejs-binary",
	  "node",
	  false,
	  bm_node,
	  "node",
	  { "nodejs:node.js", NULL } },
	{ "busybox-binary",
	  "busybox",
	  false,
	  bm_busybox,
	  "busybox",
	  { "busybox:busybox", NULL } },
	{ "postgresql-binary",
	  "postgres",
	  false,
	  bm_postgres,
	  "postgresql",
	  { "postgresql:postgresql", NULL } },
	{ "nginx-binary",
	  "nginx",
	  false,
	  bm_nginx,
	  "nginx",
	  { "f5:nginx", "nginx:nginx" } },
	{ "bash-binary", "bash", false, bm_bash, "bash", { "gnu:bash", NULL } },
	{ "openssl-binary",
	  "openssl",
	  false,
	  bm_openssl,
	  "openssl",
	  { "openssl:openssl", NULL } },
	{ "openssl-library",
	  "libcrypto.so",
	  true,
	  bm_openssl,
	  "openssl",
	  { "openssl:openssl", NULL } },
	{ "curl-binary",
	  "curl",
	  false,
	  bm_curl,
	  "curl",
	  { "haxx:curl", NULL } },
	{ "curl-library",
	  "libcurl",
	  true,
	  bm_curl,
	  "curl",
	  { "haxx:curl", "haxx:libcurl" } },
};

#define N_CLASSIFIERS (sizeof(classifiers) / sizeof(classifiers[0]))

static const struct customs_want wants[] = {
	{ CUSTOMS_WANT_PREFIX, "python" },
	{ CUSTOMS_WANT_PREFIX, "libpython" },
	{ CUSTOMS_WANT_BASENAME, "redis-server" },
	{ CUSTOMS_WANT_BASENAME, "java" },
	{ CUSTOMS_WANT_BASENAME, "libjvm.so" },
	{ CUSTOMS_WANT_BASENAME, "node" },
	{ CUSTOMS_WANT_BASENAME, "busybox" },
	{ CUSTOMS_WANT_BASENAME, "postgres" },
	{ CUSTOMS_WANT_BASENAME, "nginx" },
	{ CUSTOMS_WANT_BASENAME, "bash" },
	{ CUSTOMS_WANT_BASENAME, "openssl" },
	{ CUSTOMS_WANT_PREFIX, "libcrypto.so" },
	{ CUSTOMS_WANT_BASENAME, "curl" },
	{ CUSTOMS_WANT_PREFIX, "libcurl" },
};

static bool name_matches(const struct classifier *c, const char *base)
{
	return c->prefix ? !strncmp(base, c->file, strlen(c->file))
			 : !strcmp(base, c->file);
}

/* CPE 2.3 formatted-string quoting: a backslash before any byte that
 * is not alphanumeric, '_', '-' or '.'. */
static void cpe_escape(char *out, size_t cap, const char *v)
{
	size_t n = 0;

	for (; *v && n + 2 < cap; v++) {
		char c = *v;

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		      (c >= 'A' && c <= 'Z') || c == '_' || c == '-' ||
		      c == '.'))
			out[n++] = '\\';
		out[n++] = c;
	}
	out[n] = '\0';
}

static int add_pkg(const struct cat_input *in, struct cat_result *res,
		   const struct classifier *c, const char *ver)
{
	struct customs_pkg *p = cat_pkg_new(res, in, NAME, CUSTOMS_PKG_BINARY);
	char esc[2 * BINVER_MAX], cpe[256];
	size_t i;

	if (!p || customs_pkg_setz(&p->name, c->pkg) ||
	    customs_pkg_setz(&p->version, ver) ||
	    customs_pkg_meta_set(p, "class", c->cls))
		return CUSTOMS_ENOMEM;
	cpe_escape(esc, sizeof(esc), ver);
	for (i = 0; i < 2 && c->cpes[i]; i++) {
		snprintf(cpe, sizeof(cpe), "cpe:2.3:a:%s:%s:*:*:*:*:*:*:*",
			 c->cpes[i], esc);
		if (customs_pkg_add_cpe(p, cpe))
			return CUSTOMS_ENOMEM;
	}
	return 0;
}

/*
 * Does c's evidence appear in what was read? A planned file (in->ranges:
 * an ELF file without its code segments) is searched range by range, in
 * file order, so the first match is still the first in the file: version
 * strings are data, never split across segments.
 */
static bool match_in(const struct classifier *c, const struct cat_input *in,
		     const char *base, char *ver)
{
	struct binfile f = { base, in->data, in->len };
	size_t i, at = 0;

	if (!in->ranges)
		return c->match(&f, ver);
	for (i = 0; i < in->n_ranges && in->ranges[i].len <= in->len - at;
	     i++) {
		f.p = in->data + at;
		f.n = (size_t)in->ranges[i].len;
		at += f.n;
		if (c->match(&f, ver))
			return true;
	}
	return false;
}

static int parse(const struct cat_input *in, struct cat_result *res)
{
	const char *slash = strrchr(in->path, '/');
	const char *base = slash ? slash + 1 : in->path;
	const struct classifier *named = NULL;
	char ver[BINVER_MAX];
	size_t i;

	for (i = 0; i < N_CLASSIFIERS; i++) {
		const struct classifier *c = &classifiers[i];

		if (!name_matches(c, base))
			continue;
		named = c;
		if (match_in(c, in, base, ver))
			return add_pkg(in, res, c, ver);
	}
	if (named && in->truncated)
		return cat_warn(res,
				"%s: no version in the first %zu bytes "
				"read",
				named->cls, in->len);
	return 0;
}

const struct cataloger cat_binary_classifier = {
	.name = NAME,
	.tags = "image directory installed binary",
	.wants = wants,
	.n_wants = sizeof(wants) / sizeof(wants[0]),
	.max_bytes = BINCAT_MAX_BYTES,
	.flags = CAT_IMAGE | CAT_OWN_TRUNCATION | CAT_PLAN_DATA,
	.parse = parse,
};
