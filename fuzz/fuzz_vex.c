/*
 * Fuzz target for OpenVEX documents (match/vex.c): the input is added to a
 * statement set; whatever was accepted is applied to two findings (one
 * package by PURL, one inside the image by digest). Besides memory errors
 * it checks that a rejected document carries a message and that every
 * suppression has a reason of kind "vex".
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "customs/match.h"
#include "match/match_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const products[] = { "app:1", "sha256:abcd", NULL };

static void apply(const struct customs_vex *vex, struct customs_pkg *pkg,
		  const char *id)
{
	struct customs_finding f;
	size_t i;

	memset(&f, 0, sizeof(f));
	f.vuln.id = (char *)id;
	f.pkg = pkg;
	if (vex_apply(vex, &f, products) == 0) {
		for (i = 0; i < f.n_suppressions; i++)
			if (f.suppressions[i].kind != CUSTOMS_SUPPRESS_VEX ||
			    !f.suppressions[i].reason)
				abort();
	}
	for (i = 0; i < f.n_suppressions; i++)
		free(f.suppressions[i].reason);
	free(f.suppressions);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct customs_vex *vex = NULL;
	struct customs_ctx *ctx = NULL;
	struct customs_pkg *pkg = NULL;

	if (customs_ctx_new(&ctx) || customs_vex_new(&vex))
		goto out;
	if (customs_vex_add(vex, (const char *)data, size, "fuzz.json", ctx) &&
	    !*customs_ctx_errmsg(ctx))
		abort();
	pkg = customs_pkg_new(CUSTOMS_PKG_NPM);
	if (pkg && !customs_pkg_setz(&pkg->name, "express") &&
	    !customs_pkg_setz(&pkg->purl, "pkg:npm/express@4.17.1")) {
		apply(vex, pkg, "CVE-2024-0001");
		apply(vex, pkg, "GHSA-rv95-896h-c2vc");
	}
out:
	customs_pkg_free(pkg);
	customs_vex_free(vex);
	customs_ctx_free(ctx);
	return 0;
}
