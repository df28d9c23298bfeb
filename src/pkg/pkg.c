/*
 * The package model: construction, copying and freeing. Every string a
 * package holds is its own heap copy, so packages move freely between
 * catalogers, the catalog and readers without shared lifetimes.
 */
#include <string.h>

#include "customs/pkg.h"
#include "util/alloc.h"
#include "util/banned.h"

static const char *const type_names[CUSTOMS_PKG_TYPE_COUNT] = {
	[CUSTOMS_PKG_UNKNOWN] = "unknown",
	[CUSTOMS_PKG_DEB] = "deb",
	[CUSTOMS_PKG_APK] = "apk",
	[CUSTOMS_PKG_RPM] = "rpm",
	[CUSTOMS_PKG_NPM] = "npm",
	[CUSTOMS_PKG_PYTHON] = "python",
	[CUSTOMS_PKG_JAVA] = "java-archive",
	[CUSTOMS_PKG_JENKINS] = "jenkins-plugin",
	[CUSTOMS_PKG_GO] = "go-module",
	[CUSTOMS_PKG_RUST] = "rust-crate",
	[CUSTOMS_PKG_GEM] = "gem",
	[CUSTOMS_PKG_PHP] = "php-composer",
	[CUSTOMS_PKG_DOTNET] = "dotnet",
	[CUSTOMS_PKG_BINARY] = "binary",
};

const char *customs_pkg_type_name(enum customs_pkg_type type)
{
	if ((unsigned)type >= CUSTOMS_PKG_TYPE_COUNT)
		return "unknown";
	return type_names[type];
}

int customs_pkg_type_parse(enum customs_pkg_type *out, const char *name)
{
	int i;

	for (i = 0; i < CUSTOMS_PKG_TYPE_COUNT; i++) {
		if (!strcmp(type_names[i], name)) {
			*out = (enum customs_pkg_type)i;
			return 0;
		}
	}
	return CUSTOMS_ENOTFOUND;
}

struct customs_pkg *customs_pkg_new(enum customs_pkg_type type)
{
	struct customs_pkg *pkg = customs_calloc(1, sizeof(*pkg));

	if (!pkg)
		return NULL;
	pkg->type = type;
	pkg->introduced_layer = -1;
	return pkg;
}

static void location_release(struct customs_pkg_location *l)
{
	customs_free(l->path);
	customs_free(l->access_path);
	customs_free(l->layer_id);
}

static void file_release(struct customs_pkg_file *f)
{
	customs_free(f->path);
	customs_free(f->algorithm);
	customs_free(f->digest);
}

void customs_pkg_free(struct customs_pkg *pkg)
{
	size_t i;

	if (!pkg)
		return;
	customs_free(pkg->name);
	customs_free(pkg->version);
	customs_free(pkg->arch);
	customs_free(pkg->namespace);
	customs_free(pkg->source_name);
	customs_free(pkg->source_version);
	customs_free(pkg->found_by);
	customs_free(pkg->purl);
	customs_free(pkg->id);
	customs_strlist_release(&pkg->cpes);
	customs_strlist_release(&pkg->licenses);
	customs_kvlist_release(&pkg->meta);
	for (i = 0; i < pkg->n_locations; i++)
		location_release(&pkg->locations[i]);
	customs_free(pkg->locations);
	for (i = 0; i < pkg->n_files; i++)
		file_release(&pkg->files[i]);
	customs_free(pkg->files);
	customs_free(pkg);
}

int customs_pkg_set(char **field, const char *s, size_t n)
{
	char *copy = NULL;

	if (s) {
		copy = customs_strndup(s, n);
		if (!copy)
			return CUSTOMS_ENOMEM;
	}
	customs_free(*field);
	*field = copy;
	return 0;
}

int customs_pkg_setz(char **field, const char *s)
{
	return customs_pkg_set(field, s, s ? strlen(s) : 0);
}

int customs_pkg_meta_set(struct customs_pkg *pkg, const char *key,
			 const char *value)
{
	size_t i;

	for (i = 0; i < pkg->meta.n; i++) {
		if (!strcmp(pkg->meta.keys[i], key))
			return customs_pkg_setz(&pkg->meta.values[i], value);
	}
	return customs_kvlist_add(&pkg->meta, key, value);
}

const char *customs_pkg_meta_get(const struct customs_pkg *pkg, const char *key)
{
	size_t i;

	for (i = 0; i < pkg->meta.n; i++) {
		if (!strcmp(pkg->meta.keys[i], key))
			return pkg->meta.values[i];
	}
	return NULL;
}

static int add_unique(struct customs_strlist *list, const char *s)
{
	size_t i;

	for (i = 0; i < list->n; i++) {
		if (!strcmp(list->v[i], s))
			return 0;
	}
	return customs_strlist_add(list, s);
}

int customs_pkg_add_license(struct customs_pkg *pkg, const char *license)
{
	return add_unique(&pkg->licenses, license);
}

int customs_pkg_add_cpe(struct customs_pkg *pkg, const char *cpe)
{
	return add_unique(&pkg->cpes, cpe);
}

static int dupz(char **out, const char *s)
{
	*out = NULL;
	if (!s)
		return 0;
	*out = customs_strdup(s);
	return *out ? 0 : CUSTOMS_ENOMEM;
}

int customs_pkg_add_location(struct customs_pkg *pkg, const char *path,
			     const char *access_path, int layer,
			     enum customs_evidence evidence)
{
	struct customs_pkg_location l = { 0 }, *v;

	l.layer = layer;
	l.evidence = evidence;
	l.visible = true;
	if (dupz(&l.path, path) || dupz(&l.access_path, access_path))
		goto fail;
	v = customs_reallocarray(pkg->locations, pkg->n_locations + 1,
				 sizeof(*v));
	if (!v)
		goto fail;
	v[pkg->n_locations++] = l;
	pkg->locations = v;
	return 0;
fail:
	location_release(&l);
	return CUSTOMS_ENOMEM;
}

int customs_pkg_add_file(struct customs_pkg *pkg, const char *path,
			 const char *algorithm, const char *digest, bool config)
{
	struct customs_pkg_file f = { 0 };

	f.config = config;
	if (dupz(&f.path, path) || dupz(&f.algorithm, algorithm) ||
	    dupz(&f.digest, digest))
		goto fail;
	/* grown by doubling: dpkg and rpm packages own thousands of files */
	if (CUSTOMS_GROW(pkg->files, pkg->cap_files, pkg->n_files + 1))
		goto fail;
	pkg->files[pkg->n_files++] = f;
	return 0;
fail:
	file_release(&f);
	return CUSTOMS_ENOMEM;
}

static int dup_strlist(struct customs_strlist *out,
		       const struct customs_strlist *in)
{
	size_t i;

	for (i = 0; i < in->n; i++) {
		if (customs_strlist_add(out, in->v[i]))
			return CUSTOMS_ENOMEM;
	}
	return 0;
}

static int dup_lists(struct customs_pkg *d, const struct customs_pkg *s)
{
	size_t i;

	if (dup_strlist(&d->cpes, &s->cpes) ||
	    dup_strlist(&d->licenses, &s->licenses))
		return CUSTOMS_ENOMEM;
	for (i = 0; i < s->meta.n; i++) {
		if (customs_kvlist_add(&d->meta, s->meta.keys[i],
				       s->meta.values[i]))
			return CUSTOMS_ENOMEM;
	}
	for (i = 0; i < s->n_locations; i++) {
		const struct customs_pkg_location *l = &s->locations[i];
		struct customs_pkg_location *n;

		if (customs_pkg_add_location(d, l->path, l->access_path,
					     l->layer, l->evidence))
			return CUSTOMS_ENOMEM;
		n = &d->locations[d->n_locations - 1];
		n->visible = l->visible;
		if (dupz(&n->layer_id, l->layer_id))
			return CUSTOMS_ENOMEM;
	}
	for (i = 0; i < s->n_files; i++) {
		const struct customs_pkg_file *f = &s->files[i];

		if (customs_pkg_add_file(d, f->path, f->algorithm, f->digest,
					 f->config))
			return CUSTOMS_ENOMEM;
	}
	return 0;
}

struct customs_pkg *customs_pkg_dup(const struct customs_pkg *s)
{
	struct customs_pkg *d = customs_pkg_new(s->type);

	if (!d)
		return NULL;
	d->introduced_layer = s->introduced_layer;
	if (dupz(&d->name, s->name) || dupz(&d->version, s->version) ||
	    dupz(&d->arch, s->arch) || dupz(&d->namespace, s->namespace) ||
	    dupz(&d->source_name, s->source_name) ||
	    dupz(&d->source_version, s->source_version) ||
	    dupz(&d->found_by, s->found_by) || dupz(&d->purl, s->purl) ||
	    dupz(&d->id, s->id) || dup_lists(d, s)) {
		customs_pkg_free(d);
		return NULL;
	}
	return d;
}

int customs_pkglist_push(struct customs_pkglist *list, struct customs_pkg *pkg)
{
	if (CUSTOMS_GROW(list->v, list->cap, list->n + 1)) {
		customs_pkg_free(pkg);
		return CUSTOMS_ENOMEM;
	}
	list->v[list->n++] = pkg;
	return 0;
}

void customs_pkglist_release(struct customs_pkglist *list)
{
	size_t i;

	for (i = 0; i < list->n; i++)
		customs_pkg_free(list->v[i]);
	customs_free(list->v);
	list->v = NULL;
	list->n = list->cap = 0;
}
