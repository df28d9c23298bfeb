/*
 * The libcurl table (dyncurl.h), filled once (dynlib_lazy) by the
 * first caller that needs libcurl. Every function curl.h declares that
 * customs calls is listed in syms[] below; the static assertion catches
 * a member added to the table but not to the list.
 */

#include "util/dyncurl.h"
#include "util/dynlib.h"
#include "util/banned.h"

#define SYM(member, sym) DYNLIB_SYM(struct customs_curl, member, sym)

static const struct dynlib_sym syms[] = {
	SYM(global_init, curl_global_init),
	SYM(global_cleanup, curl_global_cleanup),
	SYM(easy_init, curl_easy_init),
	SYM(easy_cleanup, curl_easy_cleanup),
	SYM(easy_reset, curl_easy_reset),
	SYM(easy_setopt, curl_easy_setopt),
	SYM(easy_perform, curl_easy_perform),
	SYM(easy_getinfo, curl_easy_getinfo),
	SYM(easy_strerror, curl_easy_strerror),
	SYM(easy_escape, curl_easy_escape),
	SYM(free, curl_free),
	SYM(slist_append, curl_slist_append),
	SYM(slist_free_all, curl_slist_free_all),
	SYM(getdate, curl_getdate),
};

_Static_assert(sizeof(struct customs_curl) ==
		       sizeof(syms) / sizeof(syms[0]) * sizeof(void (*)(void)),
	       "every member of struct customs_curl is in syms[]");

static struct customs_curl table;
static struct dynlib_lazy lib =
	DYNLIB_LAZY_INIT(CUSTOMS_CURL_SONAME, syms, table);

int customs_curl_load(const char *who, struct customs_ctx *ctx)
{
	return dynlib_lazy_load(&lib, who, ctx);
}

const struct customs_curl *customs_curl_get(void)
{
	return dynlib_lazy_table(&lib);
}
