/*
 * rpmdb.sqlite: rpm's SQLite backend (rpm 4.16+). Packages(hnum, blob)
 * holds one header blob per installed package; the other tables are
 * indexes rpm can rebuild and are not read.
 *
 * The file is opened in memory with sqlite3_deserialize, read-only, and
 * never touches the disk. rpm keeps the database in WAL mode, which an
 * in-memory database cannot open, so the image is copied once into a
 * buffer SQLite owns and its header's read/write format bytes are set
 * back to "rollback journal"; a WAL file beside it (pages rpm had not
 * checkpointed yet) is not applied. The copy costs one database-size
 * buffer for the duration of the parse.
 *
 * A hostile database must not make this hang or grow: defensive mode and
 * untrusted schema are on, triggers and views are off (Packages must be a
 * real table), the biggest string or blob is capped, and a progress
 * handler stops any statement after a number of VM steps proportional to
 * the file size. SQLite's own errors ("database disk image is
 * malformed", and out-of-memory, which is how it reports some corrupt
 * records) become warnings.
 */
#include <inttypes.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "catalog/rpmdb_int.h"
#include "catalog/rpmheader.h"
#include "util/banned.h"

#define HEADER_LEN 100
/* VM steps allowed per byte of database, and at least */
#define STEPS_PER_BYTE 64u
#define MIN_STEPS 1000000u
#define PROGRESS_EVERY 1000

struct budget {
	uint64_t left; /* progress callbacks still allowed */
};

static int progress(void *arg)
{
	struct budget *b = arg;

	if (!b->left)
		return 1;
	b->left--;
	return 0;
}

/* SQLite reports some corruptions (a record claiming gigabytes) as
 * SQLITE_NOMEM, so its errors are all warnings about the file. */
static int sq_warn(struct rpm_ctx *c, sqlite3 *db, const char *what, int code)
{
	return rpm_warn(c, "sqlite: %s: %s", what,
			db ? sqlite3_errmsg(db) : sqlite3_errstr(code));
}

static void harden(sqlite3 *db, size_t len, struct budget *b)
{
	uint64_t steps = (uint64_t)len * STEPS_PER_BYTE;

	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)0);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, (int *)0);
#ifdef SQLITE_DBCONFIG_TRUSTED_SCHEMA /* 3.31 */
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)0);
#endif
#ifdef SQLITE_DBCONFIG_ENABLE_VIEW /* 3.31 */
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, (int *)0);
#endif
	sqlite3_limit(db, SQLITE_LIMIT_LENGTH,
		      (int)(8 + 16 * (uint64_t)RPMHDR_MAX_TAGS + 0x0fffffffu));
	sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
	b->left = (steps < MIN_STEPS ? MIN_STEPS : steps) / PROGRESS_EVERY;
	sqlite3_progress_handler(db, PROGRESS_EVERY, progress, b);
}

/* Open a private in-memory copy of the file; 1 ok, 0 bad (warned). */
static int open_copy(struct rpm_ctx *c, sqlite3 **out,
		     const unsigned char *data, size_t len)
{
	unsigned char *copy;
	sqlite3 *db = NULL;
	int rc;

	*out = NULL;
	if (len < HEADER_LEN)
		return rpm_warn(c, "sqlite: file shorter than its header");
	rc = sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE, NULL);
	if (rc != SQLITE_OK) {
		rc = sq_warn(c, NULL, "open", rc);
		sqlite3_close(db);
		return rc;
	}
	copy = sqlite3_malloc64(len);
	if (!copy) {
		sqlite3_close(db);
		return CUSTOMS_ENOMEM;
	}
	memcpy(copy, data, len);
	/* file format write/read versions: 2 (WAL) -> 1 (rollback) */
	copy[18] = copy[18] == 2 ? 1 : copy[18];
	copy[19] = copy[19] == 2 ? 1 : copy[19];
	rc = sqlite3_deserialize(
		db, "main", copy, (sqlite3_int64)len, (sqlite3_int64)len,
		SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY);
	if (rc != SQLITE_OK) {
		rc = sq_warn(c, db, "load", rc);
		sqlite3_close(db);
		return rc;
	}
	*out = db;
	return 1;
}

static int row(struct rpm_ctx *c, sqlite3_stmt *st, rpm_blob_fn fn)
{
	sqlite3_int64 hnum = sqlite3_column_int64(st, 0);
	const void *blob;
	char where[48];
	int n;

	snprintf(where, sizeof(where), "record %lld", (long long)hnum);
	if (sqlite3_column_type(st, 1) != SQLITE_BLOB)
		return rpm_warn(c, "%s: blob column is not a blob", where);
	blob = sqlite3_column_blob(st, 1);
	n = sqlite3_column_bytes(st, 1);
	if (!blob || n <= 0)
		return rpm_warn(c, "%s: empty blob", where);
	return fn(c, blob, (size_t)n, where);
}

static int walk(struct rpm_ctx *c, sqlite3 *db, rpm_blob_fn fn)
{
	sqlite3_stmt *st = NULL;
	int rc = 0, s;

	s = sqlite3_prepare_v2(db, "SELECT hnum, blob FROM Packages", -1, &st,
			       NULL);
	if (s != SQLITE_OK)
		return sq_warn(c, db, "no readable Packages table", s);
	while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW)
		rc = row(c, st, fn);
	if (!rc && s != SQLITE_DONE)
		rc = sq_warn(c, db, "reading Packages", s);
	sqlite3_finalize(st);
	return rc;
}

int rpm_sqlite_each(struct rpm_ctx *c, const unsigned char *data, size_t len,
		    rpm_blob_fn fn)
{
	struct budget b = { 0 };
	sqlite3 *db = NULL;
	int rc = open_copy(c, &db, data, len);

	if (rc <= 0)
		return rc;
	harden(db, len, &b);
	rc = walk(c, db, fn);
	sqlite3_close(db);
	return rc;
}
