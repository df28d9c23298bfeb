/*
 * Fuzz target for docker config.json (registry/creds.c,
 * reg_config_parse), looked up for three registry names. Credentials
 * come out whole (both user and password) or not at all.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "registry/registry_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const hosts[] = { "localhost:5000", "docker.io", "r.io" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reg_creds cr;
	char *helper;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
		rc = reg_config_parse(&cr, &helper, (const char *)data, size,
				      hosts[i], NULL);
		if (!!cr.username != !!cr.password)
			abort();
		if (rc && cr.username)
			abort();
		/* an identity token is always "<token>" and a secret */
		if (cr.identity &&
		    (!cr.password || strcmp(cr.username, "<token>")))
			abort();
		if (helper && (strchr(helper, '/') || !*helper))
			abort();
		free(helper);
		reg_creds_release(&cr);
	}
	return 0;
}
