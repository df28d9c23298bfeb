/*
 * Fuzz target for the JavaScript catalogers (catalog/npm_package.c,
 * npm_lock.c, yarn_lock.c, pnpm_lock.c). The first byte picks the file
 * (its value mod 4: package.json, package-lock.json, yarn.lock,
 * pnpm-lock.yaml; so an ASCII digit '0'-'3' names it in a seed), the rest
 * is its content. Besides memory errors it checks the output invariant:
 * the only error is CUSTOMS_ENOMEM and every package is an npm package
 * with a non-empty name and version and one primary location.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

extern const struct cataloger cat_npm_package;
extern const struct cataloger cat_npm_lock;

static const char *const paths[4] = {
	"app/node_modules/@s/p/package.json",
	"app/package-lock.json",
	"app/yarn.lock",
	"app/pnpm-lock.yaml",
};

static void check(const struct cat_result *res)
{
	size_t i;

	for (i = 0; i < res->pkgs.n; i++) {
		const struct customs_pkg *p = res->pkgs.v[i];

		if (p->type != CUSTOMS_PKG_NPM || !p->name || !*p->name ||
		    !p->version || !*p->version || p->n_locations != 1)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct cataloger *c;
	struct cat_input in = { 0 };
	struct cat_result res = { 0 };
	int rc, which;

	if (!size)
		return 0;
	which = data[0] % 4;
	c = which ? &cat_npm_lock : &cat_npm_package;
	in.path = paths[which];
	in.data = data + 1;
	in.len = size - 1;
	in.dir_mode = true;
	rc = c->parse(&in, &res);
	if (rc && rc != CUSTOMS_ENOMEM)
		abort();
	check(&res);
	customs_pkglist_release(&res.pkgs);
	customs_strlist_release(&res.warnings);
	return 0;
}
