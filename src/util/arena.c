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

/* n bytes at a multiple of align (a power of two, at most ALIGN). */
static void *bump(struct arena *a, size_t n, size_t align)
{
	struct arena_chunk *c = a->head;
	size_t off = c ? (c->off + align - 1) & ~(align - 1) : 0;
	size_t need = n, size;

	if (!c || off > c->size || c->size - off < need) {
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
		off = 0;
	}
	c->off = off + need;
	a->used += need;
	return c->data + off;
}

void *arena_alloc(struct arena *a, size_t n)
{
	return bump(a, n, ALIGN);
}

/* Strings are packed: paths are most of a scan's arena bytes, and
 * aligning each to 16 wasted 8 bytes a path on average. */
char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *d = n + 1 ? bump(a, n + 1, 1) : NULL;

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

void arena_adopt(struct arena *dst, struct arena *src)
{
	struct arena_chunk *tail = src->head;

	if (!tail)
		return;
	while (tail->next)
		tail = tail->next;
	/* behind dst's current chunk, which stays the one it bumps in */
	if (dst->head) {
		tail->next = dst->head->next;
		dst->head->next = src->head;
	} else {
		dst->head = src->head;
	}
	dst->used += src->used;
	src->head = NULL;
	src->used = 0;
}
