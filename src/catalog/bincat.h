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

/* What a cataloger looks for in an ELF file, for bincat_elf_plan(). */
#define BINCAT_PLAN_DATA 1u /* strings anywhere but in machine code */
#define BINCAT_PLAN_GO 2u /* Go build info */
#define BINCAT_PLAN_CARGO 3u /* cargo-auditable's .dep-v0 */

/*
 * The plan for a large file of the catalogers that read executables
 * (elfplan.c): nothing more of a file that is not ELF; of an ELF file the
 * head, the bytes in no PT_LOAD segment, and the segments where what it
 * looks for can be; the whole file when the head cannot tell. Returns 0.
 */
int bincat_elf_plan(const struct cat_input *head, unsigned what,
		    struct customs_plan *plan);

extern const struct cataloger cat_go_module_binary;
extern const struct cataloger cat_cargo_auditable_binary;
extern const struct cataloger cat_binary_classifier;

#endif
