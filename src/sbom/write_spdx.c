/*
 * SPDX 2.3 JSON, shaped like Syft's output (scanners.md 3.3):
 * - a root package for what was scanned (primaryPackagePurpose CONTAINER
 *   for an image, FILE for a directory) that the document DESCRIBES and
 *   that CONTAINS every package, plus an OPERATING_SYSTEM package for the
 *   distribution;
 * - per package: SPDXID "SPDXRef-Package-<type>-<name>-<id>" (characters
 *   SPDX ids cannot hold become "-"), versionInfo, NOASSERTION for what
 *   we do not know, licenseDeclared as one SPDX expression where unknown
 *   names become LicenseRef-<name> listed in hasExtractedLicensingInfos,
 *   externalRefs (every CPE, the PURL), sourceInfo naming the cataloger
 *   and the evidence paths;
 * - the warnings in the document comment, so a partial SBOM says so.
 * documentNamespace and the creation time are deterministic unless a
 * seed and a time are given.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "sbom/sbom_int.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/strmap.h"
#include "util/banned.h"

#define EPOCH "1970-01-01T00:00:00Z"

struct spdx {
	struct jw *w;
	struct customs_kvlist refs; /* declared text -> LicenseRef id */
	struct strmap by_text; /* text -> index + 1 into refs */
	struct strmap ids; /* LicenseRef ids in use */
	struct cbuf b;
	bool *own; /* sbom_unique_ids() */
	int rc;
};

/* Append s to b with every character an SPDX id cannot hold as '-'. */
static void put_idpart(struct cbuf *b, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		cbuf_putc(b,
			  isalnum(c) || c == '.' || c == '-' ? (char)c : '-');
	}
}

static bool is_image(const struct customs_sbom *s)
{
	return !s->source.kind || strcmp(s->source.kind, "directory");
}

static char *root_id(const struct customs_sbom *s)
{
	struct cbuf b;

	cbuf_init(&b, 4096);
	cbuf_puts(&b, is_image(s) ? "SPDXRef-DocumentRoot-Image-"
				  : "SPDXRef-DocumentRoot-Directory-");
	put_idpart(&b, s->source.name ? s->source.name : "unknown");
	return cbuf_error(&b) ? (cbuf_release(&b), NULL) : cbuf_detach(&b);
}

/* The LicenseRef for a declared name, added to the document once. */
static const char *license_ref(struct spdx *x, const char *text)
{
	size_t idx = (size_t)strmap_get(&x->by_text, text);
	struct cbuf b;
	int n = 1;

	if (idx)
		return x->refs.values[idx - 1];
	cbuf_init(&b, 4096);
	do {
		cbuf_reset(&b);
		cbuf_puts(&b, "LicenseRef-");
		put_idpart(&b, text);
		if (n > 1)
			cbuf_printf(&b, "-%d", n);
		n++;
	} while (!cbuf_error(&b) && strmap_get(&x->ids, b.ptr));
	if (cbuf_error(&b) || customs_kvlist_add(&x->refs, text, b.ptr)) {
		cbuf_release(&b);
		x->rc = CUSTOMS_ENOMEM;
		return NULL;
	}
	cbuf_release(&b);
	idx = x->refs.n;
	if (strmap_put(&x->by_text, x->refs.keys[idx - 1], (void *)idx) ||
	    strmap_put(&x->ids, x->refs.values[idx - 1], (void *)1))
		x->rc = CUSTOMS_ENOMEM;
	return x->refs.values[idx - 1];
}

static void license_declared(struct spdx *x, const struct customs_pkg *p)
{
	size_t i;

	cbuf_reset(&x->b);
	for (i = 0; !x->rc && i < p->licenses.n; i++) {
		enum sbom_lic_kind k;
		const char *v;
		char *owned = NULL;

		x->rc = sbom_license(&k, &v, &owned, p->licenses.v[i]);
		if (!x->rc && k == SBOM_LIC_NAME)
			v = license_ref(x, p->licenses.v[i]);
		if (!x->rc && v) {
			bool paren = k == SBOM_LIC_EXPR && strchr(v, ' ') &&
				     p->licenses.n > 1;

			if (i)
				cbuf_puts(&x->b, " AND ");
			cbuf_printf(&x->b, paren ? "(%s)" : "%s", v);
		}
		customs_free(owned);
	}
	if (cbuf_error(&x->b) == CUSTOMS_ENOMEM)
		x->rc = CUSTOMS_ENOMEM;
	jw_kstr(x->w, "licenseDeclared",
		x->b.len && !cbuf_error(&x->b) ? x->b.ptr : "NOASSERTION");
}

static void ext_ref(struct jw *w, const char *cat, const char *type,
		    const char *loc)
{
	jw_obj_open(w);
	jw_kstr(w, "referenceCategory", cat);
	jw_kstr(w, "referenceType", type);
	jw_kstr(w, "referenceLocator", loc);
	jw_obj_close(w);
}

static void source_info(struct spdx *x, const struct customs_pkg *p)
{
	size_t i;

	if (!p->n_locations)
		return;
	cbuf_reset(&x->b);
	cbuf_printf(&x->b, "acquired package info from %s: ",
		    p->found_by ? p->found_by : "customs");
	for (i = 0; i < p->n_locations; i++)
		cbuf_printf(&x->b, "%s/%s", i ? ", " : "",
			    p->locations[i].path);
	if (cbuf_error(&x->b) == CUSTOMS_ENOMEM)
		x->rc = CUSTOMS_ENOMEM;
	else if (!cbuf_error(&x->b))
		jw_kstr(x->w, "sourceInfo", x->b.ptr);
}

static void pkg_id(struct spdx *x, const struct customs_pkg *p, size_t idx)
{
	cbuf_reset(&x->b);
	cbuf_puts(&x->b, "SPDXRef-Package-");
	put_idpart(&x->b, customs_pkg_type_name(p->type));
	cbuf_putc(&x->b, '-');
	put_idpart(&x->b, p->name ? p->name : "unknown");
	if (x->own[idx]) {
		cbuf_putc(&x->b, '-');
		put_idpart(&x->b, p->id);
	} else {
		cbuf_printf(&x->b, "-n%zu", idx);
	}
	if (cbuf_error(&x->b))
		x->rc = CUSTOMS_ENOMEM;
}

static bool is_hex(const char *s, size_t n)
{
	size_t i;

	if (!s || strlen(s) != n)
		return false;
	for (i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return false;
	}
	return true;
}

static void noassert(struct jw *w)
{
	jw_kstr(w, "downloadLocation", "NOASSERTION");
	jw_kbool(w, "filesAnalyzed", false);
}

static void package(struct spdx *x, const struct customs_pkg *p, size_t idx)
{
	const char *sha1 = customs_pkg_meta_get(p, "sha1");
	struct jw *w = x->w;
	size_t i;

	jw_obj_open(w);
	jw_kstr(w, "name", p->name ? p->name : "");
	pkg_id(x, p, idx);
	jw_kstr(w, "SPDXID", x->b.ptr);
	jw_kstr(w, "versionInfo", p->version);
	noassert(w);
	if (is_hex(sha1, 40)) {
		jw_key(w, "checksums");
		jw_arr_open(w);
		jw_obj_open(w);
		jw_kstr(w, "algorithm", "SHA1");
		jw_kstr(w, "checksumValue", sha1);
		jw_obj_close(w);
		jw_arr_close(w);
	}
	source_info(x, p);
	jw_kstr(w, "licenseConcluded", "NOASSERTION");
	license_declared(x, p);
	jw_kstr(w, "copyrightText", "NOASSERTION");
	jw_key(w, "externalRefs");
	jw_arr_open(w);
	for (i = 0; i < p->cpes.n; i++)
		ext_ref(w, "SECURITY", "cpe23Type", p->cpes.v[i]);
	if (p->purl)
		ext_ref(w, "PACKAGE-MANAGER", "purl", p->purl);
	jw_arr_close(w);
	jw_kstr(w, "primaryPackagePurpose",
		p->type == CUSTOMS_PKG_BINARY ? "APPLICATION" : "LIBRARY");
	jw_obj_close(w);
}

static void root_package(struct jw *w, const struct customs_sbom *s,
			 const char *id)
{
	const char *digest = s->source.image_id;

	jw_obj_open(w);
	jw_kstr(w, "name", s->source.name ? s->source.name : "unknown");
	jw_kstr(w, "SPDXID", id);
	jw_kstr(w, "versionInfo", digest ? digest : s->source.manifest_digest);
	noassert(w);
	if (digest && !strncmp(digest, "sha256:", 7) &&
	    is_hex(digest + 7, 64)) {
		jw_key(w, "checksums");
		jw_arr_open(w);
		jw_obj_open(w);
		jw_kstr(w, "algorithm", "SHA256");
		jw_kstr(w, "checksumValue", digest + 7);
		jw_obj_close(w);
		jw_arr_close(w);
	}
	jw_kstr(w, "licenseConcluded", "NOASSERTION");
	jw_kstr(w, "licenseDeclared", "NOASSERTION");
	jw_kstr(w, "copyrightText", "NOASSERTION");
	jw_kstr(w, "primaryPackagePurpose", is_image(s) ? "CONTAINER" : "FILE");
	jw_obj_close(w);
}

static void os_package(struct spdx *x, const struct customs_sbom_distro *d)
{
	struct jw *w = x->w;

	jw_obj_open(w);
	jw_kstr(w, "name", d->id);
	jw_kstr(w, "SPDXID", x->b.ptr);
	jw_kstr(w, "versionInfo", d->version_id);
	noassert(w);
	jw_kstr(w, "licenseConcluded", "NOASSERTION");
	jw_kstr(w, "licenseDeclared", "NOASSERTION");
	jw_kstr(w, "copyrightText", "NOASSERTION");
	jw_kstr(w, "description", d->pretty_name);
	jw_kstr(w, "primaryPackagePurpose", "OPERATING_SYSTEM");
	jw_obj_close(w);
}

static void os_id(struct spdx *x, const struct customs_sbom_distro *d)
{
	cbuf_reset(&x->b);
	cbuf_puts(&x->b, "SPDXRef-OperatingSystem-");
	put_idpart(&x->b, d->id);
	if (d->version_id) {
		cbuf_putc(&x->b, '-');
		put_idpart(&x->b, d->version_id);
	}
	if (cbuf_error(&x->b))
		x->rc = CUSTOMS_ENOMEM;
}

static void relationship(struct jw *w, const char *a, const char *type,
			 const char *b)
{
	jw_obj_open(w);
	jw_kstr(w, "spdxElementId", a);
	jw_kstr(w, "relationshipType", type);
	jw_kstr(w, "relatedSpdxElement", b);
	jw_obj_close(w);
}

static void header(struct spdx *x, const struct customs_sbom *s,
		   const struct customs_sbom_write_opts *o, const char *uuid)
{
	struct jw *w = x->w;
	size_t i;

	jw_kstr(w, "spdxVersion", "SPDX-2.3");
	jw_kstr(w, "dataLicense", "CC0-1.0");
	jw_kstr(w, "SPDXID", "SPDXRef-DOCUMENT");
	jw_kstr(w, "name", s->source.name ? s->source.name : "unknown");
	cbuf_reset(&x->b);
	cbuf_printf(&x->b, "https://spdx.org/spdxdocs/customs/%s/",
		    is_image(s) ? "image" : "dir");
	put_idpart(&x->b, s->source.name ? s->source.name : "unknown");
	cbuf_printf(&x->b, "-%s", uuid);
	jw_kstr(w, "documentNamespace", x->b.ptr);
	if (s->warnings.n) {
		cbuf_reset(&x->b);
		cbuf_printf(&x->b, "customs warnings (%zu):", s->warnings.n);
		for (i = 0; i < s->warnings.n; i++)
			cbuf_printf(&x->b, "\n%s", s->warnings.v[i]);
		jw_kstr(w, "comment", x->b.ptr);
	}
	jw_key(w, "creationInfo");
	jw_obj_open(w);
	jw_kstr(w, "created", o->created ? o->created : EPOCH);
	jw_key(w, "creators");
	jw_arr_open(w);
	cbuf_reset(&x->b);
	cbuf_printf(&x->b, "Tool: customs-%s",
		    o->tool_version ? o->tool_version : "unknown");
	jw_str(w, x->b.ptr);
	jw_arr_close(w);
	jw_obj_close(w);
	if (cbuf_error(&x->b))
		x->rc = CUSTOMS_ENOMEM;
}

static void extracted(struct spdx *x)
{
	size_t i;

	if (!x->refs.n)
		return;
	jw_key(x->w, "hasExtractedLicensingInfos");
	jw_arr_open(x->w);
	for (i = 0; i < x->refs.n; i++) {
		jw_obj_open(x->w);
		jw_kstr(x->w, "licenseId", x->refs.values[i]);
		jw_kstr(x->w, "extractedText", x->refs.keys[i]);
		jw_kstr(x->w, "name", x->refs.keys[i]);
		jw_obj_close(x->w);
	}
	jw_arr_close(x->w);
}

static void relationships(struct spdx *x, const struct customs_sbom *s,
			  const char *root)
{
	struct jw *w = x->w;
	size_t i;

	jw_key(w, "relationships");
	jw_arr_open(w);
	relationship(w, "SPDXRef-DOCUMENT", "DESCRIBES", root);
	if (s->distro.id) {
		os_id(x, &s->distro);
		relationship(w, root, "CONTAINS", x->b.ptr);
	}
	for (i = 0; !x->rc && i < s->pkgs.n; i++) {
		pkg_id(x, s->pkgs.v[i], i);
		relationship(w, root, "CONTAINS", x->b.ptr);
	}
	jw_arr_close(w);
}

int sbom_write_spdx(struct jw *w, const struct customs_sbom *s,
		    const struct customs_sbom_write_opts *o)
{
	struct spdx x = { .w = w };
	char uuid[37], *root = root_id(s);
	size_t i;

	cbuf_init(&x.b, 1 << 24);
	x.rc = root ? sbom_uuid(uuid, s, o) : CUSTOMS_ENOMEM;
	if (!x.rc)
		x.rc = sbom_unique_ids(&x.own, s);
	if (!x.rc) {
		jw_obj_open(w);
		header(&x, s, o, uuid);
		jw_key(w, "packages");
		jw_arr_open(w);
		root_package(w, s, root);
		if (s->distro.id) {
			os_id(&x, &s->distro);
			os_package(&x, &s->distro);
		}
		for (i = 0; !x.rc && i < s->pkgs.n; i++)
			package(&x, s->pkgs.v[i], i);
		jw_arr_close(w);
		extracted(&x);
		relationships(&x, s, root);
		jw_obj_close(w);
	}
	customs_free(root);
	customs_free(x.own);
	customs_kvlist_release(&x.refs);
	strmap_release(&x.by_text);
	strmap_release(&x.ids);
	cbuf_release(&x.b);
	return x.rc;
}
