/*
 * The SBOM document: a package list plus what it describes. Sorting here
 * is the one canonical order every writer and every golden file uses.
 */
#include <stdlib.h>
#include <string.h>

#include "customs/pkg.h"
#include "util/alloc.h"
#include "util/banned.h"

struct customs_sbom *customs_sbom_new(void)
{
	return customs_calloc(1, sizeof(struct customs_sbom));
}

static void source_release(struct customs_sbom_source *s)
{
	customs_free(s->kind);
	customs_free(s->name);
	customs_free(s->image_id);
	customs_free(s->manifest_digest);
	customs_free(s->os);
	customs_free(s->arch);
	customs_strlist_release(&s->tags);
	customs_strlist_release(&s->layer_ids);
}

static void distro_release(struct customs_sbom_distro *d)
{
	customs_free(d->id);
	customs_free(d->version_id);
	customs_free(d->version);
	customs_free(d->pretty_name);
	customs_free(d->id_like);
	customs_free(d->cpe);
}

void customs_sbom_free(struct customs_sbom *sbom)
{
	if (!sbom)
		return;
	source_release(&sbom->source);
	distro_release(&sbom->distro);
	customs_pkglist_release(&sbom->pkgs);
	customs_strlist_release(&sbom->warnings);
	customs_free(sbom->scope);
	customs_free(sbom->created);
	customs_free(sbom);
}

static int cmpz(const char *a, const char *b)
{
	if (!a || !b)
		return a ? 1 : (b ? -1 : 0);
	return strcmp(a, b);
}

static const char *first_path(const struct customs_pkg *p)
{
	return p->n_locations ? p->locations[0].path : NULL;
}

static const char *first_access(const struct customs_pkg *p)
{
	return p->n_locations ? p->locations[0].access_path : NULL;
}

static int cmp_pkg(const void *a, const void *b)
{
	const struct customs_pkg *x = *(struct customs_pkg *const *)a;
	const struct customs_pkg *y = *(struct customs_pkg *const *)b;
	int c;

	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	if ((c = cmpz(x->name, y->name)) ||
	    (c = cmpz(x->version, y->version)) ||
	    (c = cmpz(x->purl, y->purl)) ||
	    (c = cmpz(first_path(x), first_path(y))) ||
	    (c = cmpz(first_access(x), first_access(y))))
		return c;
	return cmpz(x->id, y->id);
}

void customs_sbom_sort(struct customs_sbom *sbom)
{
	if (sbom->pkgs.n > 1)
		qsort(sbom->pkgs.v, sbom->pkgs.n, sizeof(*sbom->pkgs.v),
		      cmp_pkg);
}
