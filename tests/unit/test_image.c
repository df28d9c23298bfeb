/*
 * Unit tests of the image module. Every image is built here, at test
 * time, by small deterministic writers: a ustar writer for archives and
 * a file writer for OCI layout directories, both behind one "sink" so the
 * same generator makes an OCI dir, an OCI archive or a docker-archive.
 * Layers are plain bytes: opening an image never decodes them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "customs/image.h"
#include "image/image_int.h"
#include "image/tarindex.h"
#include "util/hash.h"
#include "util/banned.h"

#define MT_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define MT_INDEX "application/vnd.oci.image.index.v1+json"
#define MT_CONFIG "application/vnd.oci.image.config.v1+json"
#define MT_LAYER "application/vnd.oci.image.layer.v1.tar"
#define BIG 8192

static char tmpdir[256];

/* ---- small helpers ---------------------------------------------------- */

static const char *tpath(const char *name)
{
	static char ring[8][512];
	static int next;
	char *p = ring[next++ % 8];

	snprintf(p, 512, "%s/%s", tmpdir, name);
	return p;
}

static void mkdirs(const char *path)
{
	char buf[512];
	char *s;

	snprintf(buf, sizeof(buf), "%s", path);
	for (s = buf + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		mkdir(buf, 0755);
		*s = '/';
	}
}

static void write_file(const char *path, const void *data, size_t n)
{
	FILE *f;

	mkdirs(path);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static void fmt(char *out, size_t n, const char *f, ...)
	__attribute__((format(printf, 3, 4)));

static void fmt(char *out, size_t n, const char *f, ...)
{
	va_list ap;
	int k;

	va_start(ap, f);
	k = vsnprintf(out, n, f, ap);
	va_end(ap);
	assert_true(k >= 0 && (size_t)k < n);
}

/* ---- a ustar writer --------------------------------------------------- */

struct tw {
	unsigned char *p;
	size_t n;
};

static void tw_raw(struct tw *t, const void *data, size_t n)
{
	t->p = realloc(t->p, t->n + n);
	assert_non_null(t->p);
	memcpy(t->p + t->n, data, n);
	t->n += n;
}

static void tw_checksum(unsigned char *h)
{
	unsigned sum = 0;
	size_t i;

	memset(h + 148, ' ', 8);
	for (i = 0; i < 512; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
	h[155] = ' ';
}

static void tw_header(struct tw *t, const char *name, char type,
		      const char *link, size_t size)
{
	unsigned char h[512];

	memset(h, 0, sizeof(h));
	snprintf((char *)h, 100, "%s", name);
	memcpy(h + 100, "0000644", 8);
	snprintf((char *)h + 124, 12, "%011zo", size);
	memcpy(h + 136, "00000000000", 12);
	h[156] = (unsigned char)type;
	if (link)
		snprintf((char *)h + 157, 100, "%s", link);
	memcpy(h + 257,
	       "ustar\0"
	       "00",
	       8);
	tw_checksum(h);
	tw_raw(t, h, sizeof(h));
}

static void tw_add(struct tw *t, const char *name, char type, const char *link,
		   const void *data, size_t n)
{
	static const unsigned char zero[512];

	tw_header(t, name, type, link, n);
	if (n)
		tw_raw(t, data, n);
	if (n % 512)
		tw_raw(t, zero, 512 - n % 512);
}

static void tw_file(struct tw *t, const char *name, const char *data)
{
	tw_add(t, name, '0', NULL, data, strlen(data));
}

static void tw_finish(struct tw *t, const char *path)
{
	static const unsigned char zero[1024];

	tw_raw(t, zero, sizeof(zero));
	write_file(path, t->p, t->n);
	free(t->p);
	t->p = NULL;
	t->n = 0;
}

/* ---- blobs, sinks and image generators ------------------------------- */

struct blob {
	char digest[72];
	char path[96];
	size_t size;
};

static void blob_of(struct blob *b, const char *data)
{
	struct customs_sha256 *h = customs_sha256_new();
	unsigned char sha[32];

	assert_non_null(h);
	customs_sha256_update(h, data, strlen(data));
	customs_sha256_final(h, sha);
	customs_sha256_free(h);
	customs_digest_str(b->digest, sha);
	snprintf(b->path, sizeof(b->path), "blobs/sha256/%s", b->digest + 7);
	b->size = strlen(data);
}

/* Where generated files go: a directory, or members of a tar. */
struct sink {
	const char *dir;
	struct tw *tar;
};

static void put(struct sink *s, const char *name, const char *data)
{
	char path[512];

	if (s->tar) {
		tw_file(s->tar, name, data);
		return;
	}
	fmt(path, sizeof(path), "%s/%s", s->dir, name);
	write_file(path, data, strlen(data));
}

enum {
	SKIP_LAYER2 = 1, /* do not write the second layer blob */
	CORRUPT_CFG = 2, /* write the config blob with one byte changed */
	SHORT_LAYER1 = 4, /* write the first layer one byte short */
};

struct built {
	struct blob layer[2];
	struct blob config;
	struct blob manifest;
	char layer_data[2][64];
	char config_json[BIG];
	char manifest_json[BIG];
};

static void make_layers(struct built *b, const char *arch)
{
	fmt(b->layer_data[0], 64, "layer-one-%s", arch);
	fmt(b->layer_data[1], 64, "layer-two-%s", arch);
	blob_of(&b->layer[0], b->layer_data[0]);
	blob_of(&b->layer[1], b->layer_data[1]);
}

static void make_config(struct built *b, const char *arch, const char *variant)
{
	char var[64] = "";

	if (variant)
		fmt(var, sizeof(var), ",\"variant\":\"%s\"", variant);
	fmt(b->config_json, BIG,
	    "{\"architecture\":\"%s\",\"os\":\"linux\"%s,"
	    "\"created\":\"2024-01-01T00:00:00Z\",\"author\":\"me\","
	    "\"docker_version\":\"25.0.0\",\"config\":{\"User\":\"app\","
	    "\"WorkingDir\":\"/srv\",\"StopSignal\":\"SIGTERM\","
	    "\"Env\":[\"PATH=/usr/bin\",\"A=1\"],\"Entrypoint\":[\"/bin/app\"],"
	    "\"Cmd\":[\"serve\"],\"Shell\":null,"
	    "\"ExposedPorts\":{\"8080/tcp\":{},\"443/tcp\":{}},"
	    "\"Volumes\":{\"/data\":{}},\"Labels\":{\"b\":\"2\",\"a\":\"1\"},"
	    "\"Healthcheck\":{\"Test\":[\"CMD\",\"true\"],"
	    "\"Interval\":30000000000,\"Retries\":3}},"
	    "\"history\":[{\"created\":\"2024-01-01T00:00:00Z\","
	    "\"created_by\":\"ADD rootfs\"},{\"created_by\":\"ENV A=1\","
	    "\"empty_layer\":true},{\"created_by\":\"RUN make\","
	    "\"comment\":\"c\"}],\"rootfs\":{\"type\":\"layers\","
	    "\"diff_ids\":[\"%s\",\"%s\"]},\"unknown\":[1,{\"x\":2}]}",
	    arch, var, b->layer[0].digest, b->layer[1].digest);
}

static void make_manifest(struct built *b)
{
	fmt(b->manifest_json, BIG,
	    "{\"schemaVersion\":2,\"mediaType\":\"" MT_MANIFEST "\","
	    "\"config\":{\"mediaType\":\"" MT_CONFIG "\",\"digest\":\"%s\","
	    "\"size\":%zu},\"layers\":[{\"mediaType\":\"" MT_LAYER "\","
	    "\"digest\":\"%s\",\"size\":%zu},{\"mediaType\":\"" MT_LAYER "\","
	    "\"digest\":\"%s\",\"size\":%zu}]}",
	    b->config.digest, b->config.size, b->layer[0].digest,
	    b->layer[0].size, b->layer[1].digest, b->layer[1].size);
	blob_of(&b->manifest, b->manifest_json);
}

static void put_blobs(struct sink *s, struct built *b, unsigned flags)
{
	char cfg[BIG];

	put(s, b->manifest.path, b->manifest_json);
	snprintf(cfg, sizeof(cfg), "%s", b->config_json);
	if (flags & CORRUPT_CFG)
		cfg[1] = cfg[1] == 'a' ? 'b' : 'a';
	put(s, b->config.path, cfg);
	if (flags & SHORT_LAYER1) {
		b->layer_data[0][strlen(b->layer_data[0]) - 1] = '\0';
		put(s, b->layer[0].path, b->layer_data[0]);
	} else {
		put(s, b->layer[0].path, b->layer_data[0]);
	}
	if (!(flags & SKIP_LAYER2))
		put(s, b->layer[1].path, b->layer_data[1]);
}

/* One image's blobs (config as given, or the default one). */
static void build_image(struct sink *s, struct built *b, const char *arch,
			const char *variant, const char *config, unsigned flags)
{
	make_layers(b, arch);
	if (config)
		fmt(b->config_json, BIG, "%s", config);
	else
		make_config(b, arch, variant);
	blob_of(&b->config, b->config_json);
	make_manifest(b);
	put_blobs(s, b, flags);
}

static void desc(char *out, size_t n, const char *mt, const struct blob *b,
		 const char *extra)
{
	fmt(out, n, "{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%zu%s}",
	    mt, b->digest, b->size, extra ? extra : "");
}

static void put_layout(struct sink *s, const char *entries)
{
	char index[BIG];

	fmt(index, sizeof(index),
	    "{\"schemaVersion\":2,\"mediaType\":\"" MT_INDEX "\","
	    "\"manifests\":[%s]}",
	    entries);
	put(s, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
	put(s, "index.json", index);
}

/* A one-image OCI layout in dir (or in the tar). */
static void build_oci(struct sink *s, struct built *b, const char *config,
		      unsigned flags)
{
	char d[1024];

	build_image(s, b, "amd64", NULL, config, flags);
	desc(d, sizeof(d), MT_MANIFEST, &b->manifest,
	     ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"}");
	put_layout(s, d);
}

/* ---- opening ---------------------------------------------------------- */

static struct customs_ctx *ctx_new(void)
{
	struct customs_ctx *ctx;

	assert_int_equal(customs_ctx_new(&ctx), 0);
	return ctx;
}

static struct customs_image *open_ok(const char *platform, const char *target)
{
	struct customs_image_opts o = CUSTOMS_IMAGE_OPTS_INIT;
	struct customs_ctx *ctx = ctx_new();
	struct customs_image *img = NULL;
	int rc;

	o.platform = platform;
	rc = customs_image_open(&img, ctx, target, &o);
	if (rc)
		fail_msg("open %s: %d: %s", target, rc,
			 customs_ctx_errmsg(ctx));
	customs_ctx_free(ctx);
	return img;
}

static void check_msg(const struct customs_ctx *ctx, const char *want)
{
	const char *msg = customs_ctx_errmsg(ctx);

	if (getenv("CUSTOMS_TEST_VERBOSE"))
		print_message("  message: %s\n", msg);
	if (want && !strstr(msg, want))
		fail_msg("message '%s' lacks '%s'", msg, want);
	if (strchr(msg, '\n'))
		fail_msg("message '%s' is not one line", msg);
}

static void fail_opts(int code, const struct customs_image_opts *o,
		      const char *target, const char *w1, const char *w2)
{
	struct customs_ctx *ctx = ctx_new();
	struct customs_image *img = (struct customs_image *)&img;
	int rc;

	rc = customs_image_open(&img, ctx, target, o);
	if (rc != code)
		fail_msg("open %s: got %d (%s), want %d", target, rc,
			 customs_ctx_errmsg(ctx), code);
	assert_null(img);
	check_msg(ctx, w1);
	check_msg(ctx, w2);
	customs_ctx_free(ctx);
}

static void fail_open(int code, const char *platform, const char *target,
		      const char *w1, const char *w2)
{
	struct customs_image_opts o = CUSTOMS_IMAGE_OPTS_INIT;

	o.platform = platform;
	fail_opts(code, &o, target, w1, w2);
}

/* The bytes of layer i, read the way the decoder reads them. */
static void check_layer(const struct customs_image *img, size_t i,
			const char *want, bool owns)
{
	struct customs_ctx *ctx = ctx_new();
	struct customs_blob b;
	char buf[128];

	assert_int_equal(customs_image_layer_blob(img, i, &b, ctx), 0);
	assert_int_equal(b.owns_fd, owns);
	assert_int_equal(b.len, strlen(want));
	assert_true(b.len < sizeof(buf));
	assert_int_equal(pread(b.fd, buf, b.len, (off_t)b.off), (ssize_t)b.len);
	assert_memory_equal(buf, want, b.len);
	customs_blob_close(&b);
	customs_ctx_free(ctx);
}

/* What the default config says, on any kind of source. */
static void check_default_config(const struct customs_image_info *in,
				 const struct built *b)
{
	assert_string_equal(in->id, b->config.digest);
	assert_string_equal(in->os, "linux");
	assert_string_equal(in->architecture, "amd64");
	assert_string_equal(in->user, "app");
	assert_string_equal(in->working_dir, "/srv");
	assert_string_equal(in->stop_signal, "SIGTERM");
	assert_string_equal(in->docker_version, "25.0.0");
	assert_int_equal(in->env.n, 2);
	assert_string_equal(in->env.v[1], "A=1");
	assert_int_equal(in->exposed_ports.n, 2);
	assert_string_equal(in->exposed_ports.v[0], "443/tcp");
	assert_string_equal(in->exposed_ports.v[1], "8080/tcp");
	assert_string_equal(in->volumes.v[0], "/data");
	assert_int_equal(in->labels.n, 2);
	assert_string_equal(in->labels.keys[0], "a");
	assert_string_equal(in->labels.values[1], "2");
	assert_true(in->healthcheck.present);
	assert_int_equal(in->healthcheck.interval, 30000000000LL);
	assert_int_equal(in->healthcheck.retries, 3);
	assert_int_equal(in->shell.n, 0);
	assert_int_equal(in->n_history, 3);
	assert_true(in->history[1].empty_layer);
	assert_int_equal(in->n_layers, 2);
	assert_string_equal(in->layers[0].diff_id, b->layer[0].digest);
	assert_string_equal(in->layers[0].created_by, "ADD rootfs");
	assert_string_equal(in->layers[1].created_by, "RUN make");
	assert_int_equal(in->total_size, b->layer[0].size + b->layer[1].size);
	assert_int_equal(in->config_size, b->config.size);
	assert_int_equal(in->platforms.n, 0);
}

/* ---- docker-archive --------------------------------------------------- */

static void build_docker_classic(const char *path, struct built *b,
				 unsigned flags)
{
	struct tw t = { NULL, 0 };
	char man[BIG], cfg_name[128];

	make_layers(b, "amd64");
	make_config(b, "amd64", NULL);
	blob_of(&b->config, b->config_json);
	fmt(cfg_name, sizeof(cfg_name), "%s.json", b->config.digest + 7);
	fmt(man, sizeof(man),
	    "[{\"Config\":\"%s\",\"RepoTags\":[\"app:1\"],"
	    "\"Layers\":[\"abc/layer.tar\",\"def/layer.tar\"]}]",
	    cfg_name);
	tw_add(&t, "abc/", '5', NULL, NULL, 0);
	tw_file(&t, "./abc/layer.tar", b->layer_data[0]);
	if (!(flags & SKIP_LAYER2))
		tw_file(&t, "def/layer.tar", b->layer_data[1]);
	tw_file(&t, cfg_name, b->config_json);
	tw_file(&t, "manifest.json", man);
	tw_finish(&t, path);
}

static void test_image_docker_archive_classic(void **state)
{
	const char *path = tpath("classic.tar");
	const struct customs_image_info *in;
	struct customs_image *img;
	struct built b;
	char target[600];
	size_t len;

	(void)state;
	build_docker_classic(path, &b, 0);
	fmt(target, sizeof(target), "docker-archive:%s", path);
	img = open_ok(NULL, target);
	in = customs_image_info(img);
	assert_int_equal(in->source, CUSTOMS_SOURCE_DOCKER_ARCHIVE);
	assert_string_equal(in->source_path, path);
	check_default_config(in, &b);
	assert_null(in->manifest_digest);
	assert_null(in->index_digest);
	assert_null(in->layers[0].digest);
	assert_int_equal(in->repo_tags.n, 1);
	assert_string_equal(in->repo_tags.v[0], "app:1");
	assert_string_equal(customs_image_config_raw(img, &len), b.config_json);
	assert_int_equal(len, b.config.size);
	assert_non_null(
		strstr(customs_image_manifest_raw(img, &len), "Layers"));
	assert_null(customs_image_rootfs(img));
	assert_int_equal(customs_image_limits(img)->max_layers,
			 CUSTOMS_DEFAULT_MAX_LAYERS);
	check_layer(img, 0, b.layer_data[0], false);
	check_layer(img, 1, b.layer_data[1], false);
	customs_image_free(img);
	/* The same file as a bare path is detected as a docker-archive. */
	img = open_ok(NULL, path);
	assert_int_equal(customs_image_info(img)->source,
			 CUSTOMS_SOURCE_DOCKER_ARCHIVE);
	customs_image_free(img);
}

static void test_image_docker_archive_layer_index(void **state)
{
	struct customs_ctx *ctx = ctx_new();
	struct customs_image *img;
	struct customs_blob bl;
	struct built b;

	(void)state;
	build_docker_classic(tpath("index.tar"), &b, 0);
	img = open_ok(NULL, tpath("index.tar"));
	assert_int_equal(customs_image_layer_blob(img, 2, &bl, ctx),
			 CUSTOMS_EINVAL);
	customs_blob_close(&bl);
	assert_int_equal(customs_image_layer_blob(img, 0, &bl, ctx), 0);
	assert_string_equal(bl.name, "abc/layer.tar");
	customs_blob_close(&bl);
	customs_image_free(img);
	customs_ctx_free(ctx);
}

/* Docker 25+: OCI layout inside, old layer paths are symlinks to blobs. */
static void test_image_docker_archive_oci_layout(void **state)
{
	const char *path = tpath("docker25.tar");
	struct tw t = { NULL, 0 };
	struct sink s = { NULL, &t };
	const struct customs_image_info *in;
	struct customs_image *img;
	struct built b;
	char man[BIG], d[1024], link[128];
	size_t len;

	(void)state;
	build_image(&s, &b, "amd64", NULL, NULL, 0);
	desc(d, sizeof(d), MT_MANIFEST, &b.manifest,
	     ",\"annotations\":{\"io.containerd.image.name\":"
	     "\"docker.io/library/app:1\","
	     "\"org.opencontainers.image.ref.name\":\"1\"}");
	put_layout(&s, d);
	fmt(link, sizeof(link), "../%s", b.layer[0].path);
	tw_add(&t, "abc/layer.tar", '2', link, NULL, 0);
	fmt(man, sizeof(man),
	    "[{\"Config\":\"%s\",\"RepoTags\":[\"app:1\"],"
	    "\"Layers\":[\"abc/layer.tar\",\"%s\"]}]",
	    b.config.path, b.layer[1].path);
	tw_file(&t, "manifest.json", man);
	tw_finish(&t, path);

	img = open_ok(NULL, path);
	in = customs_image_info(img);
	check_default_config(in, &b);
	assert_string_equal(in->manifest_digest, b.manifest.digest);
	assert_string_equal(in->layers[0].digest, b.layer[0].digest);
	assert_string_equal(in->layers[1].digest, b.layer[1].digest);
	assert_string_equal(in->layers[0].media_type, MT_LAYER);
	assert_string_equal(customs_image_manifest_raw(img, &len),
			    b.manifest_json);
	check_layer(img, 0, b.layer_data[0], false);
	customs_image_free(img);
}

static void test_image_docker_archive_ref(void **state)
{
	const char *path = tpath("two.tar");
	struct tw t = { NULL, 0 };
	char man[BIG], target[600];
	struct customs_image *img;

	(void)state;
	fmt(man, sizeof(man),
	    "[{\"Config\":\"c.json\",\"RepoTags\":[\"a:1\"],\"Layers\":[]},"
	    "{\"Config\":\"c.json\",\"RepoTags\":[\"b:latest\"],"
	    "\"Layers\":[\"l.tar\"]}]");
	tw_file(&t, "c.json", "{\"os\":\"linux\",\"architecture\":\"amd64\"}");
	tw_file(&t, "l.tar", "layer");
	tw_file(&t, "manifest.json", man);
	tw_finish(&t, path);

	fail_open(CUSTOMS_ENOTFOUND, NULL, path, "a:1, b:latest",
		  "manifest.json lists 2 images");
	fmt(target, sizeof(target), "%s:b", path);
	img = open_ok(NULL, target);
	assert_int_equal(customs_image_info(img)->n_layers, 1);
	assert_string_equal(customs_image_info(img)->repo_tags.v[0],
			    "b:latest");
	customs_image_free(img);
	fmt(target, sizeof(target), "docker-archive:%s:a:1", path);
	img = open_ok(NULL, target);
	assert_int_equal(customs_image_info(img)->n_layers, 0);
	customs_image_free(img);
	fmt(target, sizeof(target), "docker-archive:%s:zzz", path);
	fail_open(CUSTOMS_ENOTFOUND, NULL, target, "no image tagged 'zzz'",
		  NULL);
}

static void test_image_docker_archive_config_digest(void **state)
{
	const char *path = tpath("cfgdigest.tar");
	struct tw t = { NULL, 0 };
	struct blob want;
	char name[128], man[512], msg[200];

	(void)state;
	blob_of(&want, "{\"os\":\"linux\"}");
	fmt(name, sizeof(name), "%s.json", want.digest + 7);
	fmt(man, sizeof(man), "[{\"Config\":\"%s\",\"Layers\":[]}]", name);
	tw_file(&t, name, "{\"os\":\"linuX\"}");
	tw_file(&t, "manifest.json", man);
	tw_finish(&t, path);
	fmt(msg, sizeof(msg),
	    "config blob %s: digest mismatch (got sha256:", want.digest);
	fail_open(CUSTOMS_EDIGEST, NULL, path, msg, "docker-archive '");
}

static void test_image_docker_archive_bad_manifest(void **state)
{
	const char *path = tpath("badman.tar");
	struct tw t = { NULL, 0 };
	char target[600];

	(void)state;
	tw_file(&t, "manifest.json", "{\"Config\":\"x\"}");
	tw_finish(&t, path);
	fmt(target, sizeof(target), "docker-archive:%s", path);
	fail_open(CUSTOMS_EFORMAT, NULL, target, "docker-archive '",
		  "manifest.json: expected a JSON array");
	tw_file(&t, "manifest.json", "[{\"Config\":5,\"Layers\":[]}]");
	tw_finish(&t, path);
	fail_open(CUSTOMS_EFORMAT, NULL, target, "field 'Config'", NULL);
}

/* ---- OCI layouts ------------------------------------------------------ */

static void test_image_oci_dir(void **state)
{
	const char *dir = tpath("ocidir");
	struct sink s = { dir, NULL };
	const struct customs_image_info *in;
	struct customs_image *img;
	struct built b;
	char target[600];
	size_t len;

	(void)state;
	build_oci(&s, &b, NULL, 0);
	fmt(target, sizeof(target), "oci:%s", dir);
	img = open_ok(NULL, target);
	in = customs_image_info(img);
	assert_int_equal(in->source, CUSTOMS_SOURCE_OCI_DIR);
	check_default_config(in, &b);
	assert_string_equal(in->manifest_digest, b.manifest.digest);
	assert_null(in->index_digest);
	assert_string_equal(in->repo_tags.v[0], "v1");
	assert_string_equal(in->layers[1].digest, b.layer[1].digest);
	assert_string_equal(customs_image_manifest_raw(img, &len),
			    b.manifest_json);
	check_layer(img, 1, b.layer_data[1], true);
	customs_image_free(img);
	/* Bare directory with oci-layout, and a ref after the path. */
	fmt(target, sizeof(target), "%s:v1", dir);
	img = open_ok(NULL, target);
	assert_int_equal(customs_image_info(img)->source,
			 CUSTOMS_SOURCE_OCI_DIR);
	customs_image_free(img);
}

static void test_image_oci_archive(void **state)
{
	const char *path = tpath("oci.tar");
	struct tw t = { NULL, 0 };
	struct sink s = { NULL, &t };
	struct customs_image *img;
	struct built b;
	char target[600];

	(void)state;
	build_oci(&s, &b, NULL, 0);
	tw_finish(&t, path);
	img = open_ok(NULL, path);
	assert_int_equal(customs_image_info(img)->source,
			 CUSTOMS_SOURCE_OCI_ARCHIVE);
	check_default_config(customs_image_info(img), &b);
	check_layer(img, 0, b.layer_data[0], false);
	customs_image_free(img);
	fmt(target, sizeof(target), "oci-archive:%s:v1", path);
	img = open_ok("linux/amd64", target);
	customs_image_free(img);
	/* An OCI archive is not a docker-archive. */
	fmt(target, sizeof(target), "docker-archive:%s", path);
	fail_open(CUSTOMS_ENOTFOUND, NULL, target,
		  "manifest.json: not found in docker-archive", NULL);
}

/* An index of amd64 and arm64/v8, plus an attestation manifest. */
static void build_multi(const char *dir, struct built *amd, struct built *arm,
			struct blob *index)
{
	struct sink s = { dir, NULL };
	char e[3][1024], idx[BIG], top[1024];
	struct built att;

	build_image(&s, amd, "amd64", NULL, NULL, 0);
	build_image(&s, arm, "arm64", "v8", NULL, 0);
	build_image(&s, &att, "unknown", NULL, NULL, 0);
	desc(e[0], 1024, MT_MANIFEST, &amd->manifest,
	     ",\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}");
	desc(e[1], 1024, MT_MANIFEST, &arm->manifest,
	     ",\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\","
	     "\"variant\":\"v8\"}");
	desc(e[2], 1024, MT_MANIFEST, &att.manifest,
	     ",\"platform\":{\"os\":\"unknown\",\"architecture\":\"unknown\"},"
	     "\"annotations\":{\"vnd.docker.reference.type\":"
	     "\"attestation-manifest\"}");
	fmt(idx, sizeof(idx),
	    "{\"schemaVersion\":2,\"mediaType\":\"" MT_INDEX "\","
	    "\"manifests\":[%s,%s,%s]}",
	    e[2], e[0], e[1]);
	blob_of(index, idx);
	put(&s, index->path, idx);
	desc(top, sizeof(top), MT_INDEX, index,
	     ",\"annotations\":{\"org.opencontainers.image.ref.name\":"
	     "\"multi\"}");
	put_layout(&s, top);
}

static void test_image_index_platforms(void **state)
{
	const char *dir = tpath("multi");
	const struct customs_image_info *in;
	struct built amd, arm;
	struct customs_image *img;
	struct blob index;

	(void)state;
	build_multi(dir, &amd, &arm, &index);
	img = open_ok(NULL, dir);
	in = customs_image_info(img);
	assert_string_equal(in->architecture, "amd64");
	assert_string_equal(in->manifest_digest, amd.manifest.digest);
	assert_string_equal(in->index_digest, index.digest);
	assert_int_equal(in->platforms.n, 2);
	assert_string_equal(in->platforms.v[0], "linux/amd64");
	assert_string_equal(in->platforms.v[1], "linux/arm64/v8");
	customs_image_free(img);

	img = open_ok("linux/arm64", dir);
	in = customs_image_info(img);
	assert_string_equal(in->architecture, "arm64");
	assert_string_equal(in->variant, "v8");
	assert_string_equal(in->id, arm.config.digest);
	customs_image_free(img);
	img = open_ok("linux/arm64/v8", dir);
	customs_image_free(img);

	fail_open(CUSTOMS_ENOTFOUND, "linux/s390x", dir,
		  "platform linux/s390x not in image; available: linux/amd64, "
		  "linux/arm64/v8",
		  "oci '");
	fail_open(CUSTOMS_ENOTFOUND, "linux/arm64/v7", dir, "linux/arm64/v7",
		  NULL);
	fail_open(CUSTOMS_EINVAL, "linux", dir, "bad platform 'linux'", NULL);
}

/* Some tools list per-platform manifests directly in index.json. */
static void test_image_top_level_platforms(void **state)
{
	const char *dir = tpath("toplevel");
	struct sink s = { dir, NULL };
	struct built amd, arm;
	struct customs_image *img;
	char e[2][1024], entries[2100];

	(void)state;
	build_image(&s, &amd, "amd64", NULL, NULL, 0);
	build_image(&s, &arm, "arm", "v6", NULL, 0);
	desc(e[0], 1024, MT_MANIFEST, &amd.manifest,
	     ",\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}");
	desc(e[1], 1024, MT_MANIFEST, &arm.manifest,
	     ",\"platform\":{\"os\":\"linux\",\"architecture\":\"arm\","
	     "\"variant\":\"v6\"}");
	fmt(entries, sizeof(entries), "%s,%s", e[0], e[1]);
	put_layout(&s, entries);
	img = open_ok(NULL, dir);
	assert_string_equal(customs_image_info(img)->id, amd.config.digest);
	assert_null(customs_image_info(img)->index_digest);
	customs_image_free(img);
	/* No variant asked: the only arm variant will do. */
	img = open_ok("linux/arm", dir);
	assert_string_equal(customs_image_info(img)->id, arm.config.digest);
	assert_string_equal(customs_image_info(img)->platforms.v[1],
			    "linux/arm/v6");
	customs_image_free(img);
	fail_open(CUSTOMS_ENOTFOUND, "linux/arm/v7", dir,
		  "available: linux/amd64, linux/arm/v6", NULL);
}

static void test_image_single_manifest_platform(void **state)
{
	const char *dir = tpath("single");
	struct sink s = { dir, NULL };
	struct customs_image *img;
	struct built b;

	(void)state;
	build_oci(&s, &b, NULL, 0);
	img = open_ok("linux/amd64", dir);
	customs_image_free(img);
	fail_open(CUSTOMS_ENOTFOUND, "linux/arm64", dir,
		  "platform linux/arm64 not in image; available: linux/amd64",
		  NULL);
}

static void test_image_oci_ref(void **state)
{
	const char *dir = tpath("refs");
	struct sink s = { dir, NULL };
	struct built one, two;
	struct customs_image *img;
	char e[2][1024], entries[2100], target[600];

	(void)state;
	build_image(&s, &one, "amd64", NULL, NULL, 0);
	build_image(&s, &two, "amd64", "v2", NULL, 0);
	desc(e[0], 1024, MT_MANIFEST, &one.manifest,
	     ",\"annotations\":{\"org.opencontainers.image.ref.name\":"
	     "\"one\"}");
	desc(e[1], 1024, MT_MANIFEST, &two.manifest,
	     ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"two\","
	     "\"io.containerd.image.name\":\"example.com/app:two\"}");
	fmt(entries, sizeof(entries), "%s,%s", e[0], e[1]);
	put_layout(&s, entries);

	fail_open(CUSTOMS_ENOTFOUND, NULL, dir, "index.json lists 2 images",
		  "one, example.com/app:two");
	fmt(target, sizeof(target), "oci:%s:two", dir);
	img = open_ok(NULL, target);
	assert_string_equal(customs_image_info(img)->id, two.config.digest);
	assert_string_equal(customs_image_info(img)->repo_tags.v[0],
			    "example.com/app:two");
	customs_image_free(img);
	fmt(target, sizeof(target), "oci:%s:example.com/app:two", dir);
	img = open_ok(NULL, target);
	customs_image_free(img);
	fmt(target, sizeof(target), "oci:%s:one", dir);
	img = open_ok(NULL, target);
	assert_string_equal(customs_image_info(img)->id, one.config.digest);
	customs_image_free(img);
	fmt(target, sizeof(target), "oci:%s:nope", dir);
	fail_open(CUSTOMS_ENOTFOUND, NULL, target,
		  "no image with reference 'nope'", NULL);
}

static void test_image_nested_index(void **state)
{
	const char *dir = tpath("nested");
	struct sink s = { dir, NULL };
	struct blob ix[6];
	struct built b;
	char cur[1024], doc[2048];
	struct customs_image *img;
	int i;

	(void)state;
	build_image(&s, &b, "amd64", NULL, NULL, 0);
	desc(cur, sizeof(cur), MT_MANIFEST, &b.manifest, NULL);
	for (i = 0; i < 6; i++) {
		fmt(doc, sizeof(doc),
		    "{\"schemaVersion\":2,\"mediaType\":\"" MT_INDEX "\","
		    "\"manifests\":[%s]}",
		    cur);
		blob_of(&ix[i], doc);
		put(&s, ix[i].path, doc);
		desc(cur, sizeof(cur), MT_INDEX, &ix[i], NULL);
		if (i == 2)
			put_layout(&s, cur); /* depth 3: fine */
	}
	img = open_ok(NULL, dir);
	assert_string_equal(customs_image_info(img)->index_digest,
			    ix[0].digest);
	customs_image_free(img);
	put_layout(&s, cur); /* depth 6: too deep */
	fail_open(CUSTOMS_ELIMIT, NULL, dir, "nested deeper than 4", NULL);
}

/* ---- failures --------------------------------------------------------- */

static void test_image_schema1_rejected(void **state)
{
	const char *dir = tpath("schema1");
	const char *v1 = "{\"schemaVersion\":1,\"name\":\"x\",\"fsLayers\":[]}";
	struct sink s = { dir, NULL };
	struct blob m;
	char d[1024];

	(void)state;
	blob_of(&m, v1);
	put(&s, m.path, v1);
	desc(d, sizeof(d),
	     "application/vnd.docker.distribution.manifest.v1+json", &m, NULL);
	put_layout(&s, d);
	fail_open(CUSTOMS_EUNSUPPORTED, NULL, dir,
		  "docker schema 1 manifests are not supported", NULL);
	/* Found by content when the descriptor does not say. */
	desc(d, sizeof(d), MT_MANIFEST, &m, NULL);
	put_layout(&s, d);
	fail_open(CUSTOMS_EUNSUPPORTED, NULL, dir, "schema 1", m.digest);
}

static void test_image_compressed_rejected(void **state)
{
	const unsigned char gz[] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
	const unsigned char zst[] = { 0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0 };
	char target[600];

	(void)state;
	write_file(tpath("img.tar.gz"), gz, sizeof(gz));
	write_file(tpath("img.tar.zst"), zst, sizeof(zst));
	fail_open(CUSTOMS_EUNSUPPORTED, NULL, tpath("img.tar.gz"),
		  "compressed archives are not supported: decompress '",
		  "img.tar.gz' first");
	fmt(target, sizeof(target), "docker-archive:%s", tpath("img.tar.zst"));
	fail_open(CUSTOMS_EUNSUPPORTED, NULL, target, "img.tar.zst", NULL);
}

static void test_image_missing_layer_blob(void **state)
{
	const char *dir = tpath("missing");
	struct sink s = { dir, NULL };
	struct built b;
	char want[300];

	(void)state;
	build_oci(&s, &b, NULL, SKIP_LAYER2);
	fmt(want, sizeof(want),
	    "manifest %s: layer 1 blob %s: not found in oci", b.manifest.digest,
	    b.layer[1].digest);
	fail_open(CUSTOMS_ENOTFOUND, NULL, dir, want, NULL);
	build_docker_classic(tpath("missing.tar"), &b, SKIP_LAYER2);
	fail_open(CUSTOMS_ENOTFOUND, NULL, tpath("missing.tar"),
		  "manifest.json: layer 1 'def/layer.tar': not found in "
		  "docker-archive",
		  NULL);
}

static void test_image_layer_size_mismatch(void **state)
{
	const char *dir = tpath("short");
	struct sink s = { dir, NULL };
	struct built b;

	(void)state;
	build_oci(&s, &b, NULL, SHORT_LAYER1);
	fail_open(CUSTOMS_EFORMAT, NULL, dir, "layer 0 blob", "bytes");
}

static void test_image_config_digest_mismatch(void **state)
{
	const char *dir = tpath("badcfg");
	struct sink s = { dir, NULL };
	struct built b;
	char want[200];

	(void)state;
	build_oci(&s, &b, NULL, CORRUPT_CFG);
	fmt(want, sizeof(want),
	    "config blob %s: digest mismatch (got sha256:", b.config.digest);
	fail_open(CUSTOMS_EDIGEST, NULL, dir, want, NULL);
}

static void check_bad_config(const char *name, const char *body,
			     const char *field)
{
	const char *dir = tpath(name);
	struct sink s = { dir, NULL };
	struct built b;
	char cfg[BIG], want[200];

	make_layers(&b, "amd64");
	fmt(cfg, sizeof(cfg),
	    "{\"os\":\"linux\",\"architecture\":\"amd64\",%s,"
	    "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"%s\",\"%s\"]}}",
	    body, b.layer[0].digest, b.layer[1].digest);
	build_oci(&s, &b, cfg, 0);
	fmt(want, sizeof(want), "config %s: field '%s'", b.config.digest,
	    field);
	fail_open(CUSTOMS_EFORMAT, NULL, dir, want, NULL);
}

static void test_image_wrong_json_types(void **state)
{
	(void)state;
	check_bad_config("t1", "\"config\":{\"Env\":5}", "config.Env");
	check_bad_config("t2", "\"config\":{\"Env\":[\"A=1\",2]}",
			 "config.Env");
	check_bad_config("t3", "\"config\":{\"Labels\":{\"a\":1}}",
			 "config.Labels");
	check_bad_config("t4", "\"config\":{\"User\":[]}", "config.User");
	check_bad_config("t5", "\"history\":{}", "history");
	check_bad_config("t6", "\"history\":[{\"empty_layer\":\"yes\"}]",
			 "history[0].empty_layer");
	check_bad_config("t7",
			 "\"config\":{\"Healthcheck\":{\"Retries\":\"3\"}}",
			 "config.Healthcheck.Retries");
	check_bad_config("t8", "\"config\":{\"ExposedPorts\":[\"80/tcp\"]}",
			 "config.ExposedPorts");
}

static void test_image_diff_ids_count(void **state)
{
	const char *dir = tpath("diffids");
	struct sink s = { dir, NULL };
	struct built b;
	char cfg[BIG];

	(void)state;
	make_layers(&b, "amd64");
	fmt(cfg, sizeof(cfg),
	    "{\"os\":\"linux\",\"architecture\":\"amd64\",\"config\":null,"
	    "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"%s\"]}}",
	    b.layer[0].digest);
	build_oci(&s, &b, cfg, 0);
	fail_open(CUSTOMS_EFORMAT, NULL, dir, "field 'rootfs.diff_ids'",
		  "1 entries but the manifest lists 2 layers");
}

static void test_image_manifest_limit(void **state)
{
	const char *dir = tpath("limit");
	struct sink s = { dir, NULL };
	struct customs_image_opts o = CUSTOMS_IMAGE_OPTS_INIT;
	struct built b;
	struct stat st;
	char want[200];

	(void)state;
	build_oci(&s, &b, NULL, 0);
	assert_int_equal(stat(tpath("limit/index.json"), &st), 0);
	assert_true((size_t)st.st_size < b.manifest.size);
	o.limits.max_manifest_bytes = (uint64_t)st.st_size;
	fmt(want, sizeof(want),
	    "manifest %s: %zu bytes, more than "
	    "max_manifest_bytes",
	    b.manifest.digest, b.manifest.size);
	fail_opts(CUSTOMS_ELIMIT, &o, dir, want, NULL);
	o.limits.max_manifest_bytes = 10;
	fail_opts(CUSTOMS_ELIMIT, &o, dir, "oci-layout", NULL);
	o.limits.max_manifest_bytes = 0;
	o.limits.max_layers = 1;
	fail_opts(CUSTOMS_ELIMIT, &o, dir, "more than max_layers (1)", NULL);
}

/* ---- the outer tar ---------------------------------------------------- */

static void test_image_tar_member_beyond_eof(void **state)
{
	const char *path = tpath("trunc.tar");
	struct tw t = { NULL, 0 };
	char data[600];

	(void)state;
	memset(data, 'x', sizeof(data));
	tw_file(&t, "oci-layout", "{}");
	tw_header(&t, "manifest.json", '0', NULL, 100000);
	tw_raw(&t, data, sizeof(data));
	write_file(path, t.p, t.n);
	free(t.p);
	fail_open(CUSTOMS_EFORMAT, NULL, path,
		  "member 'manifest.json' extends beyond the end of the file",
		  "'");
}

static void test_image_tar_bad_checksum(void **state)
{
	const char *path = tpath("cksum.tar");
	struct tw t = { NULL, 0 };
	char target[600];

	(void)state;
	tw_file(&t, "a", "x");
	tw_file(&t, "manifest.json", "[]");
	t.p[1024 + 10] ^= 1; /* second header, in its name field */
	tw_finish(&t, path);
	fmt(target, sizeof(target), "docker-archive:%s", path);
	fail_open(CUSTOMS_EFORMAT, NULL, target,
		  "bad tar header checksum at offset 1024", "docker-archive '");
	/* A broken first header: not a tar at all. */
	tw_file(&t, "a", "x");
	t.p[0] ^= 1;
	tw_finish(&t, path);
	fail_open(CUSTOMS_EFORMAT, NULL, path, "not an image", NULL);
	fail_open(CUSTOMS_EFORMAT, NULL, target, "not a tar archive", NULL);
}

static void check_link_layer(const char *name, const char *link, int code,
			     const char *want)
{
	const char *path = tpath(name);
	struct tw t = { NULL, 0 };

	tw_file(&t, "c.json", "{\"os\":\"linux\",\"architecture\":\"amd64\"}");
	tw_file(&t, "blobs/sha256/x", "inside");
	tw_add(&t, "a/b/layer.tar", '2', link, NULL, 0);
	tw_add(&t, "loop1", '2', "loop2", NULL, 0);
	tw_add(&t, "loop2", '2', "loop1", NULL, 0);
	tw_add(&t, "hard", '1', "blobs/sha256/x", NULL, 0);
	tw_file(&t, "manifest.json",
		"[{\"Config\":\"c.json\",\"Layers\":[\"a/b/layer.tar\"]}]");
	tw_finish(&t, path);
	if (code)
		fail_open(code, NULL, path, want, "a/b/layer.tar");
}

static void test_image_tar_symlink_escape(void **state)
{
	struct customs_image *img;

	(void)state;
	check_link_layer("esc1.tar", "../../../etc/passwd", CUSTOMS_EFORMAT,
			 "link target escapes the archive");
	check_link_layer("esc2.tar", "/etc/passwd", CUSTOMS_EFORMAT,
			 "link target is absolute");
	check_link_layer("esc3.tar", "../../loop1", CUSTOMS_ELOOP,
			 "too many levels of symbolic links");
	check_link_layer("esc4.tar", "../../nothing", CUSTOMS_ENOTFOUND,
			 "not found in docker-archive");
	check_link_layer("ok1.tar", "../../hard", 0, NULL);
	img = open_ok(NULL, tpath("ok1.tar"));
	check_layer(img, 0, "inside", false);
	customs_image_free(img);
	check_link_layer("ok2.tar", ".././../blobs//sha256/x", 0, NULL);
	img = open_ok(NULL, tpath("ok2.tar"));
	check_layer(img, 0, "inside", false);
	customs_image_free(img);
}

static int memfd_of(const void *p, size_t n)
{
	int fd = memfd_create("tar", MFD_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, p, n), (ssize_t)n);
	return fd;
}

static void add_pax(struct tw *t, const char *records)
{
	tw_add(t, "PaxHeader", 'x', NULL, records, strlen(records));
}

static void test_image_tarindex_extended(void **state)
{
	struct customs_limits lim = CUSTOMS_LIMITS_INIT;
	struct customs_ctx *ctx = ctx_new();
	const struct tar_member *m;
	struct tarindex *ti;
	struct tw t = { NULL, 0 };
	char longname[200];
	const char *why;
	int fd;

	(void)state;
	customs_limits_resolve(&lim);
	memset(longname, 'n', sizeof(longname));
	memcpy(longname + 150, "/end", 5);
	tw_add(&t, "././@LongLink", 'L', NULL, longname, strlen(longname) + 1);
	tw_file(&t, "truncated-name", "long");
	add_pax(&t, "28 path=./pax/dir//name.txt\n");
	tw_file(&t, "ignored", "pax");
	tw_add(&t, "global", 'g', NULL, "8 a=bcd\n", 8);
	/* GNU base-256 size: 0x80 then big-endian. */
	tw_header(&t, "b256", '0', NULL, 0);
	memset(t.p + t.n - 512 + 124, 0, 12);
	t.p[t.n - 512 + 124] = 0x80;
	t.p[t.n - 512 + 135] = 3;
	tw_checksum(t.p + t.n - 512);
	tw_raw(&t, "abc", 3);
	tw_raw(&t, (const char[512]){ 0 }, 509);
	tw_raw(&t, (const char[1024]){ 0 }, 1024);
	fd = memfd_of(t.p, t.n);
	assert_int_equal(tarindex_build(&ti, fd, t.n, "t", &lim, ctx), 0);
	assert_int_equal(tarindex_find(ti, longname, &m, &why), 0);
	assert_int_equal(m->size, 4);
	assert_int_equal(tarindex_find(ti, "pax/dir/name.txt", &m, &why), 0);
	assert_int_equal(m->size, 3);
	assert_int_equal(tarindex_find(ti, "./b256", &m, &why), 0);
	assert_int_equal(m->size, 3);
	assert_int_equal(tarindex_find(ti, "ignored", &m, &why),
			 CUSTOMS_ENOTFOUND);
	tarindex_free(ti);
	lim.max_path_len = 100;
	assert_int_equal(tarindex_build(&ti, fd, t.n, "t", &lim, ctx),
			 CUSTOMS_ELIMIT);
	check_msg(ctx, "max_path_len (100)");
	lim.max_path_len = 4096;
	lim.max_entries = 2;
	assert_int_equal(tarindex_build(&ti, fd, t.n, "t", &lim, ctx),
			 CUSTOMS_ELIMIT);
	check_msg(ctx, "max_entries (2)");
	close(fd);
	free(t.p);
	customs_ctx_free(ctx);
}

static void test_image_tarindex_bad_pax(void **state)
{
	struct customs_limits lim = CUSTOMS_LIMITS_INIT;
	struct customs_ctx *ctx = ctx_new();
	struct tarindex *ti = NULL;
	struct tw t = { NULL, 0 };
	int fd;

	(void)state;
	customs_limits_resolve(&lim);
	add_pax(&t, "99 path=x\n");
	tw_file(&t, "x", "1");
	tw_raw(&t, (const char[1024]){ 0 }, 1024);
	fd = memfd_of(t.p, t.n);
	assert_int_equal(tarindex_build(&ti, fd, t.n, "t", &lim, ctx),
			 CUSTOMS_EFORMAT);
	check_msg(ctx, "t: bad pax header at offset 0");
	assert_null(ti);
	close(fd);
	free(t.p);
	customs_ctx_free(ctx);
}

/* ---- targets ---------------------------------------------------------- */

static void test_image_targets(void **state)
{
	struct customs_ctx *ctx = ctx_new();
	struct customs_image *img;
	struct customs_blob bl;
	struct tw t = { NULL, 0 };
	struct built b;
	char target[600];

	(void)state;
	/* registry targets that fail before any network access */
	fail_open(CUSTOMS_EFORMAT, NULL, "registry:team/Bad", "'team/Bad'",
		  NULL);
	fail_open(CUSTOMS_EINVAL, NULL, "registry:", "has no reference", NULL);
	fail_open(CUSTOMS_EINVAL, "linux", "registry:nope/x", "bad platform",
		  NULL);
	/* bare names that are not paths but not references either */
	fail_open(CUSTOMS_ENOTFOUND, NULL, "customs-nope.tar",
		  "no such file: 'customs-nope.tar'", NULL);
	fail_open(CUSTOMS_ENOTFOUND, NULL, "./customs-nope",
		  "no such file: './customs-nope'", NULL);
	fail_open(CUSTOMS_ENOTFOUND, NULL, "Customs-Nope",
		  "no such file: 'Customs-Nope'", NULL);
	fail_open(CUSTOMS_ENOTFOUND, NULL, tpath("nope.tar"), "no such file: '",
		  "nope.tar'");
	fmt(target, sizeof(target), "oci:%s:ref", tpath("nope"));
	fail_open(CUSTOMS_ENOTFOUND, NULL, target, "no such file", NULL);
	fail_open(CUSTOMS_EINVAL, NULL, "", "empty image target", NULL);

	tw_file(&t, "etc/os-release", "ID=x\n");
	tw_finish(&t, tpath("plain.tar"));
	fail_open(CUSTOMS_EFORMAT, NULL, tpath("plain.tar"),
		  "not an image: a tar without manifest.json or index.json",
		  "plain.tar");

	mkdirs(tpath("rootfs/etc/"));
	fmt(target, sizeof(target), "dir:%s", tpath("rootfs"));
	img = open_ok(NULL, target);
	assert_int_equal(customs_image_info(img)->source, CUSTOMS_SOURCE_DIR);
	assert_int_equal(customs_image_info(img)->n_layers, 0);
	assert_null(customs_image_info(img)->id);
	assert_null(customs_image_config_raw(img, NULL));
	assert_non_null(strstr(customs_image_rootfs(img), "/rootfs"));
	assert_int_equal(customs_image_layer_blob(img, 0, &bl, ctx),
			 CUSTOMS_EINVAL);
	customs_image_free(img);
	img = open_ok(NULL, tpath("rootfs"));
	assert_int_equal(customs_image_info(img)->source, CUSTOMS_SOURCE_DIR);
	customs_image_free(img);
	fmt(target, sizeof(target), "oci:%s", tpath("rootfs"));
	fail_open(CUSTOMS_EFORMAT, NULL, target, "no oci-layout file", NULL);

	/* A path with ':' in it, followed by a reference with one too. */
	mkdirs(tpath("colon/x"));
	build_docker_classic(tpath("colon/a:b.tar"), &b, 0);
	fmt(target, sizeof(target), "docker-archive:%s:app:1",
	    tpath("colon/a:b.tar"));
	img = open_ok(NULL, target);
	assert_string_equal(customs_image_info(img)->source_path,
			    tpath("colon/a:b.tar"));
	customs_image_free(img);

	assert_string_equal(
		customs_source_kind_name(CUSTOMS_SOURCE_OCI_ARCHIVE),
		"oci-archive");
	assert_string_equal(customs_source_kind_name(CUSTOMS_SOURCE_DIR),
			    "dir");
	customs_image_free(NULL);
	customs_ctx_free(ctx);
}

/* ---- main ------------------------------------------------------------- */

static int rm_entry(const char *p, const struct stat *sb, int flag,
		    struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/customs-test-image-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_image_docker_archive_classic),
		cmocka_unit_test(test_image_docker_archive_layer_index),
		cmocka_unit_test(test_image_docker_archive_oci_layout),
		cmocka_unit_test(test_image_docker_archive_ref),
		cmocka_unit_test(test_image_docker_archive_config_digest),
		cmocka_unit_test(test_image_docker_archive_bad_manifest),
		cmocka_unit_test(test_image_oci_dir),
		cmocka_unit_test(test_image_oci_archive),
		cmocka_unit_test(test_image_index_platforms),
		cmocka_unit_test(test_image_top_level_platforms),
		cmocka_unit_test(test_image_single_manifest_platform),
		cmocka_unit_test(test_image_oci_ref),
		cmocka_unit_test(test_image_nested_index),
		cmocka_unit_test(test_image_schema1_rejected),
		cmocka_unit_test(test_image_compressed_rejected),
		cmocka_unit_test(test_image_missing_layer_blob),
		cmocka_unit_test(test_image_layer_size_mismatch),
		cmocka_unit_test(test_image_config_digest_mismatch),
		cmocka_unit_test(test_image_wrong_json_types),
		cmocka_unit_test(test_image_diff_ids_count),
		cmocka_unit_test(test_image_manifest_limit),
		cmocka_unit_test(test_image_tar_member_beyond_eof),
		cmocka_unit_test(test_image_tar_bad_checksum),
		cmocka_unit_test(test_image_tar_symlink_escape),
		cmocka_unit_test(test_image_tarindex_extended),
		cmocka_unit_test(test_image_tarindex_bad_pax),
		cmocka_unit_test(test_image_targets),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
