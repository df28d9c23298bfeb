/*
 * A small, bounded ELF reader for the catalogers that look inside
 * executables (Go build info, cargo-auditable, version classifiers).
 *
 * It reads a file already in memory: ELF32 and ELF64, both byte orders,
 * either whole (a prefix of the file) or as the byte ranges a scan kept
 * of it (elf_open_ranges: the head, then what elf_plan() asked for),
 * section headers with their names and program headers. Every offset,
 * size and count read from the file is checked against the buffer before
 * use, so a truncated or hostile file yields "not found", never a read
 * out of bounds. Nothing here allocates.
 */
#ifndef CUSTOMS_CATALOG_ELF_H
#define CUSTOMS_CATALOG_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "customs/analyze.h"

#define ELF_PT_LOAD 1u
#define ELF_PT_NOTE 4u
#define ELF_PF_X 1u
#define ELF_PF_W 2u
#define ELF_SHT_NOBITS 8u

struct elf_file {
	const unsigned char *data;
	size_t len;
	bool is64;
	bool be; /* big-endian */
	uint16_t machine;
	uint64_t shoff;
	size_t shnum; /* usable section headers (inside the buffer) */
	size_t shentsize;
	size_t shstrndx;
	uint64_t phoff;
	size_t phnum; /* usable program headers (inside the buffer) */
	size_t phentsize;
	size_t phnum_all; /* program headers the header declares */
	/* NULL: data is the file's first len bytes; else data holds these
	 * file ranges back to back */
	const struct customs_range *ranges;
	size_t n_ranges;
	const unsigned char *sh; /* the section header table, when shnum */
	const unsigned char *ph; /* the program header table, when phnum */
};

struct elf_section {
	const char *name; /* NUL-terminated inside the file, or "" */
	uint32_t type;
	uint64_t flags;
	uint64_t addr;
	uint64_t offset;
	uint64_t size;
};

struct elf_segment {
	uint32_t type;
	uint32_t flags;
	uint64_t offset;
	uint64_t vaddr;
	uint64_t filesz;
};

/* Does data start with the ELF magic? Cheap: callers test this first. */
bool elf_is_elf(const unsigned char *data, size_t len);

/*
 * Read the ELF header of data. Returns false when data is not ELF or the
 * header itself is unusable; section and program headers that fall
 * outside the buffer are dropped (shnum/phnum count only usable ones).
 */
bool elf_open(struct elf_file *f, const unsigned char *data, size_t len);

/*
 * The same for a file of which only some ranges were read: data holds
 * the n ranges (sorted by offset, the first at offset 0) back to back,
 * len bytes in all. Anything outside them reads as absent, as past the
 * end of a truncated buffer does. n == 0 is elf_open().
 */
bool elf_open_ranges(struct elf_file *f, const unsigned char *data, size_t len,
		     const struct customs_range *ranges, size_t n);

/* Section i (0 <= i < f->shnum); false when it is malformed. */
bool elf_section(const struct elf_file *f, size_t i, struct elf_section *out);

/* The first section named name; false when there is none. */
bool elf_find_section(const struct elf_file *f, const char *name,
		      struct elf_section *out);

/*
 * The bytes of a section that are inside the buffer (*n may be less than
 * s->size when the file is truncated). False for SHT_NOBITS or when the
 * section starts outside the buffer.
 */
bool elf_section_data(const struct elf_file *f, const struct elf_section *s,
		      const unsigned char **p, size_t *n);

/* Program header i (0 <= i < f->phnum). */
bool elf_segment(const struct elf_file *f, size_t i, struct elf_segment *out);

/*
 * The file bytes at virtual address addr, at most max of them, found
 * through the PT_LOAD segments (as Go's debug/buildinfo does). False when
 * no segment maps addr inside the buffer.
 */
bool elf_read_vaddr(const struct elf_file *f, uint64_t addr, size_t max,
		    const unsigned char **p, size_t *n);

/*
 * Is there a note with this name and type in a PT_NOTE segment inside the
 * buffer? (Go binaries carry a "Go" note of type 4 in their first page.)
 */
bool elf_has_note(const struct elf_file *f, const char *name, uint32_t type);

/* An unsigned integer of size 1, 2, 4 or 8 bytes in the file's order. */
uint64_t elf_uint(const struct elf_file *f, const unsigned char *p,
		  size_t size);

/*
 * The e_machine name as Go's debug/elf spells it, lower case and without
 * "EM_" ("x86_64", "aarch64", "386"), or NULL for machines not listed.
 */
const char *elf_machine_name(const struct elf_file *f);

#endif
