/*
 * Fuzz target for the Cargo.lock cataloger and the TOML subset reader
 * (catalog/cargo.c, toml.c): the input is the Cargo.lock. Besides the
 * cataloger invariants it checks the reader's own: every table's pairs
 * lie inside the pair list, every key and string is non-NULL.
 */
#include <stddef.h>
#include <stdint.h>

#include "catalog/toml.h"
#include "fuzz_cat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_doc(const struct toml_doc *d)
{
	size_t i, j;

	if (!d->n_tables || d->tables[0].first != 0)
		abort();
	for (i = 0; i < d->n_tables; i++) {
		if (!d->tables[i].name ||
		    d->tables[i].first + d->tables[i].n > d->n_pairs)
			abort();
	}
	for (i = 0; i < d->n_pairs; i++) {
		const struct toml_value *v = &d->pairs[i].v;

		if (!d->pairs[i].key || (v->kind == TOML_STRING && !v->str))
			abort();
		for (j = 0; j < v->n_items; j++) {
			if (!v->items[j])
				abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct toml_doc doc;

	if (toml_parse(&doc, (const char *)data, size, NULL, NULL) == 0)
		check_doc(&doc);
	toml_release(&doc);
	fuzz_cat_run("rust-cargo-lock-cataloger", "Cargo.lock", data, size);
	return 0;
}
