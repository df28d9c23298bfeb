/*
 * Fuzz target for the WWW-Authenticate challenge parser
 * (registry/challenge.c). Besides memory errors it checks that a parse
 * either fails and keeps nothing, or yields values without line breaks
 * (they end up in a URL and in messages).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "registry/registry_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const char *s)
{
	if (s && (strchr(s, '\n') || strchr(s, '\r')))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reg_challenge c;
	int rc = reg_challenge_parse(&c, (const char *)data, size);

	if (rc && (c.realm || c.service || c.scope || c.scheme))
		abort();
	if (!rc && c.scheme == REG_SCHEME_NONE && (c.realm || c.service))
		abort();
	check(c.realm);
	check(c.service);
	check(c.scope);
	reg_challenge_release(&c);
	return 0;
}
