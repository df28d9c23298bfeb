/*
 * The gzip member wrapper (RFC 1952), parsed here so that the deflate
 * body can be inflated raw, without the CRC-32 that ISA-L would compute
 * over every decompressed byte. The CRC only repeats what the blob
 * digest and the diffID already prove, and it ran on the producer, the
 * longer stage of the pipe; so it is computed (by ISA-L) and checked
 * (here) only for a layer with neither a digest nor a diffID to check
 * (check_crc, set by stream.c). The header's own CRC-16, when present,
 * is always checked.
 *
 * The parser takes bytes as they come, so a header or trailer split by
 * the end of a read is fine. The trailer's length field (ISIZE) is still
 * checked: it is free, and it catches a member cut or padded where the
 * digests are not known yet. Invariant: every byte outside the deflate
 * bodies is consumed here, in order, and each member starts with the
 * gzip magic (anything else after a member is trailing garbage).
 */
#include <string.h>
#include <isa-l/crc.h>

#include "layer/stream_priv.h"
#include "util/banned.h"

#define FHCRC 0x02
#define FEXTRA 0x04
#define FNAME 0x08
#define FCOMMENT 0x10

/* The state after the fixed header or after an optional field. */
static enum gzw_state after(const struct gzw *w, enum gzw_state done)
{
	if (done < GZW_XLEN && (w->flg & FEXTRA))
		return GZW_XLEN;
	if (done < GZW_NAME && (w->flg & FNAME))
		return GZW_NAME;
	if (done < GZW_COMMENT && (w->flg & FCOMMENT))
		return GZW_COMMENT;
	if (done < GZW_HCRC && (w->flg & FHCRC))
		return GZW_HCRC;
	return GZW_BODY;
}

static void enter(struct gzw *w, enum gzw_state st, uint32_t need)
{
	w->st = st;
	w->need = need;
	w->n = 0;
}

/* Past a part of the header: on to the next field the flags announce
 * (XLEN and HCRC are 2 bytes; NAME, COMMENT and BODY ignore need). */
static void next_field(struct gzw *w, enum gzw_state done)
{
	enter(w, after(w, done), 2);
}

/* The little-endian number of the n (at most 4) bytes at p. */
static uint32_t le(const unsigned char *p, int n)
{
	uint32_t v = 0;

	while (n-- > 0)
		v = v << 8 | p[n];
	return v;
}

/* One byte of a fixed-size part (fixed header, XLEN, HCRC, trailer). */
static int fixed_byte(struct gzw *w, unsigned char c, uint32_t isize,
		      uint32_t crc)
{
	w->b[w->n++] = c;
	if (w->n < w->need)
		return 0;
	switch (w->st) {
	case GZW_FIXED:
		if (w->b[2] != 8) /* deflate; reserved flags are ignored,
				   * as ISA-L's own parser does */
			return GZW_EHEADER;
		w->flg = w->b[3];
		w->members++;
		next_field(w, GZW_FIXED);
		break;
	case GZW_XLEN:
		enter(w, GZW_EXTRA, le(w->b, 2));
		if (!w->need)
			next_field(w, GZW_EXTRA);
		break;
	case GZW_HCRC:
		if (le(w->b, 2) != (w->hcrc & 0xffff))
			return GZW_ECRC;
		enter(w, GZW_BODY, 0);
		break;
	default: /* GZW_TRAILER: CRC-32, then ISIZE */
		if (w->check_crc && le(w->b, 4) != crc)
			return GZW_ECRC;
		if (le(w->b + 4, 4) != isize)
			return GZW_ELENGTH;
		enter(w, GZW_MAGIC, 0);
		break;
	}
	return 0;
}

int gzw_feed(struct gzw *w, const unsigned char *p, size_t len, uint32_t isize,
	     uint32_t crc, size_t *used)
{
	size_t i = 0;
	int rc = 0;

	while (!rc && i < len && w->st != GZW_BODY) {
		unsigned char c = p[i++];

		if (w->st < GZW_HCRC) /* a header byte its CRC-16 covers */
			w->hcrc = crc32_gzip_refl(
				w->st == GZW_MAGIC ? 0 : w->hcrc, &c, 1);
		switch (w->st) {
		case GZW_MAGIC: /* a member starts: 1f 8b */
			if (c != 0x1f)
				rc = GZW_EGARBAGE;
			else
				enter(w, GZW_MAGIC2, 0);
			break;
		case GZW_MAGIC2:
			if (c != 0x8b) {
				rc = GZW_EGARBAGE;
			} else {
				enter(w, GZW_FIXED, 10);
				w->b[0] = 0x1f;
				w->b[1] = 0x8b;
				w->n = 2;
			}
			break;
		case GZW_EXTRA:
			if (++w->n == w->need)
				next_field(w, GZW_EXTRA);
			break;
		case GZW_NAME:
		case GZW_COMMENT:
			if (!c)
				next_field(w, w->st);
			break;
		default:
			rc = fixed_byte(w, c, isize, crc);
			break;
		}
	}
	/* the byte that failed is not consumed: positions name it */
	*used = rc ? i - 1 : i;
	return rc;
}

void gzw_body_done(struct gzw *w)
{
	enter(w, GZW_TRAILER, 8);
}

bool gzw_at_member_start(const struct gzw *w)
{
	return w->st == GZW_MAGIC && w->members > 0;
}

const char *gzw_strerror(int code)
{
	switch (code) {
	case GZW_EHEADER:
		return "bad gzip header";
	case GZW_ELENGTH:
		return "gzip length mismatch (member trailer)";
	case GZW_ECRC:
		return "gzip checksum mismatch";
	default:
		return "trailing garbage after gzip stream";
	}
}
