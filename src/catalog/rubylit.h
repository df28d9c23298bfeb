/*
 * Ruby literals as installed gemspecs write them: strings ("..." with
 * escapes and #{} kept as text, '...', %q{...}), arrays of those over
 * several lines, Gem::Version.new(...) around a string, and the
 * .freeze/.dup/.to_s calls after any of them. Nothing is evaluated.
 */
#ifndef CUSTOMS_CATALOG_RUBYLIT_H
#define CUSTOMS_CATALOG_RUBYLIT_H

#include <stdbool.h>
#include <stddef.h>

#include "customs/common.h"

#define RUBYLIT_MAX_ITEMS 100000u /* strings in one array */
#define RUBYLIT_MAX_DEPTH 8 /* nested arrays */

/* A cursor over the source; line counts the newlines passed (1-based). */
struct rubylit {
	const char *p;
	const char *end;
	size_t line;
};

/*
 * Read the literal at r->p into out (strings appended in order; nested
 * arrays flattened) and move r->p past it. Returns 0, CUSTOMS_EFORMAT
 * (not a literal this reads; r->p is left somewhere on the line), or
 * CUSTOMS_ENOMEM.
 */
int rubylit_read(struct rubylit *r, struct customs_strlist *out);

#endif
