/*
 * Whitelist (allowlist) matching, indexed so that evaluation costs do not
 * grow with rows * items.
 *
 * A row is whitelisted by the first item, in item order, whose gate
 * equals the row's gate (case-insensitively) and whose trigger_id equals
 * the row's or, read as a pattern ('*' wildcards or "regexp:"), matches
 * it. Every item goes into a hash of exact (gate, trigger_id) keys, each
 * holding its items in order; wildcard items also
 * go into buckets keyed by (gate, literal prefix before the first '*'),
 * or when that prefix is empty by (gate, literal suffix after the last
 * '*'), so a row looks up one bucket per distinct prefix or suffix
 * length; regexp items, "*" and over-long literals form a short list
 * tried for every row. Each lookup only considers items that precede the
 * best match found so far.
 */
#include <string.h>

#include "policy/bundle_int.h"
#include "policy/whitelist.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/banned.h"

#define KEYMAX 512

struct wnode {
	size_t idx;
	struct rx *rx; /* regexp: items */
	struct wnode *next;
};

static size_t make_key(char *key, const char *gate, const char *tid,
		       size_t tlen)
{
	size_t g = strlen(gate), i;

	if (g + 1 + tlen > KEYMAX)
		return 0;
	for (i = 0; i < g; i++) {
		char c = gate[i];

		key[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
	}
	key[g] = '\x1f';
	memcpy(key + g + 1, tid, tlen);
	return g + 1 + tlen;
}

static int bucket_add(struct wlidx *x, struct bucket *b, size_t idx,
		      struct rx *rx)
{
	struct wnode *n = arena_alloc(&x->arena, sizeof(*n));

	if (!n)
		return CUSTOMS_ENOMEM;
	n->idx = idx;
	n->rx = rx;
	n->next = NULL;
	if (b->tail)
		b->tail->next = n;
	else
		b->head = n;
	b->tail = n;
	return 0;
}

/* Put item idx in the bucket of key in map, noting the literal length. */
static int add_keyed(struct wlidx *x, struct strmap *map, bool *lens,
		     const char *key, size_t kn, size_t len, size_t idx)
{
	struct bucket *b = strmap_getn(map, key, kn);
	char *k;

	if (!b) {
		b = arena_alloc(&x->arena, sizeof(*b));
		k = arena_strndup(&x->arena, key, kn);
		if (!b || !k)
			return CUSTOMS_ENOMEM;
		b->head = b->tail = NULL;
		if (strmap_putn(map, k, kn, b))
			return CUSTOMS_ENOMEM;
	}
	lens[len] = true;
	return bucket_add(x, b, idx, NULL);
}

static int add_item(struct wlidx *x, size_t idx, struct customs_ctx *ctx)
{
	const struct wlitem *it = &x->w->items[idx];
	const char *star = strchr(it->trigger_id, '*');
	char key[KEYMAX];
	size_t kn, plen, slen;
	struct rx *rx = NULL;
	int rc;

	kn = make_key(key, it->gate, it->trigger_id, strlen(it->trigger_id));
	if (kn && (rc = add_keyed(x, &x->exact, x->elen, key, kn, 0, idx)))
		return rc;
	if (!strncmp(it->trigger_id, "regexp:", 7)) {
		/* a bad regex never matches, as a failed re.match would */
		if (rx_compile(&rx, it->trigger_id + 7, ctx) == CUSTOMS_ENOMEM)
			return CUSTOMS_ENOMEM;
		return rx ? bucket_add(x, &x->slow, idx, rx) : 0;
	}
	if (!star)
		return kn ? 0 : bucket_add(x, &x->slow, idx, NULL);
	plen = (size_t)(star - it->trigger_id);
	if (plen && plen < WL_MAXPLEN &&
	    (kn = make_key(key, it->gate, it->trigger_id, plen)))
		return add_keyed(x, &x->prefix, x->plen, key, kn, plen, idx);
	star = strrchr(it->trigger_id, '*');
	slen = strlen(star + 1);
	if (!plen && slen && slen < WL_MAXPLEN &&
	    (kn = make_key(key, it->gate, star + 1, slen)))
		return add_keyed(x, &x->suffix, x->slen, key, kn, slen, idx);
	return bucket_add(x, &x->slow, idx, NULL);
}

int wlidx_build(struct wlidx *x, const struct cwl *w, struct customs_ctx *ctx)
{
	size_t i;
	int rc;

	memset(x, 0, sizeof(*x));
	x->w = w;
	for (i = 0; i < w->n; i++) {
		rc = add_item(x, i, ctx);
		if (rc)
			return customs_error(ctx, rc, "out of memory");
	}
	return 0;
}

void wlidx_release(struct wlidx *x)
{
	struct wnode *n;

	for (n = x->slow.head; n; n = n->next)
		rx_free(n->rx);
	strmap_release(&x->exact);
	strmap_release(&x->prefix);
	strmap_release(&x->suffix);
	arena_release(&x->arena);
}

static bool node_matches(const struct wlidx *x, const struct wnode *n,
			 const char *gate, const char *tid, int64_t now)
{
	const struct wlitem *it = &x->w->items[n->idx];

	if (now >= it->expires)
		return false;
	/* keyed buckets hold one gate; only the slow list mixes them */
	if (gate && !streq_ci(it->gate, gate))
		return false;
	if (!strcmp(it->trigger_id, tid))
		return true;
	if (n->rx)
		return rx_match(n->rx, tid, strlen(tid)) == 1;
	return wildcard_match(it->trigger_id, tid);
}

static size_t scan_bucket(const struct wlidx *x, const struct bucket *b,
			  const char *gate, const char *tid, size_t best,
			  int64_t now)
{
	const struct wnode *n;

	for (n = b ? b->head : NULL; n && n->idx < best; n = n->next) {
		if (node_matches(x, n, gate, tid, now))
			return n->idx;
	}
	return best;
}

const struct wlitem *wlidx_find(const struct wlidx *x, const char *gate,
				const char *tid, int64_t now)
{
	size_t tlen = strlen(tid), best = SIZE_MAX, kn, l;
	char key[KEYMAX];

	kn = make_key(key, gate, tid, tlen);
	if (kn)
		best = scan_bucket(x, strmap_getn(&x->exact, key, kn), NULL,
				   tid, best, now);
	for (l = 1; l < WL_MAXPLEN && l <= tlen; l++) {
		if (x->plen[l] && (kn = make_key(key, gate, tid, l)))
			best = scan_bucket(x, strmap_getn(&x->prefix, key, kn),
					   NULL, tid, best, now);
		if (x->slen[l] && (kn = make_key(key, gate, tid + tlen - l, l)))
			best = scan_bucket(x, strmap_getn(&x->suffix, key, kn),
					   NULL, tid, best, now);
	}
	best = scan_bucket(x, &x->slow, gate, tid, best, now);
	return best == SIZE_MAX ? NULL : &x->w->items[best];
}
