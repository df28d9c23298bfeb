/*
 * What the catalogers that read executables keep of a large one (see
 * bincat.h), decided from its head while the layer streams past. The
 * section headers that would say where .go.buildinfo and .dep-v0 are sit
 * at the end of the file, after those sections went by, so the choice is
 * by segment, from the program headers in the head:
 *
 * - cargo-auditable's .dep-v0 is written with no flags (not SHF_ALLOC),
 *   so it is in no PT_LOAD segment: every loaded byte is dropped.
 * - Go's .go.buildinfo is writable data: a binary without the Go note
 *   keeps only its writable segments. A Go binary (the note is in its
 *   first page) also keeps read-only data, where the version strings of
 *   the pre-1.18 pointer format live.
 * - The version classifiers look for strings: only machine code (the
 *   executable, non-writable segments) is dropped, and only when
 *   read-only data has a segment of its own (the pre-2018 GNU ld layout
 *   put .rodata in the code segment: then the whole file is kept).
 *
 * The head itself (ELF and program headers, notes) and everything in no
 * segment (section headers and names, non-loaded sections) are always
 * kept; program headers not all in the head mean the whole file. cc1plus
 * (35 MB) keeps under 1 MB this way. Nothing here allocates.
 */
#include "catalog/bincat.h"
#include "catalog/elf.h"
#include "util/banned.h"

/* Is segment seg dropped from a plan of kind what? */
static bool dropped(const struct elf_segment *seg, unsigned what)
{
	uint32_t xw = seg->flags & (ELF_PF_X | ELF_PF_W);

	if (what == BINCAT_PLAN_CARGO)
		return true; /* .dep-v0 is never loaded */
	if (what == BINCAT_PLAN_GO)
		return !(xw & ELF_PF_W); /* .go.buildinfo is writable */
	return xw == ELF_PF_X; /* machine code */
}

/* The file ranges of the PT_LOAD segments a plan of kind what drops,
 * sorted; false when there are too many to plan around, or (data
 * plans) read-only data has no segment of its own. */
static bool drop_ranges(const struct elf_file *f, uint64_t size, unsigned what,
			struct customs_range *out, size_t *n)
{
	struct elf_segment seg;
	bool rodata = false;
	size_t i, j;

	*n = 0;
	for (i = 0; i < f->phnum; i++) {
		struct customs_range r;

		if (!elf_segment(f, i, &seg) || seg.type != ELF_PT_LOAD ||
		    !seg.filesz || seg.offset >= size)
			continue;
		if (!(seg.flags & (ELF_PF_X | ELF_PF_W)))
			rodata = true;
		if (!dropped(&seg, what))
			continue;
		if (*n == CUSTOMS_PLAN_MAX)
			return false;
		r.off = seg.offset;
		r.len = seg.filesz < size - seg.offset ? seg.filesz
						       : size - seg.offset;
		for (j = *n; j > 0 && out[j - 1].off > r.off; j--)
			out[j] = out[j - 1];
		out[j] = r;
		++*n;
	}
	return rodata || what != BINCAT_PLAN_DATA;
}

/* The head, then the complement of the n sorted ranges in skip within
 * [head, size). */
static bool keep_between(const struct customs_range *skip, size_t n,
			 uint64_t head, uint64_t size,
			 struct customs_plan *plan)
{
	uint64_t at = head;
	size_t i;

	plan->r[0].off = 0;
	plan->r[0].len = head;
	plan->n = 1;
	for (i = 0; i <= n; i++) {
		uint64_t end = i < n ? skip[i].off : size;
		struct customs_range *last = &plan->r[plan->n - 1];

		if (end > at && last->off + last->len == at) {
			last->len += end - at;
		} else if (end > at) {
			if (plan->n == CUSTOMS_PLAN_MAX)
				return false;
			plan->r[plan->n].off = at;
			plan->r[plan->n++].len = end - at;
		}
		if (i < n && skip[i].off + skip[i].len > at)
			at = skip[i].off + skip[i].len;
	}
	return true;
}

int bincat_elf_plan(const struct cat_input *head, unsigned what,
		    struct customs_plan *plan)
{
	struct customs_range drop[CUSTOMS_PLAN_MAX];
	struct elf_file f;
	uint64_t size = head->file->size;
	size_t n;

	plan->n = 0;
	plan->whole = false;
	if (!elf_open(&f, head->data, head->len))
		return 0; /* not ELF: nothing for these catalogers */
	/* a Go binary: its old-format version strings are read-only data */
	if (what == BINCAT_PLAN_GO && elf_has_note(&f, "Go", 4))
		what = BINCAT_PLAN_DATA;
	if (!f.phnum || f.phnum < f.phnum_all ||
	    !drop_ranges(&f, size, what, drop, &n) ||
	    !keep_between(drop, n, head->len, size, plan)) {
		plan->n = 0;
		plan->whole = true;
	}
	return 0;
}
