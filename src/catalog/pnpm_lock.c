/*
 * pnpm-lock.yaml and yarn berry's yarn.lock, for javascript-lock-cataloger.
 * Both are YAML, read with libyaml's document loader (aliases are not
 * expanded, and only the first two levels of the tree are visited, so a
 * hostile file costs memory bounded by its size).
 *
 * pnpm keys its "packages" map by dependency path, whose shape changed
 * with lockfileVersion:
 *   5.x  "/name/1.2.3" or "/@scope/name/1.2.3_peer@2.0.0" (peers after '_')
 *   6.x  "/name@1.2.3" or "/@scope/name@1.2.3(peer@2.0.0)"
 *   9.x  "name@1.2.3" (peers only in "snapshots", which are not read)
 * An entry's own "name" and "version" (tarball and git dependencies)
 * win over the key. "dev: true" entries (5.x, 6.x) are skipped; 9.x no
 * longer marks them. Every document of a multi-document stream is read.
 *
 * yarn berry: a map from "desc1, desc2" to {version, resolution,
 * checksum, linkType}; the name comes from "resolution" (which already
 * names the real package of an alias). Workspace, link, portal and
 * patch resolutions are skipped: they are the project itself, or
 * duplicates of the npm entry they patch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "catalog/lang.h"
#include "catalog/npm_int.h"
#include "util/alloc.h"
#include "util/banned.h"

struct ydoc {
	yaml_document_t doc;
	const struct cat_input *in;
	struct cat_result *res;
	size_t n;
};

static yaml_node_t *node(struct ydoc *y, int i)
{
	return yaml_document_get_node(&y->doc, i);
}

static struct cslice scalar(const yaml_node_t *n)
{
	if (!n || n->type != YAML_SCALAR_NODE)
		return cslice_make("", 0);
	return cslice_make((const char *)n->data.scalar.value,
			   n->data.scalar.length);
}

/* The value of scalar key in mapping m, or NULL. */
static yaml_node_t *get(struct ydoc *y, const yaml_node_t *m, const char *key)
{
	yaml_node_pair_t *p;

	if (!m || m->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top;
	     p++) {
		if (cslice_eq(scalar(node(y, p->key)), key))
			return node(y, p->value);
	}
	return NULL;
}

static struct cslice get_str(struct ydoc *y, const yaml_node_t *m,
			     const char *key)
{
	return scalar(get(y, m, key));
}

static int set_meta(struct customs_pkg *pkg, const char *key, struct cslice v)
{
	char *s;
	int rc;

	if (!v.n || v.n > 4096)
		return 0;
	s = cslice_dup(v);
	if (!s)
		return CUSTOMS_ENOMEM;
	rc = customs_pkg_meta_set(pkg, key, s);
	customs_free(s);
	return rc;
}

static int add(struct ydoc *y, struct cslice name, struct cslice version,
	       const char *meta_key, struct cslice meta)
{
	struct customs_pkg *pkg;
	int rc = 0;

	if (!name.n || !version.n ||
	    !cat_room(&y->n, NPM_MAX_LOCK_PKGS, y->res, &rc))
		return rc;
	rc = npm_lock_pkg(&pkg, y->res, y->in, name.p, name.n, version.p,
			  version.n);
	if (rc || !pkg)
		return rc;
	return set_meta(pkg, meta_key, meta);
}

/* Split a pnpm dependency path into name and version. */
static void pnpm_key(struct cslice k, bool slash_form, struct cslice *name,
		     struct cslice *version)
{
	const char *sep = NULL, *cut;
	size_t i;

	*name = *version = cslice_make("", 0);
	if (k.n && k.p[0] == '/')
		k = cslice_make(k.p + 1, k.n - 1);
	cut = memchr(k.p, '(', k.n);
	if (cut)
		k.n = (size_t)(cut - k.p);
	/* 5.x: the last '/'; later: the first '@' past a scope's '@' */
	if (slash_form) {
		for (i = k.n; !sep && i-- > 1;) {
			if (k.p[i] == '/')
				sep = k.p + i;
		}
	} else if (k.n > 1) {
		sep = memchr(k.p + 1, '@', k.n - 1);
	}
	if (!sep)
		return;
	*name = cslice_make(k.p, (size_t)(sep - k.p));
	*version = cslice_make(sep + 1, (size_t)(k.p + k.n - sep - 1));
	cut = slash_form ? memchr(version->p, '_', version->n) : NULL;
	if (cut)
		version->n = (size_t)(cut - version->p);
}

/* lockfileVersion 5.x uses the "/name/version" keys. */
static bool slash_form(struct ydoc *y, const yaml_node_t *root)
{
	struct cslice v = get_str(y, root, "lockfileVersion");
	char buf[16];

	if (!v.n || v.n >= sizeof(buf))
		return false;
	memcpy(buf, v.p, v.n);
	buf[v.n] = '\0';
	return strtod(buf, NULL) < 6.0;
}

static int pnpm_doc(struct ydoc *y, const yaml_node_t *root)
{
	yaml_node_t *pkgs = get(y, root, "packages");
	bool slash = slash_form(y, root);
	yaml_node_pair_t *p;
	int rc = 0;

	if (!pkgs || pkgs->type != YAML_MAPPING_NODE)
		return 0;
	for (p = pkgs->data.mapping.pairs.start;
	     !rc && p < pkgs->data.mapping.pairs.top; p++) {
		yaml_node_t *e = node(y, p->value);
		struct cslice name, version, n2, v2;

		if (cslice_eq(get_str(y, e, "dev"), "true"))
			continue;
		pnpm_key(scalar(node(y, p->key)), slash, &name, &version);
		n2 = get_str(y, e, "name");
		v2 = get_str(y, e, "version");
		rc = add(y, n2.n ? n2 : name, v2.n ? v2 : version, "integrity",
			 get_str(y, get(y, e, "resolution"), "integrity"));
	}
	return rc;
}

static bool skip_resolution(struct cslice r)
{
	static const char *const protocols[] = {
		"@workspace:", "@link:", "@portal:", "@patch:", "@file:"
	};
	size_t i, j, n;

	for (i = 0; i < sizeof(protocols) / sizeof(protocols[0]); i++) {
		n = strlen(protocols[i]);
		for (j = 0; j + n <= r.n; j++) {
			if (!memcmp(r.p + j, protocols[i], n))
				return true;
		}
	}
	return false;
}

static int berry_doc(struct ydoc *y, const yaml_node_t *root)
{
	yaml_node_pair_t *p;
	int rc = 0;

	if (root->type != YAML_MAPPING_NODE)
		return 0;
	for (p = root->data.mapping.pairs.start;
	     !rc && p < root->data.mapping.pairs.top; p++) {
		yaml_node_t *e = node(y, p->value);
		struct cslice res = get_str(y, e, "resolution");

		if (cslice_eq(scalar(node(y, p->key)), "__metadata") ||
		    skip_resolution(res) ||
		    cslice_eq(get_str(y, e, "linkType"), "soft"))
			continue;
		rc = add(y, npm_descriptor_name(res, false),
			 get_str(y, e, "version"), "checksum",
			 get_str(y, e, "checksum"));
	}
	return rc;
}

static int load(const struct cat_input *in, struct cat_result *res,
		int (*fn)(struct ydoc *, const yaml_node_t *))
{
	struct ydoc y = { .in = in, .res = res };
	yaml_parser_t parser;
	yaml_node_t *root;
	int rc = 0;

	if (!yaml_parser_initialize(&parser))
		return CUSTOMS_ENOMEM;
	yaml_parser_set_input_string(&parser, in->data, in->len);
	while (!rc) {
		if (!yaml_parser_load(&parser, &y.doc)) {
			rc = parser.error == YAML_MEMORY_ERROR
				     ? CUSTOMS_ENOMEM
				     : cat_warn(res,
						"line %zu: invalid YAML: %s",
						parser.problem_mark.line + 1,
						parser.problem ? parser.problem
							       : "?");
			break;
		}
		root = yaml_document_get_root_node(&y.doc);
		if (root)
			rc = fn(&y, root);
		yaml_document_delete(&y.doc);
		if (!root)
			break;
	}
	yaml_parser_delete(&parser);
	return rc;
}

int npm_parse_pnpm_lock(const struct cat_input *in, struct cat_result *res)
{
	if (npm_under_node_modules(in->path))
		return 0;
	return load(in, res, pnpm_doc);
}

int npm_parse_yarn_berry(const struct cat_input *in, struct cat_result *res)
{
	return load(in, res, berry_doc);
}
