/*
 * .NET: the NuGet packages an application was built with, from its
 * <app>.deps.json (written next to the binaries by `dotnet publish`, so
 * installed evidence) and from a project's packages.lock.json.
 *
 * deps.json: "libraries" maps "Name/1.2.3" to {type, sha512, path,
 * hashPath}; "targets" maps each target framework (and runtime
 * identifier) to the libraries it uses, and "runtimeTarget.name" says
 * which target the application runs. A library is a package when its
 * type is "package" ("project" is the application itself or a project
 * reference, "reference" a plain assembly) and, when the runtime target
 * is present, it is listed in that target. Syft's newer cataloger also
 * drops packages that claim no DLL in runtime or resources; this one
 * does not (as Syft's dotnet-deps-cataloger did), so build-only packages
 * listed in the target are reported too.
 *
 * packages.lock.json: "dependencies" maps each target framework to
 * {Name: {type, resolved, contentHash}}; "Project" entries are skipped
 * and a package locked for several frameworks is reported once.
 */
#include <string.h>

#include "catalog/catalog_int.h"
#include "catalog/jsondoc.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/strmap.h"
#include "util/banned.h"

#define DOTNET_MAX_BYTES (32u << 20)
#define DOTNET_MAX_ENTRIES 100000u
#define DOTNET_MAX_TARGETS 64u

static const char deps_name[] = "dotnet-deps-cataloger";
static const char lock_name[] = "dotnet-packages-lock-cataloger";

static int add_meta(struct customs_pkg *pkg, const json_t *lib)
{
	int rc = cat_jsondoc_meta(pkg, "sha512", lib, "sha512");

	rc = rc ? rc : cat_jsondoc_meta(pkg, "path", lib, "path");
	return rc ? rc : cat_jsondoc_meta(pkg, "hash_path", lib, "hashPath");
}

/* One libraries entry "Name/1.2.3". */
static int add_library(const struct cat_input *in, struct cat_result *res,
		       const char *key, const json_t *lib)
{
	const char *slash = strchr(key, '/');
	struct customs_pkg *pkg;
	int rc;

	if (!slash || slash == key || !slash[1])
		return cat_warn(
			res, "libraries.\"%.200s\": not \"name/version\"", key);
	pkg = cat_pkg_new(res, in, deps_name, CUSTOMS_PKG_DOTNET);
	if (!pkg)
		return CUSTOMS_ENOMEM;
	rc = customs_pkg_set(&pkg->name, key, (size_t)(slash - key));
	rc = rc ? rc : customs_pkg_setz(&pkg->version, slash + 1);
	return rc ? rc : add_meta(pkg, lib);
}

static bool is_package(const json_t *lib)
{
	const char *type = cat_jsondoc_str(lib, "type");

	return type && !strcmp(type, "package");
}

/* The libraries of the runtime target, or NULL: take every library. */
static const json_t *runtime_target(const json_t *root, struct cat_result *res,
				    int *rc)
{
	const char *name =
		cat_jsondoc_str(json_object_get(root, "runtimeTarget"), "name");
	const json_t *t;

	*rc = 0;
	if (!name)
		return NULL;
	t = json_object_get(json_object_get(root, "targets"), name);
	if (!json_is_object(t)) {
		*rc = cat_warn(res,
			       "runtimeTarget \"%.200s\" is not in targets: "
			       "every package library is listed",
			       name);
		return NULL;
	}
	return t;
}

static int parse_deps(const struct cat_input *in, struct cat_result *res)
{
	const json_t *libs, *target, *lib;
	const char *key;
	json_t *root = NULL;
	size_t n = 0;
	int rc;

	rc = cat_jsondoc_load(&root, in, res);
	if (rc || !root)
		return rc;
	libs = json_object_get(root, "libraries");
	if (!json_is_object(libs)) {
		rc = cat_warn(res, "no \"libraries\" object");
		goto out;
	}
	target = runtime_target(root, res, &rc);
	json_object_foreach((json_t *)libs, key, lib)
	{
		if (rc || n++ == DOTNET_MAX_ENTRIES) {
			rc = rc ? rc
				: cat_warn(res,
					   "more than %u libraries: the "
					   "rest are ignored",
					   DOTNET_MAX_ENTRIES);
			break;
		}
		if (!json_is_object(lib)) {
			rc = cat_warn(res,
				      "libraries.\"%.200s\": not an object",
				      key);
			continue;
		}
		if (!is_package(lib) ||
		    (target && !json_object_get(target, key)))
			continue;
		rc = add_library(in, res, key, lib);
	}
out:
	json_decref(root);
	return rc;
}

struct lockstate {
	const struct cat_input *in;
	struct cat_result *res;
	struct strmap seen; /* "name/version" -> 1, keys in arena */
	struct arena arena;
	struct cbuf key;
	size_t n;
};

static int add_locked(struct lockstate *s, const char *tfm, const char *name,
		      const json_t *dep)
{
	const char *type = cat_jsondoc_str(dep, "type");
	const char *version = cat_jsondoc_str(dep, "resolved");
	struct customs_pkg *pkg;
	char *k;
	int rc;

	if (!json_is_object(dep))
		return cat_warn(s->res,
				"dependencies.\"%.100s\".\"%.200s\": not an "
				"object",
				tfm, name);
	if (type && !strcmp(type, "Project"))
		return 0;
	if (!*name)
		return cat_warn(s->res, "dependencies.\"%.100s\": empty name",
				tfm);
	if (!version)
		return cat_warn(s->res,
				"dependencies.\"%.100s\".\"%.200s\": no "
				"resolved version",
				tfm, name);
	cbuf_reset(&s->key);
	cbuf_printf(&s->key, "%s/%s", name, version);
	if (cbuf_error(&s->key))
		return CUSTOMS_ENOMEM;
	if (strmap_get(&s->seen, s->key.ptr))
		return 0;
	k = arena_strdup(&s->arena, s->key.ptr);
	if (!k || strmap_put(&s->seen, k, (void *)1))
		return CUSTOMS_ENOMEM;
	pkg = cat_pkg_new(s->res, s->in, lock_name, CUSTOMS_PKG_DOTNET);
	if (!pkg)
		return CUSTOMS_ENOMEM;
	rc = customs_pkg_setz(&pkg->name, name);
	rc = rc ? rc : customs_pkg_setz(&pkg->version, version);
	rc = rc ? rc
		: cat_jsondoc_meta(pkg, "content_hash", dep, "contentHash");
	return rc ? rc : cat_jsondoc_meta(pkg, "dependency_type", dep, "type");
}

static int add_framework(struct lockstate *s, const char *tfm,
			 const json_t *deps)
{
	const char *name;
	const json_t *dep;
	int rc = 0;

	if (!json_is_object(deps))
		return cat_warn(s->res,
				"dependencies.\"%.100s\": not an object", tfm);
	json_object_foreach((json_t *)deps, name, dep)
	{
		if (s->n++ == DOTNET_MAX_ENTRIES)
			return cat_warn(s->res,
					"more than %u entries: the "
					"rest are ignored",
					DOTNET_MAX_ENTRIES);
		rc = add_locked(s, tfm, name, dep);
		if (rc)
			break;
	}
	return rc;
}

static int parse_lock(const struct cat_input *in, struct cat_result *res)
{
	struct lockstate s = {
		in, res, STRMAP_INIT, ARENA_INIT, CBUF_INIT(1 << 16), 0
	};
	const json_t *deps, *fw;
	const char *tfm;
	json_t *root = NULL;
	size_t n = 0;
	int rc;

	rc = cat_jsondoc_load(&root, in, res);
	if (rc || !root)
		return rc;
	deps = json_object_get(root, "dependencies");
	if (!json_is_object(deps))
		rc = cat_warn(res, "no \"dependencies\" object");
	else
		json_object_foreach((json_t *)deps, tfm, fw)
		{
			if (n++ == DOTNET_MAX_TARGETS ||
			    s.n > DOTNET_MAX_ENTRIES)
				break;
			rc = add_framework(&s, tfm, fw);
			if (rc)
				break;
		}
	strmap_release(&s.seen);
	arena_release(&s.arena);
	cbuf_release(&s.key);
	json_decref(root);
	return rc;
}

static const struct customs_want deps_wants[] = {
	{ CUSTOMS_WANT_EXT, "deps.json" },
};

static const struct customs_want lock_wants[] = {
	{ CUSTOMS_WANT_BASENAME, "packages.lock.json" },
};

const struct cataloger cat_dotnet_deps = {
	.name = deps_name,
	.tags = "installed image directory package language dotnet c#",
	.wants = deps_wants,
	.n_wants = 1,
	.max_bytes = DOTNET_MAX_BYTES,
	.flags = CAT_IMAGE,
	.parse = parse_deps,
};

const struct cataloger cat_dotnet_lock = {
	.name = lock_name,
	.tags = "declared image directory package language dotnet c# lock",
	.wants = lock_wants,
	.n_wants = 1,
	.max_bytes = DOTNET_MAX_BYTES,
	.flags = CAT_IMAGE,
	.parse = parse_lock,
};
