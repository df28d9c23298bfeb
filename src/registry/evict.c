/*
 * Keeping the blob cache under its cap: list the blobs with size and
 * mtime (the last use), and remove the oldest until the total fits,
 * never one the current image needs. Temporary files of downloads that
 * died more than a day ago go too. Best effort: a file another process
 * removed first is not an error. O(n log n) in the number of blobs.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "registry/registry_int.h"
#include "util/alloc.h"
#include "util/banned.h"

#define STALE_TMP_SECONDS (24 * 3600)
#define MAX_LISTED 1000000

struct entry {
	char name[72];
	uint64_t size;
	int64_t mtime;
};

static int by_mtime(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->mtime != y->mtime)
		return x->mtime < y->mtime ? -1 : 1;
	return strcmp(x->name, y->name);
}

static bool kept(const char *hex, const char *const *keep, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (keep[i] && strlen(keep[i]) > 7 && !strcmp(keep[i] + 7, hex))
			return true;
	}
	return false;
}

static bool is_hex64(const char *s)
{
	return strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

/* List blobs into *v; remove stale temporaries on the way. */
static size_t list(int fd, struct entry **v, uint64_t *total)
{
	DIR *d = fdopendir(fd);
	struct dirent *e;
	struct stat st;
	size_t n = 0, cap = 0;
	time_t now = time(NULL);

	*total = 0;
	while (d && (e = readdir(d)) && n < MAX_LISTED) {
		if (fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) ||
		    !S_ISREG(st.st_mode))
			continue;
		if (!strncmp(e->d_name, ".tmp-", 5)) {
			if (now - st.st_mtime > STALE_TMP_SECONDS)
				unlinkat(fd, e->d_name, 0);
			continue;
		}
		if (!is_hex64(e->d_name) || CUSTOMS_GROW(*v, cap, n + 1))
			continue;
		memcpy((*v)[n].name, e->d_name, 65);
		(*v)[n].size = (uint64_t)st.st_size;
		(*v)[n].mtime = (int64_t)st.st_mtime;
		*total += (uint64_t)st.st_size;
		n++;
	}
	if (d)
		closedir(d);
	else
		close(fd);
	return n;
}

void reg_cache_evict(struct reg_cache *c, const char *const *keep,
		     size_t n_keep)
{
	struct entry *v = NULL;
	uint64_t total;
	size_t i, n;
	int fd, bfd;

	if (c->temporary)
		return;
	fd = openat(c->dirfd, "blobs/sha256",
		    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	bfd = dup(fd);
	n = list(fd, &v, &total);
	if (n > 1)
		qsort(v, n, sizeof(*v), by_mtime);
	for (i = 0; bfd >= 0 && i < n && total > c->max; i++) {
		if (kept(v[i].name, keep, n_keep))
			continue;
		if (!unlinkat(bfd, v[i].name, 0))
			total -= v[i].size;
	}
	if (bfd >= 0)
		close(bfd);
	customs_free(v);
}
