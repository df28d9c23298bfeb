/*
 * util: buffers with limits, the string map, the arena, digests, the
 * SHA-256 implementations (ours with SHA-NI, including the two-state
 * update, checked against OpenSSL over many lengths and splits), and the
 * lazy library loader.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <openssl/sha.h>
#include <curl/curl.h>
#include <cmocka.h>

#include "customs/common.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/dynlib.h"
#include "util/fdio.h"
#include "util/hash.h"
#include "util/proxyenv.h"
#include "util/strmap.h"

static void test_util_cbuf_limit_is_sticky(void **state)
{
	struct cbuf b = CBUF_INIT(8);

	(void)state;
	assert_int_equal(cbuf_puts(&b, "abcd"), 0);
	assert_int_equal(cbuf_puts(&b, "efghij"), CUSTOMS_ELIMIT);
	assert_int_equal(cbuf_puts(&b, "x"), CUSTOMS_ELIMIT);
	assert_string_equal(b.ptr, "abcd");
	assert_null(cbuf_detach(&b));
	cbuf_release(&b);
}

static void test_util_cslice_lines(void **state)
{
	struct cslice rest = cslice_make("a\r\n b \n\nlast", 12), line;
	int n = 0;

	(void)state;
	while (cslice_next_line(&rest, &line))
		n++;
	assert_int_equal(n, 4);
	assert_true(cslice_eq(cslice_trim(cslice_make(" b ", 3)), "b"));
}

/* n keys, then every one of them found (by strmap_get and by its hash). */
static void strmap_fill_check(long n)
{
	struct strmap m = STRMAP_INIT;
	struct arena a = ARENA_INIT;
	char key[32];
	long i;

	for (i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "k%ld", i);
		assert_int_equal(
			strmap_put(&m, arena_strdup(&a, key), (void *)(i + 1)),
			0);
	}
	for (i = 0; i < n; i++) {
		size_t len = (size_t)snprintf(key, sizeof(key), "k%ld", i);

		assert_ptr_equal(strmap_get(&m, key), (void *)(i + 1));
		assert_ptr_equal(
			strmap_getn_h(&m, key, len, strmap_hash(key, len)),
			(void *)(i + 1));
	}
	snprintf(key, sizeof(key), "k%ld", n);
	assert_null(strmap_get(&m, key));
	strmap_release(&m);
	arena_release(&a);
}

/* Tables from 2 MiB up are on huge pages: grown across that size and
 * beyond it, nothing is lost. */
static void test_util_strmap_huge_table(void **state)
{
	(void)state;
	strmap_fill_check(200000);
}

static void test_util_huge_alloc(void **state)
{
	size_t n = 3 * CUSTOMS_HUGE_MIN + 12345, i;
	unsigned char *p = customs_huge_alloc(n);

	(void)state;
	assert_non_null(p);
	for (i = 0; i < n; i += 4096)
		assert_int_equal(p[i], 0);
	assert_int_equal(p[n - 1], 0);
	memset(p, 0xa5, n);
	assert_int_equal(p[n - 1], 0xa5);
	customs_huge_free(p, n);
	customs_huge_free(NULL, 0);
}

static void test_util_strmap_many(void **state)
{
	(void)state;
	strmap_fill_check(5000);
}

/* Keys of every length around the hash's 8- and 16-byte steps, and keys
 * that differ only in their last byte or only in their length. */
static void test_util_strmap_key_lengths(void **state)
{
	struct strmap m = STRMAP_INIT;
	struct arena a = ARENA_INIT;
	char key[80];
	size_t n, i;

	(void)state;
	memset(key, 'p', sizeof(key));
	for (n = 1; n < 70; n++) {
		for (i = 0; i < 3; i++) {
			key[n - 1] = (char)('a' + i);
			assert_int_equal(strmap_putn(&m,
						     arena_strndup(&a, key, n),
						     n, (void *)(n * 4 + i)),
					 0);
		}
		key[n - 1] = 'p';
	}
	assert_int_equal(m.len, 69 * 3);
	for (n = 1; n < 70; n++) {
		for (i = 0; i < 3; i++) {
			key[n - 1] = (char)('a' + i);
			assert_ptr_equal(strmap_getn(&m, key, n),
					 (void *)(n * 4 + i));
		}
		key[n - 1] = 'z';
		assert_null(strmap_getn(&m, key, n));
		key[n - 1] = 'p';
	}
	assert_true(strmap_hash("abcdefgh", 8) != strmap_hash("abcdefg", 7));
	assert_true(strmap_hash("", 0) != strmap_hash("\0", 1));
	strmap_release(&m);
	arena_release(&a);
}

/* find_slot + fill inserts once; reserve keeps what is there. */
static void test_util_strmap_slot_reserve(void **state)
{
	struct strmap m = STRMAP_INIT;
	struct strmap_slot *s;
	uint64_t h = strmap_hash("usr/bin", 7);
	size_t cap;

	(void)state;
	s = strmap_find_slot(&m, "usr/bin", 7, h);
	assert_non_null(s);
	assert_null(s->key);
	strmap_fill(&m, s, "usr/bin", 7, h, (void *)1);
	s = strmap_find_slot(&m, "usr/bin", 7, h);
	assert_non_null(s->key);
	assert_ptr_equal(s->value, (void *)1);
	assert_int_equal(m.len, 1);
	assert_int_equal(strmap_reserve(&m, 1000), 0);
	cap = m.cap;
	assert_true(cap >= 2000);
	assert_int_equal(strmap_reserve(&m, 10), 0);
	assert_int_equal(m.cap, cap);
	assert_ptr_equal(strmap_getn(&m, "usr/bin", 7), (void *)1);
	assert_ptr_equal(strmap_get(&m, "usr/bin"), (void *)1);
	strmap_release(&m);
}

/*
 * Package ids hash with FNV-1a (offset basis 1469598103934665603, as
 * customs has always used): pinned, since written SBOMs carry them.
 */
static void test_util_fnv1a64_stable(void **state)
{
	(void)state;
	assert_true(customs_fnv1a64("", 0) ==
		    (1469598103934665603ULL ^ (1469598103934665603ULL >> 29)));
	assert_true(customs_fnv1a64("a", 1) == 0x44bd8ad65621cfa5ULL);
}

static void test_util_digest_parse(void **state)
{
	unsigned char sha[32];
	char s[72];

	(void)state;
	SHA256((const unsigned char *)"abc", 3, sha);
	customs_digest_str(s, sha);
	assert_string_equal(s, "sha256:ba7816bf8f01cfea414140de5dae2223b00361a3"
			       "96177a9cb410ff61f20015ad");
	assert_true(customs_digest_parse(sha, s));
	assert_false(customs_digest_parse(sha, "sha512:ab"));
	s[10] = 'G';
	assert_false(customs_digest_parse(sha, s));
}

/* Our SHA-256 (both update paths) must equal OpenSSL for every length
 * and every split, whichever backend this CPU selects. */
static void test_util_sha256_matches_openssl(void **state)
{
	static unsigned char data[4096];
	struct customs_sha256 *a = customs_sha256_new();
	struct customs_sha256 *b = customs_sha256_new();
	unsigned char want[32], got_a[32], got_b[32];
	size_t len, split;

	(void)state;
	for (len = 0; len < sizeof(data); len++)
		data[len] = (unsigned char)(len * 131 + 7);
	for (len = 0; len < 700; len += (len < 140 ? 1 : 37)) {
		SHA256(data, len, want);
		for (split = 0; split <= len; split += 1 + len / 9) {
			customs_sha256_update(a, data, split);
			customs_sha256_update(b, data, split);
			customs_sha256_update2(a, b, data + split, len - split);
			customs_sha256_final(a, got_a);
			customs_sha256_final(b, got_b);
			assert_memory_equal(got_a, want, 32);
			assert_memory_equal(got_b, want, 32);
		}
	}
	/* states at different offsets: update2 must still be right */
	customs_sha256_update(a, data, 3);
	customs_sha256_update2(a, b, data + 3, 1000);
	customs_sha256_final(a, got_a);
	customs_sha256_final(b, got_b);
	SHA256(data, 1003, want);
	assert_memory_equal(got_a, want, 32);
	SHA256(data + 3, 1000, want);
	assert_memory_equal(got_b, want, 32);
	customs_sha256_free(a);
	customs_sha256_free(b);
}

/* Feed q to c only through update_with's ride-along prefixes, data pieces
 * and offsets of every kind; with and without b. */
static void ride_along_case(const unsigned char *data, size_t piece,
			    size_t c_head, bool with_b)
{
	struct customs_sha256 *a = customs_sha256_new();
	struct customs_sha256 *b = with_b ? customs_sha256_new() : NULL;
	struct customs_sha256 *c = customs_sha256_new();
	const unsigned char *q = data + 1000;
	size_t off = 0, qoff = 0, qlen = 1500;
	unsigned char want[32], got[32];

	customs_sha256_update(c, q, c_head);
	qoff = c_head;
	while (off < 3000) {
		size_t n = 3000 - off < piece ? 3000 - off : piece;

		qoff += customs_sha256_update_with(a, b, data + off, n, c,
						   q + qoff, qlen - qoff);
		assert_true(qoff <= qlen);
		off += n;
	}
	customs_sha256_update(c, q + qoff, qlen - qoff);
	SHA256(data, 3000, want);
	customs_sha256_final(a, got);
	assert_memory_equal(got, want, 32);
	if (b) {
		customs_sha256_final(b, got);
		assert_memory_equal(got, want, 32);
	}
	SHA256(q, qlen, want);
	customs_sha256_final(c, got);
	assert_memory_equal(got, want, 32);
	customs_sha256_free(a);
	customs_sha256_free(b);
	customs_sha256_free(c);
}

static void test_util_sha256_ride_along(void **state)
{
	static unsigned char data[4096];
	size_t i, piece, head;

	(void)state;
	for (i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 37 + 11);
	for (piece = 1; piece < 700; piece += (piece < 130 ? 1 : 61))
		for (head = 0; head < 70; head += 13) {
			ride_along_case(data, piece, head, true);
			ride_along_case(data, piece, head, false);
		}
}

static void test_util_upper_http_proxy(void **state)
{
	(void)state;
	unsetenv("http_proxy");
	unsetenv("REQUEST_METHOD");
	setenv("HTTP_PROXY", "http://proxy:3128", 1);
	assert_string_equal(customs_upper_http_proxy("http://reg:5000/v2/"),
			    "http://proxy:3128");
	assert_string_equal(customs_upper_http_proxy("HTTP://reg/"),
			    "http://proxy:3128");
	/* libcurl reads these itself, or they are its to decide */
	assert_null(customs_upper_http_proxy("https://reg/v2/"));
	setenv("http_proxy", "http://other:1", 1);
	assert_null(customs_upper_http_proxy("http://reg/"));
	unsetenv("http_proxy");
	setenv("REQUEST_METHOD", "GET", 1); /* CGI: Proxy: header */
	assert_null(customs_upper_http_proxy("http://reg/"));
	unsetenv("REQUEST_METHOD");
	setenv("HTTP_PROXY", "", 1);
	assert_null(customs_upper_http_proxy("http://reg/"));
	unsetenv("HTTP_PROXY");
	assert_null(customs_upper_http_proxy("http://reg/"));
}

/* Two functions of libcurl, the library the loader exists for. */
struct two_fns {
	__typeof__(curl_version) *version;
	__typeof__(curl_free) *free;
};

static void test_util_dynlib_resolves(void **state)
{
	const struct dynlib_sym syms[] = {
		DYNLIB_SYM(struct two_fns, version, curl_version),
		DYNLIB_SYM(struct two_fns, free, curl_free),
	};
	struct two_fns t = { NULL, NULL };
	char why[DYNLIB_WHY_MAX] = "";

	(void)state;
	unsetenv("CUSTOMS_FAIL_DYNLIB");
	assert_int_equal(dynlib_load(CUSTOMS_CURL_SONAME, syms, 2, &t, why), 0);
	assert_non_null(t.free);
	assert_non_null(t.version);
	assert_memory_equal(t.version(), "libcurl/", 8);
}

static void test_util_dynlib_failures(void **state)
{
	const struct dynlib_sym syms[] = {
		DYNLIB_SYM(struct two_fns, version, curl_version),
		{ "curl_no_such_function", offsetof(struct two_fns, free) },
	};
	struct two_fns t = { NULL, NULL };
	char why[DYNLIB_WHY_MAX] = "";

	(void)state;
	unsetenv("CUSTOMS_FAIL_DYNLIB");
	/* a symbol missing: the functions found before it are forgotten */
	assert_int_equal(dynlib_load(CUSTOMS_CURL_SONAME, syms, 2, &t, why),
			 -1);
	assert_string_equal(why, "undefined symbol curl_no_such_function");
	assert_null(t.version);
	assert_null(t.free);
	assert_int_equal(dynlib_load("libcustoms-none.so.0", syms, 1, &t, why),
			 -1);
	assert_non_null(strstr(why, "libcustoms-none.so.0"));
	/* the test knob: the library, or one function, "missing" */
	setenv("CUSTOMS_FAIL_DYNLIB", CUSTOMS_CURL_SONAME, 1);
	assert_int_equal(dynlib_load(CUSTOMS_CURL_SONAME, syms, 1, &t, why),
			 -1);
	assert_string_equal(why, "disabled by CUSTOMS_FAIL_DYNLIB");
	setenv("CUSTOMS_FAIL_DYNLIB", "curl_version", 1);
	assert_int_equal(dynlib_load(CUSTOMS_CURL_SONAME, syms, 1, &t, why),
			 -1);
	assert_string_equal(why,
			    "curl_version: disabled by CUSTOMS_FAIL_DYNLIB");
	unsetenv("CUSTOMS_FAIL_DYNLIB");
}

/* Whole reads and writes: everything round-trips through a file in
 * pieces larger than one read, the end of the file is a short count, a
 * cbuf's limit is its error, and a bad descriptor is EIO with errno. */
static void test_util_fdio_whole_reads_and_writes(void **state)
{
	static char data[200000], back[200001];
	char path[] = "/tmp/customs-test-fdio-XXXXXX";
	struct cbuf small = CBUF_INIT(1000), all = CBUF_INIT(1 << 20);
	size_t i, got;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	unlink(path);
	for (i = 0; i < sizeof(data); i++)
		data[i] = (char)(i * 7 + i / 251);
	assert_int_equal(customs_write_all(fd, data, sizeof(data)), 0);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_int_equal(customs_read_full(fd, back, sizeof(back), &got), 0);
	assert_int_equal(got, sizeof(data)); /* short: the end of the file */
	assert_memory_equal(back, data, sizeof(data));
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_int_equal(customs_read_cbuf(fd, &all), 0);
	assert_int_equal(all.len, sizeof(data));
	assert_memory_equal(all.ptr, data, sizeof(data));
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_int_equal(customs_read_cbuf(fd, &small), CUSTOMS_ELIMIT);
	close(fd);
	errno = 0;
	assert_int_equal(customs_write_all(fd, data, 10), CUSTOMS_EIO);
	assert_int_equal(errno, EBADF);
	assert_int_equal(customs_read_full(fd, back, 10, &got), CUSTOMS_EIO);
	assert_int_equal(customs_read_cbuf(fd, &all), CUSTOMS_EIO);
	cbuf_release(&small);
	cbuf_release(&all);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_util_cbuf_limit_is_sticky),
		cmocka_unit_test(test_util_fdio_whole_reads_and_writes),
		cmocka_unit_test(test_util_cslice_lines),
		cmocka_unit_test(test_util_strmap_many),
		cmocka_unit_test(test_util_strmap_huge_table),
		cmocka_unit_test(test_util_huge_alloc),
		cmocka_unit_test(test_util_strmap_key_lengths),
		cmocka_unit_test(test_util_strmap_slot_reserve),
		cmocka_unit_test(test_util_fnv1a64_stable),
		cmocka_unit_test(test_util_digest_parse),
		cmocka_unit_test(test_util_sha256_matches_openssl),
		cmocka_unit_test(test_util_upper_http_proxy),
		cmocka_unit_test(test_util_sha256_ride_along),
		cmocka_unit_test(test_util_dynlib_resolves),
		cmocka_unit_test(test_util_dynlib_failures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
