/*
 * Fuzz target for the rpm header blob parser (catalog/rpmheader.c) and
 * the header-to-package step (catalog/rpmpkg.c): the input is one header
 * blob as a database record holds it. Besides memory errors it checks
 * the output invariants of rpm_check.h.
 */
#include <stdint.h>
#include <string.h>

#include "catalog/rpmdb_int.h"
#include "rpm_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cat_input in;
	struct cat_result res;
	struct rpm_ctx c;

	memset(&in, 0, sizeof(in));
	memset(&res, 0, sizeof(res));
	in.path = "var/lib/rpm/rpmdb.sqlite";
	in.data = data;
	in.len = size;
	c.in = &in;
	c.res = &res;
	c.n_warnings = 0;
	if (rpm_header_to_pkg(&c, data, size, "record 1"))
		abort();
	if (res.pkgs.n > 1 || res.warnings.n > RPMDB_MAX_WARNINGS)
		abort();
	rpm_check_result(&res);
	return 0;
}
