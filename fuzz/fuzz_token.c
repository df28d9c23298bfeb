/*
 * Fuzz target for a token server's JSON reply (registry/challenge.c,
 * reg_token_parse). A token is accepted only without control
 * characters, since it goes into an Authorization header line.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "registry/registry_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *t = NULL;
	size_t i;
	int rc = reg_token_parse(&t, (const char *)data, size);

	if (rc && t)
		abort();
	for (i = 0; t && t[i]; i++) {
		if ((unsigned char)t[i] < 0x20 || t[i] == 0x7f)
			abort();
	}
	if (!rc && (!t || !*t))
		abort();
	free(t);
	return 0;
}
