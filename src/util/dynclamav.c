/*
 * The libclamav table (dynclamav.h), filled once (dynlib_lazy) by
 * the first malware database opened. Every function clamav.h declares
 * that customs calls is listed in syms[] below; the static assertion
 * catches a member added to the table but not to the list.
 */

#include "util/dynclamav.h"
#include "util/dynlib.h"
#include "util/banned.h"

#define SYM(member, sym) DYNLIB_SYM(struct customs_clamav, member, sym)

static const struct dynlib_sym syms[] = {
	SYM(init, cl_init),
	SYM(set_clcb_msg, cl_set_clcb_msg),
	SYM(strerror, cl_strerror),
	SYM(retver, cl_retver),
	SYM(engine_new, cl_engine_new),
	SYM(engine_compile, cl_engine_compile),
	SYM(engine_free, cl_engine_free),
	SYM(engine_get_num, cl_engine_get_num),
	SYM(load, cl_load),
	SYM(fmap_open_memory, cl_fmap_open_memory),
	SYM(fmap_close, cl_fmap_close),
	SYM(scanmap_callback, cl_scanmap_callback),
};

_Static_assert(sizeof(struct customs_clamav) ==
		       sizeof(syms) / sizeof(syms[0]) * sizeof(void (*)(void)),
	       "every member of struct customs_clamav is in syms[]");

static struct customs_clamav table;
static struct dynlib_lazy lib =
	DYNLIB_LAZY_INIT(CUSTOMS_CLAMAV_SONAME, syms, table);

int customs_clamav_load(const char *who, struct customs_ctx *ctx)
{
	return dynlib_lazy_load(&lib, who, ctx);
}

const struct customs_clamav *customs_clamav_get(void)
{
	return dynlib_lazy_table(&lib);
}
