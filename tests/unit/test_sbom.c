/*
 * Unit tests of the SBOM writers and readers (src/sbom): golden files for
 * the three writers from a hand-built SBOM that sets every field, the
 * native round trip, content-derived ids, reading CycloneDX and SPDX in
 * the shapes customs, Syft and Trivy write, and malformed input.
 *
 * CUSTOMS_UPDATE_GOLDEN=1 rewrites tests/golden/sbom.* from the writers
 * (review the diff before committing it).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "customs/sbom.h"
#include "util/banned.h"

#define GOLDEN CUSTOMS_TEST_SRCDIR "/golden/"

static const char *const L0 =
	"sha256:"
	"1111111111111111111111111111111111111111111111111111111111111111";
static const char *const L1 =
	"sha256:"
	"2222222222222222222222222222222222222222222222222222222222222222";

static struct customs_pkg *add_pkg(struct customs_sbom *s,
				   enum customs_pkg_type t, const char *id,
				   const char *name, const char *version,
				   const char *found_by)
{
	struct customs_pkg *p = customs_pkg_new(t);

	assert_non_null(p);
	assert_int_equal(customs_pkg_setz(&p->id, id), 0);
	assert_int_equal(customs_pkg_setz(&p->name, name), 0);
	assert_int_equal(customs_pkg_setz(&p->version, version), 0);
	assert_int_equal(customs_pkg_setz(&p->found_by, found_by), 0);
	assert_int_equal(customs_pkglist_push(&s->pkgs, p), 0);
	return p;
}

static void loc(struct customs_pkg *p, const char *path, const char *access,
		int layer, enum customs_evidence ev, bool visible)
{
	struct customs_pkg_location *l;

	assert_int_equal(customs_pkg_add_location(p, path, access, layer, ev),
			 0);
	l = &p->locations[p->n_locations - 1];
	l->visible = visible;
	if (layer >= 0)
		assert_int_equal(
			customs_pkg_setz(&l->layer_id, layer ? L1 : L0), 0);
}

static void fill_source(struct customs_sbom *s)
{
	struct customs_sbom_source *src = &s->source;
	struct customs_sbom_distro *d = &s->distro;

	customs_pkg_setz(&src->kind, "image");
	customs_pkg_setz(&src->name, "docker-archive:sbom-test.tar");
	customs_pkg_setz(&src->image_id, "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
					 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	customs_pkg_setz(&src->manifest_digest,
			 "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
			 "bbbbbbbbbbbbbbbbbbb");
	customs_pkg_setz(&src->os, "linux");
	customs_pkg_setz(&src->arch, "amd64");
	customs_strlist_add(&src->tags, "customs-test/sbom:1.0");
	customs_strlist_add(&src->layer_ids, L0);
	customs_strlist_add(&src->layer_ids, L1);
	customs_pkg_setz(&d->id, "debian");
	customs_pkg_setz(&d->version_id, "12");
	customs_pkg_setz(&d->version, "12 (bookworm)");
	customs_pkg_setz(&d->pretty_name, "Debian GNU/Linux 12 (bookworm)");
	customs_pkg_setz(&d->id_like, "");
	customs_pkg_setz(&d->cpe, "cpe:/o:debian:debian_linux:12");
	customs_pkg_setz(&s->scope, "squashed");
	customs_strlist_add(&s->warnings,
			    "layer 0 (sha256:1111111111111111111111111111111111"
			    "111111111111111111111111111111): dpkg-db-cataloger"
			    ": var/lib/dpkg/status: line 40: no Version field");
	customs_strlist_add(&s->warnings, "npm: \"quoted\"\tand a tab");
}

static void fill_deb(struct customs_sbom *s)
{
	struct customs_pkg *p =
		add_pkg(s, CUSTOMS_PKG_DEB, "0f1e2d3c4b5a6978", "login",
			"1:4.13+dfsg1-1+b1", "dpkg-db-cataloger");

	customs_pkg_setz(&p->arch, "amd64");
	customs_pkg_setz(&p->source_name, "shadow");
	customs_pkg_setz(&p->source_version, "1:4.13+dfsg1-1");
	customs_pkg_add_license(p, "GPL-2+");
	customs_pkg_add_license(p, "BSD-3-clause");
	customs_pkg_add_license(p, "public-domain");
	customs_pkg_meta_set(p, "installed_size", "2704");
	customs_pkg_meta_set(p, "maintainer",
			     "Shadow package maintainers <pkg@example.org>");
	p->introduced_layer = 0;
	loc(p, "var/lib/dpkg/status", NULL, 0, CUSTOMS_EVIDENCE_PRIMARY, true);
	loc(p, "var/lib/dpkg/info/login.md5sums", NULL, 1,
	    CUSTOMS_EVIDENCE_SUPPORTING, true);
	customs_pkg_add_file(p, "bin/login", "md5",
			     "1f1a3f8a6d5b2c0e9f7a4b3c2d1e0f9a", false);
	customs_pkg_add_file(p, "etc/login.defs", NULL, NULL, true);
}

static void fill_lang(struct customs_sbom *s)
{
	struct customs_pkg *p;

	p = add_pkg(s, CUSTOMS_PKG_NPM, "1111aaaa2222bbbb", "@babel/core",
		    "7.22.5", "javascript-package-cataloger");
	customs_pkg_add_license(p, "MIT");
	loc(p, "app/node_modules/@babel/core/package.json", NULL, 1,
	    CUSTOMS_EVIDENCE_PRIMARY, false);
	p = add_pkg(s, CUSTOMS_PKG_PYTHON, "3333cccc4444dddd", "cryptography",
		    "41.0.3", "python-installed-package-cataloger");
	customs_pkg_add_license(p, "Apache-2.0 OR BSD-3-Clause");
	loc(p,
	    "usr/lib/python3/dist-packages/cryptography-41.0.3.dist-info/"
	    "METADATA",
	    NULL, 1, CUSTOMS_EVIDENCE_PRIMARY, true);
	p = add_pkg(s, CUSTOMS_PKG_JAVA, "5555eeee6666ffff", "log4j-core",
		    "2.17.1", "java-archive-cataloger");
	customs_pkg_setz(&p->namespace, "org.apache.logging.log4j");
	customs_pkg_add_license(p, "Apache License, Version 2.0");
	customs_pkg_add_license(p, "Custom Licence (see NOTICE)");
	customs_pkg_meta_set(p, "sha1",
			     "b1f1e1d1c1b1a1f1e1d1c1b1a1f1e1d1c1b1a1f1");
	customs_pkg_meta_set(p, "virtual_path",
			     "opt/app.war:WEB-INF/lib/log4j-core-2.17.1.jar");
	loc(p, "opt/app.war", "opt/app.war:WEB-INF/lib/log4j-core-2.17.1.jar",
	    1, CUSTOMS_EVIDENCE_PRIMARY, true);
	p = add_pkg(s, CUSTOMS_PKG_BINARY, "7777000088881111", "python",
		    "3.11.2", "binary-classifier-cataloger");
	customs_pkg_add_cpe(p, "cpe:2.3:a:python_software_foundation:python:"
			       "3.11.2:*:*:*:*:*:*:*");
	customs_pkg_add_cpe(p, "cpe:2.3:a:python:python:3.11.2:*:*:*:*:*:*:*");
	customs_pkg_meta_set(p, "note", "caf\xc3\xa9 \"x\"\n\x01 bad:\xff");
	loc(p, "usr/bin/python3.11", NULL, -1, CUSTOMS_EVIDENCE_PRIMARY, true);
	p = add_pkg(s, CUSTOMS_PKG_GO, "9999222233334444", "stdlib", "go1.21.5",
		    "go-module-binary-cataloger");
	customs_pkg_add_license(p, "BSD-3-Clause");
	loc(p, "usr/local/bin/app", NULL, 1, CUSTOMS_EVIDENCE_PRIMARY, true);
}

/* The hand-built SBOM of the golden files: every field set somewhere. */
static struct customs_sbom *sample(void)
{
	struct customs_sbom *s = customs_sbom_new();
	struct customs_pkg_distro d = { "debian", "12", "" };
	size_t i;

	assert_non_null(s);
	fill_source(s);
	fill_deb(s);
	fill_lang(s);
	for (i = 0; i < s->pkgs.n; i++)
		assert_int_equal(customs_pkg_derive(s->pkgs.v[i], &d), 0);
	customs_sbom_sort(s);
	return s;
}

/* Render s in fmt into a heap string. */
static char *render(const struct customs_sbom *s, enum customs_sbom_format fmt,
		    const struct customs_sbom_write_opts *o, size_t *len)
{
	struct customs_ctx *ctx;
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	assert_non_null(f);
	assert_int_equal(customs_ctx_new(&ctx), 0);
	if (customs_sbom_write(f, s, fmt, o, ctx))
		fail_msg("write: %s", customs_ctx_errmsg(ctx));
	fclose(f);
	customs_ctx_free(ctx);
	if (len)
		*len = n;
	return buf;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

static void golden(const char *name, enum customs_sbom_format fmt)
{
	struct customs_sbom_write_opts o = CUSTOMS_SBOM_WRITE_OPTS_INIT;
	struct customs_sbom *s = sample();
	char path[1024], *got, *want;
	const char *upd = getenv("CUSTOMS_UPDATE_GOLDEN");

	o.tool_version = "0.1.0";
	snprintf(path, sizeof(path), GOLDEN "%s", name);
	got = render(s, fmt, &o, NULL);
	if (upd && *upd == '1') {
		FILE *f = fopen(path, "wb");

		assert_non_null(f);
		fputs(got, f);
		fclose(f);
	}
	want = slurp(path, NULL);
	if (strcmp(got, want))
		fail_msg("%s differs from the writer's output (run with "
			 "CUSTOMS_UPDATE_GOLDEN=1 and review the diff)",
			 path);
	free(got);
	free(want);
	customs_sbom_free(s);
}

static void test_sbom_native_golden(void **state)
{
	(void)state;
	golden("sbom.json", CUSTOMS_SBOM_JSON);
}

static void test_sbom_cyclonedx_golden(void **state)
{
	(void)state;
	golden("sbom.cdx.json", CUSTOMS_SBOM_CYCLONEDX_JSON);
}

static void test_sbom_spdx_golden(void **state)
{
	(void)state;
	golden("sbom.spdx.json", CUSTOMS_SBOM_SPDX_JSON);
}

static struct customs_sbom *parse(const char *data, size_t len,
				  const char *name)
{
	struct customs_sbom *s = NULL;
	struct customs_ctx *ctx;

	assert_int_equal(customs_ctx_new(&ctx), 0);
	if (customs_sbom_read(&s, data, len, name, ctx))
		fail_msg("read %s: %s", name, customs_ctx_errmsg(ctx));
	customs_ctx_free(ctx);
	assert_non_null(s);
	return s;
}

static void test_sbom_native_roundtrip_exact(void **state)
{
	struct customs_sbom_write_opts o = CUSTOMS_SBOM_WRITE_OPTS_INIT;
	struct customs_sbom *s = sample(), *back;
	char *a, *b;
	size_t na;

	(void)state;
	customs_pkg_setz(&s->created, "2024-03-01T12:00:00Z");
	o.created = s->created;
	a = render(s, CUSTOMS_SBOM_JSON, &o, &na);
	back = parse(a, na, "a.json");
	assert_string_equal(back->created, "2024-03-01T12:00:00Z");
	assert_int_equal(back->pkgs.n, s->pkgs.n);
	assert_int_equal(back->pkgs.v[0]->introduced_layer, 0);
	assert_int_equal(back->pkgs.v[0]->n_files, 2);
	assert_true(back->pkgs.v[0]->files[1].config);
	o.created = back->created;
	b = render(back, CUSTOMS_SBOM_JSON, &o, NULL);
	assert_string_equal(a, b);
	/* and the derived formats agree too */
	free(a);
	free(b);
	a = render(s, CUSTOMS_SBOM_CYCLONEDX_JSON, &o, NULL);
	b = render(back, CUSTOMS_SBOM_CYCLONEDX_JSON, &o, NULL);
	assert_string_equal(a, b);
	free(a);
	free(b);
	customs_sbom_free(back);
	customs_sbom_free(s);
}

static void test_sbom_ids_deterministic_and_seeded(void **state)
{
	struct customs_sbom_write_opts o = CUSTOMS_SBOM_WRITE_OPTS_INIT;
	struct customs_sbom *s = sample();
	char *a, *b, *c;

	(void)state;
	a = render(s, CUSTOMS_SBOM_CYCLONEDX_JSON, &o, NULL);
	b = render(s, CUSTOMS_SBOM_CYCLONEDX_JSON, &o, NULL);
	assert_string_equal(a, b);
	assert_null(strstr(a, "\"timestamp\""));
	o.namespace_seed = "run-42";
	o.created = "2024-05-06T07:08:09Z";
	c = render(s, CUSTOMS_SBOM_CYCLONEDX_JSON, &o, NULL);
	assert_string_not_equal(strstr(a, "urn:uuid:"), strstr(c, "urn:uuid:"));
	assert_non_null(strstr(c, "\"timestamp\": \"2024-05-06T07:08:09Z\""));
	free(a);
	free(b);
	free(c);
	o.namespace_seed = NULL;
	o.created = NULL;
	a = render(s, CUSTOMS_SBOM_SPDX_JSON, &o, NULL);
	assert_non_null(strstr(a, "\"created\": \"1970-01-01T00:00:00Z\""));
	o.created = "2024-05-06T07:08:09Z";
	b = render(s, CUSTOMS_SBOM_SPDX_JSON, &o, NULL);
	assert_non_null(strstr(b, "\"created\": \"2024-05-06T07:08:09Z\""));
	free(a);
	free(b);
	customs_sbom_free(s);
}

static const struct customs_pkg *find(const struct customs_sbom *s,
				      const char *name)
{
	size_t i;

	for (i = 0; i < s->pkgs.n; i++) {
		if (s->pkgs.v[i]->name && !strcmp(s->pkgs.v[i]->name, name))
			return s->pkgs.v[i];
	}
	fail_msg("no package %s", name);
	return NULL;
}

/* Our CycloneDX and SPDX read back with the facts matching needs. */
static void read_back(enum customs_sbom_format fmt, bool layers)
{
	struct customs_sbom_write_opts o = CUSTOMS_SBOM_WRITE_OPTS_INIT;
	struct customs_sbom *s = sample(), *back;
	const struct customs_pkg *p;
	size_t i, n;
	char *doc = render(s, fmt, &o, &n);

	back = parse(doc, n, "doc.json");
	assert_int_equal(back->pkgs.n, s->pkgs.n);
	for (i = 0; i < s->pkgs.n; i++) {
		const struct customs_pkg *a = s->pkgs.v[i];

		p = find(back, a->name);
		assert_int_equal(p->type, a->type);
		assert_string_equal(p->version, a->version);
		assert_string_equal(p->purl ? p->purl : "-",
				    a->purl ? a->purl : "-");
		assert_string_equal(p->found_by, a->found_by);
		assert_string_equal(p->locations[0].path, a->locations[0].path);
		assert_int_equal(p->cpes.n, a->cpes.n);
	}
	p = find(back, "login");
	assert_string_equal(p->arch, "amd64");
	assert_string_equal(p->source_name, "shadow");
	assert_string_equal(p->source_version, "1:4.13+dfsg1-1");
	assert_int_equal(p->licenses.n, 3);
	assert_string_equal(p->licenses.v[2], "public-domain");
	if (layers) {
		assert_string_equal(p->locations[1].layer_id, L1);
		assert_int_equal(p->locations[1].evidence,
				 CUSTOMS_EVIDENCE_SUPPORTING);
		assert_string_equal(p->meta.values[0], "2704");
	}
	p = find(back, "log4j-core");
	assert_string_equal(p->namespace, "org.apache.logging.log4j");
	assert_string_equal(customs_pkg_meta_get(p, "sha1"),
			    "b1f1e1d1c1b1a1f1e1d1c1b1a1f1e1d1c1b1a1f1");
	assert_string_equal(p->licenses.v[1], "Custom Licence (see NOTICE)");
	assert_string_equal(back->distro.id, "debian");
	assert_string_equal(back->distro.version_id, "12");
	assert_string_equal(back->source.image_id, s->source.image_id);
	assert_string_equal(back->source.kind, "image");
	assert_int_equal(back->warnings.n, 2);
	assert_string_equal(back->warnings.v[1], s->warnings.v[1]);
	free(doc);
	customs_sbom_free(back);
	customs_sbom_free(s);
}

static void test_sbom_cyclonedx_reads_back(void **state)
{
	(void)state;
	read_back(CUSTOMS_SBOM_CYCLONEDX_JSON, true);
}

static void test_sbom_spdx_reads_back(void **state)
{
	(void)state;
	read_back(CUSTOMS_SBOM_SPDX_JSON, false);
}

static struct customs_sbom *read_fixture(const char *name)
{
	char path[1024], *data;
	struct customs_sbom *s;
	size_t n;

	snprintf(path, sizeof(path), GOLDEN "inputs/%s", name);
	data = slurp(path, &n);
	s = parse(data, n, name);
	free(data);
	return s;
}

static void test_sbom_reads_syft_cyclonedx(void **state)
{
	struct customs_sbom *s = read_fixture("syft.cdx.json");
	const struct customs_pkg *p;

	(void)state;
	assert_int_equal(s->pkgs.n, 3);
	p = find(s, "libcrypto3");
	assert_int_equal(p->type, CUSTOMS_PKG_APK);
	assert_string_equal(p->version, "3.1.2-r0");
	assert_string_equal(p->arch, "x86_64");
	assert_string_equal(p->source_name, "openssl");
	assert_string_equal(p->found_by, "apk-db-cataloger");
	assert_string_equal(p->locations[0].path, "lib/apk/db/installed");
	assert_string_equal(p->locations[0].layer_id,
			    "sha256:9fe9a137fd00f1f1e9ad9e5bc1a9d51c2fc0d5fba"
			    "1d1f0e5e6a7c0b71d3c1d2e");
	assert_string_equal(p->licenses.v[0], "Apache-2.0");
	assert_string_equal(customs_pkg_meta_get(p, "installed_size"),
			    "4268032");
	assert_int_equal(p->cpes.n, 2);
	p = find(s, "@babel/code-frame");
	assert_int_equal(p->type, CUSTOMS_PKG_NPM);
	assert_string_equal(p->licenses.v[0], "MIT");
	p = find(s, "jackson-databind");
	assert_int_equal(p->type, CUSTOMS_PKG_JAVA);
	assert_string_equal(p->namespace, "com.fasterxml.jackson.core");
	assert_string_equal(customs_pkg_meta_get(p, "sha1"),
			    "4d8f3ee6dd2f2d0e2b6a0f2f7c3c6f9a0b1e2d3c");
	assert_string_equal(s->distro.id, "alpine");
	assert_string_equal(s->distro.version_id, "3.18.4");
	assert_string_equal(s->source.name, "alpine:3.18");
	assert_string_equal(s->created, "2024-01-02T03:04:05Z");
	customs_sbom_free(s);
}

static void test_sbom_reads_trivy_cyclonedx(void **state)
{
	struct customs_sbom *s = read_fixture("trivy.cdx.json");
	const struct customs_pkg *p;

	(void)state;
	assert_int_equal(s->pkgs.n, 2);
	p = find(s, "libc6");
	assert_int_equal(p->type, CUSTOMS_PKG_DEB);
	assert_string_equal(p->version, "2.36-9+deb12u4");
	assert_string_equal(p->source_name, "glibc");
	/* no path, but the layer is one of the image's */
	assert_int_equal(p->n_locations, 0);
	assert_int_equal(p->introduced_layer, 0);
	assert_string_equal(p->arch, "amd64");
	p = find(s, "@types/node");
	assert_int_equal(p->type, CUSTOMS_PKG_NPM);
	assert_string_equal(p->locations[0].path,
			    "app/node_modules/@types/node/package.json");
	assert_string_equal(s->source.image_id,
			    "sha256:3f57d9401f8d42f986df300f0c69192fc41da28cc"
			    "c8d1ad5d04b0fbaee2dfcd4");
	assert_int_equal(s->source.layer_ids.n, 1);
	assert_string_equal(s->distro.id, "debian");
	customs_sbom_free(s);
}

static void test_sbom_reads_syft_spdx(void **state)
{
	struct customs_sbom *s = read_fixture("syft.spdx.json");
	const struct customs_pkg *p;

	(void)state;
	assert_int_equal(s->pkgs.n, 2);
	p = find(s, "libpam-runtime");
	assert_int_equal(p->type, CUSTOMS_PKG_DEB);
	assert_string_equal(p->source_name, "pam");
	assert_string_equal(p->arch, "all");
	assert_null(p->found_by); /* "DPKG DB" is no cataloger name */
	assert_string_equal(p->locations[1].path, "var/lib/dpkg/status");
	assert_string_equal(p->licenses.v[0], "GPL-2.0-or-later");
	assert_string_equal(p->licenses.v[1], "Sun-Microsystems-License");
	p = find(s, "PyYAML");
	assert_int_equal(p->type, CUSTOMS_PKG_PYTHON);
	assert_string_equal(p->licenses.v[0], "MIT");
	assert_int_equal(p->cpes.n, 2);
	assert_string_equal(s->source.name, "debian:12");
	assert_string_equal(s->source.kind, "image");
	assert_string_equal(s->created, "2024-01-02T03:04:05Z");
	customs_sbom_free(s);
}

static void test_sbom_reads_trivy_spdx(void **state)
{
	struct customs_sbom *s = read_fixture("trivy.spdx.json");
	const struct customs_pkg *p;

	(void)state;
	assert_int_equal(s->pkgs.n, 2);
	p = find(s, "busybox");
	assert_int_equal(p->type, CUSTOMS_PKG_APK);
	assert_string_equal(p->version, "1.36.1-r2");
	assert_string_equal(p->licenses.v[0], "GPL-2.0-only");
	assert_int_equal(p->introduced_layer, 0);
	assert_int_equal(find(s, "requests")->introduced_layer, -1);
	assert_string_equal(s->source.image_id,
			    "sha256:c1aabb73d2339c5ebaa3681de2e9d9c18d57485045"
			    "a4e311d9f8004bec208d67");
	assert_int_equal(s->source.layer_ids.n, 1);
	assert_string_equal(s->source.tags.v[0], "alpine:3.18");
	p = find(s, "requests");
	assert_int_equal(p->type, CUSTOMS_PKG_PYTHON);
	assert_string_equal(p->licenses.v[0], "Apache-2.0");
	assert_string_equal(s->distro.id, "alpine");
	assert_string_equal(s->distro.version_id, "3.18.4");
	assert_string_equal(s->source.name, "alpine:3.18");
	customs_sbom_free(s);
}

static void bad(const char *doc, int code, const char *msg_part)
{
	struct customs_sbom *s = (struct customs_sbom *)1;
	struct customs_ctx *ctx;

	assert_int_equal(customs_ctx_new(&ctx), 0);
	assert_int_equal(customs_sbom_read(&s, doc, strlen(doc), "x.json", ctx),
			 code);
	assert_null(s);
	if (!strstr(customs_ctx_errmsg(ctx), msg_part))
		fail_msg("message '%s' lacks '%s'", customs_ctx_errmsg(ctx),
			 msg_part);
	assert_non_null(strstr(customs_ctx_errmsg(ctx), "x.json"));
	customs_ctx_free(ctx);
}

static void test_sbom_read_rejects_malformed(void **state)
{
	struct customs_sbom *s = NULL;

	(void)state;
	bad("", CUSTOMS_EFORMAT, "invalid JSON");
	bad("{\"schema\": \"customs.sbom/v1\",", CUSTOMS_EFORMAT,
	    "invalid JSON");
	bad("[1, 2]", CUSTOMS_EFORMAT, "not an object");
	bad("{\"hello\": 1}", CUSTOMS_EFORMAT, "not a customs, CycloneDX");
	bad("{\"a\": 1, \"a\": 2}", CUSTOMS_EFORMAT, "invalid JSON");
	bad("{\"schema\": \"customs.sbom/v9\"}", CUSTOMS_EUNSUPPORTED, "v9");
	bad("{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"2.0\"}",
	    CUSTOMS_EUNSUPPORTED, "CycloneDX");
	bad("{\"spdxVersion\": \"SPDX-2.1\"}", CUSTOMS_EUNSUPPORTED, "SPDX");
	bad("{\"@context\": "
	    "\"https://spdx.org/rdf/3.0.0/spdx-context.jsonld\"}",
	    CUSTOMS_EUNSUPPORTED, "SPDX 3");
	bad("{\"schema\": \"customs.sbom/v1\", \"packages\": {}}",
	    CUSTOMS_EFORMAT, "\"packages\" must be an array");
	bad("{\"schema\": \"customs.sbom/v1\", \"packages\": [{\"type\": "
	    "\"deb\"}, {\"type\": \"deb\", \"locations\": [{\"path\": \"/a\", "
	    "\"layer\": \"x\"}]}]}",
	    CUSTOMS_EFORMAT, "packages[1].locations[0]");
	bad("{\"schema\": \"customs.sbom/v1\", \"packages\": [{\"type\": "
	    "\"martian\"}]}",
	    CUSTOMS_EFORMAT, "packages[0]: \"type\"");
	bad("{\"schema\": \"customs.sbom/v1\", \"source\": {\"tags\": [1]}}",
	    CUSTOMS_EFORMAT, "source");
	bad("{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\", "
	    "\"components\": [{\"name\": 5}]}",
	    CUSTOMS_EFORMAT, "components[0]: \"name\" must be a string");
	bad("{\"spdxVersion\": \"SPDX-2.3\", \"packages\": [{\"name\": "
	    "\"x\"}]}",
	    CUSTOMS_EFORMAT, "packages[0]: \"SPDXID\" is missing");
	bad("{\"s\": \"\\u0000\"}", CUSTOMS_EFORMAT, "invalid JSON");
	/* the size cap is checked before anything is read */
	assert_int_equal(
		customs_sbom_read(&s, "{}", (size_t)1 << 31, "big", NULL),
		CUSTOMS_ELIMIT);
	assert_null(s);
}

static void test_sbom_read_minimal_documents(void **state)
{
	const char *cdx = "{\"bomFormat\": \"CycloneDX\", \"specVersion\": "
			  "\"1.4\", \"components\": [{\"type\": \"library\", "
			  "\"name\": \"left-pad\", \"purl\": "
			  "\"pkg:npm/left-pad@1.3.0\"}, {\"type\": "
			  "\"library\", \"name\": \"odd\", \"purl\": "
			  "\"not a purl\"}]}";
	struct customs_sbom *s;

	(void)state;
	s = parse(cdx, strlen(cdx), "min.json");
	assert_int_equal(s->pkgs.n, 2);
	/* version and type come from the PURL; a bad PURL is kept as is */
	assert_int_equal(find(s, "left-pad")->type, CUSTOMS_PKG_NPM);
	assert_string_equal(find(s, "left-pad")->version, "1.3.0");
	assert_int_equal(strlen(find(s, "left-pad")->id), 16);
	assert_int_equal(find(s, "odd")->type, CUSTOMS_PKG_UNKNOWN);
	customs_sbom_free(s);
	s = parse("{\"schema\": \"customs.sbom/v1\"}", 29, "empty.json");
	assert_int_equal(s->pkgs.n, 0);
	customs_sbom_free(s);
}

/* Two packages with one id (a hand-edited file) still get distinct
 * element ids in CycloneDX and SPDX. */
static void test_sbom_duplicate_ids_stay_unique(void **state)
{
	const char *doc = "{\"schema\": \"customs.sbom/v1\", \"packages\": ["
			  "{\"id\": \"aaaaaaaaaaaaaaaa\", \"type\": \"gem\", "
			  "\"name\": \"a\"}, {\"id\": \"aaaaaaaaaaaaaaaa\", "
			  "\"type\": \"gem\", \"name\": \"a\"}]}";
	struct customs_sbom *s = parse(doc, strlen(doc), "dup.json");
	char *cdx, *spdx;

	(void)state;
	cdx = render(s, CUSTOMS_SBOM_CYCLONEDX_JSON, NULL, NULL);
	assert_non_null(strstr(cdx, "\"bom-ref\": \"aaaaaaaaaaaaaaaa\""));
	assert_non_null(strstr(cdx, "\"bom-ref\": \"customs:pkg-1\""));
	spdx = render(s, CUSTOMS_SBOM_SPDX_JSON, NULL, NULL);
	assert_non_null(
		strstr(spdx, "SPDXRef-Package-gem-a-aaaaaaaaaaaaaaaa\""));
	assert_non_null(strstr(spdx, "SPDXRef-Package-gem-a-n1\""));
	free(cdx);
	free(spdx);
	customs_sbom_free(s);
}

static void test_sbom_format_parse_names(void **state)
{
	enum customs_sbom_format f;

	(void)state;
	assert_int_equal(customs_sbom_format_parse(&f, "json"), 0);
	assert_int_equal(f, CUSTOMS_SBOM_JSON);
	assert_int_equal(customs_sbom_format_parse(&f, "cyclonedx-json"), 0);
	assert_int_equal(f, CUSTOMS_SBOM_CYCLONEDX_JSON);
	assert_int_equal(customs_sbom_format_parse(&f, "spdx-json"), 0);
	assert_int_equal(f, CUSTOMS_SBOM_SPDX_JSON);
	assert_int_equal(customs_sbom_format_parse(&f, "table"),
			 CUSTOMS_ENOTFOUND);
	assert_int_equal(customs_sbom_format_parse(&f, "syft-json"),
			 CUSTOMS_ENOTFOUND);
}

static void test_sbom_write_reports_io_errors(void **state)
{
	struct customs_sbom *s = sample();
	struct customs_ctx *ctx;
	FILE *f = fopen("/dev/full", "w");

	(void)state;
	if (!f) {
		customs_sbom_free(s);
		skip();
	}
	assert_int_equal(customs_ctx_new(&ctx), 0);
	assert_int_equal(
		customs_sbom_write(f, s, CUSTOMS_SBOM_SPDX_JSON, NULL, ctx),
		CUSTOMS_EIO);
	assert_non_null(strstr(customs_ctx_errmsg(ctx), "spdx-json"));
	fclose(f);
	customs_ctx_free(ctx);
	customs_sbom_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sbom_native_golden),
		cmocka_unit_test(test_sbom_cyclonedx_golden),
		cmocka_unit_test(test_sbom_spdx_golden),
		cmocka_unit_test(test_sbom_native_roundtrip_exact),
		cmocka_unit_test(test_sbom_ids_deterministic_and_seeded),
		cmocka_unit_test(test_sbom_cyclonedx_reads_back),
		cmocka_unit_test(test_sbom_spdx_reads_back),
		cmocka_unit_test(test_sbom_reads_syft_cyclonedx),
		cmocka_unit_test(test_sbom_reads_trivy_cyclonedx),
		cmocka_unit_test(test_sbom_reads_syft_spdx),
		cmocka_unit_test(test_sbom_reads_trivy_spdx),
		cmocka_unit_test(test_sbom_read_rejects_malformed),
		cmocka_unit_test(test_sbom_read_minimal_documents),
		cmocka_unit_test(test_sbom_duplicate_ids_stay_unique),
		cmocka_unit_test(test_sbom_format_parse_names),
		cmocka_unit_test(test_sbom_write_reports_io_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
