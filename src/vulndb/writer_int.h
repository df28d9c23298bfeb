/*
 * The writer's state, shared by writer.c (file lifecycle: build aside,
 * commit by rename) and sink.c (turning records into rows).
 */
#ifndef CUSTOMS_VULNDB_WRITER_INT_H
#define CUSTOMS_VULNDB_WRITER_INT_H

#include "vulndb/vulndb_int.h"

enum wst {
	WST_FIND_VULN,
	WST_INS_VULN,
	WST_DEL_AFF,
	WST_DEL_CVSS,
	WST_DEL_CPES,
	WST_DEL_ALIASES,
	WST_DEL_CWES,
	WST_INS_ALIAS,
	WST_INS_CWE,
	WST_INS_CVSS,
	WST_INS_AFF,
	WST_INS_CPE,
	WST_INS_KEV,
	WST_INS_EPSS,
	WST_INS_EPSS_META,
	WST_FIND_SOURCE,
	WST_INS_SOURCE,
	WST_UPD_SOURCE,
	WST_N
};

struct customs_vulndb_writer {
	sqlite3 *db;
	char *path; /* the database's final path */
	char *tmp; /* the file built aside */
	int fd; /* tmp, kept open for fsync */
	sqlite3_stmt *st[WST_N];
	int64_t next_vuln;
	struct cbuf name; /* normalised package names */
	struct cbuf text; /* joined versions */
	struct cbuf text2; /* joined fixed versions */
	uint64_t written, unchanged;
	/*
	 * Snapshot sources emptied by this writer, with the document that
	 * did it: a second snapshot of one source in one run replaces the
	 * first, which is worth a warning.
	 */
	struct snapshot_seen {
		int64_t source_id;
		char *doc;
	} * snapshots;
	size_t n_snapshots, cap_snapshots;
};

/** Delete every row of advisory vuln in the child tables. */
int writer_delete_children(struct customs_vulndb_writer *w, int64_t vuln,
			   struct customs_ctx *ctx);

/** Reset st after use and map its step result rc to 0 or EIO. */
int writer_done(struct customs_vulndb_writer *w, sqlite3_stmt *st, int rc,
		const char *what, struct customs_ctx *ctx);

#endif
