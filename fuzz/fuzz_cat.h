/*
 * Shared by the cataloger fuzz targets: run one cataloger's parse() on
 * the input as if it were the file at path, check the invariants every
 * cataloger keeps (only CUSTOMS_ENOMEM as an error; every package has a
 * non-empty name and version, found_by and one primary location; every
 * string is NUL-free by construction) and free everything.
 */
#ifndef CUSTOMS_FUZZ_CAT_H
#define CUSTOMS_FUZZ_CAT_H

#include <stdlib.h>
#include <string.h>

#include "catalog/catalog_int.h"

static inline const struct cataloger *fuzz_cataloger(const char *name)
{
	size_t i;

	for (i = 0; cat_registry[i]; i++) {
		if (!strcmp(cat_registry[i]->name, name))
			return cat_registry[i];
	}
	abort();
}

static inline void fuzz_check_pkg(const struct customs_pkg *p,
				  const char *found_by)
{
	if (!p->name || !*p->name || !p->version || !*p->version)
		abort();
	if (!p->found_by || strcmp(p->found_by, found_by))
		abort();
	if (p->n_locations != 1 || !p->locations[0].path)
		abort();
}

static inline void fuzz_cat_run(const char *name, const char *path,
				const uint8_t *data, size_t size)
{
	const struct cataloger *c = fuzz_cataloger(name);
	struct cat_input in = {
		path, 0, data, size, false, NULL, true, NULL, 0
	};
	struct cat_result res;
	size_t i;
	int rc;

	memset(&res, 0, sizeof(res));
	rc = c->parse(&in, &res);
	if (rc != 0 && rc != CUSTOMS_ENOMEM)
		abort();
	for (i = 0; !rc && i < res.pkgs.n; i++)
		fuzz_check_pkg(res.pkgs.v[i], name);
	for (i = 0; i < res.warnings.n; i++) {
		if (!res.warnings.v[i] || !*res.warnings.v[i])
			abort();
	}
	customs_pkglist_release(&res.pkgs);
	customs_strlist_release(&res.warnings);
}

#endif
