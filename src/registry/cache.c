/*
 * The content-addressed blob cache: DIR/blobs/sha256/<hex>, where DIR
 * is --cache-dir, CUSTOMS_CACHE_DIR, $XDG_CACHE_HOME/customs or
 * ~/.cache/customs. Every file is named by the SHA-256 of its own
 * bytes. What is kept:
 *   - configs, manifests and indexes, by their digest (mcache.c);
 *   - layers decompressed, as the uncompressed tar, named by the diffID
 *     (which is the SHA-256 of that tar), as Docker's layer store keeps
 *     them: a layer pushed with another compression by another image
 *     hits too, and a warm pull reads it like a docker-archive's layer.
 *     The compressed blob is only the download's temporary file (Range
 *     resume needs it) and is removed once the layer is committed. Disk
 *     cost: about 3x the compressed size for gzip layers;
 *   - a layer blob under its blob digest only when its config has no
 *     diffID for it, or when the blob is uncompressed (digest == diffID).
 * A file under its final name is always complete and verified:
 * downloads and decompressed copies go to a temporary name (".tmp-...")
 * in the same directory and are renamed only after their digests were
 * checked (both the blob digest and the diffID for a layer), so
 * concurrent customs processes and a crash never leave a bad file under
 * a digest's name (a file damaged on disk later is caught by the digest
 * check of the next read and removed). Use is recorded in the file's
 * mtime (set on every hit), which eviction sorts by; the files of the
 * image being opened are never evicted. With --no-cache the same layout
 * lives in a private temporary directory removed when the image is
 * closed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "registry/registry_int.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/cachedir.h"
#include "util/error.h"
#include "util/hash.h"
#include "util/banned.h"

#define BLOBS "blobs/sha256"
#define HASH_CHUNK (1u << 20)

static int temp_dir(struct cbuf *b)
{
	const char *t = getenv("TMPDIR");
	char *d;

	cbuf_printf(b, "%s/customs-blobs-XXXXXX", t && *t ? t : "/tmp");
	if (cbuf_error(b))
		return cbuf_error(b);
	d = mkdtemp(b->ptr);
	return d ? 0 : CUSTOMS_EIO;
}

int reg_cache_open(struct reg_cache *c, const struct customs_registry_opts *o,
		   struct customs_ctx *ctx)
{
	struct cbuf b = CBUF_INIT(4096);
	struct cbuf blobs = CBUF_INIT(4200);
	int rc;

	memset(c, 0, sizeof(*c));
	c->dirfd = -1;
	c->max = o && o->cache_max_size ? o->cache_max_size
					: CUSTOMS_REGISTRY_CACHE_MAX_DEFAULT;
	c->temporary = o && o->no_cache;
	if (c->temporary)
		rc = temp_dir(&b);
	else
		rc = cachedir_resolve(&b, o ? o->cache_dir : NULL);
	if (rc == CUSTOMS_ENOTFOUND)
		rc = customs_error(ctx, CUSTOMS_EINVAL,
				   "no cache directory: set HOME, "
				   "XDG_CACHE_HOME or --cache-dir");
	cbuf_printf(&blobs, "%s/" BLOBS, b.ptr);
	if (!rc && (cbuf_error(&blobs) || cachedir_mkdirs(blobs.ptr)))
		rc = customs_error(ctx, CUSTOMS_EIO,
				   "cannot create cache directory '%s': %s",
				   blobs.ptr, strerror(errno));
	if (!rc &&
	    (c->dirfd = open(b.ptr, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		rc = customs_error(ctx, CUSTOMS_EIO, "cannot open '%s': %s",
				   b.ptr, strerror(errno));
	if (!rc && !(c->dir = cbuf_detach(&b)))
		rc = customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	cbuf_release(&b);
	cbuf_release(&blobs);
	if (rc)
		reg_cache_close(c);
	return rc;
}

static void remove_all_blobs(struct reg_cache *c)
{
	int fd = openat(c->dirfd, BLOBS, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' || strlen(e->d_name) > 2)
			unlinkat(fd, e->d_name, 0);
	closedir(d);
	unlinkat(c->dirfd, BLOBS, AT_REMOVEDIR);
	unlinkat(c->dirfd, "blobs", AT_REMOVEDIR);
	rmdir(c->dir);
}

void reg_cache_close(struct reg_cache *c)
{
	if (c->temporary && c->dirfd >= 0 && c->dir)
		remove_all_blobs(c);
	if (c->dirfd >= 0)
		close(c->dirfd);
	customs_free(c->dir);
	memset(c, 0, sizeof(*c));
	c->dirfd = -1;
}

static void blob_name(char out[96], const char *digest)
{
	snprintf(out, 96, BLOBS "/%s", digest + 7);
}

bool reg_cache_has(struct reg_cache *c, const char *digest, uint64_t size)
{
	char name[96];
	struct stat st;

	blob_name(name, digest);
	if (fstatat(c->dirfd, name, &st, 0) || !S_ISREG(st.st_mode) ||
	    (size != REG_SIZE_ANY && (uint64_t)st.st_size != size))
		return false;
	utimensat(c->dirfd, name, NULL, 0); /* most recently used */
	return true;
}

int reg_cache_begin(struct reg_cache *c, const char *digest, int *fd,
		    char tmpname[128], struct customs_ctx *ctx)
{
	struct timespec ts;
	int i;

	clock_gettime(CLOCK_REALTIME, &ts);
	for (i = 0; i < 100; i++) {
		snprintf(tmpname, 128, BLOBS "/.tmp-%.16s-%ld-%ld-%d",
			 digest + 7, (long)getpid(), (long)ts.tv_nsec, i);
		*fd = openat(c->dirfd, tmpname,
			     O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (*fd >= 0 || errno != EEXIST)
			break;
	}
	if (*fd < 0)
		return customs_error(ctx, CUSTOMS_EIO,
				     "cache '%s': cannot create a file: %s",
				     c->dir, strerror(errno));
	return 0;
}

int reg_cache_commit(struct reg_cache *c, const char *digest,
		     const char *tmpname, struct customs_ctx *ctx)
{
	char name[96];

	blob_name(name, digest);
	if (fchmodat(c->dirfd, tmpname, 0644, 0) == 0 &&
	    renameat(c->dirfd, tmpname, c->dirfd, name) == 0)
		return 0;
	unlinkat(c->dirfd, tmpname, 0);
	return customs_error(ctx, CUSTOMS_EIO, "cache '%s': %s: %s", c->dir,
			     name, strerror(errno));
}

void reg_cache_abort(struct reg_cache *c, const char *tmpname)
{
	unlinkat(c->dirfd, tmpname, 0);
}

int reg_cache_open_blob(struct reg_cache *c, const char *digest, int *fd,
			uint64_t *len, struct customs_ctx *ctx)
{
	char name[96];
	struct stat st;

	blob_name(name, digest);
	*fd = openat(c->dirfd, name, O_RDONLY | O_CLOEXEC);
	if (*fd >= 0 && !fstat(*fd, &st) && S_ISREG(st.st_mode)) {
		*len = (uint64_t)st.st_size;
		return 0;
	}
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
	return customs_error(ctx, CUSTOMS_EIO, "cache '%s': %s: %s", c->dir,
			     name, strerror(errno));
}

void reg_cache_remove(struct reg_cache *c, const char *digest)
{
	char name[96];

	blob_name(name, digest);
	unlinkat(c->dirfd, name, 0);
}

int reg_cache_hash(struct reg_cache *c, const char *relname, char out[72])
{
	struct customs_sha256 *h = customs_sha256_new();
	unsigned char *buf = customs_malloc(HASH_CHUNK), sha[32];
	int fd = openat(c->dirfd, relname, O_RDONLY | O_CLOEXEC), rc = -1;
	ssize_t n = 0;

	while (h && buf && fd >= 0 && (n = read(fd, buf, HASH_CHUNK)) > 0)
		customs_sha256_update(h, buf, (size_t)n);
	if (h && buf && fd >= 0 && n == 0) {
		customs_sha256_final(h, sha);
		customs_digest_str(out, sha);
		rc = 0;
	}
	if (fd >= 0)
		close(fd);
	customs_free(buf);
	customs_sha256_free(h);
	return rc;
}

void reg_cache_name(char out[96], const char *digest)
{
	blob_name(out, digest);
}
