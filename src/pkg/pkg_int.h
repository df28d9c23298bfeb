/* Internals of the package model shared between its files. */
#ifndef CUSTOMS_PKG_INT_H
#define CUSTOMS_PKG_INT_H

#include "customs/pkg.h"

/*
 * Add the CPEs Syft would generate for pkg (vendor/product candidates
 * from the name, namespace and ecosystem) to pkg->cpes. Returns 0 or
 * CUSTOMS_ENOMEM.
 */
int pkg_cpe_generate(struct customs_pkg *pkg,
		     const struct customs_pkg_distro *distro);

#endif
