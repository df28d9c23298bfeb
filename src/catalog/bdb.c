/*
 * Berkeley DB hash files (rpm's Packages before rpm 4.16), read without
 * libdb. Page 0 is the hash metadata page; the other pages are hash
 * bucket pages, overflow pages and pages we do not need. Every hash page
 * holds (key, data) item pairs; rpm's keys are 4-byte header numbers
 * (0 holds a counter, not a package) and its data are header blobs,
 * almost always too big for a bucket page and so stored "off page": the
 * item names the first page of a chain of overflow pages and the total
 * length. Rather than follow the bucket structure, every page is visited
 * in order and the hash pages among them are read, as other rpmdb
 * readers do; the bucket links are not needed to find every record.
 *
 * Byte order is the creating machine's, told by the magic. Page layout
 * (db_page.h): a 26-byte header (lsn, pgno, prev, next, entries,
 * hf_offset, level, type), 32 with checksums; hash pages follow it with
 * an array of item offsets, item i spanning [inp[i], inp[i - 1]) (the
 * page end for i = 0); an overflow page's hf_offset is the number of
 * data bytes it holds.
 *
 * Hostile files: the page size must be a power of two in [512, 64 KiB];
 * the page count is what the file holds (a larger meta count is a
 * warning); items must lie inside their page; an overflow chain must stay
 * in range, visit only overflow pages, hold exactly the stated length,
 * and may not reuse a page any chain already used (which also ends
 * loops). So the work is linear in the file size and the record buffer
 * never exceeds it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "catalog/rpmdb_int.h"
#include "util/alloc.h"
#include "util/banned.h"

#define HASH_MAGIC 0x061561u
#define BTREE_MAGIC 0x053162u
#define P_HASH_UNSORTED 2
#define P_OVERFLOW 7
#define P_HASHMETA 8
#define P_HASH 13
#define H_KEYDATA 1
#define H_DUPLICATE 2
#define H_OFFPAGE 3
#define H_OFFDUP 4
#define DBMETA_CHKSUM 0x01
#define PAGE_HDR 26u
#define PAGE_HDR_CHKSUM 32u
#define HOFFPAGE_SIZE 12u

struct bdb {
	struct rpm_ctx *c;
	const unsigned char *data;
	bool be;
	uint32_t pagesize;
	uint32_t npages;
	uint32_t hdr; /* page header size */
	unsigned char *used; /* overflow pages already read, one byte each */
	unsigned char *buf; /* one record reassembled */
	size_t cap;
};

static uint32_t u32(const struct bdb *b, const unsigned char *p)
{
	if (b->be)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		       (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[1] << 8 | p[0];
}

static uint32_t u16(const struct bdb *b, const unsigned char *p)
{
	return b->be ? (uint32_t)p[0] << 8 | p[1] : (uint32_t)p[1] << 8 | p[0];
}

static const unsigned char *page(const struct bdb *b, uint32_t pgno)
{
	return b->data + (size_t)pgno * b->pagesize;
}

static int grow(struct bdb *b, size_t need)
{
	unsigned char *n;

	if (need <= b->cap)
		return 0;
	n = customs_realloc(b->buf, need);
	if (!n)
		return CUSTOMS_ENOMEM;
	b->buf = n;
	b->cap = need;
	return 0;
}

/* Reassemble an off-page item of tlen bytes starting at page pgno into
 * b->buf; 1 done, 0 bad (warned), < 0 error. */
static int overflow(struct bdb *b, uint32_t pgno, uint32_t tlen,
		    const char *where)
{
	size_t got = 0;
	int rc;

	if (!tlen || tlen > (size_t)b->npages * b->pagesize)
		return rpm_warn(b->c, "%s: bad off-page length %" PRIu32, where,
				tlen);
	if ((rc = grow(b, tlen)))
		return rc;
	while (got < tlen) {
		const unsigned char *p;
		uint32_t n;

		if (pgno == 0 || pgno >= b->npages)
			return rpm_warn(b->c,
					"%s: overflow page %" PRIu32
					" out of range",
					where, pgno);
		if (b->used[pgno])
			return rpm_warn(b->c,
					"%s: overflow page %" PRIu32
					" reached twice (loop or shared chain)",
					where, pgno);
		b->used[pgno] = 1;
		p = page(b, pgno);
		n = u16(b, p + 22);
		if (p[25] != P_OVERFLOW || !n || n > b->pagesize - b->hdr ||
		    n > tlen - got)
			return rpm_warn(b->c,
					"%s: bad overflow page %" PRIu32
					" (type %u, %" PRIu32 " bytes)",
					where, pgno, p[25], n);
		memcpy(b->buf + got, p + b->hdr, n);
		got += n;
		pgno = u32(b, p + 16);
	}
	return 1;
}

/* Bounds of item i on page p; false when they are not inside it. */
static bool item(const struct bdb *b, const unsigned char *p, uint32_t n,
		 uint32_t i, uint32_t *off, uint32_t *end)
{
	uint32_t lo = b->hdr + 2 * n;

	*off = u16(b, p + b->hdr + 2 * i);
	*end = i ? u16(b, p + b->hdr + 2 * (i - 1)) : b->pagesize;
	return *off >= lo && *off < *end && *end <= b->pagesize;
}

/* The record number of key item [off, end), or 0 when it is not one. */
static uint32_t key_hnum(const struct bdb *b, const unsigned char *p,
			 uint32_t off, uint32_t end, bool *is_num)
{
	*is_num = p[off] == H_KEYDATA && end - off == 5;
	return *is_num ? u32(b, p + off + 1) : 0;
}

static int pair(struct bdb *b, uint32_t pgno, const unsigned char *p,
		uint32_t n, uint32_t i, rpm_blob_fn fn)
{
	uint32_t koff, kend, off, end, hnum;
	char where[64];
	bool is_num;
	int r;

	if (!item(b, p, n, i, &koff, &kend) ||
	    !item(b, p, n, i + 1, &off, &end))
		return rpm_warn(b->c,
				"page %" PRIu32 ": item %" PRIu32
				" outside the page",
				pgno, i);
	hnum = key_hnum(b, p, koff, kend, &is_num);
	if (is_num && hnum == 0)
		return 0; /* rpm's header-number counter */
	if (is_num)
		snprintf(where, sizeof(where), "record %" PRIu32, hnum);
	else
		snprintf(where, sizeof(where), "page %" PRIu32 " item %" PRIu32,
			 pgno, i);
	switch (p[off]) {
	case H_KEYDATA:
		return fn(b->c, p + off + 1, end - off - 1, where);
	case H_OFFPAGE:
		if (end - off < HOFFPAGE_SIZE)
			return rpm_warn(b->c, "%s: short off-page item", where);
		r = overflow(b, u32(b, p + off + 4), u32(b, p + off + 8),
			     where);
		return r > 0 ? fn(b->c, b->buf, u32(b, p + off + 8), where) : r;
	case H_DUPLICATE:
	case H_OFFDUP:
		return rpm_warn(b->c,
				"%s: duplicate data items (not written "
				"by rpm); skipped",
				where);
	default:
		return rpm_warn(b->c, "%s: unknown item type %u", where,
				p[off]);
	}
}

static int hash_page(struct bdb *b, uint32_t pgno, rpm_blob_fn fn)
{
	const unsigned char *p = page(b, pgno);
	uint32_t n = u16(b, p + 20), i;
	int rc = 0;

	if (u32(b, p + 8) != pgno)
		return rpm_warn(b->c,
				"page %" PRIu32 ": claims to be page %" PRIu32,
				pgno, u32(b, p + 8));
	if (b->hdr + 2 * n > b->pagesize)
		return rpm_warn(b->c,
				"page %" PRIu32 ": %" PRIu32
				" items do not fit the page",
				pgno, n);
	if (n % 2)
		rc = rpm_warn(b->c, "page %" PRIu32 ": odd item count %" PRIu32,
			      pgno, n);
	for (i = 0; !rc && i + 1 < n; i += 2)
		rc = pair(b, pgno, p, n, i, fn);
	return rc;
}

/* Check the metadata page; 1 usable, 0 not (warned), < 0 error. */
static int meta(struct bdb *b, size_t len)
{
	const unsigned char *m = b->data;
	uint32_t magic = u32(b, m + 12), version, last;

	if (magic == BTREE_MAGIC)
		return rpm_warn(b->c, "a Berkeley DB btree, not the hash "
				      "database rpm writes");
	if (magic != HASH_MAGIC || len < 512)
		return rpm_warn(b->c, "not a Berkeley DB hash database");
	version = u32(b, m + 16);
	b->pagesize = u32(b, m + 20);
	if (version < 7 || version > 10)
		return rpm_warn(b->c, "unsupported hash version %" PRIu32,
				version);
	if (b->pagesize < 512 || b->pagesize > 65536 ||
	    (b->pagesize & (b->pagesize - 1)))
		return rpm_warn(b->c, "bad page size %" PRIu32, b->pagesize);
	if (m[24])
		return rpm_warn(b->c, "encrypted database");
	if (m[25] != P_HASHMETA)
		return rpm_warn(b->c, "page 0 is not a hash metadata page");
	b->hdr = (m[26] & DBMETA_CHKSUM) ? PAGE_HDR_CHKSUM : PAGE_HDR;
	b->npages = (uint32_t)(len / b->pagesize);
	last = u32(b, m + 32);
	if (last >= b->npages &&
	    rpm_warn(b->c,
		     "truncated: the last page is %" PRIu32
		     " but the file holds %" PRIu32 " pages",
		     last, b->npages))
		return CUSTOMS_ENOMEM;
	if (last < b->npages)
		b->npages = last + 1;
	return 1;
}

int rpm_bdb_each(struct rpm_ctx *c, const unsigned char *data, size_t len,
		 rpm_blob_fn fn)
{
	struct bdb b = { 0 };
	uint32_t pg;
	int rc;

	b.c = c;
	b.data = data;
	if (len < 16)
		return rpm_warn(c, "not a Berkeley DB hash database");
	b.be = u32(&b, data + 12) != HASH_MAGIC &&
	       u32(&b, data + 12) != BTREE_MAGIC;
	rc = meta(&b, len);
	if (rc <= 0)
		return rc;
	rc = 0;
	b.used = customs_calloc(b.npages, 1);
	if (!b.used)
		return CUSTOMS_ENOMEM;
	for (pg = 1; !rc && pg < b.npages; pg++) {
		unsigned char type = page(&b, pg)[25];

		if (type == P_HASH || type == P_HASH_UNSORTED)
			rc = hash_page(&b, pg, fn);
	}
	customs_free(b.used);
	customs_free(b.buf);
	return rc;
}
