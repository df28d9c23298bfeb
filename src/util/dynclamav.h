/*
 * libclamav, loaded on first use (util/dynlib.h): the functions customs
 * calls, as a table. Only the malware scan (--malware-db) needs it. Built
 * only with CUSTOMS_HAVE_CLAMAV.
 */
#ifndef CUSTOMS_UTIL_DYNCLAMAV_H
#define CUSTOMS_UTIL_DYNCLAMAV_H

#include <clamav.h>

#include "customs/common.h"

/* Each pointer has the exact type of the function clamav.h declares. */
struct customs_clamav {
	__typeof__(cl_init) *init;
	__typeof__(cl_set_clcb_msg) *set_clcb_msg;
	__typeof__(cl_strerror) *strerror;
	__typeof__(cl_retver) *retver;
	__typeof__(cl_engine_new) *engine_new;
	__typeof__(cl_engine_compile) *engine_compile;
	__typeof__(cl_engine_free) *engine_free;
	__typeof__(cl_engine_get_num) *engine_get_num;
	__typeof__(cl_load) *load;
	__typeof__(cl_fmap_open_memory) *fmap_open_memory;
	__typeof__(cl_fmap_close) *fmap_close;
	__typeof__(cl_scanmap_callback) *scanmap_callback;
};

/**
 * Load libclamav (its SONAME, CUSTOMS_CLAMAV_SONAME) unless it is loaded;
 * thread-safe. Returns 0, or CUSTOMS_EUNSUPPORTED with the message
 * "WHO: cannot load libclamav.so.12: REASON" on ctx; a failure is final
 * for the process. cl_init() stays the caller's.
 */
int customs_clamav_load(const char *who, struct customs_ctx *ctx);

/** The table; only after customs_clamav_load() has returned 0. */
const struct customs_clamav *customs_clamav_get(void);

#endif
