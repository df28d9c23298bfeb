/*
 * The database schema (docs/internals/vulndb.md explains every table):
 * creation, the lookup indexes that a fresh bulk load creates only at the
 * end, and the check that an existing file is a customs database of this
 * schema version. The meta table holds "schema_version" and "built".
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/error.h"
#include "vulndb/vulndb_int.h"
#include "util/banned.h"

static const char schema_sql[] =
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
	"CREATE TABLE sources(id INTEGER PRIMARY KEY, name TEXT NOT NULL "
	" UNIQUE, origin TEXT, feed_date TEXT, imported_at TEXT);"
	"CREATE TABLE vulns(id INTEGER PRIMARY KEY, source INTEGER NOT NULL,"
	" vid TEXT NOT NULL, summary TEXT, description TEXT, link TEXT,"
	" severity INTEGER NOT NULL, published TEXT, modified TEXT,"
	" withdrawn INTEGER NOT NULL);"
	"CREATE UNIQUE INDEX vulns_key ON vulns(source, vid);"
	"CREATE TABLE aliases(vuln INTEGER NOT NULL, alias TEXT NOT NULL,"
	" PRIMARY KEY(vuln, alias)) WITHOUT ROWID;"
	"CREATE TABLE cwes(vuln INTEGER NOT NULL, cwe TEXT NOT NULL,"
	" PRIMARY KEY(vuln, cwe)) WITHOUT ROWID;"
	"CREATE TABLE cvss(id INTEGER PRIMARY KEY, version TEXT, vector TEXT,"
	" base REAL, exploitability REAL, impact REAL, source TEXT,"
	" is_primary INTEGER NOT NULL);"
	"CREATE TABLE affected(id INTEGER PRIMARY KEY, namespace TEXT NOT "
	" NULL, name TEXT NOT NULL, raw_name TEXT NOT NULL, scheme INTEGER "
	" NOT NULL, ranges TEXT, versions TEXT, fixed TEXT, fix_state INTEGER"
	" NOT NULL, severity INTEGER NOT NULL, fix_date TEXT, qualifier "
	" TEXT);"
	"CREATE TABLE cpes(id INTEGER PRIMARY KEY, vendor TEXT NOT NULL,"
	" product TEXT NOT NULL, criteria TEXT NOT NULL, start_including "
	" TEXT, start_excluding TEXT, end_including TEXT, end_excluding TEXT,"
	" vulnerable INTEGER NOT NULL, config INTEGER NOT NULL);"
	"CREATE TABLE kev(cve TEXT PRIMARY KEY, source INTEGER NOT NULL,"
	" vendor TEXT, product TEXT, name TEXT, date_added TEXT, due_date "
	" TEXT, required_action TEXT, ransomware INTEGER NOT NULL) WITHOUT "
	" ROWID;"
	"CREATE TABLE epss(cve TEXT PRIMARY KEY, source INTEGER NOT NULL,"
	" score REAL NOT NULL, percentile REAL NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE epss_meta(source INTEGER PRIMARY KEY, model_version "
	" TEXT, score_date TEXT);"
	"CREATE TABLE validators(url TEXT PRIMARY KEY, etag TEXT,"
	" last_modified TEXT) WITHOUT ROWID;";

static const char index_sql[] =
	"CREATE INDEX IF NOT EXISTS vulns_vid ON vulns(vid);"
	"CREATE INDEX IF NOT EXISTS aliases_alias ON aliases(alias);"
	"CREATE INDEX IF NOT EXISTS affected_pkg ON affected(namespace, name);"
	"CREATE INDEX IF NOT EXISTS cpes_product ON cpes(vendor, product);";

int vulndb_sqlerr(struct customs_ctx *ctx, sqlite3 *db, int code,
		  const char *what)
{
	const char *msg = db ? sqlite3_errmsg(db) : "out of memory";

	return customs_error(ctx, code, "vulndb: %s: %s", what, msg);
}

int vulndb_schema_create(sqlite3 *db, struct customs_ctx *ctx)
{
	char sql[160];

	if (sqlite3_exec(db, schema_sql, NULL, NULL, NULL) != SQLITE_OK)
		return vulndb_sqlerr(ctx, db, CUSTOMS_EIO, "creating schema");
	snprintf(sql, sizeof(sql),
		 "INSERT INTO meta VALUES('schema_version', '%d');",
		 VULNDB_SCHEMA_VERSION);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return vulndb_sqlerr(ctx, db, CUSTOMS_EIO, "creating schema");
	return 0;
}

int vulndb_schema_indexes(sqlite3 *db, struct customs_ctx *ctx)
{
	if (sqlite3_exec(db, index_sql, NULL, NULL, NULL) != SQLITE_OK)
		return vulndb_sqlerr(ctx, db, CUSTOMS_EIO, "creating indexes");
	return 0;
}

int vulndb_schema_check(sqlite3 *db, const char *name, struct customs_ctx *ctx)
{
	sqlite3_stmt *st = NULL;
	int rc, version = -1;

	rc = sqlite3_prepare_v2(db,
				"SELECT value FROM meta WHERE key = "
				"'schema_version'",
				-1, &st, NULL);
	if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc == SQLITE_NOTADB || (rc != SQLITE_OK && version < 0 &&
				    sqlite3_errcode(db) == SQLITE_ERROR))
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "'%s' is not a customs vulnerability "
				     "database",
				     name);
	if (rc != SQLITE_OK)
		return vulndb_sqlerr(ctx, db, CUSTOMS_EIO, name);
	if (version != VULNDB_SCHEMA_VERSION)
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "'%s': schema version %d, this customs "
				     "reads %d (rebuild it with --fresh)",
				     name, version, VULNDB_SCHEMA_VERSION);
	return 0;
}

void vulndb_now(char *buf, size_t n)
{
	time_t t = time(NULL);
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, n, "1970-01-01T00:00:00Z");
}
