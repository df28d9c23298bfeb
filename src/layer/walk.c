/*
 * The tar walk. libarchive parses headers (ustar, pax, GNU long names and
 * sparse maps); its data blocks point into our decompressed chunks, so
 * file content is hashed and captured without a copy. Whiteout names are
 * recognised here so that nothing downstream ever sees a ".wh." entry.
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <errno.h>
#include <stdatomic.h>
#include <string.h>
#include <archive.h>
#include <archive_entry.h>
#include <openssl/md5.h>

#include "layer/walk.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/hash.h"
#include "util/banned.h"

#define WH_PREFIX ".wh."
#define WH_OPAQUE ".wh..wh..opq"
#define MSG_NAME_MAX 512 /* bytes of a name quoted in a message */

struct walk {
	struct layer_stream *s;
	const struct layer_walk_opts *opts;
	const struct layer_walk_ops *ops;
	struct customs_ctx *ctx;
	int stream_err; /* decode error seen by the read callback */
	int data_err; /* first error of ops->on_data for this entry */
	struct customs_sha256 *sha;
	MD5_CTX md5; /* opts->hash_md5: the low-level API, no allocation */
	struct cbuf content;
	char *path; /* normalised path of the current entry */
	char *link;
	size_t pathcap;
	size_t linkcap;
	const char *raw; /* the name as stored, for messages */
	struct cbuf rawname; /* our copy: libarchive frees its own */
};

static la_ssize_t read_cb(struct archive *a, void *data, const void **buf)
{
	struct walk *w = data;
	long n = layer_stream_read(w->s, buf, w->ctx);

	if (n < 0) {
		w->stream_err = (int)n;
		archive_set_error(a, EIO, "layer decode failed");
		return -1;
	}
	return n;
}

static enum customs_ftype ftype_of(struct archive_entry *ae)
{
	if (archive_entry_hardlink(ae))
		return CUSTOMS_FT_HARDLINK;
	switch (archive_entry_filetype(ae)) {
	case AE_IFDIR:
		return CUSTOMS_FT_DIR;
	case AE_IFLNK:
		return CUSTOMS_FT_SYMLINK;
	case AE_IFCHR:
		return CUSTOMS_FT_CHR;
	case AE_IFBLK:
		return CUSTOMS_FT_BLK;
	case AE_IFIFO:
		return CUSTOMS_FT_FIFO;
	case AE_IFSOCK:
		return CUSTOMS_FT_SOCK;
	default:
		return CUSTOMS_FT_REG;
	}
}

/*
 * The raw name when it is plain ASCII, which is then also its UTF-8 form:
 * libarchive's UTF-8 view of a name is converted from the raw one, and
 * in the C locale that sets up a converter (iconv_open) on every call,
 * which cost more than the rest of the header path together.
 */
static const char *ascii_or_null(const char *p)
{
	const unsigned char *q = (const unsigned char *)p;

	if (!p)
		return NULL;
	while (*q && *q < 0x80)
		q++;
	return *q ? NULL : p;
}

static const char *name_of(struct archive_entry *ae)
{
	const char *raw = archive_entry_pathname(ae);
	const char *p = ascii_or_null(raw);

	if (p)
		return p;
	p = archive_entry_pathname_utf8(ae);
	return p ? p : raw;
}

static const char *hardlink_of(struct archive_entry *ae)
{
	const char *raw = archive_entry_hardlink(ae);
	const char *p = ascii_or_null(raw);

	if (p)
		return p;
	p = archive_entry_hardlink_utf8(ae);
	return p ? p : raw;
}

static const char *symlink_of(struct archive_entry *ae)
{
	const char *raw = archive_entry_symlink(ae);
	const char *p = ascii_or_null(raw);

	if (p)
		return p;
	p = archive_entry_symlink_utf8(ae);
	return p ? p : raw;
}

static int fail(struct walk *w, int code, const char *what)
{
	return customs_error(w->ctx, code, "%s: '%s': %s", w->opts->label,
			     w->raw ? w->raw : "?", what);
}

/* Normalise name into *dst (grown as needed). */
static int normalize_into(struct walk *w, char **dst, size_t *cap,
			  const char *name)
{
	size_t len = strlen(name);
	const char *why;
	int rc;

	if (len > w->opts->max_path_len)
		return fail(w, CUSTOMS_ELIMIT, "path longer than the limit");
	if (len + 1 > *cap) {
		customs_free(*dst);
		*cap = len + 1 < 256 ? 256 : len + 1;
		*dst = customs_malloc(*cap);
		if (!*dst) {
			*cap = 0;
			return CUSTOMS_ENOMEM;
		}
	}
	rc = layer_path_normalize(*dst, name, &why);
	return rc ? fail(w, rc, why) : 0;
}

/* Hard link targets name a member of the same image: same rules. */
static int normalize_link(struct walk *w, const char *target)
{
	size_t len = strlen(target);
	const char *why = "empty";
	int rc = CUSTOMS_EFORMAT;

	if (len > w->opts->max_path_len)
		return fail(w, CUSTOMS_ELIMIT, "link longer than the limit");
	if (len + 1 > w->linkcap) {
		customs_free(w->link);
		w->linkcap = len + 1 < 256 ? 256 : len + 1;
		w->link = customs_malloc(w->linkcap);
		if (!w->link) {
			w->linkcap = 0;
			return CUSTOMS_ENOMEM;
		}
	}
	if (len)
		rc = layer_path_normalize(w->link, target, &why);
	if (!rc && (!w->link[0] || !strcmp(w->link, w->path))) {
		why = "points at itself or the root";
		rc = CUSTOMS_EFORMAT;
	}
	if (rc)
		return customs_error(w->ctx, rc,
				     "%s: '%s': hard link target '%s': %s",
				     w->opts->label, w->raw, target, why);
	return 0;
}

/* Turn a ".wh." basename into a whiteout or opaque entry. */
static void classify(struct layer_entry *e, char *path)
{
	char *slash = strrchr(path, '/');
	char *base = slash ? slash + 1 : path;

	if (strncmp(base, WH_PREFIX, strlen(WH_PREFIX)) != 0)
		return;
	if (strcmp(base, WH_OPAQUE) == 0) {
		e->kind = LAYER_ENTRY_OPAQUE;
		if (slash)
			*slash = '\0';
		else
			path[0] = '\0';
		return;
	}
	e->kind = LAYER_ENTRY_WHITEOUT;
	memmove(base, base + strlen(WH_PREFIX),
		strlen(base + strlen(WH_PREFIX)) + 1);
}

static int fill_entry(struct walk *w, struct archive_entry *ae,
		      struct layer_entry *e)
{
	const char *target;
	int rc;

	memset(e, 0, sizeof(*e));
	target = name_of(ae);
	if (!target)
		return fail(w, CUSTOMS_EFORMAT, "entry without a name");
	cbuf_reset(&w->rawname);
	cbuf_put(&w->rawname, target, strnlen(target, MSG_NAME_MAX));
	w->raw = w->rawname.ptr;
	rc = normalize_into(w, &w->path, &w->pathcap, target);
	if (rc)
		return rc;
	e->path = w->path;
	e->type = ftype_of(ae);
	e->mode = (uint32_t)archive_entry_mode(ae);
	e->uid = (uint32_t)archive_entry_uid(ae);
	e->gid = (uint32_t)archive_entry_gid(ae);
	if (e->type == CUSTOMS_FT_HARDLINK) {
		target = hardlink_of(ae);
		rc = normalize_link(w, target ? target : "");
		if (rc)
			return rc;
		e->link = w->link;
	} else if (e->type == CUSTOMS_FT_SYMLINK) {
		target = symlink_of(ae);
		if (!target || strlen(target) > w->opts->max_path_len)
			return fail(w, CUSTOMS_EFORMAT, "bad symlink target");
		e->link = target;
	}
	if (e->type == CUSTOMS_FT_REG)
		e->size = (uint64_t)archive_entry_size(ae);
	classify(e, w->path);
	return 0;
}

static int archive_failure(struct walk *w, struct archive *a)
{
	if (w->stream_err)
		return w->stream_err;
	if (w->raw)
		return customs_error(
			w->ctx, CUSTOMS_EFORMAT, "%s: '%s': bad tar data: %s",
			w->opts->label, w->raw, archive_error_string(a));
	return customs_error(w->ctx, CUSTOMS_EFORMAT, "%s: not a tar: %s",
			     w->opts->label, archive_error_string(a));
}

static void consume(struct walk *w, const struct layer_entry *e, const void *p,
		    size_t n, size_t cap, bool *truncated)
{
	size_t room;

	if (w->opts->hash_files && !layer_stream_hash_with(w->s, w->sha, p, n))
		customs_sha256_update(w->sha, p, n);
	if (w->opts->hash_md5)
		MD5_Update(&w->md5, p, n);
	if (cap == LAYER_CAP_STREAM) {
		if (!w->data_err)
			w->data_err = w->ops->on_data(w->ops->data, p, n);
		return;
	}
	if (!cap || *truncated)
		return;
	room = cap - w->content.len;
	if (n > room) {
		*truncated = true;
		n = room;
	}
	/* more blocks to come: one allocation for the whole capture, not
	 * a doubling (and a realloc copy) every time it fills */
	if (!w->content.len && e->size > n)
		cbuf_reserve(&w->content,
			     e->size < cap ? (size_t)e->size : cap);
	cbuf_put(&w->content, p, n);
}

/* Hash (and, in the walk's buffer, capture) the bytes of a sparse hole
 * from *pos up to to. */
static void consume_zeros(struct walk *w, const struct layer_entry *e,
			  uint64_t *pos, uint64_t to, size_t cap,
			  bool *truncated)
{
	static const unsigned char zeros[65536];

	while (*pos < to) {
		size_t n = to - *pos < sizeof(zeros) ? (size_t)(to - *pos)
						     : sizeof(zeros);

		consume(w, e, zeros, n, cap, truncated);
		*pos += n;
	}
}

/*
 * Read the entry's data: hash it and capture up to cap bytes. When the
 * whole file comes in one data block (most small files: the block points
 * into the decoded chunk), the capture is that block itself, *direct,
 * not a copy; it stays valid until libarchive reads again, so the loop
 * stops as soon as the entry's bytes are all in (libarchive skips the
 * padding at the next header) and the caller must use it before then.
 */
static int read_data(struct walk *w, struct archive *a, struct layer_entry *e,
		     size_t cap, bool *truncated, const void **direct)
{
	const void *buf;
	size_t len;
	la_int64_t off;
	uint64_t pos = 0;
	int r;

	*truncated = false;
	*direct = NULL;
	w->data_err = 0;
	cbuf_reset(&w->content);
	if (w->opts->hash_md5)
		MD5_Init(&w->md5);
	while (pos < e->size) {
		r = archive_read_data_block(a, &buf, &len, &off);
		if (r == ARCHIVE_EOF)
			break;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
			return archive_failure(w, a);
		if (cap && cap != LAYER_CAP_STREAM && !pos && !off &&
		    len >= e->size) {
			consume(w, e, buf, len, 0, truncated);
			*direct = buf;
			*truncated = len > cap;
			pos = len;
			break;
		}
		consume_zeros(w, e, &pos, (uint64_t)off, cap, truncated);
		consume(w, e, buf, len, cap, truncated);
		pos += len;
	}
	consume_zeros(w, e, &pos, e->size, cap, truncated);
	if (w->opts->hash_files) {
		customs_sha256_final(w->sha, e->sha256);
		e->has_sha256 = true;
	}
	if (w->opts->hash_md5) {
		MD5_Final(e->md5, &w->md5);
		e->has_md5 = true;
	}
	if (w->data_err)
		return w->data_err;
	return cbuf_error(&w->content) == CUSTOMS_ENOMEM ? CUSTOMS_ENOMEM : 0;
}

static int count_entry(struct walk *w)
{
	uint64_t n = atomic_fetch_add(
			     (_Atomic uint64_t *)w->opts->image_entries, 1) +
		     1;

	if (n > w->opts->max_entries)
		return fail(w, CUSTOMS_ELIMIT,
			    "image has more entries than the limit "
			    "(--max-entries)");
	return 0;
}

static int one_entry(struct walk *w, struct archive *a,
		     struct archive_entry *ae)
{
	struct layer_entry e;
	const void *direct = NULL;
	const unsigned char *content;
	size_t cap = 0, len;
	bool truncated = false;
	int rc;

	rc = fill_entry(w, ae, &e);
	if (!rc && w->opts->image_entries)
		rc = count_entry(w);
	if (rc)
		return rc;
	cbuf_reset(&w->content);
	if (e.kind == LAYER_ENTRY_FILE && e.type == CUSTOMS_FT_REG) {
		if (w->ops->content_cap)
			cap = w->ops->content_cap(w->ops->data, &e);
		rc = read_data(w, a, &e, cap, &truncated, &direct);
		if (rc)
			return rc;
	}
	content = direct ? direct : (const unsigned char *)w->content.ptr;
	len = direct ? (size_t)(e.size < cap ? e.size : cap) : w->content.len;
	return w->ops->on_entry(w->ops->data, &e, content, len, truncated,
				w->ctx);
}

static int walk_entries(struct walk *w, struct archive *a)
{
	struct archive_entry *ae;
	int r, rc;

	for (;;) {
		r = archive_read_next_header(a, &ae);
		if (r == ARCHIVE_EOF)
			return 0;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
			return archive_failure(w, a);
		rc = one_entry(w, a, ae);
		if (rc)
			return rc;
	}
}

int layer_walk(struct layer_stream *s, const struct layer_walk_opts *opts,
	       const struct layer_walk_ops *ops, struct customs_ctx *ctx)
{
	struct walk w = { 0 };
	struct archive *a = NULL;
	int rc;

	w.s = s;
	w.opts = opts;
	w.ops = ops;
	w.ctx = ctx;
	cbuf_init(&w.content, SIZE_MAX);
	cbuf_init(&w.rawname, MSG_NAME_MAX + 1);
	w.sha = customs_sha256_new();
	a = archive_read_new();
	if (!w.sha || !a) {
		rc = CUSTOMS_ENOMEM;
		goto out;
	}
	archive_read_support_format_tar(a);
	archive_read_support_format_empty(a);
	if (archive_read_open2(a, &w, NULL, read_cb, NULL, NULL) !=
	    ARCHIVE_OK) {
		rc = archive_failure(&w, a);
		goto out;
	}
	rc = walk_entries(&w, a);
out:
	if (a)
		archive_read_free(a);
	customs_sha256_free(w.sha);
	cbuf_release(&w.content);
	cbuf_release(&w.rawname);
	customs_free(w.path);
	customs_free(w.link);
	return rc;
}
