/*
 * Fuzz target for the secrets rules file (secrets/config.c): arbitrary
 * bytes as YAML. Besides memory errors it checks that a failure leaves no
 * scanner and a success yields a scanner that can scan a small buffer.
 */
#include <stdint.h>
#include <stdlib.h>

#include "customs/secrets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned char text[] =
		"token=ghp_abcdefghijklmnopqrstuvwxyz0123456789\n";
	struct customs_secrets *s = NULL;
	struct customs_secrets_report *r = NULL;
	struct customs_ctx *ctx = NULL;
	int rc;

	if (customs_ctx_new(&ctx))
		return 0;
	rc = customs_secrets_new_from_yaml(&s, (const char *)data, size,
					   "fuzz.yaml", ctx);
	if (rc && s)
		abort();
	if (!rc) {
		if (customs_secrets_scan_buffer(&r, s, "app/x", text,
						sizeof(text) - 1, ctx) == 0 &&
		    !r)
			abort();
		customs_secrets_report_free(r);
	}
	customs_secrets_free(s);
	customs_ctx_free(ctx);
	return 0;
}
