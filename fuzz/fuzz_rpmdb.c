/*
 * Fuzz target for the rpm database readers (catalog/bdb.c, ndb.c,
 * rpm_sqlite.c) through the cataloger's parse(), which picks the reader
 * by the input's magic: a Berkeley DB hash file, an NDB Packages.db or a
 * SQLite rpmdb. Besides memory errors it checks the output invariants of
 * rpm_check.h and that the warnings stay capped.
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

	memset(&in, 0, sizeof(in));
	memset(&res, 0, sizeof(res));
	in.path = "var/lib/rpm/Packages";
	in.data = data;
	in.len = size;
	if (cat_rpmdb.parse(&in, &res))
		abort();
	if (res.warnings.n > RPMDB_MAX_WARNINGS + 1)
		abort();
	rpm_check_result(&res);
	return 0;
}
