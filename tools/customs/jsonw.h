/*
 * A streaming JSON writer: output goes straight to a FILE as it is
 * produced, so a catalog of a million files costs no memory. Commas and
 * nesting are tracked on a small stack; strings are escaped per RFC 8259
 * (invalid UTF-8 bytes become U+FFFD so the output always parses).
 */
#ifndef CUSTOMS_TOOL_JSONW_H
#define CUSTOMS_TOOL_JSONW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSONW_DEPTH 32

#define JSONW_BUF (64 * 1024)

struct jsonw {
	FILE *out;
	size_t len; /* bytes waiting in buf */
	char buf[JSONW_BUF];
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

#endif
