/*
 * A bounded reader for the subset of TOML that lock files use (Cargo.lock):
 * [tables] and [[arrays of tables]], dotted and quoted keys, basic and
 * literal strings (single- and multi-line, every escape), arrays (nested
 * over several lines, with comments and a trailing comma) and bare
 * scalars (numbers, booleans, dates) kept as their text. Inline tables
 * and nested arrays are parsed and skipped.
 *
 * The document is a flat list of tables in file order, each with its
 * key/value pairs; "[[package]]" three times is three tables named
 * "package" with array set. Semantics beyond that (which table a
 * "[package.x]" extends, duplicate keys) are the reader's business.
 */
#ifndef CUSTOMS_CATALOG_TOML_H
#define CUSTOMS_CATALOG_TOML_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"

#define TOML_MAX_DEPTH 16 /* nested arrays and inline tables */
#define TOML_MAX_TABLES 200000u
#define TOML_MAX_PAIRS 1000000u
#define TOML_MAX_ITEMS 100000u /* items kept per array */
#define TOML_MAX_WARNINGS 20u

enum toml_kind {
	TOML_STRING, /* str: the unescaped string */
	TOML_ARRAY, /* items: strings and scalar texts; nested arrays and
		     * inline tables are not items */
	TOML_OTHER, /* str: a scalar's text ("42", "true"), or NULL for an
		     * inline table */
};

struct toml_value {
	enum toml_kind kind;
	const char *str;
	const char **items;
	size_t n_items;
};

struct toml_pair {
	const char *key; /* dotted keys joined with '.' */
	struct toml_value v;
	size_t line;
};

struct toml_table {
	const char *name; /* "" for the root table */
	bool array; /* [[name]] */
	size_t line;
	size_t first; /* its pairs: doc->pairs[first .. first + n) */
	size_t n;
};

struct toml_doc {
	struct arena arena; /* every string and item array */
	struct toml_table *tables; /* tables[0] is the root table */
	size_t n_tables;
	size_t cap_tables;
	struct toml_pair *pairs;
	size_t n_pairs;
	size_t cap_pairs;
	size_t n_warnings;
};

/* A problem at line (1-based); msg is one line. 0 or CUSTOMS_ENOMEM. */
typedef int (*toml_warn_fn)(void *arg, size_t line, const char *msg);

/*
 * Parse n bytes at p into doc (initialised here). A line that breaks the
 * grammar is reported through warn (at most TOML_MAX_WARNINGS times, then
 * once more to say the rest are not shown) and skipped; reading goes on
 * at the next line. Returns 0 or CUSTOMS_ENOMEM; release doc either way.
 */
int toml_parse(struct toml_doc *doc, const char *p, size_t n, toml_warn_fn warn,
	       void *arg);

/* Free everything doc holds; accepts a zeroed doc. */
void toml_release(struct toml_doc *doc);

/* The first value of key in table t, or NULL. */
const struct toml_value *toml_get(const struct toml_doc *doc,
				  const struct toml_table *t, const char *key);

/* The string value of key in t, or NULL when absent or not a string. */
const char *toml_get_str(const struct toml_doc *doc, const struct toml_table *t,
			 const char *key);

#endif
