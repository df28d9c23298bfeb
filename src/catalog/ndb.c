/*
 * rpm's NDB package file (Packages.db, backend "ndb", rpmpkg.c in rpm).
 * All integers are little-endian; the file is made of 16-byte blocks:
 *
 *   header (32 bytes)  "RpmP", version 0, generation, slot pages, next idx
 *   slot pages         (slot pages * 4096 bytes, the first 32 bytes being
 *                      the header) of 16-byte slots: "Slot", package
 *                      index, block offset, block count; offset 0 = free
 *   blobs              at block offset * 16: "BlbS", package index,
 *                      generation, length; the header blob; zero padding;
 *                      then adler32 (of everything before it), length,
 *                      "BlbE", ending exactly at the slot's last block
 *
 * Every slot is checked against the file before its blob is read: blobs
 * must start after the slot area and end inside the file, and the blob
 * head and tail must agree with the slot. A bad slot or blob is a
 * warning and the walk goes on. rpm itself does not verify the checksum
 * when it reads a package; here a mismatch is reported but the header is
 * still parsed (the header parser checks its own structure).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "catalog/rpmdb_int.h"
#include "util/banned.h"

#define NDB_PAGE 4096u
#define NDB_BLK 16u
#define NDB_SLOT 16u
#define NDB_HEADER 32u
#define NDB_HEAD 16u
#define NDB_TAIL 12u

struct ndb {
	struct rpm_ctx *c;
	const unsigned char *data;
	size_t len;
	uint64_t fileblks;
	uint64_t minblk; /* first block after the slot pages */
};

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[1] << 8 | p[0];
}

static uint32_t adler32(uint32_t adler, const unsigned char *p, size_t n)
{
	uint32_t s1 = adler & 0xffff, s2 = adler >> 16;

	while (n) {
		size_t k = n < 5552 ? n : 5552;

		n -= k;
		while (k--) {
			s1 += *p++;
			s2 += s1;
		}
		s1 %= 65521;
		s2 %= 65521;
	}
	return s2 << 16 | s1;
}

/* The blob of one used slot; where names it. */
static int blob(struct ndb *d, uint32_t pkgidx, uint32_t blkoff,
		uint32_t blkcnt, const char *where, rpm_blob_fn fn)
{
	const unsigned char *b, *tail;
	uint64_t size, need;
	uint32_t bloblen;

	if (!pkgidx || blkcnt < (NDB_HEAD + NDB_TAIL + NDB_BLK - 1) / NDB_BLK)
		return rpm_warn(d->c,
				"%s: bad slot (index %" PRIu32 ", %" PRIu32
				" blocks)",
				where, pkgidx, blkcnt);
	if (blkoff < d->minblk || (uint64_t)blkoff + blkcnt > d->fileblks)
		return rpm_warn(d->c,
				"%s: blob at block %" PRIu32 " (+%" PRIu32
				") is outside the file's blob area",
				where, blkoff, blkcnt);
	b = d->data + (size_t)blkoff * NDB_BLK;
	size = (uint64_t)blkcnt * NDB_BLK;
	if (memcmp(b, "BlbS", 4) || le32(b + 4) != pkgidx)
		return rpm_warn(d->c, "%s: bad blob head", where);
	bloblen = le32(b + 12);
	need = ((uint64_t)NDB_HEAD + bloblen + NDB_TAIL + NDB_BLK - 1) /
	       NDB_BLK;
	if (need != blkcnt)
		return rpm_warn(d->c,
				"%s: blob length %" PRIu32
				" does not fill its %" PRIu32 " blocks",
				where, bloblen, blkcnt);
	tail = b + size - NDB_TAIL;
	if (le32(tail + 4) != bloblen || memcmp(tail + 8, "BlbE", 4))
		return rpm_warn(d->c, "%s: bad blob tail", where);
	if (adler32(1, b, size - NDB_TAIL) != le32(tail) &&
	    rpm_warn(d->c, "%s: blob checksum mismatch", where))
		return CUSTOMS_ENOMEM;
	return fn(d->c, b + NDB_HEAD, bloblen, where);
}

static int slot(struct ndb *d, uint64_t slotno, rpm_blob_fn fn)
{
	const unsigned char *s = d->data + slotno * NDB_SLOT;
	uint32_t pkgidx, blkoff, blkcnt;
	char where[64];

	if (memcmp(s, "Slot", 4))
		return rpm_warn(d->c, "slot %" PRIu64 ": bad slot magic",
				slotno);
	pkgidx = le32(s + 4);
	blkoff = le32(s + 8);
	blkcnt = le32(s + 12);
	if (!blkoff)
		return 0; /* free */
	snprintf(where, sizeof(where), "package index %" PRIu32, pkgidx);
	return blob(d, pkgidx, blkoff, blkcnt, where, fn);
}

int rpm_ndb_each(struct rpm_ctx *c, const unsigned char *data, size_t len,
		 rpm_blob_fn fn)
{
	struct ndb d = { c, data, len, len / NDB_BLK, 0 };
	uint64_t slotnpages, nslots, i;
	int rc = 0;

	if (len < NDB_HEADER || memcmp(data, "RpmP", 4))
		return rpm_warn(c, "not an NDB package file");
	if (le32(data + 4) != 0)
		return rpm_warn(c, "NDB version %" PRIu32 " is not supported",
				le32(data + 4));
	slotnpages = le32(data + 12);
	if (!slotnpages)
		return rpm_warn(c, "NDB header names no slot pages");
	if (slotnpages * NDB_PAGE > len) {
		rc = rpm_warn(c,
			      "NDB slot area (%" PRIu64
			      " pages) runs past the end of the file",
			      slotnpages);
		slotnpages = len / NDB_PAGE;
	}
	d.minblk = slotnpages * (NDB_PAGE / NDB_BLK);
	nslots = slotnpages * (NDB_PAGE / NDB_SLOT);
	for (i = NDB_HEADER / NDB_SLOT; !rc && i < nslots; i++)
		rc = slot(&d, i, fn);
	return rc;
}
