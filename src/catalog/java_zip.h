/*
 * A zip reader over bytes in memory, for Java archives (jar, war, ear,
 * ...). Only the central directory is trusted for the member list; every
 * offset and size is checked against the buffer before use, and every
 * inflate is capped (per member, per member ratio, and a budget shared by
 * all archives read from one file), so a hostile archive costs at most
 * the caps, never an unbounded allocation.
 */
#ifndef CUSTOMS_CATALOG_JAVA_ZIP_H
#define CUSTOMS_CATALOG_JAVA_ZIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"

/*
 * Member bytes one file may read in all (inflated or stored, so a member
 * listed many times costs each time), nested archives included.
 */
struct jzip_budget {
	uint64_t used;
	uint64_t max;
};

struct jzip_member {
	const char *name; /* NUL-terminated copy (arena) */
	size_t name_len;
	uint16_t method; /* 0 stored, 8 deflate */
	uint16_t flags;
	uint32_t crc;
	uint64_t csize;
	uint64_t usize;
	uint64_t local_off;
};

struct jzip {
	const unsigned char *data;
	size_t len;
	struct jzip_member *m;
	size_t n;
	size_t cap;
	bool capped; /* more members than JZIP_MAX_MEMBERS; the rest ignored */
	struct arena arena;
	struct jzip_budget *budget;
	void *inflate; /* struct inflate_state, allocated on first use */
};

#define JZIP_MAX_MEMBERS 200000u
#define JZIP_MAX_MEMBER_BYTES (256u << 20)
/* compressed:uncompressed above this many bytes must stay below RATIO */
#define JZIP_RATIO_FLOOR (1u << 20)
#define JZIP_MAX_RATIO 200u

/*
 * Read the central directory of the len bytes at data. Returns 0,
 * CUSTOMS_EFORMAT with *why set (a static string: not a zip, truncated,
 * ...) or CUSTOMS_ENOMEM. On EFORMAT the members read so far are kept, so
 * a caller may still use them. Release with jzip_close() in every case.
 */
int jzip_open(struct jzip *z, const unsigned char *data, size_t len,
	      struct jzip_budget *budget, const char **why);

void jzip_close(struct jzip *z);

/*
 * The content of member i: *out points into the archive (stored members)
 * or at a new buffer also returned in *owned (caller frees with
 * customs_free). Returns 0, CUSTOMS_EFORMAT (corrupt, encrypted,
 * unsupported method), CUSTOMS_ELIMIT (a cap) with *why set, or
 * CUSTOMS_ENOMEM.
 */
int jzip_read(struct jzip *z, size_t i, const unsigned char **out, size_t *len,
	      unsigned char **owned, const char **why);

/* Does the member name escape its root ("../x", "/x", "a/../../x")? */
bool jzip_name_unsafe(const char *name, size_t n);

#endif
