/*
 * Small checks shared by the language catalogers: text taken from
 * package files before it becomes a package fact, and the cap on the
 * packages one file may produce.
 */
#ifndef CUSTOMS_CATALOG_LANG_H
#define CUSTOMS_CATALOG_LANG_H

#include <stdbool.h>
#include <stddef.h>

#include "catalog/catalog_int.h"

/*
 * Is p[0..n) non-empty and free of control bytes (NUL, C0, DEL)? A name
 * or version that is not could be neither printed nor matched; it is
 * refused with a warning rather than cut at the first NUL.
 */
static inline bool cat_printable(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f)
			return false;
	}
	return n > 0;
}

/*
 * Count one more package of a file against max. True while there is
 * room; the first refusal adds a warning (*rc is CUSTOMS_ENOMEM if that
 * fails), later ones are silent.
 */
static inline bool cat_room(size_t *n, size_t max, struct cat_result *res,
			    int *rc)
{
	if (*n < max) {
		++*n;
		return true;
	}
	if (*n == max) {
		++*n;
		*rc = cat_warn(res,
			       "more than %zu packages: the rest is ignored",
			       max);
	}
	return false;
}

#endif
