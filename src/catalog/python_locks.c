/*
 * python-package-cataloger (dir mode only): declared Python dependencies
 * from lock files, as Syft reads them.
 *
 * - Pipfile.lock (JSON): the "default" section only ("develop" holds
 *   development tools); the version is the pin without its "==".
 *   Entries without a version (VCS, editable, path) are skipped.
 * - poetry.lock (TOML): every [[package]] with name and version; the
 *   older "category" ("main"/"dev") and "optional" flag go into meta.
 *   Syft keeps dev packages too (the newer lock format no longer says
 *   which group a package belongs to).
 * - uv.lock (TOML): every [[package]] except the project itself and
 *   workspace members (source = { editable = ... } or { virtual = ... }).
 * - requirements files are read by python_requirements.c.
 *
 * Names are kept as written; the PURL normalises them (PEP 503).
 */
#include <string.h>

#include "catalog/jsonload.h"
#include "catalog/python_int.h"
#include "catalog/lang.h"
#include "catalog/tomlscan.h"
#include "util/alloc.h"
#include "util/banned.h"

#define MAX_BYTES (32u << 20)
#define MAX_STR 1024
#define MAX_LOCK_PKGS 100000

int py_warn_once(struct cat_result *res, const char *msg)
{
	const struct customs_strlist *w = &res->warnings;

	if (w->n && !strcmp(w->v[w->n - 1], msg))
		return 0;
	return customs_strlist_add(&res->warnings, msg);
}

int py_lock_pkg(struct customs_pkg **out, struct cat_result *res,
		const struct cat_input *in, struct cslice name,
		struct cslice version)
{
	struct customs_pkg *pkg;

	*out = NULL;
	if (!cat_printable(name.p, name.n) ||
	    !cat_printable(version.p, version.n))
		return py_warn_once(res, "a name or version holds control "
					 "characters: entry skipped");
	pkg = cat_pkg_new(res, in, PY_PACKAGE_CATALOGER, CUSTOMS_PKG_PYTHON);
	if (!pkg || customs_pkg_set(&pkg->name, name.p, name.n) ||
	    customs_pkg_set(&pkg->version, version.p, version.n))
		return CUSTOMS_ENOMEM;
	*out = pkg;
	return 0;
}

int py_parse_pipfile_lock(const struct cat_input *in, struct cat_result *res)
{
	json_t *root = NULL, *deps, *e;
	struct customs_pkg *pkg;
	const char *name;
	size_t n = 0;
	int rc = cat_json_load(&root, in, res, true);

	if (rc || !root)
		return rc;
	deps = cat_json_obj(root, "default");
	json_object_foreach(deps, name, e)
	{
		const char *v = cat_json_nonempty(e, "version");

		if (!v || !*name)
			continue;
		v += strspn(v, "=");
		if (!*v)
			continue;
		if (!cat_room(&n, MAX_LOCK_PKGS, res, &rc)) {
			if (rc)
				break;
			continue;
		}
		rc = py_lock_pkg(&pkg, res, in, cslice_make(name, strlen(name)),
				 cslice_make(v, strlen(v)));
		if (rc)
			break;
	}
	json_decref(root);
	return rc;
}

/* One [[package]] being read. */
struct tpkg {
	char name[MAX_STR];
	char version[MAX_STR];
	char category[64];
	bool optional;
	bool skip; /* uv: the project itself or a workspace member */
	bool open;
	size_t line;
};

struct tlock {
	const struct cat_input *in;
	struct cat_result *res;
	bool uv;
	struct tpkg cur;
	size_t n;
	size_t incomplete; /* [[package]] without name or version */
	size_t first_incomplete;
};

static int flush(struct tlock *t)
{
	struct tpkg *c = &t->cur;
	struct customs_pkg *pkg;
	int rc = 0;

	if (!c->open || c->skip)
		goto out;
	if (!*c->name || !*c->version) {
		if (!t->incomplete++)
			t->first_incomplete = c->line;
		goto out;
	}
	if (!cat_room(&t->n, MAX_LOCK_PKGS, t->res, &rc))
		goto out;
	rc = py_lock_pkg(&pkg, t->res, t->in,
			 cslice_make(c->name, strlen(c->name)),
			 cslice_make(c->version, strlen(c->version)));
	if (rc || !pkg)
		goto out;
	rc = *c->category ? customs_pkg_meta_set(pkg, "category", c->category)
			  : 0;
	if (!rc && c->optional)
		rc = customs_pkg_meta_set(pkg, "optional", "true");
out:
	memset(c, 0, sizeof(*c));
	return rc;
}

static void take_string(char *dst, size_t dstsz, struct cslice raw)
{
	struct cslice out;

	if (!cat_toml_string(raw, dst, dstsz, &out))
		dst[0] = '\0';
}

static int on_event(void *arg, const struct cat_toml_event *ev)
{
	struct tlock *t = arg;
	struct tpkg *c = &t->cur;
	struct cslice v;
	int rc = 0;

	if (ev->header) {
		if (ev->array_table && cslice_eq(ev->table, "package")) {
			rc = flush(t);
			c->open = true;
			c->line = ev->line;
		}
		return rc;
	}
	if (!c->open || !cslice_eq(ev->table, "package"))
		return 0;
	if (cslice_eq(ev->key, "name"))
		take_string(c->name, sizeof(c->name), ev->raw);
	else if (cslice_eq(ev->key, "version"))
		take_string(c->version, sizeof(c->version), ev->raw);
	else if (cslice_eq(ev->key, "category"))
		take_string(c->category, sizeof(c->category), ev->raw);
	else if (cslice_eq(ev->key, "optional"))
		c->optional = cslice_eq(ev->raw, "true");
	else if (t->uv && cslice_eq(ev->key, "source"))
		c->skip = cat_toml_inline_get(ev->raw, "editable", &v) ||
			  cat_toml_inline_get(ev->raw, "virtual", &v);
	return 0;
}

static int parse_toml_lock(const struct cat_input *in, struct cat_result *res,
			   bool uv)
{
	struct tlock *t = customs_calloc(1, sizeof(*t));
	const char *msg = NULL;
	size_t line = 0;
	int rc;

	if (!t)
		return CUSTOMS_ENOMEM;
	t->in = in;
	t->res = res;
	t->uv = uv;
	rc = cat_toml_parse((const char *)in->data, in->len, on_event, t, &line,
			    &msg);
	if (rc == CUSTOMS_EFORMAT) {
		/* keep the packages read before the bad line, not the one
		 * it broke */
		memset(&t->cur, 0, sizeof(t->cur));
		rc = cat_warn(res, "line %zu: invalid TOML: %s", line, msg);
	}
	if (!rc)
		rc = flush(t);
	if (!rc && t->incomplete)
		rc = cat_warn(res,
			      "line %zu: package without name or version "
			      "(%zu such packages)",
			      t->first_incomplete, t->incomplete);
	customs_free(t);
	return rc;
}

int py_parse_poetry_lock(const struct cat_input *in, struct cat_result *res)
{
	return parse_toml_lock(in, res, false);
}

int py_parse_uv_lock(const struct cat_input *in, struct cat_result *res)
{
	return parse_toml_lock(in, res, true);
}

static int parse(const struct cat_input *in, struct cat_result *res)
{
	const char *b = strrchr(in->path, '/');

	b = b ? b + 1 : in->path;
	if (!strcmp(b, "Pipfile.lock"))
		return py_parse_pipfile_lock(in, res);
	if (!strcmp(b, "poetry.lock"))
		return py_parse_poetry_lock(in, res);
	if (!strcmp(b, "uv.lock"))
		return py_parse_uv_lock(in, res);
	if (strstr(b, "requirements") && strlen(b) > 4 &&
	    !strcmp(b + strlen(b) - 4, ".txt"))
		return py_parse_requirements(in, res);
	return 0;
}

static const struct customs_want wants[] = {
	{ CUSTOMS_WANT_BASENAME, "Pipfile.lock" },
	{ CUSTOMS_WANT_BASENAME, "poetry.lock" },
	{ CUSTOMS_WANT_BASENAME, "uv.lock" },
	{ CUSTOMS_WANT_PREFIX, "requirements" },
	{ CUSTOMS_WANT_BASENAME, "dev-requirements.txt" },
	{ CUSTOMS_WANT_BASENAME, "test-requirements.txt" },
	{ CUSTOMS_WANT_BASENAME, "docs-requirements.txt" },
};

const struct cataloger cat_python_package = {
	.name = PY_PACKAGE_CATALOGER,
	.tags = "declared directory package language python lock",
	.wants = wants,
	.n_wants = sizeof(wants) / sizeof(wants[0]),
	.max_bytes = MAX_BYTES,
	.flags = CAT_DIR_ONLY,
	.parse = parse,
};
