/*
 * Rust: the crates a Cargo.lock pins (directory scans only: a lock file
 * says what a build would use, not what an image holds).
 *
 * Every [[package]] table is one crate: name, version, source
 * ("registry+https://...", "git+https://...#rev", absent for path and
 * workspace crates) and checksum (the registry's SHA-256 of the .crate).
 * Lock files of format 1 keep the checksums in a [metadata] table keyed
 * "checksum NAME VERSION (SOURCE)"; those are joined to their package.
 * A table without a name or a version is skipped with a warning naming
 * its line.
 */
#include <stdio.h>
#include <string.h>

#include "catalog/catalog_int.h"
#include "catalog/toml.h"
#include "util/buf.h"
#include "util/strmap.h"
#include "util/banned.h"

#define CARGO_MAX_BYTES (16u << 20)

static const char cargo_name[] = "rust-cargo-lock-cataloger";

static int warn_line(void *arg, size_t line, const char *msg)
{
	return cat_warn(arg, "line %zu: %s", line, msg);
}

/* The format-1 checksum of (name, version, source), or NULL. */
static const char *v1_checksum(const struct strmap *meta, const char *name,
			       const char *version, const char *source, int *rc)
{
	struct cbuf k = CBUF_INIT(1 << 16);
	const char *sum = NULL;

	*rc = 0;
	if (!meta->len || !source)
		return NULL;
	cbuf_printf(&k, "checksum %s %s (%s)", name, version, source);
	if (cbuf_error(&k) == CUSTOMS_ENOMEM)
		*rc = CUSTOMS_ENOMEM;
	else if (!cbuf_error(&k))
		sum = strmap_get(meta, k.ptr);
	cbuf_release(&k);
	return sum;
}

static int add_crate(const struct cat_input *in, struct cat_result *res,
		     const struct toml_doc *doc, const struct toml_table *t,
		     const struct strmap *meta)
{
	const char *name = toml_get_str(doc, t, "name");
	const char *version = toml_get_str(doc, t, "version");
	const char *source = toml_get_str(doc, t, "source");
	const char *sum = toml_get_str(doc, t, "checksum");
	struct customs_pkg *pkg;
	int rc = 0;

	if (!name || !*name || !version || !*version)
		return cat_warn(res, "line %zu: [[package]] without a %s",
				t->line, name && *name ? "version" : "name");
	if (!sum)
		sum = v1_checksum(meta, name, version, source, &rc);
	pkg = rc ? NULL : cat_pkg_new(res, in, cargo_name, CUSTOMS_PKG_RUST);
	if (!pkg)
		return CUSTOMS_ENOMEM;
	rc = customs_pkg_setz(&pkg->name, name);
	rc = rc ? rc : customs_pkg_setz(&pkg->version, version);
	if (!rc && source && *source)
		rc = customs_pkg_meta_set(pkg, "source", source);
	if (!rc && sum && *sum)
		rc = customs_pkg_meta_set(pkg, "checksum", sum);
	return rc;
}

/*
 * The string pairs of the [metadata] tables, by key (borrowed from doc),
 * so each crate's format-1 checksum is one lookup.
 */
static int index_metadata(struct strmap *m, const struct toml_doc *doc)
{
	size_t i, j;

	for (i = 0; i < doc->n_tables; i++) {
		const struct toml_table *t = &doc->tables[i];

		if (t->array || strcmp(t->name, "metadata"))
			continue;
		for (j = t->first; j < t->first + t->n; j++) {
			const struct toml_pair *kv = &doc->pairs[j];

			if (kv->v.kind == TOML_STRING &&
			    !strmap_get(m, kv->key) &&
			    strmap_put(m, kv->key, (void *)kv->v.str))
				return CUSTOMS_ENOMEM;
		}
	}
	return 0;
}

static int parse_cargo(const struct cat_input *in, struct cat_result *res)
{
	struct strmap meta = STRMAP_INIT;
	struct toml_doc doc;
	size_t i;
	int rc;

	rc = toml_parse(&doc, (const char *)in->data, in->len, warn_line, res);
	rc = rc ? rc : index_metadata(&meta, &doc);
	for (i = 0; !rc && i < doc.n_tables; i++) {
		const struct toml_table *t = &doc.tables[i];

		if (t->array && !strcmp(t->name, "package"))
			rc = add_crate(in, res, &doc, t, &meta);
	}
	strmap_release(&meta);
	toml_release(&doc);
	return rc;
}

static const struct customs_want cargo_wants[] = {
	{ CUSTOMS_WANT_BASENAME, "Cargo.lock" },
};

const struct cataloger cat_cargo_lock = {
	.name = cargo_name,
	.tags = "declared directory package language rust cargo lock",
	.wants = cargo_wants,
	.n_wants = 1,
	.max_bytes = CARGO_MAX_BYTES,
	.flags = CAT_DIR_ONLY,
	.parse = parse_cargo,
};
