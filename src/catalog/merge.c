/*
 * After the scan: turn every cataloger's per-(layer, path) results into
 * one sorted SBOM. Order of operations matters:
 *
 * 1. introduced layers are computed first, while the results of older
 *    layers are still intact (a package present in the status file of
 *    layers 1..3 was introduced by layer 1, whatever layer wrote the
 *    final file);
 * 2. finish() merges sidecar files and takes the packages in scope;
 * 3. locations get their layer diffID and visibility, PURLs and CPEs are
 *    derived;
 * 4. identical packages at the same place (the same status file seen in
 *    several layers with --scope all-layers) become one package with
 *    several locations;
 * 5. binary-classifier packages whose file an OS package owns are
 *    dropped, as Syft does, so a binary is not reported twice.
 */
#include <stdio.h>
#include <string.h>

#include "catalog/catalog_priv.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/strmap.h"
#include "util/banned.h"

struct merge {
	struct customs_catalog *cat;
	struct customs_sbom *sbom;
	const struct customs_image_info *info;
	const struct customs_fsindex *files;
	struct customs_pkg_distro distro;
	struct arena arena;
};

bool cat_in_scope(const struct cat_finish *f, const struct cat_entry *e)
{
	return f->scope == CUSTOMS_SCOPE_ALL_LAYERS || e->visible;
}

int cat_finish_default(struct cat_finish *f)
{
	size_t i, j;

	for (i = 0; i < f->n_entries; i++) {
		struct cat_result *res = f->entries[i].res;

		if (!cat_in_scope(f, &f->entries[i]))
			continue;
		for (j = 0; j < res->pkgs.n; j++) {
			int rc = customs_pkglist_push(f->out, res->pkgs.v[j]);

			res->pkgs.v[j] = NULL;
			if (rc)
				return rc;
		}
		res->pkgs.n = 0;
	}
	return 0;
}

static const char *layer_name(const struct merge *m, int layer)
{
	if (layer < 0 || !m->info || (size_t)layer >= m->info->n_layers)
		return NULL;
	return m->info->layers[layer].diff_id;
}

static int warn(struct cat_finish *f, int layer, const char *path,
		const char *msg)
{
	struct merge *m = f->catalog;
	const char *id = layer_name(m, layer);
	struct cbuf b;
	int rc;

	cbuf_init(&b, 8192);
	if (m->info && m->info->source != CUSTOMS_SOURCE_DIR)
		cbuf_printf(&b, "layer %d (%s): ", layer, id ? id : "?");
	cbuf_printf(&b, "%s: %s: %s", f->cat->name, path, msg);
	rc = cbuf_error(&b) == CUSTOMS_ENOMEM
		     ? CUSTOMS_ENOMEM
		     : customs_strlist_add(&m->sbom->warnings, b.ptr);
	cbuf_release(&b);
	return rc;
}

static char *pkg_key(struct arena *a, const struct customs_pkg *p)
{
	struct cbuf b;
	char *key;

	cbuf_init(&b, 1 << 20);
	cbuf_printf(&b, "%d\x1f%s\x1f%s\x1f%s", (int)p->type,
		    p->name ? p->name : "", p->version ? p->version : "",
		    p->arch ? p->arch : "");
	key = cbuf_error(&b) ? NULL : arena_strdup(a, b.ptr);
	cbuf_release(&b);
	return key;
}

/* Index the packages of one older entry by identity. */
static int index_entry(struct strmap *map, struct arena *a,
		       const struct cat_entry *e)
{
	size_t i;

	for (i = 0; i < e->res->pkgs.n; i++) {
		char *k = pkg_key(a, e->res->pkgs.v[i]);

		if (!k || strmap_put(map, k, e->res->pkgs.v[i]))
			return CUSTOMS_ENOMEM;
	}
	return 0;
}

/*
 * For the packages of visible entry v: walk the older entries at the same
 * path, newest first, while each still holds the package.
 */
static int introduced(struct merge *m, struct cat_slot *s, size_t v)
{
	struct cat_entry *ev = &s->entries[v];
	size_t i, j, live = ev->res->pkgs.n;
	bool *chained = customs_calloc(live ? live : 1, sizeof(*chained));
	int rc = 0;

	if (!chained)
		return CUSTOMS_ENOMEM;
	for (j = 0; j < live; j++)
		chained[j] = true;
	for (i = v; live && !rc && i-- > 0;) {
		struct cat_entry *eo = &s->entries[i];
		struct strmap map = STRMAP_INIT;

		if (strcmp(eo->path, ev->path) || eo->layer >= ev->layer)
			continue;
		rc = index_entry(&map, &m->arena, eo);
		for (j = 0; !rc && j < ev->res->pkgs.n; j++) {
			struct customs_pkg *p = ev->res->pkgs.v[j];
			char *k;

			if (!chained[j])
				continue;
			k = pkg_key(&m->arena, p);
			if (!k) {
				rc = CUSTOMS_ENOMEM;
			} else if (strmap_get(&map, k)) {
				p->introduced_layer = eo->layer;
			} else {
				chained[j] = false;
				live--;
			}
		}
		strmap_release(&map);
	}
	customs_free(chained);
	return rc;
}

static int finish_slot(struct merge *m, struct cat_slot *s,
		       struct customs_pkglist *out)
{
	struct cat_finish f = { 0 };
	size_t i, j;
	int rc = 0;

	if (m->cat->opts.scope == CUSTOMS_SCOPE_SQUASHED) {
		for (i = 0; !rc && i < s->n; i++) {
			if (s->entries[i].visible)
				rc = introduced(m, s, i);
		}
	}
	f.cat = s->cat;
	f.entries = s->entries;
	f.n_entries = s->n;
	f.scope = m->cat->opts.scope;
	f.files = m->files;
	f.out = out;
	f.warn = warn;
	f.catalog = m;
	for (i = 0; !rc && i < s->n; i++) {
		struct cat_entry *e = &s->entries[i];

		for (j = 0;
		     cat_in_scope(&f, e) && !rc && j < e->res->warnings.n; j++)
			rc = warn(&f, e->layer, e->path, e->res->warnings.v[j]);
	}
	if (!rc)
		rc = s->cat->finish ? s->cat->finish(&f)
				    : cat_finish_default(&f);
	cat_slot_clear(s);
	return rc;
}

static int dupz(char **out, const char *s)
{
	return customs_pkg_setz(out, s);
}

static int fill_locations(struct merge *m, struct customs_pkg *p)
{
	size_t i;

	for (i = 0; i < p->n_locations; i++) {
		struct customs_pkg_location *l = &p->locations[i];
		const struct customs_file *f;

		if (!l->layer_id && layer_name(m, l->layer) &&
		    dupz(&l->layer_id, layer_name(m, l->layer)))
			return CUSTOMS_ENOMEM;
		l->visible = m->files &&
			     !customs_fsindex_lookup(&f, m->files, l->path) &&
			     f->layer == l->layer;
	}
	return 0;
}

static int copy_source(struct merge *m, const struct customs_analysis *an)
{
	struct customs_sbom *s = m->sbom;
	const struct customs_image_info *info = m->info;
	const struct customs_distro *d = customs_analysis_distro(an);
	const struct customs_layer_stats *ls;
	size_t i, n;
	int rc = 0;

	rc |= dupz(&s->scope, m->cat->opts.scope == CUSTOMS_SCOPE_ALL_LAYERS
				      ? "all-layers"
				      : "squashed");
	if (info) {
		rc |= dupz(&s->source.kind, info->source == CUSTOMS_SOURCE_DIR
						    ? "directory"
						    : "image");
		rc |= dupz(&s->source.name, info->source_path);
		rc |= dupz(&s->source.image_id, info->id);
		rc |= dupz(&s->source.manifest_digest, info->manifest_digest);
		rc |= dupz(&s->source.os, info->os);
		rc |= dupz(&s->source.arch, info->architecture);
		for (i = 0; i < info->repo_tags.n; i++)
			rc |= customs_strlist_add(&s->source.tags,
						  info->repo_tags.v[i]);
	}
	ls = customs_analysis_layers(an, &n);
	for (i = 0; info && info->source != CUSTOMS_SOURCE_DIR && i < n; i++)
		rc |= customs_strlist_add(&s->source.layer_ids,
					  ls[i].diff_id ? ls[i].diff_id : "");
	if (d) {
		rc |= dupz(&s->distro.id, d->id);
		rc |= dupz(&s->distro.version_id, d->version_id);
		rc |= dupz(&s->distro.version, d->version);
		rc |= dupz(&s->distro.pretty_name, d->pretty_name);
		rc |= dupz(&s->distro.id_like, d->id_like);
		rc |= dupz(&s->distro.cpe, d->cpe);
	}
	m->distro.id = s->distro.id;
	m->distro.version_id = s->distro.version_id;
	m->distro.id_like = s->distro.id_like;
	return rc ? CUSTOMS_ENOMEM : 0;
}

int customs_catalog_finish(struct customs_sbom **out,
			   struct customs_catalog *cat,
			   const struct customs_image *img,
			   const struct customs_analysis *an,
			   struct customs_ctx *ctx)
{
	struct merge m = { 0 };
	struct customs_pkglist all = { 0 };
	size_t i;
	int rc;

	(void)ctx;
	*out = NULL;
	m.cat = cat;
	m.info = img ? customs_image_info(img) : NULL;
	m.files = customs_analysis_files(an);
	m.sbom = customs_sbom_new();
	if (!m.sbom)
		return CUSTOMS_ENOMEM;
	rc = copy_source(&m, an);
	for (i = 0; !rc && i < cat->n; i++)
		rc = finish_slot(&m, cat->slots[i], &all);
	for (i = 0; !rc && i < all.n; i++) {
		rc = fill_locations(&m, all.v[i]);
		if (!rc)
			rc = customs_pkg_derive(all.v[i], &m.distro);
	}
	if (!rc)
		rc = cat_merge_packages(&m.sbom->pkgs, &all, m.files);
	arena_release(&m.arena);
	customs_pkglist_release(&all);
	if (rc) {
		customs_sbom_free(m.sbom);
		return rc;
	}
	customs_sbom_sort(m.sbom);
	*out = m.sbom;
	return 0;
}
