/*
 * Fuzz target for the Ruby catalogers (catalog/gemspec.c, rubylit.c,
 * gemfile_lock.c). The first byte chooses the parser: even, an installed
 * gemspec; odd, a Gemfile.lock. The rest is the file.
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
		fuzz_cat_run("ruby-gemfile-cataloger", "app/Gemfile.lock",
			     data + 1, size - 1);
	else
		fuzz_cat_run("ruby-installed-gemspec-cataloger",
			     "usr/lib/ruby/gems/3.1.0/specifications/"
			     "x-1.0.gemspec",
			     data + 1, size - 1);
	return 0;
}
