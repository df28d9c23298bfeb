/*
 * SHA-256 compression with the x86 SHA extensions. The two-state variant
 * hashes the same blocks into two independent states: the message
 * schedule is computed once and the rounds of the two states interleave,
 * which hides the latency of sha256rnds2, so on current CPUs two hashes of
 * the same bytes (a layer's diffID and the file being read) cost about as
 * much as one.
 */
#ifndef CUSTOMS_UTIL_SHA256NI_H
#define CUSTOMS_UTIL_SHA256NI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** True when the CPU has the SHA extensions (and SSE4.1). */
bool sha256ni_available(void);

/** Compress n 64-byte blocks into st. Only when sha256ni_available(). */
void sha256ni_blocks(uint32_t st[8], const unsigned char *p, size_t n);

/** Compress the same n blocks into a and b. */
void sha256ni_blocks2(uint32_t a[8], uint32_t b[8], const unsigned char *p,
		      size_t n);

/**
 * Compress the n blocks at p into a and, when b is not NULL, b, and the n
 * blocks at q into c, interleaved.
 */
void sha256ni_blocks3(uint32_t a[8], uint32_t b[8], const unsigned char *p,
		      uint32_t c[8], const unsigned char *q, size_t n);

#endif
