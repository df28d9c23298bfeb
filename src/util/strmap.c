/*
 * Open addressing with linear probing, load factor at most 1/2. There is
 * no deletion: maps here are built once and then read.
 *
 * The hash reads eight bytes at a time and mixes them with a folded
 * 64x64->128 multiply: file paths of 60-100 bytes are the common key,
 * and a byte-at-a-time hash (FNV) cost more than the probing around it.
 * The seed is fixed, so a map's slot order, and anything built from it,
 * is the same from run to run.
 */
#include <string.h>

#include "customs/common.h"
#include "util/alloc.h"
#include "util/strmap.h"
#include "util/banned.h"

#define K0 0xa0761d6478bd642fULL
#define K1 0xe7037ed1a0b428dbULL
#define K2 0x8ebc6af09c88c6e3ULL

static inline uint64_t fold(uint64_t a, uint64_t b)
{
	unsigned __int128 r = (unsigned __int128)a * b;

	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static inline uint64_t load8(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

/* The last 1..8 bytes, zero-extended, without reading past them. */
static inline uint64_t load_tail(const unsigned char *p, size_t n)
{
	uint64_t v = 0;

	memcpy(&v, p, n);
	return v;
}

uint64_t strmap_hash(const void *key, size_t n)
{
	const unsigned char *p = key;
	uint64_t h = K0 ^ fold(n ^ K1, K2);

	while (n > 16) {
		h = fold(load8(p) ^ K1, load8(p + 8) ^ h);
		p += 16;
		n -= 16;
	}
	if (n > 8) {
		h = fold(load8(p) ^ K1, load_tail(p + 8, n - 8) ^ h);
	} else if (n) {
		h = fold(load_tail(p, n) ^ K1, h ^ K2);
	}
	return fold(h ^ K0, K2);
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

void *strmap_getn_h(const struct strmap *m, const char *key, size_t n,
		    uint64_t h)
{
	struct strmap_slot *s;

	if (!m->cap)
		return NULL;
	s = find(m, key, n, h);
	return s->key ? s->value : NULL;
}

void *strmap_getn(const struct strmap *m, const char *key, size_t n)
{
	return strmap_getn_h(m, key, n, strmap_hash(key, n));
}

void *strmap_get(const struct strmap *m, const char *key)
{
	return strmap_getn(m, key, strlen(key));
}

/* A map of megabytes is probed at random: huge pages spare it a page
 * fault on nearly every slot written. */
static struct strmap_slot *slots_alloc(size_t ncap)
{
	size_t bytes;

	if (!customs_mul_ok(&bytes, ncap, sizeof(struct strmap_slot)))
		return NULL;
	return bytes >= CUSTOMS_HUGE_MIN
		       ? customs_huge_alloc(bytes)
		       : customs_calloc(ncap, sizeof(struct strmap_slot));
}

static void slots_free(struct strmap_slot *s, size_t cap)
{
	size_t bytes = cap * sizeof(*s);

	if (bytes >= CUSTOMS_HUGE_MIN)
		customs_huge_free(s, bytes);
	else
		customs_free(s);
}

static int grow_to(struct strmap *m, size_t ncap)
{
	struct strmap old = *m;
	size_t i;

	m->slots = slots_alloc(ncap);
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
	slots_free(old.slots, old.cap);
	return 0;
}

int strmap_reserve(struct strmap *m, size_t n)
{
	size_t ncap = m->cap ? m->cap : 16;

	if (n > SIZE_MAX / 4)
		return CUSTOMS_ENOMEM;
	while (n * 2 > ncap)
		ncap *= 2;
	return ncap == m->cap ? 0 : grow_to(m, ncap);
}

struct strmap_slot *strmap_find_slot(struct strmap *m, const char *key,
				     size_t n, uint64_t h)
{
	if ((m->len + 1) * 2 > m->cap && grow_to(m, m->cap ? m->cap * 2 : 16))
		return NULL;
	return find(m, key, n, h);
}

void strmap_fill(struct strmap *m, struct strmap_slot *s, const char *key,
		 size_t n, uint64_t h, void *value)
{
	s->key = key;
	s->keylen = n;
	s->hash = h;
	s->value = value;
	m->len++;
}

int strmap_putn(struct strmap *m, const char *key, size_t n, void *value)
{
	uint64_t h = strmap_hash(key, n);
	struct strmap_slot *s = strmap_find_slot(m, key, n, h);

	if (!s)
		return CUSTOMS_ENOMEM;
	if (s->key)
		s->value = value;
	else
		strmap_fill(m, s, key, n, h, value);
	return 0;
}

int strmap_put(struct strmap *m, const char *key, void *value)
{
	return strmap_putn(m, key, strlen(key), value);
}

void strmap_release(struct strmap *m)
{
	slots_free(m->slots, m->cap);
	m->slots = NULL;
	m->cap = 0;
	m->len = 0;
}
