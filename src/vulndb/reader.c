/*
 * Reading the database: open read-only (the writer only ever renames a
 * complete file over the path, so a reader's file never changes under
 * it), package lookups by (namespace, normalised name), CPE lookups by
 * (vendor, product), and has_namespace. The merged per-vulnerability
 * view and the status are in info.c. Every lookup is one indexed query
 * through a statement prepared at open.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "util/alloc.h"
#include "util/error.h"
#include "vulndb/reader_int.h"
#include "util/banned.h"

static const char *const rst_sql[RST_N] = {
	[RST_LOOKUP] = "SELECT v.vid, s.name, a.namespace, a.raw_name, "
		       "a.scheme, a.ranges, a.versions, a.fixed, a.fix_state, "
		       "a.severity, a.fix_date, a.qualifier, v.withdrawn "
		       "FROM affected a JOIN vulns v ON v.id = (a.id >> 20) "
		       "JOIN sources s ON s.id = v.source "
		       "WHERE a.namespace = ?1 AND a.name = ?2 ORDER BY a.id",
	[RST_HAS_NS] = "SELECT 1 FROM affected WHERE namespace = ?1 LIMIT 1",
	[RST_CPE] = "SELECT v.vid, c.criteria, c.start_including, "
		    "c.start_excluding, c.end_including, c.end_excluding, "
		    "c.vulnerable, c.config FROM cpes c "
		    "JOIN vulns v ON v.id = (c.id >> 20) "
		    "WHERE c.vendor = ?1 AND c.product = ?2 ORDER BY c.id",
};

/* A file: URI for path (percent-encoding what a URI cannot hold). */
static char *file_uri(const char *path)
{
	struct cbuf b = CBUF_INIT(1 << 20);
	const unsigned char *p;

	cbuf_puts(&b, "file:");
	for (p = (const unsigned char *)path; *p; p++) {
		if (*p == '%' || *p == '?' || *p == '#' || *p <= ' ' ||
		    *p >= 0x7f)
			cbuf_printf(&b, "%%%02X", *p);
		else
			cbuf_putc(&b, (char)*p);
	}
	cbuf_puts(&b, "?mode=ro");
	if (cbuf_error(&b)) {
		cbuf_release(&b);
		return NULL;
	}
	return cbuf_detach(&b);
}

static int open_file(struct customs_vulndb *db, const char *path,
		     struct customs_ctx *ctx)
{
	char *uri = file_uri(path);
	int rc;

	if (!uri)
		return CUSTOMS_ENOMEM;
	rc = sqlite3_open_v2(uri, &db->db,
			     SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
				     SQLITE_OPEN_NOMUTEX,
			     NULL);
	customs_free(uri);
	if (rc != SQLITE_OK)
		return vulndb_sqlerr(ctx, db->db,
				     rc == SQLITE_NOMEM ? CUSTOMS_ENOMEM
							: CUSTOMS_EIO,
				     path);
	rc = vulndb_schema_check(db->db, path, ctx);
	if (rc)
		return rc;
	for (int i = 0; i < RST_N; i++) {
		if (sqlite3_prepare_v3(db->db, rst_sql[i], -1,
				       SQLITE_PREPARE_PERSISTENT, &db->st[i],
				       NULL) != SQLITE_OK)
			return customs_error(ctx, CUSTOMS_EFORMAT,
					     "'%s': not a customs "
					     "vulnerability database (%s)",
					     path, sqlite3_errmsg(db->db));
	}
	return 0;
}

int customs_vulndb_open(struct customs_vulndb **out, const char *path,
			struct customs_ctx *ctx)
{
	struct customs_vulndb *db;
	struct stat sb;
	int rc;

	*out = NULL;
	if (stat(path, &sb) != 0) {
		if (errno == ENOENT)
			return customs_error(ctx, CUSTOMS_ENOTFOUND,
					     "no vulnerability database at "
					     "'%s': run `customs db update` "
					     "or `customs db import`",
					     path);
		return customs_error(ctx, CUSTOMS_EIO, "cannot open '%s': %s",
				     path, strerror(errno));
	}
	db = customs_calloc(1, sizeof(*db));
	if (!db)
		return CUSTOMS_ENOMEM;
	cbuf_init(&db->name, 1 << 16);
	rc = open_file(db, path, ctx);
	if (rc) {
		customs_vulndb_free(db);
		return rc;
	}
	*out = db;
	return 0;
}

void customs_vulndb_free(struct customs_vulndb *db)
{
	if (!db)
		return;
	for (int i = 0; i < RST_N; i++)
		sqlite3_finalize(db->st[i]);
	sqlite3_close(db->db);
	cbuf_release(&db->name);
	customs_free(db);
}

int reader_done(struct customs_vulndb *db, sqlite3_stmt *st, int rc,
		struct customs_ctx *ctx)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return vulndb_sqlerr(ctx, db->db,
				     rc == SQLITE_NOMEM ? CUSTOMS_ENOMEM
							: CUSTOMS_EIO,
				     "reading the database");
	return 0;
}

const char *reader_col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static const char *col_or_empty(sqlite3_stmt *st, int i)
{
	const char *s = reader_col(st, i);

	return s ? s : "";
}

static void fill_hit(sqlite3_stmt *st, struct customs_vulndb_hit *h)
{
	h->vuln_id = reader_col(st, 0);
	h->source = reader_col(st, 1);
	h->namespace = reader_col(st, 2);
	h->name = reader_col(st, 3);
	h->scheme = (enum customs_version_scheme)sqlite3_column_int(st, 4);
	h->ranges = col_or_empty(st, 5);
	h->versions = col_or_empty(st, 6);
	h->fixed = col_or_empty(st, 7);
	h->fix_state = (enum customs_fix_state)sqlite3_column_int(st, 8);
	h->severity = (enum customs_severity)sqlite3_column_int(st, 9);
	h->fix_date = reader_col(st, 10);
	h->qualifier = reader_col(st, 11);
	h->withdrawn = sqlite3_column_int(st, 12) != 0;
}

int customs_vulndb_lookup(struct customs_vulndb *db, const char *namespace,
			  const char *name, customs_vulndb_hit_cb cb, void *arg,
			  struct customs_ctx *ctx)
{
	sqlite3_stmt *st = db->st[RST_LOOKUP];
	struct customs_vulndb_hit hit;
	int rc, step;

	if (vulndb_normalize_into(&db->name, namespace, name))
		return customs_error(ctx, CUSTOMS_ELIMIT,
				     "vulndb: package name too long");
	sqlite3_bind_text(st, 1, namespace, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, db->name.ptr, (int)db->name.len,
			  SQLITE_STATIC);
	rc = 0;
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&hit, 0, sizeof(hit));
		fill_hit(st, &hit);
		rc = cb(arg, &hit);
	}
	if (rc) {
		reader_done(db, st, SQLITE_DONE, ctx);
		return rc;
	}
	return reader_done(db, st, step, ctx);
}

int customs_vulndb_has_namespace(struct customs_vulndb *db,
				 const char *namespace, bool *out,
				 struct customs_ctx *ctx)
{
	sqlite3_stmt *st = db->st[RST_HAS_NS];
	int step;

	sqlite3_bind_text(st, 1, namespace, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	*out = step == SQLITE_ROW;
	return reader_done(db, st, step, ctx);
}

int customs_vulndb_lookup_cpe(struct customs_vulndb *db, const char *vendor,
			      const char *product, customs_vulndb_cpe_cb cb,
			      void *arg, struct customs_ctx *ctx)
{
	sqlite3_stmt *st = db->st[RST_CPE];
	struct customs_vuln_cpe cpe;
	int rc = 0, step;

	sqlite3_bind_text(st, 1, vendor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, product, -1, SQLITE_STATIC);
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		cpe.criteria = reader_col(st, 1);
		cpe.start_including = reader_col(st, 2);
		cpe.start_excluding = reader_col(st, 3);
		cpe.end_including = reader_col(st, 4);
		cpe.end_excluding = reader_col(st, 5);
		cpe.vulnerable = sqlite3_column_int(st, 6) != 0;
		cpe.config = sqlite3_column_int(st, 7);
		rc = cb(arg, reader_col(st, 0), &cpe);
	}
	if (rc) {
		reader_done(db, st, SQLITE_DONE, ctx);
		return rc;
	}
	return reader_done(db, st, step, ctx);
}
