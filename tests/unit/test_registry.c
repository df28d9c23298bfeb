/*
 * Unit tests of the registry module's offline parts: the
 * WWW-Authenticate challenge parser, token replies, docker config.json
 * lookups (auths keys, base64, helpers), login/logout-free config
 * handling, and the blob cache (atomic commit, hits, LRU eviction that
 * spares the current image's blobs, manifests read by digest).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "registry/registry_int.h"
#include "util/hash.h"
#include "util/error.h"
#include "util/banned.h"

static int parse(struct reg_challenge *c, const char *s)
{
	return reg_challenge_parse(c, s, strlen(s));
}

static void test_registry_challenge_bearer(void **state)
{
	struct reg_challenge c;

	(void)state;
	assert_int_equal(parse(&c,
			       "Bearer realm=\"https://auth.docker.io/token\","
			       "service=\"registry.docker.io\","
			       "scope=\"repository:library/nginx:pull\""),
			 0);
	assert_int_equal(c.scheme, REG_SCHEME_BEARER);
	assert_string_equal(c.realm, "https://auth.docker.io/token");
	assert_string_equal(c.service, "registry.docker.io");
	assert_string_equal(c.scope, "repository:library/nginx:pull");
	reg_challenge_release(&c);
}

static void test_registry_challenge_error_param(void **state)
{
	struct reg_challenge c;

	(void)state;
	assert_int_equal(parse(&c, "Bearer realm=\"http://t/token\","
				   "service=\"reg\",scope=\"repository:a/b:"
				   "pull\",error=\"insufficient_scope\""),
			 0);
	assert_string_equal(c.error, "insufficient_scope");
	assert_string_equal(c.scope, "repository:a/b:pull");
	reg_challenge_release(&c);
	assert_null(c.error);
	assert_int_equal(parse(&c, "Bearer realm=x"), 0);
	assert_null(c.error);
	reg_challenge_release(&c);
}

static void test_registry_challenge_basic_and_case(void **state)
{
	struct reg_challenge c;

	(void)state;
	assert_int_equal(parse(&c, "basic REALM=\"my \\\"reg\\\"\""), 0);
	assert_int_equal(c.scheme, REG_SCHEME_BASIC);
	assert_string_equal(c.realm, "my \"reg\"");
	assert_null(c.service);
	reg_challenge_release(&c);
	assert_int_equal(parse(&c, "Basic"), 0);
	assert_int_equal(c.scheme, REG_SCHEME_BASIC);
	reg_challenge_release(&c);
}

static void test_registry_challenge_several(void **state)
{
	struct reg_challenge c;

	(void)state;
	/* An unknown scheme first, with a token68-less param list. */
	assert_int_equal(parse(&c, "Negotiate a=b, c=\"d,e\", Bearer "
				   "realm=https://x/t , service = s"),
			 0);
	assert_int_equal(c.scheme, REG_SCHEME_BEARER);
	assert_string_equal(c.realm, "https://x/t");
	assert_string_equal(c.service, "s");
	reg_challenge_release(&c);
	assert_int_equal(parse(&c, "Digest realm=x"), 0);
	assert_int_equal(c.scheme, REG_SCHEME_NONE);
	reg_challenge_release(&c);
}

static void test_registry_challenge_malformed(void **state)
{
	struct reg_challenge c;
	char big[9000];

	(void)state;
	assert_int_equal(parse(&c, "Bearer realm=\"unterminated"),
			 CUSTOMS_EFORMAT);
	assert_null(c.realm);
	assert_int_equal(parse(&c, "Bearer realm="), CUSTOMS_EFORMAT);
	assert_int_equal(parse(&c, "Bearer realm=\"a\nb\""), CUSTOMS_EFORMAT);
	assert_int_equal(parse(&c, "=x"), CUSTOMS_EFORMAT);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(parse(&c, big), CUSTOMS_ELIMIT);
}

static void test_registry_token_reply(void **state)
{
	char *t = NULL;
	const char *a = "{\"token\":\"abc\",\"access_token\":\"zzz\"}";
	const char *b = "{\"access_token\":\"xyz\",\"expires_in\":300}";
	const char *bad = "{\"token\":\"a\\nb\"}";

	(void)state;
	assert_int_equal(reg_token_parse(&t, a, strlen(a)), 0);
	assert_string_equal(t, "abc");
	free(t);
	assert_int_equal(reg_token_parse(&t, b, strlen(b)), 0);
	assert_string_equal(t, "xyz");
	free(t);
	assert_int_equal(reg_token_parse(&t, "{}", 2), CUSTOMS_EFORMAT);
	assert_null(t);
	assert_int_equal(reg_token_parse(&t, "[", 1), CUSTOMS_EFORMAT);
	assert_int_equal(reg_token_parse(&t, bad, strlen(bad)),
			 CUSTOMS_EFORMAT);
}

static int config(struct reg_creds *cr, char **helper, const char *json,
		  const char *host)
{
	return reg_config_parse(cr, helper, json, strlen(json), host, NULL);
}

static void test_registry_config_auths(void **state)
{
	struct reg_creds cr;
	char *helper = NULL;
	/* "alice:s3:cret" and "bob:pw" */
	const char *j = "{\"auths\":{"
			"\"https://localhost:5000/v2/\":{\"auth\":"
			"\"YWxpY2U6czM6Y3JldA==\"},"
			"\"https://index.docker.io/v1/\":{\"auth\":"
			"\"Ym9iOnB3\"}}}";

	(void)state;
	assert_int_equal(config(&cr, &helper, j, "localhost:5000"), 0);
	assert_string_equal(cr.username, "alice");
	assert_string_equal(cr.password, "s3:cret");
	assert_null(helper);
	reg_creds_release(&cr);
	assert_null(cr.password);
	assert_int_equal(config(&cr, &helper, j, "docker.io"), 0);
	assert_string_equal(cr.username, "bob");
	assert_string_equal(cr.password, "pw");
	reg_creds_release(&cr);
	assert_int_equal(config(&cr, &helper, j, "localhost:5001"), 0);
	assert_null(cr.username);
	assert_int_equal(config(&cr, &helper, j, "localhost"), 0);
	assert_null(cr.username);
}

static void test_registry_config_fields_and_helpers(void **state)
{
	struct reg_creds cr;
	char *helper = NULL;
	const char *j = "{\"auths\":{\"r.io\":{\"username\":\"u\","
			"\"password\":\"p\"}},"
			"\"credsStore\":\"desktop\","
			"\"credHelpers\":{\"ecr.io\":\"ecr-login\"}}";

	(void)state;
	assert_int_equal(config(&cr, &helper, j, "r.io"), 0);
	assert_string_equal(cr.username, "u");
	assert_string_equal(cr.password, "p");
	assert_string_equal(helper, "desktop");
	free(helper);
	reg_creds_release(&cr);
	assert_int_equal(config(&cr, &helper, j, "ecr.io"), 0);
	assert_null(cr.username);
	assert_string_equal(helper, "ecr-login");
	free(helper);
}

static void test_registry_config_identity_token(void **state)
{
	struct reg_creds cr;
	char *helper = NULL;
	/* auth "<token>:" as docker login writes it, absent, and a user's
	 * password beside an empty identitytoken (ignored). */
	const char *j = "{\"auths\":{"
			"\"r.io\":{\"auth\":\"PHRva2VuPjo=\","
			"\"identitytoken\":\"rt-1\"},"
			"\"https://index.docker.io/v1/\":{\"identitytoken\":"
			"\"rt-2\"},"
			"\"localhost:5000\":{\"identitytoken\":\"\","
			"\"auth\":\"Ym9iOnB3\"}}}";

	(void)state;
	assert_int_equal(config(&cr, &helper, j, "r.io"), 0);
	assert_true(cr.identity);
	assert_string_equal(cr.username, "<token>");
	assert_string_equal(cr.password, "rt-1");
	reg_creds_release(&cr);
	assert_false(cr.identity);
	assert_null(cr.password);
	assert_int_equal(config(&cr, &helper, j, "docker.io"), 0);
	assert_true(cr.identity);
	assert_string_equal(cr.password, "rt-2");
	reg_creds_release(&cr);
	assert_int_equal(config(&cr, &helper, j, "localhost:5000"), 0);
	assert_false(cr.identity);
	assert_string_equal(cr.username, "bob");
	assert_string_equal(cr.password, "pw");
	reg_creds_release(&cr);
	assert_null(helper);
}

static void test_registry_config_malformed(void **state)
{
	struct customs_ctx *ctx;
	struct reg_creds cr;
	char *helper = NULL;
	const char *bad64 = "{\"auths\":{\"r.io\":{\"auth\":\"%%%%\"}}}";
	const char *nocolon = "{\"auths\":{\"r.io\":{\"auth\":\"YWJj\"}}}";

	(void)state;
	assert_int_equal(customs_ctx_new(&ctx), 0);
	assert_int_equal(reg_config_parse(&cr, &helper, "[1]", 3, "r.io", ctx),
			 CUSTOMS_EFORMAT);
	assert_int_equal(reg_config_parse(&cr, &helper, bad64, strlen(bad64),
					  "r.io", ctx),
			 CUSTOMS_EFORMAT);
	assert_non_null(strstr(customs_ctx_errmsg(ctx), "auths 'r.io'"));
	assert_int_equal(reg_config_parse(&cr, &helper, nocolon,
					  strlen(nocolon), "r.io", ctx),
			 CUSTOMS_EFORMAT);
	assert_null(cr.username);
	customs_ctx_free(ctx);
}

static void test_registry_config_key(void **state)
{
	(void)state;
	assert_string_equal(reg_config_key("docker.io"),
			    "https://index.docker.io/v1/");
	assert_string_equal(reg_config_key("localhost:5000"), "localhost:5000");
}

/* A cache in a fresh temporary directory. */
static void cache_at(struct reg_cache *c, char *dir, uint64_t max)
{
	struct customs_registry_opts o = CUSTOMS_REGISTRY_OPTS_INIT;

	assert_non_null(mkdtemp(dir));
	o.cache_dir = dir;
	o.cache_max_size = max;
	assert_int_equal(reg_cache_open(c, &o, NULL), 0);
}

static void digest_of(char out[72], char ch)
{
	memcpy(out, "sha256:", 7);
	memset(out + 7, ch, 64);
	out[71] = '\0';
}

/* Put a blob of n bytes into the cache with mtime t. */
static void put(struct reg_cache *c, const char *digest, size_t n, time_t t)
{
	char tmp[128], path[200];
	char buf[256];
	struct timespec ts[2] = { { t, 0 }, { t, 0 } };
	int fd;

	assert_int_equal(reg_cache_begin(c, digest, &fd, tmp, NULL), 0);
	memset(buf, 'x', sizeof(buf));
	assert_true(n <= sizeof(buf));
	assert_int_equal(write(fd, buf, n), (ssize_t)n);
	close(fd);
	assert_int_equal(reg_cache_commit(c, digest, tmp, NULL), 0);
	snprintf(path, sizeof(path), "blobs/sha256/%s", digest + 7);
	assert_int_equal(utimensat(c->dirfd, path, ts, 0), 0);
}

static bool present(struct reg_cache *c, const char *digest)
{
	char path[200];
	struct stat st;

	snprintf(path, sizeof(path), "blobs/sha256/%s", digest + 7);
	return fstatat(c->dirfd, path, &st, 0) == 0;
}

static void test_registry_cache_commit_and_hit(void **state)
{
	char dir[] = "/tmp/customs-test-cache-XXXXXX";
	struct reg_cache c;
	char d[72], tmp[128];
	int fd;

	(void)state;
	cache_at(&c, dir, 1000);
	digest_of(d, 'a');
	assert_false(reg_cache_has(&c, d, 10));
	assert_int_equal(reg_cache_begin(&c, d, &fd, tmp, NULL), 0);
	assert_int_equal(write(fd, "0123456789", 10), 10);
	close(fd);
	/* not visible under its digest before the commit */
	assert_false(reg_cache_has(&c, d, 10));
	assert_int_equal(reg_cache_commit(&c, d, tmp, NULL), 0);
	assert_true(reg_cache_has(&c, d, 10));
	assert_false(reg_cache_has(&c, d, 11)); /* wrong size: a miss */
	digest_of(d, 'b');
	assert_int_equal(reg_cache_begin(&c, d, &fd, tmp, NULL), 0);
	close(fd);
	reg_cache_abort(&c, tmp);
	assert_false(reg_cache_has(&c, d, 0));
	c.temporary = true; /* let close remove the directory */
	reg_cache_close(&c);
	assert_int_not_equal(access(dir, F_OK), 0);
}

static void test_registry_cache_evicts_lru(void **state)
{
	char dir[] = "/tmp/customs-test-cache-XXXXXX";
	struct reg_cache c;
	char a[72], b[72], d[72], e[72];
	const char *keep[1];
	time_t now = time(NULL);

	(void)state;
	cache_at(&c, dir, 250);
	digest_of(a, 'a');
	digest_of(b, 'b');
	digest_of(d, 'd');
	digest_of(e, 'e');
	put(&c, a, 100, now - 400); /* oldest, but kept */
	put(&c, b, 100, now - 300);
	put(&c, d, 100, now - 200);
	put(&c, e, 100, now - 100);
	keep[0] = a;
	reg_cache_evict(&c, keep, 1);
	/* 400 bytes, cap 250: b and d (the oldest not kept) go */
	assert_true(present(&c, a));
	assert_false(present(&c, b));
	assert_false(present(&c, d));
	assert_true(present(&c, e));
	/* a hit makes a blob recent */
	assert_true(reg_cache_has(&c, a, 100));
	put(&c, b, 100, now - 50);
	reg_cache_evict(&c, NULL, 0);
	assert_true(present(&c, a));
	assert_false(present(&c, e));
	assert_true(present(&c, b));
	c.temporary = true;
	reg_cache_close(&c);
}

/* A cached manifest is read by its digest without the client. */
static void test_registry_manifest_cache_hit(void **state)
{
	char dir[] = "/tmp/customs-test-cache-XXXXXX";
	const char *m = "{\"schemaVersion\":2,\"layers\":[]}";
	struct customs_sha256 *h = customs_sha256_new();
	struct reg_cache c;
	unsigned char sha[32];
	char d[72], tmp[128], *body = NULL, *mt = NULL, *dg = NULL;
	size_t len = 0;
	int fd;

	(void)state;
	assert_non_null(h);
	customs_sha256_update(h, m, strlen(m));
	customs_sha256_final(h, sha);
	customs_sha256_free(h);
	customs_digest_str(d, sha);
	cache_at(&c, dir, 1000);
	assert_int_equal(reg_cache_begin(&c, d, &fd, tmp, NULL), 0);
	assert_int_equal(write(fd, m, strlen(m)), (ssize_t)strlen(m));
	close(fd);
	assert_int_equal(reg_cache_commit(&c, d, tmp, NULL), 0);
	assert_int_equal(reg_manifest_fetch(NULL, &c, d, &body, &len, &mt, &dg,
					    4096, NULL),
			 0);
	assert_int_equal(len, strlen(m));
	assert_string_equal(body, m);
	assert_string_equal(dg, d);
	assert_null(mt);
	free(body);
	free(dg);
	c.temporary = true;
	reg_cache_close(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry_challenge_bearer),
		cmocka_unit_test(test_registry_challenge_error_param),
		cmocka_unit_test(test_registry_challenge_basic_and_case),
		cmocka_unit_test(test_registry_challenge_several),
		cmocka_unit_test(test_registry_challenge_malformed),
		cmocka_unit_test(test_registry_token_reply),
		cmocka_unit_test(test_registry_config_auths),
		cmocka_unit_test(test_registry_config_fields_and_helpers),
		cmocka_unit_test(test_registry_config_identity_token),
		cmocka_unit_test(test_registry_config_malformed),
		cmocka_unit_test(test_registry_config_key),
		cmocka_unit_test(test_registry_cache_commit_and_hit),
		cmocka_unit_test(test_registry_manifest_cache_hit),
		cmocka_unit_test(test_registry_cache_evicts_lru),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
