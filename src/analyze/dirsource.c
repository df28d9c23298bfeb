/*
 * The dir: source: a root filesystem on disk, walked as if it were one
 * layer. Nothing is followed: entries are read with fstatat(...,
 * AT_SYMLINK_NOFOLLOW) and files opened with O_NOFOLLOW relative to their
 * directory's descriptor, so a symlink in the tree can never make us read
 * outside it. Entries are visited in sorted order so output is stable.
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/md5.h>

#include "analyze/scan_int.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/hash.h"
#include "util/banned.h"

#define READ_CHUNK (256 * 1024)
#define MAX_DEPTH 512

struct dwalk {
	struct layer_job *job;
	struct layer_walk_ops ops;
	struct customs_sha256 *sha;
	MD5_CTX md5; /* scan option hash_md5 */
	struct cbuf content;
	unsigned char *buf;
	struct cbuf path;
	const char *root;
};

static enum customs_ftype ftype_of(mode_t m)
{
	if (S_ISDIR(m))
		return CUSTOMS_FT_DIR;
	if (S_ISLNK(m))
		return CUSTOMS_FT_SYMLINK;
	if (S_ISCHR(m))
		return CUSTOMS_FT_CHR;
	if (S_ISBLK(m))
		return CUSTOMS_FT_BLK;
	if (S_ISFIFO(m))
		return CUSTOMS_FT_FIFO;
	if (S_ISSOCK(m))
		return CUSTOMS_FT_SOCK;
	return CUSTOMS_FT_REG;
}

static int io_error(struct dwalk *w, const char *what)
{
	return customs_error(&w->job->ctx, CUSTOMS_EIO,
			     "rootfs '%s': '%s': %s: %s", w->root, w->path.ptr,
			     what, strerror(errno));
}

static int read_file(struct dwalk *w, int dirfd, const char *name,
		     struct layer_entry *e, size_t cap, bool *truncated)
{
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	bool md5 = w->job->scan->opts.hash_md5;
	ssize_t n;

	*truncated = false;
	cbuf_reset(&w->content);
	if (fd < 0)
		return io_error(w, "open");
	if (md5)
		MD5_Init(&w->md5);
	while ((n = read(fd, w->buf, READ_CHUNK)) > 0 ||
	       (n < 0 && errno == EINTR)) {
		size_t take;

		if (n < 0)
			continue;
		customs_sha256_update(w->sha, w->buf, (size_t)n);
		if (md5)
			MD5_Update(&w->md5, w->buf, (size_t)n);
		if (cap == LAYER_CAP_STREAM) {
			int rc = w->ops.on_data(w->ops.data, w->buf, (size_t)n);

			if (rc) {
				close(fd);
				return rc;
			}
			continue;
		}
		take = cap - w->content.len < (size_t)n ? cap - w->content.len
							: (size_t)n;
		if (take < (size_t)n)
			*truncated = true;
		cbuf_put(&w->content, w->buf, take);
	}
	if (n < 0) {
		close(fd);
		return io_error(w, "read");
	}
	close(fd);
	customs_sha256_final(w->sha, e->sha256);
	e->has_sha256 = true;
	if (md5) {
		MD5_Final(e->md5, &w->md5);
		e->has_md5 = true;
	}
	return cbuf_error(&w->content);
}

static int visit(struct dwalk *w, int dirfd, const char *name, int depth);

static int one(struct dwalk *w, int dirfd, const char *name,
	       const struct stat *st, int depth)
{
	struct layer_entry e = { 0 };
	char target[4097];
	size_t cap = 0;
	bool truncated = false;
	ssize_t n;
	int rc;

	if (++w->job->scan->image_entries > w->job->scan->lim.max_entries)
		return customs_error(&w->job->ctx, CUSTOMS_ELIMIT,
				     "rootfs '%s': more entries than the limit "
				     "(--max-entries)",
				     w->root);
	e.path = w->path.ptr;
	e.type = ftype_of(st->st_mode);
	e.mode = (uint32_t)st->st_mode;
	e.uid = (uint32_t)st->st_uid;
	e.gid = (uint32_t)st->st_gid;
	if (e.type == CUSTOMS_FT_SYMLINK) {
		n = readlinkat(dirfd, name, target, sizeof(target) - 1);
		if (n < 0)
			return io_error(w, "readlink");
		target[n] = '\0';
		e.link = target;
	}
	if (e.type == CUSTOMS_FT_REG) {
		e.size = (uint64_t)st->st_size;
		cap = w->ops.content_cap(w->ops.data, &e);
		rc = read_file(w, dirfd, name, &e, cap, &truncated);
		if (rc)
			return rc;
	}
	rc = w->ops.on_entry(w->ops.data, &e,
			     (const unsigned char *)w->content.ptr,
			     w->content.len, truncated, &w->job->ctx);
	if (!rc && e.type == CUSTOMS_FT_DIR)
		rc = visit(w, dirfd, name, depth + 1);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of directory fd (which stays open). */
static int list_dir(struct dwalk *w, int fd, char ***names, size_t *n)
{
	int dfd = dup(fd);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	struct dirent *de;
	size_t cap = 0;

	*names = NULL;
	*n = 0;
	if (!d) {
		if (dfd >= 0)
			close(dfd);
		return io_error(w, "opendir");
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (CUSTOMS_GROW(*names, cap, *n + 1) ||
		    !((*names)[*n] = customs_strdup(de->d_name))) {
			closedir(d);
			return CUSTOMS_ENOMEM;
		}
		++*n;
	}
	closedir(d);
	if (*n)
		qsort(*names, *n, sizeof(**names), cmp_str);
	return 0;
}

static int visit_names(struct dwalk *w, int fd, char **names, size_t n,
		       int depth)
{
	size_t i, mark = w->path.len;
	struct stat st;
	int rc = 0;

	for (i = 0; !rc && i < n; i++) {
		if (mark)
			cbuf_putc(&w->path, '/');
		cbuf_puts(&w->path, names[i]);
		if (cbuf_error(&w->path) == CUSTOMS_ENOMEM)
			rc = CUSTOMS_ENOMEM;
		else if (cbuf_error(&w->path))
			rc = customs_error(
				&w->job->ctx, CUSTOMS_ELIMIT,
				"rootfs '%s': path too long below '%s'",
				w->root, names[i]);
		else if (fstatat(fd, names[i], &st, AT_SYMLINK_NOFOLLOW))
			rc = io_error(w, "stat");
		else
			rc = one(w, fd, names[i], &st, depth);
		w->path.len = mark;
		w->path.ptr[mark] = '\0';
	}
	return rc;
}

static int visit(struct dwalk *w, int dirfd, const char *name, int depth)
{
	char **names = NULL;
	size_t n = 0, i;
	int fd, rc;

	if (depth > MAX_DEPTH)
		return customs_error(&w->job->ctx, CUSTOMS_ELIMIT,
				     "rootfs '%s': '%s': nested too deep",
				     w->root, w->path.ptr);
	fd = openat(dirfd, name,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return io_error(w, "open directory");
	rc = list_dir(w, fd, &names, &n);
	if (!rc)
		rc = visit_names(w, fd, names, n, depth);
	close(fd);
	for (i = 0; i < n; i++)
		customs_free(names[i]);
	customs_free(names);
	return rc;
}

void job_run_rootfs(struct layer_job *job, const char *root)
{
	struct dwalk w = { 0 };
	int rc = CUSTOMS_ENOMEM;

	snprintf(job->label, sizeof(job->label), "rootfs '%s'", root);
	w.job = job;
	w.root = root;
	job_ops(job, &w.ops);
	cbuf_init(&w.content, SIZE_MAX);
	cbuf_init(&w.path, job->scan->lim.max_path_len);
	w.sha = customs_sha256_new();
	w.buf = customs_malloc(READ_CHUNK);
	if (w.sha && w.buf)
		rc = visit(&w, AT_FDCWD, root, 0);
	if (!rc) {
		job->stats.compression = customs_strdup("none");
		job->stats.diff_id = customs_strdup("");
		if (!job->stats.compression || !job->stats.diff_id)
			rc = CUSTOMS_ENOMEM;
	}
	if (rc && !job->ctx.code)
		customs_error(&job->ctx, rc, "rootfs '%s': %s", root,
			      customs_strerror(rc));
	job->rc = rc;
	customs_sha256_free(w.sha);
	customs_free(w.buf);
	cbuf_release(&w.content);
	cbuf_release(&w.path);
}
