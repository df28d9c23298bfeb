/*
 * A streaming JSON writer: output goes straight to a FILE as it is
 * produced, so a catalog of a million files costs no memory. Commas and
 * nesting are tracked on a small stack; strings are escaped per RFC 8259
 * (invalid UTF-8 bytes become U+FFFD so the output always parses).
 * A memory writer renders a bounded piece of a document into a buffer
 * instead, for the streaming writer to splice in (a long array rendered
 * on two threads).
 */
#ifndef CUSTOMS_TOOL_JSONW_H
#define CUSTOMS_TOOL_JSONW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSONW_DEPTH 32

#define JSONW_BUF (64 * 1024)

struct jsonw {
	FILE *out; /* NULL: a memory writer (jsonw_init_mem) */
	size_t len; /* bytes waiting in buf */
	char buf[JSONW_BUF];
	char *mem; /* a memory writer's bytes, before buf's */
	size_t mem_len, mem_cap;
	size_t max; /* the most bytes mem may hold */
	bool failed; /* a memory writer ran out of memory or past max */
	int depth;
	bool first[JSONW_DEPTH];
	bool pretty;
	bool after_key;
};

void jsonw_init(struct jsonw *w, FILE *out, bool pretty);
void jsonw_obj_open(struct jsonw *w);
void jsonw_obj_close(struct jsonw *w);
void jsonw_arr_open(struct jsonw *w);
void jsonw_arr_close(struct jsonw *w);
void jsonw_key(struct jsonw *w, const char *key);
void jsonw_str(struct jsonw *w, const char *s); /* NULL writes null */
void jsonw_u64(struct jsonw *w, uint64_t v);
void jsonw_i64(struct jsonw *w, int64_t v);
void jsonw_double(struct jsonw *w, double v); /* NaN/inf write null */
void jsonw_bool(struct jsonw *w, bool v);
void jsonw_null(struct jsonw *w);
/* key + value shorthands */
void jsonw_kstr(struct jsonw *w, const char *key, const char *s);
void jsonw_ku64(struct jsonw *w, const char *key, uint64_t v);
void jsonw_kbool(struct jsonw *w, const char *key, bool v);
/* key: "/" + path (a root-relative path made absolute, as the SBOM
 * writers print it); NULL writes null */
void jsonw_kpath(struct jsonw *w, const char *key, const char *path);
/* Finish the document with a newline and flush it to the FILE. */
void jsonw_end(struct jsonw *w);

/*
 * Memory writers render a piece of a document apart (on another thread)
 * for a streaming writer to take in order with jsonw_raw(). The piece
 * is values of a container the streaming writer has open, so it must
 * close only what it opened itself.
 */
/* A memory writer holding at most max bytes; jsonw_mem_reset() it
 * before each piece and jsonw_release() it at the end. */
void jsonw_init_mem(struct jsonw *w, bool pretty, size_t max);
/* Drop w's bytes (keeping its memory) and go on as a writer inside an
 * open container at depth that has written an element there (so the
 * next value gets a comma) or not (first). */
void jsonw_mem_reset(struct jsonw *w, int depth, bool first);
/* The bytes rendered since the reset, or NULL when they did not all fit
 * (no memory, or past max): the piece must be rendered again. */
const char *jsonw_mem_bytes(struct jsonw *w, size_t *len);
/* Free a memory writer's bytes (nothing to do for a FILE writer). */
void jsonw_release(struct jsonw *w);
/* Append n bytes a memory writer rendered at w's depth: values of the
 * container w has open, so the next value gets a comma. */
void jsonw_raw(struct jsonw *w, const char *p, size_t n);

#endif
