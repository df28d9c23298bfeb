/*
 * Prepared mappings cached in a bundle (prepare.c).
 */
#ifndef CUSTOMS_POLICY_PREPARE_H
#define CUSTOMS_POLICY_PREPARE_H

#include "policy/bundle_int.h"
#include "policy/whitelist.h"

struct prep;

/* The prepared form of mapping map of bundle b, built on first use. */
int prep_get(const struct prep **out, const struct customs_policy_bundle *b,
	     const json_t *map, struct customs_ctx *ctx);
const struct built *prep_built(const struct prep *p);
/* One index per prep_built(p)->wls; NULL when the build had errors. */
const struct wlidx *prep_index(const struct prep *p);
/* A copy of the build's problems into *out (release it). */
int prep_problems(const struct prep *p, struct customs_policy_problems *out);
void preps_free(struct customs_policy_bundle *b);

#endif
