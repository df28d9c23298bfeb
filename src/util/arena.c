/*
 * Arena chunks start at 64 KiB and double up to 4 MiB; a request larger
 * than a chunk gets a chunk of its own.
 */
#include <string.h>

#include "util/alloc.h"
#include "util/arena.h"
#include "util/banned.h"

#define ALIGN 16
#define FIRST (64 * 1024)
#define LARGEST (4 * 1024 * 1024)

struct arena_chunk {
	struct arena_chunk *next;
	size_t size;
	size_t off;
	_Alignas(ALIGN) unsigned char data[];
};

static struct arena_chunk *chunk_new(size_t size)
{
	struct arena_chunk *c;
	size_t total;

	if (!customs_add_ok(&total, sizeof(*c), size))
		return NULL;
	c = customs_malloc(total);
	if (!c)
		return NULL;
	c->next = NULL;
	c->size = size;
	c->off = 0;
	return c;
}

void *arena_alloc(struct arena *a, size_t n)
{
	struct arena_chunk *c = a->head;
	size_t need = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	size_t size;

	if (need < n)
		return NULL;
	if (!c || c->size - c->off < need) {
		size = c ? c->size * 2 : FIRST;
		if (size > LARGEST)
			size = LARGEST;
		if (size < need)
			size = need;
		c = chunk_new(size);
		if (!c)
			return NULL;
		c->next = a->head;
		a->head = c;
	}
	c->off += need;
	a->used += need;
	return c->data + c->off - need;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *d = arena_alloc(a, n + 1);

	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

void arena_release(struct arena *a)
{
	struct arena_chunk *c = a->head;

	while (c) {
		struct arena_chunk *next = c->next;

		customs_free(c);
		c = next;
	}
	a->head = NULL;
	a->used = 0;
}
