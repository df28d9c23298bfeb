/*
 * vulndb update: the parts of `customs db update` that need no network:
 * feed selection, where each group's base URL comes from (mirror, the
 * environment, the config file, built-in), URL checks, the config file,
 * the Alpine index branch discovery and the NVD page head.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "customs/vulndb.h"
#include "vulndb/update_int.h"
#include "util/banned.h"

static struct customs_ctx *ctx;

static int setup(void **state)
{
	(void)state;
	unsetenv("CUSTOMS_FEED_OSV_URL");
	unsetenv("CUSTOMS_FEED_KEV_URL");
	return customs_ctx_new(&ctx);
}

static int teardown(void **state)
{
	(void)state;
	customs_ctx_free(ctx);
	return 0;
}

/* Index of a feed in the table, or -1. */
static int feed_index(const char *name)
{
	size_t i, n;
	const struct customs_vulndb_feed *f = customs_vulndb_feeds(&n);

	for (i = 0; i < n; i++) {
		if (!strcmp(f[i].name, name))
			return (int)i;
	}
	return -1;
}

static int count(const bool *sel)
{
	size_t i, n;
	int c = 0;

	customs_vulndb_feeds(&n);
	for (i = 0; i < n; i++)
		c += sel[i];
	return c;
}

static void test_vulndb_update_select(void **state)
{
	bool sel[64];
	size_t n;

	(void)state;
	customs_vulndb_feeds(&n);
	assert_int_equal(n, 20);
	assert_int_equal(upd_select(sel, "kev, epss", ctx), 0);
	assert_int_equal(count(sel), 2);
	assert_true(sel[feed_index("kev")] && sel[feed_index("epss")]);
	/* a group selects its feeds: 13 OSV ecosystems */
	assert_int_equal(upd_select(sel, "osv", ctx), 0);
	assert_int_equal(count(sel), 13);
	/*
	 * default: everything but NVD, the two OSV distro duplicates and
	 * the two feeds without a built-in URL (Wolfi, Chainguard)
	 */
	assert_int_equal(upd_select(sel, "default", ctx), 0);
	assert_int_equal(count(sel), 15);
	assert_false(sel[feed_index("nvd")]);
	assert_false(sel[feed_index("osv-debian")]);
	assert_false(sel[feed_index("wolfi")]);
	assert_int_equal(upd_select(sel, "default,nvd", ctx), 0);
	assert_int_equal(count(sel), 16);
	assert_int_equal(upd_select(sel, "all", ctx), 0);
	assert_int_equal(count(sel), 20);
	assert_int_equal(upd_select(sel, "kev,nope", ctx), CUSTOMS_EINVAL);
	assert_string_equal(customs_ctx_errmsg(ctx),
			    "unknown feed 'nope' (see `customs db update "
			    "--help`)");
	assert_int_equal(upd_select(sel, " , ", ctx), CUSTOMS_EINVAL);
	assert_string_equal(customs_ctx_errmsg(ctx), "empty feed list");
	/* "osv-" alone is no feed: names match whole */
	assert_int_equal(upd_select(sel, "osv-", ctx), CUSTOMS_EINVAL);
}

static void test_vulndb_update_url_ok(void **state)
{
	(void)state;
	assert_true(upd_url_ok("https://example.org"));
	assert_true(upd_url_ok("http://127.0.0.1:8080/feeds/"));
	assert_false(upd_url_ok("file:///etc/passwd"));
	assert_false(upd_url_ok("ftp://example.org/x"));
	assert_false(upd_url_ok("https://"));
	assert_false(upd_url_ok("https:///path"));
	assert_false(upd_url_ok("https://exa mple.org"));
	assert_false(upd_url_ok("https://example.org/\r\nX: y"));
	assert_false(upd_url_ok("example.org"));
}

static void expect_base(const char *group, const char *mirror,
			const struct upd_config *cfg, const char *want)
{
	char *url = NULL;

	assert_int_equal(upd_base_url(&url, group, mirror, cfg, ctx), 0);
	assert_string_equal(url, want);
	free(url);
}

static void test_vulndb_update_base_precedence(void **state)
{
	struct upd_config cfg = { 0 };
	char *url = NULL;

	(void)state;
	expect_base("osv", NULL, NULL,
		    "https://storage.googleapis.com/osv-vulnerabilities");
	expect_base("kev", NULL, NULL,
		    "https://www.cisa.gov/sites/default/files/feeds");
	/* no built-in URL: the error says how to name one */
	assert_int_equal(upd_base_url(&url, "wolfi", NULL, NULL, ctx),
			 CUSTOMS_EINVAL);
	assert_null(url);
	assert_string_equal(customs_ctx_errmsg(ctx),
			    "feed group 'wolfi' has no built-in URL: set "
			    "CUSTOMS_FEED_WOLFI_URL, urls.wolfi in --config, "
			    "or --mirror");
	expect_base("wolfi", "http://flag/m", NULL, "http://flag/m/wolfi");
	cfg.mirror = strdup("http://cfg-mirror/base/");
	expect_base("osv", NULL, &cfg, "http://cfg-mirror/base/osv");
	assert_int_equal(
		customs_kvlist_add(&cfg.urls, "osv", "http://cfg-osv/x//"), 0);
	expect_base("osv", NULL, &cfg, "http://cfg-osv/x");
	expect_base("kev", NULL, &cfg, "http://cfg-mirror/base/kev");
	setenv("CUSTOMS_FEED_OSV_URL", "https://env-osv/y", 1);
	expect_base("osv", NULL, &cfg, "https://env-osv/y");
	expect_base("osv", "http://flag/m", &cfg, "http://flag/m/osv");
	expect_base("kev", "http://flag/m/", &cfg, "http://flag/m/kev");
	setenv("CUSTOMS_FEED_OSV_URL", "file:///srv/feeds", 1);
	assert_int_equal(upd_base_url(&url, "osv", NULL, &cfg, ctx),
			 CUSTOMS_EINVAL);
	assert_null(url);
	assert_string_equal(
		customs_ctx_errmsg(ctx),
		"CUSTOMS_FEED_OSV_URL: 'file:///srv/feeds' is not an "
		"http(s) URL");
	unsetenv("CUSTOMS_FEED_OSV_URL");
	assert_int_equal(upd_base_url(&url, "nope", NULL, NULL, ctx),
			 CUSTOMS_EINVAL);
	upd_config_release(&cfg);
}

static void test_vulndb_update_join(void **state)
{
	char *u = NULL;

	(void)state;
	assert_int_equal(upd_join(&u, "http://h/b", "npm/all.zip"), 0);
	assert_string_equal(u, "http://h/b/npm/all.zip");
	free(u);
	assert_int_equal(upd_join(&u, "http://h/b", ""), 0);
	assert_string_equal(u, "http://h/b");
	free(u);
	assert_int_equal(upd_join(&u, "http://h/b", "/"), 0);
	assert_string_equal(u, "http://h/b/");
	free(u);
}

static int parse(struct upd_config *cfg, const char *text)
{
	return upd_config_parse(cfg, text, strlen(text), "cfg.yaml", ctx);
}

static void test_vulndb_update_config(void **state)
{
	struct upd_config cfg = { 0 };

	(void)state;
	assert_int_equal(parse(&cfg, "mirror: https://m.example/feeds\n"
				     "feeds: [kev, osv-npm]\n"
				     "urls:\n  epss: http://e.example/\n"),
			 0);
	assert_string_equal(cfg.mirror, "https://m.example/feeds");
	assert_string_equal(cfg.feeds, "kev,osv-npm");
	assert_int_equal(cfg.urls.n, 1);
	assert_string_equal(cfg.urls.keys[0], "epss");
	assert_string_equal(cfg.urls.values[0], "http://e.example/");
	upd_config_release(&cfg);

	assert_int_equal(parse(&cfg, "feeds: default,nvd\n"), 0);
	assert_string_equal(cfg.feeds, "default,nvd");
	upd_config_release(&cfg);
	assert_int_equal(parse(&cfg, ""), 0);
	assert_null(cfg.mirror);

	assert_int_equal(parse(&cfg, "mirror: x\n"), CUSTOMS_EINVAL);
	assert_string_equal(customs_ctx_errmsg(ctx),
			    "cfg.yaml: line 1: mirror: not an http(s) URL");
	upd_config_release(&cfg);
	assert_int_equal(parse(&cfg, "# c\nproxy: http://p\n"), CUSTOMS_EINVAL);
	assert_string_equal(customs_ctx_errmsg(ctx),
			    "cfg.yaml: line 2: unknown key 'proxy'");
	upd_config_release(&cfg);
	assert_int_equal(parse(&cfg, "urls:\n  rhel: http://r/\n"),
			 CUSTOMS_EINVAL);
	assert_string_equal(customs_ctx_errmsg(ctx),
			    "cfg.yaml: line 2: urls: unknown feed group "
			    "'rhel'");
	upd_config_release(&cfg);
	assert_int_equal(parse(&cfg, "- a\n- b\n"), CUSTOMS_EINVAL);
	upd_config_release(&cfg);
	assert_int_equal(parse(&cfg, "mirror: [unclosed\n"), CUSTOMS_EINVAL);
	upd_config_release(&cfg);
	assert_int_equal(parse(&cfg, "feeds: [a, [b]]\n"), CUSTOMS_EINVAL);
	upd_config_release(&cfg);
}

static void test_vulndb_update_alpine_index(void **state)
{
	static const char html[] =
		"<html><body><a href=\"../\">../</a>\n"
		"<a href=\"v3.9/\">v3.9/</a> <a HREF='./v3.20/'>x</a>\n"
		"<a href=/edge/>edge</a><a href=\"v3.9/\">again</a>\n"
		"<a href=\"v3.x/\">no</a><a href=\"v3.20/main.json\">f</a>\n"
		"<a href=\"last-update\">t</a><a href=\"v3.21\">no slash</a>\n"
		"<a href=\"v123456789.1/\">too long</a><a href=\"";
	struct customs_strlist br = { 0 };

	(void)state;
	assert_int_equal(upd_alpine_branches(&br, html, strlen(html), ctx), 0);
	assert_int_equal(br.n, 3);
	assert_string_equal(br.v[0], "v3.9");
	assert_string_equal(br.v[1], "v3.20");
	assert_string_equal(br.v[2], "edge");
	customs_strlist_release(&br);
	assert_int_equal(upd_alpine_branches(&br, "<a href=x>", 10, ctx),
			 CUSTOMS_EFORMAT);
	assert_int_equal(br.n, 0);
}

static void test_vulndb_update_alpine_limit(void **state)
{
	char *html = malloc(300 * 24);
	struct customs_strlist br = { 0 };
	size_t n = 0;
	int i;

	(void)state;
	for (i = 0; i < 300; i++)
		n += (size_t)snprintf(html + n, 24, "<a href=\"v3.%d/\">", i);
	assert_int_equal(upd_alpine_branches(&br, html, n, ctx),
			 CUSTOMS_ELIMIT);
	customs_strlist_release(&br);
	free(html);
}

static void test_vulndb_update_nvd_total(void **state)
{
	static const char page[] = "{\"resultsPerPage\":2000,\"startIndex\":0,"
				   "\"totalResults\": 4321,\"format\":\"x\"}";
	uint64_t t = 9;

	(void)state;
	assert_int_equal(upd_nvd_total(&t, page, strlen(page), ctx), 0);
	assert_int_equal(t, 4321);
	assert_int_equal(upd_nvd_total(&t, "{\"totalResults\":x}", 18, ctx),
			 CUSTOMS_EFORMAT);
	assert_int_equal(upd_nvd_total(&t, "{}", 2, ctx), CUSTOMS_EFORMAT);
	assert_int_equal(upd_nvd_total(&t, "\"totalResults\"", 14, ctx),
			 CUSTOMS_EFORMAT);
	assert_int_equal(upd_nvd_total(&t, "", 0, ctx), CUSTOMS_EFORMAT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vulndb_update_select),
		cmocka_unit_test(test_vulndb_update_url_ok),
		cmocka_unit_test(test_vulndb_update_base_precedence),
		cmocka_unit_test(test_vulndb_update_join),
		cmocka_unit_test(test_vulndb_update_config),
		cmocka_unit_test(test_vulndb_update_alpine_index),
		cmocka_unit_test(test_vulndb_update_alpine_limit),
		cmocka_unit_test(test_vulndb_update_nvd_total),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
