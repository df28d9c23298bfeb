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

uint64_t strmap_hash(const void *p, size_t n);
/** The value stored for key (n bytes), or NULL. */
void *strmap_getn(const struct strmap *m, const char *key, size_t n);
void *strmap_get(const struct strmap *m, const char *key);
/** Insert or replace. Returns 0 or CUSTOMS_ENOMEM. */
int strmap_putn(struct strmap *m, const char *key, size_t n, void *value);
int strmap_put(struct strmap *m, const char *key, void *value);
void strmap_release(struct strmap *m);

#endif
