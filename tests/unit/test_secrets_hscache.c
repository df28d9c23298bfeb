/*
 * Unit tests for the cache of compiled Hyperscan databases
 * (src/secrets/hscache.c): the file header round-trips and every kind of
 * damage is rejected before Hyperscan sees the payload; the key changes
 * with every input that shapes a database and only with those; a stored
 * database loads back and matches what was compiled.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sys/stat.h>
#include <unistd.h>

#include "secrets/secrets_int.h"

static const unsigned char key_a[32] = { 1, 2, 3 };
static const unsigned char key_b[32] = { 1, 2, 4 };

/* header(key, payload) + payload in a malloc'd buffer of *len bytes. */
static unsigned char *make_file(const unsigned char key[32],
				const char *payload, size_t plen, size_t *len)
{
	char head[HSC_HEADER_MAX];
	size_t h = hsc_header(head, key, (const unsigned char *)payload, plen);
	unsigned char *b;

	assert_true(h > 0);
	b = malloc(h + plen + 1);
	assert_non_null(b);
	memcpy(b, head, h);
	memcpy(b + h, payload, plen);
	*len = h + plen;
	return b;
}

static void test_secrets_hscache_header_roundtrip(void **state)
{
	static const char payload[] = "not really a database\n\0\xff";
	size_t len, off = 0;
	unsigned char *f = make_file(key_a, payload, sizeof(payload), &len);

	(void)state;
	assert_memory_equal(f, "customs-hsdb 1\n0102030000", 25);
	assert_int_equal(hsc_parse(f, len, key_a, &off), 0);
	assert_int_equal(len - off, sizeof(payload));
	assert_memory_equal(f + off, payload, sizeof(payload));
	/* another key's file is never taken for this one */
	assert_int_equal(hsc_parse(f, len, key_b, &off), CUSTOMS_EFORMAT);
	free(f);
}

/* Damage byte i of a valid file (xor x) and expect a rejection. */
static void expect_flip_rejected(size_t i, unsigned char x)
{
	static const char payload[] = "0123456789abcdef";
	size_t len, off;
	unsigned char *f = make_file(key_a, payload, 16, &len);

	assert_true(i < len);
	f[i] ^= x;
	assert_int_equal(hsc_parse(f, len, key_a, &off), CUSTOMS_EFORMAT);
	free(f);
}

static void test_secrets_hscache_rejects_damage(void **state)
{
	static const char payload[] = "0123456789abcdef";
	size_t len, off, i;
	unsigned char *f = make_file(key_a, payload, 16, &len);

	(void)state;
	/* every byte of the file matters: magic, key, hash, length, body */
	for (i = 0; i < len; i++)
		expect_flip_rejected(i, 0x01);
	/* upper-case hex in the payload's hash: the format is lower case */
	for (i = 15 + 65; f[i] < 'a' || f[i] > 'f'; i++)
		assert_true(i < 15 + 129);
	expect_flip_rejected(i, 0x20);
	/* truncated at every length, one byte too many */
	for (i = 0; i < len; i++)
		assert_int_equal(hsc_parse(f, i, key_a, &off), CUSTOMS_EFORMAT);
	f = realloc(f, len + 1);
	assert_non_null(f);
	f[len] = 'x';
	assert_int_equal(hsc_parse(f, len + 1, key_a, &off), CUSTOMS_EFORMAT);
	free(f);
}

/* A header whose length field is text (the hashes are right). */
static int parse_len_field(const char *lenfield)
{
	char head[HSC_HEADER_MAX];
	unsigned char buf[400];
	size_t h = hsc_header(head, key_a, (const unsigned char *)"", 0), off;
	char *sp = memrchr(head, ' ', h);

	assert_non_null(sp);
	h = (size_t)(sp + 1 - head);
	memcpy(buf, head, h);
	memcpy(buf + h, lenfield, strlen(lenfield));
	h += strlen(lenfield);
	return hsc_parse(buf, h, key_a, &off);
}

static void expect_len_rejected(const char *lenfield)
{
	assert_int_equal(parse_len_field(lenfield), CUSTOMS_EFORMAT);
}

static void test_secrets_hscache_rejects_bad_length(void **state)
{
	(void)state;
	assert_int_equal(parse_len_field("0\n"), 0); /* the real one */
	expect_len_rejected("00\n");
	expect_len_rejected("-0\n");
	expect_len_rejected("+0\n");
	expect_len_rejected(" 0\n");
	expect_len_rejected("0 \n");
	expect_len_rejected("0");
	expect_len_rejected("\n");
	expect_len_rejected("99999999999999999999999\n");
	expect_len_rejected("67108865\n"); /* over HSC_MAX_FILE */
}

#ifdef CUSTOMS_HAVE_HYPERSCAN
#include <hs.h>

struct lits {
	const char *exprs[3];
	unsigned flags[3], ids[3];
	size_t lens[3];
	struct hsc_lits l;
};

static void lits_init(struct lits *t, const char *a, const char *b)
{
	memset(t, 0, sizeof(*t));
	t->exprs[0] = a;
	t->exprs[1] = b;
	t->lens[0] = strlen(a);
	t->lens[1] = strlen(b);
	t->flags[0] = t->flags[1] = HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH;
	t->ids[0] = 0;
	t->ids[1] = 1;
	t->l = (struct hsc_lits){ t->exprs, t->flags, t->ids,
				  t->lens,  2,	      HS_MODE_BLOCK };
}

static void key_of(unsigned char out[32], struct lits *t)
{
	assert_int_equal(hsc_key(out, &t->l), 0);
}

static void test_secrets_hscache_key_covers_inputs(void **state)
{
	unsigned char k0[32], k1[32];
	struct lits t;

	(void)state;
	lits_init(&t, "ghp_", "token");
	key_of(k0, &t);
	key_of(k1, &t);
	assert_memory_equal(k0, k1, 32); /* stable */
	lits_init(&t, "ghp_", "tokem");
	key_of(k1, &t);
	assert_memory_not_equal(k0, k1, 32); /* a byte */
	lits_init(&t, "ghp_t", "oken"); /* the same bytes, split elsewhere */
	key_of(k1, &t);
	assert_memory_not_equal(k0, k1, 32);
	lits_init(&t, "token", "ghp_"); /* order */
	key_of(k1, &t);
	assert_memory_not_equal(k0, k1, 32);
	lits_init(&t, "ghp_", "token");
	t.flags[1] = HS_FLAG_CASELESS;
	key_of(k1, &t);
	assert_memory_not_equal(k0, k1, 32);
	lits_init(&t, "ghp_", "token");
	t.ids[1] = 7;
	key_of(k1, &t);
	assert_memory_not_equal(k0, k1, 32);
	lits_init(&t, "ghp_", "token");
	t.l.mode = HS_MODE_STREAM;
	key_of(k1, &t);
	assert_memory_not_equal(k0, k1, 32);
	lits_init(&t, "ghp_", "token");
	t.l.n = 1;
	key_of(k1, &t);
	assert_memory_not_equal(k0, k1, 32);
}

static int count_hit(unsigned id, unsigned long long from,
		     unsigned long long to, unsigned flags, void *ctx)
{
	(void)from;
	(void)to;
	(void)flags;
	*(unsigned *)ctx |= 1u << id;
	return 0;
}

static unsigned scan_ids(hs_database_t *db, const char *text)
{
	hs_scratch_t *s = NULL;
	unsigned got = 0;

	assert_int_equal(hs_alloc_scratch(db, &s), HS_SUCCESS);
	assert_int_equal(hs_scan(db, text, (unsigned)strlen(text), 0, s,
				 count_hit, &got),
			 HS_SUCCESS);
	hs_free_scratch(s);
	return got;
}

static void test_secrets_hscache_store_load(void **state)
{
	char dir[] = "/tmp/customs-hsc-XXXXXX", path[256], sub[64], hex[65];
	hs_database_t *db = NULL, *back;
	hs_compile_error_t *err = NULL;
	unsigned char key[32];
	struct lits t;
	struct stat st;
	int n;

	(void)state;
	assert_non_null(mkdtemp(dir));
	n = snprintf(sub, sizeof(sub), "%s/a/hyperscan", dir);
	assert_true(n > 0 && (size_t)n < sizeof(sub));
	lits_init(&t, "ghp_", "token");
	key_of(key, &t);
	assert_null(hsc_load(sub, key)); /* nothing there yet */
	assert_int_equal(hs_compile_lit_multi(t.exprs, t.flags, t.ids, t.lens,
					      2, HS_MODE_BLOCK, NULL, &db,
					      &err),
			 HS_SUCCESS);
	hsc_store(sub, key, db);
	assert_int_equal(stat(sub, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	back = hsc_load(sub, key);
	assert_non_null(back);
	assert_int_equal(scan_ids(back, "x TOKEN y"), 2u);
	assert_int_equal(scan_ids(back, "GHP_ token"), 3u);
	assert_int_equal(scan_ids(back, "tok"), 0u);
	assert_null(hsc_load(sub, key_a)); /* another key: another file */
	hs_free_database(back);
	hs_free_database(db);
	/* exactly one file, named by the key; nothing else is left */
	customs_hex(hex, key, 32);
	n = snprintf(path, sizeof(path), "%s/%s.hsdb", sub, hex);
	assert_true(n > 0 && (size_t)n < sizeof(path));
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(sub), 0); /* fails unless empty */
	*strrchr(sub, '/') = '\0';
	assert_int_equal(rmdir(sub), 0);
	assert_int_equal(rmdir(dir), 0);
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_secrets_hscache_header_roundtrip),
		cmocka_unit_test(test_secrets_hscache_rejects_damage),
		cmocka_unit_test(test_secrets_hscache_rejects_bad_length),
#ifdef CUSTOMS_HAVE_HYPERSCAN
		cmocka_unit_test(test_secrets_hscache_key_covers_inputs),
		cmocka_unit_test(test_secrets_hscache_store_load),
#endif
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
