/*
 * The catalogers that read executables: Go build info, cargo-auditable
 * dependency lists and version classifiers. Declared here for the
 * registry, the tests and the fuzz targets.
 */
#ifndef CUSTOMS_CATALOG_BINCAT_H
#define CUSTOMS_CATALOG_BINCAT_H

#include "catalog/catalog_int.h"

/*
 * Content cap for executables. Go binaries of 100+ MiB exist; the Go
 * build info sits in the data segment near the start and the classifier
 * strings in .rodata, so 256 MiB covers every real case while bounding
 * the memory a hostile image can make one worker hold.
 */
#define BINCAT_MAX_BYTES (256u << 20)

extern const struct cataloger cat_go_module_binary;
extern const struct cataloger cat_cargo_auditable_binary;
extern const struct cataloger cat_binary_classifier;

#endif
