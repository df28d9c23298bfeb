/*
 * Planned capture in the analyzer dispatch (src/analyze/plan.c), on a
 * rootfs directory and on a docker archive made from it (one tar layer),
 * so both the directory reader and the tar walk stream through it: a
 * large file only planning analyzers want is offered as the head plus
 * the planned ranges, byte for byte; a plan asking for nothing means no
 * on_file call; an analyzer without a plan, or one planning the whole
 * file, gets it whole; a small file is offered whole without a plan; a
 * range past an analyzer's max_bytes is cut there.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "customs/analyze.h"

#define BIG 200000u

static unsigned char byte_at(uint64_t off)
{
	return (unsigned char)(off * 7 % 251);
}

static const struct customs_want exec_want[] = {
	{ CUSTOMS_WANT_EXEC, NULL },
};
static const struct customs_want other_want[] = {
	{ CUSTOMS_WANT_BASENAME, "other" },
};

struct rec {
	pthread_mutex_t lock;
	int plans;
	char log[2048]; /* "path:off+len,...;" per on_file, path order */
	bool bytes_ok;
	bool plan_whole; /* plan() answers "whole" for bin/big */
};

static int plan(void *state, const struct customs_file_event *ev,
		struct customs_plan *p)
{
	struct rec *r = state;
	size_t i;

	pthread_mutex_lock(&r->lock);
	r->plans++;
	for (i = 0; i < ev->len; i++)
		r->bytes_ok &= ev->data[i] == byte_at(i);
	r->bytes_ok &= ev->len == CUSTOMS_PLAN_HEAD && !ev->ranges;
	pthread_mutex_unlock(&r->lock);
	if (!strcmp(ev->file->path, "bin/big")) {
		p->whole = r->plan_whole;
		p->r[0] = (struct customs_range){ 150000, 100 };
		p->r[1] = (struct customs_range){ 100000, 10 };
		p->r[2] = (struct customs_range){ 199990, 100 }; /* past end */
		p->n = 3;
	}
	return 0; /* bin/other: nothing */
}

static int on_file(void *state, const struct customs_file_event *ev,
		   void **result, struct customs_ctx *ctx)
{
	struct rec *r = state;
	char line[300];
	size_t i, at = 0, k;
	int n;

	(void)ctx;
	pthread_mutex_lock(&r->lock);
	n = snprintf(line, sizeof(line), "%s%s:", ev->file->path,
		     ev->truncated ? "(cut)" : "");
	if (!ev->ranges) {
		snprintf(line + n, sizeof(line) - (size_t)n, "0+%zu;", ev->len);
		for (k = 0; k < ev->len; k++)
			r->bytes_ok &= ev->data[k] == byte_at(k);
	}
	for (i = 0; ev->ranges && i < ev->n_ranges; i++) {
		const struct customs_range *g = &ev->ranges[i];

		n += snprintf(line + n, sizeof(line) - (size_t)n, "%llu+%llu%s",
			      (unsigned long long)g->off,
			      (unsigned long long)g->len,
			      i + 1 < ev->n_ranges ? "," : ";");
		for (k = 0; k < g->len; k++)
			r->bytes_ok &= ev->data[at + k] == byte_at(g->off + k);
		at += (size_t)g->len;
	}
	r->bytes_ok &= !ev->ranges || at == ev->len;
	strncat(r->log, line, sizeof(r->log) - strlen(r->log) - 1);
	pthread_mutex_unlock(&r->lock);
	*result = NULL;
	return 0;
}

static int on_result(void *state, const char *path, int layer, bool visible,
		     void *result, struct customs_ctx *ctx)
{
	(void)state, (void)path, (void)layer, (void)visible, (void)result;
	(void)ctx;
	return 0;
}

static void free_result(void *state, void *result)
{
	(void)state, (void)result;
}

static void analyzer(struct customs_analyzer *a, struct rec *r,
		     size_t max_bytes, bool planning)
{
	memset(a, 0, sizeof(*a));
	a->version = CUSTOMS_ANALYZER_VERSION;
	a->name = planning ? "planner" : "plain";
	a->wants = planning ? exec_want : other_want;
	a->n_wants = 1;
	a->max_bytes = max_bytes;
	a->state = r;
	a->on_file = on_file;
	a->on_result = on_result;
	a->free_result = free_result;
	a->plan = planning ? plan : NULL;
}

static void write_file(const char *dir, const char *name, size_t n)
{
	char path[600];
	FILE *f;
	size_t i;

	snprintf(path, sizeof(path), "%s/bin/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	for (i = 0; i < n; i++)
		fputc(byte_at(i), f);
	fclose(f);
	assert_int_equal(chmod(path, 0755), 0);
}

/* A rootfs in a fresh directory, and a docker archive of it. */
static void make_image(char *dir, size_t cap)
{
	const char *t = getenv("CUSTOMS_TEST_TMP");
	char cmd[2048], root[600];

	if (t && *t) {
		mkdir(t, 0755);
		snprintf(dir, cap, "%s/customs-plan-XXXXXX", t);
	} else {
		snprintf(dir, cap, "/tmp/customs-plan-XXXXXX");
	}
	assert_non_null(mkdtemp(dir));
	snprintf(root, sizeof(root), "%s/root", dir);
	assert_int_equal(mkdir(root, 0755), 0);
	snprintf(cmd, sizeof(cmd), "%s/bin", root);
	assert_int_equal(mkdir(cmd, 0755), 0);
	write_file(root, "big", BIG);
	write_file(root, "other", BIG);
	write_file(root, "small", 100);
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && tar --format=ustar --sort=name -C root -cf "
		 "layer.tar bin && d=$(sha256sum layer.tar | cut -c1-64) && "
		 "printf '{\"architecture\":\"amd64\",\"os\":\"linux\","
		 "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":"
		 "[\"sha256:%%s\"]}}' $d >c.json && "
		 "c=$(sha256sum c.json | cut -c1-64) && mv c.json $c.json && "
		 "printf '[{\"Config\":\"%%s.json\",\"RepoTags\":[\"p:1\"],"
		 "\"Layers\":[\"layer.tar\"]}]' $c >manifest.json && "
		 "tar -cf img.tar manifest.json $c.json layer.tar",
		 dir);
	assert_int_equal(system(cmd), 0);
}

static void remove_dir(const char *dir)
{
	char cmd[700];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void scan(const char *target, const struct customs_analyzer *const *l,
		 size_t n)
{
	struct customs_scan_opts so = CUSTOMS_SCAN_OPTS_INIT;
	struct customs_image *img = NULL;
	struct customs_analysis *an = NULL;
	struct customs_ctx *ctx;
	int rc;

	so.analyzers = l;
	so.n_analyzers = n;
	assert_int_equal(customs_ctx_new(&ctx), 0);
	rc = customs_image_open(&img, ctx, target, NULL);
	if (!rc)
		rc = customs_image_scan(&an, img, ctx, &so);
	if (rc)
		fail_msg("%s: %s", target, customs_ctx_errmsg(ctx));
	customs_analysis_free(an);
	customs_image_free(img);
	customs_ctx_free(ctx);
}

/* Scan both forms of the image with these analyzers; one log each. */
static void both(const char *dir, struct rec *r, size_t n_an,
		 const struct customs_analyzer *const *l, const char *want)
{
	char target[700];
	int k;

	for (k = 0; k < 2; k++) {
		r->log[0] = '\0';
		r->plans = 0;
		r->bytes_ok = true;
		snprintf(target, sizeof(target),
			 k ? "docker-archive:%s/img.tar" : "dir:%s/root", dir);
		scan(target, l, n_an);
		assert_string_equal(r->log, want);
		assert_true(r->bytes_ok);
		assert_int_equal(r->plans, 2); /* big and other, not small */
	}
}

static void test_analyze_plan_ranges_and_nothing(void **state)
{
	struct rec r = { PTHREAD_MUTEX_INITIALIZER, 0, "", true, false };
	struct customs_analyzer a;
	const struct customs_analyzer *l[] = { &a };
	char dir[600];

	(void)state;
	make_image(dir, sizeof(dir));
	analyzer(&a, &r, 1u << 20, true);
	/* sorted, merged with the head, cut at the end of the file; other
	 * planned nothing and is not offered */
	both(dir, &r, 1, l,
	     "bin/big:0+65536,100000+10,150000+100,199990+10;"
	     "bin/small:0+100;");
	/* max_bytes 120000: the ranges are cut there */
	analyzer(&a, &r, 120000, true);
	both(dir, &r, 1, l, "bin/big(cut):0+65536,100000+10;bin/small:0+100;");
	/* a plan for the whole file */
	r.plan_whole = true;
	analyzer(&a, &r, 1u << 20, true);
	both(dir, &r, 1, l, "bin/big:0+200000;bin/small:0+100;");
	remove_dir(dir);
}

static void test_analyze_plan_unplanned_analyzer_gets_whole(void **state)
{
	struct rec r = { PTHREAD_MUTEX_INITIALIZER, 0, "", true, false };
	struct rec plain = { PTHREAD_MUTEX_INITIALIZER, 0, "", true, false };
	struct customs_analyzer a, b;
	const struct customs_analyzer *l[] = { &a, &b };
	char dir[600], target[700];
	int k;

	(void)state;
	make_image(dir, sizeof(dir));
	analyzer(&a, &r, 1u << 20, true);
	analyzer(&b, &plain, 1u << 20, false);
	for (k = 0; k < 2; k++) {
		r.log[0] = plain.log[0] = '\0';
		r.plans = 0;
		snprintf(target, sizeof(target),
			 k ? "docker-archive:%s/img.tar" : "dir:%s/root", dir);
		scan(target, l, 2);
		/* bin/other is wanted by an analyzer that cannot plan: it is
		 * read whole, for both, and nobody is asked to plan it */
		assert_string_equal(r.log,
				    "bin/big:0+65536,100000+10,150000+100,"
				    "199990+10;bin/other:0+200000;"
				    "bin/small:0+100;");
		assert_string_equal(plain.log, "bin/other:0+200000;");
		assert_int_equal(r.plans, 1);
		assert_true(r.bytes_ok && plain.bytes_ok);
	}
	remove_dir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_analyze_plan_ranges_and_nothing),
		cmocka_unit_test(
			test_analyze_plan_unplanned_analyzer_gets_whole),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
