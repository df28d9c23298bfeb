/*
 * Whitelist (allowlist) matching, indexed so that evaluation costs do not
 * grow with rows * items, and so that building the index costs a few
 * hash steps per item: a one-shot `customs check` builds it every time.
 *
 * A row is whitelisted by the first item, in item order, whose gate
 * equals the row's gate (case-insensitively) and whose trigger_id equals
 * the row's or, read as a pattern ('*' wildcards or "regexp:"), matches
 * it. Every item goes into the bucket of its exact (gate, trigger_id)
 * key; wildcard items also go into the bucket of (gate, literal prefix
 * before the first '*'), or when that prefix is empty of (gate, literal
 * suffix after the last '*'), so a row looks up one bucket per distinct
 * prefix or suffix length; regexp items, "*" and over-long literals form
 * a short list tried for every row. Each lookup only considers items
 * that precede the best match found so far.
 *
 * Keys are never built as strings: a bucket is named by its kind, its
 * literal length and a hash of the lower-cased gate and the literal
 * (a suffix hashed from its last byte backwards), and is compared with
 * the first item it holds. A row's prefix and suffix hashes grow one
 * byte at a time, so a lookup costs O(trigger id length) hash steps.
 * Buckets and nodes live in two flat arrays; nothing is allocated per
 * item.
 */
#include <string.h>

#include "policy/bundle_int.h"
#include "policy/whitelist.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/banned.h"

enum { K_EXACT = 1, K_PREFIX = 2, K_SUFFIX = 3 };

#define LEN_BITS 30
#define LEN_MAX ((1u << LEN_BITS) - 1)
#define NONE UINT32_MAX

struct wnode {
	uint32_t item;
	uint32_t next; /* NONE at the end of a bucket */
};

struct wslot {
	uint32_t hash; /* 0: empty */
	uint32_t head, tail; /* nodes */
	uint32_t klen; /* kind << LEN_BITS | literal length */
};

struct wslow {
	size_t item;
	struct rx *rx; /* regexp: items */
};

#define FNV_OFF 14695981039346656037ull
#define FNV_PRIME 1099511628211ull

static inline uint64_t step(uint64_t h, unsigned char c)
{
	return (h ^ c) * FNV_PRIME;
}

/* The hash state after the lower-cased gate and the key kind. */
static uint64_t start(const char *gate, int kind)
{
	uint64_t h = FNV_OFF;

	for (; *gate; gate++) {
		unsigned char c = (unsigned char)*gate;

		h = step(h, c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	return step(step(h, 0x1f), (unsigned char)kind);
}

static uint32_t finish(uint64_t h)
{
	uint32_t v;

	h ^= h >> 32;
	h *= 0x9e3779b97f4a7c15ull;
	v = (uint32_t)(h >> 32);
	return v ? v : 1;
}

/* Hash of a whole literal, forwards or (suffixes) backwards. */
static uint32_t lit_hash(const char *gate, int kind, const char *p, size_t n)
{
	uint64_t h = start(gate, kind);
	size_t i;

	for (i = 0; i < n; i++)
		h = step(h, (unsigned char)(kind == K_SUFFIX ? p[n - 1 - i]
							     : p[i]));
	return finish(h);
}

/* Does slot s hold the key (kind, gate, the n bytes at lit)? */
static bool slot_is(const struct wlidx *x, const struct wslot *s, uint32_t hash,
		    uint32_t klen, const char *gate, const char *lit)
{
	const struct wlitem *it;
	const char *own;
	size_t n = klen & LEN_MAX;

	if (s->hash != hash || s->klen != klen)
		return false;
	it = &x->w->items[x->nodes[s->head].item];
	own = it->trigger_id;
	if ((klen >> LEN_BITS) == K_SUFFIX)
		own += strlen(own) - n;
	return !memcmp(own, lit, n) && streq_ci(it->gate, gate);
}

/* The slot of the key, or the empty slot where it would go. */
static struct wslot *probe(const struct wlidx *x, uint32_t hash, uint32_t klen,
			   const char *gate, const char *lit)
{
	size_t i = hash & (x->cap - 1);

	for (;; i = (i + 1) & (x->cap - 1)) {
		struct wslot *s = &x->slots[i];

		if (!s->hash || slot_is(x, s, hash, klen, gate, lit))
			return s;
	}
}

static int grow(struct wlidx *x)
{
	struct wslot *old = x->slots;
	size_t oldcap = x->cap, i, j, cap = oldcap ? oldcap * 2 : 64;

	x->slots = customs_calloc(cap, sizeof(*x->slots));
	if (!x->slots) {
		x->slots = old;
		return CUSTOMS_ENOMEM;
	}
	x->cap = cap;
	for (i = 0; i < oldcap; i++) {
		if (!old[i].hash)
			continue;
		for (j = old[i].hash & (cap - 1); x->slots[j].hash;
		     j = (j + 1) & (cap - 1))
			;
		x->slots[j] = old[i];
	}
	customs_free(old);
	return 0;
}

/* Append item idx to the bucket of key (kind, its gate, n bytes at lit). */
static int add_keyed(struct wlidx *x, int kind, size_t idx, const char *lit,
		     size_t n)
{
	const char *gate = x->w->items[idx].gate;
	uint32_t hash = lit_hash(gate, kind, lit, n);
	uint32_t klen = (uint32_t)kind << LEN_BITS | (uint32_t)n;
	uint32_t node = (uint32_t)x->nnodes++;
	struct wslot *s;

	if ((x->used + 1) * 4 > x->cap * 3 && grow(x))
		return CUSTOMS_ENOMEM;
	x->nodes[node].item = (uint32_t)idx;
	x->nodes[node].next = NONE;
	s = probe(x, hash, klen, gate, lit);
	if (s->hash) {
		x->nodes[s->tail].next = node;
		s->tail = node;
		return 0;
	}
	s->hash = hash;
	s->klen = klen;
	s->head = s->tail = node;
	x->used++;
	return 0;
}

static int add_slow(struct wlidx *x, size_t idx, struct rx *rx)
{
	if (CUSTOMS_GROW(x->slow, x->capslow, x->nslow + 1)) {
		rx_free(rx);
		return CUSTOMS_ENOMEM;
	}
	x->slow[x->nslow].item = idx;
	x->slow[x->nslow++].rx = rx;
	return 0;
}

static int add_item(struct wlidx *x, size_t idx, struct customs_ctx *ctx)
{
	const char *tid = x->w->items[idx].trigger_id;
	const char *star = strchr(tid, '*');
	size_t tlen = strlen(tid), plen, slen;
	struct rx *rx = NULL;
	int rc;

	if (tlen <= LEN_MAX && (rc = add_keyed(x, K_EXACT, idx, tid, tlen)))
		return rc;
	if (!strncmp(tid, "regexp:", 7)) {
		/* a bad regex never matches, as a failed re.match would */
		if (rx_compile(&rx, tid + 7, ctx) == CUSTOMS_ENOMEM)
			return CUSTOMS_ENOMEM;
		return rx ? add_slow(x, idx, rx) : 0;
	}
	if (!star)
		return tlen <= LEN_MAX ? 0 : add_slow(x, idx, NULL);
	plen = (size_t)(star - tid);
	if (plen && plen < WL_MAXPLEN) {
		x->plen[plen] = true;
		return add_keyed(x, K_PREFIX, idx, tid, plen);
	}
	slen = strlen(strrchr(tid, '*') + 1);
	if (!plen && slen && slen < WL_MAXPLEN) {
		x->slen[slen] = true;
		return add_keyed(x, K_SUFFIX, idx, tid + tlen - slen, slen);
	}
	return add_slow(x, idx, NULL);
}

int wlidx_build(struct wlidx *x, const struct cwl *w, struct customs_ctx *ctx)
{
	size_t i, nn;
	int rc = 0;

	memset(x, 0, sizeof(*x));
	x->w = w;
	if (w->n >= NONE / 2)
		return customs_error(ctx, CUSTOMS_ELIMIT,
				     "whitelist '%s': over %u items",
				     w->id ? w->id : "", NONE / 2);
	/* every item is in at most two buckets */
	nn = w->n * 2 + 1;
	for (x->cap = 64; x->cap < nn; x->cap *= 2)
		;
	x->slots = customs_calloc(x->cap, sizeof(*x->slots));
	x->nodes = customs_malloc(nn * sizeof(*x->nodes));
	if (!x->slots || !x->nodes)
		rc = CUSTOMS_ENOMEM;
	for (i = 0; !rc && i < w->n; i++)
		rc = add_item(x, i, ctx);
	if (rc)
		return customs_error(ctx, rc, "out of memory");
	return 0;
}

void wlidx_release(struct wlidx *x)
{
	size_t i;

	for (i = 0; i < x->nslow; i++)
		rx_free(x->slow[i].rx);
	customs_free(x->slow);
	customs_free(x->slots);
	customs_free(x->nodes);
	memset(x, 0, sizeof(*x));
}

static bool item_matches(const struct wlitem *it, const struct rx *rx,
			 const char *tid, size_t tlen, int64_t now)
{
	if (now >= it->expires)
		return false;
	if (!strcmp(it->trigger_id, tid))
		return true;
	if (rx)
		return rx_match(rx, tid, tlen) == 1;
	return wildcard_match(it->trigger_id, tid);
}

/* The first item of the key's bucket before best that matches tid. */
static size_t scan_key(const struct wlidx *x, uint32_t hash, uint32_t klen,
		       const char *gate, const char *lit, const char *tid,
		       size_t tlen, size_t best, int64_t now)
{
	const struct wslot *s = probe(x, hash, klen, gate, lit);
	uint32_t n;

	if (!s->hash)
		return best;
	for (n = s->head; n != NONE && x->nodes[n].item < best;
	     n = x->nodes[n].next) {
		const struct wlitem *it = &x->w->items[x->nodes[n].item];

		/* keyed buckets hold one gate */
		if (item_matches(it, NULL, tid, tlen, now))
			return x->nodes[n].item;
	}
	return best;
}

static size_t scan_slow(const struct wlidx *x, const char *gate,
			const char *tid, size_t tlen, size_t best, int64_t now)
{
	size_t i;

	for (i = 0; i < x->nslow && x->slow[i].item < best; i++) {
		const struct wlitem *it = &x->w->items[x->slow[i].item];

		if (streq_ci(it->gate, gate) &&
		    item_matches(it, x->slow[i].rx, tid, tlen, now))
			return x->slow[i].item;
	}
	return best;
}

const struct wlitem *wlidx_find(const struct wlidx *x, const char *gate,
				const char *tid, int64_t now)
{
	size_t tlen = strlen(tid), best = SIZE_MAX, l;
	uint64_t hp, hs;

	if (!x->cap)
		return NULL;
	if (tlen <= LEN_MAX)
		best = scan_key(x, lit_hash(gate, K_EXACT, tid, tlen),
				(uint32_t)K_EXACT << LEN_BITS | (uint32_t)tlen,
				gate, tid, tid, tlen, best, now);
	hp = start(gate, K_PREFIX);
	hs = start(gate, K_SUFFIX);
	for (l = 1; l < WL_MAXPLEN && l <= tlen; l++) {
		hp = step(hp, (unsigned char)tid[l - 1]);
		hs = step(hs, (unsigned char)tid[tlen - l]);
		if (x->plen[l])
			best = scan_key(x, finish(hp),
					(uint32_t)K_PREFIX << LEN_BITS | l,
					gate, tid, tid, tlen, best, now);
		if (x->slen[l])
			best = scan_key(x, finish(hs),
					(uint32_t)K_SUFFIX << LEN_BITS | l,
					gate, tid + tlen - l, tid, tlen, best,
					now);
	}
	best = scan_slow(x, gate, tid, tlen, best, now);
	return best == SIZE_MAX ? NULL : &x->w->items[best];
}
