/*
 * Allocation wrappers and overflow-checked size arithmetic. All customs
 * allocations go through these so that a test can fail the Nth one
 * (CUSTOMS_FAIL_ALLOC_AT=N in the environment) and walk every error path.
 */
#ifndef CUSTOMS_UTIL_ALLOC_H
#define CUSTOMS_UTIL_ALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void *customs_malloc(size_t n);
void *customs_calloc(size_t n, size_t size);
void *customs_realloc(void *p, size_t n);
/** realloc to n * size elements, failing (NULL) on overflow. */
void *customs_reallocarray(void *p, size_t n, size_t size);
char *customs_strdup(const char *s);
char *customs_strndup(const char *s, size_t n);
void customs_free(void *p);

/**
 * n zeroed bytes for a large table written all over (a big hash map),
 * backed by transparent huge pages where the system has them: few page
 * faults however randomly it is written. Everything up to the next
 * 2 MiB may become resident, so not for memory used only in part. Free
 * with customs_huge_free() and the same n; NULL on no memory. Worth it
 * from CUSTOMS_HUGE_MIN bytes.
 */
void *customs_huge_alloc(size_t n);
void customs_huge_free(void *p, size_t n);
#define CUSTOMS_HUGE_MIN ((size_t)2 << 20)

/** a + b into *out; false on overflow. */
static inline bool customs_add_ok(size_t *out, size_t a, size_t b)
{
	return !__builtin_add_overflow(a, b, out);
}

/** a * b into *out; false on overflow. */
static inline bool customs_mul_ok(size_t *out, size_t a, size_t b)
{
	return !__builtin_mul_overflow(a, b, out);
}

/**
 * Grow *arr (of *cap elements of size elem) so it holds at least need
 * elements, doubling. Returns 0 or -1 (overflow or no memory).
 */
int customs_grow(void **arr, size_t *cap, size_t need, size_t elem);

#define CUSTOMS_GROW(arr, cap, need) \
	customs_grow((void **)&(arr), &(cap), (need), sizeof(*(arr)))

#endif
