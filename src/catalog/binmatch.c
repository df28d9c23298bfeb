/*
 * Version evidence matchers (see binmatch.h). Each comment gives the
 * Syft pattern it follows; "." in those patterns is written as Syft
 * writes it, but matched here as a literal dot where Syft meant one.
 */
#include <string.h>

#include "catalog/binmatch.h"
#include "util/banned.h"

typedef const unsigned char uc;

#define NEAR 64 /* how far a grammar looks from its anchor */

static bool dig(uc c)
{
	return c >= '0' && c <= '9';
}

static bool lower(uc c)
{
	return c >= 'a' && c <= 'z';
}

static bool alnum(uc c)
{
	return dig(c) || lower(c) || (c >= 'A' && c <= 'Z');
}

static size_t digits(uc *s, uc *e)
{
	uc *q = s;

	while (q < e && dig(*q))
		q++;
	return (size_t)(q - s);
}

/* \d+\.\d+\.\d+ at s: its length or 0. */
static size_t semver3(uc *s, uc *e)
{
	uc *q = s;
	size_t k, d;

	for (k = 0; k < 3; k++) {
		d = digits(q, e);
		if (!d)
			return 0;
		q += d;
		if (k < 2) {
			if (q >= e || *q != '.')
				return 0;
			q++;
		}
	}
	return (size_t)(q - s);
}

/* Does s start with lit (inside e)? */
static bool at(uc *s, uc *e, const char *lit)
{
	size_t n = strlen(lit);

	return (size_t)(e - s) >= n && !memcmp(s, lit, n);
}

/* Copy a version out; only printable ASCII without spaces is one. */
static bool take(char *ver, uc *s, size_t n)
{
	size_t i;

	if (!n || n >= BINVER_MAX)
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] <= ' ' || s[i] >= 0x7f)
			return false;
	}
	memcpy(ver, s, n);
	ver[n] = '\0';
	return true;
}

static uc *find(const struct binfile *f, uc *from, const char *lit, size_t n)
{
	uc *end = f->p + f->n;

	if (from >= end)
		return NULL;
	return memmem(from, (size_t)(end - from), lit, n);
}

/*
 * For each occurrence of lit (n bytes) call g with the bytes after it;
 * the first success wins. pre: the byte before lit must be one of these
 * ("" = no constraint; a NUL in the set is given as n_pre).
 */
typedef bool (*grammar)(uc *s, uc *e, char *ver);

static bool scan(const struct binfile *f, const char *lit, size_t n,
		 const char *pre, size_t n_pre, grammar g, char *ver)
{
	uc *end = f->p + f->n, *h;

	for (h = find(f, f->p, lit, n); h; h = find(f, h + 1, lit, n)) {
		if (n_pre && (h == f->p || !memchr(pre, h[-1], n_pre)))
			continue;
		if (g(h + n, end, ver))
			return true;
	}
	return false;
}

/* \d+(\.\d+)+ at s (a NUL-terminated name): its length or 0. */
static size_t dotted(const char *s)
{
	uc *e = (uc *)s + strlen(s);
	size_t i = 0, groups = 0, d;

	while ((d = digits((uc *)s + i, e)) != 0) {
		i += d;
		groups++;
		if (s[i] != '.' || !dig((uc)s[i + 1]))
			break;
		i++;
	}
	return groups >= 2 ? i : 0;
}

/* \x00<prefix>[-._a-zA-Z0-9]*\x00 (Syft's python version template) */
static bool template(const struct binfile *f, const char *v, size_t n,
		     char *ver)
{
	char needle[32];
	uc *end = f->p + f->n, *h, *q;

	if (n + 1 > sizeof(needle))
		return false;
	needle[0] = '\0';
	memcpy(needle + 1, v, n);
	for (h = find(f, f->p, needle, n + 1); h;
	     h = find(f, h + 1, needle, n + 1)) {
		for (q = h + 1 + n; q < end && (alnum(*q) || *q == '-' ||
						*q == '.' || *q == '_');
		     q++)
			;
		if (q < end && !*q && take(ver, h + 1, (size_t)(q - h - 1)))
			return true;
	}
	return false;
}

/* file name python<N.N...> */
bool bm_python(const struct binfile *f, char *ver)
{
	size_t n;

	if (strncmp(f->base, "python", 6))
		return false;
	n = dotted(f->base + 6);
	return n && !f->base[6 + n] && template(f, f->base + 6, n, ver);
}

/* file name libpython<N.N...>[a-z]?.so* */
bool bm_libpython(const struct binfile *f, char *ver)
{
	const char *v = f->base + 9, *q;
	size_t n;

	if (strncmp(f->base, "libpython", 9))
		return false;
	n = dotted(v);
	q = v + n;
	if (lower((uc)*q))
		q++;
	return n && !strncmp(q, ".so", 3) && template(f, v, n, ver);
}

/* (0|4|5|6)\.\d+\.\d+\x00 after "\x00v" or "\x00node v" */
static bool g_node_old(uc *s, uc *e, char *ver)
{
	size_t n;

	if (s >= e || (*s != '0' && (*s < '4' || *s > '6')))
		return false;
	n = semver3(s, e);
	return n && s + n < e && !s[n] && take(ver, s, n);
}

static bool g_semver3(uc *s, uc *e, char *ver)
{
	return take(ver, s, semver3(s, e));
}

/* \x00(node )?v(?P<version>(0|4|5|6)\.\d+\.\d+)\x00, node\.js/v<semver> */
bool bm_node(const struct binfile *f, char *ver)
{
	return scan(f, "\0v", 2, "", 0, g_node_old, ver) ||
	       scan(f, "\0node v", 7, "", 0, g_node_old, ver) ||
	       scan(f, "node.js/v", 9, "", 0, g_semver3, ver);
}

/* \x00OpenSSL (\d+\.\d+\.\d+([a-z]|-alpha\d|-beta\d|-rc\d)?) */
static bool g_openssl(uc *s, uc *e, char *ver)
{
	size_t n = semver3(s, e), k;
	static const char *const pre[] = { "-alpha", "-beta", "-rc" };

	if (!n)
		return false;
	if (s + n < e && lower(s[n])) {
		n++;
	} else {
		for (k = 0; k < 3; k++) {
			size_t l = strlen(pre[k]);

			if (at(s + n, e, pre[k]) && s + n + l < e &&
			    dig(s[n + l])) {
				n += l + 1;
				break;
			}
		}
	}
	return take(ver, s, n);
}

bool bm_openssl(const struct binfile *f, char *ver)
{
	return scan(f, "\0OpenSSL ", 9, "", 0, g_openssl, ver);
}

/* BusyBox\s+v(\d+\.\d+\.\d+) */
static bool g_busybox(uc *s, uc *e, char *ver)
{
	uc *q = s;

	while (q < e && q - s < NEAR &&
	       (*q == ' ' || (*q >= '\t' && *q <= '\r')))
		q++;
	if (q == s || q >= e || *q != 'v')
		return false;
	return g_semver3(q + 1, e, ver);
}

bool bm_busybox(const struct binfile *f, char *ver)
{
	return scan(f, "BusyBox", 7, "", 0, g_busybox, ver);
}

/* @\(#\)Bash version (\d+\.\d+\.\d+)\(\d\) [a-z0-9]+ GNU */
static bool g_bash(uc *s, uc *e, char *ver)
{
	size_t n = semver3(s, e);
	uc *q = s + n;

	if (!n || !at(q, e, "(") || q + 4 > e || !dig(q[1]) ||
	    !at(q + 2, e, ") "))
		return false;
	q += 4;
	if (q >= e || !(lower(*q) || dig(*q)))
		return false;
	while (q < e && (lower(*q) || dig(*q)))
		q++;
	return at(q, e, " GNU") && take(ver, s, n);
}

bool bm_bash(const struct binfile *f, char *ver)
{
	return scan(f, "@(#)Bash version ", 17, "", 0, g_bash, ver);
}

/* curl/(\d+\.\d+\.\d+) */
bool bm_curl(const struct binfile *f, char *ver)
{
	return scan(f, "curl/", 5, "", 0, g_semver3, ver);
}

/* (\x00|\?)nginx version: [^/]+/(\d+\.\d+\.\d+(?:\+\d+)?(?:-\d+)?) */
static bool g_nginx(uc *s, uc *e, char *ver)
{
	uc *q = s, *v;
	size_t n;

	while (q < e && q - s < NEAR && *q != '/')
		q++;
	if (q == s || q >= e || *q != '/')
		return false;
	v = q + 1;
	n = semver3(v, e);
	if (!n)
		return false;
	if (v + n + 1 < e && v[n] == '+' && dig(v[n + 1]))
		n += 1 + digits(v + n + 1, e);
	if (v + n + 1 < e && v[n] == '-' && dig(v[n + 1]))
		n += 1 + digits(v + n + 1, e);
	return take(ver, v, n);
}

bool bm_nginx(const struct binfile *f, char *ver)
{
	return scan(f, "nginx version: ", 15, "\0?", 2, g_nginx, ver);
}

/* The start of \d+<any>\d+\.\d+ ending just before q, preceded by a
 * non-digit; NULL when there is none. */
static uc *version_before(const struct binfile *f, uc *q)
{
	uc *s = q;
	int k;

	for (k = 0; k < 3; k++) {
		uc *d = s;

		while (d > f->p && dig(d[-1]) && s - d < 32)
			d--;
		if (d == s)
			return NULL;
		s = d;
		if (k < 2) {
			if (s == f->p || (k == 0 && s[-1] != '.') ||
			    (k == 1 && s[-1] == '\n'))
				return NULL;
			s--;
		}
	}
	return s > f->p && !dig(s[-1]) ? s : NULL;
}

static bool word(uc c)
{
	return alnum(c) || c == '_';
}

/* [^\d](\d+.\d+\.\d+)buildkitsandbox-\d+ */
static bool redis_buildkit(const struct binfile *f, char *ver)
{
	static const char lit[] = "buildkitsandbox-";
	uc *end = f->p + f->n, *h, *s;

	for (h = find(f, f->p, lit, 16); h; h = find(f, h + 1, lit, 16)) {
		s = version_before(f, h);
		if (s && h + 16 < end && dig(h[16]) &&
		    take(ver, s, (size_t)(h - s)))
			return true;
	}
	return false;
}

/* [^\d](\d+\.\d+\.\d+)\w{12}-\d+ */
static bool redis_sha(const struct binfile *f, char *ver)
{
	uc *end = f->p + f->n, *h, *s;
	size_t i;

	if (f->n < 14)
		return false;
	for (h = find(f, f->p + 12, "-", 1); h; h = find(f, h + 1, "-", 1)) {
		if (h + 1 >= end || !dig(h[1]))
			continue;
		for (i = 1; i <= 12 && word(h[-(ptrdiff_t)i]); i++)
			;
		if (i <= 12)
			continue;
		s = version_before(f, h - 12);
		if (s && semver3(s, h - 12) == (size_t)(h - 12 - s) &&
		    take(ver, s, (size_t)(h - 12 - s)))
			return true;
	}
	return false;
}

bool bm_redis(const struct binfile *f, char *ver)
{
	return redis_buildkit(f, ver) || redis_sha(f, ver) ||
	       scan(f, "Redis version ", 14, "", 0, g_semver3, ver);
}

/* (\x00|\?)PostgreSQL (\d+(\.\d+)?(\.\d+)?(alpha\d|beta\d|rc\d)?) */
static bool g_postgres(uc *s, uc *e, char *ver)
{
	static const char *const pre[] = { "alpha", "beta", "rc" };
	size_t n = digits(s, e), k, d;

	if (!n)
		return false;
	for (k = 0; k < 2; k++) {
		if (s + n + 1 < e && s[n] == '.' &&
		    (d = digits(s + n + 1, e)) != 0)
			n += 1 + d;
	}
	for (k = 0; k < 3; k++) {
		size_t l = strlen(pre[k]);

		if (at(s + n, e, pre[k]) && s + n + l < e && dig(s[n + l])) {
			n += l + 1;
			break;
		}
	}
	return take(ver, s, n);
}

bool bm_postgres(const struct binfile *f, char *ver)
{
	return scan(f, "PostgreSQL ", 11, "\0?", 2, g_postgres, ver);
}

/* after \x00openjdk\x00java\x00: [0-9]+[.0-9]*\x00([0-9]+[^\x00]+)\x00 */
static bool g_openjdk(uc *s, uc *e, char *ver)
{
	uc *q = s, *v;

	if (q >= e || !dig(*q))
		return false;
	while (q < e && (dig(*q) || *q == '.'))
		q++;
	if (q >= e || *q)
		return false;
	v = ++q;
	if (q >= e || !dig(*q))
		return false;
	q++;
	while (q < e && *q && q - v < BINVER_MAX)
		q++;
	return q < e && !*q && q - v >= 2 && take(ver, v, (size_t)(q - v));
}

/* arm64: \x00([0-9]+[.0-9]*)\x00+([0-9]+[^\x00]+)\x00+openjdk\x00java */
static bool openjdk_arm(const struct binfile *f, char *ver)
{
	static const char lit[] = "\0openjdk\0java";
	uc *h, *vend, *v, *rend, *r;

	for (h = find(f, f->p, lit, 13); h; h = find(f, h + 1, lit, 13)) {
		for (vend = h; vend > f->p && !vend[-1]; vend--)
			;
		for (v = vend; v > f->p && v[-1] && vend - v < BINVER_MAX; v--)
			;
		if (v == f->p || v[-1] || vend - v < 2 || !dig(*v))
			continue;
		for (rend = v; rend > f->p && !rend[-1]; rend--)
			;
		for (r = rend; r > f->p && (dig(r[-1]) || r[-1] == '.'); r--)
			;
		if (r < rend && r > f->p && !r[-1] && dig(*r) &&
		    take(ver, v, (size_t)(vend - v)))
			return true;
	}
	return false;
}

bool bm_java(const struct binfile *f, char *ver)
{
	if (memmem(f->p, f->n, "-jvmci-", 7))
		return false; /* GraalVM: another package */
	return scan(f, "\0openjdk\0java\0", 14, "", 0, g_openjdk, ver) ||
	       openjdk_arm(f, ver);
}

/* OpenJDK <words> VM (<version>) in libjvm.so's banner */
static bool g_libjvm(uc *s, uc *e, char *ver)
{
	uc *q = s, *v;

	while (q < e && q - s < NEAR && !at(q, e, " VM (") &&
	       (alnum(*q) || *q == ' ' || *q == '-'))
		q++;
	if (!at(q, e, " VM ("))
		return false;
	v = q += 5;
	while (q < e && *q && *q != ')' && q - v < BINVER_MAX)
		q++;
	return q < e && *q == ')' && q > v && dig(*v) &&
	       take(ver, v, (size_t)(q - v));
}

bool bm_libjvm(const struct binfile *f, char *ver)
{
	return scan(f, "OpenJDK ", 8, "", 0, g_libjvm, ver);
}
