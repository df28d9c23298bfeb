/*
 * jansson allocates through customs_malloc/customs_free, so the
 * failing-allocation tests (CUSTOMS_FAIL_ALLOC_AT) reach its error paths
 * too. Call before any jansson use; cheap after the first call.
 */
#ifndef CUSTOMS_UTIL_JSONALLOC_H
#define CUSTOMS_UTIL_JSONALLOC_H

void customs_json_alloc_init(void);

#endif
