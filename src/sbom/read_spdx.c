/*
 * Reading SPDX 2.2/2.3 JSON as customs, Syft and Trivy write it.
 *
 * - The document name is the scanned target's name; the package the
 *   document DESCRIBES, when it is a container, a file or one of Syft's
 *   "SPDXRef-DocumentRoot-" packages, gives the image id and kind;
 *   an OPERATING_SYSTEM package is the distribution.
 * - Every other package is a package: name, versionInfo, the purl and
 *   cpe23Type/cpe22Type external references, licenseDeclared (split back
 *   at top-level AND into declared licences, LicenseRef-* turned back
 *   into the extracted name), a SHA1 checksum, and sourceInfo "acquired
 *   package info from <cataloger>: /a, /b" for the cataloger and paths.
 * - Trivy's attribution texts: ImageID, DiffID and RepoTag on the image,
 *   LayerDiffID on a package (its introduced layer).
 * - A document comment starting "customs warnings" holds the warnings.
 * Fields a document leaves out are taken from the PURL.
 */
#include <stdio.h>
#include <string.h>

#include "sbom/sbom_int.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/strmap.h"
#include "util/banned.h"

#define EPOCH "1970-01-01T00:00:00Z"

struct sp {
	struct rd r;
	struct strmap roots; /* SPDXIDs the document DESCRIBES */
	json_t *extracted; /* hasExtractedLicensingInfos */
};

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int find_roots(struct sp *x, json_t *root)
{
	json_t *a, *e;
	size_t i;
	int rc = rd_arr(&x->r, &a, root, "relationships", "");

	json_array_foreach(a, i, e)
	{
		const char *t = str(e, "relationshipType");
		const char *from = str(e, "spdxElementId");
		const char *to = str(e, "relatedSpdxElement");

		if (rc)
			break;
		if (t && from && to && !strcmp(t, "DESCRIBES") &&
		    !strcmp(from, "SPDXRef-DOCUMENT"))
			rc = strmap_put(&x->roots, to, (void *)1);
	}
	return rc;
}

/* The extracted name of a LicenseRef, or the ref itself. */
static const char *ref_text(struct sp *x, const char *ref, size_t n)
{
	json_t *e;
	size_t i;

	json_array_foreach(x->extracted, i, e)
	{
		const char *id = str(e, "licenseId");

		if (id && strlen(id) == n && !strncmp(id, ref, n)) {
			const char *t = str(e, "name");

			return t ? t : str(e, "extractedText");
		}
	}
	return NULL;
}

static int add_one_license(struct sp *x, struct customs_pkg *p, const char *s,
			   size_t n)
{
	const char *t;
	char *c;
	int rc;

	while (n && *s == ' ')
		s++, n--;
	while (n && s[n - 1] == ' ')
		n--;
	if (n > 2 && *s == '(' && s[n - 1] == ')' && !memchr(s + 1, '(', n - 2))
		s++, n -= 2;
	if (!n)
		return 0;
	if (n > 11 && !strncmp(s, "LicenseRef-", 11) && !memchr(s, ' ', n) &&
	    (t = ref_text(x, s, n)))
		return customs_pkg_add_license(p, t);
	c = customs_strndup(s, n);
	if (!c)
		return CUSTOMS_ENOMEM;
	rc = customs_pkg_add_license(p, c);
	customs_free(c);
	return rc;
}

/* Split at " AND " outside parentheses. */
static int licenses(struct sp *x, struct customs_pkg *p, const char *decl)
{
	size_t i, start = 0;
	int depth = 0, rc = 0;

	if (!decl || !strcmp(decl, "NOASSERTION") || !strcmp(decl, "NONE"))
		return 0;
	for (i = 0; !rc && decl[i]; i++) {
		if (decl[i] == '(')
			depth++;
		else if (decl[i] == ')')
			depth--;
		else if (!depth && !strncmp(decl + i, " AND ", 5)) {
			rc = add_one_license(x, p, decl + start, i - start);
			start = i + 5;
			i += 4;
		}
	}
	if (!rc)
		rc = add_one_license(x, p, decl + start, i - start);
	return rc;
}

static int refs(struct sp *x, struct customs_pkg *p, json_t *o,
		const char *path)
{
	json_t *a, *e;
	size_t i;
	int rc = rd_arr(&x->r, &a, o, "externalRefs", path);

	json_array_foreach(a, i, e)
	{
		const char *t = str(e, "referenceType");
		const char *loc = str(e, "referenceLocator");

		if (rc || !t || !loc)
			continue;
		if (!strcmp(t, "purl") && !p->purl)
			rc = customs_pkg_setz(&p->purl, loc);
		else if (!strcmp(t, "cpe23Type") || !strcmp(t, "cpe22Type"))
			rc = customs_pkg_add_cpe(p, loc);
	}
	return rc;
}

static int checksums(struct sp *x, struct customs_pkg *p, json_t *o,
		     const char *path)
{
	json_t *a, *e;
	size_t i;
	int rc = rd_arr(&x->r, &a, o, "checksums", path);

	json_array_foreach(a, i, e)
	{
		const char *alg = str(e, "algorithm");
		const char *v = str(e, "checksumValue");

		if (!rc && alg && v && !strcmp(alg, "SHA1"))
			rc = customs_pkg_meta_set(p, "sha1", v);
	}
	return rc;
}

/* "acquired package info from <cataloger>: /a, /b" */
static int source_info(struct customs_pkg *p, const char *s)
{
	static const char pre[] = "acquired package info from ";
	const char *colon, *c;
	int rc;

	if (!s || strncmp(s, pre, sizeof(pre) - 1))
		return 0;
	s += sizeof(pre) - 1;
	colon = strstr(s, ": ");
	if (!colon)
		return 0;
	/* Syft names the evidence kind ("DPKG DB"), we the cataloger */
	rc = memchr(s, ' ', (size_t)(colon - s))
		     ? 0
		     : customs_pkg_set(&p->found_by, s, (size_t)(colon - s));
	for (s = colon + 2; !rc && *s; s = c ? c + 2 : s + strlen(s)) {
		char *path;

		c = strstr(s, ", ");
		path = customs_strndup(s, c ? (size_t)(c - s) : strlen(s));
		if (!path)
			return CUSTOMS_ENOMEM;
		if (*path)
			rc = customs_pkg_add_location(
				p, path[0] == '/' ? path + 1 : path, NULL, -1,
				CUSTOMS_EVIDENCE_PRIMARY);
		customs_free(path);
	}
	return rc;
}

/* Trivy's "Key: value" attribution texts: visit each with its key. */
static int each_attribution(json_t *o,
			    int (*fn)(void *arg, const char *key,
				      const char *v),
			    void *arg)
{
	json_t *a = json_object_get(o, "attributionTexts"), *e;
	size_t i;
	int rc = 0;

	json_array_foreach(a, i, e)
	{
		const char *t = json_string_value(e), *sep;
		char key[32];

		if (rc || !t || !(sep = strstr(t, ": ")) ||
		    (size_t)(sep - t) >= sizeof(key))
			continue;
		memcpy(key, t, (size_t)(sep - t));
		key[sep - t] = '\0';
		rc = fn(arg, key, sep + 2);
	}
	return rc;
}

static int source_attr(void *arg, const char *key, const char *v)
{
	struct customs_sbom_source *src = arg;

	if (!strcmp(key, "ImageID") && !src->image_id)
		return customs_pkg_setz(&src->image_id, v);
	if (!strcmp(key, "DiffID"))
		return customs_strlist_add(&src->layer_ids, v);
	if (!strcmp(key, "RepoTag"))
		return customs_strlist_add(&src->tags, v);
	return 0;
}

struct pkg_attr {
	struct customs_pkg *p;
	const struct customs_sbom_source *src;
};

/* "LayerDiffID": the layer the package came in with, by index. */
static int pkg_attr(void *arg, const char *key, const char *v)
{
	struct pkg_attr *a = arg;
	size_t i;

	if (strcmp(key, "LayerDiffID"))
		return 0;
	for (i = 0; i < a->src->layer_ids.n; i++) {
		if (!strcmp(a->src->layer_ids.v[i], v) &&
		    a->p->introduced_layer < 0)
			a->p->introduced_layer = (int)i;
	}
	return 0;
}

static int package(struct sp *x, json_t *o, const char *path)
{
	struct customs_pkg *p = customs_pkg_new(CUSTOMS_PKG_UNKNOWN);
	const char *id = str(o, "SPDXID");
	struct pkg_attr pa;
	int rc;

	if (!p)
		return CUSTOMS_ENOMEM;
	if ((rc = rd_str(&x->r, &p->name, o, "name", path)) ||
	    (rc = rd_str(&x->r, &p->version, o, "versionInfo", path)) ||
	    (rc = refs(x, p, o, path)) ||
	    (rc = licenses(x, p, str(o, "licenseDeclared"))) ||
	    (rc = checksums(x, p, o, path)) ||
	    (rc = source_info(p, str(o, "sourceInfo"))) ||
	    (rc = sbom_pkg_from_purl(p)))
		goto fail;
	pa.p = p;
	pa.src = &x->r.s->source;
	each_attribution(o, pkg_attr, &pa);
	rc = id ? sbom_pkg_id_from_ref(p, id) : sbom_pkg_set_id(p);
	if (!rc && x->r.s->pkgs.n >= SBOM_MAX_PKGS)
		rc = customs_error(x->r.ctx, CUSTOMS_ELIMIT,
				   "%s: more than %u packages", x->r.name,
				   SBOM_MAX_PKGS);
	if (rc)
		goto fail;
	return customs_pkglist_push(&x->r.s->pkgs, p);
fail:
	customs_pkg_free(p);
	return rc;
}

static int subject(struct sp *x, json_t *o, const char *purpose)
{
	struct customs_sbom_source *src = &x->r.s->source;
	const char *v = str(o, "versionInfo");
	int rc = src->name ? 0 : customs_pkg_setz(&src->name, str(o, "name"));

	if (!rc)
		rc = customs_pkg_setz(&src->kind,
				      purpose && !strcmp(purpose, "CONTAINER")
					      ? "image"
					      : "directory");
	if (!rc && v && !strncmp(v, "sha256:", 7))
		rc = customs_pkg_setz(&src->image_id, v);
	if (!rc)
		rc = each_attribution(o, source_attr, src);
	return rc;
}

static int os_package(struct sp *x, json_t *o)
{
	struct customs_sbom_distro *d = &x->r.s->distro;

	if (customs_pkg_setz(&d->id, str(o, "name")) ||
	    customs_pkg_setz(&d->version_id, str(o, "versionInfo")) ||
	    customs_pkg_setz(&d->pretty_name, str(o, "description")))
		return CUSTOMS_ENOMEM;
	return 0;
}

/* pass 0: the source and the distribution; pass 1: the packages (which
 * need the source's layers). */
static int one(struct sp *x, json_t *o, size_t i, int pass)
{
	char path[64];
	const char *id, *purpose;

	snprintf(path, sizeof(path), "packages[%zu]", i);
	if (!json_is_object(o))
		return rd_err(&x->r, path, "must be an object");
	id = str(o, "SPDXID");
	if (!id)
		return rd_err(&x->r, path, "\"SPDXID\" is missing");
	purpose = str(o, "primaryPackagePurpose");
	if (purpose && (!strcmp(purpose, "OPERATING_SYSTEM") ||
			!strcmp(purpose, "OPERATING-SYSTEM")))
		return pass ? 0 : os_package(x, o);
	if (strmap_get(&x->roots, id) &&
	    (!strncmp(id, "SPDXRef-DocumentRoot-", 21) ||
	     (purpose &&
	      (!strcmp(purpose, "CONTAINER") || !strcmp(purpose, "FILE")))))
		return pass ? 0 : subject(x, o, purpose);
	return pass ? package(x, o, path) : 0;
}

static int warnings(struct customs_sbom *s, const char *comment)
{
	const char *nl;
	int rc = 0;

	if (!comment || strncmp(comment, "customs warnings", 16))
		return 0;
	for (nl = strchr(comment, '\n'); !rc && nl;) {
		const char *next = strchr(nl + 1, '\n');
		size_t n = next ? (size_t)(next - nl - 1) : strlen(nl + 1);
		char *w = customs_strndup(nl + 1, n);

		if (!w)
			return CUSTOMS_ENOMEM;
		rc = customs_strlist_add(&s->warnings, w);
		customs_free(w);
		nl = next;
	}
	return rc;
}

int sbom_read_spdx(struct customs_sbom *s, json_t *root, const char *name,
		   struct customs_ctx *ctx)
{
	struct sp x = { { name, ctx, s }, STRMAP_INIT, NULL };
	json_t *info, *pkgs, *o;
	size_t i;
	int rc, pass;

	if ((rc = rd_obj(&x.r, &info, root, "creationInfo", "")) ||
	    (info && (rc = rd_str(&x.r, &s->created, info, "created",
				  "creationInfo"))) ||
	    (rc = rd_arr(&x.r, &x.extracted, root, "hasExtractedLicensingInfos",
			 "")) ||
	    (rc = rd_arr(&x.r, &pkgs, root, "packages", "")) ||
	    (rc = rd_str(&x.r, &s->source.name, root, "name", "")) ||
	    (rc = find_roots(&x, root)) ||
	    (rc = warnings(s, str(root, "comment"))))
		goto out;
	if (s->created && !strcmp(s->created, EPOCH)) {
		customs_free(s->created);
		s->created = NULL;
	}
	for (pass = 0; !rc && pass < 2; pass++) {
		json_array_foreach(pkgs, i, o)
		{
			rc = one(&x, o, i, pass);
			if (rc)
				break;
		}
	}
	if (!rc)
		customs_sbom_sort(s);
out:
	strmap_release(&x.roots);
	return rc;
}
