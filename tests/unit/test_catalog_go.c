/*
 * go-module-binary-cataloger and the ELF reader under it: a real Go
 * binary from a Debian package, binaries built here with the Go
 * toolchain (when installed; native, 32-bit and big-endian targets),
 * hand-made ELF files for the pre-1.18 pointer format and stripped
 * section tables, the modinfo text format, the (devel) main-module
 * versions, and hostile ELF headers.
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

#include "customs/catalog.h"
#include "catalog/bincat.h"
#include "catalog/catalog_priv.h"
#include "catalog/elf.h"
#include "catalog/gobuildinfo.h"

#define SH(...)                                            \
	do {                                               \
		char cmd_[4096];                           \
		snprintf(cmd_, sizeof(cmd_), __VA_ARGS__); \
		assert_int_equal(system(cmd_), 0);         \
	} while (0)

static char *cache_dir(void)
{
	static char dir[512];
	const char *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");

	if (x && *x)
		snprintf(dir, sizeof(dir), "%s/customs-tests", x);
	else
		snprintf(dir, sizeof(dir), "%s/.cache/customs-tests",
			 h && *h ? h : "/tmp");
	return dir;
}

static void mktmp(char *dir, size_t cap)
{
	const char *t = getenv("CUSTOMS_TEST_TMP");

	if (t && *t) {
		mkdir(t, 0755);
		snprintf(dir, cap, "%s/customs-go-XXXXXX", t);
	} else {
		snprintf(dir, cap, "/tmp/customs-go-XXXXXX");
	}
	assert_non_null(mkdtemp(dir));
}

/* Run the Go cataloger over dir: as `customs sbom --select go...`. */
static struct customs_sbom *scan_dir(const char *dir)
{
	struct customs_catalog_opts co = CUSTOMS_CATALOG_OPTS_INIT;
	struct customs_scan_opts so = CUSTOMS_SCAN_OPTS_INIT;
	struct customs_image_opts io = CUSTOMS_IMAGE_OPTS_INIT;
	struct customs_catalog *cat = NULL;
	struct customs_image *img = NULL;
	struct customs_analysis *an = NULL;
	struct customs_sbom *sbom = NULL;
	struct customs_ctx *ctx = NULL;
	char target[600];

	co.select = "go-module-binary-cataloger";
	snprintf(target, sizeof(target), "dir:%s", dir);
	assert_int_equal(customs_ctx_new(&ctx), 0);
	assert_int_equal(customs_catalog_new(&cat, &co, ctx), 0);
	so.analyzers = customs_catalog_analyzers(cat, &so.n_analyzers);
	assert_int_equal(customs_image_open(&img, ctx, target, &io), 0);
	assert_int_equal(customs_image_scan(&an, img, ctx, &so), 0);
	assert_int_equal(customs_catalog_finish(&sbom, cat, img, an, ctx), 0);
	customs_analysis_free(an);
	customs_image_free(img);
	customs_catalog_free(cat);
	customs_ctx_free(ctx);
	return sbom;
}

static const struct customs_pkg *find(const struct customs_sbom *s,
				      const char *name, const char *path)
{
	size_t i;

	for (i = 0; i < s->pkgs.n; i++) {
		const struct customs_pkg *p = s->pkgs.v[i];

		if (!strcmp(p->name, name) &&
		    (!path || !strcmp(p->locations[0].path, path)))
			return p;
	}
	return NULL;
}

static unsigned char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	unsigned char *b;
	long len;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	b = malloc((size_t)len + 1);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	*n = (size_t)len;
	return b;
}

/* parse() on a buffer, as the catalog would call it. */
static void parse_buf(struct cat_result *res, const unsigned char *b, size_t n,
		      bool truncated)
{
	struct cat_input in = { "usr/bin/x", 0,	    b,	  n, truncated,
				NULL,	     false, NULL, 0 };

	memset(res, 0, sizeof(*res));
	assert_int_equal(cat_go_module_binary.parse(&in, res), 0);
}

static void release(struct cat_result *res)
{
	customs_pkglist_release(&res->pkgs);
	customs_strlist_release(&res->warnings);
}

static const struct customs_pkg *res_find(const struct cat_result *r,
					  const char *name)
{
	size_t i;

	for (i = 0; i < r->pkgs.n; i++) {
		if (!strcmp(r->pkgs.v[i]->name, name))
			return r->pkgs.v[i];
	}
	return NULL;
}

/* The age .deb from bookworm, downloaded once into the test cache. */
static bool age_deb(char *deb, size_t cap)
{
	snprintf(deb, cap, "%s/age_1.1.1-1+b3_amd64.deb", cache_dir());
	if (access(deb, R_OK)) {
		char cmd[1024];

		snprintf(cmd, sizeof(cmd),
			 "mkdir -p '%s' && cd '%s' && apt-get download "
			 "age=1.1.1-1+b3 >/dev/null 2>&1",
			 cache_dir(), cache_dir());
		if (system(cmd) || access(deb, R_OK))
			return false;
	}
	return true;
}

static void test_go_debian_binary_gopath_mode(void **state)
{
	char dir[512], deb[600], path[700];
	struct customs_sbom *s;
	const struct customs_pkg *p;
	struct cat_result res;
	unsigned char *b;
	size_t n;

	(void)state;
	if (!age_deb(deb, sizeof(deb)))
		skip(); /* no cache and no archive: nothing to read */
	mktmp(dir, sizeof(dir));
	SH("dpkg-deb -x '%s' '%s'", deb, dir);
	s = scan_dir(dir);
	/* `go version -m`: "go1.19.8", "path filippo.io/age/cmd/age", no
	 * mod line (Debian builds in GOPATH mode): Syft reports the path
	 * as the main module at (devel) */
	p = find(s, "filippo.io/age/cmd/age", "usr/bin/age");
	assert_non_null(p);
	assert_string_equal(p->version, "(devel)");
	assert_string_equal(p->found_by, "go-module-binary-cataloger");
	assert_string_equal(customs_pkg_meta_get(p, "main_module"), "true");
	assert_string_equal(customs_pkg_meta_get(p, "go_version"), "go1.19.8");
	assert_string_equal(customs_pkg_meta_get(p, "architecture"), "amd64");
	assert_string_equal(customs_pkg_meta_get(p, "build_goos"), "linux");
	assert_string_equal(customs_pkg_meta_get(p, "build_trimpath"), "true");
	assert_non_null(find(s, "filippo.io/age/cmd/age-keygen", NULL));
	p = find(s, "stdlib", "usr/bin/age");
	assert_non_null(p);
	assert_string_equal(p->version, "go1.19.8");
	assert_string_equal(p->licenses.v[0], "BSD-3-Clause");
	assert_int_equal(s->pkgs.n, 4);
	assert_int_equal(s->warnings.n, 0);
	customs_sbom_free(s);

	/* the same binary without its section table (strip -s style
	 * loss): the build info is found through the data segment */
	snprintf(path, sizeof(path), "%s/usr/bin/age", dir);
	b = slurp(path, &n);
	memset(b + 40, 0, 8); /* e_shoff */
	memset(b + 60, 0, 4); /* e_shnum, e_shstrndx */
	parse_buf(&res, b, n, false);
	p = res_find(&res, "stdlib");
	assert_non_null(p);
	assert_string_equal(p->version, "go1.19.8");
	release(&res);
	/* cut before the data segment: a Go binary, so it says so */
	parse_buf(&res, b, 8192, true);
	assert_int_equal(res.pkgs.n, 0);
	assert_int_equal(res.warnings.n, 1);
	assert_non_null(strstr(res.warnings.v[0], "Go binary larger than"));
	release(&res);
	free(b);
	SH("rm -rf '%s'", dir);
}

static bool have_go(void)
{
	return !system("go version >/dev/null 2>&1") &&
	       !system("git --version >/dev/null 2>&1");
}

/* A module with a local dependency replaced by a directory, in git. */
static void write_module(const char *dir)
{
	SH("mkdir -p '%s/src/dep' && cd '%s/src' && "
	   "printf 'module example.com/hello\\n\\ngo 1.18\\n\\nrequire "
	   "example.com/dep v1.2.3\\n\\nreplace example.com/dep => "
	   "./dep\\n' > go.mod && "
	   "printf 'module example.com/dep\\n\\ngo 1.18\\n' > dep/go.mod && "
	   "printf 'package dep\\n\\nfunc Hi() string { return \"hi\" }\\n' "
	   "> dep/dep.go && "
	   "printf 'package main\\n\\nimport (\\n\\t\"fmt\"\\n\\t\"example.com/"
	   "dep\"\\n)\\n\\nvar version = \"dev\"\\n\\nfunc main() { "
	   "fmt.Println(dep.Hi(), version) }\\n' > main.go && "
	   "git init -q . && git add -A && "
	   "GIT_AUTHOR_DATE='2023-09-05T12:34:56+02:00' "
	   "GIT_COMMITTER_DATE='2023-09-05T12:34:56+02:00' "
	   "git -c user.name=t -c user.email=t@example.com commit -qm x",
	   dir, dir);
}

static void go_build(const char *dir, const char *out, const char *env,
		     const char *flags)
{
	SH("cd '%s/src' && GOCACHE='%s/go-build' GOPATH='%s/gopath' "
	   "GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local %s go build %s "
	   "-o '%s/root/%s' . >/dev/null 2>&1",
	   dir, cache_dir(), dir, env, flags, dir, out);
}

static void test_go_built_binaries_match_go_version_m(void **state)
{
	char dir[512], rev[64] = "", cmd[700], pseudo[80];
	const struct customs_pkg *p;
	struct customs_sbom *s;
	static const char *const bins[] = { "usr/bin/native", "usr/bin/x386",
					    "usr/bin/s390x" };
	size_t i;
	FILE *f;

	(void)state;
	if (!have_go())
		skip(); /* golang-go and git are needed to build */
	mktmp(dir, sizeof(dir));
	write_module(dir);
	SH("mkdir -p '%s/root/usr/bin'", dir);
	go_build(dir, "usr/bin/native", "", "");
	go_build(dir, "usr/bin/x386", "GOARCH=386", "");
	go_build(dir, "usr/bin/s390x", "GOARCH=s390x", "");
	go_build(dir, "usr/bin/tagged", "", "-ldflags='-X main.version=2.3.4'");
	snprintf(cmd, sizeof(cmd), "cd '%s/src' && git rev-parse HEAD", dir);
	f = popen(cmd, "r");
	assert_non_null(f);
	assert_non_null(fgets(rev, sizeof(rev), f));
	pclose(f);
	snprintf(pseudo, sizeof(pseudo), "v0.0.0-20230905103456-%.12s", rev);
	snprintf(cmd, sizeof(cmd), "%s/root", dir);
	s = scan_dir(cmd);
	for (i = 0; i < 3; i++) {
		/* main module (devel) -> pseudo-version from vcs.time
		 * (folded to UTC) and vcs.revision */
		p = find(s, "example.com/hello", bins[i]);
		assert_non_null(p);
		assert_string_equal(p->version, pseudo);
		assert_string_equal(customs_pkg_meta_get(p, "build_vcs"),
				    "git");
		/* the dep line is replaced by a directory: what was built
		 * is ./dep at (devel), the original is kept */
		p = find(s, "./dep", bins[i]);
		assert_non_null(p);
		assert_string_equal(p->version, "(devel)");
		assert_string_equal(customs_pkg_meta_get(p, "original_path"),
				    "example.com/dep");
		assert_string_equal(customs_pkg_meta_get(p, "original_version"),
				    "v1.2.3");
		assert_non_null(find(s, "stdlib", bins[i]));
	}
	assert_string_equal(customs_pkg_meta_get(find(s, "stdlib", bins[2]),
						 "architecture"),
			    "s390x");
	assert_string_equal(customs_pkg_meta_get(find(s, "stdlib", bins[1]),
						 "architecture"),
			    "386");
	p = find(s, "example.com/hello", "usr/bin/tagged");
	assert_non_null(p);
	assert_string_equal(p->version, "v2.3.4");
	assert_string_equal(customs_pkg_meta_get(p, "build_ldflags"),
			    "-X main.version=2.3.4");
	assert_int_equal(s->pkgs.n, 12);
	customs_sbom_free(s);
	SH("chmod -R u+w '%s'; rm -rf '%s'", dir, dir);
}

/* Hand-made ELF files. */
static void put(unsigned char *b, size_t off, uint64_t v, size_t n, bool be)
{
	size_t i;

	for (i = 0; i < n; i++)
		b[off + (be ? n - 1 - i : i)] = (unsigned char)(v >> (8 * i));
}

#define VADDR 0x400000u
#define MODTEXT                                                          \
	"path\texample.com/old\nmod\texample.com/old\tv1.0.0\th1:aaa=\n" \
	"dep\tgolang.org/x/text\tv0.3.0\th1:bbb=\n"                      \
	"dep\tgithub.com/a/b\tv1.1.0\th1:ccc=\n"                         \
	"=>\tgithub.com/fork/b\tv1.1.1\th1:ddd=\n"

/*
 * An ELF with one writable PT_LOAD covering the file and no sections;
 * the build info at 0x100 in the old pointer format (inline=false) or
 * the Go 1.18 one.
 */
static size_t mk_elf(unsigned char *b, bool is64, bool be, bool inline_fmt)
{
	static const char frame_a[] = "0w\xaf\x0c\x92t\x08\x02A\xe1\xc1\x07"
				      "\xe6\xd6\x18\xe6";
	static const char frame_b[] = "\xf9"
				      "2C1\x86\x18 r\x00\x82"
				      "B\x10"
				      "A\x16\xd8\xf2";
	const char *vers = "go1.16.15";
	char mod[512];
	size_t ptr = is64 ? 8 : 4, mlen, total = 0x800, o;

	memset(b, 0, total);
	mlen = (size_t)snprintf(mod, sizeof(mod), "%.16s%s", frame_a, MODTEXT);
	memcpy(mod + mlen, frame_b, 16);
	mlen += 16;
	memcpy(b, "\177ELF", 4);
	b[4] = is64 ? 2 : 1;
	b[5] = be ? 2 : 1;
	b[6] = 1;
	put(b, 16, 2, 2, be);
	put(b, 18, is64 ? 62 : 8, 2, be);
	o = is64 ? 64 : 52;
	put(b, is64 ? 32 : 28, o, ptr, be); /* e_phoff */
	put(b, is64 ? 54 : 42, is64 ? 56 : 32, 2, be);
	put(b, is64 ? 56 : 44, 1, 2, be);
	/* PT_LOAD, RW, offset 0, vaddr VADDR, filesz total */
	put(b, o, 1, 4, be);
	if (is64) {
		put(b, o + 4, 6, 4, be);
		put(b, o + 16, VADDR, 8, be);
		put(b, o + 32, total, 8, be);
	} else {
		put(b, o + 8, VADDR, 4, be);
		put(b, o + 16, total, 4, be);
		put(b, o + 24, 6, 4, be);
	}
	memcpy(b + 0x100, "\xff Go buildinf:", 14);
	b[0x10e] = (unsigned char)ptr;
	if (inline_fmt) {
		b[0x10f] = 2;
		b[0x120] = (unsigned char)strlen(vers);
		memcpy(b + 0x121, vers, strlen(vers));
		o = 0x121 + strlen(vers);
		b[o] = (unsigned char)(0x80 | (mlen & 0x7f));
		b[o + 1] = (unsigned char)(mlen >> 7);
		memcpy(b + o + 2, mod, mlen);
		return total;
	}
	b[0x10f] = be ? 1 : 0;
	put(b, 0x110, VADDR + 0x140, ptr, be);
	put(b, 0x110 + ptr, VADDR + 0x160, ptr, be);
	put(b, 0x140, VADDR + 0x200, ptr, be);
	put(b, 0x140 + ptr, strlen(vers), ptr, be);
	put(b, 0x160, VADDR + 0x300, ptr, be);
	put(b, 0x160 + ptr, mlen, ptr, be);
	memcpy(b + 0x200, vers, strlen(vers));
	memcpy(b + 0x300, mod, mlen);
	return total;
}

static void check_old(const struct cat_result *r, const char *arch)
{
	const struct customs_pkg *p = res_find(r, "example.com/old");

	assert_int_equal(r->pkgs.n, 4);
	assert_non_null(p);
	assert_string_equal(p->version, "v1.0.0");
	assert_string_equal(customs_pkg_meta_get(p, "h1_digest"), "h1:aaa=");
	assert_string_equal(customs_pkg_meta_get(p, "architecture"), arch);
	p = res_find(r, "github.com/fork/b");
	assert_non_null(p);
	assert_string_equal(p->version, "v1.1.1");
	assert_string_equal(customs_pkg_meta_get(p, "h1_digest"), "h1:ddd=");
	assert_string_equal(customs_pkg_meta_get(p, "original_path"),
			    "github.com/a/b");
	assert_null(customs_pkg_meta_get(p, "main_module"));
	assert_non_null(res_find(r, "golang.org/x/text"));
	assert_string_equal(res_find(r, "stdlib")->version, "go1.16.15");
}

static void test_go_pointer_format_all_byte_orders(void **state)
{
	unsigned char b[0x800];
	struct cat_result r;
	size_t n;

	(void)state;
	n = mk_elf(b, true, false, false);
	parse_buf(&r, b, n, false);
	check_old(&r, "x86_64");
	release(&r);
	n = mk_elf(b, false, true, false);
	parse_buf(&r, b, n, false);
	check_old(&r, "mips");
	release(&r);
	n = mk_elf(b, true, true, true);
	parse_buf(&r, b, n, false);
	check_old(&r, "x86_64");
	release(&r);
	/* a pointer out of every segment: not a Go binary, no crash */
	n = mk_elf(b, true, false, false);
	put(b, 0x110, 0xdeadbeef, 8, false);
	parse_buf(&r, b, n, false);
	assert_int_equal(r.pkgs.n, 0);
	release(&r);
	/* a string length past the end of the segment */
	n = mk_elf(b, false, false, false);
	put(b, 0x164, 0x7fffffff, 4, false);
	parse_buf(&r, b, n, false);
	assert_int_equal(r.pkgs.n, 0);
	release(&r);
}

static void test_go_hostile_elf_headers(void **state)
{
	unsigned char b[0x800];
	struct elf_section sec;
	struct elf_file f;
	struct cat_result r;
	size_t n, cut;

	(void)state;
	/* every prefix of a valid file: never a read past the end */
	n = mk_elf(b, true, false, true);
	for (cut = 0; cut < n; cut += 7) {
		unsigned char *c = malloc(cut ? cut : 1);

		memcpy(c, b, cut);
		parse_buf(&r, c, cut, cut < n);
		release(&r);
		free(c);
	}
	/* huge header counts and offsets */
	n = mk_elf(b, true, false, true);
	put(b, 40, 0x100, 8, false); /* e_shoff inside the file */
	put(b, 58, 64, 2, false);
	put(b, 60, 0xffff, 2, false); /* e_shnum: more than fit */
	put(b, 62, 0xfffe, 2, false); /* e_shstrndx out of range */
	put(b, 56, 0xffff, 2, false); /* e_phnum: PN_XNUM */
	assert_true(elf_open(&f, b, n));
	assert_true(f.shnum <= (n - 0x100) / 64);
	assert_false(elf_find_section(&f, ".go.buildinfo", &sec));
	parse_buf(&r, b, n, false);
	release(&r);
	/* a section whose data lies past the end */
	n = mk_elf(b, true, false, true);
	put(b, 40, 0x700, 8, false);
	put(b, 58, 64, 2, false);
	put(b, 60, 2, 2, false);
	put(b, 62, 1, 2, false);
	put(b, 0x740 + 24, 0xffffffffffff0000ull, 8, false);
	put(b, 0x740 + 32, 0x1000, 8, false);
	assert_true(elf_open(&f, b, n));
	assert_int_equal(f.shnum, 2);
	assert_true(elf_section(&f, 1, &sec));
	assert_string_equal(sec.name, "");
	parse_buf(&r, b, n, false);
	release(&r);
	/* not ELF at all, or a bad class */
	assert_false(elf_open(&f, (const unsigned char *)"#!/bin/sh\n", 10));
	b[4] = 3;
	assert_false(elf_open(&f, b, n));
}

static void test_go_modinfo_lines_and_quoting(void **state)
{
	static const char text[] =
		"path\tex.com/m\n"
		"mod\tex.com/m\t(devel)\t\n"
		"dep\ta.com/x\tv1.0.0\th1:x=\n"
		"dep\tonly-a-path\n"
		"=>\ttoo\tmany\tfields\there\n"
		"build\t-ldflags=\"-s -X \\\"main.Version=v9.8.7\\\" "
		"\\u00e9\"\n"
		"build\t\"a=b\"=c\n"
		"build\tGOARCH=arm64\n"
		"build\tno-equals\n"
		"build\tbad=\"unterminated\n"
		"dep\tlast.com/y\tv0.1.0"; /* no newline: ignored */
	struct go_buildinfo bi = { 0 };
	struct cat_result r = { 0 };

	(void)state;
	assert_int_equal(
		go_modinfo_parse(&bi, cslice_make(text, strlen(text)), &r), 0);
	assert_string_equal(bi.path, "ex.com/m");
	assert_true(bi.has_main);
	assert_string_equal(bi.main.version, "(devel)");
	assert_string_equal(bi.main.sum, "");
	assert_int_equal(bi.n_deps, 1);
	assert_string_equal(bi.deps[0].sum, "h1:x=");
	assert_null(bi.deps[0].rpath);
	assert_string_equal(go_setting(&bi, "-ldflags"),
			    "-s -X \"main.Version=v9.8.7\" \xc3\xa9");
	assert_string_equal(go_setting(&bi, "a=b"), "c");
	assert_string_equal(go_setting(&bi, "GOARCH"), "arm64");
	assert_int_equal(r.warnings.n, 4);
	assert_string_equal(r.warnings.v[0],
			    "go build info: line 4: unreadable 'dep' line");
	assert_string_equal(r.warnings.v[1],
			    "go build info: line 5: unreadable '=>' line");
	go_buildinfo_release(&bi);
	release(&r);
}

static void test_go_main_version_ldflags_and_pseudo(void **state)
{
	char v[80];

	(void)state;
	assert_true(go_main_version(v, sizeof(v), "-s -w -X main.version=1.2.3",
				    NULL, NULL));
	assert_string_equal(v, "v1.2.3");
	assert_true(go_main_version(
		v, sizeof(v),
		"-X github.com/x/y/internal/build.GitVersion=v0.4.1-rc1 -s",
		"abc", "2020-01-01T00:00:00Z"));
	assert_string_equal(v, "v0.4.1-rc1");
	/* the value may be a path; the version follows the last '/' */
	assert_true(go_main_version(
		v, sizeof(v), "-X main.buildVer=refs/tags/v2.0.0", NULL, NULL));
	assert_string_equal(v, "v2.0.0");
	assert_true(
		go_main_version(v, sizeof(v), "-X main.tag=3.1.4", NULL, NULL));
	assert_string_equal(v, "v3.1.4");
	/* .versionx= and a non-version value do not count */
	assert_false(go_main_version(v, sizeof(v),
				     "-X main.versionx=1.2.3 -X a.version=dev",
				     NULL, NULL));
	assert_true(go_main_version(v, sizeof(v), "-s",
				    "0123456789abcdef0123456789abcdef01234567",
				    "2023-12-31T23:30:00-01:00"));
	assert_string_equal(v, "v0.0.0-20240101003000-0123456789ab");
	assert_true(go_main_version(v, sizeof(v), NULL, "abc", "yesterday"));
	assert_string_equal(v, "v0.0.0-00010101000000-abc");
	assert_false(go_main_version(v, sizeof(v), NULL, "abc", NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_go_debian_binary_gopath_mode),
		cmocka_unit_test(test_go_built_binaries_match_go_version_m),
		cmocka_unit_test(test_go_pointer_format_all_byte_orders),
		cmocka_unit_test(test_go_hostile_elf_headers),
		cmocka_unit_test(test_go_modinfo_lines_and_quoting),
		cmocka_unit_test(test_go_main_version_ldflags_and_pseudo),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
