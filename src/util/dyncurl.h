/*
 * libcurl, loaded on first use (util/dynlib.h): the functions customs
 * calls, as a table. Only the registry client and `customs db update`
 * need libcurl; every other command runs without loading it.
 */
#ifndef CUSTOMS_UTIL_DYNCURL_H
#define CUSTOMS_UTIL_DYNCURL_H

#include <curl/curl.h>

#include "customs/common.h"

/* Each pointer has the exact type of the function curl.h declares. */
struct customs_curl {
	__typeof__(curl_global_init) *global_init;
	__typeof__(curl_global_cleanup) *global_cleanup;
	__typeof__(curl_easy_init) *easy_init;
	__typeof__(curl_easy_cleanup) *easy_cleanup;
	__typeof__(curl_easy_reset) *easy_reset;
	__typeof__(curl_easy_setopt) *easy_setopt;
	__typeof__(curl_easy_perform) *easy_perform;
	__typeof__(curl_easy_getinfo) *easy_getinfo;
	__typeof__(curl_easy_strerror) *easy_strerror;
	__typeof__(curl_easy_escape) *easy_escape;
	__typeof__(curl_free) *free;
	__typeof__(curl_slist_append) *slist_append;
	__typeof__(curl_slist_free_all) *slist_free_all;
	__typeof__(curl_getdate) *getdate;
};

/**
 * Load libcurl (its SONAME, CUSTOMS_CURL_SONAME) unless it is loaded;
 * thread-safe. Returns 0, or CUSTOMS_EUNSUPPORTED with the message
 * "WHO: cannot load libcurl.so.4: REASON" on ctx; a failure is final for
 * the process. curl_global_init() stays the caller's.
 */
int customs_curl_load(const char *who, struct customs_ctx *ctx);

/** The table; only after customs_curl_load() has returned 0. */
const struct customs_curl *customs_curl_get(void);

#endif
