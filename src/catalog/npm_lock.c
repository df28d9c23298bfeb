/*
 * javascript-lock-cataloger: npm's package-lock.json (and the dispatch to
 * yarn.lock and pnpm-lock.yaml, which live in their own files).
 *
 * - v1 (lockfileVersion 1, npm 5-6): a nested "dependencies" tree; each
 *   member is name -> {version, resolved, integrity, dev, dependencies}.
 * - v2/v3 (npm 7+): a flat "packages" map keyed by install path
 *   ("node_modules/a/node_modules/@s/b"); the name is what follows the
 *   last "node_modules/" unless the entry has its own "name" (aliases);
 *   the root entry "" counts only when it has a name; "link" entries
 *   (workspace symlinks) are skipped because their target is listed too.
 *   A v2 file without "packages" is read as v1.
 * - "dev": true entries are skipped, as Syft does by default: they are
 *   not installed in a production image.
 * - a lock file under node_modules (npm's hidden node_modules/
 *   .package-lock.json, vendored fixtures) is skipped, as in Syft.
 * - a version "npm:real@1.2.3" (an alias) names the real package.
 * The same name@version is reported once per lock file.
 */
#include <string.h>

#include "catalog/jsonload.h"
#include "catalog/npm_int.h"
#include "catalog/lang.h"
#include "util/arena.h"
#include "util/strmap.h"
#include "util/path.h"
#include "util/banned.h"

#define MAX_BYTES (64u << 20)
#define MAX_DEPTH 128

struct lock {
	const struct cat_input *in;
	struct cat_result *res;
	struct strmap seen; /* "name@version" */
	struct arena arena;
	size_t n;
	bool warned_depth;
};

bool npm_under_node_modules(const char *path)
{
	const char *p = path;

	while ((p = strstr(p, "node_modules/"))) {
		if (p == path || p[-1] == '/')
			return true;
		p++;
	}
	return false;
}

static int warn_once(struct cat_result *res, const char *msg)
{
	const struct customs_strlist *w = &res->warnings;

	if (w->n && !strcmp(w->v[w->n - 1], msg))
		return 0;
	return customs_strlist_add(&res->warnings, msg);
}

int npm_lock_pkg(struct customs_pkg **out, struct cat_result *res,
		 const struct cat_input *in, const char *name, size_t name_len,
		 const char *version, size_t version_len)
{
	struct customs_pkg *pkg;

	*out = NULL;
	if (!cat_printable(name, name_len) ||
	    !cat_printable(version, version_len))
		return warn_once(res, "a name or version holds control "
				      "characters: entry skipped");
	pkg = cat_pkg_new(res, in, NPM_LOCK_CATALOGER, CUSTOMS_PKG_NPM);
	if (!pkg || customs_pkg_set(&pkg->name, name, name_len) ||
	    customs_pkg_set(&pkg->version, version, version_len))
		return CUSTOMS_ENOMEM;
	*out = pkg;
	return 0;
}

/* Resolve an alias version "npm:real@1.2.3" into name and version. */
static void unalias(const char **name, size_t *name_len, const char **ver)
{
	const char *v = *ver, *at;

	if (strncmp(v, "npm:", 4))
		return;
	v += 4;
	at = strrchr(v + 1, '@');
	if (!at || !at[1])
		return;
	*name = v;
	*name_len = (size_t)(at - v);
	*ver = at + 1;
}

static int add(struct lock *l, const char *name, size_t name_len,
	       const char *version, const json_t *entry, bool with_licenses)
{
	struct customs_pkg *pkg;
	const char *resolved = cat_json_nonempty(entry, "resolved");
	const char *integrity = cat_json_nonempty(entry, "integrity");
	char *key;
	int rc = 0;

	unalias(&name, &name_len, &version);
	if (!name_len || !*version)
		return 0;
	key = arena_alloc(&l->arena, name_len + strlen(version) + 2);
	if (!key)
		return CUSTOMS_ENOMEM;
	memcpy(key, name, name_len);
	key[name_len] = '@';
	memcpy(key + name_len + 1, version, strlen(version) + 1);
	if (strmap_get(&l->seen, key) ||
	    !cat_room(&l->n, NPM_MAX_LOCK_PKGS, l->res, &rc))
		return rc;
	if (strmap_put(&l->seen, key, (void *)1))
		return CUSTOMS_ENOMEM;
	rc = npm_lock_pkg(&pkg, l->res, l->in, name, name_len, version,
			  strlen(version));
	if (rc || !pkg)
		return rc;
	if (resolved)
		rc = customs_pkg_meta_set(pkg, "resolved", resolved);
	if (!rc && integrity)
		rc = customs_pkg_meta_set(pkg, "integrity", integrity);
	if (!rc && with_licenses)
		rc = npm_add_licenses(pkg, entry);
	return rc;
}

/* v1: walk "dependencies" recursively, at most MAX_DEPTH deep. */
static int walk_v1(struct lock *l, const json_t *deps, int depth)
{
	const char *name;
	json_t *e;
	int rc = 0;

	if (!json_is_object(deps))
		return 0;
	if (depth > MAX_DEPTH) {
		if (!l->warned_depth)
			rc = cat_warn(l->res,
				      "dependencies nested deeper than %d: "
				      "the deeper ones are ignored",
				      MAX_DEPTH);
		l->warned_depth = true;
		return rc;
	}
	json_object_foreach((json_t *)deps, name, e)
	{
		const char *version = cat_json_nonempty(e, "version");

		if (version && !cat_json_true(e, "dev"))
			rc = add(l, name, strlen(name), version, e, false);
		if (!rc)
			rc = walk_v1(l, json_object_get(e, "dependencies"),
				     depth + 1);
		if (rc)
			break;
	}
	return rc;
}

static int packages_entry(struct lock *l, const char *key, const json_t *e)
{
	const char *name = cat_json_nonempty(e, "name");
	const char *version = cat_json_nonempty(e, "version");
	const char *last = key, *p = key;

	if (!json_is_object(e) || !version || cat_json_true(e, "dev") ||
	    cat_json_true(e, "link"))
		return 0;
	while ((p = strstr(p, "node_modules/"))) {
		if (p == key || p[-1] == '/')
			last = p + strlen("node_modules/");
		p++;
	}
	if (!name && last != key)
		name = last;
	if (!name)
		return 0; /* the root or a workspace folder without a name */
	return add(l, name, strlen(name), version, e, true);
}

static int walk_packages(struct lock *l, const json_t *packages)
{
	const char *key;
	json_t *e;
	int rc = 0;

	json_object_foreach((json_t *)packages, key, e)
	{
		rc = packages_entry(l, key, e);
		if (rc)
			break;
	}
	return rc;
}

int npm_parse_package_lock(const struct cat_input *in, struct cat_result *res)
{
	struct lock l = { in, res, STRMAP_INIT, ARENA_INIT, 0, false };
	json_t *root = NULL, *packages;
	int rc;

	if (npm_under_node_modules(in->path))
		return 0;
	rc = cat_json_load(&root, in, res, true);
	if (rc || !root)
		return rc;
	packages = cat_json_obj(root, "packages");
	if (packages)
		rc = walk_packages(&l, packages);
	else
		rc = walk_v1(&l, json_object_get(root, "dependencies"), 0);
	strmap_release(&l.seen);
	arena_release(&l.arena);
	json_decref(root);
	return rc;
}

static int parse(const struct cat_input *in, struct cat_result *res)
{
	const char *b = path_base(in->path);

	if (!strcmp(b, "package-lock.json"))
		return npm_parse_package_lock(in, res);
	if (!strcmp(b, "yarn.lock"))
		return npm_parse_yarn_lock(in, res);
	if (!strcmp(b, "pnpm-lock.yaml"))
		return npm_parse_pnpm_lock(in, res);
	return 0;
}

static const struct customs_want wants[] = {
	{ CUSTOMS_WANT_BASENAME, "package-lock.json" },
	{ CUSTOMS_WANT_BASENAME, "yarn.lock" },
	{ CUSTOMS_WANT_BASENAME, "pnpm-lock.yaml" },
};

const struct cataloger cat_npm_lock = {
	.name = NPM_LOCK_CATALOGER,
	.tags = "declared directory package language javascript node npm lock",
	.wants = wants,
	.n_wants = sizeof(wants) / sizeof(wants[0]),
	.max_bytes = MAX_BYTES,
	.flags = CAT_DIR_ONLY,
	.parse = parse,
};
