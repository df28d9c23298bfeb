/*
 * The on-disk cache of compiled Hyperscan databases (hsfilter.c): the
 * keyword literals take ~20 ms of one core to compile and the same
 * rules give the same database on every run, so a run stores what it
 * compiled under DIR/hyperscan/<key>.hsdb and the next one reads it back.
 *
 * The key is the SHA-256 of everything the database depends on: this
 * format's version, hs_version(), the host platform
 * (hs_populate_platform), the mode and every literal's length, bytes,
 * flags and id, in order. A file is
 *
 *   "customs-hsdb 1\n"
 *   "<key hex> <payload SHA-256 hex> <payload length>\n"
 *   payload: hs_serialize_database() bytes
 *
 * The file is untrusted input. A read checks its size (at most
 * HSC_MAX_FILE), the magic line, that it was written for this key, the
 * payload's length and SHA-256, and only then hands the payload to
 * hs_deserialize_database(), which checks the version and platform of
 * the database itself. Any failure means "not cached": the caller
 * compiles and stores a fresh file over the damaged one. The cache is
 * only ever an optimisation: nothing here reports an error or prints,
 * a read-only or missing cache directory just means no caching. Writes
 * go to a mkstemp() file in the same directory (mode 0600, directories
 * 0700) renamed into place, so concurrent runs and crashes never leave
 * a partial file under a key's name.
 *
 * Every new rule set, Hyperscan version or host CPU writes files under
 * new keys and nothing would ever remove the old ones, so a store also
 * prunes the directory: the HSC_KEEP newest databases stay (about 140 KB
 * each), older ones go, and so do temporary files a crashed writer left
 * more than an hour ago.
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

#include "secrets/secrets_int.h"
#include "util/alloc.h"
#include "util/cachedir.h"
#include "util/fdio.h"
#include "util/hash.h"
#include "util/path.h"
#include "util/banned.h"

#define MAGIC "customs-hsdb 1\n"
#define HSC_KEEP 16
#define TMP_STALE 3600 /* seconds */
#define MAGIC_LEN (sizeof(MAGIC) - 1)

size_t hsc_header(char out[HSC_HEADER_MAX], const unsigned char key[32],
		  const unsigned char *payload, size_t len)
{
	unsigned char sum[32];
	char khex[65], shex[65];
	int n;

	if (len > HSC_MAX_FILE || customs_sha256_buf(sum, payload, len))
		return 0;
	customs_hex(khex, key, 32);
	customs_hex(shex, sum, 32);
	n = snprintf(out, HSC_HEADER_MAX, MAGIC "%s %s %zu\n", khex, shex, len);
	return n > 0 && n < HSC_HEADER_MAX ? (size_t)n : 0;
}

/* The decimal length at *p, up to '\n'; no sign, no leading zero. */
static bool parse_len(size_t *out, const unsigned char *p,
		      const unsigned char *end, const unsigned char **next)
{
	size_t v = 0;

	if (p >= end || *p < '0' || *p > '9' ||
	    (*p == '0' && p + 1 < end && p[1] != '\n'))
		return false;
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (size_t)(*p - '0');
		if (v > HSC_MAX_FILE)
			return false;
	}
	if (p >= end || *p != '\n')
		return false;
	*out = v;
	*next = p + 1;
	return true;
}

int hsc_parse(const unsigned char *buf, size_t len, const unsigned char key[32],
	      size_t *payload_off)
{
	const unsigned char *p = buf + MAGIC_LEN, *end = buf + len;
	unsigned char want[32], got[32], sum[32];
	size_t plen;

	/* magic, two hashes and their separators, one digit and '\n' */
	if (len > HSC_MAX_FILE || len < MAGIC_LEN + 64 + 1 + 64 + 1 + 2 ||
	    memcmp(buf, MAGIC, MAGIC_LEN))
		return CUSTOMS_EFORMAT;
	if (!customs_unhex32(got, (const char *)p) || p[64] != ' ' ||
	    !customs_unhex32(want, (const char *)p + 65) || p[129] != ' ' ||
	    !parse_len(&plen, p + 130, end, &p))
		return CUSTOMS_EFORMAT;
	/* written for another key (a copied or renamed file), or damaged */
	if (memcmp(got, key, 32) || plen != (size_t)(end - p))
		return CUSTOMS_EFORMAT;
	if (customs_sha256_buf(sum, p, plen))
		return CUSTOMS_ENOMEM;
	if (memcmp(sum, want, 32))
		return CUSTOMS_EFORMAT;
	*payload_off = (size_t)(p - buf);
	return 0;
}

#ifdef CUSTOMS_HAVE_HYPERSCAN
#include <hs.h>

/* Read the whole regular file at path, at most HSC_MAX_FILE bytes. */
static unsigned char *read_file(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	unsigned char *buf = NULL;
	struct stat st;
	size_t got = 0;

	if (fd < 0)
		return NULL;
	if (!fstat(fd, &st) && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uint64_t)st.st_size <= HSC_MAX_FILE)
		buf = customs_malloc((size_t)st.st_size);
	if (buf && customs_read_full(fd, buf, (size_t)st.st_size, &got))
		got = 0;
	close(fd);
	if (buf && got != (size_t)st.st_size) {
		customs_free(buf);
		buf = NULL;
	}
	*len = got;
	return buf;
}

/* dir/<key hex>.hsdb into b. */
static int file_name(struct cbuf *b, const char *dir,
		     const unsigned char key[32])
{
	char hex[65];

	customs_hex(hex, key, 32);
	return cbuf_printf(b, "%s/%s.hsdb", dir, hex);
}

static void put_u64(struct customs_sha256 *h, uint64_t v)
{
	unsigned char b[8];
	int i;

	for (i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	customs_sha256_update(h, b, sizeof(b));
}

int hsc_key(unsigned char key[32], const struct hsc_lits *l)
{
	struct customs_sha256 *h;
	hs_platform_info_t plat;
	const char *ver = hs_version();
	unsigned i;

	if (hs_populate_platform(&plat) != HS_SUCCESS)
		return -1;
	h = customs_sha256_new();
	if (!h)
		return -1;
	customs_sha256_update(h, MAGIC, MAGIC_LEN);
	customs_sha256_update(h, ver, strlen(ver) + 1);
	put_u64(h, plat.tune);
	put_u64(h, plat.cpu_features);
	put_u64(h, plat.reserved1);
	put_u64(h, plat.reserved2);
	put_u64(h, l->mode);
	put_u64(h, l->n);
	for (i = 0; i < l->n; i++) {
		put_u64(h, l->lens[i]);
		customs_sha256_update(h, l->exprs[i], l->lens[i]);
		put_u64(h, l->flags[i]);
		put_u64(h, l->ids[i]);
	}
	customs_sha256_final(h, key);
	customs_sha256_free(h);
	return 0;
}

void *hsc_decode(const unsigned char *buf, size_t len,
		 const unsigned char key[32])
{
	hs_database_t *db = NULL;
	size_t off;

	if (hsc_parse(buf, len, key, &off))
		return NULL;
	/* checks the database's own version, platform and checksum */
	if (hs_deserialize_database((const char *)buf + off, len - off, &db) !=
	    HS_SUCCESS)
		return NULL;
	return db;
}

void *hsc_load(const char *dir, const unsigned char key[32])
{
	struct cbuf path = CBUF_INIT(8192);
	unsigned char *buf = NULL;
	void *db = NULL;
	size_t len = 0;

	if (!file_name(&path, dir, key))
		buf = read_file(path.ptr, &len);
	if (buf)
		db = hsc_decode(buf, len, key);
	customs_free(buf);
	cbuf_release(&path);
	return db;
}

struct aged {
	char name[80]; /* "<64 hex>.hsdb" */
	struct timespec mtime;
};

static int newest_first(const void *a, const void *b)
{
	const struct timespec *x = &((const struct aged *)a)->mtime;
	const struct timespec *y = &((const struct aged *)b)->mtime;

	if (x->tv_sec != y->tv_sec)
		return x->tv_sec < y->tv_sec ? 1 : -1;
	if (x->tv_nsec != y->tv_nsec)
		return x->tv_nsec < y->tv_nsec ? 1 : -1;
	return strcmp(((const struct aged *)a)->name,
		      ((const struct aged *)b)->name);
}

/* Keep the HSC_KEEP newest databases of the directory hsdb, drop stale
 * temporary files. Best effort, like everything here. */
static void prune(const char *hsdb)
{
	struct aged *v = NULL, *nv;
	size_t n = 0, cap = 0, i;
	struct dirent *e;
	struct stat st;
	DIR *d = opendir(hsdb);
	time_t now = time(NULL);

	while (d && (e = readdir(d))) {
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) ||
		    !S_ISREG(st.st_mode))
			continue;
		if (!strncmp(e->d_name, ".tmp-", 5)) {
			if (now - st.st_mtime > TMP_STALE)
				unlinkat(dirfd(d), e->d_name, 0);
			continue;
		}
		if (!path_has_suffix(e->d_name, ".hsdb") ||
		    strlen(e->d_name) >= sizeof(v->name))
			continue;
		if (n == cap) {
			nv = customs_reallocarray(v, cap ? cap * 2 : 32,
						  sizeof(*v));
			if (!nv)
				break;
			v = nv;
			cap = cap ? cap * 2 : 32;
		}
		snprintf(v[n].name, sizeof(v[n].name), "%s", e->d_name);
		v[n++].mtime = st.st_mtim;
	}
	if (n > HSC_KEEP) {
		qsort(v, n, sizeof(*v), newest_first);
		for (i = HSC_KEEP; i < n; i++)
			unlinkat(dirfd(d), v[i].name, 0);
	}
	customs_free(v);
	if (d)
		closedir(d);
}

/* Write header + payload to a new temporary file in dir, renamed to
 * the key's name once complete. */
static void store_bytes(const char *dir, const unsigned char key[32],
			const unsigned char *payload, size_t len)
{
	struct cbuf tmp = CBUF_INIT(8192), path = CBUF_INIT(8192);
	char head[HSC_HEADER_MAX];
	size_t hlen = hsc_header(head, key, payload, len);
	int fd = -1;
	bool ok;

	if (!hlen || cbuf_puts(&tmp, dir) || cachedir_mkdirs(tmp.ptr) ||
	    cbuf_puts(&tmp, "/.tmp-XXXXXX") || file_name(&path, dir, key))
		goto out;
	fd = mkstemp(tmp.ptr); /* mode 0600 */
	if (fd < 0)
		goto out;
	ok = !customs_write_all(fd, head, hlen) &&
	     !customs_write_all(fd, payload, len);
	ok = !close(fd) && ok;
	if (!ok || rename(tmp.ptr, path.ptr)) {
		unlink(tmp.ptr);
		goto out;
	}
	prune(dir);
out:
	cbuf_release(&tmp);
	cbuf_release(&path);
}

void hsc_store(const char *dir, const unsigned char key[32], const void *db)
{
	char *bytes = NULL;
	size_t len = 0;

	if (hs_serialize_database(db, &bytes, &len) != HS_SUCCESS)
		return;
	store_bytes(dir, key, (const unsigned char *)bytes, len);
	free(bytes); /* Hyperscan's misc allocator: plain malloc */
}

#else

void *hsc_decode(const unsigned char *buf, size_t len,
		 const unsigned char key[32])
{
	size_t off;

	(void)hsc_parse(buf, len, key, &off);
	return NULL;
}

#endif
