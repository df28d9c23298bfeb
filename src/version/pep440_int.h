/*
 * Shared by pep440.c (versions) and pep440spec.c (specifier sets).
 */
#ifndef CUSTOMS_VERSION_PEP440_INT_H
#define CUSTOMS_VERSION_PEP440_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

struct customs_ctx;

/* A parsed version; slices point into the parsed string. */
struct pep {
	struct cslice epoch, rel, pre_n, post_n, dev_n, local;
	int pre_l; /* 0 a, 1 b, 2 rc; -1 none */
	bool post, dev, has_local;
};

/* Parse s[0..n); wildcard (may be NULL) accepts and reports ".*". */
bool pep_parse(struct pep *v, const char *s, size_t n, bool *wildcard);
/* pep_parse of a NUL-terminated s, or CUSTOMS_EFORMAT with a message. */
int pep_parse_err(struct pep *v, const char *s, struct customs_ctx *ctx);
/* packaging's order; with_local false compares the public parts only. */
int pep_order(const struct pep *a, const struct pep *b, bool with_local);
/* Releases padded with zeros, the first limit numbers only. */
int pep_rel_cmp(struct cslice a, struct cslice b, size_t limit);
/* The next dot-separated number of *rel ("0" past the end). */
struct cslice pep_next_num(struct cslice *rel);

#endif
