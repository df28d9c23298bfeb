/*
 * Fuzz target for the Composer catalogers (catalog/composer.c,
 * jsondoc.c). The first byte chooses the file: even,
 * vendor/composer/installed.json; odd, composer.lock. The rest is the
 * file.
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
		fuzz_cat_run("php-composer-lock-cataloger", "app/composer.lock",
			     data + 1, size - 1);
	else
		fuzz_cat_run("php-composer-installed-cataloger",
			     "app/vendor/composer/installed.json", data + 1,
			     size - 1);
	return 0;
}
