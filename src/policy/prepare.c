/*
 * Prepared mappings: the compiled policies, whitelists and whitelist
 * indexes of one mapping, built the first time an evaluation selects the
 * mapping and kept in the bundle, so evaluating many images (or one image
 * many times) against a bundle with a large whitelist pays for the index
 * once. A prepared mapping never changes after it is built; whitelist
 * expiry is checked when an item is matched, not when it is indexed. The
 * list of prepared mappings is guarded by the bundle's mutex and only
 * grows, so a pointer handed out stays valid until the bundle is freed.
 */
#include <string.h>

#include "policy/prepare.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/banned.h"

struct prep {
	struct prep *next;
	const json_t *map;
	struct built bd;
	struct customs_policy_problems ps;
	struct wlidx *idx;
};

static void prep_free(struct prep *p)
{
	size_t i;

	for (i = 0; p->idx && i < p->bd.nwls; i++)
		wlidx_release(&p->idx[i]);
	customs_free(p->idx);
	customs_policy_problems_release(&p->ps);
	built_release(&p->bd);
	customs_free(p);
}

void preps_free(struct customs_policy_bundle *b)
{
	struct prep *p = b->preps, *next;

	for (; p; p = next) {
		next = p->next;
		prep_free(p);
	}
	b->preps = NULL;
}

static int prep_build(struct prep **out, const struct customs_policy_bundle *b,
		      const json_t *map, struct customs_ctx *ctx)
{
	struct prep *p = customs_calloc(1, sizeof(*p));
	size_t i;
	int rc = 0;

	*out = NULL;
	if (!p)
		return customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	p->map = map;
	p->bd.problems = &p->ps;
	build_mapping(&p->bd, b->root, map, false);
	if (p->bd.err)
		rc = customs_error(ctx, p->bd.err, "out of memory");
	if (!rc && !p->bd.nerrors) {
		p->idx = customs_calloc(p->bd.nwls + 1, sizeof(*p->idx));
		if (!p->idx)
			rc = customs_error(ctx, CUSTOMS_ENOMEM,
					   "out of memory");
		for (i = 0; !rc && i < p->bd.nwls; i++)
			rc = wlidx_build(&p->idx[i], &p->bd.wls[i], ctx);
	}
	if (rc) {
		prep_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

int prep_get(const struct prep **out, const struct customs_policy_bundle *cb,
	     const json_t *map, struct customs_ctx *ctx)
{
	/* the cache is not part of the bundle's value */
	struct customs_policy_bundle *b = (struct customs_policy_bundle *)cb;
	struct prep *p;
	int rc = 0;

	pthread_mutex_lock(&b->lock);
	for (p = b->preps; p && p->map != map; p = p->next)
		;
	if (!p) {
		rc = prep_build(&p, b, map, ctx);
		if (!rc) {
			p->next = b->preps;
			b->preps = p;
		}
	}
	pthread_mutex_unlock(&b->lock);
	*out = rc ? NULL : p;
	return rc;
}

const struct built *prep_built(const struct prep *p)
{
	return &p->bd;
}

const struct wlidx *prep_index(const struct prep *p)
{
	return p->idx;
}

int prep_problems(const struct prep *p, struct customs_policy_problems *out)
{
	size_t i;

	out->v = customs_calloc(p->ps.n + 1, sizeof(*out->v));
	if (!out->v)
		return CUSTOMS_ENOMEM;
	for (i = 0; i < p->ps.n; i++) {
		out->v[i].severity = customs_strdup(p->ps.v[i].severity);
		out->v[i].problem_type =
			customs_strdup(p->ps.v[i].problem_type);
		out->v[i].details = customs_strdup(p->ps.v[i].details);
		out->n = i + 1;
		if (!out->v[i].severity || !out->v[i].problem_type ||
		    !out->v[i].details)
			return CUSTOMS_ENOMEM;
	}
	return 0;
}
