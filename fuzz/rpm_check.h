/*
 * Output invariants shared by the rpm fuzz targets: what the rpm
 * cataloger produces from any input is a list of rpm packages with a
 * name, a version, a primary location, and owned files whose paths are
 * relative, bounded and NUL-free; abort() otherwise.
 */
#ifndef CUSTOMS_FUZZ_RPM_CHECK_H
#define CUSTOMS_FUZZ_RPM_CHECK_H

#include <stdlib.h>
#include <string.h>

#include "catalog/catalog_int.h"

static void rpm_check_result(struct cat_result *res)
{
	size_t i, j;

	for (i = 0; i < res->pkgs.n; i++) {
		const struct customs_pkg *p = res->pkgs.v[i];

		if (p->type != CUSTOMS_PKG_RPM || !p->name || !*p->name ||
		    !p->version || !*p->version || p->n_locations != 1 ||
		    strcmp(p->found_by, "rpm-db-cataloger") ||
		    !strcmp(p->name, "gpg-pubkey"))
			abort();
		for (j = 0; j < p->n_files; j++) {
			const char *f = p->files[j].path;

			if (!f || f[0] == '/' || strlen(f) >= 4096 ||
			    (p->files[j].algorithm && !p->files[j].digest))
				abort();
		}
	}
	for (i = 0; i < res->warnings.n; i++) {
		if (!res->warnings.v[i][0])
			abort();
	}
	customs_pkglist_release(&res->pkgs);
	customs_strlist_release(&res->warnings);
}

#endif
