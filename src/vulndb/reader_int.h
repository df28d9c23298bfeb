/*
 * The reader's state, shared by reader.c (open, lookups) and info.c
 * (merged vulnerability view, status).
 */
#ifndef CUSTOMS_VULNDB_READER_INT_H
#define CUSTOMS_VULNDB_READER_INT_H

#include "vulndb/vulndb_int.h"

enum rst { RST_LOOKUP, RST_HAS_NS, RST_CPE, RST_N };

struct customs_vulndb {
	sqlite3 *db;
	sqlite3_stmt *st[RST_N];
	struct cbuf name; /* the normalised name of a lookup */
};

/** Reset st and map its last step result rc to 0 or an error. */
int reader_done(struct customs_vulndb *db, sqlite3_stmt *st, int rc,
		struct customs_ctx *ctx);

/** Column i of st as text, or NULL. */
const char *reader_col(sqlite3_stmt *st, int i);

#endif
