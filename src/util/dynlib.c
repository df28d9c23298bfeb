/*
 * The lazy loader (dynlib.h). A library is opened by its SONAME, found by
 * the build from the library it compiles against, never by a path: the
 * dynamic loader searches for it as it would have at start-up. RTLD_NOW
 * makes a library with unresolvable dependencies fail here, with a
 * message, instead of at some later call. A library once loaded stays
 * loaded for the life of the process (libcurl and libclamav keep global
 * state), and a table is either complete or all NULL.
 *
 * dynlib_lazy wraps that for one library loaded on first use: the
 * attempt is made once, under the library's mutex, and its outcome kept.
 *
 * POSIX lets the object pointer dlsym() returns be converted to a
 * function pointer; ISO C does not say so, hence the copy of the bytes
 * into the table's slot, which has the same size (asserted below).
 */
#include <assert.h>
#include <dlfcn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/dynlib.h"
#include "util/error.h"
#include "util/banned.h"

_Static_assert(sizeof(void *) == sizeof(void (*)(void)),
	       "function pointers are stored from dlsym's void *");

/* The test knob: true when NAME is the one CUSTOMS_FAIL_DYNLIB names. */
static bool knob_fails(const char *name)
{
	const char *v = getenv("CUSTOMS_FAIL_DYNLIB");

	return v && !strcmp(v, name);
}

static void set_slot(void *table, size_t offset, void *p)
{
	memcpy((char *)table + offset, &p, sizeof(p));
}

int dynlib_load(const char *soname, const struct dynlib_sym *syms, size_t n,
		void *table, char *why)
{
	void *h = NULL, *p;
	size_t i;

	if (knob_fails(soname)) {
		snprintf(why, DYNLIB_WHY_MAX,
			 "disabled by CUSTOMS_FAIL_DYNLIB");
		return -1;
	}
	h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		snprintf(why, DYNLIB_WHY_MAX, "%s", dlerror());
		return -1;
	}
	for (i = 0; i < n; i++) {
		p = knob_fails(syms[i].name) ? NULL : dlsym(h, syms[i].name);
		if (!p)
			break;
		set_slot(table, syms[i].offset, p);
	}
	if (i == n)
		return 0;
	if (knob_fails(syms[i].name))
		snprintf(why, DYNLIB_WHY_MAX,
			 "%s: disabled by CUSTOMS_FAIL_DYNLIB", syms[i].name);
	else
		snprintf(why, DYNLIB_WHY_MAX, "undefined symbol %s",
			 syms[i].name);
	while (i-- > 0)
		set_slot(table, syms[i].offset, NULL);
	dlclose(h);
	return -1;
}

int dynlib_lazy_load(struct dynlib_lazy *l, const char *who,
		     struct customs_ctx *ctx)
{
	bool loaded;

	pthread_mutex_lock(&l->mu);
	if (!l->tried) {
		l->loaded = !dynlib_load(l->soname, l->syms, l->n, l->table,
					 l->why);
		l->tried = true;
	}
	loaded = l->loaded;
	pthread_mutex_unlock(&l->mu);
	if (!loaded)
		return customs_error(ctx, CUSTOMS_EUNSUPPORTED,
				     "%s: cannot load %s: %s", who, l->soname,
				     l->why);
	return 0;
}

const void *dynlib_lazy_table(struct dynlib_lazy *l)
{
	bool loaded;

	pthread_mutex_lock(&l->mu); /* orders the reads after the load */
	loaded = l->loaded;
	pthread_mutex_unlock(&l->mu);
	assert(loaded);
	(void)loaded; /* without assertions */
	return l->table;
}
