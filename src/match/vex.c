/*
 * OpenVEX documents (v0.0.1 and v0.2.0): statements saying a product is
 * not affected by, or fixed for, a vulnerability suppress the matching
 * findings; "affected" and "under_investigation" statements are kept but
 * change nothing.
 *
 * A statement applies to a finding when its vulnerability (name, @id or
 * an alias) is the finding's id or an alias, and either a product names
 * the scanned image (a reference, a digest, or a pkg:oci PURL whose
 * version is the digest) and, if the product lists subcomponents, one of
 * them is the package's PURL; or a product is the package's PURL itself.
 * PURLs are compared without qualifiers and subpath. Documents are
 * bounded (VEX_MAX_BYTES, VEX_MAX_STATEMENTS).
 */
#include <string.h>
#include <jansson.h>

#include "match/match_int.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/jsonalloc.h"
#include "util/banned.h"

#define VEX_MAX_BYTES (64u << 20)
#define VEX_MAX_STATEMENTS 200000

struct vex_product {
	char *id;
	struct customs_strlist subs; /* subcomponent PURLs */
};

struct vex_stmt {
	struct customs_strlist vulns; /* name, @id, aliases */
	char *status, *justification, *doc;
	struct vex_product *products;
	size_t n_products;
};

struct customs_vex {
	struct vex_stmt *v;
	size_t n, cap;
};

int customs_vex_new(struct customs_vex **out)
{
	*out = customs_calloc(1, sizeof(**out));
	return *out ? 0 : CUSTOMS_ENOMEM;
}

static void stmt_release(struct vex_stmt *s)
{
	size_t i;

	customs_strlist_release(&s->vulns);
	customs_free(s->status);
	customs_free(s->justification);
	customs_free(s->doc);
	for (i = 0; i < s->n_products; i++) {
		customs_free(s->products[i].id);
		customs_strlist_release(&s->products[i].subs);
	}
	customs_free(s->products);
}

void customs_vex_free(struct customs_vex *vex)
{
	size_t i;

	if (!vex)
		return;
	for (i = 0; i < vex->n; i++)
		stmt_release(&vex->v[i]);
	customs_free(vex->v);
	customs_free(vex);
}

/* A string, or an object's "@id" (or "name" for vulnerabilities). */
static const char *id_of(const json_t *j, const char *alt)
{
	if (json_is_string(j))
		return json_string_value(j);
	if (!json_is_object(j))
		return NULL;
	if (json_is_string(json_object_get(j, "@id")) &&
	    (!alt || !json_is_string(json_object_get(j, alt))))
		return json_string_value(json_object_get(j, "@id"));
	return alt ? json_string_value(json_object_get(j, alt)) : NULL;
}

static int add_ids(struct customs_strlist *l, const json_t *arr,
		   const char *alt)
{
	size_t i;
	int rc = 0;

	for (i = 0; !rc && i < json_array_size(arr); i++) {
		const char *s = id_of(json_array_get(arr, i), alt);

		if (s && *s)
			rc = customs_strlist_add(l, s);
	}
	return rc;
}

static int vuln_ids(struct vex_stmt *s, const json_t *st)
{
	const json_t *v = json_object_get(st, "vulnerability");
	const char *name = id_of(v, "name");
	int rc = 0;

	if (name && *name)
		rc = customs_strlist_add(&s->vulns, name);
	if (!rc && json_is_object(v)) {
		const char *at = json_string_value(json_object_get(v, "@id"));

		if (at && *at && (!name || strcmp(at, name)))
			rc = customs_strlist_add(&s->vulns, at);
		if (!rc)
			rc = add_ids(&s->vulns, json_object_get(v, "aliases"),
				     NULL);
	}
	return rc;
}

static int products(struct vex_stmt *s, const json_t *st)
{
	const json_t *arr = json_object_get(st, "products");
	const json_t *top_subs = json_object_get(st, "subcomponents");
	size_t i, n = json_array_size(arr);
	int rc = 0;

	s->products = customs_calloc(n ? n : 1, sizeof(*s->products));
	if (!s->products)
		return CUSTOMS_ENOMEM;
	for (i = 0; !rc && i < n; i++) {
		const json_t *p = json_array_get(arr, i);
		const char *id = id_of(p, NULL);
		struct vex_product *vp = &s->products[s->n_products];

		if (!id || !*id)
			continue;
		s->n_products++;
		vp->id = customs_strdup(id);
		rc = vp->id ? 0 : CUSTOMS_ENOMEM;
		if (!rc)
			rc = add_ids(
				&vp->subs,
				json_is_object(p)
					? json_object_get(p, "subcomponents")
					: NULL,
				NULL);
		if (!rc) /* v0.0.1: subcomponents beside products */
			rc = add_ids(&vp->subs, top_subs, NULL);
	}
	return rc;
}

static int dupz(char **dst, const char *s)
{
	if (!s)
		return 0;
	*dst = customs_strdup(s);
	return *dst ? 0 : CUSTOMS_ENOMEM;
}

static int one_stmt(struct customs_vex *vex, const json_t *st, const char *name,
		    size_t index, struct customs_ctx *ctx)
{
	struct vex_stmt s = { 0 };
	const char *status = json_string_value(json_object_get(st, "status"));
	int rc;

	if (!json_is_object(st) || !status)
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "%s: statements[%zu]: expected an object "
				     "with a \"status\"",
				     name, index);
	rc = dupz(&s.status, status);
	if (!rc)
		rc = dupz(&s.justification, json_string_value(json_object_get(
						    st, "justification")));
	if (!rc)
		rc = dupz(&s.doc, name);
	if (!rc)
		rc = vuln_ids(&s, st);
	if (!rc)
		rc = products(&s, st);
	if (!rc && !s.vulns.n)
		rc = customs_error(ctx, CUSTOMS_EFORMAT,
				   "%s: statements[%zu]: no vulnerability",
				   name, index);
	if (!rc && CUSTOMS_GROW(vex->v, vex->cap, vex->n + 1))
		rc = CUSTOMS_ENOMEM;
	if (rc)
		stmt_release(&s);
	else
		vex->v[vex->n++] = s;
	return rc;
}

int customs_vex_add(struct customs_vex *vex, const char *data, size_t len,
		    const char *name, struct customs_ctx *ctx)
{
	json_error_t jerr;
	const json_t *stmts;
	json_t *root;
	size_t i;
	int rc = 0;

	if (len > VEX_MAX_BYTES)
		return customs_error(ctx, CUSTOMS_ELIMIT,
				     "%s: larger than %u bytes", name,
				     VEX_MAX_BYTES);
	customs_json_alloc_init();
	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "%s: line %d: invalid JSON: %s", name,
				     jerr.line, jerr.text);
	stmts = json_object_get(root, "statements");
	if (!json_is_array(stmts))
		rc = customs_error(ctx, CUSTOMS_EFORMAT,
				   "%s: not an OpenVEX document (no "
				   "\"statements\" list)",
				   name);
	else if (json_array_size(stmts) > VEX_MAX_STATEMENTS)
		rc = customs_error(ctx, CUSTOMS_ELIMIT,
				   "%s: more than %d statements", name,
				   VEX_MAX_STATEMENTS);
	for (i = 0; !rc && i < json_array_size(stmts); i++)
		rc = one_stmt(vex, json_array_get(stmts, i), name, i, ctx);
	json_decref(root);
	return rc;
}

/* ---- applying ------------------------------------------------------- */

/* Length of a PURL without qualifiers and subpath. */
static size_t purl_base(const char *p)
{
	return strcspn(p, "?#");
}

static bool purl_eq(const char *a, const char *b)
{
	size_t n = purl_base(a);

	return a && b && n == purl_base(b) && !strncmp(a, b, n);
}

/* The digest a pkg:oci PURL names ("sha256:..."), into out. */
static bool oci_digest(const char *p, char *out, size_t cap)
{
	const char *at = strchr(p, '@');
	size_t n;

	if (strncmp(p, "pkg:oci/", 8) || !at)
		return false;
	at++;
	n = purl_base(at);
	if (n >= cap)
		return false;
	memcpy(out, at, n);
	out[n] = '\0';
	if (!strncmp(out, "sha256%3A", 9) || !strncmp(out, "sha256%3a", 9)) {
		memmove(out + 7, out + 9, n - 8);
		out[6] = ':';
	}
	return true;
}

static bool names_image(const char *product, const char *const *products)
{
	char digest[160];
	bool is_oci = oci_digest(product, digest, sizeof(digest));
	size_t i;

	for (i = 0; products && products[i]; i++) {
		const char *p = products[i];

		if (!strcmp(product, p) || (is_oci && !strcmp(digest, p)))
			return true;
		/* a bare hex digest */
		if (!strncmp(p, "sha256:", 7) && !strcmp(product, p + 7))
			return true;
	}
	return false;
}

static bool subs_ok(const struct vex_product *vp, const char *purl)
{
	size_t i;

	if (!vp->subs.n)
		return true;
	for (i = 0; purl && i < vp->subs.n; i++)
		if (purl_eq(vp->subs.v[i], purl))
			return true;
	return false;
}

static bool stmt_vuln(const struct vex_stmt *s, const struct customs_finding *f)
{
	size_t i, j;

	for (i = 0; i < s->vulns.n; i++) {
		if (!strcasecmp(s->vulns.v[i], f->vuln.id))
			return true;
		for (j = 0; j < f->vuln.aliases.n; j++)
			if (!strcasecmp(s->vulns.v[i], f->vuln.aliases.v[j]))
				return true;
	}
	return false;
}

static bool stmt_product(const struct vex_stmt *s,
			 const struct customs_finding *f,
			 const char *const *image)
{
	const char *purl = f->pkg->purl;
	size_t i;

	for (i = 0; i < s->n_products; i++) {
		const struct vex_product *vp = &s->products[i];

		if (names_image(vp->id, image) && subs_ok(vp, purl))
			return true;
		if (purl && purl_eq(vp->id, purl))
			return true;
	}
	return false;
}

int vex_apply(const struct customs_vex *vex, struct customs_finding *f,
	      const char *const *products)
{
	struct cbuf b = CBUF_INIT(2048);
	size_t i;
	int rc = 0;

	for (i = 0; !rc && i < vex->n; i++) {
		const struct vex_stmt *s = &vex->v[i];

		if ((strcmp(s->status, "not_affected") &&
		     strcmp(s->status, "fixed")) ||
		    !stmt_vuln(s, f) || !stmt_product(s, f, products))
			continue;
		cbuf_reset(&b);
		cbuf_printf(&b, "vex: %s", s->status);
		if (s->justification)
			cbuf_printf(&b, ": %s", s->justification);
		cbuf_printf(&b, " (%s)", s->doc);
		rc = cbuf_error(&b);
		if (!rc)
			rc = match_finding_suppress(f, CUSTOMS_SUPPRESS_VEX,
						    b.ptr);
	}
	cbuf_release(&b);
	return rc;
}
