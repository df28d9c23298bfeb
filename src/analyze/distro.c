/*
 * Distro detection from the content of the usual release files of the
 * final filesystem. Sources are tried in a fixed order: etc/os-release,
 * usr/lib/os-release, etc/system-release-cpe, etc/redhat-release,
 * etc/debian_version, etc/alpine-release, and bin/busybox when nothing
 * else spoke. The first source that names the distro (its ID) wins and
 * becomes `source`; later sources only fill fields still unknown, and only
 * when they describe the same distro (debian_version for ID=debian, ...).
 * docs/internals/distro.md has the whole table.
 *
 * Invariant: every string in a struct customs_distro is a heap copy of at
 * most VALUE_MAX bytes of valid UTF-8 without control characters (C0, DEL,
 * C1, line separators, bidi overrides), since these values are printed
 * to terminals; each offending byte becomes '?'. Input is never trusted:
 * files may be empty, binary or huge, and nothing here fails on them.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "customs/analyze.h"
#include "analyze/osrelease.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/banned.h"

#define VALUE_MAX 256

enum file_idx {
	F_OS_RELEASE,
	F_USR_OS_RELEASE,
	F_CPE,
	F_REDHAT,
	F_DEBIAN,
	F_ALPINE,
	F_BUSYBOX,
	F_COUNT
};

static const char *const file_paths[F_COUNT] = {
	"etc/os-release",     "usr/lib/os-release", "etc/system-release-cpe",
	"etc/redhat-release", "etc/debian_version", "etc/alpine-release",
	"bin/busybox",
};

struct source {
	const unsigned char *data; /* NULL when the file is absent */
	size_t len;
};

/* ---- sanitised copies ---- */

static bool is_cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

/* Decode the UTF-8 sequence at p (n > 0 bytes); 0 when it is invalid. */
static size_t utf8_decode(const unsigned char *p, size_t n, uint32_t *cp)
{
	size_t len, i;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (n < len)
		return 0;
	*cp = p[0] & (0x7f >> len);
	for (i = 1; i < len; i++) {
		if (!is_cont(p[i]))
			return 0;
		*cp = (*cp << 6) | (p[i] & 0x3f);
	}
	if ((len == 3 && *cp < 0x800) || (len == 4 && *cp < 0x10000) ||
	    *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return len;
}

/* Code points that move or split terminal text: C1, LS/PS, bidi. */
static bool unsafe_cp(uint32_t cp)
{
	return cp < 0xa0 || (cp >= 0x2028 && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

/*
 * Copy at most VALUE_MAX bytes of src into dst, each unsafe byte as '?'.
 * Output and input advance together, so a character that would straddle
 * the cap is dropped whole. Returns the bytes written (dst is not
 * terminated).
 */
static size_t sanitize(char *dst, const unsigned char *src, size_t n)
{
	size_t i = 0, k;
	uint32_t cp;

	while (i < n && i < VALUE_MAX) {
		if (src[i] < 0x80) {
			dst[i] = (src[i] >= 0x20 && src[i] < 0x7f)
					 ? (char)src[i]
					 : '?';
			i++;
			continue;
		}
		k = utf8_decode(src + i, n - i, &cp);
		if (k && unsafe_cp(cp))
			k = 0;
		if (!k) {
			dst[i++] = '?';
			continue;
		}
		if (i + k > VALUE_MAX)
			break;
		memcpy(dst + i, src + i, k);
		i += k;
	}
	return i;
}

/* Replace *dst with a sanitised copy of v; an empty v clears it. */
static int set_field(char **dst, struct cslice v)
{
	char *s = NULL;
	size_t len;

	if (v.n) {
		s = customs_malloc((v.n < VALUE_MAX ? v.n : VALUE_MAX) + 1);
		if (!s)
			return CUSTOMS_ENOMEM;
		len = sanitize(s, (const unsigned char *)v.p, v.n);
		s[len] = '\0';
	}
	customs_free(*dst);
	*dst = s;
	return 0;
}

static int set_str(char **dst, const char *s)
{
	return set_field(dst, cslice_make(s, strlen(s)));
}

static bool str_is(const char *s, const char *lit)
{
	return s && strcmp(s, lit) == 0;
}

static void distro_release(struct customs_distro *d)
{
	customs_free(d->id);
	customs_free(d->version_id);
	customs_free(d->version);
	customs_free(d->pretty_name);
	customs_free(d->id_like);
	customs_free(d->codename);
	customs_free(d->cpe);
	customs_free(d->source);
	memset(d, 0, sizeof(*d));
}

void customs_distro_free(struct customs_distro *d)
{
	if (!d)
		return;
	distro_release(d);
	customs_free(d);
}

/* ---- small text helpers ---- */

/* The first non-blank line of a file, trimmed; empty when none. */
static struct cslice first_line(const struct source *f)
{
	struct cslice rest = cslice_make((const char *)f->data, f->len);
	struct cslice line = { NULL, 0 };

	while (cslice_next_line(&rest, &line)) {
		line = cslice_trim(line);
		if (line.n)
			return line;
	}
	return cslice_make("", 0);
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_version_char(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c == '.' || c == '_' || c == '+' ||
	       c == '~' || c == '-';
}

/* The longest prefix of s made of version characters, starting a digit. */
static struct cslice version_prefix(struct cslice s)
{
	size_t i = 0;

	if (!s.n || !is_digit(s.p[0]))
		return cslice_make(s.p, 0);
	while (i < s.n && is_version_char(s.p[i]))
		i++;
	return cslice_make(s.p, i);
}

/* "12.5" -> "12" */
static struct cslice major_of(struct cslice v)
{
	const char *dot = memchr(v.p, '.', v.n);

	return dot ? cslice_make(v.p, (size_t)(dot - v.p)) : v;
}

/* Digits and dots only, starting with a digit: "12.5", not "12.5~rc". */
static bool is_numeric_version(struct cslice s)
{
	size_t i;

	if (!s.n || !is_digit(s.p[0]))
		return false;
	for (i = 0; i < s.n; i++) {
		if (!is_digit(s.p[i]) && s.p[i] != '.')
			return false;
	}
	return true;
}

/* ---- os-release ---- */

static const struct {
	const char *key;
	size_t off;
} os_keys[] = {
	{ "ID", offsetof(struct customs_distro, id) },
	{ "VERSION_ID", offsetof(struct customs_distro, version_id) },
	{ "PRETTY_NAME", offsetof(struct customs_distro, pretty_name) },
	{ "ID_LIKE", offsetof(struct customs_distro, id_like) },
	{ "VERSION_CODENAME", offsetof(struct customs_distro, codename) },
	{ "CPE_NAME", offsetof(struct customs_distro, cpe) },
};

static int on_os_pair(void *arg, struct cslice key, struct cslice value)
{
	char *base = arg;
	size_t i;

	for (i = 0; i < sizeof(os_keys) / sizeof(os_keys[0]); i++) {
		if (cslice_eq(key, os_keys[i].key))
			return set_field((char **)(base + os_keys[i].off),
					 value);
	}
	return 0;
}

/* Fill d from one os-release file if it names an ID (d is empty). */
static int try_os_release(struct customs_distro *d, const struct source *f,
			  const char *path)
{
	struct customs_distro tmp = { 0 };
	int rc;

	if (!f->data)
		return 0;
	rc = customs_osrelease_parse(f->data, f->len, on_os_pair, &tmp);
	if (!rc && tmp.id) {
		*d = tmp;
		return set_str(&d->source, path);
	}
	distro_release(&tmp);
	return rc;
}

static int from_os_release(struct customs_distro *d, const struct source *f)
{
	int rc = try_os_release(d, &f[F_OS_RELEASE], file_paths[F_OS_RELEASE]);

	if (rc || d->id)
		return rc;
	return try_os_release(d, &f[F_USR_OS_RELEASE],
			      file_paths[F_USR_OS_RELEASE]);
}

/* ---- system-release-cpe ---- */

static const struct {
	const char *vendor;
	const char *product; /* NULL: any product of the vendor */
	const char *id;
} cpe_ids[] = {
	{ "redhat", "enterprise_linux", "rhel" },
	{ "centos", NULL, "centos" },
	{ "fedoraproject", "fedora", "fedora" },
	{ "amazon", "linux", "amzn" },
	{ "amazon", "amazon_linux", "amzn" },
	{ "oracle", "linux", "ol" },
	{ "rocky", NULL, "rocky" },
	{ "almalinux", NULL, "almalinux" },
};

/* Field i (0 = part "o") of a CPE 2.2 URI or CPE 2.3 string. */
static struct cslice cpe_field(struct cslice cpe, int i)
{
	struct cslice s = cpe;
	const char *colon;

	if (cslice_startswith(s, "cpe:/"))
		s = cslice_make(s.p + 5, s.n - 5);
	else if (cslice_startswith(s, "cpe:2.3:"))
		s = cslice_make(s.p + 8, s.n - 8);
	else
		return cslice_make(s.p, 0);
	for (; i >= 0; i--) {
		colon = memchr(s.p, ':', s.n);
		if (!i)
			return cslice_make(s.p,
					   colon ? (size_t)(colon - s.p) : s.n);
		if (!colon)
			return cslice_make(s.p, 0);
		s = cslice_make(colon + 1, s.n - (size_t)(colon + 1 - s.p));
	}
	return cslice_make(s.p, 0);
}

static const char *cpe_id(struct cslice cpe)
{
	struct cslice vendor = cpe_field(cpe, 1);
	struct cslice product = cpe_field(cpe, 2);
	size_t i;

	for (i = 0; i < sizeof(cpe_ids) / sizeof(cpe_ids[0]); i++) {
		if (cslice_eq(vendor, cpe_ids[i].vendor) &&
		    (!cpe_ids[i].product ||
		     cslice_eq(product, cpe_ids[i].product)))
			return cpe_ids[i].id;
	}
	return NULL;
}

static int from_cpe(struct customs_distro *d, const struct source *f)
{
	struct cslice cpe, ver;
	const char *id;
	int rc;

	if (!f[F_CPE].data)
		return 0;
	cpe = first_line(&f[F_CPE]);
	if (!cslice_startswith(cpe, "cpe:"))
		return 0;
	if (!d->cpe && (rc = set_field(&d->cpe, cpe)))
		return rc;
	id = cpe_id(cpe);
	if (d->id || !id)
		return 0;
	ver = cpe_field(cpe, 3);
	if (cslice_eq(ver, "*") || cslice_eq(ver, "-"))
		ver.n = 0;
	if ((rc = set_str(&d->id, id)) || (rc = set_field(&d->version_id, ver)))
		return rc;
	return set_str(&d->source, file_paths[F_CPE]);
}

/* ---- redhat-release ---- */

static const struct {
	const char *prefix;
	const char *id;
} rh_names[] = {
	{ "Red Hat Enterprise Linux", "rhel" },
	{ "CentOS", "centos" },
	{ "Fedora", "fedora" },
	{ "Rocky Linux", "rocky" },
	{ "AlmaLinux", "almalinux" },
	{ "Oracle Linux", "ol" },
	{ "Amazon Linux", "amzn" },
};

/* "<Name> release <version> (<codename>)": the id and the version. */
static const char *redhat_parse(struct cslice line, struct cslice *version)
{
	const char *rel = memmem(line.p, line.n, " release ", 9);
	struct cslice rest;
	size_t i;

	if (!rel)
		return NULL;
	rest = cslice_make(rel + 9, line.n - (size_t)(rel + 9 - line.p));
	*version = version_prefix(cslice_trim(rest));
	if (!version->n)
		return NULL;
	for (i = 0; i < sizeof(rh_names) / sizeof(rh_names[0]); i++) {
		if (cslice_startswith(line, rh_names[i].prefix))
			return rh_names[i].id;
	}
	return NULL;
}

static int from_redhat(struct customs_distro *d, const struct source *f)
{
	struct cslice line, version;
	const char *id;
	int rc = 0;

	if (!f[F_REDHAT].data)
		return 0;
	line = first_line(&f[F_REDHAT]);
	id = redhat_parse(line, &version);
	if (!id || (d->id && !str_is(d->id, id)))
		return 0;
	if (!d->id) {
		if ((rc = set_str(&d->id, id)) ||
		    (rc = set_field(&d->version_id, major_of(version))) ||
		    (rc = set_str(&d->source, file_paths[F_REDHAT])))
			return rc;
	}
	if (!d->version)
		rc = set_field(&d->version, version);
	if (!rc && !d->pretty_name)
		rc = set_field(&d->pretty_name, line);
	return rc;
}

/* ---- debian_version ---- */

/* "trixie/sid" -> "trixie"; empty unless it is a plain lowercase word. */
static struct cslice debian_codename(struct cslice s)
{
	const char *slash = memchr(s.p, '/', s.n);
	struct cslice w = slash ? cslice_make(s.p, (size_t)(slash - s.p)) : s;
	size_t i;

	for (i = 0; i < w.n; i++) {
		if (w.p[i] < 'a' || w.p[i] > 'z')
			return cslice_make(s.p, 0);
	}
	return w;
}

static int from_debian(struct customs_distro *d, const struct source *f)
{
	struct cslice line;
	bool numeric;
	int rc;

	if (!f[F_DEBIAN].data || (d->id && !str_is(d->id, "debian")))
		return 0;
	line = first_line(&f[F_DEBIAN]);
	numeric = is_numeric_version(line);
	if (!numeric && !debian_codename(line).n)
		return 0;
	if (!d->id) {
		if ((rc = set_str(&d->id, "debian")) ||
		    (rc = set_str(&d->source, file_paths[F_DEBIAN])))
			return rc;
		if (numeric && (rc = set_field(&d->version_id, major_of(line))))
			return rc;
	}
	if (numeric)
		return d->version ? 0 : set_field(&d->version, line);
	if (d->codename || d->version_id)
		return 0;
	return set_field(&d->codename, debian_codename(line));
}

/* ---- alpine-release ---- */

static int from_alpine(struct customs_distro *d, const struct source *f)
{
	struct cslice line, ver;
	int rc;

	if (!f[F_ALPINE].data || (d->id && !str_is(d->id, "alpine")))
		return 0;
	line = first_line(&f[F_ALPINE]);
	ver = version_prefix(line);
	if (!ver.n || ver.n != line.n)
		return 0;
	if (!d->id) {
		if ((rc = set_str(&d->id, "alpine")) ||
		    (rc = set_field(&d->version_id, ver)) ||
		    (rc = set_str(&d->source, file_paths[F_ALPINE])))
			return rc;
	}
	return d->version ? 0 : set_field(&d->version, ver);
}

/* ---- busybox ---- */

/* The version after the first "BusyBox v" followed by a digit. */
static struct cslice busybox_version(const struct source *f)
{
	static const char tag[] = "BusyBox v";
	const char *p = (const char *)f->data;
	const char *end = p + f->len;
	const char *hit;
	struct cslice v;

	while ((hit = memmem(p, (size_t)(end - p), tag, sizeof(tag) - 1))) {
		p = hit + sizeof(tag) - 1;
		v = version_prefix(cslice_make(p, (size_t)(end - p)));
		if (v.n)
			return v;
	}
	return cslice_make(p, 0);
}

static int from_busybox(struct customs_distro *d, const struct source *f)
{
	struct cslice ver;
	int rc;

	if (d->id || !f[F_BUSYBOX].data)
		return 0;
	ver = busybox_version(&f[F_BUSYBOX]);
	if (!ver.n)
		return 0;
	if ((rc = set_str(&d->id, "busybox")) ||
	    (rc = set_field(&d->version_id, ver)))
		return rc;
	return set_str(&d->source, file_paths[F_BUSYBOX]);
}

/* ---- driver ---- */

static int (*const steps[])(struct customs_distro *, const struct source *) = {
	from_os_release, from_cpe,    from_redhat,
	from_debian,	 from_alpine, from_busybox,
};

/* Pick each known file out of the caller's list (first one wins). */
static void gather(struct source *f, const char *const *paths,
		   const unsigned char *const *data, const size_t *lens,
		   size_t n)
{
	size_t i, k;
	const char *p;

	memset(f, 0, F_COUNT * sizeof(*f));
	for (i = 0; i < n; i++) {
		if (!paths[i] || !data[i])
			continue;
		p = paths[i];
		while (*p == '/')
			p++;
		for (k = 0; k < F_COUNT; k++) {
			if (!f[k].data && strcmp(p, file_paths[k]) == 0) {
				f[k].data = data[i];
				f[k].len = lens[i];
			}
		}
	}
}

int customs_distro_detect(struct customs_distro **out, const char *const *paths,
			  const unsigned char *const *data, const size_t *lens,
			  size_t n)
{
	struct source f[F_COUNT];
	struct customs_distro *d;
	size_t i;
	int rc = 0;

	*out = NULL;
	gather(f, paths, data, lens, n);
	d = customs_calloc(1, sizeof(*d));
	if (!d)
		return CUSTOMS_ENOMEM;
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]) && !rc; i++)
		rc = steps[i](d, f);
	if (rc || !d->id)
		goto out;
	*out = d;
	d = NULL;
out:
	customs_distro_free(d);
	return rc;
}
