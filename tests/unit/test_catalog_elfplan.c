/*
 * The plan of the build-info catalogers (elfplan.c) and the ELF reader
 * on planned ranges: which bytes of a large executable are kept, that
 * the Go and cargo-auditable catalogers find in the kept ranges exactly
 * what they find in the whole file (hand-made ELF files, and this
 * machine's Go toolchain binaries when installed), and that a byte
 * outside the ranges reads as absent.
 */
#include <glob.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "catalog/bincat.h"
#include "catalog/catalog_priv.h"
#include "catalog/elf.h"

#define SIZE 0x100000u
#define RO 4u
#define RX 5u
#define RW 6u

struct seg {
	uint32_t flags;
	uint64_t off;
	uint64_t len;
};

static void put64(unsigned char *b, size_t off, uint64_t v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		b[off + i] = (unsigned char)(v >> (8 * i));
}

/* A little-endian ELF64 of SIZE bytes with these PT_LOAD segments at
 * phoff, no section table, code bytes 0xcc. */
static unsigned char *mk(const struct seg *s, size_t n, uint64_t phoff)
{
	unsigned char *b = calloc(1, SIZE);
	size_t i;

	assert_non_null(b);
	memcpy(b, "\177ELF\2\1\1", 7);
	put64(b, 16, 2, 2);
	put64(b, 18, 62, 2);
	put64(b, 32, phoff, 8);
	put64(b, 54, 56, 2);
	put64(b, 56, n, 2);
	for (i = 0; i < n; i++) {
		size_t p = (size_t)phoff + i * 56;

		put64(b, p, 1, 4);
		put64(b, p + 4, s[i].flags, 4);
		put64(b, p + 8, s[i].off, 8);
		put64(b, p + 16, 0x400000 + s[i].off, 8);
		put64(b, p + 32, s[i].len, 8);
		put64(b, p + 40, s[i].len, 8);
		if (s[i].flags == RX && s[i].off > 0x1000)
			memset(b + s[i].off, 0xcc, s[i].len);
	}
	return b;
}

static void plan_of(const unsigned char *b, size_t size, unsigned what,
		    struct customs_plan *plan)
{
	struct customs_file f = { 0 };
	struct cat_input head = {
		"usr/bin/x", 0, b, CUSTOMS_PLAN_HEAD, false, &f, false, NULL, 0
	};

	f.path = "usr/bin/x";
	f.size = size;
	memset(plan, 0, sizeof(*plan));
	assert_int_equal(bincat_elf_plan(&head, what, plan), 0);
}

/* The planned ranges of b, back to back, as the dispatcher keeps them. */
static unsigned char *gather(const unsigned char *b,
			     const struct customs_plan *plan, size_t *len)
{
	unsigned char *out;
	size_t i, at = 0;

	for (i = 0, *len = 0; i < plan->n; i++)
		*len += (size_t)plan->r[i].len;
	out = malloc(*len ? *len : 1);
	assert_non_null(out);
	for (i = 0; i < plan->n; i++) {
		memcpy(out + at, b + plan->r[i].off, (size_t)plan->r[i].len);
		at += (size_t)plan->r[i].len;
	}
	return out;
}

static void test_catalog_elfplan_skips_code_segments(void **state)
{
	static const struct seg s[] = { { RO, 0, 0x1000 },
					{ RX, 0x1000, 0x7f000 },
					{ RO, 0x80000, 0x10000 },
					{ RW, 0x90000, 0x1000 } };
	unsigned char *b = mk(s, 4, 64);
	struct customs_plan p;

	(void)state;
	plan_of(b, SIZE, BINCAT_PLAN_DATA, &p);
	assert_false(p.whole);
	assert_int_equal(p.n, 2);
	/* the head, then everything after the code */
	assert_int_equal(p.r[0].off, 0);
	assert_int_equal(p.r[0].len, CUSTOMS_PLAN_HEAD);
	assert_int_equal(p.r[1].off, 0x80000);
	assert_int_equal(p.r[1].len, SIZE - 0x80000);
	free(b);
}

static void test_catalog_elfplan_cargo_keeps_unloaded(void **state)
{
	static const struct seg s[] = { { RO, 0, 0x1000 },
					{ RX, 0x1000, 0x7f000 },
					{ RO, 0x80000, 0x10000 },
					{ RW, 0x90000, 0x1000 } };
	unsigned char *b = mk(s, 4, 64);
	struct customs_plan p;

	(void)state;
	/* .dep-v0 is never loaded: the head and what follows the last
	 * segment (section contents, the section table) */
	plan_of(b, SIZE, BINCAT_PLAN_CARGO, &p);
	assert_false(p.whole);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.r[0].len, CUSTOMS_PLAN_HEAD);
	assert_int_equal(p.r[1].off, 0x91000);
	assert_int_equal(p.r[1].len, SIZE - 0x91000);
	free(b);
}

static void test_catalog_elfplan_whole_or_nothing(void **state)
{
	static const struct seg norodata[] = { { RX, 0, 0x80000 },
					       { RW, 0x80000, 0x1000 } };
	static const struct seg split[] = { { RO, 0, 0x1000 },
					    { RX, 0x1000, 0x7f000 },
					    { RO, 0x80000, 0x1000 } };
	unsigned char *b;
	struct customs_plan p;

	(void)state;
	/* .rodata shares the code segment: keep everything */
	b = mk(norodata, 2, 64);
	plan_of(b, SIZE, BINCAT_PLAN_DATA, &p);
	assert_true(p.whole);
	free(b);
	/* program headers past the head: they cannot be read in time */
	b = mk(split, 3, 0x20000);
	plan_of(b, SIZE, BINCAT_PLAN_DATA, &p);
	assert_true(p.whole);
	/* not ELF: nothing more */
	memcpy(b, "#!/bin/sh\n", 10);
	plan_of(b, SIZE, BINCAT_PLAN_DATA, &p);
	assert_false(p.whole);
	assert_int_equal(p.n, 0);
	free(b);
}

/* Go 1.18 inline build info at off (16-byte aligned). */
static void put_buildinfo(unsigned char *b, size_t off)
{
	static const char text[] = "path\texample.com/x\n"
				   "mod\texample.com/x\tv1.2.3\th1:x=\n"
				   "dep\texample.com/y\tv0.1.0\th1:y=\n";
	size_t n = sizeof(text) - 1 + 32, o = off + 32;

	memcpy(b + off, "\xff Go buildinf:\x08\x02", 16);
	b[o++] = 8;
	memcpy(b + o, "go1.21.5", 8);
	o += 8;
	b[o++] = (unsigned char)(0x80 | (n & 0x7f));
	b[o++] = (unsigned char)(n >> 7);
	memset(b + o, 'F', 16);
	memcpy(b + o + 16, text, sizeof(text) - 1);
	memset(b + o + 16 + sizeof(text) - 1, 'F', 16);
}

/* "name@version" of every package parse() finds, sorted by the parse. */
static void parse_list(const struct cataloger *c, const unsigned char *b,
		       size_t len, const struct customs_plan *plan, char *out,
		       size_t cap)
{
	struct cat_input in = { "usr/bin/x", 0,	    b,	  len, false,
				NULL,	     false, NULL, 0 };
	struct cat_result r;
	size_t i;

	if (plan) {
		in.ranges = plan->r;
		in.n_ranges = plan->n;
	}
	memset(&r, 0, sizeof(r));
	assert_int_equal(c->parse(&in, &r), 0);
	out[0] = '\0';
	for (i = 0; i < r.pkgs.n; i++) {
		size_t at = strlen(out);

		snprintf(out + at, cap - at, "%s@%s ", r.pkgs.v[i]->name,
			 r.pkgs.v[i]->version ? r.pkgs.v[i]->version : "");
	}
	customs_pkglist_release(&r.pkgs);
	customs_strlist_release(&r.warnings);
}

static void test_catalog_elfplan_go_found_in_ranges(void **state)
{
	static const struct seg s[] = { { RO, 0, 0x1000 },
					{ RX, 0x1000, 0x7f000 },
					{ RO, 0x80000, 0x10000 },
					{ RW, 0x90000, 0x1000 } };
	unsigned char *b = mk(s, 4, 64), *kept;
	struct customs_plan p, hole;
	char whole[512], part[512];
	size_t len;

	(void)state;
	put_buildinfo(b, 0x90000);
	/* no Go note: the writable segment and what is in no segment */
	plan_of(b, SIZE, BINCAT_PLAN_GO, &p);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.r[1].off, 0x90000);
	assert_int_equal(p.r[1].len, SIZE - 0x90000);
	kept = gather(b, &p, &len);
	parse_list(&cat_go_module_binary, b, SIZE, NULL, whole, sizeof(whole));
	parse_list(&cat_go_module_binary, kept, len, &p, part, sizeof(part));
	assert_string_equal(whole, "example.com/x@v1.2.3 example.com/y@v0.1.0 "
				   "stdlib@go1.21.5 ");
	assert_string_equal(part, whole);
	free(kept);
	/* a hole over the data segment: the build info is not there, and
	 * nothing is read from the bytes that were not kept */
	hole = p;
	hole.r[1].off = 0x91000;
	hole.r[1].len = SIZE - 0x91000;
	kept = gather(b, &hole, &len);
	parse_list(&cat_go_module_binary, kept, len, &hole, part, sizeof(part));
	assert_string_equal(part, "");
	free(kept);
	free(b);
}

static unsigned char *slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	unsigned char *b;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	b = malloc((size_t)n);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*size = (size_t)n;
	return b;
}

/*
 * c finds the same packages in the whole file at path and in what its
 * plan keeps; returns the packages, and in *kept how much was kept.
 */
static void same_both_ways(const char *path, const struct cataloger *c,
			   unsigned what, char *whole, size_t cap, size_t *kept)
{
	unsigned char *b, *part;
	struct customs_plan p;
	char *got = malloc(cap);
	size_t size;

	assert_non_null(got);
	b = slurp(path, &size);
	plan_of(b, size, what, &p);
	assert_false(p.whole);
	part = gather(b, &p, kept);
	parse_list(c, b, size, NULL, whole, cap);
	parse_list(c, part, *kept, &p, got, cap);
	assert_string_equal(got, whole);
	free(got);
	free(part);
	free(b);
}

static void test_catalog_elfplan_real_binaries(void **state)
{
	static char pk[16384];
	glob_t g;
	size_t i, kept, n = 0;

	(void)state;
	if (!glob("/usr/lib/go-*/pkg/tool/*/compile", 0, NULL, &g)) {
		for (i = 0; i < g.gl_pathc; i++, n++) {
			same_both_ways(g.gl_pathv[i], &cat_go_module_binary,
				       BINCAT_PLAN_GO, pk, sizeof(pk), &kept);
			assert_non_null(strstr(pk, "stdlib@go"));
			same_both_ways(
				g.gl_pathv[i], &cat_cargo_auditable_binary,
				BINCAT_PLAN_CARGO, pk, sizeof(pk), &kept);
			assert_true(kept < (1u << 20));
		}
	}
	globfree(&g);
	/* a C++ compiler: neither Go nor Rust, and under 1 MiB is kept */
	if (!glob("/usr/lib/gcc/*/*/cc1plus", 0, NULL, &g)) {
		for (i = 0; i < g.gl_pathc; i++, n++) {
			same_both_ways(g.gl_pathv[i], &cat_go_module_binary,
				       BINCAT_PLAN_GO, pk, sizeof(pk), &kept);
			assert_string_equal(pk, "");
			assert_true(kept < (1u << 20));
		}
	}
	globfree(&g);
	if (!n)
		skip(); /* neither golang-go nor g++ installed */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalog_elfplan_skips_code_segments),
		cmocka_unit_test(test_catalog_elfplan_cargo_keeps_unloaded),
		cmocka_unit_test(test_catalog_elfplan_whole_or_nothing),
		cmocka_unit_test(test_catalog_elfplan_go_found_in_ranges),
		cmocka_unit_test(test_catalog_elfplan_real_binaries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
