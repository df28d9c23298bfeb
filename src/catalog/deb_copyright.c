/*
 * Licences from a Debian copyright file (usr/share/doc/<pkg>/copyright).
 *
 * A machine-readable file (DEP-5: the first non-blank line is
 * "Format: <URL of the copyright-format spec>") declares its licences in
 * "License: <short name>" lines; the first word of each is taken, as
 * Syft does, so "GPL-2+ or Artistic" gives "GPL-2+" and the other names
 * come from their own stand-alone License paragraphs. Any file, machine-
 * readable or not, may point at /usr/share/common-licenses/<NAME>: those
 * names are taken too (Syft runs a full-text classifier over files with
 * no finding instead; customs has none). "none" and a trailing "." are
 * dropped, the result is sorted and unique, and at most
 * DPKG_MAX_LICENSES names are kept from one file.
 */
#include <stdlib.h>
#include <string.h>

#include "catalog/dpkg_int.h"
#include "util/buf.h"
#include "util/banned.h"

#define COMMON "/usr/share/common-licenses/"
#define NAME_MAX_LEN 128

/* URLs of the DEP-5 format, final and draft, after "http(s)://". */
static const char *const dep5_urls[] = {
	"www.debian.org/doc/packaging-manuals/copyright-format/",
	"dep.debian.net/deps/dep5",
	"svn.debian.org/wsvn/dep/web/deps/dep5",
	"dep-team.pages.debian.net/deps/dep5",
	NULL,
};

static bool field(struct cslice line, const char *key, struct cslice *value)
{
	size_t n = strlen(key);

	if (line.n <= n || strncasecmp(line.p, key, n) || line.p[n] != ':')
		return false;
	*value = cslice_trim(cslice_make(line.p + n + 1, line.n - n - 1));
	return true;
}

static bool is_format_line(struct cslice line)
{
	struct cslice v;
	size_t i;

	if (!field(line, "Format", &v) &&
	    !field(line, "Format-Specification", &v))
		return false;
	if (cslice_startswith(v, "https://"))
		v = cslice_make(v.p + 8, v.n - 8);
	else if (cslice_startswith(v, "http://"))
		v = cslice_make(v.p + 7, v.n - 7);
	else
		return false;
	for (i = 0; dep5_urls[i]; i++) {
		if (cslice_startswith(v, dep5_urls[i]))
			return true;
	}
	return false;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add(struct dpkg_aux *aux, struct cslice name)
{
	char buf[NAME_MAX_LEN + 1];
	size_t i;

	while (name.n && name.p[name.n - 1] == '.')
		name.n--;
	if (!name.n || name.n > NAME_MAX_LEN ||
	    (name.n == 4 && !strncasecmp(name.p, "none", 4)))
		return 0;
	memcpy(buf, name.p, name.n);
	buf[name.n] = '\0';
	for (i = 0; i < aux->licenses.n; i++) {
		if (!strcmp(aux->licenses.v[i], buf))
			return 0;
	}
	if (aux->licenses.n >= DPKG_MAX_LICENSES)
		return 0;
	return customs_strlist_add(&aux->licenses, buf);
}

static bool name_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c == '_' || c == '.' || c == '-';
}

/* Every /usr/share/common-licenses/<NAME> in line. */
static int common_refs(struct dpkg_aux *aux, struct cslice line)
{
	size_t k = strlen(COMMON);
	const char *p;
	int rc = 0;

	while (!rc && (p = memmem(line.p, line.n, COMMON, k))) {
		size_t off = (size_t)(p - line.p) + k, n = 0;

		while (off + n < line.n && name_char(line.p[off + n]))
			n++;
		rc = add(aux, cslice_make(line.p + off, n));
		line = cslice_make(line.p + off + n, line.n - off - n);
	}
	return rc;
}

/* The first word of a "License:" line. */
static int license_field(struct dpkg_aux *aux, struct cslice line)
{
	struct cslice v;
	size_t n = 0;

	if (!field(line, "License", &v))
		return 0;
	while (n < v.n && v.p[n] != ' ' && v.p[n] != '\t')
		n++;
	return add(aux, cslice_make(v.p, n));
}

int deb_copyright_parse(struct dpkg_aux *aux, const unsigned char *data,
			size_t len)
{
	struct cslice rest = cslice_make((const char *)data, len), line;
	bool first = true;
	int rc = 0;

	while (!rc && cslice_next_line(&rest, &line)) {
		if (first && cslice_trim(line).n) {
			aux->dep5 = is_format_line(line);
			first = false;
		}
		if (aux->dep5)
			rc = license_field(aux, line);
		if (!rc)
			rc = common_refs(aux, line);
	}
	if (aux->licenses.n)
		qsort(aux->licenses.v, aux->licenses.n,
		      sizeof(*aux->licenses.v), cmp);
	return rc;
}
