/*
 * Package identity. Two records are one package when type, name,
 * version, arch, PURL and the primary evidence path agree: the same
 * status file seen in three layers is one package with three locations,
 * while the same npm package vendored at two paths stays two packages
 * (as in Syft, whose ids hash the locations).
 *
 * Binaries found by version classifiers are dropped when an OS package
 * lists the file, compared by real path so a dpkg list saying
 * "bin/bash" owns "usr/bin/bash" on a merged-/usr system.
 */
#include <stdio.h>
#include <string.h>

#include "catalog/catalog_priv.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/strmap.h"
#include "util/hash.h"
#include "util/path.h"
#include "util/banned.h"

static bool is_os(const struct customs_pkg *p)
{
	return p->type == CUSTOMS_PKG_DEB || p->type == CUSTOMS_PKG_APK ||
	       p->type == CUSTOMS_PKG_RPM;
}

/* Record path in owned when a classified binary may sit there. */
static int note(struct strmap *owned, const struct strmap *names,
		const char *path)
{
	if (!strmap_get(names, path_base(path)))
		return 0;
	return strmap_put(owned, path, (void *)1);
}

/*
 * An OS package owns path, and its real path when that differs. Only
 * paths named like a classified binary can matter (owned_binary() asks
 * about nothing else), and only a path that is not a plain entry of the
 * index needs resolving: a plain entry is its own real path.
 */
static int own(struct strmap *owned, const struct strmap *names,
	       const struct customs_fsindex *files, const char *path)
{
	const struct customs_file *f;
	int rc;

	while (*path == '/')
		path++;
	rc = note(owned, names, path);
	if (rc || !files)
		return rc;
	if (!customs_fsindex_lookup(&f, files, path) &&
	    f->type != CUSTOMS_FT_SYMLINK)
		return 0;
	if (!customs_fsindex_resolve(&f, files, path) && strcmp(f->path, path))
		return note(owned, names, f->path);
	return 0;
}

static int build_owned(struct strmap *owned, const struct customs_pkglist *all,
		       const struct customs_fsindex *files)
{
	struct strmap names = STRMAP_INIT;
	size_t i, j;
	int rc = 0;

	for (i = 0; !rc && i < all->n; i++) {
		const struct customs_pkg *p = all->v[i];

		if (p->type == CUSTOMS_PKG_BINARY && p->n_locations)
			rc = strmap_put(&names, path_base(p->locations[0].path),
					(void *)1);
	}
	for (i = 0; !rc && names.len && i < all->n; i++) {
		if (!is_os(all->v[i]))
			continue;
		for (j = 0; !rc && j < all->v[i]->n_files; j++)
			rc = own(owned, &names, files,
				 all->v[i]->files[j].path);
	}
	strmap_release(&names);
	return rc;
}

static bool owned_binary(const struct strmap *owned,
			 const struct customs_pkg *p)
{
	return p->type == CUSTOMS_PKG_BINARY && p->n_locations &&
	       strmap_get(owned, p->locations[0].path);
}

static char *identity(struct arena *a, const struct customs_pkg *p)
{
	const struct customs_pkg_location *l =
		p->n_locations ? &p->locations[0] : NULL;
	struct cbuf b;
	char *key;

	cbuf_init(&b, 1 << 20);
	cbuf_printf(&b, "%d\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s", (int)p->type,
		    p->name ? p->name : "", p->version ? p->version : "",
		    p->arch ? p->arch : "", p->purl ? p->purl : "",
		    l ? l->path : "",
		    l && l->access_path ? l->access_path : "");
	key = cbuf_error(&b) ? NULL : arena_strdup(a, b.ptr);
	cbuf_release(&b);
	return key;
}

static bool has_location(const struct customs_pkg *p,
			 const struct customs_pkg_location *l)
{
	size_t i;

	for (i = 0; i < p->n_locations; i++) {
		const struct customs_pkg_location *x = &p->locations[i];

		if (x->layer == l->layer && !strcmp(x->path, l->path) &&
		    !x->access_path == !l->access_path &&
		    (!x->access_path ||
		     !strcmp(x->access_path, l->access_path)))
			return true;
	}
	return false;
}

/* Move src's new locations into dst; src is then freed by the caller. */
static int merge_into(struct customs_pkg *dst, struct customs_pkg *src)
{
	size_t i;

	for (i = 0; i < src->n_locations; i++) {
		struct customs_pkg_location *l = &src->locations[i], *v;

		if (has_location(dst, l))
			continue;
		v = customs_reallocarray(dst->locations, dst->n_locations + 1,
					 sizeof(*v));
		if (!v)
			return CUSTOMS_ENOMEM;
		dst->locations = v;
		v[dst->n_locations++] = *l;
		memset(l, 0, sizeof(*l));
	}
	if (src->introduced_layer >= 0 &&
	    (dst->introduced_layer < 0 ||
	     src->introduced_layer < dst->introduced_layer))
		dst->introduced_layer = src->introduced_layer;
	if (!dst->n_files && src->n_files) {
		customs_free(dst->files);
		dst->files = src->files;
		dst->n_files = src->n_files;
		dst->cap_files = src->cap_files;
		src->files = NULL;
		src->n_files = src->cap_files = 0;
	}
	return 0;
}

static int set_id(struct customs_pkg *p, const char *key)
{
	char hex[17];

	snprintf(hex, sizeof(hex), "%016llx",
		 (unsigned long long)customs_fnv1a64(key, strlen(key)));
	return customs_pkg_setz(&p->id, hex);
}

static int place(struct customs_pkglist *out, struct strmap *seen,
		 struct arena *a, struct customs_pkg *p)
{
	char *key = identity(a, p);
	struct customs_pkg *dst;
	int rc;

	if (!key) {
		customs_pkg_free(p);
		return CUSTOMS_ENOMEM;
	}
	dst = strmap_get(seen, key);
	if (dst) {
		rc = merge_into(dst, p);
		customs_pkg_free(p);
		return rc;
	}
	if ((!p->id && set_id(p, key)) || strmap_put(seen, key, p)) {
		customs_pkg_free(p);
		return CUSTOMS_ENOMEM;
	}
	return customs_pkglist_push(out, p);
}

int cat_merge_packages(struct customs_pkglist *out, struct customs_pkglist *all,
		       const struct customs_fsindex *files)
{
	struct strmap owned = STRMAP_INIT, seen = STRMAP_INIT;
	struct arena a = ARENA_INIT;
	size_t i;
	int rc = build_owned(&owned, all, files);

	/* owned borrows the OS packages' paths: filter before any merge */
	for (i = 0; !rc && i < all->n; i++) {
		if (owned_binary(&owned, all->v[i])) {
			customs_pkg_free(all->v[i]);
			all->v[i] = NULL;
		}
	}
	strmap_release(&owned);
	for (i = 0; !rc && i < all->n; i++) {
		if (!all->v[i])
			continue;
		rc = place(out, &seen, &a, all->v[i]);
		all->v[i] = NULL;
	}
	strmap_release(&seen);
	arena_release(&a);
	customs_pkglist_release(all);
	return rc;
}
