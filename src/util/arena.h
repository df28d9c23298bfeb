/*
 * A bump allocator for many small objects freed at once (paths, index
 * nodes, package strings). Chunks grow geometrically; nothing is freed
 * individually.
 */
#ifndef CUSTOMS_UTIL_ARENA_H
#define CUSTOMS_UTIL_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;
	size_t used; /* bytes handed out, for statistics */
};

#define ARENA_INIT      \
	{               \
		NULL, 0 \
	}

/** n bytes aligned for any type, or NULL on no memory. */
void *arena_alloc(struct arena *a, size_t n);
/** Copy of s (n bytes) with a NUL appended, or NULL. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
void arena_release(struct arena *a);
/** Move every chunk of src into dst (freed with it); src is left empty.
 * dst goes on allocating from its own current chunk. */
void arena_adopt(struct arena *dst, struct arena *src);

#endif
