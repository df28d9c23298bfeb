/*
 * RPM header blob reader. The blob comes from a package database inside
 * an untrusted image, so every count and offset is checked before use:
 *
 * - the framing: 8 + 16 * il + dl bytes must be present, il and dl within
 *   rpm's own caps;
 * - each entry when it is looked up: a known type, a non-zero count, the
 *   offset inside the data store, fixed-size elements wholly inside it
 *   (in 64-bit arithmetic, so no count can wrap), a string count no
 *   larger than the bytes left (each string takes at least its NUL), and
 *   every string's NUL inside the store.
 *
 * Lookup takes the last entry with the tag: an installed header carries
 * an immutable region (the package as built) followed by "dribble"
 * entries rpm added at install time, which win. Integers are big-endian
 * and read byte by byte, so misaligned offsets are harmless.
 */
#include <string.h>

#include "catalog/rpmheader.h"
#include "util/banned.h"

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

int rpmhdr_init(struct rpmhdr *h, const unsigned char *blob, size_t len,
		const char **why)
{
	uint64_t need;

	memset(h, 0, sizeof(*h));
	if (len < 8) {
		*why = "header shorter than its 8-byte preamble";
		return -1;
	}
	h->il = be32(blob);
	h->dl = be32(blob + 4);
	if (h->il == 0 || h->il > RPMHDR_MAX_TAGS) {
		*why = "header index count out of range";
		return -1;
	}
	if (h->dl > RPMHDR_MAX_DATA) {
		*why = "header data size out of range";
		return -1;
	}
	need = 8 + (uint64_t)h->il * 16 + h->dl;
	if (need > len) {
		*why = "header truncated (index and data run past the record)";
		return -1;
	}
	h->index = blob + 8;
	h->store = h->index + (size_t)h->il * 16;
	return 0;
}

struct entry {
	uint32_t tag;
	uint32_t type;
	uint32_t offset;
	uint32_t count;
};

static bool find(const struct rpmhdr *h, uint32_t tag, struct entry *e)
{
	bool found = false;
	uint32_t i;

	for (i = 0; i < h->il; i++) {
		const unsigned char *p = h->index + (size_t)i * 16;

		if (be32(p) != tag)
			continue;
		e->tag = tag;
		e->type = be32(p + 4);
		e->offset = be32(p + 8);
		e->count = be32(p + 12);
		found = true;
	}
	return found;
}

static unsigned width(uint32_t type)
{
	switch (type) {
	case RPM_CHAR_TYPE:
	case RPM_INT8_TYPE:
	case RPM_BIN_TYPE:
		return 1;
	case RPM_INT16_TYPE:
		return 2;
	case RPM_INT32_TYPE:
		return 4;
	case RPM_INT64_TYPE:
		return 8;
	default:
		return 0; /* strings: variable */
	}
}

/* Check that entry e's data lies inside the store. */
static int check(const struct rpmhdr *h, const struct entry *e,
		 const char **why)
{
	unsigned w = width(e->type);

	if (e->type == RPM_NULL_TYPE || e->type > RPM_I18NSTRING_TYPE) {
		*why = "entry of unknown type";
		return -1;
	}
	if (e->count == 0) {
		*why = "entry with a zero count";
		return -1;
	}
	if (e->offset >= h->dl) {
		*why = "entry points outside the data store";
		return -1;
	}
	if (w && (uint64_t)e->offset + (uint64_t)e->count * w > h->dl) {
		*why = "entry runs past the end of the data store";
		return -1;
	}
	if (!w && e->count > h->dl - e->offset) {
		*why = "string count larger than the data store";
		return -1;
	}
	return 0;
}

bool rpmhdr_next_string(struct rpmhdr_array *a, struct cslice *s)
{
	const unsigned char *nul;

	if (!a->count || !a->left)
		return false;
	nul = memchr(a->p, '\0', a->left);
	if (!nul)
		return false;
	s->p = (const char *)a->p;
	s->n = (size_t)(nul - a->p);
	a->left -= s->n + 1;
	a->p = nul + 1;
	a->count--;
	return true;
}

int rpmhdr_string(const struct rpmhdr *h, uint32_t tag, struct cslice *out,
		  const char **why)
{
	struct rpmhdr_array a;
	struct entry e;

	if (!find(h, tag, &e))
		return 0;
	if (check(h, &e, why))
		return -1;
	if (e.type != RPM_STRING_TYPE && e.type != RPM_I18NSTRING_TYPE &&
	    e.type != RPM_STRING_ARRAY_TYPE) {
		*why = "string tag of a non-string type";
		return -1;
	}
	if (e.type == RPM_STRING_TYPE && e.count != 1) {
		*why = "string entry with a count other than 1";
		return -1;
	}
	a.p = h->store + e.offset;
	a.left = h->dl - e.offset;
	a.count = e.count;
	a.type = e.type;
	if (!rpmhdr_next_string(&a, out)) {
		*why = "string not terminated inside the data store";
		return -1;
	}
	return 1;
}

int rpmhdr_uint(const struct rpmhdr *h, uint32_t tag, uint64_t *out,
		const char **why)
{
	const unsigned char *p;
	struct entry e;
	unsigned i, w;

	if (!find(h, tag, &e))
		return 0;
	if (check(h, &e, why))
		return -1;
	w = width(e.type);
	if (!w || e.type == RPM_BIN_TYPE) {
		*why = "integer tag of a non-integer type";
		return -1;
	}
	p = h->store + e.offset;
	*out = 0;
	for (i = 0; i < w; i++)
		*out = *out << 8 | p[i];
	return 1;
}

int rpmhdr_array(const struct rpmhdr *h, uint32_t tag, uint32_t type,
		 struct rpmhdr_array *out, const char **why)
{
	struct entry e;

	memset(out, 0, sizeof(*out));
	if (!find(h, tag, &e))
		return 0;
	if (check(h, &e, why))
		return -1;
	if (e.type != type) {
		*why = type == RPM_INT32_TYPE
			       ? "array tag is not of type INT32"
			       : "array tag is not of type STRING_ARRAY";
		return -1;
	}
	out->p = h->store + e.offset;
	out->left = h->dl - e.offset;
	out->count = e.count;
	out->type = e.type;
	return 1;
}

uint32_t rpmhdr_u32_at(const struct rpmhdr_array *a, uint32_t i)
{
	return be32(a->p + (size_t)i * 4);
}
