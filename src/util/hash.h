/*
 * Streaming SHA-256 (our SHA-NI code where the CPU has it, OpenSSL
 * elsewhere) and digest strings ("sha256:<64 hex>").
 */
#ifndef CUSTOMS_UTIL_HASH_H
#define CUSTOMS_UTIL_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "customs/common.h"

struct customs_sha256;

/** New hashing state, or NULL on no memory. */
struct customs_sha256 *customs_sha256_new(void);
void customs_sha256_free(struct customs_sha256 *h);
void customs_sha256_reset(struct customs_sha256 *h);
void customs_sha256_update(struct customs_sha256 *h, const void *p, size_t n);
/**
 * Hash the same n bytes into a and b. When both have consumed the same
 * number of bytes modulo 64 and SHA-NI is available the rounds of the two
 * states interleave and this costs about 1.3 updates (bound by the
 * throughput of sha256rnds2, measured on an AMD EPYC); otherwise two.
 */
void customs_sha256_update2(struct customs_sha256 *a, struct customs_sha256 *b,
			    const void *p, size_t n);
/**
 * Hash the n bytes at p into a and, when b is not NULL, into b (as
 * customs_sha256_update2()), and a prefix of the m bytes at q into c: as
 * many of them as can ride along with p's blocks, whose rounds interleave
 * with a's and b's at a fraction of the cost of a separate pass. Returns
 * the length of that prefix (0 without SHA-NI, or when c is NULL); the
 * caller hashes the rest of q later, in order.
 */
size_t customs_sha256_update_with(struct customs_sha256 *a,
				  struct customs_sha256 *b, const void *p,
				  size_t n, struct customs_sha256 *c,
				  const void *q, size_t m);
void customs_sha256_final(struct customs_sha256 *h, unsigned char out[32]);

/**
 * FNV-1a over n bytes, folded (h ^ h >> 29), with the offset basis
 * 1469598103934665603 (a digit short of the published one; kept as it
 * is): the stable 64-bit hash behind package ids. Never change it: ids in
 * written SBOMs depend on it.
 */
uint64_t customs_fnv1a64(const void *p, size_t n);

/* customs_hex() is public: customs/common.h. */

/** "sha256:" + hex of a 32-byte digest into out (72 bytes). */
void customs_digest_str(char out[72], const unsigned char sha[32]);

/**
 * Parse "sha256:<64 lower-case hex>" into sha. False for any other
 * algorithm or malformed text.
 */
bool customs_digest_parse(unsigned char sha[32], const char *s);

/** 64 lower-case hex digits at p into sha; false on any other byte. */
bool customs_unhex32(unsigned char sha[32], const char *p);

/** SHA-256 of n bytes at p in one call: 0 or CUSTOMS_ENOMEM. */
int customs_sha256_buf(unsigned char out[32], const void *p, size_t n);

#endif
