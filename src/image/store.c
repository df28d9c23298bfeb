/*
 * The blob store of an image: the files of an OCI layout directory, or
 * the members of an uncompressed outer tar (indexed once, read in place
 * with pread()). Small files (manifests, indexes, configs) are read
 * whole, never more than max_manifest_bytes, and blobs named by a digest
 * are checked against their descriptor's size and their sha256 before a
 * byte of them is parsed.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/image_priv.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/hash.h"
#include "util/banned.h"

static int nomem(const struct image_store *s, struct customs_ctx *ctx)
{
	return customs_error(ctx, CUSTOMS_ENOMEM, "%s: out of memory",
			     s->label);
}

static int open_error(const char *path, struct customs_ctx *ctx)
{
	if (errno == ENOENT)
		return customs_error(ctx, CUSTOMS_ENOTFOUND,
				     "no such file: '%s'", path);
	return customs_error(ctx, CUSTOMS_EIO, "cannot open '%s': %s", path,
			     strerror(errno));
}

static int store_init(struct image_store *s, int kind, const char *path,
		      const struct customs_limits *lim, struct customs_ctx *ctx)
{
	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->dirfd = -1;
	s->max_bytes = lim->max_manifest_bytes;
	s->label = image_source_label(kind, path);
	if (!s->label)
		return customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	return 0;
}

int image_store_relabel(struct image_store *s, int kind, const char *path,
			struct customs_ctx *ctx)
{
	char *label = image_source_label(kind, path);

	if (!label)
		return nomem(s, ctx);
	customs_free(s->label);
	s->label = label;
	return 0;
}

static bool compressed(const unsigned char *h, size_t n)
{
	return (n >= 2 && h[0] == 0x1f && h[1] == 0x8b) ||
	       (n >= 4 && !memcmp(h, "\x28\xb5\x2f\xfd", 4)) ||
	       (n >= 6 && !memcmp(h,
				  "\xfd"
				  "7zXZ\0",
				  6)) ||
	       (n >= 3 && !memcmp(h, "BZh", 3));
}

/* Refuse compressed and non-tar files before indexing. */
static int check_head(struct image_store *s, int kind, const char *path,
		      uint64_t size, struct customs_ctx *ctx)
{
	unsigned char h[512];
	size_t n = size < sizeof(h) ? (size_t)size : sizeof(h);

	if (tarindex_pread(s->fd, h, n, 0))
		return customs_error(ctx, CUSTOMS_EIO, "%s: read error: %s",
				     s->label, strerror(errno));
	if (compressed(h, n))
		return customs_error(ctx, CUSTOMS_EUNSUPPORTED,
				     "compressed archives are not supported: "
				     "decompress '%s' first",
				     path);
	if (n == sizeof(h) && tarindex_header_ok(h))
		return 0;
	if (kind < 0)
		return customs_error(
			ctx, CUSTOMS_EFORMAT,
			"'%s': not an image: not a tar archive or a "
			"directory",
			path);
	return customs_error(ctx, CUSTOMS_EFORMAT, "%s: not a tar archive",
			     s->label);
}

int image_store_open_tar(struct image_store *s, int kind, const char *path,
			 const struct customs_limits *lim,
			 struct customs_ctx *ctx)
{
	struct stat st;
	int rc;

	rc = store_init(s, kind, path, lim, ctx);
	if (rc)
		return rc;
	s->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (s->fd < 0)
		return open_error(path, ctx);
	if (fstat(s->fd, &st))
		return customs_error(ctx, CUSTOMS_EIO, "%s: %s", s->label,
				     strerror(errno));
	if (!S_ISREG(st.st_mode))
		return customs_error(ctx, CUSTOMS_EINVAL,
				     "%s: not a regular file", s->label);
	rc = check_head(s, kind, path, (uint64_t)st.st_size, ctx);
	if (!rc)
		rc = tarindex_build(&s->tar, s->fd, (uint64_t)st.st_size,
				    s->label, lim, ctx);
	return rc;
}

int image_store_open_dir(struct image_store *s, int kind, const char *path,
			 const struct customs_limits *lim,
			 struct customs_ctx *ctx)
{
	int rc;

	rc = store_init(s, kind, path, lim, ctx);
	if (rc)
		return rc;
	s->dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s->dirfd >= 0)
		return 0;
	if (errno == ENOTDIR)
		return customs_error(ctx, CUSTOMS_EINVAL, "%s: not a directory",
				     s->label);
	return open_error(path, ctx);
}

void image_store_release(struct image_store *s)
{
	if (s->fd >= 0)
		close(s->fd);
	if (s->dirfd >= 0)
		close(s->dirfd);
	tarindex_free(s->tar);
	customs_free(s->label);
	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->dirfd = -1;
}

bool image_store_has(const struct image_store *s, const char *path)
{
	const struct tar_member *m;
	const char *why;
	struct stat st;

	if (s->tar)
		return tarindex_find(s->tar, path, &m, &why) == 0;
	return fstatat(s->dirfd, path, &st, 0) == 0 && S_ISREG(st.st_mode);
}

void image_loc_release(struct image_loc *loc)
{
	customs_free(loc->path);
	memset(loc, 0, sizeof(*loc));
}

static int locate_tar(const struct image_store *s, const char *path,
		      struct image_loc *loc, const char *what,
		      struct customs_ctx *ctx)
{
	const struct tar_member *m;
	const char *why;
	int rc;

	rc = tarindex_find(s->tar, path, &m, &why);
	if (rc == CUSTOMS_ENOTFOUND)
		return customs_error(ctx, rc, "%s: not found in %s", what,
				     s->label);
	if (rc)
		return customs_error(ctx, rc, "%s: %s: %s", s->label, what,
				     why);
	loc->path = customs_strdup(m->name);
	loc->off = m->off;
	loc->len = m->size;
	return loc->path ? 0 : nomem(s, ctx);
}

static int locate_dir(const struct image_store *s, const char *path,
		      struct image_loc *loc, const char *what,
		      struct customs_ctx *ctx)
{
	struct stat st;

	if (fstatat(s->dirfd, path, &st, 0)) {
		if (errno == ENOENT || errno == ENOTDIR)
			return customs_error(ctx, CUSTOMS_ENOTFOUND,
					     "%s: not found in %s", what,
					     s->label);
		return customs_error(ctx, CUSTOMS_EIO, "%s: %s: %s", s->label,
				     what, strerror(errno));
	}
	if (!S_ISREG(st.st_mode))
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "%s: %s: not a regular file", s->label,
				     what);
	loc->path = customs_strdup(path);
	loc->len = (uint64_t)st.st_size;
	return loc->path ? 0 : nomem(s, ctx);
}

int image_store_locate(const struct image_store *s, const char *path,
		       struct image_loc *loc, const char *what,
		       struct customs_ctx *ctx)
{
	memset(loc, 0, sizeof(*loc));
	if (s->tar)
		return locate_tar(s, path, loc, what, ctx);
	return locate_dir(s, path, loc, what, ctx);
}

static int read_loc(const struct image_store *s, const struct image_loc *loc,
		    const char *what, char **buf, struct customs_ctx *ctx)
{
	int fd = s->fd;
	int rc = 0;

	if (loc->len > s->max_bytes)
		return customs_error(ctx, CUSTOMS_ELIMIT,
				     "%s: %s: %" PRIu64 " bytes, more than "
				     "max_manifest_bytes (%" PRIu64 ")",
				     s->label, what, loc->len, s->max_bytes);
	*buf = customs_malloc((size_t)loc->len + 1);
	if (!*buf)
		return nomem(s, ctx);
	if (!s->tar)
		fd = openat(s->dirfd, loc->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || tarindex_pread(fd, *buf, (size_t)loc->len, loc->off))
		rc = customs_error(ctx, CUSTOMS_EIO, "%s: %s: read error: %s",
				   s->label, what, strerror(errno));
	if (!s->tar && fd >= 0)
		close(fd);
	if (rc) {
		customs_free(*buf);
		*buf = NULL;
		return rc;
	}
	(*buf)[loc->len] = '\0';
	return 0;
}

int image_store_read(const struct image_store *s, const char *path,
		     const char *what, char **buf, size_t *len,
		     struct customs_ctx *ctx)
{
	struct image_loc loc;
	int rc;

	*buf = NULL;
	*len = 0;
	rc = image_store_locate(s, path, &loc, what, ctx);
	if (!rc)
		rc = read_loc(s, &loc, what, buf, ctx);
	if (!rc)
		*len = (size_t)loc.len;
	image_loc_release(&loc);
	return rc;
}

void image_blob_path(char out[96], const char *digest)
{
	const char *colon = strchr(digest, ':');

	snprintf(out, 96, "blobs/sha256/%.64s", colon ? colon + 1 : digest);
}

int image_sha256_str(char out[72], const void *p, size_t n)
{
	unsigned char sha[32];

	if (customs_sha256_buf(sha, p, n))
		return CUSTOMS_ENOMEM;
	customs_digest_str(out, sha);
	return 0;
}

static int verify(const struct image_store *s, const struct image_desc *d,
		  const char *what, const char *buf, size_t len,
		  struct customs_ctx *ctx)
{
	char got[72];

	if (image_sha256_str(got, buf, len))
		return nomem(s, ctx);
	if (!strcmp(got, d->digest))
		return 0;
	return customs_error(ctx, CUSTOMS_EDIGEST,
			     "%s: %s: digest mismatch (got %s)", s->label, what,
			     got);
}

int image_store_read_blob(const struct image_store *s,
			  const struct image_desc *d, const char *what,
			  char **buf, size_t *len, struct customs_ctx *ctx)
{
	struct image_loc loc;
	char path[96];
	int rc;

	*buf = NULL;
	*len = 0;
	image_blob_path(path, d->digest);
	rc = image_store_locate(s, path, &loc, what, ctx);
	if (!rc && loc.len != d->size)
		rc = customs_error(ctx, CUSTOMS_EFORMAT,
				   "%s: %s: blob is %" PRIu64
				   " bytes but its descriptor says %" PRIu64,
				   s->label, what, loc.len, d->size);
	if (!rc)
		rc = read_loc(s, &loc, what, buf, ctx);
	if (!rc)
		*len = (size_t)loc.len;
	image_loc_release(&loc);
	if (!rc)
		rc = verify(s, d, what, *buf, *len, ctx);
	if (rc) {
		customs_free(*buf);
		*buf = NULL;
	}
	return rc;
}
