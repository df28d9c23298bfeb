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

/*
 * Format p as a canonical PURL string (ECMA-427 encoding, qualifiers in
 * the order given, empty values left out) into *out (heap). Returns 0,
 * CUSTOMS_ELIMIT (longer than 64 KiB) or CUSTOMS_ENOMEM.
 */
int pkg_purl_format(char **out, const struct customs_purl *p);

/*
 * "cpe:2.3:a:<vendor>:<product>:<version>:*:*:*:*:*:*:*" with each value
 * escaped per the CPE 2.3 formatted-string rules (empty is "*") into
 * *out (heap), or *out NULL when a value cannot be written (non-ASCII).
 * Returns 0 or CUSTOMS_ENOMEM.
 */
int pkg_cpe_format(char **out, const char *vendor, const char *product,
		   const char *version);

#endif
