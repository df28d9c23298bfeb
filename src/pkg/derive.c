/*
 * Derived package facts, in one place: the PURL (purl.c), the CPEs
 * (cpe.c) and meta in key order, so every cataloger's output looks the
 * same to writers and matchers.
 */
#include <stdlib.h>
#include <string.h>

#include "customs/pkg.h"
#include "pkg/pkg_int.h"
#include "util/banned.h"

static void sort_meta(struct customs_kvlist *m)
{
	size_t i, j;

	/* insertion sort: a package has a handful of meta keys */
	for (i = 1; i < m->n; i++) {
		char *k = m->keys[i], *v = m->values[i];

		for (j = i; j > 0 && strcmp(m->keys[j - 1], k) > 0; j--) {
			m->keys[j] = m->keys[j - 1];
			m->values[j] = m->values[j - 1];
		}
		m->keys[j] = k;
		m->values[j] = v;
	}
}

int customs_pkg_derive(struct customs_pkg *pkg,
		       const struct customs_pkg_distro *distro)
{
	int rc;

	sort_meta(&pkg->meta);
	if (!pkg->purl) {
		rc = customs_purl_build(&pkg->purl, pkg, distro);
		if (rc)
			return rc;
	}
	if (!pkg->cpes.n)
		return pkg_cpe_generate(pkg, distro);
	return 0;
}
