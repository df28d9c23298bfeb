/*
 * Fuzz target for the secret matcher (secrets/match.c, keywords.c,
 * search.c): arbitrary content scanned with every built-in rule and
 * Anchore's searches. The first byte picks the path (plain, a Maven
 * settings.xml, a Docker config.json), so path-gated rules run too.
 * Checks: no memory error, every finding has a 1-based line within the
 * content and a censored match no longer than the excerpt bound; the
 * censored copy (customs_secrets_censor) has the content's length and
 * differs from it only by '*' bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "customs/secrets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct customs_secrets *scanner;

static void check(const struct customs_secrets_report *r, const uint8_t *data,
		  size_t size)
{
	size_t i, lines = 1;

	for (i = 0; i < size; i++)
		lines += data[i] == '\n';
	for (i = 0; i < r->n_findings; i++) {
		if (r->findings[i].line < 1 || r->findings[i].line > lines)
			abort();
		if (strlen(r->findings[i].match) > 60 + 64 + 40)
			abort();
	}
}

static void censor_check(const uint8_t *data, size_t size)
{
	char *out = NULL;
	size_t i;

	if (customs_secrets_censor(&out, scanner, (const char *)data, size))
		return;
	for (i = 0; out && i < size; i++) {
		if (out[i] != (char)data[i] && out[i] != '*')
			abort();
	}
	if (out && out[size] != '\0')
		abort();
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = { "app/config.txt",
					     "root/.m2/settings.xml",
					     "root/.docker/config.json" };
	struct customs_secrets_opts o = CUSTOMS_SECRETS_OPTS_INIT;
	struct customs_secrets_report *r = NULL;
	struct customs_ctx *ctx = NULL;

	if (!size || customs_ctx_new(&ctx))
		return 0;
	o.no_cache = true; /* a fuzz run leaves nothing in the user's cache */
	if (!scanner && customs_secrets_new(&scanner, &o, ctx))
		abort();
	censor_check(data + 1, size - 1);
	if (customs_secrets_scan_buffer(&r, scanner, paths[data[0] % 3],
					data + 1, size - 1, ctx) == 0) {
		check(r, data + 1, size - 1);
		customs_secrets_report_free(r);
	}
	customs_ctx_free(ctx);
	return 0;
}
