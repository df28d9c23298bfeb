/*
 * binary-classifier-cataloger and cargo-auditable-binary-cataloger: the
 * real binaries of this machine (versions compared with what the tools
 * report about themselves), a synthetic buffer for each classifier,
 * near misses, and .dep-v0 sections built here with zlib.
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
#include <zlib.h>
#include <cmocka.h>

#include "customs/catalog.h"
#include "catalog/bincat.h"
#include "catalog/catalog_priv.h"

static void classify(struct cat_result *r, const char *path, const void *b,
		     size_t n, bool truncated)
{
	struct cat_input in = {
		path, 0, b, n, truncated, NULL, false, NULL, 0
	};

	memset(r, 0, sizeof(*r));
	assert_int_equal(cat_binary_classifier.parse(&in, r), 0);
}

static void release(struct cat_result *r)
{
	customs_pkglist_release(&r->pkgs);
	customs_strlist_release(&r->warnings);
}

struct vec {
	const char *path;
	const char *content; /* NUL bytes written as \0 */
	size_t len;
	const char *name; /* NULL: no package */
	const char *version;
	const char *cpe0;
	const char *cpe1;
};

#define V(path, lit, name, ver, c0, c1)                       \
	{                                                     \
		path, lit, sizeof(lit) - 1, name, ver, c0, c1 \
	}

static const struct vec vecs[] = {
	V("usr/bin/python3.11", "xx\0003.11\0.\0003.11.2\0yy", "python", "3.11",
	  "cpe:2.3:a:python_software_foundation:python:3.11:*:*:*:*:*:*:*",
	  "cpe:2.3:a:python:python:3.11:*:*:*:*:*:*:*"),
	V("usr/local/bin/python3.12", "\0003.12.1rc1\0", "python", "3.12.1rc1",
	  "cpe:2.3:a:python_software_foundation:python:3.12.1rc1:*:*:*:*:*:*:*",
	  "cpe:2.3:a:python:python:3.12.1rc1:*:*:*:*:*:*:*"),
	V("usr/lib/libpython3.9d.so.1.0", "a\0003.9.18\0", "python", "3.9.18",
	  NULL, NULL),
	V("usr/bin/python3", "\0003.11.2\0", NULL, NULL, NULL, NULL),
	V("usr/bin/node", "https://node.js/v18.19.0/x", "node", "18.19.0",
	  "cpe:2.3:a:nodejs:node.js:18.19.0:*:*:*:*:*:*:*", NULL),
	V("usr/bin/node", "x\0node v0.10.48\0", "node", "0.10.48", NULL, NULL),
	V("usr/bin/openssl", "\0OpenSSL 1.1.1w  11 Sep 2023", "openssl",
	  "1.1.1w", "cpe:2.3:a:openssl:openssl:1.1.1w:*:*:*:*:*:*:*", NULL),
	V("lib/libcrypto.so.3", "\0OpenSSL 3.2.0-alpha1 x", "openssl",
	  "3.2.0-alpha1", NULL, NULL),
	V("usr/bin/openssl", "OpenSSL 3.0.11 (no NUL before)", NULL, NULL, NULL,
	  NULL),
	V("bin/busybox", "BusyBox v1.36.1 (2023-06-10)", "busybox", "1.36.1",
	  "cpe:2.3:a:busybox:busybox:1.36.1:*:*:*:*:*:*:*", NULL),
	V("bin/bash", "@(#)Bash version 5.2.15(1) release GNU", "bash",
	  "5.2.15", "cpe:2.3:a:gnu:bash:5.2.15:*:*:*:*:*:*:*", NULL),
	V("bin/bash", "@(#)Bash version 5.2.15(1) release BSD", NULL, NULL,
	  NULL, NULL),
	V("usr/bin/curl", "libcurl/8.4.0 OpenSSL", "curl", "8.4.0",
	  "cpe:2.3:a:haxx:curl:8.4.0:*:*:*:*:*:*:*", NULL),
	V("usr/lib/libcurl-gnutls.so.4", "libcurl/7.88.1", "curl", "7.88.1",
	  "cpe:2.3:a:haxx:curl:7.88.1:*:*:*:*:*:*:*",
	  "cpe:2.3:a:haxx:libcurl:7.88.1:*:*:*:*:*:*:*"),
	V("usr/sbin/nginx", "\0nginx version: nginx/1.25.1\0", "nginx",
	  "1.25.1", "cpe:2.3:a:f5:nginx:1.25.1:*:*:*:*:*:*:*",
	  "cpe:2.3:a:nginx:nginx:1.25.1:*:*:*:*:*:*:*"),
	V("usr/sbin/nginx", "?nginx version: openresty/1.21.4.1\0", "nginx",
	  "1.21.4", NULL, NULL),
	V("usr/bin/redis-server", "x7.0.14buildkitsandbox-1702957741000000000",
	  "redis", "7.0.14", "cpe:2.3:a:redislabs:redis:7.0.14:*:*:*:*:*:*:*",
	  "cpe:2.3:a:redis:redis:7.0.14:*:*:*:*:*:*:*"),
	V("usr/bin/redis-server",
	  "\x01"
	  "4.0.11841ce7054bd9-1542359302000",
	  "redis", "4.0.11", NULL, NULL),
	V("usr/bin/redis-server", "Server started, Redis version 2.8.23",
	  "redis", "2.8.23", NULL, NULL),
	V("usr/lib/postgresql/15/bin/postgres", "\0PostgreSQL 15beta4 on x",
	  "postgresql", "15beta4",
	  "cpe:2.3:a:postgresql:postgresql:15beta4:*:*:*:*:*:*:*", NULL),
	V("usr/lib/postgresql/9/bin/postgres", "?PostgreSQL 9.6.24 on x",
	  "postgresql", "9.6.24", NULL, NULL),
	V("usr/bin/java",
	  "\0openjdk\0java\0"
	  "0.0\00011.0.17+8-LTS\0",
	  "java/jre", "11.0.17+8-LTS",
	  "cpe:2.3:a:oracle:openjdk:11.0.17\\+8-LTS:*:*:*:*:*:*:*", NULL),
	V("usr/bin/java",
	  "\0"
	  "0.0\0\0\0\00011.0.22+7\0\0\0openjdk\0java\0",
	  "java/jre", "11.0.22+7", NULL, NULL),
	V("usr/bin/java",
	  "\0openjdk\0java\0"
	  "0.0\00017+8-jvmci-23.0-b01\0",
	  NULL, NULL, NULL, NULL),
	V("usr/lib/jvm/lib/server/libjvm.so",
	  "OpenJDK 64-Bit Server VM (17.0.9+9-Debian-1deb12u1) for linux",
	  "java/jre", "17.0.9+9-Debian-1deb12u1", NULL, NULL),
	/* a version must be printable ASCII without spaces */
	V("usr/bin/java",
	  "\0openjdk\0java\0"
	  "0.0\0"
	  "1\x1f\0",
	  NULL, NULL, NULL, NULL),
	V("usr/bin/bashful", "@(#)Bash version 5.2.15(1) release GNU", NULL,
	  NULL, NULL, NULL),
};

static void test_binary_classifier_vectors(void **state)
{
	struct cat_result r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(vecs) / sizeof(vecs[0]); i++) {
		const struct vec *v = &vecs[i];

		classify(&r, v->path, v->content, v->len, false);
		if (!v->name) {
			assert_int_equal(r.pkgs.n, 0);
			release(&r);
			continue;
		}
		print_message("%s\n", v->path);
		assert_int_equal(r.pkgs.n, 1);
		assert_string_equal(r.pkgs.v[0]->name, v->name);
		assert_string_equal(r.pkgs.v[0]->version, v->version);
		assert_int_equal(r.pkgs.v[0]->type, CUSTOMS_PKG_BINARY);
		assert_string_equal(r.pkgs.v[0]->locations[0].path, v->path);
		assert_non_null(customs_pkg_meta_get(r.pkgs.v[0], "class"));
		if (v->cpe0)
			assert_string_equal(r.pkgs.v[0]->cpes.v[0], v->cpe0);
		if (v->cpe1)
			assert_string_equal(r.pkgs.v[0]->cpes.v[1], v->cpe1);
		release(&r);
	}
}

static void test_binary_truncated_named_file_warns(void **state)
{
	struct cat_result r;

	(void)state;
	classify(&r, "bin/bash", "nothing here", 12, true);
	assert_int_equal(r.pkgs.n, 0);
	assert_int_equal(r.warnings.n, 1);
	assert_string_equal(r.warnings.v[0], "bash-binary: no version in the "
					     "first 12 bytes read");
	release(&r);
	/* a file no classifier names: silent even when cut */
	classify(&r, "bin/true", "x", 1, true);
	assert_int_equal(r.warnings.n, 0);
	release(&r);
}

/* The first line of a command's output, or "" when it fails. */
static void run(char *out, size_t cap, const char *cmd)
{
	FILE *f = popen(cmd, "r");

	out[0] = '\0';
	if (f) {
		if (!fgets(out, (int)cap, f))
			out[0] = '\0';
		pclose(f);
	}
	out[strcspn(out, "\r\n")] = '\0';
}

static struct customs_sbom *scan_dir(const char *dir, const char *select)
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

	co.select = select;
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

struct real {
	const char *src; /* a file on this machine */
	const char *dst; /* where it goes in the rootfs */
	const char *name;
	const char *version_cmd; /* prints the version the tool reports */
};

static const struct real reals[] = {
	{ "/bin/bash", "usr/bin/bash", "bash",
	  "/bin/bash -c 'echo ${BASH_VERSINFO[0]}.${BASH_VERSINFO[1]}."
	  "${BASH_VERSINFO[2]}'" },
	{ "/usr/bin/python3.11", "usr/bin/python3.11", "python",
	  "/usr/bin/python3.11 -c 'import platform;"
	  "print(platform.python_version())'" },
	{ "/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0",
	  "usr/lib/libpython3.11.so.1.0", "python",
	  "/usr/bin/python3.11 -c 'import platform;"
	  "print(platform.python_version())'" },
	{ "/usr/bin/openssl", "usr/bin/openssl", "openssl",
	  "/usr/bin/openssl version | cut -d' ' -f2" },
	{ "/usr/lib/x86_64-linux-gnu/libcrypto.so.3", "usr/lib/libcrypto.so.3",
	  "openssl", "/usr/bin/openssl version | cut -d' ' -f2" },
	{ "/usr/bin/curl", "usr/bin/curl", "curl",
	  "/usr/bin/curl --version | cut -d' ' -f2" },
	{ "/usr/lib/jvm/java-17-openjdk-amd64/bin/java", "usr/bin/java",
	  "java/jre",
	  "/usr/lib/jvm/java-17-openjdk-amd64/bin/java "
	  "-XshowSettings:properties -version 2>&1 | sed -n "
	  "'s/^ *java.runtime.version = //p'" },
};

static void test_binary_real_binaries_match_tool_versions(void **state)
{
	char dir[] = "/tmp/customs-bin-XXXXXX", cmd[1024], want[128];
	struct customs_sbom *s;
	size_t i, j, found = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	for (i = 0; i < sizeof(reals) / sizeof(reals[0]); i++) {
		if (access(reals[i].src, R_OK))
			continue;
		snprintf(cmd, sizeof(cmd),
			 "mkdir -p \"$(dirname '%s/%s')\" && cp '%s' '%s/%s'",
			 dir, reals[i].dst, reals[i].src, dir, reals[i].dst);
		assert_int_equal(system(cmd), 0);
	}
	s = scan_dir(dir, "binary-classifier-cataloger");
	for (i = 0; i < sizeof(reals) / sizeof(reals[0]); i++) {
		if (access(reals[i].src, R_OK))
			continue;
		run(want, sizeof(want), reals[i].version_cmd);
		print_message("%s: tool says '%s'\n", reals[i].dst, want);
		for (j = 0; j < s->pkgs.n; j++) {
			if (strcmp(s->pkgs.v[j]->locations[0].path,
				   reals[i].dst))
				continue;
			assert_string_equal(s->pkgs.v[j]->name, reals[i].name);
			assert_string_equal(s->pkgs.v[j]->version, want);
			found++;
			break;
		}
		assert_int_not_equal(j, s->pkgs.n);
	}
	assert_int_equal(found, s->pkgs.n);
	if (!found)
		print_message("no known binaries on this machine\n");
	customs_sbom_free(s);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void write_file(const char *dir, const char *rel, const char *text,
		       size_t n)
{
	char path[700];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, n, f), n);
	fclose(f);
	assert_int_equal(chmod(path, 0755), 0);
}

/*
 * A bash the dpkg database owns (listed as /bin/bash, found through the
 * merged-/usr link at usr/bin/bash) is dropped; a copy nobody owns stays.
 */
static void test_binary_owned_by_os_package_dropped(void **state)
{
	static const char bash[] = "\177ELF..@(#)Bash version 5.2.15(1) "
				   "release GNU\0";
	static const char status[] =
		"Package: bash\nStatus: install ok installed\n"
		"Architecture: amd64\nVersion: 5.2.15-2+b2\n\n";
	static const char md5sums[] = "d41d8cd98f00b204e9800998ecf8427e  "
				      "bin/bash\n";
	char dir[] = "/tmp/customs-bin-XXXXXX", cmd[700];
	const struct customs_pkg *p;
	struct customs_sbom *s;
	size_t i, n_bin = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && mkdir -p var/lib/dpkg/info usr/bin usr/local/bin "
		 "&& ln -s usr/bin bin",
		 dir);
	assert_int_equal(system(cmd), 0);
	write_file(dir, "var/lib/dpkg/status", status, sizeof(status) - 1);
	write_file(dir, "var/lib/dpkg/info/bash.md5sums", md5sums,
		   sizeof(md5sums) - 1);
	write_file(dir, "usr/bin/bash", bash, sizeof(bash) - 1);
	write_file(dir, "usr/local/bin/bash", bash, sizeof(bash) - 1);
	s = scan_dir(dir, "dpkg-db-cataloger,binary-classifier-cataloger");
	for (i = 0; i < s->pkgs.n; i++) {
		p = s->pkgs.v[i];
		if (p->type != CUSTOMS_PKG_BINARY)
			continue;
		n_bin++;
		assert_string_equal(p->locations[0].path, "usr/local/bin/bash");
		assert_string_equal(p->version, "5.2.15");
	}
	assert_int_equal(n_bin, 1);
	assert_int_equal(s->pkgs.n, 2);
	customs_sbom_free(s);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* An ELF64 LE with one section .dep-v0 holding data, plus .shstrtab. */
static size_t mk_auditable(unsigned char *b, size_t cap, const void *data,
			   size_t n)
{
	static const char names[] = "\0.dep-v0\0.shstrtab";
	size_t shoff, off = 0x100;

	assert_true(off + n + sizeof(names) + 3 * 64 + 16 <= cap);
	memset(b, 0, cap);
	memcpy(b, "\177ELF\2\1\1", 7);
	b[18] = 62;
	memcpy(b + off, data, n);
	memcpy(b + off + n, names, sizeof(names));
	shoff = (off + n + sizeof(names) + 15) & ~(size_t)15;
	memcpy(b + 40, &shoff, 8); /* little-endian host */
	b[58] = 64;
	b[60] = 3;
	b[62] = 2;
	/* section 1: .dep-v0 */
	b[shoff + 64] = 1;
	b[shoff + 68] = 1;
	memcpy(b + shoff + 64 + 24, &off, 8);
	memcpy(b + shoff + 64 + 32, &n, 8);
	/* section 2: .shstrtab */
	b[shoff + 128] = 9;
	b[shoff + 132] = 3;
	off += n;
	memcpy(b + shoff + 128 + 24, &off, 8);
	off = sizeof(names);
	memcpy(b + shoff + 128 + 32, &off, 8);
	return shoff + 3 * 64;
}

static void audit(struct cat_result *r, const char *json, bool compress)
{
	static unsigned char b[8192], z[4096];
	uLongf zn = sizeof(z);
	struct cat_input in = { "usr/bin/rusty", 1,    b, 0, false, NULL,
				false,		 NULL, 0 };

	if (compress)
		assert_int_equal(
			compress2(z, &zn, (const Bytef *)json, strlen(json), 9),
			Z_OK);
	else
		memcpy(z, json, (zn = strlen(json)));
	in.len = mk_auditable(b, sizeof(b), z, zn);
	memset(r, 0, sizeof(*r));
	assert_int_equal(cat_cargo_auditable_binary.parse(&in, r), 0);
}

static void test_cargo_auditable_runtime_crates(void **state)
{
	struct cat_result r;

	(void)state;
	audit(&r,
	      "{\"packages\":[{\"name\":\"rusty\",\"version\":\"0.1.0\","
	      "\"source\":\"local\",\"dependencies\":[1,2],\"root\":true},"
	      "{\"name\":\"serde\",\"version\":\"1.0.188\",\"source\":"
	      "\"registry\"},{\"name\":\"cc\",\"version\":\"1.0.83\","
	      "\"source\":\"registry\",\"kind\":\"build\"},{\"name\":"
	      "\"libc\",\"version\":\"0.2.148\",\"kind\":\"runtime\"},"
	      "{\"version\":\"1\"}]}",
	      true);
	assert_int_equal(r.pkgs.n, 3);
	assert_string_equal(r.pkgs.v[0]->name, "rusty");
	assert_string_equal(customs_pkg_meta_get(r.pkgs.v[0], "source"),
			    "local");
	assert_int_equal(r.pkgs.v[1]->type, CUSTOMS_PKG_RUST);
	assert_string_equal(r.pkgs.v[1]->version, "1.0.188");
	assert_string_equal(r.pkgs.v[2]->name, "libc");
	assert_null(customs_pkg_meta_get(r.pkgs.v[2], "source"));
	assert_string_equal(r.pkgs.v[2]->locations[0].path, "usr/bin/rusty");
	assert_int_equal(r.warnings.n, 1);
	assert_string_equal(r.warnings.v[0],
			    ".dep-v0: package 4: no name or version");
	release(&r);
	/* not zlib, or not the JSON it should be: a warning each */
	audit(&r, "{\"packages\":[]}", false);
	assert_int_equal(r.pkgs.n, 0);
	assert_int_equal(r.warnings.n, 1);
	assert_non_null(strstr(r.warnings.v[0], "bad zlib data"));
	release(&r);
	audit(&r, "[1,2", true);
	assert_int_equal(r.warnings.n, 1);
	assert_non_null(strstr(r.warnings.v[0], "invalid JSON"));
	release(&r);
	audit(&r, "{\"packages\":{}}", true);
	assert_string_equal(r.warnings.v[0], ".dep-v0: no \"packages\" array");
	release(&r);
}

static void test_cargo_auditable_inflate_bomb(void **state)
{
	size_t n = 40u << 20;
	char *big = malloc(n + 1);
	struct cat_result r;
	static unsigned char b[200000];
	unsigned char *z = malloc(100000);
	uLongf zn = 100000;
	struct cat_input in = { "usr/bin/bomb", 0,     b,    0, false,
				NULL,		false, NULL, 0 };

	(void)state;
	assert_non_null(big);
	memset(big, ' ', n);
	assert_int_equal(compress2(z, &zn, (const Bytef *)big, n, 9), Z_OK);
	in.len = mk_auditable(b, sizeof(b), z, zn);
	memset(&r, 0, sizeof(r));
	assert_int_equal(cat_cargo_auditable_binary.parse(&in, &r), 0);
	assert_int_equal(r.pkgs.n, 0);
	assert_int_equal(r.warnings.n, 1);
	assert_string_equal(r.warnings.v[0],
			    ".dep-v0: inflates to more than 16777216 bytes");
	release(&r);
	free(big);
	free(z);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_binary_classifier_vectors),
		cmocka_unit_test(test_binary_truncated_named_file_warns),
		cmocka_unit_test(test_binary_real_binaries_match_tool_versions),
		cmocka_unit_test(test_binary_owned_by_os_package_dropped),
		cmocka_unit_test(test_cargo_auditable_runtime_crates),
		cmocka_unit_test(test_cargo_auditable_inflate_bomb),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
