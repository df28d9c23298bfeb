/*
 * Image references, normalised as Docker's ParseNormalizedNamed does.
 * The input is split once, without copying: the domain is the first
 * '/'-separated component when it contains '.' or ':', is "localhost",
 * or has an uppercase letter; otherwise the domain is docker.io, and a
 * docker.io path of one component gets "library/" in front. The rest is
 * path[:tag][@digest], each piece checked against the distribution
 * reference grammar by hand-written matchers (no regex engine: every
 * loop is bounded by the input length, and the input by
 * CUSTOMS_REF_MAX_LEN). Invariant of a parsed reference: its canonical
 * string parses to the same four fields.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "customs/reference.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

#define DEFAULT_DOMAIN "docker.io"
#define LEGACY_DOMAIN "index.docker.io"
#define HUB_API_HOST "registry-1.docker.io"
#define OFFICIAL_PREFIX "library/"
#define OFFICIAL_PREFIX_LEN 8
#define DEFAULT_TAG "latest"
#define QUOTE_MAX 200 /* bytes of input quoted in a message */

/* The pieces of a reference, as slices of the input. A NULL p means
 * absent; the domain may point at DEFAULT_DOMAIN instead. */
struct parts {
	struct cslice domain;
	struct cslice path; /* without the "library/" prefix */
	struct cslice tag;
	struct cslice digest;
	bool library; /* path gets OFFICIAL_PREFIX */
};

static int qlen(size_t n)
{
	return n > QUOTE_MAX ? QUOTE_MAX : (int)n;
}

__attribute__((format(printf, 4, 5))) static int
fail(struct customs_ctx *ctx, int code, const char *s, const char *fmt, ...)
{
	char why[512];
	size_t n = strlen(s);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return customs_error(ctx, code, "invalid reference '%.*s%s': %s",
			     qlen(n), s, n > QUOTE_MAX ? "..." : "", why);
}

/* ASCII classes, independent of the locale. */
static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static bool is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool is_alpha(char c)
{
	return is_lower(c) || is_upper(c);
}

static bool is_alnum(char c)
{
	return is_alpha(c) || is_digit(c);
}

static bool is_xdigit(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool has_upper(struct cslice s)
{
	size_t i;

	for (i = 0; i < s.n; i++) {
		if (is_upper(s.p[i]))
			return true;
	}
	return false;
}

static bool has_char(struct cslice s, char c)
{
	return s.n && memchr(s.p, c, s.n);
}

/* Docker refuses a bare image ID (64 lowercase hex) as a name. */
static bool is_identifier(const char *s, size_t n)
{
	size_t i;

	if (n != 64)
		return false;
	for (i = 0; i < n; i++) {
		if (!is_digit(s[i]) && !(s[i] >= 'a' && s[i] <= 'f'))
			return false;
	}
	return true;
}

/* splitDockerDomain's test of the first component. */
static bool looks_like_domain(struct cslice first)
{
	return cslice_eq(first, "localhost") || has_char(first, '.') ||
	       has_char(first, ':') || has_upper(first);
}

static void split(struct parts *pt, const char *s, size_t n)
{
	const char *slash = memchr(s, '/', n);
	const char *r = s, *end = s + n, *at, *colon;

	memset(pt, 0, sizeof(*pt));
	pt->domain = cslice_make(DEFAULT_DOMAIN, strlen(DEFAULT_DOMAIN));
	if (slash && looks_like_domain(cslice_make(s, (size_t)(slash - s)))) {
		r = slash + 1;
		if (!cslice_eq(cslice_make(s, (size_t)(slash - s)),
			       LEGACY_DOMAIN))
			pt->domain = cslice_make(s, (size_t)(slash - s));
	}
	at = memchr(r, '@', (size_t)(end - r));
	if (at) {
		pt->digest = cslice_make(at + 1, (size_t)(end - at - 1));
		end = at;
	}
	colon = memchr(r, ':', (size_t)(end - r));
	if (colon) {
		pt->tag = cslice_make(colon + 1, (size_t)(end - colon - 1));
		end = colon;
	}
	pt->path = cslice_make(r, (size_t)(end - r));
	pt->library = cslice_eq(pt->domain, DEFAULT_DOMAIN) &&
		      !has_char(pt->path, '/');
}

/* host [':' port]: host is dot-separated labels of letters, digits and
 * inner '-', or '[' hex digits and ':' ']'; the port is digits. */
static bool valid_domain(struct cslice d)
{
	const char *p = d.p;
	size_t n = d.n, i = 0, start;

	if (n && p[0] == '[') {
		for (i = 1; i < n && (is_xdigit(p[i]) || p[i] == ':'); i++)
			;
		if (i == 1 || i >= n || p[i] != ']')
			return false;
		i++;
	} else {
		for (;;) {
			start = i;
			while (i < n && (is_alnum(p[i]) || p[i] == '-'))
				i++;
			if (i == start || p[start] == '-' || p[i - 1] == '-')
				return false;
			if (i < n && p[i] == '.') {
				i++;
				continue;
			}
			break;
		}
	}
	if (i == n)
		return true;
	if (p[i] != ':' || i + 1 == n)
		return false;
	for (i++; i < n; i++) {
		if (!is_digit(p[i]))
			return false;
	}
	return true;
}

static bool lalnum(char c)
{
	return is_lower(c) || is_digit(c);
}

/* separator := [_.] | "__" | "-"+ */
static bool valid_separator(const char *p, size_t n)
{
	size_t i;

	if (n == 1)
		return p[0] == '.' || p[0] == '_' || p[0] == '-';
	if (n == 2 && p[0] == '_' && p[1] == '_')
		return true;
	for (i = 0; i < n; i++) {
		if (p[i] != '-')
			return false;
	}
	return true;
}

/* path-component := [a-z0-9]+ (separator [a-z0-9]+)* */
static bool valid_component(const char *p, size_t n)
{
	size_t i = 0, j;

	if (!n || !lalnum(p[0]) || !lalnum(p[n - 1]))
		return false;
	while (i < n) {
		if (lalnum(p[i])) {
			i++;
			continue;
		}
		for (j = i; j < n && !lalnum(p[j]); j++)
			;
		if (!valid_separator(p + i, j - i))
			return false;
		i = j;
	}
	return true;
}

static int check_path(const struct parts *pt, const char *s,
		      struct customs_ctx *ctx)
{
	const char *p = pt->path.p, *end = p + pt->path.n, *slash;
	size_t len = pt->path.n + (pt->library ? OFFICIAL_PREFIX_LEN : 0);

	if (!pt->path.n)
		return fail(ctx, CUSTOMS_EFORMAT, s, "no repository name");
	for (;; p = slash + 1) {
		slash = memchr(p, '/', (size_t)(end - p));
		if (!slash)
			slash = end;
		if (slash == p)
			return fail(ctx, CUSTOMS_EFORMAT, s,
				    "empty path component");
		if (!valid_component(p, (size_t)(slash - p)))
			return fail(ctx, CUSTOMS_EFORMAT, s,
				    "path component '%.*s' is not valid: "
				    "use lowercase letters and digits, "
				    "separated by '.', '_', '__' or '-'",
				    qlen((size_t)(slash - p)), p);
		if (slash == end)
			break;
	}
	if (len > CUSTOMS_REF_PATH_MAX)
		return fail(ctx, CUSTOMS_EFORMAT, s,
			    "repository path is %zu characters, at most %d "
			    "are allowed",
			    len, CUSTOMS_REF_PATH_MAX);
	return 0;
}

/* tag := [\w][\w.-]{0,127} */
static int check_tag(struct cslice t, const char *s, struct customs_ctx *ctx)
{
	size_t i;

	if (!t.n)
		return fail(ctx, CUSTOMS_EFORMAT, s, "empty tag after ':'");
	if (t.n > CUSTOMS_REF_TAG_MAX)
		return fail(ctx, CUSTOMS_EFORMAT, s,
			    "tag is %zu characters, at most %d are allowed",
			    t.n, CUSTOMS_REF_TAG_MAX);
	for (i = 0; i < t.n; i++) {
		char c = t.p[i];

		if (is_alnum(c) || c == '_' || (i && (c == '.' || c == '-')))
			continue;
		return fail(ctx, CUSTOMS_EFORMAT, s,
			    "tag '%.*s' is not valid: use letters, digits, "
			    "'_', '.' and '-', not starting with '.' or '-'",
			    qlen(t.n), t.p);
	}
	return 0;
}

/* The hex length go-digest requires for a registered algorithm, or 0. */
static size_t algorithm_hex_len(struct cslice alg)
{
	if (cslice_eq(alg, "sha256"))
		return 64;
	if (cslice_eq(alg, "sha384"))
		return 96;
	if (cslice_eq(alg, "sha512"))
		return 128;
	return 0;
}

/* algorithm := [A-Za-z][A-Za-z0-9]* ([-_+.] [A-Za-z][A-Za-z0-9]*)*;
 * returns the length of the algorithm or 0 when it does not match. */
static size_t algorithm_len(struct cslice d)
{
	size_t i = 0;

	for (;;) {
		if (i >= d.n || !is_alpha(d.p[i]))
			return 0;
		while (i < d.n && is_alnum(d.p[i]))
			i++;
		if (i < d.n && (d.p[i] == '-' || d.p[i] == '_' ||
				d.p[i] == '+' || d.p[i] == '.')) {
			i++;
			continue;
		}
		return i;
	}
}

static int check_digest(struct cslice d, const char *s, struct customs_ctx *ctx)
{
	size_t alen = algorithm_len(d), i, want;
	struct cslice alg = cslice_make(d.p, alen), hex;

	if (!alen || alen >= d.n || d.p[alen] != ':' || d.n - alen - 1 < 32)
		goto bad;
	hex = cslice_make(d.p + alen + 1, d.n - alen - 1);
	for (i = 0; i < hex.n; i++) {
		if (!is_xdigit(hex.p[i]))
			goto bad;
	}
	want = algorithm_hex_len(alg);
	if (!want && has_upper(alg))
		goto bad; /* go-digest: algorithms are lowercase */
	if (!want)
		return customs_error(ctx, CUSTOMS_EUNSUPPORTED,
				     "reference '%.*s%s': unsupported digest "
				     "algorithm '%.*s' (sha256, sha384 and "
				     "sha512 are supported)",
				     qlen(strlen(s)), s,
				     strlen(s) > QUOTE_MAX ? "..." : "",
				     qlen(alg.n), alg.p);
	if (hex.n != want)
		return fail(ctx, CUSTOMS_EFORMAT, s,
			    "digest has %zu hex digits, %.*s needs %zu", hex.n,
			    (int)alg.n, alg.p, want);
	if (has_upper(hex))
		return fail(ctx, CUSTOMS_EFORMAT, s,
			    "digest hex must be lowercase");
	return 0;
bad:
	return fail(ctx, CUSTOMS_EFORMAT, s,
		    "digest '%.*s' is not valid: want algorithm:hex with at "
		    "least 32 hex digits, as in sha256:<64 hex>",
		    qlen(d.n), d.p);
}

static int check_parts(const struct parts *pt, const char *s,
		       struct customs_ctx *ctx)
{
	int rc;

	if (has_upper(pt->path))
		return fail(ctx, CUSTOMS_EFORMAT, s,
			    "repository name '%s%.*s' must be lowercase",
			    pt->library ? OFFICIAL_PREFIX : "",
			    qlen(pt->path.n), pt->path.p);
	if (!valid_domain(pt->domain))
		return fail(ctx, CUSTOMS_EFORMAT, s,
			    "'%.*s' is not a valid registry host[:port]",
			    qlen(pt->domain.n), pt->domain.p);
	rc = check_path(pt, s, ctx);
	if (!rc && pt->tag.p)
		rc = check_tag(pt->tag, s, ctx);
	if (!rc && pt->digest.p)
		rc = check_digest(pt->digest, s, ctx);
	return rc;
}

static int build(struct customs_ref *out, const struct parts *pt,
		 struct customs_ctx *ctx)
{
	struct cbuf path = CBUF_INIT(CUSTOMS_REF_MAX_LEN + 16);

	cbuf_printf(&path, "%s%.*s", pt->library ? OFFICIAL_PREFIX : "",
		    (int)pt->path.n, pt->path.p);
	out->path = cbuf_detach(&path);
	out->domain = cslice_dup(pt->domain);
	if (pt->tag.p)
		out->tag = cslice_dup(pt->tag);
	else if (!pt->digest.p)
		out->tag = customs_strdup(DEFAULT_TAG);
	if (pt->digest.p)
		out->digest = cslice_dup(pt->digest);
	if (!out->path || !out->domain || (!out->tag && !pt->digest.p) ||
	    (!out->tag && pt->tag.p) || (!out->digest && pt->digest.p)) {
		customs_ref_release(out);
		return customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	}
	return 0;
}

int customs_ref_parse(struct customs_ref *out, const char *s,
		      struct customs_ctx *ctx)
{
	struct parts pt;
	size_t n;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!s)
		return customs_error(ctx, CUSTOMS_EINVAL,
				     "no image reference given");
	n = strlen(s);
	if (!n)
		return fail(ctx, CUSTOMS_EFORMAT, s, "empty reference");
	if (n > CUSTOMS_REF_MAX_LEN)
		return customs_error(ctx, CUSTOMS_ELIMIT,
				     "image reference longer than %d bytes",
				     CUSTOMS_REF_MAX_LEN);
	if (is_identifier(s, n))
		return fail(ctx, CUSTOMS_EFORMAT, s,
			    "64 hexadecimal digits are an image ID, not a "
			    "repository name");
	split(&pt, s, n);
	rc = check_parts(&pt, s, ctx);
	if (rc)
		return rc;
	return build(out, &pt, ctx);
}

void customs_ref_release(struct customs_ref *ref)
{
	if (!ref)
		return;
	customs_free(ref->domain);
	customs_free(ref->path);
	customs_free(ref->tag);
	customs_free(ref->digest);
	memset(ref, 0, sizeof(*ref));
}

/* name[:tag][@digest] into *out; name is domain/path or the familiar
 * name. */
static int format(char **out, const char *domain, const char *path,
		  const struct customs_ref *ref, struct customs_ctx *ctx)
{
	struct cbuf b = CBUF_INIT(4 * CUSTOMS_REF_MAX_LEN);

	if (domain)
		cbuf_printf(&b, "%s/", domain);
	cbuf_puts(&b, path);
	if (ref->tag)
		cbuf_printf(&b, ":%s", ref->tag);
	if (ref->digest)
		cbuf_printf(&b, "@%s", ref->digest);
	*out = cbuf_detach(&b);
	if (!*out)
		return customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	return 0;
}

int customs_ref_string(char **out, const struct customs_ref *ref,
		       struct customs_ctx *ctx)
{
	return format(out, ref->domain, ref->path, ref, ctx);
}

int customs_ref_familiar(char **out, const struct customs_ref *ref,
			 struct customs_ctx *ctx)
{
	const char *path = ref->path;

	if (strcmp(ref->domain, DEFAULT_DOMAIN))
		return format(out, ref->domain, path, ref, ctx);
	/* Docker keeps "library/" when more than one component follows */
	if (!strncmp(path, OFFICIAL_PREFIX, OFFICIAL_PREFIX_LEN) &&
	    !strchr(path + OFFICIAL_PREFIX_LEN, '/'))
		path += OFFICIAL_PREFIX_LEN;
	return format(out, NULL, path, ref, ctx);
}

/* The host part of domain (without ":port") as a slice. */
static struct cslice host_of(const char *domain)
{
	const char *end = strchr(domain, ']');
	const char *colon;

	if (domain[0] == '[')
		return cslice_make(domain,
				   end ? (size_t)(end - domain) + 1 : 0);
	colon = strchr(domain, ':');
	return cslice_make(domain,
			   colon ? (size_t)(colon - domain) : strlen(domain));
}

/* Dotted-quad IPv4 in 127.0.0.0/8, without leading zeros (Go's
 * net.ParseIP refuses those, so Docker would treat them as names). */
static bool ipv4_loopback(struct cslice h)
{
	size_t i = 0, parts = 0, digits, v;

	while (i <= h.n && parts < 4) {
		for (digits = 0, v = 0; i < h.n && is_digit(h.p[i]);
		     i++, digits++)
			v = v * 10 + (size_t)(h.p[i] - '0');
		if (!digits || digits > 3 || v > 255 ||
		    (digits > 1 && h.p[i - digits] == '0'))
			return false;
		if (parts++ == 0 && v != 127)
			return false;
		if (i == h.n)
			break;
		if (h.p[i++] != '.')
			return false;
	}
	return parts == 4 && i == h.n;
}

/* One hex group of 1-4 digits at h.p[*i] into *v. */
static bool hex_group(struct cslice h, size_t *i, size_t end, unsigned int *v)
{
	size_t digits = 0;

	for (*v = 0; *i < end && is_xdigit(h.p[*i]) && digits < 5;
	     ++*i, digits++) {
		char c = h.p[*i];

		*v = *v * 16 + (unsigned int)(is_digit(c)
						      ? c - '0'
						      : (c | 0x20) - 'a' + 10);
	}
	return digits >= 1 && digits <= 4;
}

/* "[...]" holding ::1 in any spelling: 128 bits, all zero but the last. */
static bool ipv6_loopback(struct cslice h)
{
	unsigned int g[8], full[8] = { 0 };
	size_t i = 3, end = h.n - 1, n = 0, gap = 8, k;

	if (h.n < 4 || h.p[0] != '[' || h.p[end] != ']')
		return false;
	if (h.p[1] == ':' && h.p[2] == ':')
		gap = 0;
	else
		i = 1;
	while (i < end) {
		if (n == 8 || !hex_group(h, &i, end, &g[n]))
			return false;
		n++;
		if (i == end)
			break;
		if (h.p[i++] != ':' || i == end)
			return false;
		if (h.p[i] == ':') {
			if (gap != 8)
				return false;
			gap = n;
			i++;
		}
	}
	if (gap == 8 ? n != 8 : n > 7)
		return false;
	for (k = 0; k < n; k++)
		full[k < gap ? k : 8 - (n - k)] = g[k];
	for (k = 0; k < 7; k++) {
		if (full[k])
			return false;
	}
	return full[7] == 1;
}

bool customs_ref_plain_http_ok(const char *domain)
{
	struct cslice h;

	if (!domain)
		return false;
	h = host_of(domain);
	/* host names are case-insensitive; a resolver would accept these */
	return (h.n == 9 && !strncasecmp(h.p, "localhost", 9)) ||
	       ipv4_loopback(h) || ipv6_loopback(h);
}

const char *customs_ref_api_host(const struct customs_ref *ref)
{
	if (!strcmp(ref->domain, DEFAULT_DOMAIN))
		return HUB_API_HOST;
	return ref->domain;
}
