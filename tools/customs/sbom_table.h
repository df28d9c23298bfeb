/* The human-readable SBOM table. */
#ifndef CUSTOMS_TOOL_SBOM_TABLE_H
#define CUSTOMS_TOOL_SBOM_TABLE_H

#include <stdio.h>

#include "customs/pkg.h"

/** One row per package: name, version, type, layer that introduced it. */
void sbom_write_table(FILE *f, const struct customs_sbom *sbom);

#endif
