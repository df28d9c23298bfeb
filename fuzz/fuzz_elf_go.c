/*
 * Fuzz target for the ELF reader and the catalogers built on it: the
 * input is offered as an executable to go-module-binary-cataloger and
 * cargo-auditable-binary-cataloger (both as a whole file and as one cut
 * short), and as Go module text to go_modinfo_parse(). Besides memory
 * errors it checks what every result must satisfy: parse() returns 0 or
 * CUSTOMS_ENOMEM, and every package has a name, the cataloger's name in
 * found_by and its location at the input path.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/bincat.h"
#include "catalog/catalog_priv.h"
#include "catalog/gobuildinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct cataloger *c, const struct cat_result *r)
{
	size_t i;

	for (i = 0; i < r->pkgs.n; i++) {
		const struct customs_pkg *p = r->pkgs.v[i];

		if (!p->name || !*p->name || strcmp(p->found_by, c->name) ||
		    p->n_locations != 1 ||
		    strcmp(p->locations[0].path, "usr/bin/app"))
			abort();
	}
}

static void run(const struct cataloger *c, const uint8_t *data, size_t size,
		bool truncated)
{
	struct cat_input in = { "usr/bin/app", 0,     data, size, truncated,
				NULL,	       false, NULL, 0 };
	struct cat_result *r = calloc(1, sizeof(*r));
	int rc;

	if (!r)
		abort();
	rc = c->parse(&in, r);
	if (rc && rc != CUSTOMS_ENOMEM)
		abort();
	check(c, r);
	cat_result_free(c, r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct go_buildinfo bi = { 0 };
	struct cat_result r = { 0 };
	int rc;

	run(&cat_go_module_binary, data, size, false);
	run(&cat_go_module_binary, data, size / 2, true);
	run(&cat_cargo_auditable_binary, data, size, false);
	rc = go_modinfo_parse(&bi, cslice_make((const char *)data, size), &r);
	if (rc && rc != CUSTOMS_ENOMEM)
		abort();
	go_buildinfo_release(&bi);
	customs_strlist_release(&r.warnings);
	return 0;
}
