/*
 * The index of an uncompressed outer tar (docker save output, OCI
 * archives): member name -> (data offset, size, type, link target), so
 * that blobs are read in place with pread() and nothing is extracted.
 * Names are normalised ("./a//b/" -> "a/b"); when a name occurs twice
 * the last member wins, as when tar extracts.
 */
#ifndef CUSTOMS_IMAGE_TARINDEX_H
#define CUSTOMS_IMAGE_TARINDEX_H

#include <stdbool.h>
#include <stdint.h>

#include "customs/common.h"
#include "util/strmap.h"

/* Most symbolic links followed when looking a member up. */
#define TARINDEX_MAX_HOPS 16

struct tar_member {
	char *name; /* normalised */
	char *link; /* link target as stored, or NULL */
	uint64_t off; /* first data byte in the file */
	uint64_t size;
	char type; /* the typeflag: '0', '1' (hard link), '2' (symlink)... */
};

struct tarindex {
	struct tar_member *v;
	size_t n;
	size_t cap;
	struct strmap map; /* name -> member */
	uint64_t file_size;
};

/**
 * pread() exactly n bytes at off, retrying on EINTR and short reads.
 * Returns 0, or -1 with errno set (EIO at an unexpected end of file).
 */
int tarindex_pread(int fd, void *buf, size_t n, uint64_t off);

/**
 * True when h (512 bytes) has a valid header checksum: a cheap test of
 * whether a file is a tar at all.
 */
bool tarindex_header_ok(const unsigned char *h);

/**
 * Index the tar in fd (file_size bytes). label names the archive in
 * messages ("docker-archive 'app.tar'"). lim bounds the entry count
 * (max_entries) and name lengths (max_path_len). Returns 0, or
 * CUSTOMS_EFORMAT (bad checksum, size field, pax record, member beyond
 * the end of the file), CUSTOMS_ELIMIT, CUSTOMS_EIO, CUSTOMS_ENOMEM with
 * the message on ctx. *out is freed with tarindex_free().
 */
int tarindex_build(struct tarindex **out, int fd, uint64_t file_size,
		   const char *label, const struct customs_limits *lim,
		   struct customs_ctx *ctx);

/** Free an index; accepts NULL. */
void tarindex_free(struct tarindex *t);

/**
 * Look up the regular file called name, following symbolic and hard
 * links (at most TARINDEX_MAX_HOPS) inside the archive only. Returns 0,
 * or CUSTOMS_ENOTFOUND, CUSTOMS_EFORMAT (a link leaves the archive, or
 * the member is not a regular file), CUSTOMS_ELOOP, CUSTOMS_ENOMEM; *why
 * then gets a static reason for the caller's message. Sets no message.
 */
int tarindex_find(const struct tarindex *t, const char *name,
		  const struct tar_member **out, const char **why);

/**
 * Normalise a member name in place: strip leading "/" and "./", collapse
 * "//" and "/./", drop a trailing "/". ".." is kept.
 */
void tarindex_normalize(char *name);

#endif
