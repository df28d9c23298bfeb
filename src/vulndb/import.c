/*
 * Importing files into a writer: a plain feed file, a gzip file (every
 * member), a zip (every member, by libarchive), JSON lines (each line a
 * document, named "file:LINE"), or a directory (recursively, entries in
 * byte order). Every decompressed document is bounded by
 * IMPORT_MAX_DOC; a file is read whole, decompressed, and handed to the
 * parser picked by format or detection. In a directory or an archive a
 * document no parser recognises is skipped with a warning naming it; a
 * file named on its own that is no known format is an error.
 */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "util/alloc.h"
#include "util/error.h"
#include "util/fdio.h"
#include "vulndb/feed_int.h"
#include "vulndb/vulndb_int.h"
#include "util/path.h"
#include "util/banned.h"

#define IMPORT_MAX_DOC (1ull << 30)
#define IMPORT_MAX_DEPTH 32

struct import {
	struct customs_vulndb_writer *w;
	struct vulndb_sink *sink_state;
	struct customs_vuln_sink sink;
	enum customs_feed_format fmt;
	struct feed_warn warn;
	struct customs_ctx *ctx;
	uint64_t docs;
};

/* gunzip data (all members) into out, bounded by IMPORT_MAX_DOC. */
static int gunzip(struct cbuf *out, const char *data, size_t len,
		  const char *name, struct customs_ctx *ctx)
{
	z_stream z;
	char chunk[1 << 16];
	int zr = Z_OK;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return CUSTOMS_ENOMEM;
	z.next_in = (Bytef *)data;
	z.avail_in = (uInt)(len > UINT32_MAX ? UINT32_MAX : len);
	while (zr != Z_STREAM_END || z.avail_in) {
		if (zr == Z_STREAM_END && inflateReset(&z) != Z_OK)
			break;
		z.next_out = (Bytef *)chunk;
		z.avail_out = sizeof(chunk);
		zr = inflate(&z, Z_NO_FLUSH);
		if (zr != Z_OK && zr != Z_STREAM_END)
			break;
		if (cbuf_put(out, chunk, sizeof(chunk) - z.avail_out))
			break;
		if (zr == Z_OK && z.avail_out && !z.avail_in)
			break; /* truncated */
	}
	inflateEnd(&z);
	if (cbuf_error(out) == CUSTOMS_ELIMIT)
		return customs_error(ctx, CUSTOMS_ELIMIT,
				     "%s: more than %llu bytes decompressed",
				     name, (unsigned long long)IMPORT_MAX_DOC);
	if (cbuf_error(out))
		return CUSTOMS_ENOMEM;
	if (zr != Z_STREAM_END || z.avail_in)
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "%s: corrupt or truncated gzip data",
				     name);
	return 0;
}

/*
 * JSON lines: a .jsonl/.ndjson name, or a first line that is a whole
 * object followed by another line starting an object. A pretty-printed
 * document never has a first line that both opens and closes an object.
 */
static bool is_jsonl(const char *d, size_t len, const char *name)
{
	const char *nl = memchr(d, '\n', len), *e, *n2;

	if (path_has_suffix(name, ".jsonl") || path_has_suffix(name, ".ndjson"))
		return true;
	if (!nl || len == 0 || d[0] != '{')
		return false;
	e = nl;
	while (e > d && (e[-1] == '\r' || e[-1] == ' '))
		e--;
	if (e == d || e[-1] != '}')
		return false;
	n2 = nl + 1;
	while (n2 < d + len && (*n2 == ' ' || *n2 == '\r' || *n2 == '\n'))
		n2++;
	return n2 < d + len && *n2 == '{';
}

/* Parse d with p, or say why there is no parser. */
static int parse_with(struct import *im, const struct feed_parser *p,
		      const char *d, size_t len, const char *name,
		      bool quiet_unknown)
{
	if (!p && im->fmt != CUSTOMS_FEED_AUTO)
		return customs_error(im->ctx, CUSTOMS_EUNSUPPORTED,
				     "%s: no parser for format '%s' in this "
				     "build",
				     name, customs_feed_format_name(im->fmt));
	if (!p && quiet_unknown) {
		feed_warnf(&im->warn,
			   "%s: skipped: not a feed format customs knows",
			   name);
		return 0;
	}
	if (!p)
		return customs_error(im->ctx, CUSTOMS_EFORMAT,
				     "%s: not a feed format customs knows "
				     "(osv, debian, alpine, nvd, kev, epss)",
				     name);
	vulndb_sink_fallback(im->sink_state, p->name);
	vulndb_sink_document(im->sink_state, name, &im->warn);
	im->docs++;
	return p->parse(d, len, name, &im->sink, &im->warn, im->ctx);
}

static int parse_doc(struct import *im, const char *d, size_t len,
		     const char *name, bool quiet_unknown)
{
	return parse_with(im, feed_pick(im->fmt, d, len, name), d, len, name,
			  quiet_unknown);
}

/* One line of JSON lines failed to parse: warn and go on, unless fatal. */
static int line_failed(struct import *im, int rc)
{
	if (rc != CUSTOMS_EFORMAT && rc != CUSTOMS_ELIMIT &&
	    rc != CUSTOMS_EUNSUPPORTED)
		return rc;
	feed_warnf(&im->warn, "%s", customs_ctx_errmsg(im->ctx));
	customs_ctx_clear(im->ctx);
	return 0;
}

static int parse_lines(struct import *im, const char *d, size_t len,
		       const char *name, bool in_dir)
{
	struct cslice rest = cslice_make(d, len), line;
	const struct feed_parser *p = NULL;
	char where[1024];
	unsigned long lineno = 0;
	int rc = 0;

	/* every line is the format of the first: detect once */
	while (!rc && cslice_next_line(&rest, &line)) {
		lineno++;
		line = cslice_trim(line);
		if (!line.n)
			continue;
		snprintf(where, sizeof(where), "%s:%lu", name, lineno);
		if (!p)
			p = feed_pick(im->fmt, line.p, line.n, where);
		if (!p) /* the first line decides for the whole file */
			return parse_with(im, NULL, d, len, name, in_dir);
		rc = parse_with(im, p, line.p, line.n, where, true);
		if (rc)
			rc = line_failed(im, rc);
	}
	return rc;
}

static int import_zip(struct import *im, const char *d, size_t len,
		      const char *name, int depth);

/* A document as found in a file or an archive member: unwrap, parse. */
static int import_data(struct import *im, const char *d, size_t len,
		       const char *name, bool in_dir, int depth)
{
	struct cbuf plain = CBUF_INIT(IMPORT_MAX_DOC);
	int rc;

	if (depth > IMPORT_MAX_DEPTH)
		return customs_error(im->ctx, CUSTOMS_ELIMIT,
				     "%s: archives nested too deep", name);
	if (len >= 2 && (unsigned char)d[0] == 0x1f &&
	    (unsigned char)d[1] == 0x8b) {
		rc = gunzip(&plain, d, len, name, im->ctx);
		if (!rc)
			rc = import_data(im, plain.ptr, plain.len, name, in_dir,
					 depth + 1);
		cbuf_release(&plain);
		return rc;
	}
	if (len >= 4 && !memcmp(d, "PK\003\004", 4))
		return import_zip(im, d, len, name, depth);
	if (is_jsonl(d, len, name))
		return parse_lines(im, d, len, name, in_dir);
	return parse_doc(im, d, len, name, in_dir);
}

static int read_member(struct archive *a, struct cbuf *b, const char *name,
		       struct customs_ctx *ctx)
{
	char chunk[1 << 16];
	la_ssize_t n;

	cbuf_reset(b);
	while ((n = archive_read_data(a, chunk, sizeof(chunk))) > 0) {
		if (cbuf_put(b, chunk, (size_t)n) == CUSTOMS_ELIMIT)
			return customs_error(
				ctx, CUSTOMS_ELIMIT,
				"%s: member larger than %llu "
				"bytes",
				name, (unsigned long long)IMPORT_MAX_DOC);
	}
	if (n < 0)
		return customs_error(ctx, CUSTOMS_EFORMAT, "%s: %s", name,
				     archive_error_string(a));
	return cbuf_error(b);
}

static int zip_members(struct import *im, struct archive *a, const char *name,
		       int depth)
{
	struct cbuf b = CBUF_INIT(IMPORT_MAX_DOC), where = CBUF_INIT(8192);
	struct archive_entry *e;
	int r, rc = 0;

	while (!rc && (r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		if (archive_entry_filetype(e) != AE_IFREG)
			continue;
		cbuf_reset(&where);
		cbuf_printf(&where, "%s:%s", name, archive_entry_pathname(e));
		rc = read_member(a, &b, where.ptr, im->ctx);
		if (!rc)
			rc = import_data(im, b.ptr, b.len, where.ptr, true,
					 depth + 1);
	}
	if (!rc && r != ARCHIVE_EOF)
		rc = customs_error(im->ctx, CUSTOMS_EFORMAT, "%s: %s", name,
				   archive_error_string(a));
	cbuf_release(&b);
	cbuf_release(&where);
	return rc;
}

static int import_zip(struct import *im, const char *d, size_t len,
		      const char *name, int depth)
{
	struct archive *a = archive_read_new();
	int rc;

	if (!a)
		return CUSTOMS_ENOMEM;
	archive_read_support_format_zip(a);
	if (archive_read_open_memory(a, d, len) != ARCHIVE_OK)
		rc = customs_error(im->ctx, CUSTOMS_EFORMAT, "%s: %s", name,
				   archive_error_string(a));
	else
		rc = zip_members(im, a, name, depth);
	archive_read_free(a);
	return rc;
}

static int read_file(struct cbuf *b, const char *path, struct customs_ctx *ctx)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc, err;

	if (fd < 0)
		return customs_error(ctx, CUSTOMS_EIO, "cannot read '%s': %s",
				     path, strerror(errno));
	rc = customs_read_cbuf(fd, b);
	err = errno;
	close(fd);
	if (rc == CUSTOMS_EIO)
		return customs_error(ctx, CUSTOMS_EIO, "cannot read '%s': %s",
				     path, strerror(err));
	if (rc == CUSTOMS_ELIMIT)
		return customs_error(ctx, CUSTOMS_ELIMIT,
				     "'%s': larger than %llu bytes", path,
				     (unsigned long long)IMPORT_MAX_DOC);
	return rc;
}

static int import_file(struct import *im, const char *path, bool in_dir)
{
	struct cbuf b = CBUF_INIT(IMPORT_MAX_DOC);
	int rc = read_file(&b, path, im->ctx);

	if (!rc)
		rc = import_data(im, b.ptr, b.len, path, in_dir, 0);
	cbuf_release(&b);
	return rc;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int import_any(struct import *im, const char *path, bool in_dir,
		      int depth);

/* The entries of dir (no dot files), sorted bytewise, into *names. */
static int list_dir(struct customs_strlist *names, const char *path,
		    struct customs_ctx *ctx)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int rc = 0;

	if (!d)
		return customs_error(ctx, CUSTOMS_EIO, "cannot read '%s': %s",
				     path, strerror(errno));
	while (!rc && (e = readdir(d)) != NULL) {
		if (e->d_name[0] != '.')
			rc = customs_strlist_add(names, e->d_name);
	}
	closedir(d);
	if (!rc && names->n)
		qsort(names->v, names->n, sizeof(char *), cmp_names);
	return rc;
}

static int import_dir(struct import *im, const char *path, int depth)
{
	struct customs_strlist names = { NULL, 0 };
	struct cbuf sub = CBUF_INIT(1 << 16);
	int rc;

	if (depth > IMPORT_MAX_DEPTH)
		return customs_error(im->ctx, CUSTOMS_ELIMIT,
				     "'%s': directories nested too deep", path);
	rc = list_dir(&names, path, im->ctx);
	for (size_t i = 0; !rc && i < names.n; i++) {
		cbuf_reset(&sub);
		cbuf_printf(&sub, "%s%s%s", path,
			    path_has_suffix(path, "/") ? "" : "/", names.v[i]);
		rc = cbuf_error(&sub)
			     ? CUSTOMS_ENOMEM
			     : import_any(im, sub.ptr, true, depth + 1);
	}
	customs_strlist_release(&names);
	cbuf_release(&sub);
	return rc;
}

static int import_any(struct import *im, const char *path, bool in_dir,
		      int depth)
{
	struct stat sb;

	if (stat(path, &sb) != 0)
		return customs_error(im->ctx, CUSTOMS_EIO,
				     "cannot read '%s': %s", path,
				     strerror(errno));
	if (S_ISDIR(sb.st_mode))
		return import_dir(im, path, depth);
	if (!S_ISREG(sb.st_mode)) {
		if (!in_dir)
			return customs_error(im->ctx, CUSTOMS_EIO,
					     "'%s' is not a regular file",
					     path);
		feed_warnf(&im->warn, "%s: skipped: not a regular file", path);
		return 0;
	}
	return import_file(im, path, in_dir);
}

static int import_start(struct import *im, struct customs_vulndb_writer *w,
			const struct customs_vulndb_source *source,
			enum customs_feed_format fmt,
			void (*warn)(void *, const char *), void *warn_arg,
			struct customs_ctx *ctx)
{
	memset(im, 0, sizeof(*im));
	im->w = w;
	im->fmt = fmt;
	im->warn.fn = warn;
	im->warn.arg = warn_arg;
	im->ctx = ctx;
	return vulndb_sink_new(&im->sink_state, &im->sink, w, source, NULL,
			       ctx);
}

int customs_vulndb_import_path(struct customs_vulndb_writer *w,
			       const struct customs_vulndb_source *source,
			       const char *path, enum customs_feed_format fmt,
			       void (*warn)(void *arg, const char *msg),
			       void *warn_arg, uint64_t *n_records,
			       struct customs_ctx *ctx)
{
	struct import im;
	int rc = import_start(&im, w, source, fmt, warn, warn_arg, ctx);

	if (!rc)
		rc = import_any(&im, path, false, 0);
	vulndb_sink_free(im.sink_state, n_records);
	return rc;
}

int customs_vulndb_import_buffer(struct customs_vulndb_writer *w,
				 const struct customs_vulndb_source *source,
				 const char *data, size_t len, const char *name,
				 enum customs_feed_format fmt,
				 void (*warn)(void *arg, const char *msg),
				 void *warn_arg, uint64_t *n_records,
				 struct customs_ctx *ctx)
{
	struct import im;
	int rc = import_start(&im, w, source, fmt, warn, warn_arg, ctx);

	if (!rc)
		rc = import_data(&im, data, len, name, false, 0);
	vulndb_sink_free(im.sink_state, n_records);
	return rc;
}
