/*
 * One place that points jansson's global allocator at ours: every module
 * that parses JSON (manifests, package files, SBOMs) calls it first.
 */
#include <pthread.h>
#include <jansson.h>

#include "util/alloc.h"
#include "util/jsonalloc.h"
#include "util/banned.h"

static void set_allocator(void)
{
	json_set_alloc_funcs(customs_malloc, customs_free);
}

void customs_json_alloc_init(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, set_allocator);
}
