/*
 * Layer streams and the tar walk, on tars written at test time by
 * libarchive (gzip, zstd, plain): compression detection, digest and
 * diffID verification, truncation, limits, whiteout classification and
 * the refusal of names that climb out of the root.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <archive.h>
#include <archive_entry.h>
#include <openssl/sha.h>
#include <zlib.h>
#include <cmocka.h>

#include "layer/walk.h"
#include "util/error.h"
#include "util/hash.h"

struct tentry {
	const char *name;
	char type; /* f file, d dir, l symlink, h hardlink */
	const char *data_or_link;
};

/* Write entries as a tar through filter ("gzip", "zstd" or NULL). */
static size_t make_tar(unsigned char *buf, size_t cap, const char *filter,
		       const struct tentry *ents, size_t n)
{
	struct archive *a = archive_write_new();
	size_t used = 0, i;

	archive_write_set_format_pax_restricted(a);
	if (filter && !strcmp(filter, "gzip"))
		archive_write_add_filter_gzip(a);
	else if (filter && !strcmp(filter, "zstd"))
		archive_write_add_filter_zstd(a);
	archive_write_set_bytes_in_last_block(a, 1);
	assert_int_equal(archive_write_open_memory(a, buf, cap, &used),
			 ARCHIVE_OK);
	for (i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();
		size_t len = 0;

		archive_entry_set_pathname(e, ents[i].name);
		archive_entry_set_perm(e, 0644);
		switch (ents[i].type) {
		case 'd':
			archive_entry_set_filetype(e, AE_IFDIR);
			break;
		case 'l':
			archive_entry_set_filetype(e, AE_IFLNK);
			archive_entry_set_symlink(e, ents[i].data_or_link);
			break;
		case 'h':
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_set_hardlink(e, ents[i].data_or_link);
			break;
		default:
			archive_entry_set_filetype(e, AE_IFREG);
			len = strlen(ents[i].data_or_link);
			archive_entry_set_size(e, (la_int64_t)len);
		}
		archive_write_header(a, e);
		if (len)
			archive_write_data(a, ents[i].data_or_link, len);
		archive_entry_free(e);
	}
	archive_write_close(a);
	archive_write_free(a);
	return used;
}

struct fixture {
	char path[64];
	int fd;
	struct customs_blob blob;
	char digest[72];
	char diff_id[72];
};

/* A blob of packed bytes whose decompressed form is plain. */
static void fixture_bytes(struct fixture *fx, const unsigned char *packed,
			  size_t len, const unsigned char *plain, size_t plen)
{
	unsigned char sha[32];

	snprintf(fx->path, sizeof(fx->path), "/tmp/customs-test-layer-XXXXXX");
	fx->fd = mkstemp(fx->path);
	assert_true(fx->fd >= 0);
	unlink(fx->path);
	assert_int_equal(write(fx->fd, packed, len), (ssize_t)len);
	memset(&fx->blob, 0, sizeof(fx->blob));
	fx->blob.fd = fx->fd;
	fx->blob.len = len;
	SHA256(packed, len, sha);
	customs_digest_str(fx->digest, sha);
	SHA256(plain, plen, sha);
	customs_digest_str(fx->diff_id, sha);
}

static void fixture_open(struct fixture *fx, const char *filter,
			 const struct tentry *ents, size_t n)
{
	static unsigned char packed[1 << 20], plain[1 << 20];
	size_t len = make_tar(packed, sizeof(packed), filter, ents, n);
	size_t plen = make_tar(plain, sizeof(plain), NULL, ents, n);

	fixture_bytes(fx, packed, len, plain, plen);
}

struct seen {
	char log[4096];
	int entries;
};

static int record(void *data, const struct layer_entry *e,
		  const unsigned char *content, size_t len, bool truncated,
		  struct customs_ctx *ctx)
{
	struct seen *s = data;
	char line[512];

	(void)ctx;
	snprintf(line, sizeof(line), "%d:%s:%d%s%.*s;", (int)e->kind, e->path,
		 (int)e->type, truncated ? ":T:" : ":", (int)len,
		 (const char *)content);
	strncat(s->log, line, sizeof(s->log) - strlen(s->log) - 1);
	s->entries++;
	return 0;
}

static size_t cap_all(void *data, const struct layer_entry *e)
{
	(void)data;
	(void)e;
	return 4;
}

static int run(struct fixture *fx, bool verify, uint64_t max_bytes,
	       struct seen *seen, struct customs_ctx *ctx)
{
	struct layer_stream_opts so = { "layer 0 (test)", NULL, NULL,
					max_bytes,	  NULL, 0 };
	struct layer_walk_opts wo = {
		"layer 0 (test)", true, 4096, NULL, 0, false
	};
	struct layer_walk_ops ops = { cap_all, record, seen, NULL };
	struct layer_stream *s = NULL;
	int rc;

	if (verify) {
		so.digest = fx->digest;
		so.diff_id = fx->diff_id;
	}
	rc = layer_stream_new(&s, &fx->blob, &so, ctx);
	if (!rc)
		rc = layer_walk(s, &wo, &ops, ctx);
	if (!rc)
		rc = layer_stream_finish(s, ctx);
	layer_stream_free(s);
	return rc;
}

static const struct tentry basic[] = {
	{ "./etc/", 'd', NULL },	   { "./etc/hostname", 'f', "box\n" },
	{ "etc/.wh.gone", 'f', "" },	   { "var/.wh..wh..opq", 'f', "" },
	{ "bin/sh", 'l', "/bin/busybox" }, { "bin/ash", 'h', "./etc/hostname" },
	{ "etc/motd", 'f', "welcome\n" },
};

static void check_basic(const char *filter, const char *want_comp)
{
	struct customs_ctx ctx = { 0 };
	struct fixture fx;
	struct seen seen = { "", 0 };
	struct layer_stream *s = NULL;
	struct layer_stream_opts so = { "l", NULL, NULL, 1 << 20, NULL, 0 };

	fixture_open(&fx, filter, basic, 7);
	assert_int_equal(run(&fx, true, 1 << 20, &seen, &ctx), 0);
	assert_string_equal(seen.log, "0:etc:1:;0:etc/hostname:0:box\n;"
				      "1:etc/gone:0:;2:var:0:;"
				      "0:bin/sh:2:;0:bin/ash:3:;"
				      "0:etc/motd:0:T:welc;");
	assert_int_equal(layer_stream_new(&s, &fx.blob, &so, &ctx), 0);
	assert_string_equal(layer_compression_name(layer_stream_compression(s)),
			    want_comp);
	layer_stream_free(s);
	close(fx.fd);
}

static void test_layer_gzip_zstd_plain(void **state)
{
	(void)state;
	check_basic("gzip", "gzip");
	check_basic("zstd", "zstd");
	check_basic(NULL, "none");
}

static void test_layer_digest_mismatch_names_layer(void **state)
{
	struct customs_ctx ctx = { 0 };
	struct fixture fx;
	struct seen seen = { "", 0 };
	struct layer_stream_opts so = {
		"layer 3 (sha256:feed)", NULL, NULL, 1 << 20, NULL, 0
	};
	struct layer_walk_opts wo = { "layer 3", true, 4096, NULL, 0, false };
	struct layer_walk_ops ops = { NULL, record, &seen, NULL };
	struct layer_stream *s = NULL;

	(void)state;
	fixture_open(&fx, "gzip", basic, 2);
	fx.digest[10] = fx.digest[10] == 'a' ? 'b' : 'a';
	so.digest = fx.digest;
	assert_int_equal(layer_stream_new(&s, &fx.blob, &so, &ctx), 0);
	assert_int_equal(layer_walk(s, &wo, &ops, &ctx), 0);
	assert_int_equal(layer_stream_finish(s, &ctx), CUSTOMS_EDIGEST);
	assert_non_null(strstr(ctx.msg, "layer 3 (sha256:feed)"));
	assert_non_null(strstr(ctx.msg, "digest mismatch"));
	layer_stream_free(s);
	close(fx.fd);
}

static void test_layer_diffid_mismatch(void **state)
{
	struct customs_ctx ctx = { 0 };
	struct fixture fx;
	struct seen seen = { "", 0 };

	(void)state;
	fixture_open(&fx, "zstd", basic, 2);
	fx.diff_id[20] = fx.diff_id[20] == '0' ? '1' : '0';
	assert_int_equal(run(&fx, true, 1 << 20, &seen, &ctx), CUSTOMS_EDIGEST);
	assert_non_null(strstr(ctx.msg, "diffID mismatch"));
	close(fx.fd);
}

/* A layer larger than the input ring, whose gzip ends in so many empty
 * members that the decoder reads the whole ring without producing a byte:
 * the consumer must hash the blob for it to go on. */
static void big_fixture(struct fixture *fx, const char *filter, size_t n_empty)
{
	static const unsigned char empty_member[20] = {
		0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0,
	};
	size_t cap = 8 << 20, len, plen, i;
	unsigned char *packed = malloc(cap), *plain = malloc(cap);
	char *data = malloc((3 << 20) + 1);
	struct tentry ents[3] = { { "a", 'f', "small\n" },
				  { "big", 'f', data },
				  { "z", 'f', "end\n" } };
	unsigned char sha[32];
	uint32_t x = 12345;

	assert_non_null(packed);
	assert_non_null(plain);
	assert_non_null(data);
	for (i = 0; i < 3 << 20; i++) {
		x = x * 1103515245 + 12345;
		data[i] = (char)(1 + (x >> 16) % 255); /* no NUL: strlen */
	}
	data[3 << 20] = '\0';
	len = make_tar(packed, cap, filter, ents, 3);
	plen = make_tar(plain, cap, NULL, ents, 3);
	for (i = 0; i < n_empty; i++, len += sizeof(empty_member)) {
		assert_true(len + sizeof(empty_member) <= cap);
		memcpy(packed + len, empty_member, sizeof(empty_member));
	}
	snprintf(fx->path, sizeof(fx->path), "/tmp/customs-test-layer-XXXXXX");
	fx->fd = mkstemp(fx->path);
	assert_true(fx->fd >= 0);
	unlink(fx->path);
	assert_int_equal(write(fx->fd, packed, len), (ssize_t)len);
	memset(&fx->blob, 0, sizeof(fx->blob));
	fx->blob.fd = fx->fd;
	fx->blob.len = len;
	SHA256(packed, len, sha);
	customs_digest_str(fx->digest, sha);
	SHA256(plain, plen, sha);
	customs_digest_str(fx->diff_id, sha);
	free(packed);
	free(plain);
	free(data);
}

static int run_big(struct fixture *fx, bool hash_files, struct seen *seen,
		   struct customs_ctx *ctx)
{
	struct layer_stream_opts so = {
		"layer 0 (big)", fx->digest, fx->diff_id, 1 << 30, NULL, 0
	};
	struct layer_walk_opts wo = {
		"layer 0 (big)", hash_files, 4096, NULL, 0, false
	};
	struct layer_walk_ops ops = { cap_all, record, seen, NULL };
	struct layer_stream *s = NULL;
	int rc;

	rc = layer_stream_new(&s, &fx->blob, &so, ctx);
	if (!rc)
		rc = layer_walk(s, &wo, &ops, ctx);
	if (!rc)
		rc = layer_stream_finish(s, ctx);
	layer_stream_free(s);
	return rc;
}

static void test_layer_blob_digest_beyond_input_ring(void **state)
{
	const char *filters[] = { "gzip", "gzip", NULL, "zstd" };
	const size_t empties[] = { 0, 100000, 0, 0 };
	int i, hash_files;

	(void)state;
	for (i = 0; i < 4; i++) {
		for (hash_files = 0; hash_files < 2; hash_files++) {
			struct customs_ctx ctx = { 0 };
			struct fixture fx;
			struct seen seen = { "", 0 };

			big_fixture(&fx, filters[i], empties[i]);
			int rc = run_big(&fx, hash_files, &seen, &ctx);

			if (rc)
				print_message("%d %d: %s\n", i, hash_files,
					      ctx.msg);
			assert_int_equal(rc, 0);
			assert_int_equal(seen.entries, 3);
			fx.digest[40] = fx.digest[40] == 'a' ? 'b' : 'a';
			memset(&seen, 0, sizeof(seen));
			assert_int_equal(run_big(&fx, hash_files, &seen, &ctx),
					 CUSTOMS_EDIGEST);
			assert_non_null(strstr(ctx.msg, "layer 0 (big)"));
			assert_non_null(
				strstr(ctx.msg, "blob digest mismatch"));
			close(fx.fd);
		}
	}
}

/* One gzip member of data, its header carrying the optional fields flg
 * names (FHCRC 2, FEXTRA 4, FNAME 8, FCOMMENT 16). */
static size_t gz_member(unsigned char *out, unsigned flg,
			const unsigned char *data, size_t len)
{
	static const unsigned char fixed[10] = { 0x1f, 0x8b, 8, 0, 1,
						 2,    3,    4, 0, 3 };
	z_stream z = { 0 };
	uLong crc = crc32(0, data, (uInt)len);
	size_t n = sizeof(fixed);

	memcpy(out, fixed, n);
	out[3] = (unsigned char)flg;
	if (flg & 4) { /* XLEN 5, then 5 bytes */
		memcpy(out + n, "\5\0ab\2\0z", 7);
		n += 7;
	}
	if (flg & 8) {
		memcpy(out + n, "layer.tar", 10);
		n += 10;
	}
	if (flg & 16) {
		memcpy(out + n, "a comment", 10);
		n += 10;
	}
	if (flg & 2) { /* header CRC16 (ISA-L checks it; it is not needed
			* where the digests are checked) */
		uLong hcrc = crc32(0, out, (uInt)n);

		out[n++] = (unsigned char)hcrc;
		out[n++] = (unsigned char)(hcrc >> 8);
	}
	assert_int_equal(
		deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY),
		Z_OK);
	z.next_in = (unsigned char *)data;
	z.avail_in = (uInt)len;
	z.next_out = out + n;
	z.avail_out = (uInt)(len + 1024);
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	n += z.total_out;
	deflateEnd(&z);
	for (int i = 0; i < 4; i++)
		out[n++] = (unsigned char)(crc >> (8 * i));
	for (int i = 0; i < 4; i++)
		out[n++] = (unsigned char)(len >> (8 * i));
	return n;
}

/* The tar of basic cut into three members with every header field;
 * *hcrc3 is where the third one's header CRC-16 is. */
static size_t gz_members(unsigned char *out, const unsigned char *tar,
			 size_t len, size_t *trailer3, size_t *hcrc3)
{
	size_t a = len / 3, b = 2 * len / 3, n;

	n = gz_member(out, 8 | 16, tar, a);
	n += gz_member(out + n, 4, tar + a, b - a);
	*hcrc3 = n + 10 + 7 + 10 + 10; /* fixed, extra, name, comment */
	n += gz_member(out + n, 2 | 4 | 8 | 16, tar + b, len - b);
	*trailer3 = n - 8;
	return n;
}

/* The decoder parses the gzip wrapper itself and inflates raw; the
 * CRC-32 is computed and checked only without a digest to check. Both
 * ways must read every header form, several members, and refuse the same
 * damage - but a bad CRC-32 only where nothing else vouches for the
 * bytes. */
static void test_layer_gzip_wrapper_with_and_without_crc(void **state)
{
	static unsigned char plain[1 << 20], packed[1 << 20];
	size_t plen = make_tar(plain, sizeof(plain), NULL, basic, 7);
	size_t t3, h3, len = gz_members(packed, plain, plen, &t3, &h3);
	struct customs_ctx ctx = { 0 };
	struct seen raw = { "", 0 }, crc = { "", 0 };
	struct fixture fx;

	(void)state;
	fixture_bytes(&fx, packed, len, plain, plen);
	assert_int_equal(run(&fx, true, 1 << 20, &raw, &ctx), 0);
	assert_int_equal(run(&fx, false, 1 << 20, &crc, &ctx), 0);
	assert_int_equal(raw.entries, 7);
	assert_string_equal(raw.log, crc.log);
	close(fx.fd);

	/* a wrong CRC with digests that match the blob as it is */
	packed[t3] ^= 0x55;
	fixture_bytes(&fx, packed, len, plain, plen);
	assert_int_equal(run(&fx, true, 1 << 20, &raw, &ctx), 0);
	assert_int_equal(run(&fx, false, 1 << 20, &crc, &ctx), CUSTOMS_EFORMAT);
	assert_non_null(strstr(ctx.msg, "gzip checksum mismatch"));
	close(fx.fd);
	packed[t3] ^= 0x55;

	/* a wrong length, trailing garbage, a cut trailer, a bad method */
	packed[t3 + 4] ^= 1;
	fixture_bytes(&fx, packed, len, plain, plen);
	assert_int_equal(run(&fx, true, 1 << 20, &raw, &ctx), CUSTOMS_EFORMAT);
	assert_non_null(strstr(ctx.msg, "gzip length mismatch"));
	assert_non_null(strstr(ctx.msg, "layer 0 (test)"));
	assert_int_not_equal(run(&fx, false, 1 << 20, &crc, &ctx), 0);
	close(fx.fd);
	packed[t3 + 4] ^= 1;

	memcpy(packed + len, "junk", 4);
	fixture_bytes(&fx, packed, len + 4, plain, plen);
	assert_int_equal(run(&fx, true, 1 << 20, &raw, &ctx), CUSTOMS_EFORMAT);
	assert_non_null(strstr(ctx.msg, "trailing garbage"));
	assert_int_equal(run(&fx, false, 1 << 20, &crc, &ctx), CUSTOMS_EFORMAT);
	close(fx.fd);

	fixture_bytes(&fx, packed, len - 3, plain, plen);
	assert_int_equal(run(&fx, true, 1 << 20, &raw, &ctx), CUSTOMS_EFORMAT);
	assert_non_null(strstr(ctx.msg, "truncated gzip stream"));
	assert_int_not_equal(run(&fx, false, 1 << 20, &crc, &ctx), 0);
	close(fx.fd);

	/* the header's CRC-16 is checked either way */
	packed[h3] ^= 1;
	fixture_bytes(&fx, packed, len, plain, plen);
	assert_int_equal(run(&fx, true, 1 << 20, &raw, &ctx), CUSTOMS_EFORMAT);
	assert_non_null(strstr(ctx.msg, "gzip checksum mismatch"));
	assert_int_equal(run(&fx, false, 1 << 20, &crc, &ctx), CUSTOMS_EFORMAT);
	close(fx.fd);
	packed[h3] ^= 1;

	packed[2] = 7; /* not deflate */
	fixture_bytes(&fx, packed, len, plain, plen);
	assert_int_equal(run(&fx, true, 1 << 20, &raw, &ctx), CUSTOMS_EFORMAT);
	assert_non_null(strstr(ctx.msg, "bad gzip header at byte"));
	assert_int_equal(run(&fx, false, 1 << 20, &crc, &ctx), CUSTOMS_EFORMAT);
	close(fx.fd);
}

static void test_layer_truncated_streams(void **state)
{
	const char *filters[] = { "gzip", "zstd" };
	int i;

	(void)state;
	for (i = 0; i < 2; i++) {
		struct customs_ctx ctx = { 0 };
		struct fixture fx;
		struct seen seen = { "", 0 };

		fixture_open(&fx, filters[i], basic, 6);
		fx.blob.len /= 2;
		assert_int_equal(run(&fx, false, 1 << 20, &seen, &ctx),
				 CUSTOMS_EFORMAT);
		assert_non_null(strstr(ctx.msg, "layer 0 (test)"));
		close(fx.fd);
	}
}

static void test_layer_byte_limit(void **state)
{
	static char big[200000];
	struct tentry ents[1] = { { "zeros", 'f', big } };
	struct customs_ctx ctx = { 0 };
	struct fixture fx;
	struct seen seen = { "", 0 };

	(void)state;
	memset(big, 'z', sizeof(big) - 1);
	fixture_open(&fx, "gzip", ents, 1);
	assert_int_equal(run(&fx, false, 65536, &seen, &ctx), CUSTOMS_ELIMIT);
	assert_non_null(strstr(ctx.msg, "--max-layer-bytes"));
	close(fx.fd);
}

static void expect_refused(const struct tentry *e, const char *what)
{
	struct customs_ctx ctx = { 0 };
	struct fixture fx;
	struct seen seen = { "", 0 };

	fixture_open(&fx, NULL, e, 1);
	assert_int_equal(run(&fx, false, 1 << 20, &seen, &ctx),
			 CUSTOMS_EFORMAT);
	assert_non_null(strstr(ctx.msg, what));
	assert_non_null(strstr(ctx.msg, "layer 0 (test)"));
	close(fx.fd);
}

/* A file larger than a decoded chunk arrives in several blocks and is
 * copied; the small ones arrive in one block and are handed over as is.
 * Both must give the whole content and the right SHA-256, and the walk
 * must go on with the next header after a file read in one block. */
static char big_data[700001];

static const struct tentry blocks[] = {
	{ "a/small", 'f', "hello" },
	{ "a/big", 'f', big_data },
	{ "a/caf\xc3\xa9", 'f', "utf8 name" },
	{ "a/after", 'f', "tail" },
};

static int check_content(void *data, const struct layer_entry *e,
			 const unsigned char *content, size_t len,
			 bool truncated, struct customs_ctx *ctx)
{
	int *n = data;
	unsigned char sha[32];
	const struct tentry *want = &blocks[*n];
	size_t wlen = strlen(want->data_or_link);

	(void)ctx;
	if (e->type != CUSTOMS_FT_REG)
		return 0;
	assert_string_equal(e->path, want->name);
	assert_false(truncated);
	assert_int_equal(len, wlen);
	assert_memory_equal(content, want->data_or_link, wlen);
	SHA256((const unsigned char *)want->data_or_link, wlen, sha);
	assert_true(e->has_sha256);
	assert_memory_equal(e->sha256, sha, 32);
	(*n)++;
	return 0;
}

static size_t cap_big(void *data, const struct layer_entry *e)
{
	(void)data;
	(void)e;
	return 1 << 20;
}

static void check_blocks(const char *filter)
{
	struct customs_ctx ctx = { 0 };
	struct fixture fx;
	struct layer_stream_opts so = { "l", NULL, NULL, 1 << 22, NULL, 0 };
	struct layer_walk_opts wo = { "l", true, 4096, NULL, 0, false };
	int n = 0;
	struct layer_walk_ops ops = { cap_big, check_content, &n, NULL };
	struct layer_stream *s = NULL;

	fixture_open(&fx, filter, blocks, 4);
	so.digest = fx.digest;
	so.diff_id = fx.diff_id;
	assert_int_equal(layer_stream_new(&s, &fx.blob, &so, &ctx), 0);
	assert_int_equal(layer_walk(s, &wo, &ops, &ctx), 0);
	assert_int_equal(layer_stream_finish(s, &ctx), 0);
	assert_int_equal(n, 4);
	layer_stream_free(s);
	close(fx.fd);
}

static void test_layer_content_in_one_or_many_blocks(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i + 1 < sizeof(big_data); i++)
		big_data[i] = (char)('a' + (i * 7 + i / 991) % 26);
	check_blocks("gzip");
	check_blocks(NULL);
}

static void test_layer_refuses_escaping_names(void **state)
{
	static const struct tentry dotdot = { "a/../../etc/x", 'f', "x" };
	static const struct tentry abs = { "/etc/x", 'f', "x" };
	static const struct tentry hl = { "h", 'h', "../../etc/passwd" };

	(void)state;
	expect_refused(&dotdot, "'..'");
	expect_refused(&abs, "absolute");
	expect_refused(&hl, "hard link target");
}

static void test_layer_path_normalize(void **state)
{
	static const char *const cases[][2] = {
		{ "./a//b/./c/", "a/b/c" },
		{ ".", "" },
		{ "./", "" },
		{ "a", "a" },
		{ "a/.", "a" },
		{ "..a/b", "..a/b" },
	};
	char out[64];
	const char *why;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(layer_path_normalize(out, cases[i][0], &why),
				 0);
		assert_string_equal(out, cases[i][1]);
	}
	assert_int_equal(layer_path_normalize(out, "a/..", &why),
			 CUSTOMS_EFORMAT);
	assert_int_equal(layer_path_normalize(out, "//x", &why),
			 CUSTOMS_EFORMAT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layer_gzip_zstd_plain),
		cmocka_unit_test(test_layer_digest_mismatch_names_layer),
		cmocka_unit_test(test_layer_diffid_mismatch),
		cmocka_unit_test(test_layer_blob_digest_beyond_input_ring),
		cmocka_unit_test(test_layer_truncated_streams),
		cmocka_unit_test(test_layer_gzip_wrapper_with_and_without_crc),
		cmocka_unit_test(test_layer_byte_limit),
		cmocka_unit_test(test_layer_content_in_one_or_many_blocks),
		cmocka_unit_test(test_layer_refuses_escaping_names),
		cmocka_unit_test(test_layer_path_normalize),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
