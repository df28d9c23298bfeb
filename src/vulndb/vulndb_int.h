/*
 * Internal pieces shared by the files of src/vulndb: the schema, the
 * SQLite error helper, the writer's sink (so tests and the importer can
 * feed records without a parser), parser selection and CVSS scoring.
 *
 * Row ids of child tables (affected, cvss, cpes) encode their advisory:
 * id = (vuln << VULNDB_ROW_BITS) | seq, so an advisory's rows are one
 * rowid range and replacing them needs no secondary index.
 */
#ifndef CUSTOMS_VULNDB_INT_H
#define CUSTOMS_VULNDB_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <sqlite3.h>

#include "customs/vulndb.h"
#include "vulndb/feed_int.h"
#include "util/buf.h"

#define VULNDB_SCHEMA_VERSION 1
#define VULNDB_ROW_BITS 20
#define VULNDB_MAX_CHILDREN ((1 << VULNDB_ROW_BITS) - 1)

struct feed_parser;

/** Normalise name (as customs_vulndb_normalize_name) into out. */
int vulndb_normalize_into(struct cbuf *out, const char *namespace,
			  const char *name);

/** Record sqlite's message for what on ctx and return code. */
int vulndb_sqlerr(struct customs_ctx *ctx, sqlite3 *db, int code,
		  const char *what);

/** Create every table (and the indexes the writer itself needs). */
int vulndb_schema_create(sqlite3 *db, struct customs_ctx *ctx);

/** Create the lookup indexes (deferred after a fresh bulk load). */
int vulndb_schema_indexes(sqlite3 *db, struct customs_ctx *ctx);

/**
 * Check that db is a customs database of our schema version; name names
 * it in the message. 0, CUSTOMS_EFORMAT or CUSTOMS_EIO.
 */
int vulndb_schema_check(sqlite3 *db, const char *name, struct customs_ctx *ctx);

/** Current UTC time as RFC 3339 into buf (at least 21 bytes). */
void vulndb_now(char *buf, size_t n);

/**
 * A sink writing into w under source (its name is the default source
 * name; fallback names it when source->name is NULL). *state is
 * allocated; free it with vulndb_sink_free(), which adds the number of
 * records written to *n_records.
 */
struct vulndb_sink;
int vulndb_sink_new(struct vulndb_sink **out, struct customs_vuln_sink *sink,
		    struct customs_vulndb_writer *w,
		    const struct customs_vulndb_source *source,
		    const char *fallback, struct customs_ctx *ctx);
void vulndb_sink_free(struct vulndb_sink *s, uint64_t *n_records);

/** The source name used when neither parser nor caller names one. */
void vulndb_sink_fallback(struct vulndb_sink *s, const char *name);

/** The document being parsed (for warnings) and where warnings go. */
void vulndb_sink_document(struct vulndb_sink *s, const char *doc,
			  const struct feed_warn *warn);

/** Records written/skipped as unchanged by w so far (for tests, stats). */
void vulndb_writer_counts(const struct customs_vulndb_writer *w,
			  uint64_t *written, uint64_t *unchanged);

/**
 * The parser for fmt, or for AUTO the first whose detect() accepts the
 * head of data; NULL when none does.
 */
const struct feed_parser *feed_pick(enum customs_feed_format fmt,
				    const char *data, size_t len,
				    const char *name);

/**
 * CVSS v2/v3.0/v3.1 scores computed from vector into *out (version,
 * base, exploitability, impact; strings point into static storage or
 * vector). A v4 vector gives version "4.0" and negative scores. 0 or
 * CUSTOMS_EFORMAT (not a CVSS vector this understands).
 */
int vulndb_cvss_compute(const char *vector, struct customs_cvss *out);

#endif
