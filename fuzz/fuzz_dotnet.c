/*
 * Fuzz target for the .NET catalogers (catalog/dotnet.c, jsondoc.c).
 * The first byte chooses the file: even, <app>.deps.json; odd,
 * packages.lock.json. The rest is the file.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_cat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	if (data[0] & 1)
		fuzz_cat_run("dotnet-packages-lock-cataloger",
			     "src/packages.lock.json", data + 1, size - 1);
	else
		fuzz_cat_run("dotnet-deps-cataloger", "app/app.deps.json",
			     data + 1, size - 1);
	return 0;
}
