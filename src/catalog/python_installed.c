/*
 * python-installed-package-cataloger: installed distributions, from their
 * core metadata (*.dist-info/METADATA, *.egg-info/PKG-INFO, or a
 * single-file *.egg-info), plus the files each one owns from RECORD or
 * installed-files.txt (python_record.c, merged in finish()).
 *
 * Core metadata is RFC 822 style: "Key: value" header lines, continuation
 * lines starting with whitespace, and the first blank line ends the
 * headers (the long description follows). Name and Version are kept as
 * written (PEP 503 normalisation belongs to the PURL). Licences, in
 * order of precedence: License-Expression, a one-line License (a
 * multi-line one is the licence text, not its name), else the
 * "License ::" trove classifiers, as Trivy falls back to them. A file
 * without Name or Version is a warning.
 */
#include <string.h>
#include <strings.h>

#include "catalog/python_int.h"
#include "catalog/lang.h"
#include "util/alloc.h"
#include "util/banned.h"

#define MAX_BYTES (8u << 20) /* RECORD of the largest wheels */
#define MAX_LICENSE 256
#define MAX_CLASSIFIERS 8

struct field {
	const char *key;
	const char *meta; /* meta key, or NULL when handled apart */
};

static const struct field fields[] = {
	{ "Name", NULL },
	{ "Version", NULL },
	{ "License", NULL },
	{ "License-Expression", "license_expression" },
	{ "Author", "author" },
	{ "Author-email", "author_email" },
	{ "Home-page", "homepage" },
	{ "Requires-Python", "requires_python" },
	{ "Summary", "description" },
};

#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))

struct headers {
	struct cslice v[N_FIELDS];
	bool multi[N_FIELDS]; /* had continuation lines */
	struct cslice classifiers[MAX_CLASSIFIERS];
	size_t n_classifiers;
};

static bool ends_with_ci(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n >= k && !strncasecmp(s + n - k, suffix, k);
}

enum py_file py_classify(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t dir_len = base ? (size_t)(base - path) : 0;

	base = base ? base + 1 : path;
	if (!strcmp(base, "METADATA") &&
	    ends_with_ci(path, dir_len, ".dist-info"))
		return PY_METADATA;
	if (!strcmp(base, "RECORD") &&
	    ends_with_ci(path, dir_len, ".dist-info"))
		return PY_RECORD;
	if (!strcmp(base, "PKG-INFO") &&
	    ends_with_ci(path, dir_len, ".egg-info"))
		return PY_METADATA;
	if (!strcmp(base, "installed-files.txt") &&
	    ends_with_ci(path, dir_len, ".egg-info"))
		return PY_INSTALLED_FILES;
	if (ends_with_ci(base, strlen(base), ".egg-info"))
		return PY_EGG_FILE;
	return PY_OTHER;
}

/* Record one header; returns the field index it set, or -1. */
static int header_line(struct headers *h, struct cslice key, struct cslice val)
{
	size_t i;

	if (cslice_eq(key, "Classifier")) {
		if (cslice_startswith(val, "License :: ") &&
		    h->n_classifiers < MAX_CLASSIFIERS)
			h->classifiers[h->n_classifiers++] = val;
		return -1;
	}
	for (i = 0; i < N_FIELDS; i++) {
		/* the first occurrence wins, as email.parser's get() does */
		if (!h->v[i].p && key.n == strlen(fields[i].key) &&
		    !strncasecmp(key.p, fields[i].key, key.n)) {
			h->v[i] = val;
			return (int)i;
		}
	}
	return -1;
}

static void read_headers(struct headers *h, const struct cat_input *in)
{
	struct cslice rest = cslice_make((const char *)in->data, in->len);
	struct cslice line;
	int last = -1;

	memset(h, 0, sizeof(*h));
	while (cslice_next_line(&rest, &line)) {
		const char *colon;

		if (!cslice_trim(line).n)
			break;
		if (line.p[0] == ' ' || line.p[0] == '\t') {
			if (last >= 0)
				h->multi[last] = true;
			continue;
		}
		colon = memchr(line.p, ':', line.n);
		last = -1;
		if (!colon)
			continue;
		last = header_line(
			h, cslice_make(line.p, (size_t)(colon - line.p)),
			cslice_trim(cslice_make(
				colon + 1,
				(size_t)(line.p + line.n - colon - 1))));
	}
}

static int set_str(struct customs_pkg *pkg, char **field, const char *meta,
		   struct cslice v)
{
	char *s;
	int rc;

	if (!v.n)
		return 0;
	if (field)
		return customs_pkg_set(field, v.p, v.n);
	s = cslice_dup(v);
	if (!s)
		return CUSTOMS_ENOMEM;
	rc = customs_pkg_meta_set(pkg, meta, s);
	customs_free(s);
	return rc;
}

static bool usable_license(struct cslice v, bool multi)
{
	return v.n && v.n <= MAX_LICENSE && !multi && !cslice_eq(v, "UNKNOWN");
}

/* "License :: OSI Approved :: MIT License" -> "MIT License" */
static struct cslice classifier_license(struct cslice c)
{
	size_t i;

	for (i = c.n; i >= 4; i--) {
		if (!memcmp(c.p + i - 4, " :: ", 4))
			return cslice_make(c.p + i, c.n - i);
	}
	return c;
}

static int add_license(struct customs_pkg *pkg, struct cslice v)
{
	char *s = cslice_dup(v);
	int rc;

	if (!s)
		return CUSTOMS_ENOMEM;
	rc = customs_pkg_add_license(pkg, s);
	customs_free(s);
	return rc;
}

static int set_licenses(struct customs_pkg *pkg, const struct headers *h)
{
	struct cslice expr = h->v[3], lic = h->v[2];
	size_t i;
	int rc = 0;

	if (expr.n && !h->multi[3])
		return add_license(pkg, expr);
	if (usable_license(lic, h->multi[2]))
		return add_license(pkg, lic);
	for (i = 0; !rc && i < h->n_classifiers; i++) {
		struct cslice c = classifier_license(h->classifiers[i]);

		/* "License :: OSI Approved" alone names no licence */
		if (c.n && !cslice_eq(c, "OSI Approved"))
			rc = add_license(pkg, c);
	}
	return rc;
}

static int parse_metadata(const struct cat_input *in, struct cat_result *res)
{
	struct customs_pkg *pkg;
	struct headers h;
	size_t i;
	int rc = 0;

	read_headers(&h, in);
	if (!h.v[0].n || !h.v[1].n)
		return cat_warn(res, "no %s field",
				h.v[0].n ? "Version" : "Name");
	if (!cat_printable(h.v[0].p, h.v[0].n) ||
	    !cat_printable(h.v[1].p, h.v[1].n))
		return cat_warn(res,
				"Name or Version holds control characters");
	pkg = cat_pkg_new(res, in, PY_INSTALLED_CATALOGER, CUSTOMS_PKG_PYTHON);
	if (!pkg)
		return CUSTOMS_ENOMEM;
	rc = set_str(pkg, &pkg->name, NULL, h.v[0]);
	if (!rc)
		rc = set_str(pkg, &pkg->version, NULL, h.v[1]);
	for (i = 3; !rc && i < N_FIELDS; i++) {
		if (!h.multi[i])
			rc = set_str(pkg, NULL, fields[i].meta, h.v[i]);
	}
	if (!rc)
		rc = set_licenses(pkg, &h);
	return rc;
}

static int parse(const struct cat_input *in, struct cat_result *res)
{
	enum py_file kind = py_classify(in->path);

	switch (kind) {
	case PY_METADATA:
	case PY_EGG_FILE:
		return parse_metadata(in, res);
	case PY_RECORD:
	case PY_INSTALLED_FILES:
		return py_parse_owned_files(in, res, kind);
	default:
		return 0;
	}
}

static const struct customs_want wants[] = {
	{ CUSTOMS_WANT_BASENAME, "METADATA" },
	{ CUSTOMS_WANT_BASENAME, "PKG-INFO" },
	{ CUSTOMS_WANT_BASENAME, "RECORD" },
	{ CUSTOMS_WANT_BASENAME, "installed-files.txt" },
	{ CUSTOMS_WANT_EXT, "egg-info" },
};

const struct cataloger cat_python_installed = {
	.name = PY_INSTALLED_CATALOGER,
	.tags = "installed image directory package language python",
	.wants = wants,
	.n_wants = sizeof(wants) / sizeof(wants[0]),
	.max_bytes = MAX_BYTES,
	.flags = CAT_IMAGE,
	.parse = parse,
	.finish = py_finish,
	.aux_free = py_aux_free,
};
