/*
 * The analyzer dispatch, on the "basic" fixture image built by the
 * deterministic generator: every wanted file is offered once per layer
 * that wrote it, with its content, and results come back in layer then
 * path order, marked visible exactly when the final filesystem shows that
 * layer's version. Also checks the squashed view and distro through the
 * public API, from every source kind.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "customs/analyze.h"

static char fixtures[512];

static const struct customs_want wants[] = {
	{ CUSTOMS_WANT_BASENAME, "passwd" },
	{ CUSTOMS_WANT_DIR, "opt/legacy" },
	{ CUSTOMS_WANT_EXT, "txt" },
	{ CUSTOMS_WANT_PATH, "etc/motd" },
};

struct rec {
	pthread_mutex_t lock;
	int offered;
	char log[8192];
	char passwd1[128];
};

static int on_file(void *state, const struct customs_file_event *ev,
		   void **result, struct customs_ctx *ctx)
{
	struct rec *r = state;

	(void)ctx;
	pthread_mutex_lock(&r->lock);
	r->offered++;
	if (ev->layer == 1 && !strcmp(ev->file->path, "etc/passwd"))
		snprintf(r->passwd1, sizeof(r->passwd1), "%.*s", (int)ev->len,
			 (const char *)ev->data);
	pthread_mutex_unlock(&r->lock);
	*result = strdup(ev->file->path);
	return *result ? 0 : CUSTOMS_ENOMEM;
}

static int on_result(void *state, const char *path, int layer, bool visible,
		     void *result, struct customs_ctx *ctx)
{
	struct rec *r = state;
	char line[600];

	(void)ctx;
	assert_string_equal(path, (char *)result);
	free(result);
	snprintf(line, sizeof(line), "%d:%s:%c\n", layer, path,
		 visible ? 'V' : 'h');
	strncat(r->log, line, sizeof(r->log) - strlen(r->log) - 1);
	return 0;
}

static void free_result(void *state, void *result)
{
	(void)state;
	free(result);
}

static const char expected[] =
	"0:etc/motd:h\n"
	"0:etc/passwd:h\n"
	"0:home/app/notes.txt:V\n"
	"0:opt/legacy/a:h\n"
	"0:opt/legacy/sub/b:h\n"
	"0:usr/bin/passwd:V\n"
	"0:usr/share/customs-opq/old.txt:h\n"
	"1:etc/passwd:V\n"
	"1:usr/share/customs/a-rather-long-directory-name-for-testing-pax-"
	"headers/and-another-long-directory-name/with-a-long-file-name.txt:V\n"
	"1:usr/share/customs/caf\xc3\xa9-na\xc3\xafve-\xc3\xbcn\xc3\xaf"
	"c\xc3\xb8"
	"d\xc3\xa9-\xe5\x90\x8d\xe5\x89\x8d.txt:V\n"
	"1:usr/share/customs/gnu-longname-directory-component-that-is-quite-"
	"long/and-a-file-name-that-needs-the-gnu-longlink-header.txt:V\n"
	"1:usr/share/customs/ustar-raw-\xc3\xa9.txt:V\n"
	"3:etc/motd:V\n"
	"3:usr/share/customs-opq/new.txt:V\n";

static void scan_target(const char *target, struct rec *r,
			struct customs_analysis **an)
{
	struct customs_ctx *ctx;
	struct customs_image *img = NULL;
	struct customs_analyzer a = { 0 };
	const struct customs_analyzer *list[1] = { &a };
	struct customs_scan_opts so = CUSTOMS_SCAN_OPTS_INIT;
	int rc;

	a.version = CUSTOMS_ANALYZER_VERSION;
	a.name = "test";
	a.wants = wants;
	a.n_wants = sizeof(wants) / sizeof(wants[0]);
	a.max_bytes = 64;
	a.state = r;
	a.on_file = on_file;
	a.on_result = on_result;
	a.free_result = free_result;
	so.analyzers = list;
	so.n_analyzers = 1;
	so.hash_files = true;
	assert_int_equal(customs_ctx_new(&ctx), 0);
	rc = customs_image_open(&img, ctx, target, NULL);
	if (!rc)
		rc = customs_image_scan(an, img, ctx, &so);
	if (rc)
		fail_msg("%s: %s", target, customs_ctx_errmsg(ctx));
	customs_image_free(img);
	customs_ctx_free(ctx);
}

static void check_layered(const char *target)
{
	struct rec r = { PTHREAD_MUTEX_INITIALIZER, 0, "", "" };
	struct customs_analysis *an = NULL;
	const struct customs_file *f;
	const struct customs_distro *d;

	scan_target(target, &r, &an);
	assert_string_equal(r.log, expected);
	assert_int_equal(r.offered, 14);
	/* 65 bytes, capped at the analyzer's 64 */
	assert_string_equal(r.passwd1, "root:x:0:0:root:/root:/bin/bash\n"
				       "app:x:1000:1000::/home/app:/bin/");
	assert_int_equal(customs_fsindex_resolve(&f, customs_analysis_files(an),
						 "/etc/os-release"),
			 0);
	assert_string_equal(f->path, "usr/lib/os-release");
	d = customs_analysis_distro(an);
	assert_non_null(d);
	assert_string_equal(d->id, "debian");
	assert_string_equal(d->version, "12.5");
	customs_analysis_free(an);
}

static void test_analyze_dispatch_oci(void **state)
{
	char t[600];

	(void)state;
	snprintf(t, sizeof(t), "oci:%s/basic.oci", fixtures);
	check_layered(t);
}

static void test_analyze_dispatch_docker_archive(void **state)
{
	char t[600];

	(void)state;
	snprintf(t, sizeof(t), "docker-archive:%s/basic.docker.tar", fixtures);
	check_layered(t);
	snprintf(t, sizeof(t), "%s/basic.docker-classic.tar", fixtures);
	check_layered(t);
}

static void test_analyze_dispatch_rootfs(void **state)
{
	struct rec r = { PTHREAD_MUTEX_INITIALIZER, 0, "", "" };
	struct customs_analysis *an = NULL;
	char t[600];

	(void)state;
	snprintf(t, sizeof(t), "dir:%s/basic.rootfs", fixtures);
	scan_target(t, &r, &an);
	/* one pseudo-layer: everything offered is visible */
	assert_null(strstr(r.log, ":h\n"));
	assert_non_null(strstr(r.log, "0:etc/passwd:V\n"));
	assert_null(strstr(r.log, "opt/legacy"));
	assert_string_equal(customs_analysis_distro(an)->id, "debian");
	customs_analysis_free(an);
}

static int setup(void **state)
{
	char cmd[1200];

	(void)state;
	snprintf(fixtures, sizeof(fixtures), "%s/customs-analyze-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(fixtures))
		return -1;
	snprintf(cmd, sizeof(cmd),
		 "python3 %s/fixtures/mkfixtures.py %s basic >/dev/null",
		 CUSTOMS_TEST_SRCDIR, fixtures);
	return system(cmd) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[700];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fixtures);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_analyze_dispatch_oci),
		cmocka_unit_test(test_analyze_dispatch_docker_archive),
		cmocka_unit_test(test_analyze_dispatch_rootfs),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
