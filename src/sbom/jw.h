/*
 * A small streaming JSON writer for the SBOM writers: pretty-printed with
 * two-space indents, keys in the order written, strings escaped per RFC
 * 8259 with invalid UTF-8 replaced by U+FFFD so the output always parses.
 * Bytes go to a sink callback (a FILE, or a hash for content-derived ids).
 * Errors are sticky: the first sink failure is kept and reported by
 * jw_end(), so writers emit everything and check once.
 */
#ifndef CUSTOMS_SBOM_JW_H
#define CUSTOMS_SBOM_JW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JW_DEPTH 32

typedef int (*jw_sink_fn)(void *arg, const char *p, size_t n);
/* Overwrite n bytes at offset off of what the sink has taken. */
typedef int (*jw_patch_fn)(void *arg, uint64_t off, const char *p, size_t n);

struct jw {
	jw_sink_fn sink;
	void *arg;
	jw_patch_fn patch; /* NULL: the output cannot be rewritten */
	uint64_t sunk; /* bytes handed to the sink */
	char buf[8192];
	size_t len;
	int depth;
	bool first[JW_DEPTH];
	bool after_key;
	int err;
};

void jw_init(struct jw *w, jw_sink_fn sink, void *arg);
void jw_obj_open(struct jw *w);
void jw_obj_close(struct jw *w);
void jw_arr_open(struct jw *w);
void jw_arr_close(struct jw *w);
void jw_key(struct jw *w, const char *key);
void jw_str(struct jw *w, const char *s); /* NULL writes null */
void jw_int(struct jw *w, int64_t v);
void jw_bool(struct jw *w, bool v);
/* A number with up to 6 significant digits ("9.8", "0.00043"); NaN and
 * infinities, which JSON cannot spell, write null. */
void jw_double(struct jw *w, double v);
/* key + value; jw_kstr writes nothing when s is NULL */
void jw_kstr(struct jw *w, const char *key, const char *s);
void jw_kint(struct jw *w, const char *key, int64_t v);
void jw_kbool(struct jw *w, const char *key, bool v);
void jw_kdouble(struct jw *w, const char *key, double v);
/* A string "prefix" + s with no allocation (paths get their "/"). */
void jw_kstr2(struct jw *w, const char *key, const char *prefix, const char *s);
/* Finish: a final newline, flush. Returns 0 or the first sink error. */
int jw_end(struct jw *w);

/* Offset of the next byte written. */
uint64_t jw_offset(const struct jw *w);
/* Replace n bytes written at off (a jw_offset() of this document) with p:
 * for a value known only later, such as a serial number computed on
 * another thread. Only where w->patch is set; errors are sticky. */
void jw_patch(struct jw *w, uint64_t off, const char *p, size_t n);

#endif
