/*
 * Allocation wrappers. The failure knob is read once from the environment
 * (CUSTOMS_FAIL_ALLOC_AT=N fails the Nth allocation and every one after
 * it), so that tests can drive each error path deterministically.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/banned.h"

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
