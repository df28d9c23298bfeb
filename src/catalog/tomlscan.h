/*
 * A small, bounded reader for the TOML subset lock files use (poetry.lock,
 * uv.lock, Cargo.lock): comments, [table] and [[array-of-tables]]
 * headers, and key = value lines whose value is a string (basic, literal,
 * multi-line), a number, a boolean, a date, an array or an inline table,
 * possibly spanning lines. It is a streaming tokenizer, not a document
 * model: the caller gets one event per header and per top-level key of a
 * table, with the raw text of the value, and decodes only the values it
 * wants (cat_toml_string, cat_toml_inline_get). Nothing is allocated.
 *
 * Not supported (reported as an error at the line): dotted keys that
 * open sub-tables implicitly are passed through as written, but values
 * nested deeper than CAT_TOML_MAX_DEPTH brackets are refused.
 */
#ifndef CUSTOMS_CATALOG_TOMLSCAN_H
#define CUSTOMS_CATALOG_TOMLSCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

#define CAT_TOML_MAX_DEPTH 32

enum cat_toml_type {
	CAT_TOML_STRING,
	CAT_TOML_ARRAY,
	CAT_TOML_TABLE, /* an inline table { ... } */
	CAT_TOML_OTHER, /* number, boolean, date */
};

struct cat_toml_event {
	size_t line; /* 1-based line of the header or key */
	struct cslice table; /* the current header's name, "" at the top */
	bool array_table; /* the current header is [[...]] */
	bool header; /* this event is the header itself (no key/value) */
	struct cslice key; /* as written, quotes removed */
	struct cslice raw; /* the value's text, trimmed */
	enum cat_toml_type type;
};

/* Called for each event; a non-zero return stops and is returned. */
typedef int (*cat_toml_cb)(void *arg, const struct cat_toml_event *ev);

/*
 * Tokenize data. Returns 0, the callback's non-zero return, or
 * CUSTOMS_EFORMAT with *err_line and *err_msg (a static string) set at
 * the first line that is not in the subset; events before it were
 * delivered.
 */
int cat_toml_parse(const char *data, size_t len, cat_toml_cb cb, void *arg,
		   size_t *err_line, const char **err_msg);

/*
 * Decode a string value (basic with escapes, literal, or either
 * multi-line form) into buf (bufsz bytes, NUL-terminated). Returns false
 * when raw is not a string or does not fit.
 */
bool cat_toml_string(struct cslice raw, char *buf, size_t bufsz,
		     struct cslice *out);

/* The raw value of key in the inline table raw ({ a = "x", b = 1 }), or
 * false when absent. */
bool cat_toml_inline_get(struct cslice raw, const char *key,
			 struct cslice *out);

#endif
