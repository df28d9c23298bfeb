/*
 * Zip reading for the Java cataloger, from memory (APPNOTE 6.3).
 *
 * The end-of-central-directory record is searched for in the last 64 KiB
 * + 22 bytes; zip64 records are followed when the classic fields are
 * saturated. Data prepended to the archive (a launch script before a
 * Spring Boot jar) is allowed: offsets are corrected by the difference
 * between where the central directory is and where the record says it
 * is, as Info-ZIP and the JDK do. Members come from the central
 * directory only; a local header is read when a member is opened, and
 * its data must lie inside the buffer. Inflating uses ISA-L into a buffer
 * of the declared size, so output can never grow past what the limits
 * allowed; a stream that wants more is corrupt. The CRC-32 is checked.
 */
#include <string.h>

#include <isa-l/igzip_lib.h>

#include "catalog/java_zip.h"
#include "customs/common.h"
#include "util/alloc.h"
#include "util/banned.h"

#define SIG_LOCAL 0x04034b50u
#define SIG_CENTRAL 0x02014b50u
#define SIG_EOCD 0x06054b50u
#define SIG_EOCD64 0x06064b50u
#define SIG_LOC64 0x07064b50u
#define EOCD_LEN 22u
#define CENTRAL_LEN 46u
#define LOCAL_LEN 30u

static uint16_t rd16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t rd64(const unsigned char *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

/* Is [off, off + n) inside the buffer? */
static bool inside(const struct jzip *z, uint64_t off, uint64_t n)
{
	return off <= z->len && n <= z->len - off;
}

static bool find_eocd(const struct jzip *z, size_t *pos)
{
	size_t lo, i;

	if (z->len < EOCD_LEN)
		return false;
	lo = z->len - EOCD_LEN > 65535 ? z->len - EOCD_LEN - 65535 : 0;
	for (i = z->len - EOCD_LEN + 1; i-- > lo;) {
		if (rd32(z->data + i) == SIG_EOCD &&
		    i + EOCD_LEN + rd16(z->data + i + 20) <= z->len) {
			*pos = i;
			return true;
		}
	}
	return false;
}

struct cdir {
	uint64_t count;
	uint64_t size;
	uint64_t off;
	uint64_t at; /* where the record that describes it starts */
};

/* The zip64 end record, when the classic one is saturated. */
static bool read_eocd64(const struct jzip *z, size_t eocd, struct cdir *cd)
{
	const unsigned char *p;
	uint64_t off;

	if (eocd < 20 || rd32(z->data + eocd - 20) != SIG_LOC64)
		return false;
	off = rd64(z->data + eocd - 20 + 8);
	if (!inside(z, off, 56) || rd32(z->data + off) != SIG_EOCD64)
		return false;
	p = z->data + off;
	cd->count = rd64(p + 32);
	cd->size = rd64(p + 40);
	cd->off = rd64(p + 48);
	cd->at = off;
	return true;
}

/* Zip64 extended information (extra id 1) for saturated fields. */
static void zip64_extra(struct jzip_member *m, const unsigned char *x, size_t n)
{
	while (n >= 4) {
		uint16_t id = rd16(x), len = rd16(x + 2);
		const unsigned char *d = x + 4;
		size_t left = len;

		if ((size_t)len + 4 > n)
			return;
		if (id == 1) {
			if (m->usize == 0xffffffffu && left >= 8) {
				m->usize = rd64(d);
				d += 8;
				left -= 8;
			}
			if (m->csize == 0xffffffffu && left >= 8) {
				m->csize = rd64(d);
				d += 8;
				left -= 8;
			}
			if (m->local_off == 0xffffffffu && left >= 8)
				m->local_off = rd64(d);
			return;
		}
		x += 4 + len;
		n -= 4 + (size_t)len;
	}
}

static int add_member(struct jzip *z, const unsigned char *p, uint64_t delta)
{
	struct jzip_member *m;
	uint16_t nl = rd16(p + 28), xl = rd16(p + 30);

	if (CUSTOMS_GROW(z->m, z->cap, z->n + 1))
		return CUSTOMS_ENOMEM;
	m = &z->m[z->n];
	m->flags = rd16(p + 8);
	m->method = rd16(p + 10);
	m->crc = rd32(p + 16);
	m->csize = rd32(p + 20);
	m->usize = rd32(p + 24);
	m->local_off = rd32(p + 42);
	zip64_extra(m, p + CENTRAL_LEN + nl, xl);
	m->local_off += delta;
	m->name_len = nl;
	m->name = arena_strndup(&z->arena, (const char *)p + CENTRAL_LEN, nl);
	if (!m->name)
		return CUSTOMS_ENOMEM;
	z->n++;
	return 0;
}

static int read_central(struct jzip *z, const struct cdir *cd, uint64_t delta,
			const char **why)
{
	uint64_t pos = cd->off + delta, i;
	int rc;

	for (i = 0; i < cd->count; i++) {
		const unsigned char *p;
		uint64_t n;

		if (z->n >= JZIP_MAX_MEMBERS) {
			z->capped = true;
			return 0;
		}
		if (!inside(z, pos, CENTRAL_LEN) ||
		    rd32(z->data + pos) != SIG_CENTRAL) {
			*why = "central directory entry out of bounds or "
			       "corrupt";
			return CUSTOMS_EFORMAT;
		}
		p = z->data + pos;
		n = (uint64_t)CENTRAL_LEN + rd16(p + 28) + rd16(p + 30) +
		    rd16(p + 32);
		if (!inside(z, pos, n)) {
			*why = "central directory entry truncated";
			return CUSTOMS_EFORMAT;
		}
		rc = add_member(z, p, delta);
		if (rc)
			return rc;
		pos += n;
	}
	return 0;
}

int jzip_open(struct jzip *z, const unsigned char *data, size_t len,
	      struct jzip_budget *budget, const char **why)
{
	struct cdir cd;
	size_t eocd;
	uint64_t delta = 0;

	memset(z, 0, sizeof(*z));
	z->data = data;
	z->len = len;
	z->budget = budget;
	*why = NULL;
	if (!find_eocd(z, &eocd)) {
		*why = len >= 4 && rd32(data) == SIG_LOCAL
			       ? "truncated zip (no end of central directory)"
			       : "not a zip archive";
		return CUSTOMS_EFORMAT;
	}
	cd.count = rd16(data + eocd + 10);
	cd.size = rd32(data + eocd + 12);
	cd.off = rd32(data + eocd + 16);
	cd.at = eocd;
	if ((cd.count == 0xffff || cd.size == 0xffffffffu ||
	     cd.off == 0xffffffffu) &&
	    !read_eocd64(z, eocd, &cd)) {
		*why = "zip64 end record missing or corrupt";
		return CUSTOMS_EFORMAT;
	}
	if (cd.size > cd.at) {
		*why = "central directory larger than the archive";
		return CUSTOMS_EFORMAT;
	}
	/* bytes prepended to the archive shift every offset */
	if (cd.at - cd.size > cd.off)
		delta = cd.at - cd.size - cd.off;
	return read_central(z, &cd, delta, why);
}

void jzip_close(struct jzip *z)
{
	customs_free(z->m);
	customs_free(z->inflate);
	arena_release(&z->arena);
	memset(z, 0, sizeof(*z));
}

static int check_caps(struct jzip *z, const struct jzip_member *m,
		      const char **why)
{
	if (m->usize > JZIP_MAX_MEMBER_BYTES) {
		*why = "member larger than the per-member cap";
		return CUSTOMS_ELIMIT;
	}
	if (m->usize > JZIP_RATIO_FLOOR &&
	    m->usize / (m->csize ? m->csize : 1) > JZIP_MAX_RATIO) {
		*why = "compression ratio above the cap (zip bomb?)";
		return CUSTOMS_ELIMIT;
	}
	if (z->budget && (m->usize > z->budget->max ||
			  z->budget->used > z->budget->max - m->usize)) {
		*why = "archive inflates to more than the total cap";
		return CUSTOMS_ELIMIT;
	}
	return 0;
}

static int inflate_member(struct jzip *z, const struct jzip_member *m,
			  const unsigned char *in, unsigned char *out,
			  const char **why)
{
	struct inflate_state *s = z->inflate;

	if (!s) {
		s = z->inflate = customs_malloc(sizeof(*s));
		if (!s)
			return CUSTOMS_ENOMEM;
	}
	isal_inflate_init(s);
	s->crc_flag = ISAL_GZIP_NO_HDR;
	s->next_in = (uint8_t *)(uintptr_t)in;
	s->avail_in = (uint32_t)m->csize;
	s->next_out = out;
	s->avail_out = (uint32_t)m->usize;
	if (isal_inflate(s) < 0) {
		*why = "corrupt deflate data";
		return CUSTOMS_EFORMAT;
	}
	if (s->block_state != ISAL_BLOCK_FINISH) {
		*why = s->avail_out ? "truncated deflate data"
				    : "member inflates to more than declared";
		return CUSTOMS_EFORMAT;
	}
	if (s->total_out != m->usize) {
		*why = "member inflates to less than declared";
		return CUSTOMS_EFORMAT;
	}
	if (s->crc != m->crc) {
		*why = "CRC-32 mismatch";
		return CUSTOMS_EFORMAT;
	}
	return 0;
}

/* Where member i's data starts, after its local header. */
static int data_offset(const struct jzip *z, const struct jzip_member *m,
		       uint64_t *off, const char **why)
{
	const unsigned char *p;

	if (!inside(z, m->local_off, LOCAL_LEN) ||
	    rd32(z->data + m->local_off) != SIG_LOCAL) {
		*why = "local header out of bounds or corrupt";
		return CUSTOMS_EFORMAT;
	}
	p = z->data + m->local_off;
	*off = m->local_off + LOCAL_LEN + rd16(p + 26) + rd16(p + 28);
	if (!inside(z, *off, m->csize)) {
		*why = "member data runs past the end of the archive";
		return CUSTOMS_EFORMAT;
	}
	return 0;
}

int jzip_read(struct jzip *z, size_t i, const unsigned char **out, size_t *len,
	      unsigned char **owned, const char **why)
{
	const struct jzip_member *m = &z->m[i];
	unsigned char *buf;
	uint64_t off;
	int rc;

	*out = NULL;
	*len = 0;
	*owned = NULL;
	*why = NULL;
	if (m->flags & 1) {
		*why = "encrypted member";
		return CUSTOMS_EFORMAT;
	}
	if (m->method != 0 && m->method != 8) {
		*why = "unsupported compression method";
		return CUSTOMS_EFORMAT;
	}
	rc = data_offset(z, m, &off, why);
	if (rc)
		return rc;
	if (m->method == 0 && m->usize != m->csize) {
		*why = "stored member with differing sizes";
		return CUSTOMS_EFORMAT;
	}
	/* stored bytes count too: a member listed 10 000 times is work */
	rc = check_caps(z, m, why);
	if (rc)
		return rc;
	if (m->method == 0) {
		if (z->budget)
			z->budget->used += m->usize;
		*out = z->data + off;
		*len = (size_t)m->csize;
		return 0;
	}
	buf = customs_malloc(m->usize ? (size_t)m->usize : 1);
	if (!buf)
		return CUSTOMS_ENOMEM;
	rc = inflate_member(z, m, z->data + off, buf, why);
	if (rc) {
		customs_free(buf);
		return rc;
	}
	if (z->budget)
		z->budget->used += m->usize;
	*out = *owned = buf;
	*len = (size_t)m->usize;
	return 0;
}

bool jzip_name_unsafe(const char *name, size_t n)
{
	size_t i = 0, start;

	if (!n || name[0] == '/' || name[0] == '\\' ||
	    (n >= 2 && name[1] == ':'))
		return true;
	while (i < n) {
		start = i;
		while (i < n && name[i] != '/' && name[i] != '\\')
			i++;
		if (i - start == 2 && name[start] == '.' &&
		    name[start + 1] == '.')
			return true;
		i++;
	}
	return memchr(name, '\0', n) != NULL;
}
