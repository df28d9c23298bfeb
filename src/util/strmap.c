/*
 * Open addressing with linear probing, load factor at most 1/2. There is
 * no deletion: maps here are built once and then read.
 */
#include <string.h>

#include "customs/common.h"
#include "util/alloc.h"
#include "util/strmap.h"
#include "util/banned.h"

uint64_t strmap_hash(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= s[i];
		h *= 1099511628211ULL;
	}
	return h ^ (h >> 29);
}

static struct strmap_slot *find(const struct strmap *m, const char *key,
				size_t n, uint64_t h)
{
	size_t i = h & (m->cap - 1);

	for (;;) {
		struct strmap_slot *s = &m->slots[i];

		if (!s->key)
			return s;
		if (s->hash == h && s->keylen == n && !memcmp(s->key, key, n))
			return s;
		i = (i + 1) & (m->cap - 1);
	}
}

void *strmap_getn(const struct strmap *m, const char *key, size_t n)
{
	struct strmap_slot *s;

	if (!m->cap)
		return NULL;
	s = find(m, key, n, strmap_hash(key, n));
	return s->key ? s->value : NULL;
}

void *strmap_get(const struct strmap *m, const char *key)
{
	return strmap_getn(m, key, strlen(key));
}

static int rehash(struct strmap *m)
{
	struct strmap old = *m;
	size_t ncap = m->cap ? m->cap * 2 : 16;
	size_t i;

	m->slots = customs_calloc(ncap, sizeof(*m->slots));
	if (!m->slots) {
		*m = old;
		return CUSTOMS_ENOMEM;
	}
	m->cap = ncap;
	for (i = 0; i < old.cap; i++) {
		if (old.slots[i].key)
			*find(m, old.slots[i].key, old.slots[i].keylen,
			      old.slots[i].hash) = old.slots[i];
	}
	customs_free(old.slots);
	return 0;
}

int strmap_putn(struct strmap *m, const char *key, size_t n, void *value)
{
	uint64_t h = strmap_hash(key, n);
	struct strmap_slot *s;

	if ((m->len + 1) * 2 > m->cap && rehash(m))
		return CUSTOMS_ENOMEM;
	s = find(m, key, n, h);
	if (!s->key) {
		s->key = key;
		s->keylen = n;
		s->hash = h;
		m->len++;
	}
	s->value = value;
	return 0;
}

int strmap_put(struct strmap *m, const char *key, void *value)
{
	return strmap_putn(m, key, strlen(key), value);
}

void strmap_release(struct strmap *m)
{
	customs_free(m->slots);
	m->slots = NULL;
	m->cap = 0;
	m->len = 0;
}
