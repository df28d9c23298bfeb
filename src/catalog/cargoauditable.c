/*
 * cargo-auditable-binary-cataloger: Rust executables built with `cargo
 * auditable` carry their dependency tree in an ELF section ".dep-v0":
 * zlib-compressed JSON
 *   {"packages": [{"name", "version", "source", "kind", "dependencies",
 *                  "root"}, ...]}
 * where kind is "runtime" (the default when absent) or "build". As in
 * Syft, only runtime packages are reported, as rust-crate packages with
 * the source in meta.
 *
 * The compressed section is at most SECTION_MAX bytes and inflates to at
 * most INFLATED_MAX (a larger one is a warning, not a partial parse);
 * the JSON parser bounds its own nesting.
 */
#include <jansson.h>
#include <string.h>
#include <zlib.h>

#include "catalog/bincat.h"
#include "catalog/elf.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/banned.h"

#define NAME "cargo-auditable-binary-cataloger"
#define SECTION_MAX (8u << 20)
#define INFLATED_MAX (16u << 20)
#define PACKAGES_MAX 100000u

static const struct customs_want wants[] = {
	{ CUSTOMS_WANT_EXEC, NULL },
};

static void *zalloc(void *opaque, unsigned items, unsigned size)
{
	size_t n;

	(void)opaque;
	return customs_mul_ok(&n, items, size) ? customs_malloc(n) : NULL;
}

static void zfree(void *opaque, void *p)
{
	(void)opaque;
	customs_free(p);
}

/* A warning's return code as "skip this file": 1, or ENOMEM. */
static int skip(int rc)
{
	return rc ? rc : 1;
}

/* Inflate src into out. 0, CUSTOMS_ENOMEM, or 1 with a warning added. */
static int inflate_all(struct cbuf *out, const unsigned char *src, size_t n,
		       struct cat_result *res)
{
	unsigned char chunk[16384];
	const char *msg;
	z_stream z;
	int zr;

	memset(&z, 0, sizeof(z));
	z.zalloc = zalloc;
	z.zfree = zfree;
	if (inflateInit(&z) != Z_OK)
		return CUSTOMS_ENOMEM;
	z.next_in = (unsigned char *)src;
	z.avail_in = (unsigned)n;
	do {
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		zr = inflate(&z, Z_NO_FLUSH);
		if (zr == Z_MEM_ERROR) {
			inflateEnd(&z);
			return CUSTOMS_ENOMEM;
		}
		cbuf_put(out, chunk, sizeof(chunk) - z.avail_out);
	} while (zr == Z_OK && !cbuf_error(out));
	msg = z.msg; /* static strings in zlib */
	inflateEnd(&z);
	if (cbuf_error(out) == CUSTOMS_ENOMEM)
		return CUSTOMS_ENOMEM;
	if (cbuf_error(out))
		return skip(cat_warn(res,
				     ".dep-v0: inflates to more than %u bytes",
				     INFLATED_MAX));
	if (zr != Z_STREAM_END)
		return skip(cat_warn(res, ".dep-v0: bad zlib data (%s)",
				     msg ? msg : "truncated"));
	return 0;
}

static int add_package(const struct cat_input *in, struct cat_result *res,
		       json_t *pk, size_t i)
{
	const char *name = json_string_value(json_object_get(pk, "name"));
	const char *version = json_string_value(json_object_get(pk, "version"));
	const char *source = json_string_value(json_object_get(pk, "source"));
	json_t *kind = json_object_get(pk, "kind");
	struct customs_pkg *p;

	if (kind && (!json_is_string(kind) ||
		     strcmp(json_string_value(kind), "runtime")))
		return 0;
	if (!name || !*name || !version)
		return cat_warn(res, ".dep-v0: package %zu: no name or version",
				i);
	p = cat_pkg_new(res, in, NAME, CUSTOMS_PKG_RUST);
	if (!p || customs_pkg_setz(&p->name, name) ||
	    customs_pkg_setz(&p->version, version) ||
	    (source && customs_pkg_meta_set(p, "source", source)))
		return CUSTOMS_ENOMEM;
	return 0;
}

static int from_json(const struct cat_input *in, struct cat_result *res,
		     const struct cbuf *text)
{
	json_error_t err;
	json_t *root = json_loadb(text->ptr, text->len, 0, &err), *pkgs;
	size_t i, n;
	int rc = 0;

	if (!root) {
		if (json_error_code(&err) == json_error_out_of_memory)
			return CUSTOMS_ENOMEM;
		return cat_warn(res, ".dep-v0: invalid JSON at column %d: %s",
				err.column, err.text);
	}
	pkgs = json_object_get(root, "packages");
	if (!json_is_array(pkgs)) {
		json_decref(root);
		return cat_warn(res, ".dep-v0: no \"packages\" array");
	}
	n = json_array_size(pkgs);
	if (n > PACKAGES_MAX) {
		rc = cat_warn(res,
			      ".dep-v0: %zu packages, reading the first %u", n,
			      PACKAGES_MAX);
		n = PACKAGES_MAX;
	}
	for (i = 0; !rc && i < n; i++)
		rc = add_package(in, res, json_array_get(pkgs, i), i);
	json_decref(root);
	return rc;
}

static int parse(const struct cat_input *in, struct cat_result *res)
{
	struct cbuf text = CBUF_INIT(INFLATED_MAX);
	struct elf_section s;
	struct elf_file f;
	const unsigned char *p;
	size_t n;
	int rc;

	if (!elf_open_ranges(&f, in->data, in->len, in->ranges, in->n_ranges) ||
	    !elf_find_section(&f, ".dep-v0", &s) ||
	    !elf_section_data(&f, &s, &p, &n))
		return 0;
	if (n < s.size)
		return cat_warn(res,
				".dep-v0: section is cut off at %zu of "
				"%llu bytes",
				n, (unsigned long long)s.size);
	if (n > SECTION_MAX)
		return cat_warn(res,
				".dep-v0: section of %zu bytes is over "
				"the limit",
				n);
	rc = inflate_all(&text, p, n, res);
	if (!rc)
		rc = from_json(in, res, &text);
	cbuf_release(&text);
	return rc < 0 ? rc : 0;
}

const struct cataloger cat_cargo_auditable_binary = {
	.name = NAME,
	.tags = "image directory installed language rust binary",
	.wants = wants,
	.n_wants = sizeof(wants) / sizeof(wants[0]),
	.max_bytes = BINCAT_MAX_BYTES,
	.flags = CAT_IMAGE | CAT_OWN_TRUNCATION | CAT_PLAN_CARGO,
	.parse = parse,
};
