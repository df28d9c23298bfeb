/*
 * The database status behind `customs db status`: schema version, build
 * time, one row per source (origin, HTTP validators of its origin URL,
 * feed date, import time, rows it holds) and the totals. And the summary
 * every `scan` and `check` records (build time, sources, namespaces):
 * it never counts a table, so it costs a few index probes whatever the
 * database's size. Namespaces are read by skipping through the
 * affected(namespace, name) index, one probe per namespace, instead of
 * walking every affected row as SELECT DISTINCT would.
 */
#include <string.h>

#include "util/alloc.h"
#include "util/error.h"
#include "vulndb/reader_int.h"
#include "util/banned.h"

static const char sources_sql[] =
	"SELECT s.name, s.origin, val.etag, val.last_modified, s.feed_date, "
	"s.imported_at, "
	"(SELECT count(*) FROM vulns WHERE source = s.id) + "
	"(SELECT count(*) FROM kev WHERE source = s.id) + "
	"(SELECT count(*) FROM epss WHERE source = s.id) "
	"FROM sources s LEFT JOIN validators val ON val.url = s.origin "
	"ORDER BY s.name";

static char *dup_or_null(sqlite3_stmt *st, int i, bool *nomem)
{
	const char *s = reader_col(st, i);
	char *d = s ? customs_strdup(s) : NULL;

	*nomem |= s && !d;
	return d;
}

static int query_u64(struct customs_vulndb *db, const char *sql, uint64_t *out,
		     struct customs_ctx *ctx)
{
	sqlite3_stmt *st;
	int step;

	if (sqlite3_prepare_v2(db->db, sql, -1, &st, NULL) != SQLITE_OK)
		return vulndb_sqlerr(ctx, db->db, CUSTOMS_EIO, "status");
	step = sqlite3_step(st);
	*out = step == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(st, 0) : 0;
	step = reader_done(db, st, step, ctx);
	sqlite3_finalize(st);
	return step;
}

static int read_meta(struct customs_vulndb *db, int *schema_version,
		     char **built, bool *nomem, struct customs_ctx *ctx)
{
	sqlite3_stmt *st;
	const char *key;
	int step;

	if (sqlite3_prepare_v2(db->db, "SELECT key, value FROM meta", -1, &st,
			       NULL) != SQLITE_OK)
		return vulndb_sqlerr(ctx, db->db, CUSTOMS_EIO, "status");
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		key = reader_col(st, 0);
		if (key && !strcmp(key, "schema_version"))
			*schema_version = sqlite3_column_int(st, 1);
		else if (key && !strcmp(key, "built") && !*built)
			*built = dup_or_null(st, 1, nomem);
	}
	step = reader_done(db, st, step, ctx);
	sqlite3_finalize(st);
	return step;
}

static int add_source(struct customs_vulndb_status *s, sqlite3_stmt *st,
		      bool *nomem)
{
	struct customs_vulndb_source_status *v, *r;

	v = customs_reallocarray(s->sources, s->n_sources + 1, sizeof(*v));
	if (!v)
		return CUSTOMS_ENOMEM;
	s->sources = v;
	r = &v[s->n_sources++];
	memset(r, 0, sizeof(*r));
	r->name = dup_or_null(st, 0, nomem);
	r->origin = dup_or_null(st, 1, nomem);
	r->etag = dup_or_null(st, 2, nomem);
	r->last_modified = dup_or_null(st, 3, nomem);
	r->feed_date = dup_or_null(st, 4, nomem);
	r->imported_at = dup_or_null(st, 5, nomem);
	r->records = (uint64_t)sqlite3_column_int64(st, 6);
	return 0;
}

static int read_sources(struct customs_vulndb *db,
			struct customs_vulndb_status *s, bool *nomem,
			struct customs_ctx *ctx)
{
	sqlite3_stmt *st;
	int rc = 0, step;

	if (sqlite3_prepare_v2(db->db, sources_sql, -1, &st, NULL) != SQLITE_OK)
		return vulndb_sqlerr(ctx, db->db, CUSTOMS_EIO, "status");
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW)
		rc = add_source(s, st, nomem);
	if (!rc)
		rc = reader_done(db, st, step, ctx);
	sqlite3_finalize(st);
	return rc;
}

/* Each step seeks the next namespace in the affected_pkg index: as many
 * probes as namespaces, in order (SELECT DISTINCT reads every row). */
static const char namespaces_sql[] =
	"WITH RECURSIVE ns(n) AS ("
	"SELECT min(namespace) FROM affected UNION ALL "
	"SELECT (SELECT min(namespace) FROM affected WHERE namespace > n) "
	"FROM ns WHERE n IS NOT NULL) "
	"SELECT n FROM ns WHERE n IS NOT NULL";

static int read_namespaces(struct customs_vulndb *db,
			   struct customs_strlist *out, struct customs_ctx *ctx)
{
	sqlite3_stmt *st;
	int rc = 0, step;

	if (sqlite3_prepare_v2(db->db, namespaces_sql, -1, &st, NULL) !=
	    SQLITE_OK)
		return vulndb_sqlerr(ctx, db->db, CUSTOMS_EIO, "status");
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW)
		rc = customs_strlist_add(out, reader_col(st, 0));
	if (!rc)
		rc = reader_done(db, st, step, ctx);
	sqlite3_finalize(st);
	return rc;
}

static int fill(struct customs_vulndb *db, struct customs_vulndb_status *s,
		struct customs_ctx *ctx)
{
	bool nomem = false;
	int rc = read_meta(db, &s->schema_version, &s->built, &nomem, ctx);

	if (!rc)
		rc = read_sources(db, s, &nomem, ctx);
	if (!rc)
		rc = query_u64(db, "SELECT count(*) FROM vulns", &s->vulns,
			       ctx);
	if (!rc)
		rc = query_u64(db, "SELECT count(*) FROM affected",
			       &s->affected_rows, ctx);
	if (!rc)
		rc = query_u64(db, "SELECT count(*) FROM kev", &s->kev, ctx);
	if (!rc)
		rc = query_u64(db, "SELECT count(*) FROM epss", &s->epss, ctx);
	if (!rc)
		rc = read_namespaces(db, &s->namespaces, ctx);
	return !rc && nomem ? CUSTOMS_ENOMEM : rc;
}

int customs_vulndb_status(struct customs_vulndb *db,
			  struct customs_vulndb_status **out,
			  struct customs_ctx *ctx)
{
	struct customs_vulndb_status *s = customs_calloc(1, sizeof(*s));
	int rc;

	*out = NULL;
	if (!s)
		return CUSTOMS_ENOMEM;
	rc = fill(db, s, ctx);
	if (rc) {
		customs_vulndb_status_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

void customs_vulndb_status_free(struct customs_vulndb_status *st)
{
	if (!st)
		return;
	customs_free(st->built);
	for (size_t i = 0; i < st->n_sources; i++) {
		struct customs_vulndb_source_status *r = &st->sources[i];

		customs_free(r->name);
		customs_free(r->origin);
		customs_free(r->etag);
		customs_free(r->last_modified);
		customs_free(r->feed_date);
		customs_free(r->imported_at);
	}
	customs_free(st->sources);
	customs_strlist_release(&st->namespaces);
	customs_free(st);
}

static int summary_sources(struct customs_vulndb *db,
			   struct customs_vulndb_summary *s, bool *nomem,
			   struct customs_ctx *ctx)
{
	struct customs_vulndb_source_summary *v, *r;
	sqlite3_stmt *st;
	int rc = 0, step;

	if (sqlite3_prepare_v2(db->db,
			       "SELECT name, feed_date, imported_at "
			       "FROM sources ORDER BY name",
			       -1, &st, NULL) != SQLITE_OK)
		return vulndb_sqlerr(ctx, db->db, CUSTOMS_EIO, "summary");
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		v = customs_reallocarray(s->sources, s->n_sources + 1,
					 sizeof(*v));
		if (!v) {
			rc = CUSTOMS_ENOMEM;
			break;
		}
		s->sources = v;
		r = &v[s->n_sources++];
		r->name = dup_or_null(st, 0, nomem);
		r->feed_date = dup_or_null(st, 1, nomem);
		r->imported_at = dup_or_null(st, 2, nomem);
	}
	if (!rc)
		rc = reader_done(db, st, step, ctx);
	sqlite3_finalize(st);
	return rc;
}

int customs_vulndb_summary(struct customs_vulndb *db,
			   struct customs_vulndb_summary **out,
			   struct customs_ctx *ctx)
{
	struct customs_vulndb_summary *s = customs_calloc(1, sizeof(*s));
	bool nomem = false;
	int rc;

	*out = NULL;
	if (!s)
		return CUSTOMS_ENOMEM;
	rc = read_meta(db, &s->schema_version, &s->built, &nomem, ctx);
	if (!rc)
		rc = summary_sources(db, s, &nomem, ctx);
	if (!rc)
		rc = read_namespaces(db, &s->namespaces, ctx);
	if (!rc && nomem)
		rc = CUSTOMS_ENOMEM;
	if (rc) {
		customs_vulndb_summary_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

void customs_vulndb_summary_free(struct customs_vulndb_summary *s)
{
	if (!s)
		return;
	customs_free(s->built);
	for (size_t i = 0; i < s->n_sources; i++) {
		customs_free(s->sources[i].name);
		customs_free(s->sources[i].feed_date);
		customs_free(s->sources[i].imported_at);
	}
	customs_free(s->sources);
	customs_strlist_release(&s->namespaces);
	customs_free(s);
}
