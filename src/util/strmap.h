/*
 * struct strmap: an open-addressing hash map from NUL-terminated strings
 * to pointers. Keys are borrowed (the caller keeps them alive, typically
 * in an arena). Used for want tables and file indexes.
 */
#ifndef CUSTOMS_UTIL_STRMAP_H
#define CUSTOMS_UTIL_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct strmap_slot {
	const char *key;
	size_t keylen;
	uint64_t hash;
	void *value;
};

struct strmap {
	struct strmap_slot *slots;
	size_t cap; /* power of two */
	size_t len;
};

#define STRMAP_INIT        \
	{                  \
		NULL, 0, 0 \
	}

/** The map's hash of n bytes (not stable across versions: never store it). */
uint64_t strmap_hash(const void *p, size_t n);
/** The value stored for key (n bytes), or NULL. */
void *strmap_getn(const struct strmap *m, const char *key, size_t n);
/** strmap_getn() with h = strmap_hash(key, n) already known. */
void *strmap_getn_h(const struct strmap *m, const char *key, size_t n,
		    uint64_t h);
void *strmap_get(const struct strmap *m, const char *key);
/** Insert or replace. Returns 0 or CUSTOMS_ENOMEM. */
int strmap_putn(struct strmap *m, const char *key, size_t n, void *value);
int strmap_put(struct strmap *m, const char *key, void *value);
/**
 * The slot for key (n bytes, h = strmap_hash(key, n)): the one holding it
 * (s->key set), or the empty one where it goes, after growing the map so
 * that one more key fits. One probe where a get and a put would take two.
 * NULL when the map cannot grow (no memory).
 */
struct strmap_slot *strmap_find_slot(struct strmap *m, const char *key,
				     size_t n, uint64_t h);
/**
 * Store key (borrowed), n, h and value in the empty slot s that
 * strmap_find_slot() returned, with no other change to m in between.
 */
void strmap_fill(struct strmap *m, struct strmap_slot *s, const char *key,
		 size_t n, uint64_t h, void *value);
/** Start loading the slot where a key of hash h is looked for first. */
static inline void strmap_prefetch(const struct strmap *m, uint64_t h)
{
	if (m->cap)
		__builtin_prefetch(&m->slots[h & (m->cap - 1)]);
}
/** Grow now so that n keys fit without rehashing. 0 or CUSTOMS_ENOMEM. */
int strmap_reserve(struct strmap *m, size_t n);
void strmap_release(struct strmap *m);

#endif
