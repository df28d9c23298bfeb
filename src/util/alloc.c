/*
 * Allocation wrappers. The failure knob is read once from the environment
 * (CUSTOMS_FAIL_ALLOC_AT=N fails the Nth allocation and every one after
 * it), so that tests can drive each error path deterministically.
 */
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "util/alloc.h"
#include "util/banned.h"

#if defined(__SANITIZE_ADDRESS__)
#define HUGE_FROM_MALLOC 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HUGE_FROM_MALLOC 1
#endif
#endif

static atomic_long alloc_count;
static long fail_at = -1;
static atomic_int fail_init;

static bool should_fail(void)
{
	if (atomic_load(&fail_init) == 0) {
		const char *s = getenv("CUSTOMS_FAIL_ALLOC_AT");
		char *end = NULL;
		long v = s ? strtol(s, &end, 10) : -1;

		fail_at = (s && end && *end == '\0' && v > 0) ? v : -1;
		atomic_store(&fail_init, 1);
	}
	if (fail_at < 0)
		return false;
	return atomic_fetch_add(&alloc_count, 1) + 1 >= fail_at;
}

void *customs_malloc(size_t n)
{
	if (should_fail())
		return NULL;
	return malloc(n ? n : 1);
}

void *customs_calloc(size_t n, size_t size)
{
	if (should_fail())
		return NULL;
	return calloc(n ? n : 1, size ? size : 1);
}

void *customs_realloc(void *p, size_t n)
{
	if (should_fail())
		return NULL;
	return realloc(p, n ? n : 1);
}

void *customs_reallocarray(void *p, size_t n, size_t size)
{
	size_t total;

	if (!customs_mul_ok(&total, n, size))
		return NULL;
	return customs_realloc(p, total);
}

char *customs_strndup(const char *s, size_t n)
{
	char *d;
	size_t len = strnlen(s, n);

	d = customs_malloc(len + 1);
	if (!d)
		return NULL;
	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

char *customs_strdup(const char *s)
{
	return customs_strndup(s, strlen(s));
}

void customs_free(void *p)
{
	free(p);
}

int customs_grow(void **arr, size_t *cap, size_t need, size_t elem)
{
	size_t ncap = *cap ? *cap : 8;
	void *p;

	if (need <= *cap)
		return 0;
	while (ncap < need) {
		if (!customs_mul_ok(&ncap, ncap, 2))
			return -1;
	}
	p = customs_reallocarray(*arr, ncap, elem);
	if (!p)
		return -1;
	*arr = p;
	*cap = ncap;
	return 0;
}

/*
 * Large tables straight from mmap, aligned to and rounded up to 2 MiB and
 * advised for transparent huge pages. A table of megabytes written at
 * random (the file index's hash map) otherwise takes a page fault on
 * nearly every 4 KiB page, and on a virtual machine a fault can cost
 * 10-25 us (measured on the project's machine). Under ASan the memory
 * comes from calloc so that overflows are still caught.
 */
#ifndef HUGE_FROM_MALLOC
#define HUGE_PAGE ((size_t)2 << 20)

static size_t huge_span(size_t n)
{
	return (n + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
}
#endif

void *customs_huge_alloc(size_t n)
{
#ifdef HUGE_FROM_MALLOC
	return customs_calloc(1, n);
#else
	size_t span = huge_span(n ? n : 1), lead;
	unsigned char *p, *a;

	if (span < n || span > SIZE_MAX - HUGE_PAGE || should_fail())
		return NULL;
	p = mmap(NULL, span + HUGE_PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	a = (unsigned char *)(((uintptr_t)p + HUGE_PAGE - 1) &
			      ~(uintptr_t)(HUGE_PAGE - 1));
	lead = (size_t)(a - p);
	if (lead)
		munmap(p, lead);
	munmap(a + span, HUGE_PAGE - lead);
	/* advice only: without transparent huge pages this is plain memory */
	madvise(a, span, MADV_HUGEPAGE);
	return a;
#endif
}

void customs_huge_free(void *p, size_t n)
{
#ifdef HUGE_FROM_MALLOC
	(void)n;
	customs_free(p);
#else
	if (p)
		munmap(p, huge_span(n ? n : 1));
#endif
}
