/*
 * The database writer's file lifecycle. A writer never touches the file
 * at path: it copies it (or starts empty) into a temporary file in the
 * same directory, writes everything in one SQLite transaction with the
 * journal off (the file is private until commit, so a crash just leaves
 * garbage that nobody opens), creates the lookup indexes at the end,
 * fsyncs, and renames it over path. A reader that opened path before
 * keeps its old inode and never sees a partial database; an abandoned
 * writer unlinks its file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/alloc.h"
#include "util/error.h"
#include "util/fdio.h"
#include "vulndb/writer_int.h"
#include "util/banned.h"

#define WRITER_TEXT_MAX (256u << 20)

static const char *const wst_sql[WST_N] = {
	[WST_FIND_VULN] = "SELECT id, modified FROM vulns WHERE source = ?1 "
			  "AND vid = ?2",
	[WST_INS_VULN] = "INSERT OR REPLACE INTO vulns VALUES(?1, ?2, ?3, ?4,"
			 " ?5, ?6, ?7, ?8, ?9, ?10)",
	[WST_DEL_AFF] = "DELETE FROM affected WHERE id BETWEEN ?1 AND ?2",
	[WST_DEL_CVSS] = "DELETE FROM cvss WHERE id BETWEEN ?1 AND ?2",
	[WST_DEL_CPES] = "DELETE FROM cpes WHERE id BETWEEN ?1 AND ?2",
	[WST_DEL_ALIASES] = "DELETE FROM aliases WHERE vuln = ?1",
	[WST_DEL_CWES] = "DELETE FROM cwes WHERE vuln = ?1",
	[WST_INS_ALIAS] = "INSERT OR IGNORE INTO aliases VALUES(?1, ?2)",
	[WST_INS_CWE] = "INSERT OR IGNORE INTO cwes VALUES(?1, ?2)",
	[WST_INS_CVSS] = "INSERT INTO cvss VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7,"
			 " ?8)",
	[WST_INS_AFF] = "INSERT INTO affected VALUES(?1, ?2, ?3, ?4, ?5, ?6,"
			" ?7, ?8, ?9, ?10, ?11, ?12)",
	[WST_INS_CPE] = "INSERT INTO cpes VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7,"
			" ?8, ?9, ?10)",
	[WST_INS_KEV] = "INSERT OR REPLACE INTO kev VALUES(?1, ?2, ?3, ?4,"
			" ?5, ?6, ?7, ?8, ?9)",
	[WST_INS_EPSS] = "INSERT OR REPLACE INTO epss VALUES(?1, ?2, ?3, ?4)",
	[WST_INS_EPSS_META] = "INSERT OR REPLACE INTO epss_meta VALUES(?1, "
			      "?2, ?3)",
	[WST_FIND_SOURCE] = "SELECT id FROM sources WHERE name = ?1",
	[WST_INS_SOURCE] = "INSERT INTO sources(name, origin, feed_date,"
			   " imported_at) VALUES(?1, ?2, ?3, ?4)",
	[WST_UPD_SOURCE] = "UPDATE sources SET origin = coalesce(?2, origin),"
			   " feed_date = coalesce(?3, feed_date), "
			   "imported_at = ?4 WHERE id = ?1",
};

int writer_done(struct customs_vulndb_writer *w, sqlite3_stmt *st, int rc,
		const char *what, struct customs_ctx *ctx)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return vulndb_sqlerr(ctx, w->db,
				     rc == SQLITE_NOMEM ? CUSTOMS_ENOMEM
							: CUSTOMS_EIO,
				     what);
	return 0;
}

/* Create the directory of path (and its parents) when missing. */
static int make_parent(const char *path, struct customs_ctx *ctx)
{
	char *dir = customs_strdup(path);
	char *p;
	int rc = 0;

	if (!dir)
		return CUSTOMS_ENOMEM;
	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(dir, 0777) && errno != EEXIST) {
			rc = customs_error(ctx, CUSTOMS_EIO,
					   "cannot create directory '%s': %s",
					   dir, strerror(errno));
			break;
		}
		*p = '/';
	}
	customs_free(dir);
	return rc;
}

/* Copy the open file src into dst; 0 or EIO. */
static int copy_fd(int src, int dst, const char *name, struct customs_ctx *ctx)
{
	char buf[1 << 16];
	size_t n;

	do {
		if (customs_read_full(src, buf, sizeof(buf), &n))
			return customs_error(ctx, CUSTOMS_EIO,
					     "reading '%s': %s", name,
					     strerror(errno));
		if (customs_write_all(dst, buf, n))
			return customs_error(ctx, CUSTOMS_EIO,
					     "writing a copy of '%s': %s", name,
					     strerror(errno));
	} while (n == sizeof(buf));
	return 0;
}

static bool sqlite_magic(int fd)
{
	char head[16];

	return pread(fd, head, 16, 0) == 16 &&
	       !memcmp(head, "SQLite format 3", 16);
}

/*
 * Copy the current database (unless fresh) into w->tmp; *copied says
 * whether anything was copied. A non-empty file at path that is not
 * SQLite is refused even when fresh: it is not ours to overwrite.
 */
static int seed_tmp(struct customs_vulndb_writer *w, bool fresh, bool *copied,
		    struct customs_ctx *ctx)
{
	struct stat sb;
	int fd, rc = 0;

	*copied = false;
	fd = open(w->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0)
		return customs_error(ctx, CUSTOMS_EIO, "cannot open '%s': %s",
				     w->path, strerror(errno));
	if (fstat(fd, &sb) == 0 && sb.st_size > 0 && !sqlite_magic(fd))
		rc = customs_error(ctx, CUSTOMS_EFORMAT,
				   "'%s' is not a customs vulnerability "
				   "database",
				   w->path);
	else if (!fresh && sb.st_size > 0) {
		rc = copy_fd(fd, w->fd, w->path, ctx);
		*copied = rc == 0;
	}
	close(fd);
	return rc;
}

static int exec(struct customs_vulndb_writer *w, const char *sql,
		struct customs_ctx *ctx)
{
	if (sqlite3_exec(w->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return vulndb_sqlerr(ctx, w->db, CUSTOMS_EIO, sql);
	return 0;
}

static int prepare_all(struct customs_vulndb_writer *w, struct customs_ctx *ctx)
{
	sqlite3_stmt *st;
	int i;

	for (i = 0; i < WST_N; i++) {
		if (sqlite3_prepare_v3(w->db, wst_sql[i], -1,
				       SQLITE_PREPARE_PERSISTENT, &w->st[i],
				       NULL) != SQLITE_OK)
			return vulndb_sqlerr(ctx, w->db, CUSTOMS_EIO,
					     "preparing statements");
	}
	if (sqlite3_prepare_v2(w->db, "SELECT coalesce(max(id), 0) FROM vulns",
			       -1, &st, NULL) != SQLITE_OK)
		return vulndb_sqlerr(ctx, w->db, CUSTOMS_EIO, "reading vulns");
	if (sqlite3_step(st) == SQLITE_ROW)
		w->next_vuln = sqlite3_column_int64(st, 0) + 1;
	sqlite3_finalize(st);
	return 0;
}

/* Open the file built aside, with the PRAGMAs of a private bulk load. */
static int open_db(struct customs_vulndb_writer *w, bool copied,
		   struct customs_ctx *ctx)
{
	int rc;

	if (sqlite3_open_v2(w->tmp, &w->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK)
		return vulndb_sqlerr(ctx, w->db, CUSTOMS_EIO, w->tmp);
	rc = exec(w,
		  "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
		  "PRAGMA locking_mode = EXCLUSIVE; PRAGMA temp_store = MEMORY;"
		  "PRAGMA cache_size = -131072;",
		  ctx);
	if (!rc && !copied)
		rc = exec(w, "PRAGMA page_size = 8192;", ctx);
	if (rc)
		return rc;
	if (copied && (rc = vulndb_schema_check(w->db, w->path, ctx)))
		return rc;
	if ((rc = exec(w, "BEGIN", ctx)))
		return rc;
	if (!copied && (rc = vulndb_schema_create(w->db, ctx)))
		return rc;
	return prepare_all(w, ctx);
}

static int make_tmp(struct customs_vulndb_writer *w, struct customs_ctx *ctx)
{
	struct cbuf b = CBUF_INIT(1 << 16);

	cbuf_printf(&b, "%s.new-XXXXXX", w->path);
	if (cbuf_error(&b)) {
		cbuf_release(&b);
		return CUSTOMS_ENOMEM;
	}
	w->tmp = cbuf_detach(&b);
	if (!w->tmp)
		return CUSTOMS_ENOMEM;
	w->fd = mkostemp(w->tmp, O_CLOEXEC);
	if (w->fd < 0) {
		customs_error(ctx, CUSTOMS_EIO, "cannot create '%s': %s",
			      w->tmp, strerror(errno));
		customs_free(w->tmp);
		w->tmp = NULL;
		return CUSTOMS_EIO;
	}
	return 0;
}

int customs_vulndb_writer_new(struct customs_vulndb_writer **out,
			      const char *path, bool fresh,
			      struct customs_ctx *ctx)
{
	struct customs_vulndb_writer *w;
	bool copied = false;
	int rc;

	*out = NULL;
	w = customs_calloc(1, sizeof(*w));
	if (!w)
		return CUSTOMS_ENOMEM;
	w->fd = -1;
	w->next_vuln = 1;
	cbuf_init(&w->name, 1 << 16);
	cbuf_init(&w->text, WRITER_TEXT_MAX);
	cbuf_init(&w->text2, WRITER_TEXT_MAX);
	w->path = customs_strdup(path);
	rc = w->path ? 0 : CUSTOMS_ENOMEM;
	if (!rc)
		rc = make_parent(path, ctx);
	if (!rc)
		rc = make_tmp(w, ctx);
	if (!rc)
		rc = seed_tmp(w, fresh, &copied, ctx);
	if (!rc)
		rc = open_db(w, copied, ctx);
	if (rc) {
		customs_vulndb_writer_free(w);
		return rc;
	}
	*out = w;
	return 0;
}

static void close_db(struct customs_vulndb_writer *w)
{
	int i;

	for (i = 0; i < WST_N; i++) {
		sqlite3_finalize(w->st[i]);
		w->st[i] = NULL;
	}
	sqlite3_close(w->db);
	w->db = NULL;
}

static void release(struct customs_vulndb_writer *w)
{
	close_db(w);
	if (w->fd >= 0)
		close(w->fd);
	cbuf_release(&w->name);
	cbuf_release(&w->text);
	cbuf_release(&w->text2);
	while (w->n_snapshots)
		customs_free(w->snapshots[--w->n_snapshots].doc);
	customs_free(w->snapshots);
	customs_free(w->tmp);
	customs_free(w->path);
	customs_free(w);
}

void customs_vulndb_writer_free(struct customs_vulndb_writer *w)
{
	if (!w)
		return;
	if (w->tmp)
		unlink(w->tmp);
	release(w);
}

static int finish_sql(struct customs_vulndb_writer *w, struct customs_ctx *ctx)
{
	char sql[128];
	char now[32];
	int rc;

	vulndb_now(now, sizeof(now));
	snprintf(sql, sizeof(sql),
		 "INSERT OR REPLACE INTO meta VALUES('built', '%s')", now);
	rc = vulndb_schema_indexes(w->db, ctx);
	if (!rc)
		rc = exec(w, sql, ctx);
	if (!rc)
		rc = exec(w, "COMMIT", ctx);
	if (!rc)
		rc = exec(w, "PRAGMA optimize", ctx);
	return rc;
}

/* fsync the directory holding path, so the rename itself is durable. */
static void sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd;

	dir = slash ? customs_strndup(path, (size_t)(slash - path) + 1)
		    : customs_strdup(".");
	if (!dir)
		return;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	customs_free(dir);
}

int customs_vulndb_writer_commit(struct customs_vulndb_writer *w,
				 struct customs_ctx *ctx)
{
	int rc = finish_sql(w, ctx);

	if (!rc) {
		close_db(w);
		if (fsync(w->fd) || fchmod(w->fd, 0644))
			rc = customs_error(ctx, CUSTOMS_EIO, "writing '%s': %s",
					   w->tmp, strerror(errno));
	}
	if (!rc && rename(w->tmp, w->path))
		rc = customs_error(ctx, CUSTOMS_EIO,
				   "cannot rename '%s' to '%s': %s", w->tmp,
				   w->path, strerror(errno));
	if (rc) {
		customs_vulndb_writer_free(w);
		return rc;
	}
	sync_dir(w->path);
	release(w);
	return 0;
}

void vulndb_writer_counts(const struct customs_vulndb_writer *w,
			  uint64_t *written, uint64_t *unchanged)
{
	*written = w->written;
	*unchanged = w->unchanged;
}

int customs_vulndb_writer_validators(struct customs_vulndb_writer *w,
				     const char *url, char **etag,
				     char **last_modified,
				     struct customs_ctx *ctx)
{
	sqlite3_stmt *st = NULL;
	const char *e, *l;
	int rc;

	*etag = *last_modified = NULL;
	if (sqlite3_prepare_v2(w->db,
			       "SELECT etag, last_modified FROM validators "
			       "WHERE url = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return vulndb_sqlerr(ctx, w->db, CUSTOMS_EIO, "validators");
	sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		e = (const char *)sqlite3_column_text(st, 0);
		l = (const char *)sqlite3_column_text(st, 1);
		*etag = e ? customs_strdup(e) : NULL;
		*last_modified = l ? customs_strdup(l) : NULL;
		rc = ((e && !*etag) || (l && !*last_modified)) ? CUSTOMS_ENOMEM
							       : 0;
	} else if (rc == SQLITE_DONE) {
		rc = CUSTOMS_ENOTFOUND;
	} else {
		rc = vulndb_sqlerr(ctx, w->db, CUSTOMS_EIO, "validators");
	}
	sqlite3_finalize(st);
	if (rc) {
		customs_free(*etag);
		customs_free(*last_modified);
		*etag = *last_modified = NULL;
	}
	return rc;
}

int customs_vulndb_writer_set_validators(struct customs_vulndb_writer *w,
					 const char *url, const char *etag,
					 const char *last_modified,
					 struct customs_ctx *ctx)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(w->db,
			       "INSERT OR REPLACE INTO validators "
			       "VALUES(?1, ?2, ?3)",
			       -1, &st, NULL) != SQLITE_OK)
		return vulndb_sqlerr(ctx, w->db, CUSTOMS_EIO, "validators");
	sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, etag, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, last_modified, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return vulndb_sqlerr(ctx, w->db, CUSTOMS_EIO, "validators");
	return 0;
}
