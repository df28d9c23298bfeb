/* The catalog's own state, shared by catalog.c and merge.c. */
#ifndef CUSTOMS_CATALOG_PRIV_H
#define CUSTOMS_CATALOG_PRIV_H

#include "catalog/catalog_int.h"

#define CAT_MAX 48

/* One selected cataloger: its analyzer and every result it produced. */
struct cat_slot {
	const struct cataloger *cat;
	struct customs_analyzer an;
	bool dir_mode;
	struct cat_entry *entries;
	size_t n;
	size_t cap;
};

struct customs_catalog {
	struct customs_catalog_opts opts;
	struct cat_slot **slots;
	const struct customs_analyzer **ans;
	size_t n;
};

void cat_result_free(const struct cataloger *c, struct cat_result *res);
void cat_slot_clear(struct cat_slot *s);

/*
 * Move the packages of all into out: binaries an OS package owns are
 * dropped, identical packages at the same place merged, ids assigned.
 * all is left empty.
 */
int cat_merge_packages(struct customs_pkglist *out, struct customs_pkglist *all,
		       const struct customs_fsindex *files);

#endif
