/*
 * javascript-package-cataloger: installed npm packages, one per
 * package.json, as Syft reads them: every package.json in the tree (the
 * packages under node_modules and the application's own manifest).
 *
 * A package.json without a non-empty string "name" and "version" is
 * skipped without a warning: such files are normal (nested manifests
 * that only say {"type": "module"}, unpublished workspace roots), and npm
 * itself only requires both for a package it can publish or install.
 * Syft's default compliance step drops nameless packages too; Trivy
 * skips packages with no name or no version. Invalid JSON, or JSON that
 * is not an object, is a warning.
 */
#include <string.h>

#include "catalog/jsonload.h"
#include "catalog/npm_int.h"
#include "catalog/lang.h"
#include "util/buf.h"
#include "util/banned.h"

#define NAME "javascript-package-cataloger"
#define MAX_BYTES (4u << 20) /* old npm versions stored the README too */

static int add_license_value(struct customs_pkg *pkg, const json_t *v)
{
	const char *s = json_string_value(v);

	if (json_is_object(v))
		s = cat_json_str(v, "type");
	if (!s || !*s)
		return 0;
	return customs_pkg_add_license(pkg, s);
}

static int add_license_field(struct customs_pkg *pkg, const json_t *v)
{
	size_t i;
	int rc = 0;

	if (!json_is_array(v))
		return add_license_value(pkg, v);
	for (i = 0; !rc && i < json_array_size(v); i++)
		rc = add_license_value(pkg, json_array_get(v, i));
	return rc;
}

int npm_add_licenses(struct customs_pkg *pkg, const json_t *o)
{
	int rc = add_license_field(pkg, json_object_get(o, "license"));

	if (!rc)
		rc = add_license_field(pkg, json_object_get(o, "licenses"));
	return rc;
}

/* "Name <email> (url)" from a string or an object person. */
static int person(struct cbuf *b, const json_t *v)
{
	const char *name = cat_json_nonempty(v, "name");
	const char *email = cat_json_nonempty(v, "email");
	const char *url = cat_json_nonempty(v, "url");

	if (json_is_string(v))
		return cbuf_puts(b, json_string_value(v));
	if (name)
		cbuf_puts(b, name);
	if (email)
		cbuf_printf(b, "%s<%s>", b->len ? " " : "", email);
	if (url)
		cbuf_printf(b, "%s(%s)", b->len ? " " : "", url);
	return cbuf_error(b);
}

static int set_author(struct customs_pkg *pkg, const json_t *root)
{
	struct cbuf b;
	int rc;

	cbuf_init(&b, 64 * 1024);
	person(&b, json_object_get(root, "author"));
	rc = cbuf_error(&b);
	if (rc == CUSTOMS_ELIMIT)
		rc = 0;
	if (!rc && b.len)
		rc = customs_pkg_meta_set(pkg, "author", b.ptr);
	cbuf_release(&b);
	return rc;
}

static int set_meta(struct customs_pkg *pkg, const json_t *root)
{
	static const char *const keys[] = { "homepage", "description" };
	const json_t *repo = json_object_get(root, "repository");
	const char *url = json_is_string(repo) ? json_string_value(repo)
					       : cat_json_str(repo, "url");
	size_t i;
	int rc = 0;

	for (i = 0; !rc && i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v = cat_json_nonempty(root, keys[i]);

		if (v)
			rc = customs_pkg_meta_set(pkg, keys[i], v);
	}
	if (!rc && url && *url)
		rc = customs_pkg_meta_set(pkg, "repository", url);
	if (!rc && cat_json_true(root, "private"))
		rc = customs_pkg_meta_set(pkg, "private", "true");
	if (!rc)
		rc = set_author(pkg, root);
	return rc;
}

static int parse(const struct cat_input *in, struct cat_result *res)
{
	json_t *root = NULL;
	const char *name, *version;
	struct customs_pkg *pkg;
	int rc = cat_json_load(&root, in, res, true);

	if (rc || !root)
		return rc;
	name = cat_json_nonempty(root, "name");
	version = cat_json_nonempty(root, "version");
	if (!name || !version)
		goto out;
	if (!cat_printable(name, strlen(name)) ||
	    !cat_printable(version, strlen(version))) {
		rc = cat_warn(res, "name or version holds control characters");
		goto out;
	}
	rc = CUSTOMS_ENOMEM;
	pkg = cat_pkg_new(res, in, NAME, CUSTOMS_PKG_NPM);
	if (!pkg || customs_pkg_setz(&pkg->name, name) ||
	    customs_pkg_setz(&pkg->version, version))
		goto out;
	rc = npm_add_licenses(pkg, root);
	if (!rc)
		rc = set_meta(pkg, root);
out:
	json_decref(root);
	return rc;
}

static const struct customs_want wants[] = {
	{ CUSTOMS_WANT_BASENAME, "package.json" },
};

const struct cataloger cat_npm_package = {
	.name = NAME,
	.tags = "installed image package language javascript node npm",
	.wants = wants,
	.n_wants = sizeof(wants) / sizeof(wants[0]),
	.max_bytes = MAX_BYTES,
	.flags = CAT_IMAGE,
	.parse = parse,
};
