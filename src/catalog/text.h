/*
 * Checks on text taken from package files before it becomes a package
 * fact. Shared by the language catalogers.
 */
#ifndef CUSTOMS_CATALOG_TEXT_H
#define CUSTOMS_CATALOG_TEXT_H

#include <stdbool.h>
#include <stddef.h>

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

#endif
