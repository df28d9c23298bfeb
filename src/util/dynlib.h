/*
 * Opening a shared library on first use and resolving its functions into
 * a table of function pointers (the loader behind util/dyncurl.h and
 * util/dynclamav.h).
 */
#ifndef CUSTOMS_UTIL_DYNLIB_H
#define CUSTOMS_UTIL_DYNLIB_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "customs/common.h"

/* Room for the reason a library could not be loaded (dlerror's text). */
#define DYNLIB_WHY_MAX 512

/* One function to resolve: its name and where its pointer goes. */
struct dynlib_sym {
	const char *name;
	size_t offset; /* of the pointer in the table */
};

/* An entry of a table of type T whose member MEMBER holds function SYM. */
#define DYNLIB_SYM(T, member, sym)                          \
	{                                                   \
		.name = #sym, .offset = offsetof(T, member) \
	}

/**
 * dlopen() soname and store the address of each of the n functions of
 * syms into table. Returns 0; or -1 with why (size DYNLIB_WHY_MAX) saying
 * what failed, the library closed again and the table's slots NULL. Not
 * thread-safe: callers run it under pthread_once(). The environment knob
 * CUSTOMS_FAIL_DYNLIB=NAME makes it fail as if the library (NAME is the
 * soname) or one of its functions (NAME is its symbol) were missing, so
 * that tests can reach the error paths.
 */
int dynlib_load(const char *soname, const struct dynlib_sym *syms, size_t n,
		void *table, char *why);

/* A library loaded on first use into its table (a static per library:
 * DYNLIB_LAZY_INIT). The first load is the only attempt: a failure is
 * final for the process, and so is a success (never unloaded). */
struct dynlib_lazy {
	const char *soname;
	const struct dynlib_sym *syms;
	size_t n;
	void *table;
	pthread_mutex_t mu;
	bool tried, loaded;
	char why[DYNLIB_WHY_MAX];
};

#define DYNLIB_LAZY_INIT(so, symtab, tab)                                   \
	{                                                                   \
		.soname = (so), .syms = (symtab),                           \
		.n = sizeof(symtab) / sizeof((symtab)[0]), .table = &(tab), \
		.mu = PTHREAD_MUTEX_INITIALIZER                             \
	}

/**
 * Load l unless it is loaded; thread-safe. Returns 0, or
 * CUSTOMS_EUNSUPPORTED with "WHO: cannot load SONAME: REASON" on ctx.
 */
int dynlib_lazy_load(struct dynlib_lazy *l, const char *who,
		     struct customs_ctx *ctx);
/** l's table; only after dynlib_lazy_load() has returned 0. */
const void *dynlib_lazy_table(struct dynlib_lazy *l);

#endif
