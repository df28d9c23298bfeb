/*
 * Bounded ELF reader (see elf.h). The header is decoded once into struct
 * elf_file; section and program headers are decoded on demand. Counts are
 * clamped at open time to the headers that fit in the buffer, so every
 * later index is in range, and every offset read from a header is checked
 * with overflow-safe arithmetic before a pointer is formed.
 *
 * Extended section numbering (e_shnum == 0, e_shstrndx == SHN_XINDEX,
 * e_phnum == PN_XNUM, with the real values in section 0) is followed.
 */
#include <string.h>

#include "catalog/elf.h"
#include "util/banned.h"

#define EI_CLASS 4
#define EI_DATA 5
#define SHN_XINDEX 0xffffu
#define PN_XNUM 0xffffu

bool elf_is_elf(const unsigned char *data, size_t len)
{
	return len >= 4 && !memcmp(data, "\177ELF", 4);
}

uint64_t elf_uint(const struct elf_file *f, const unsigned char *p, size_t size)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < size; i++) {
		size_t k = f->be ? i : size - 1 - i;

		v = v << 8 | p[k];
	}
	return v;
}

/*
 * The bytes at file offset off: a pointer, with in *avail how many follow
 * it without a gap in what was read (0 right at the end of a read
 * range), or NULL when off was not read.
 */
static const unsigned char *span(const struct elf_file *f, uint64_t off,
				 uint64_t *avail)
{
	const unsigned char *end = NULL;
	size_t i, mem = 0;

	if (!f->ranges) {
		if (off > f->len)
			return NULL;
		*avail = f->len - off;
		return f->data + off;
	}
	for (i = 0; i < f->n_ranges; i++) {
		const struct customs_range *r = &f->ranges[i];

		if (r->len > f->len - mem)
			break; /* the ranges say more than the buffer holds */
		if (off >= r->off && off - r->off < r->len) {
			*avail = r->len - (off - r->off);
			return f->data + mem + (off - r->off);
		}
		if (off >= r->off && off - r->off == r->len)
			end = f->data + mem + r->len;
		mem += (size_t)r->len;
	}
	*avail = 0;
	return end;
}

/* Is [off, off + n) inside what was read, without a gap? */
static bool in_buf(const struct elf_file *f, uint64_t off, uint64_t n)
{
	uint64_t avail;

	return span(f, off, &avail) && n <= avail;
}

/* How many headers of size ent at off fit, at most count. */
static size_t fit(const struct elf_file *f, uint64_t off, size_t ent,
		  size_t count)
{
	uint64_t room;

	if (!off || !ent || !span(f, off, &room) || !room)
		return 0;
	room /= ent;
	return count < room ? count : (size_t)room;
}

/* Section 0's fields hold the real counts when the header overflows. */
static void extended_counts(struct elf_file *f, size_t *shnum, size_t *phnum)
{
	const unsigned char *s0;
	uint64_t avail;

	if (!f->shoff || !in_buf(f, f->shoff, f->is64 ? 64 : 40))
		return;
	s0 = span(f, f->shoff, &avail); /* known to be inside */
	if (!*shnum)
		*shnum = (size_t)elf_uint(f, s0 + (f->is64 ? 32 : 20),
					  f->is64 ? 8 : 4);
	if (f->shstrndx == SHN_XINDEX)
		f->shstrndx = (size_t)elf_uint(f, s0 + (f->is64 ? 40 : 24), 4);
	if (*phnum == PN_XNUM)
		*phnum = (size_t)elf_uint(f, s0 + (f->is64 ? 44 : 28), 4);
}

bool elf_open(struct elf_file *f, const unsigned char *data, size_t len)
{
	return elf_open_ranges(f, data, len, NULL, 0);
}

bool elf_open_ranges(struct elf_file *f, const unsigned char *data, size_t len,
		     const struct customs_range *ranges, size_t n)
{
	const unsigned char *h = data;
	size_t shnum, phnum;
	uint64_t avail;
	uint64_t dummy;

	memset(f, 0, sizeof(*f));
	f->data = data;
	f->len = len;
	f->ranges = n ? ranges : NULL;
	f->n_ranges = n;
	if (span(f, 0, &avail) != data || !elf_is_elf(data, avail) ||
	    avail < 52)
		return false;
	if ((h[EI_CLASS] != 1 && h[EI_CLASS] != 2) ||
	    (h[EI_DATA] != 1 && h[EI_DATA] != 2))
		return false;
	f->is64 = h[EI_CLASS] == 2;
	f->be = h[EI_DATA] == 2;
	if (f->is64 && avail < 64)
		return false;
	f->machine = (uint16_t)elf_uint(f, h + 18, 2);
	if (f->is64) {
		f->phoff = elf_uint(f, h + 32, 8);
		f->shoff = elf_uint(f, h + 40, 8);
		h += 54;
	} else {
		f->phoff = elf_uint(f, h + 28, 4);
		f->shoff = elf_uint(f, h + 32, 4);
		h += 42;
	}
	f->phentsize = (size_t)elf_uint(f, h, 2);
	phnum = (size_t)elf_uint(f, h + 2, 2);
	f->shentsize = (size_t)elf_uint(f, h + 4, 2);
	shnum = (size_t)elf_uint(f, h + 6, 2);
	f->shstrndx = (size_t)elf_uint(f, h + 8, 2);
	if (f->shentsize < (f->is64 ? 64u : 40u))
		f->shoff = 0;
	if (f->phentsize < (f->is64 ? 56u : 32u))
		f->phoff = 0;
	extended_counts(f, &shnum, &phnum);
	f->phnum_all = phnum;
	f->shnum = fit(f, f->shoff, f->shentsize, shnum);
	f->phnum = fit(f, f->phoff, f->phentsize, phnum);
	f->sh = f->shnum ? span(f, f->shoff, &dummy) : NULL;
	f->ph = f->phnum ? span(f, f->phoff, &dummy) : NULL;
	return true;
}

/* The raw section header i, without the name. */
static void section_raw(const struct elf_file *f, size_t i,
			struct elf_section *s, uint32_t *name_off)
{
	const unsigned char *p = f->sh + i * f->shentsize;

	*name_off = (uint32_t)elf_uint(f, p, 4);
	s->type = (uint32_t)elf_uint(f, p + 4, 4);
	if (f->is64) {
		s->flags = elf_uint(f, p + 8, 8);
		s->addr = elf_uint(f, p + 16, 8);
		s->offset = elf_uint(f, p + 24, 8);
		s->size = elf_uint(f, p + 32, 8);
	} else {
		s->flags = elf_uint(f, p + 8, 4);
		s->addr = elf_uint(f, p + 12, 4);
		s->offset = elf_uint(f, p + 16, 4);
		s->size = elf_uint(f, p + 20, 4);
	}
	s->name = "";
}

/* A NUL-terminated name at off in the section-name table, or "". */
static const char *section_name(const struct elf_file *f, uint32_t off)
{
	struct elf_section strtab;
	const unsigned char *p;
	uint32_t unused;
	size_t n;

	if (f->shstrndx >= f->shnum)
		return "";
	section_raw(f, f->shstrndx, &strtab, &unused);
	if (!elf_section_data(f, &strtab, &p, &n) || off >= n ||
	    !memchr(p + off, '\0', n - off))
		return "";
	return (const char *)p + off;
}

bool elf_section(const struct elf_file *f, size_t i, struct elf_section *out)
{
	uint32_t name_off;

	if (i >= f->shnum)
		return false;
	section_raw(f, i, out, &name_off);
	out->name = section_name(f, name_off);
	return true;
}

bool elf_find_section(const struct elf_file *f, const char *name,
		      struct elf_section *out)
{
	size_t i;

	for (i = 0; i < f->shnum; i++) {
		if (elf_section(f, i, out) && !strcmp(out->name, name))
			return true;
	}
	return false;
}

bool elf_section_data(const struct elf_file *f, const struct elf_section *s,
		      const unsigned char **p, size_t *n)
{
	uint64_t room;

	if (s->type == ELF_SHT_NOBITS || !(*p = span(f, s->offset, &room)) ||
	    !room)
		return false;
	*n = (size_t)(s->size < room ? s->size : room);
	return true;
}

bool elf_segment(const struct elf_file *f, size_t i, struct elf_segment *out)
{
	const unsigned char *p;

	if (i >= f->phnum)
		return false;
	p = f->ph + i * f->phentsize;
	out->type = (uint32_t)elf_uint(f, p, 4);
	if (f->is64) {
		out->flags = (uint32_t)elf_uint(f, p + 4, 4);
		out->offset = elf_uint(f, p + 8, 8);
		out->vaddr = elf_uint(f, p + 16, 8);
		out->filesz = elf_uint(f, p + 32, 8);
	} else {
		out->offset = elf_uint(f, p + 4, 4);
		out->vaddr = elf_uint(f, p + 8, 4);
		out->filesz = elf_uint(f, p + 16, 4);
		out->flags = (uint32_t)elf_uint(f, p + 24, 4);
	}
	return true;
}

bool elf_read_vaddr(const struct elf_file *f, uint64_t addr, size_t max,
		    const unsigned char **p, size_t *n)
{
	struct elf_segment seg;
	uint64_t rel, avail, off, room;
	size_t i;

	for (i = 0; i < f->phnum; i++) {
		if (!elf_segment(f, i, &seg) || seg.type != ELF_PT_LOAD ||
		    addr < seg.vaddr || addr - seg.vaddr >= seg.filesz)
			continue;
		rel = addr - seg.vaddr;
		if (rel > UINT64_MAX - seg.offset)
			return false;
		off = seg.offset + rel;
		if (!(*p = span(f, off, &room)) || !room)
			return false;
		avail = seg.filesz - rel;
		if (avail > room)
			avail = room;
		*n = (size_t)(avail < max ? avail : max);
		return true;
	}
	return false;
}

static size_t align4(uint64_t n)
{
	return (size_t)((n + 3) & ~(uint64_t)3);
}

/* Is the note name at p (nsz bytes) name, padded with NULs? */
static bool name_is(const unsigned char *p, size_t nsz, const char *name)
{
	size_t len = strlen(name), i;

	if (nsz <= len || memcmp(p, name, len))
		return false;
	for (i = len; i < nsz; i++) {
		if (p[i])
			return false;
	}
	return true;
}

/* Walk the notes in p[0, n). */
static bool note_in(const struct elf_file *f, const unsigned char *p, size_t n,
		    const char *name, uint32_t type)
{
	size_t at = 0, nsz, dsz;

	while (n - at >= 12) {
		nsz = (size_t)elf_uint(f, p + at, 4);
		dsz = (size_t)elf_uint(f, p + at + 4, 4);
		if (align4(nsz) > n - at - 12)
			return false;
		if (elf_uint(f, p + at + 8, 4) == type &&
		    name_is(p + at + 12, nsz, name))
			return true;
		at += 12 + align4(nsz);
		if (align4(dsz) > n - at)
			return false;
		at += align4(dsz);
	}
	return false;
}

bool elf_has_note(const struct elf_file *f, const char *name, uint32_t type)
{
	struct elf_segment seg;
	const unsigned char *p;
	uint64_t room;
	size_t i;

	for (i = 0; i < f->phnum; i++) {
		if (!elf_segment(f, i, &seg) || seg.type != ELF_PT_NOTE ||
		    !(p = span(f, seg.offset, &room)) || !room)
			continue;
		if (note_in(f, p,
			    (size_t)(seg.filesz < room ? seg.filesz : room),
			    name, type))
			return true;
	}
	return false;
}

const char *elf_machine_name(const struct elf_file *f)
{
	switch (f->machine) {
	case 3:
		return "386";
	case 8:
		return "mips";
	case 20:
		return "ppc";
	case 21:
		return "ppc64";
	case 22:
		return "s390";
	case 40:
		return "arm";
	case 62:
		return "x86_64";
	case 183:
		return "aarch64";
	case 243:
		return "riscv";
	case 258:
		return "loongarch";
	default:
		return NULL;
	}
}
