/*
 * The squashed index: whiteouts, opaque directories, replacement of
 * directories by files, hard link content, and resolution that never
 * leaves the root.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "fsindex/fsindex_int.h"

static void put(struct customs_fsindex *idx, const char *path,
		enum customs_ftype type, const char *link, int layer)
{
	struct customs_file f = { 0 };

	f.path = path;
	f.type = type;
	f.link = link;
	f.layer = layer;
	f.mode = type == CUSTOMS_FT_DIR ? 040755 : 0100644;
	if (type == CUSTOMS_FT_REG) {
		f.size = strlen(path);
		f.has_sha256 = true;
		f.sha256[0] = (unsigned char)layer;
	}
	assert_int_equal(customs_fsindex_put(idx, &f), 0);
}

static const struct customs_file *get(struct customs_fsindex *idx,
				      const char *path)
{
	const struct customs_file *f = NULL;

	if (customs_fsindex_lookup(&f, idx, path))
		return NULL;
	return f;
}

static int collect(const struct customs_file *f, void *data)
{
	char *buf = data;

	strncat(buf, f->path, 1000);
	strncat(buf, ";", 2);
	return 0;
}

struct order_check {
	char prev[64];
	size_t n;
	bool sorted;
};

static int check_order(const struct customs_file *f, void *data)
{
	struct order_check *oc = data;

	if (oc->n && strcmp(oc->prev, f->path) >= 0)
		oc->sorted = false;
	snprintf(oc->prev, sizeof(oc->prev), "%s", f->path);
	oc->n++;
	return 0;
}

/*
 * A listing long enough to be sorted in two halves on two threads comes
 * out in strcmp order, "a-b" before "a/b", with deleted and implicit
 * entries left out.
 */
static void test_fsindex_large_listing_sorted(void **state)
{
	struct customs_fsindex *idx;
	struct order_check oc = { "", 0, true };
	char path[64];
	size_t i, k;

	(void)state;
	assert_int_equal(customs_fsindex_new(&idx), 0);
	assert_int_equal(customs_fsindex_reserve(idx, 100), 0);
	for (i = 0; i < 40000; i++) {
		k = (i * 7919) % 40000; /* scrambled insertion order */
		snprintf(path, sizeof(path), "d%zu/f%zu", k % 97, k);
		put(idx, path, CUSTOMS_FT_REG, NULL, 0);
		snprintf(path, sizeof(path), "d%zu-x", k % 97);
		put(idx, path, CUSTOMS_FT_REG, NULL, 0);
	}
	customs_fsindex_whiteout(idx, "d5");
	assert_int_equal(customs_fsindex_finish(idx), 0);
	assert_int_equal(customs_fsindex_foreach(idx, check_order, &oc), 0);
	assert_true(oc.sorted);
	/* 40000 files in 97 implicit dirs, d5's 413 files gone, 97 -x files */
	assert_int_equal(oc.n, 40000 - 413 + 97);
	assert_int_equal(customs_fsindex_count(idx), oc.n);
	assert_non_null(get(idx, "d4-x"));
	assert_null(get(idx, "d5/f5"));
	assert_null(get(idx, "d4"));
	customs_fsindex_free(idx);
}

/* Stops a range walk at the entry named data. */
static int stop_at(const struct customs_file *f, void *data)
{
	return strcmp(f->path, data) ? 0 : 7;
}

/*
 * Ranges cut foreach's order into pieces that join up again: with
 * deleted and implicit entries left out, clipped at the end (also when
 * first + count wraps), and a callback's value stops them.
 */
static void test_fsindex_foreach_range_same_order(void **state)
{
	struct customs_fsindex *idx;
	char all[2048] = "", parts[2048] = "", list[2048] = "";
	size_t i, n;

	(void)state;
	assert_int_equal(customs_fsindex_new(&idx), 0);
	put(idx, "b/y", CUSTOMS_FT_REG, NULL, 0);
	put(idx, "a", CUSTOMS_FT_REG, NULL, 0);
	put(idx, "c", CUSTOMS_FT_DIR, NULL, 0);
	put(idx, "c/z", CUSTOMS_FT_REG, NULL, 0);
	put(idx, "b-x", CUSTOMS_FT_REG, NULL, 0);
	put(idx, "d", CUSTOMS_FT_REG, NULL, 0);
	customs_fsindex_whiteout(idx, "d");
	assert_int_equal(customs_fsindex_finish(idx), 0);
	n = customs_fsindex_count(idx);
	assert_int_equal(n, 5);
	customs_fsindex_foreach(idx, collect, all);
	assert_string_equal(all, "a;b-x;b/y;c;c/z;");
	for (i = 0; i < n; i += 2)
		assert_int_equal(customs_fsindex_foreach_range(idx, i, 2,
							       collect, parts),
				 0);
	assert_string_equal(parts, all);
	customs_fsindex_foreach_range(idx, 3, 100, collect, list);
	customs_fsindex_foreach_range(idx, 4, SIZE_MAX, collect, list);
	customs_fsindex_foreach_range(idx, 5, 1, collect, list);
	customs_fsindex_foreach_range(idx, SIZE_MAX, 1, collect, list);
	customs_fsindex_foreach_range(idx, 0, 0, collect, list);
	assert_string_equal(list, "c;c/z;c/z;");
	assert_int_equal(customs_fsindex_foreach_range(idx, 1, 3, stop_at,
						       (void *)"b/y"),
			 7);
	assert_int_equal(customs_fsindex_foreach_range(idx, 3, 2, stop_at,
						       (void *)"b/y"),
			 0);
	customs_fsindex_free(idx);
}

static void test_fsindex_whiteout_removes_subtree(void **state)
{
	struct customs_fsindex *idx;
	char list[2048] = "";

	(void)state;
	assert_int_equal(customs_fsindex_new(&idx), 0);
	put(idx, "etc", CUSTOMS_FT_DIR, NULL, 0);
	put(idx, "etc/a", CUSTOMS_FT_REG, NULL, 0);
	put(idx, "opt", CUSTOMS_FT_DIR, NULL, 0);
	put(idx, "opt/x", CUSTOMS_FT_DIR, NULL, 0);
	put(idx, "opt/x/y", CUSTOMS_FT_REG, NULL, 0);
	customs_fsindex_whiteout(idx, "opt/x");
	customs_fsindex_whiteout(idx, "etc/a");
	assert_int_equal(customs_fsindex_finish(idx), 0);
	customs_fsindex_foreach(idx, collect, list);
	assert_string_equal(list, "etc;opt;");
	assert_null(get(idx, "opt/x/y"));
	customs_fsindex_free(idx);
}

static void test_fsindex_opaque_keeps_dir_and_new_children(void **state)
{
	struct customs_fsindex *idx;
	char list[2048] = "";

	(void)state;
	assert_int_equal(customs_fsindex_new(&idx), 0);
	put(idx, "d", CUSTOMS_FT_DIR, NULL, 0);
	put(idx, "d/old", CUSTOMS_FT_REG, NULL, 0);
	put(idx, "d/sub", CUSTOMS_FT_DIR, NULL, 0);
	put(idx, "d/sub/deep", CUSTOMS_FT_REG, NULL, 0);
	/* layer 1: opaque marker first, then its own entries */
	customs_fsindex_opaque(idx, "d");
	put(idx, "d", CUSTOMS_FT_DIR, NULL, 1);
	put(idx, "d/new", CUSTOMS_FT_REG, NULL, 1);
	assert_int_equal(customs_fsindex_finish(idx), 0);
	customs_fsindex_foreach(idx, collect, list);
	assert_string_equal(list, "d;d/new;");
	assert_int_equal(get(idx, "d")->layer, 1);
	customs_fsindex_free(idx);
}

static void test_fsindex_file_replaces_dir(void **state)
{
	struct customs_fsindex *idx;
	char list[2048] = "";

	(void)state;
	assert_int_equal(customs_fsindex_new(&idx), 0);
	put(idx, "x", CUSTOMS_FT_DIR, NULL, 0);
	put(idx, "x/child", CUSTOMS_FT_REG, NULL, 0);
	put(idx, "x", CUSTOMS_FT_REG, NULL, 1);
	assert_int_equal(customs_fsindex_finish(idx), 0);
	customs_fsindex_foreach(idx, collect, list);
	assert_string_equal(list, "x;");
	assert_int_equal(get(idx, "x")->type, CUSTOMS_FT_REG);
	customs_fsindex_free(idx);
}

static void test_fsindex_whiteout_then_readd(void **state)
{
	struct customs_fsindex *idx;

	(void)state;
	assert_int_equal(customs_fsindex_new(&idx), 0);
	put(idx, "a", CUSTOMS_FT_DIR, NULL, 0);
	put(idx, "a/f", CUSTOMS_FT_REG, NULL, 0);
	customs_fsindex_whiteout(idx, "a");
	put(idx, "a/g", CUSTOMS_FT_REG, NULL, 2); /* implicit parent */
	assert_int_equal(customs_fsindex_finish(idx), 0);
	assert_null(get(idx, "a/f"));
	assert_non_null(get(idx, "a/g"));
	assert_null(get(idx, "a")); /* implicit dirs are not listed */
	assert_int_equal(customs_fsindex_count(idx), 1);
	customs_fsindex_free(idx);
}

/* Consecutive entries of one directory find it without a lookup; a
 * directory turned into a file or a symlink in between must not be
 * taken for the directory it was. */
static void test_fsindex_parent_cache_sees_changes(void **state)
{
	struct customs_fsindex *idx;
	char list[2048] = "";

	(void)state;
	assert_int_equal(customs_fsindex_new(&idx), 0);
	put(idx, "y", CUSTOMS_FT_DIR, NULL, 0);
	put(idx, "x", CUSTOMS_FT_DIR, NULL, 0);
	put(idx, "x/a", CUSTOMS_FT_REG, NULL, 0);
	put(idx, "x", CUSTOMS_FT_SYMLINK, "y", 1);
	put(idx, "x/b", CUSTOMS_FT_REG, NULL, 1); /* lands in y */
	put(idx, "f", CUSTOMS_FT_DIR, NULL, 1);
	put(idx, "f/c", CUSTOMS_FT_REG, NULL, 1);
	put(idx, "f", CUSTOMS_FT_REG, NULL, 2);
	put(idx, "f/d", CUSTOMS_FT_REG, NULL, 2); /* implicit dir again */
	assert_int_equal(customs_fsindex_finish(idx), 0);
	customs_fsindex_foreach(idx, collect, list);
	assert_string_equal(list, "f/d;x;y;y/b;");
	assert_null(get(idx, "x/a"));
	assert_null(get(idx, "f/c"));
	assert_int_equal(get(idx, "y/b")->layer, 1);
	customs_fsindex_free(idx);
}

static void test_fsindex_hardlink_takes_target_content(void **state)
{
	struct customs_fsindex *idx;
	const struct customs_file *f;

	(void)state;
	assert_int_equal(customs_fsindex_new(&idx), 0);
	put(idx, "bin", CUSTOMS_FT_DIR, NULL, 0);
	put(idx, "bin/target", CUSTOMS_FT_REG, NULL, 3);
	put(idx, "bin/link", CUSTOMS_FT_HARDLINK, "bin/target", 3);
	assert_int_equal(customs_fsindex_finish(idx), 0);
	f = get(idx, "bin/link");
	assert_non_null(f);
	assert_true(f->has_sha256);
	assert_int_equal(f->sha256[0], 3);
	assert_int_equal(f->size, strlen("bin/target"));
	customs_fsindex_free(idx);
}

static void test_fsindex_resolve_stays_in_root(void **state)
{
	struct customs_fsindex *idx;
	const struct customs_file *f;

	(void)state;
	assert_int_equal(customs_fsindex_new(&idx), 0);
	put(idx, "etc", CUSTOMS_FT_DIR, NULL, 0);
	put(idx, "usr", CUSTOMS_FT_DIR, NULL, 0);
	put(idx, "usr/lib", CUSTOMS_FT_DIR, NULL, 0);
	put(idx, "usr/lib/os-release", CUSTOMS_FT_REG, NULL, 0);
	put(idx, "etc/os-release", CUSTOMS_FT_SYMLINK, "../usr/lib/os-release",
	    0);
	put(idx, "etc/abs", CUSTOMS_FT_SYMLINK, "/usr/lib/os-release", 0);
	put(idx, "etc/up", CUSTOMS_FT_SYMLINK, "../../../../usr/lib/os-release",
	    0);
	put(idx, "lib", CUSTOMS_FT_SYMLINK, "usr/lib", 0);
	put(idx, "etc/loop1", CUSTOMS_FT_SYMLINK, "loop2", 0);
	put(idx, "etc/loop2", CUSTOMS_FT_SYMLINK, "loop1", 0);
	assert_int_equal(customs_fsindex_finish(idx), 0);
	assert_int_equal(customs_fsindex_resolve(&f, idx, "etc/os-release"), 0);
	assert_string_equal(f->path, "usr/lib/os-release");
	assert_int_equal(customs_fsindex_resolve(&f, idx, "/etc/abs"), 0);
	assert_string_equal(f->path, "usr/lib/os-release");
	assert_int_equal(customs_fsindex_resolve(&f, idx, "etc/up"), 0);
	assert_string_equal(f->path, "usr/lib/os-release");
	assert_int_equal(customs_fsindex_resolve(&f, idx, "lib/os-release"), 0);
	assert_string_equal(f->path, "usr/lib/os-release");
	assert_int_equal(customs_fsindex_resolve(&f, idx, "etc/loop1"),
			 CUSTOMS_ELOOP);
	assert_int_equal(customs_fsindex_resolve(&f, idx, "etc/missing"),
			 CUSTOMS_ENOTFOUND);
	assert_int_equal(customs_fsindex_resolve(&f, idx, "etc/os-release/x"),
			 CUSTOMS_ENOTFOUND);
	assert_true(customs_fsindex_link_escapes(get(idx, "etc/up")));
	assert_false(customs_fsindex_link_escapes(get(idx, "etc/os-release")));
	assert_false(customs_fsindex_link_escapes(get(idx, "etc/abs")));
	customs_fsindex_free(idx);
}

static void test_fsindex_write_through_symlinked_dir(void **state)
{
	struct customs_fsindex *idx;

	(void)state;
	assert_int_equal(customs_fsindex_new(&idx), 0);
	put(idx, "usr", CUSTOMS_FT_DIR, NULL, 0);
	put(idx, "usr/lib", CUSTOMS_FT_DIR, NULL, 0);
	put(idx, "lib", CUSTOMS_FT_SYMLINK, "usr/lib", 0);
	put(idx, "lib/x/libfoo.so", CUSTOMS_FT_REG, NULL, 1);
	assert_int_equal(customs_fsindex_finish(idx), 0);
	assert_non_null(get(idx, "usr/lib/x/libfoo.so"));
	assert_int_equal(get(idx, "lib")->type, CUSTOMS_FT_SYMLINK);
	customs_fsindex_free(idx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fsindex_whiteout_removes_subtree),
		cmocka_unit_test(
			test_fsindex_opaque_keeps_dir_and_new_children),
		cmocka_unit_test(test_fsindex_file_replaces_dir),
		cmocka_unit_test(test_fsindex_whiteout_then_readd),
		cmocka_unit_test(test_fsindex_parent_cache_sees_changes),
		cmocka_unit_test(test_fsindex_hardlink_takes_target_content),
		cmocka_unit_test(test_fsindex_resolve_stays_in_root),
		cmocka_unit_test(test_fsindex_write_through_symlinked_dir),
		cmocka_unit_test(test_fsindex_large_listing_sorted),
		cmocka_unit_test(test_fsindex_foreach_range_same_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
