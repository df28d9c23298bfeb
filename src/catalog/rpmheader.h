/*
 * RPM header blobs, as the rpm databases store them (headerExport): a
 * big-endian count of index entries (il) and of data-store bytes (dl),
 * il 16-byte entries (tag, type, offset, count) and the data store.
 * Nothing is copied: accessors return slices into the blob after checking
 * that what they return lies inside the data store.
 */
#ifndef CUSTOMS_CATALOG_RPMHEADER_H
#define CUSTOMS_CATALOG_RPMHEADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/* rpm's own caps (header_internal.h): more is a broken header. */
#define RPMHDR_MAX_TAGS 0xffffu
#define RPMHDR_MAX_DATA 0x0fffffffu

/* Tag types. */
enum {
	RPM_NULL_TYPE = 0,
	RPM_CHAR_TYPE = 1,
	RPM_INT8_TYPE = 2,
	RPM_INT16_TYPE = 3,
	RPM_INT32_TYPE = 4,
	RPM_INT64_TYPE = 5,
	RPM_STRING_TYPE = 6,
	RPM_BIN_TYPE = 7,
	RPM_STRING_ARRAY_TYPE = 8,
	RPM_I18NSTRING_TYPE = 9,
};

/* The tags the cataloger reads (rpmtag.h). */
enum {
	RPMTAG_NAME = 1000,
	RPMTAG_VERSION = 1001,
	RPMTAG_RELEASE = 1002,
	RPMTAG_EPOCH = 1003,
	RPMTAG_SIZE = 1009,
	RPMTAG_VENDOR = 1011,
	RPMTAG_LICENSE = 1014,
	RPMTAG_ARCH = 1022,
	RPMTAG_OLDFILENAMES = 1027,
	RPMTAG_FILEDIGESTS = 1035,
	RPMTAG_FILEFLAGS = 1037,
	RPMTAG_SOURCERPM = 1044,
	RPMTAG_DIRINDEXES = 1116,
	RPMTAG_BASENAMES = 1117,
	RPMTAG_DIRNAMES = 1118,
	RPMTAG_LONGSIZE = 5009,
	RPMTAG_FILEDIGESTALGO = 5011,
	RPMTAG_MODULARITYLABEL = 5096,
};

#define RPMFILE_CONFIG 0x1u

struct rpmhdr {
	const unsigned char *index; /* il entries of 16 bytes */
	const unsigned char *store; /* dl bytes */
	uint32_t il;
	uint32_t dl;
};

/* An array entry's elements, checked to lie inside the store. */
struct rpmhdr_array {
	const unsigned char *p; /* first element */
	size_t left; /* store bytes from p to the end (strings) */
	uint32_t count;
	uint32_t type;
};

/*
 * Check the blob's framing (counts, sizes) and point h into it. Trailing
 * bytes after the data store are ignored. Returns 0, or -1 with *why set
 * to a static description of the problem.
 */
int rpmhdr_init(struct rpmhdr *h, const unsigned char *blob, size_t len,
		const char **why);

/*
 * The string value of tag (STRING, I18NSTRING: the first translation, or
 * a one-element STRING_ARRAY). Returns 1 found, 0 absent, -1 malformed
 * (*why set).
 */
int rpmhdr_string(const struct rpmhdr *h, uint32_t tag, struct cslice *out,
		  const char **why);

/*
 * The first element of an integer tag (INT8..INT64, CHAR). Returns 1, 0
 * or -1 as rpmhdr_string.
 */
int rpmhdr_uint(const struct rpmhdr *h, uint32_t tag, uint64_t *out,
		const char **why);

/*
 * The elements of an array tag of the given type (STRING_ARRAY or
 * INT32): for INT32 every element is inside the store; for strings the
 * walk checks each one (rpmhdr_next_string). Returns 1, 0 or -1.
 */
int rpmhdr_array(const struct rpmhdr *h, uint32_t tag, uint32_t type,
		 struct rpmhdr_array *out, const char **why);

/* Element i of an INT32 array (i < count). */
uint32_t rpmhdr_u32_at(const struct rpmhdr_array *a, uint32_t i);

/*
 * The next string of a STRING_ARRAY walk: false when the store ends
 * before its NUL (the array is malformed), else *s is set and a
 * advances.
 */
bool rpmhdr_next_string(struct rpmhdr_array *a, struct cslice *s);

#endif
