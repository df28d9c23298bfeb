/*
 * rpm-db-cataloger: the header blob parser (valid, truncated, entries
 * pointing outside the store, huge counts, inconsistent file arrays),
 * each database format (SQLite in rollback and WAL mode, Berkeley DB hash
 * in both byte orders with overflow chains, NDB) with their corruptions,
 * and the whole pipeline over a dir: rootfs. Every header and database
 * is built here, byte by byte, from the formats' specifications.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "customs/analyze.h"
#include "customs/catalog.h"
#include "customs/pkg.h"
#include "catalog/rpmdb_int.h"
#include "catalog/rpmheader.h"

/* ---- header blobs ---- */

struct hb {
	unsigned char idx[64 * 16];
	unsigned char store[16384];
	uint32_t il, dl;
};

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void put32le(unsigned char *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static void hb_raw(struct hb *b, uint32_t tag, uint32_t type, uint32_t off,
		   uint32_t count)
{
	unsigned char *e = b->idx + 16 * b->il++;

	assert_true(b->il <= 64);
	put32(e, tag);
	put32(e + 4, type);
	put32(e + 8, off);
	put32(e + 12, count);
}

static void hb_add(struct hb *b, uint32_t tag, uint32_t type, const void *data,
		   size_t n, uint32_t count, unsigned align)
{
	while (b->dl % align)
		b->store[b->dl++] = 0;
	assert_true(b->dl + n <= sizeof(b->store));
	hb_raw(b, tag, type, b->dl, count);
	memcpy(b->store + b->dl, data, n);
	b->dl += (uint32_t)n;
}

static void hb_str(struct hb *b, uint32_t tag, const char *s)
{
	hb_add(b, tag, RPM_STRING_TYPE, s, strlen(s) + 1, 1, 1);
}

static void hb_strs(struct hb *b, uint32_t tag, uint32_t n,
		    const char *const *v)
{
	char buf[2048];
	size_t len = 0, k;
	uint32_t i;

	for (i = 0; i < n; i++) {
		k = strlen(v[i]) + 1;
		memcpy(buf + len, v[i], k);
		len += k;
	}
	hb_add(b, tag, RPM_STRING_ARRAY_TYPE, buf, len, n, 1);
}

static void hb_u32s(struct hb *b, uint32_t tag, uint32_t n, const uint32_t *v)
{
	unsigned char buf[256];
	uint32_t i;

	for (i = 0; i < n; i++)
		put32(buf + 4 * i, v[i]);
	hb_add(b, tag, RPM_INT32_TYPE, buf, 4 * n, n, 4);
}

static size_t hb_blob(const struct hb *b, unsigned char *out)
{
	put32(out, b->il);
	put32(out + 4, b->dl);
	memcpy(out + 8, b->idx, 16 * b->il);
	memcpy(out + 8 + 16 * b->il, b->store, b->dl);
	return 8 + 16 * b->il + b->dl;
}

static void hb_nevra(struct hb *b, const char *name, const char *version,
		     const char *release)
{
	memset(b, 0, sizeof(*b));
	hb_str(b, RPMTAG_NAME, name);
	hb_str(b, RPMTAG_VERSION, version);
	hb_str(b, RPMTAG_RELEASE, release);
}

/* A full header: every field the cataloger reads. */
static void hb_full(struct hb *b, const char *name)
{
	static const char *const base[] = { "hello.conf", "hello", "doc" };
	static const char *const dirs[] = { "/etc/", "/usr/bin/",
					    "/usr/share/" };
	static const char *const dig[] = { "aa11", "bb22", "" };
	static const uint32_t idx[] = { 0, 1, 2 }, flags[] = { 0x11, 0, 0 };
	uint32_t epoch = 2, size = 4242, algo = 8;

	hb_nevra(b, name, "1.0", "3.el9");
	hb_u32s(b, RPMTAG_EPOCH, 1, &epoch);
	hb_str(b, RPMTAG_ARCH, "x86_64");
	hb_str(b, RPMTAG_SOURCERPM, "hello-src-1.0-3.el9.src.rpm");
	hb_str(b, RPMTAG_LICENSE, "MIT and GPLv2+");
	hb_str(b, RPMTAG_VENDOR, "Customs Test");
	hb_u32s(b, RPMTAG_SIZE, 1, &size);
	hb_str(b, RPMTAG_MODULARITYLABEL, "hello:1:8090020240101:abcd");
	hb_strs(b, RPMTAG_BASENAMES, 3, base);
	hb_strs(b, RPMTAG_DIRNAMES, 3, dirs);
	hb_u32s(b, RPMTAG_DIRINDEXES, 3, idx);
	hb_strs(b, RPMTAG_FILEDIGESTS, 3, dig);
	hb_u32s(b, RPMTAG_FILEFLAGS, 3, flags);
	hb_u32s(b, RPMTAG_FILEDIGESTALGO, 1, &algo);
}

/* ---- running the parser ---- */

struct run {
	struct cat_input in;
	struct cat_result res;
};

static void run_parse(struct run *r, const char *path,
		      const unsigned char *data, size_t len)
{
	memset(r, 0, sizeof(*r));
	r->in.path = path;
	r->in.data = data;
	r->in.len = len;
	assert_int_equal(cat_rpmdb.parse(&r->in, &r->res), 0);
}

static void run_header(struct run *r, const unsigned char *blob, size_t len)
{
	struct rpm_ctx c;

	memset(r, 0, sizeof(*r));
	r->in.path = "var/lib/rpm/rpmdb.sqlite";
	c.in = &r->in;
	c.res = &r->res;
	c.n_warnings = 0;
	assert_int_equal(rpm_header_to_pkg(&c, blob, len, "record 7"), 0);
}

static void run_free(struct run *r)
{
	customs_pkglist_release(&r->res.pkgs);
	customs_strlist_release(&r->res.warnings);
}

/* Some warning contains needle. */
static bool warned(const struct run *r, const char *needle)
{
	size_t i;

	for (i = 0; i < r->res.warnings.n; i++) {
		if (strstr(r->res.warnings.v[i], needle))
			return true;
	}
	return false;
}

static void dump_warnings(const struct run *r)
{
	size_t i;

	for (i = 0; i < r->res.warnings.n; i++)
		print_message("warning: %s\n", r->res.warnings.v[i]);
}

static const struct customs_pkg *pkg_named(const struct customs_pkglist *l,
					   const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (!strcmp(l->v[i]->name, name))
			return l->v[i];
	}
	fail_msg("no package %s", name);
	return NULL;
}

static void assert_full(const struct customs_pkg *p, const char *name)
{
	assert_int_equal(p->type, CUSTOMS_PKG_RPM);
	assert_string_equal(p->name, name);
	assert_string_equal(p->version, "2:1.0-3.el9");
	assert_string_equal(p->arch, "x86_64");
	assert_string_equal(p->source_name, "hello-src-1.0-3.el9.src.rpm");
	assert_null(p->source_version);
	assert_string_equal(p->found_by, "rpm-db-cataloger");
	assert_string_equal(customs_pkg_meta_get(p, "epoch"), "2");
	assert_string_equal(customs_pkg_meta_get(p, "release"), "3.el9");
	assert_string_equal(customs_pkg_meta_get(p, "vendor"), "Customs Test");
	assert_string_equal(customs_pkg_meta_get(p, "size"), "4242");
	assert_string_equal(customs_pkg_meta_get(p, "modularity_label"),
			    "hello:1:8090020240101:abcd");
	assert_int_equal(p->licenses.n, 1);
	assert_string_equal(p->licenses.v[0], "MIT and GPLv2+");
	assert_int_equal(p->n_files, 3);
	assert_string_equal(p->files[0].path, "etc/hello.conf");
	assert_string_equal(p->files[0].algorithm, "sha256");
	assert_string_equal(p->files[0].digest, "aa11");
	assert_true(p->files[0].config);
	assert_string_equal(p->files[1].path, "usr/bin/hello");
	assert_string_equal(p->files[1].digest, "bb22");
	assert_false(p->files[1].config);
	assert_string_equal(p->files[2].path, "usr/share/doc");
	assert_null(p->files[2].digest);
	assert_null(p->files[2].algorithm);
}

/* ---- header tests ---- */

static void test_rpmheader_all_fields(void **state)
{
	unsigned char blob[20000];
	struct hb b;
	struct run r;
	size_t n;

	(void)state;
	hb_full(&b, "hello");
	n = hb_blob(&b, blob);
	run_header(&r, blob, n);
	dump_warnings(&r);
	assert_int_equal(r.res.warnings.n, 0);
	assert_int_equal(r.res.pkgs.n, 1);
	assert_full(r.res.pkgs.v[0], "hello");
	assert_string_equal(r.res.pkgs.v[0]->locations[0].path,
			    "var/lib/rpm/rpmdb.sqlite");
	run_free(&r);
}

static void test_rpmheader_defaults(void **state)
{
	static const char *const base[] = { "a", "b" };
	static const char *const dirs[] = { "/" };
	static const char *const dig[] = { "0123", "4567" };
	static const uint32_t idx[] = { 0, 0 };
	unsigned char blob[20000];
	const struct customs_pkg *p;
	struct hb b;
	struct run r;

	(void)state;
	/* no epoch, no digest algorithm (md5), no flags, no arch */
	hb_nevra(&b, "plain", "0.9", "1");
	hb_strs(&b, RPMTAG_BASENAMES, 2, base);
	hb_strs(&b, RPMTAG_DIRNAMES, 1, dirs);
	hb_u32s(&b, RPMTAG_DIRINDEXES, 2, idx);
	hb_strs(&b, RPMTAG_FILEDIGESTS, 2, dig);
	run_header(&r, blob, hb_blob(&b, blob));
	assert_int_equal(r.res.warnings.n, 0);
	p = r.res.pkgs.v[0];
	assert_string_equal(p->version, "0.9-1");
	assert_null(customs_pkg_meta_get(p, "epoch"));
	assert_null(p->arch);
	assert_null(p->source_name);
	assert_int_equal(p->licenses.n, 0);
	assert_string_equal(p->files[0].path, "a");
	assert_string_equal(p->files[0].algorithm, "md5");
	assert_string_equal(p->files[1].path, "b");
	run_free(&r);

	/* an explicit epoch 0 is shown, as rpm's %{EPOCH} and Syft do */
	{
		uint32_t zero = 0;

		hb_nevra(&b, "zero", "1", "1");
		hb_u32s(&b, RPMTAG_EPOCH, 1, &zero);
		run_header(&r, blob, hb_blob(&b, blob));
		assert_string_equal(r.res.pkgs.v[0]->version, "0:1-1");
		run_free(&r);
	}
}

static void test_rpmheader_truncated(void **state)
{
	unsigned char blob[20000];
	struct hb b;
	struct run r;
	size_t n, cut;

	(void)state;
	hb_full(&b, "hello");
	n = hb_blob(&b, blob);
	for (cut = 0; cut < n; cut++) {
		run_header(&r, blob, cut);
		assert_int_equal(r.res.pkgs.n, 0);
		assert_int_equal(r.res.warnings.n, 1);
		assert_non_null(
			strstr(r.res.warnings.v[0], "record 7: header"));
		run_free(&r);
	}
	/* trailing bytes after the store are ignored */
	run_header(&r, blob, n + 10);
	assert_int_equal(r.res.pkgs.n, 1);
	run_free(&r);
}

static void test_rpmheader_outside_store(void **state)
{
	unsigned char blob[20000];
	struct hb b;
	struct run r;

	(void)state;
	/* the name points past the store: the record is skipped */
	memset(&b, 0, sizeof(b));
	hb_raw(&b, RPMTAG_NAME, RPM_STRING_TYPE, 5000, 1);
	hb_str(&b, RPMTAG_VERSION, "1");
	run_header(&r, blob, hb_blob(&b, blob));
	assert_int_equal(r.res.pkgs.n, 0);
	assert_true(warned(&r, "record 7: name: entry points outside the "
			       "data store; record skipped"));
	run_free(&r);

	/* the vendor does: the package is kept without it */
	hb_nevra(&b, "v", "1", "1");
	hb_raw(&b, RPMTAG_VENDOR, RPM_STRING_TYPE, 0xfffffff0u, 1);
	run_header(&r, blob, hb_blob(&b, blob));
	assert_int_equal(r.res.pkgs.n, 1);
	assert_null(customs_pkg_meta_get(r.res.pkgs.v[0], "vendor"));
	assert_true(warned(&r, "record 7 (v): vendor: entry points outside"));
	run_free(&r);

	/* a string whose NUL is not inside the store */
	hb_nevra(&b, "s", "1", "1");
	hb_add(&b, RPMTAG_ARCH, RPM_STRING_TYPE, "noarch", 6, 1, 1);
	run_header(&r, blob, hb_blob(&b, blob));
	assert_true(warned(&r, "arch: string not terminated"));
	assert_null(r.res.pkgs.v[0]->arch);
	run_free(&r);

	/* a name of the wrong type */
	memset(&b, 0, sizeof(b));
	{
		uint32_t v = 1;

		hb_u32s(&b, RPMTAG_NAME, 1, &v);
	}
	hb_str(&b, RPMTAG_VERSION, "1");
	run_header(&r, blob, hb_blob(&b, blob));
	assert_int_equal(r.res.pkgs.n, 0);
	assert_true(warned(&r, "name: string tag of a non-string type"));
	run_free(&r);
}

static void test_rpmheader_huge_counts(void **state)
{
	unsigned char blob[20000];
	struct hb b;
	struct run r;
	size_t n;

	(void)state;
	/* il beyond rpm's cap */
	hb_nevra(&b, "h", "1", "1");
	n = hb_blob(&b, blob);
	put32(blob, 0xffffffffu);
	run_header(&r, blob, n);
	assert_true(warned(&r, "header index count out of range"));
	run_free(&r);
	put32(blob, 3);
	put32(blob + 4, 0x7fffffffu);
	run_header(&r, blob, n);
	assert_true(warned(&r, "header data size out of range"));
	run_free(&r);

	/* a string array claiming 2^31 entries, an INT32 array running
	 * past the store: no file list, no huge allocation */
	hb_nevra(&b, "h", "1", "1");
	hb_raw(&b, RPMTAG_BASENAMES, RPM_STRING_ARRAY_TYPE, 0, 0x80000000u);
	hb_raw(&b, RPMTAG_DIRNAMES, RPM_STRING_ARRAY_TYPE, 0, 1);
	hb_raw(&b, RPMTAG_DIRINDEXES, RPM_INT32_TYPE, 0, 0x40000000u);
	run_header(&r, blob, hb_blob(&b, blob));
	assert_int_equal(r.res.pkgs.n, 1);
	assert_int_equal(r.res.pkgs.v[0]->n_files, 0);
	assert_true(warned(&r, "basenames: string count larger than the "
			       "data store"));
	assert_true(warned(&r, "dirindexes: entry runs past the end"));
	run_free(&r);

	/* a zero count and an unknown type */
	hb_nevra(&b, "h", "1", "1");
	hb_raw(&b, RPMTAG_LICENSE, RPM_STRING_TYPE, 0, 0);
	hb_raw(&b, RPMTAG_VENDOR, 77, 0, 1);
	run_header(&r, blob, hb_blob(&b, blob));
	assert_true(warned(&r, "license: entry with a zero count"));
	assert_true(warned(&r, "vendor: entry of unknown type"));
	run_free(&r);
}

static void test_rpmheader_file_arrays_disagree(void **state)
{
	static const char *const base[] = { "a", "b", "c" };
	static const char *const dirs[] = { "/x/", "/y/" };
	static const char *const dig[] = { "01" };
	static const uint32_t idx[] = { 0, 9, 1 }, flags[] = { 1, 1, 1 };
	unsigned char blob[20000];
	const struct customs_pkg *p;
	struct hb b;
	struct run r;

	(void)state;
	hb_nevra(&b, "f", "1", "1");
	hb_strs(&b, RPMTAG_BASENAMES, 3, base);
	hb_strs(&b, RPMTAG_DIRNAMES, 2, dirs);
	hb_u32s(&b, RPMTAG_DIRINDEXES, 3, idx);
	hb_strs(&b, RPMTAG_FILEDIGESTS, 1, dig);
	hb_u32s(&b, RPMTAG_FILEFLAGS, 3, flags);
	run_header(&r, blob, hb_blob(&b, blob));
	p = r.res.pkgs.v[0];
	/* the digests do not match the files: dropped; file 1's dir index
	 * is out of range: that file is dropped */
	assert_true(warned(&r, "file digests: 1 entries for 3 files"));
	assert_true(warned(&r, "file 1: dirindex 9 out of range"));
	assert_int_equal(p->n_files, 2);
	assert_string_equal(p->files[0].path, "x/a");
	assert_null(p->files[0].digest);
	assert_true(p->files[0].config);
	assert_string_equal(p->files[1].path, "y/c");
	run_free(&r);

	/* an unknown digest algorithm: digests kept, algorithm unnamed */
	{
		static const uint32_t one[] = { 0, 0, 1 };
		static const char *const dg3[] = { "aa", "bb", "" };
		uint32_t algo = 99;

		hb_nevra(&b, "f", "1", "1");
		hb_strs(&b, RPMTAG_BASENAMES, 3, base);
		hb_strs(&b, RPMTAG_DIRNAMES, 2, dirs);
		hb_u32s(&b, RPMTAG_DIRINDEXES, 3, one);
		hb_strs(&b, RPMTAG_FILEDIGESTS, 3, dg3);
		hb_u32s(&b, RPMTAG_FILEDIGESTALGO, 1, &algo);
		run_header(&r, blob, hb_blob(&b, blob));
		p = r.res.pkgs.v[0];
		assert_true(warned(&r, "unknown file digest algorithm 99"));
		assert_int_equal(p->n_files, 3);
		assert_string_equal(p->files[1].digest, "bb");
		assert_null(p->files[1].algorithm);
		assert_false(p->files[1].config);
		run_free(&r);
	}

	/* basenames without dirindexes: no file list */
	hb_nevra(&b, "f", "1", "1");
	hb_strs(&b, RPMTAG_BASENAMES, 3, base);
	run_header(&r, blob, hb_blob(&b, blob));
	assert_int_equal(r.res.pkgs.v[0]->n_files, 0);
	assert_true(warned(&r, "basenames without matching dirnames"));
	run_free(&r);
}

static void test_rpmheader_skips_gpg_pubkey(void **state)
{
	unsigned char blob[20000];
	struct hb b;
	struct run r;

	(void)state;
	hb_nevra(&b, "gpg-pubkey", "fd431d51", "4ae0493b");
	run_header(&r, blob, hb_blob(&b, blob));
	assert_int_equal(r.res.pkgs.n, 0);
	assert_int_equal(r.res.warnings.n, 0);
	run_free(&r);
	/* a record without a version is skipped with a warning */
	memset(&b, 0, sizeof(b));
	hb_str(&b, RPMTAG_NAME, "nover");
	run_header(&r, blob, hb_blob(&b, blob));
	assert_int_equal(r.res.pkgs.n, 0);
	assert_true(warned(&r, "record 7: no version; record skipped"));
	run_free(&r);
}

/* ---- databases ---- */

static char tmp[256];

static void write_file(const char *path, const unsigned char *data, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static size_t read_file(unsigned char **out, const char *path)
{
	FILE *f = fopen(path, "rb");
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	*out = malloc((size_t)n + 1);
	assert_non_null(*out);
	assert_int_equal(fread(*out, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return (size_t)n;
}

/* Up to 4 header blobs to store. */
struct blobs {
	unsigned char b[4][20000];
	size_t len[4];
	size_t n;
};

static void blobs_std(struct blobs *bl)
{
	struct hb h;

	memset(bl, 0, sizeof(*bl));
	hb_full(&h, "hello");
	bl->len[0] = hb_blob(&h, bl->b[0]);
	hb_nevra(&h, "other", "2.5", "1.fc40");
	bl->len[1] = hb_blob(&h, bl->b[1]);
	hb_nevra(&h, "gpg-pubkey", "1", "1");
	bl->len[2] = hb_blob(&h, bl->b[2]);
	bl->n = 3;
}

static void sq_ok(int rc)
{
	assert_int_equal(rc, SQLITE_OK);
}

static size_t make_sqlite(unsigned char **out, const struct blobs *bl, bool wal,
			  const char *create)
{
	char path[300];
	sqlite3 *db;
	sqlite3_stmt *st;
	size_t i;

	snprintf(path, sizeof(path), "%s/db.sqlite", tmp);
	unlink(path);
	sq_ok(sqlite3_open(path, &db));
	if (wal)
		sq_ok(sqlite3_exec(db, "PRAGMA journal_mode=WAL", NULL, NULL,
				   NULL));
	sq_ok(sqlite3_exec(db, create, NULL, NULL, NULL));
	for (i = 0; i < bl->n; i++) {
		sq_ok(sqlite3_prepare_v2(db,
					 "INSERT INTO Packages (hnum, blob) "
					 "VALUES (?, ?)",
					 -1, &st, NULL));
		sq_ok(sqlite3_bind_int(st, 1, (int)i + 1));
		sq_ok(sqlite3_bind_blob(st, 2, bl->b[i], (int)bl->len[i],
					SQLITE_STATIC));
		assert_int_equal(sqlite3_step(st), SQLITE_DONE);
		sqlite3_finalize(st);
	}
	sq_ok(sqlite3_close(db));
	return read_file(out, path);
}

#define RPM_CREATE                                                        \
	"CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, " \
	"blob BLOB NOT NULL)"

static void assert_std(const struct run *r, const char *path)
{
	dump_warnings(r);
	assert_int_equal(r->res.warnings.n, 0);
	assert_int_equal(r->res.pkgs.n, 2);
	assert_full(pkg_named(&r->res.pkgs, "hello"), "hello");
	assert_string_equal(pkg_named(&r->res.pkgs, "other")->version,
			    "2.5-1.fc40");
	assert_string_equal(r->res.pkgs.v[0]->locations[0].path, path);
}

static void test_rpmdb_sqlite(void **state)
{
	struct blobs bl;
	unsigned char *db;
	struct run r;
	size_t n;

	(void)state;
	blobs_std(&bl);
	n = make_sqlite(&db, &bl, false, RPM_CREATE);
	assert_int_equal(rpmdb_sniff(db, n), RPMDB_SQLITE);
	run_parse(&r, "var/lib/rpm/rpmdb.sqlite", db, n);
	assert_std(&r, "var/lib/rpm/rpmdb.sqlite");
	run_free(&r);
	free(db);

	/* rpm keeps its database in WAL mode */
	n = make_sqlite(&db, &bl, true, RPM_CREATE);
	assert_int_equal(db[18], 2);
	run_parse(&r, "var/lib/rpm/rpmdb.sqlite", db, n);
	assert_std(&r, "var/lib/rpm/rpmdb.sqlite");
	run_free(&r);
	free(db);
}

static void test_rpmdb_sqlite_bad(void **state)
{
	struct blobs bl;
	unsigned char *db;
	struct run r;
	size_t n;

	(void)state;
	blobs_std(&bl);
	/* no Packages table, only a view of that name */
	bl.n = 0;
	n = make_sqlite(&db, &bl, false,
			"CREATE TABLE Other (hnum INTEGER, blob BLOB);"
			"CREATE VIEW Packages AS SELECT * FROM Other");
	run_parse(&r, "var/lib/rpm/rpmdb.sqlite", db, n);
	assert_int_equal(r.res.pkgs.n, 0);
	assert_true(warned(&r, "sqlite: no readable Packages table"));
	run_free(&r);
	/* corrupt pages after the header */
	memset(db + 100, 0xee, n - 100);
	run_parse(&r, "var/lib/rpm/rpmdb.sqlite", db, n);
	assert_int_equal(r.res.pkgs.n, 0);
	assert_true(warned(&r, "sqlite: "));
	run_free(&r);
	/* only the magic */
	run_parse(&r, "var/lib/rpm/rpmdb.sqlite", db, 20);
	assert_true(warned(&r, "sqlite: file shorter than its header"));
	run_free(&r);
	free(db);
	/* a bad blob among good ones */
	blobs_std(&bl);
	{
		struct blobs b2 = bl;

		b2.len[1] = 5;
		n = make_sqlite(&db, &b2, false,
				"CREATE TABLE Packages (hnum INTEGER, blob)");
		run_parse(&r, "var/lib/rpm/rpmdb.sqlite", db, n);
		assert_int_equal(r.res.pkgs.n, 1);
		assert_true(warned(&r, "record 2: header shorter"));
		run_free(&r);
		free(db);
	}
}

/* Berkeley DB hash file: meta page, one hash page, overflow chains. */
struct bdbw {
	unsigned char *p;
	uint32_t ps;
	bool be;
};

static void w32(const struct bdbw *w, size_t off, uint32_t v)
{
	if (w->be)
		put32(w->p + off, v);
	else
		put32le(w->p + off, v);
}

static void w16(const struct bdbw *w, size_t off, uint32_t v)
{
	w->p[off + (w->be ? 0 : 1)] = (unsigned char)(v >> 8);
	w->p[off + (w->be ? 1 : 0)] = (unsigned char)v;
}

static void pg_head(const struct bdbw *w, uint32_t pg, uint32_t next,
		    uint32_t entries, uint32_t hf, unsigned type)
{
	size_t o = (size_t)pg * w->ps;

	w32(w, o + 8, pg);
	w32(w, o + 16, next);
	w16(w, o + 20, entries);
	w16(w, o + 22, hf);
	w->p[o + 25] = (unsigned char)type;
}

/* Returns the size; blob i's chain follows blob i - 1's from page 2. */
static size_t make_bdb_hdr(unsigned char **out, const struct blobs *bl, bool be,
			   uint32_t ps, uint32_t hdr)
{
	struct bdbw w = { NULL, ps, be };
	uint32_t npages = 2, pg, i, k, nitems = 0, cursor = ps;
	size_t room = ps - hdr, hash = ps;

	for (i = 0; i < bl->n; i++)
		npages += (uint32_t)((bl->len[i] + room - 1) / room);
	w.p = calloc(npages, ps);
	assert_non_null(w.p);
	w32(&w, 12, 0x061561);
	w32(&w, 16, 9);
	w32(&w, 20, ps);
	w.p[25] = 8;
	w.p[26] = hdr == 32; /* DBMETA_CHKSUM: 6 more header bytes */
	w32(&w, 32, npages - 1);
	/* the counter record: key 0 -> 4-byte value */
	cursor -= 5;
	w.p[hash + cursor] = 1;
	w32(&w, hash + cursor + 1, 0);
	w16(&w, hash + hdr + 2 * nitems++, cursor);
	cursor -= 5;
	w.p[hash + cursor] = 1;
	w32(&w, hash + cursor + 1, bl->n + 1);
	w16(&w, hash + hdr + 2 * nitems++, cursor);
	pg = 2;
	for (i = 0; i < bl->n; i++) {
		size_t done = 0;

		cursor -= 5;
		w.p[hash + cursor] = 1;
		w32(&w, hash + cursor + 1, i + 1);
		w16(&w, hash + hdr + 2 * nitems++, cursor);
		cursor -= 12;
		w.p[hash + cursor] = 3;
		w32(&w, hash + cursor + 4, pg);
		w32(&w, hash + cursor + 8, (uint32_t)bl->len[i]);
		w16(&w, hash + hdr + 2 * nitems++, cursor);
		while (done < bl->len[i]) {
			k = (uint32_t)(bl->len[i] - done < room
					       ? bl->len[i] - done
					       : room);
			memcpy(w.p + (size_t)pg * ps + hdr, bl->b[i] + done, k);
			done += k;
			pg_head(&w, pg, done < bl->len[i] ? pg + 1 : 0, 1, k,
				7);
			pg++;
		}
	}
	pg_head(&w, 1, 0, nitems, cursor, 13);
	*out = w.p;
	return (size_t)npages * ps;
}

static size_t make_bdb(unsigned char **out, const struct blobs *bl, bool be,
		       uint32_t ps)
{
	return make_bdb_hdr(out, bl, be, ps, 26);
}

static void test_rpmdb_bdb(void **state)
{
	struct blobs bl;
	unsigned char *db;
	struct run r;
	size_t n;
	int be;

	(void)state;
	blobs_std(&bl);
	for (be = 0; be < 2; be++) {
		n = make_bdb(&db, &bl, be, 512);
		assert_int_equal(rpmdb_sniff(db, n), RPMDB_BDB);
		run_parse(&r, "var/lib/rpm/Packages", db, n);
		assert_std(&r, "var/lib/rpm/Packages");
		run_free(&r);
		free(db);
	}
	/* pages with checksums: the header grows to 32 bytes */
	n = make_bdb_hdr(&db, &bl, true, 1024, 32);
	run_parse(&r, "var/lib/rpm/Packages", db, n);
	assert_std(&r, "var/lib/rpm/Packages");
	run_free(&r);
	free(db);
	/* one page holds a whole header */
	n = make_bdb(&db, &bl, false, 65536);
	run_parse(&r, "var/lib/rpm/Packages", db, n);
	assert_std(&r, "var/lib/rpm/Packages");
	run_free(&r);
	free(db);
}

/* Byte offset of overflow page field `field` of page pg (LE, 512). */
#define PG(pg, field) ((size_t)(pg)*512 + (field))

static void test_rpmdb_bdb_bad(void **state)
{
	char lic[1500];
	struct blobs bl;
	unsigned char *db;
	struct hb h;
	struct run r;
	size_t n;

	(void)state;
	/* record 1 spans pages 2..5 of 512 bytes, record 2 follows */
	blobs_std(&bl);
	memset(lic, 'L', sizeof(lic) - 1);
	lic[sizeof(lic) - 1] = '\0';
	hb_nevra(&h, "big", "1", "1");
	hb_str(&h, RPMTAG_LICENSE, lic);
	bl.len[0] = hb_blob(&h, bl.b[0]);
	n = make_bdb(&db, &bl, false, 512);
	/* page 3 leads back to page 2: a loop, reported, and the other
	 * records still read */
	db[PG(3, 16)] = 2;
	run_parse(&r, "var/lib/rpm/Packages", db, n);
	assert_true(warned(&r, "record 1: overflow page 2 reached twice"));
	assert_int_equal(r.res.pkgs.n, 1);
	assert_string_equal(r.res.pkgs.v[0]->name, "other");
	run_free(&r);
	db[PG(3, 16)] = 4;
	/* out of range */
	db[PG(2, 16)] = 0xff;
	db[PG(2, 17)] = 0x7f;
	run_parse(&r, "var/lib/rpm/Packages", db, n);
	assert_true(warned(&r, "record 1: overflow page 32767 out of range"));
	run_free(&r);
	/* a bad size on an overflow page */
	db[PG(2, 16)] = 3;
	db[PG(2, 17)] = 0;
	db[PG(2, 22)] = 0xff;
	db[PG(2, 23)] = 0xff;
	run_parse(&r, "var/lib/rpm/Packages", db, n);
	assert_true(warned(&r, "record 1: bad overflow page 2 (type 7, "
			       "65535 bytes)"));
	run_free(&r);
	/* truncated file: meta names more pages than there are */
	run_parse(&r, "var/lib/rpm/Packages", db, n - 512);
	assert_true(warned(&r, "truncated: the last page is"));
	run_free(&r);
	/* hash page item offsets outside the page */
	db[PG(1, 26)] = 0x10;
	db[PG(1, 27)] = 0x00;
	run_parse(&r, "var/lib/rpm/Packages", db, n);
	assert_true(warned(&r, "page 1: item 0 outside the page"));
	run_free(&r);
	/* bad page size, encrypted, btree */
	put32le(db + 20, 1000);
	run_parse(&r, "var/lib/rpm/Packages", db, n);
	assert_true(warned(&r, "bad page size 1000"));
	run_free(&r);
	put32le(db + 20, 512);
	db[24] = 1;
	run_parse(&r, "var/lib/rpm/Packages", db, n);
	assert_true(warned(&r, "encrypted database"));
	run_free(&r);
	put32le(db + 12, 0x053162);
	run_parse(&r, "var/lib/rpm/Packages", db, n);
	assert_true(warned(&r, "a Berkeley DB btree"));
	run_free(&r);
	free(db);
}

/* NDB: header, one slot page, blobs from block 256. */
static size_t make_ndb(unsigned char **out, const struct blobs *bl)
{
	size_t size = 4096, off, i;
	unsigned char *p;
	uint32_t blk = 256;

	for (i = 0; i < bl->n; i++)
		size += (16 + bl->len[i] + 12 + 15) / 16 * 16;
	p = calloc(1, size);
	assert_non_null(p);
	memcpy(p, "RpmP", 4);
	put32le(p + 8, 1);
	put32le(p + 12, 1);
	put32le(p + 16, (uint32_t)bl->n + 1);
	for (off = 32; off < 4096; off += 16)
		memcpy(p + off, "Slot", 4);
	for (i = 0; i < bl->n; i++) {
		uint32_t cnt = (uint32_t)((16 + bl->len[i] + 12 + 15) / 16);
		unsigned char *b = p + (size_t)blk * 16;
		unsigned char *tail = b + (size_t)cnt * 16 - 12;
		uint32_t s1 = 1, s2 = 0;
		unsigned char *q;

		put32le(p + 32 + 16 * i + 4, (uint32_t)i + 1);
		put32le(p + 32 + 16 * i + 8, blk);
		put32le(p + 32 + 16 * i + 12, cnt);
		memcpy(b, "BlbS", 4);
		put32le(b + 4, (uint32_t)i + 1);
		put32le(b + 8, 1);
		put32le(b + 12, (uint32_t)bl->len[i]);
		memcpy(b + 16, bl->b[i], bl->len[i]);
		for (q = b; q < tail; q++) {
			s1 = (s1 + *q) % 65521;
			s2 = (s2 + s1) % 65521;
		}
		put32le(tail, s2 << 16 | s1);
		put32le(tail + 4, (uint32_t)bl->len[i]);
		memcpy(tail + 8, "BlbE", 4);
		blk += cnt;
	}
	*out = p;
	return size;
}

static void test_rpmdb_ndb(void **state)
{
	struct blobs bl;
	unsigned char *db;
	struct run r;
	size_t n;

	(void)state;
	blobs_std(&bl);
	n = make_ndb(&db, &bl);
	assert_int_equal(rpmdb_sniff(db, n), RPMDB_NDB);
	run_parse(&r, "usr/lib/sysimage/rpm/Packages.db", db, n);
	assert_std(&r, "usr/lib/sysimage/rpm/Packages.db");
	run_free(&r);
	free(db);
}

static void test_rpmdb_ndb_bad(void **state)
{
	struct blobs bl;
	unsigned char *db, save[16];
	struct run r;
	size_t n;

	(void)state;
	blobs_std(&bl);
	n = make_ndb(&db, &bl);
	/* a flipped generation byte in blob 1's head: the checksum does not
	 * match, and the header is still parsed */
	db[4096 + 8] ^= 1;
	run_parse(&r, "var/lib/rpm/Packages.db", db, n);
	assert_true(warned(&r, "package index 1: blob checksum mismatch"));
	assert_int_equal(r.res.pkgs.n, 2);
	run_free(&r);
	db[4096 + 8] ^= 1;
	/* slot 2 (first used) points outside the file, then inside the slot
	 * area, then at a bad head */
	memcpy(save, db + 32, 16);
	put32le(db + 32 + 8, 0x7fffffff);
	run_parse(&r, "var/lib/rpm/Packages.db", db, n);
	assert_true(warned(&r, "package index 1: blob at block 2147483647"));
	assert_int_equal(r.res.pkgs.n, 1);
	run_free(&r);
	put32le(db + 32 + 8, 3);
	run_parse(&r, "var/lib/rpm/Packages.db", db, n);
	assert_true(warned(&r, "outside the file's blob area"));
	run_free(&r);
	memcpy(db + 32, save, 16);
	db[4096] = 'X';
	run_parse(&r, "var/lib/rpm/Packages.db", db, n);
	assert_true(warned(&r, "package index 1: bad blob head"));
	run_free(&r);
	db[4096] = 'B';
	/* a wrong length in the blob head */
	put32le(db + 4096 + 12, 3);
	run_parse(&r, "var/lib/rpm/Packages.db", db, n);
	assert_true(warned(&r, "does not fill its"));
	run_free(&r);
	put32le(db + 4096 + 12, (uint32_t)bl.len[0]);
	/* bad slot magic, slot area past the end, wrong version */
	memcpy(db + 48, "XXXX", 4);
	run_parse(&r, "var/lib/rpm/Packages.db", db, n);
	assert_true(warned(&r, "slot 3: bad slot magic"));
	run_free(&r);
	put32le(db + 12, 100000);
	run_parse(&r, "var/lib/rpm/Packages.db", db, n);
	assert_true(warned(&r, "NDB slot area (100000 pages) runs past"));
	run_free(&r);
	put32le(db + 4, 1);
	run_parse(&r, "var/lib/rpm/Packages.db", db, n);
	assert_true(warned(&r, "NDB version 1 is not supported"));
	run_free(&r);
	free(db);
}

static void test_rpmdb_unknown_and_capped(void **state)
{
	unsigned char junk[8192];
	struct run r;

	(void)state;
	memset(junk, 'j', sizeof(junk));
	run_parse(&r, "var/lib/rpm/Packages", junk, sizeof(junk));
	assert_int_equal(r.res.warnings.n, 1);
	assert_true(warned(&r, "not an rpm database"));
	run_free(&r);
	/* rpm leaves empty files behind: nothing to say */
	run_parse(&r, "var/lib/rpm/Packages", junk, 0);
	assert_int_equal(r.res.warnings.n, 0);
	run_free(&r);
	/* an NDB whose 254 slots are all bad: warnings are capped */
	memset(junk, 0, sizeof(junk));
	memcpy(junk, "RpmP", 4);
	put32le(junk + 12, 1);
	run_parse(&r, "var/lib/rpm/Packages.db", junk, sizeof(junk));
	assert_int_equal(r.res.warnings.n, RPMDB_MAX_WARNINGS + 1);
	assert_true(warned(&r, "190 more warnings about this database"));
	run_free(&r);
}

/* ---- the pipeline ---- */

static void mkdirs(const char *root, const char *rel)
{
	char p[600], *s;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	for (s = p + strlen(root) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	mkdir(p, 0755);
}

static void put(const char *root, const char *rel, const unsigned char *d,
		size_t n)
{
	char p[600];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	write_file(p, d, n);
}

static struct customs_sbom *scan(const char *root)
{
	struct customs_catalog_opts co = CUSTOMS_CATALOG_OPTS_INIT;
	struct customs_scan_opts so = CUSTOMS_SCAN_OPTS_INIT;
	struct customs_image *img = NULL;
	struct customs_analysis *a = NULL;
	struct customs_catalog *cat = NULL;
	struct customs_sbom *sbom = NULL;
	struct customs_ctx *ctx = NULL;
	char target[600];

	snprintf(target, sizeof(target), "dir:%s", root);
	co.select = "rpm-db-cataloger";
	assert_int_equal(customs_ctx_new(&ctx), 0);
	assert_int_equal(customs_image_open(&img, ctx, target, NULL), 0);
	assert_int_equal(customs_catalog_new(&cat, &co, ctx), 0);
	so.analyzers = customs_catalog_analyzers(cat, &so.n_analyzers);
	assert_int_equal(customs_image_scan(&a, img, ctx, &so), 0);
	assert_int_equal(customs_catalog_finish(&sbom, cat, img, a, ctx), 0);
	customs_catalog_free(cat);
	customs_analysis_free(a);
	customs_image_free(img);
	customs_ctx_free(ctx);
	return sbom;
}

static void test_rpmdb_pipeline_dir_rootfs(void **state)
{
	struct customs_sbom *sbom;
	unsigned char *sq, *bdb, *ndb, junk[600];
	struct blobs bl, one;
	struct hb h;
	char root[300], cmd[400];
	size_t nsq, nbdb, nndb;

	(void)state;
	blobs_std(&bl);
	memset(&one, 0, sizeof(one));
	hb_nevra(&h, "suse-only", "15.5", "150500.1");
	one.len[0] = hb_blob(&h, one.b[0]);
	one.n = 1;
	nsq = make_sqlite(&sq, &bl, true, RPM_CREATE);
	nbdb = make_bdb(&bdb, &one, false, 4096);
	nndb = make_ndb(&ndb, &one);
	snprintf(root, sizeof(root), "%s/rootfs", tmp);
	assert_int_equal(mkdir(root, 0755), 0);
	mkdirs(root, "var/lib/rpm");
	mkdirs(root, "usr/lib/sysimage/rpm");
	mkdirs(root, "usr/share/rpm");
	put(root, "var/lib/rpm/rpmdb.sqlite", sq, nsq);
	put(root, "var/lib/rpm/Packages", bdb, nbdb);
	put(root, "usr/lib/sysimage/rpm/Packages.db", ndb, nndb);
	memset(junk, 'j', sizeof(junk));
	put(root, "usr/share/rpm/Packages", junk, sizeof(junk));

	sbom = scan(root);
	/* sorted by type, name, version, then first location */
	assert_int_equal(sbom->pkgs.n, 4);
	assert_string_equal(sbom->pkgs.v[0]->name, "hello");
	assert_full(sbom->pkgs.v[0], "hello");
	assert_string_equal(sbom->pkgs.v[1]->name, "other");
	assert_string_equal(sbom->pkgs.v[2]->name, "suse-only");
	assert_string_equal(sbom->pkgs.v[2]->locations[0].path,
			    "usr/lib/sysimage/rpm/Packages.db");
	assert_string_equal(sbom->pkgs.v[3]->name, "suse-only");
	assert_string_equal(sbom->pkgs.v[3]->locations[0].path,
			    "var/lib/rpm/Packages");
	assert_string_equal(sbom->pkgs.v[3]->version, "15.5-150500.1");
	assert_int_equal(sbom->warnings.n, 1);
	assert_string_equal(sbom->warnings.v[0],
			    "rpm-db-cataloger: usr/share/rpm/Packages: not an "
			    "rpm database (no SQLite, Berkeley DB or NDB "
			    "magic)");
	customs_sbom_free(sbom);
	free(sq);
	free(bdb);
	free(ndb);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
}

static int setup(void **state)
{
	const char *base = getenv("CUSTOMS_TEST_TMP");

	(void)state;
	snprintf(tmp, sizeof(tmp), "%s/customs-rpm-XXXXXX",
		 base && *base ? base : "/tmp");
	if (base && *base)
		mkdir(base, 0755);
	return mkdtemp(tmp) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[400];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rpmheader_all_fields),
		cmocka_unit_test(test_rpmheader_defaults),
		cmocka_unit_test(test_rpmheader_truncated),
		cmocka_unit_test(test_rpmheader_outside_store),
		cmocka_unit_test(test_rpmheader_huge_counts),
		cmocka_unit_test(test_rpmheader_file_arrays_disagree),
		cmocka_unit_test(test_rpmheader_skips_gpg_pubkey),
		cmocka_unit_test(test_rpmdb_sqlite),
		cmocka_unit_test(test_rpmdb_sqlite_bad),
		cmocka_unit_test(test_rpmdb_bdb),
		cmocka_unit_test(test_rpmdb_bdb_bad),
		cmocka_unit_test(test_rpmdb_ndb),
		cmocka_unit_test(test_rpmdb_ndb_bad),
		cmocka_unit_test(test_rpmdb_unknown_and_capped),
		cmocka_unit_test(test_rpmdb_pipeline_dir_rootfs),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
