/*
 * Fuzz target for the parsers of `customs db update` (vulndb/
 * update_parse.c, update_conf.c): the first byte picks one, the rest is
 * its input. 0: the Alpine secdb index page (branch discovery); 1: the
 * YAML config file; 2: the head of an NVD API page. Besides memory
 * errors it checks what each promises: branch names are "edge" or
 * "vN.M", each once; a parsed config's URLs are http(s).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vulndb/update_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_branches(const struct customs_strlist *br)
{
	size_t i, j;

	for (i = 0; i < br->n; i++) {
		const char *b = br->v[i];

		if (strcmp(b, "edge") && (b[0] != 'v' || !strchr(b, '.')))
			abort();
		for (j = 0; j < i; j++) {
			if (!strcmp(br->v[j], b))
				abort();
		}
	}
}

static void fuzz_index(const char *p, size_t n, struct customs_ctx *ctx)
{
	struct customs_strlist br = { 0 };
	int rc = upd_alpine_branches(&br, p, n, ctx);

	if (rc == 0 && br.n == 0)
		abort();
	check_branches(&br);
	customs_strlist_release(&br);
}

static void fuzz_config(const char *p, size_t n, struct customs_ctx *ctx)
{
	struct upd_config cfg = { 0 };
	size_t i;

	if (upd_config_parse(&cfg, p, n, "fuzz.yaml", ctx) == 0) {
		if (cfg.mirror && !upd_url_ok(cfg.mirror))
			abort();
		for (i = 0; i < cfg.urls.n; i++) {
			if (!upd_url_ok(cfg.urls.values[i]) ||
			    !customs_vulndb_feed_base(cfg.urls.keys[i]))
				abort();
		}
	}
	upd_config_release(&cfg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct customs_ctx *ctx = NULL;
	const char *p = (const char *)data + 1;
	uint64_t total;

	if (size < 1 || customs_ctx_new(&ctx))
		return 0;
	switch (data[0] % 3) {
	case 0:
		fuzz_index(p, size - 1, ctx);
		break;
	case 1:
		fuzz_config(p, size - 1, ctx);
		break;
	default:
		upd_nvd_total(&total, p, size - 1, ctx);
		break;
	}
	customs_ctx_free(ctx);
	return 0;
}
