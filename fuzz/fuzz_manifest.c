/*
 * Fuzz target: bytes as a manifest or index document -> the JSON loader,
 * the kind sniffer, the manifest and index parsers, and platform
 * selection over the parsed index with a few requested platforms.
 */
#include <stdint.h>
#include <stdlib.h>

#include "image/image_priv.h"
#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void select_all(const struct image_index *ix, struct customs_ctx *ctx)
{
	static const char *const wants[] = { NULL, "linux/arm64",
					     "linux/arm/v7", "windows/amd64" };
	struct customs_strlist platforms = { NULL, 0 };
	struct image_platform want;
	size_t i, chosen;

	for (i = 0; i < sizeof(wants) / sizeof(wants[0]); i++) {
		if (image_platform_parse(&want, wants[i], ctx))
			abort();
		if (!image_platform_select(&chosen, &platforms, ix->v, ix->n,
					   &want, "fuzz", ctx) &&
		    chosen >= ix->n)
			abort();
	}
	image_strlist_release(&platforms);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct customs_ctx *ctx = NULL;
	struct image_manifest m;
	struct image_index ix;
	json_t *root = NULL;

	if (customs_ctx_new(&ctx))
		return 0;
	if (!image_json_load(&root, (const char *)data, size, "fuzz", ctx)) {
		(void)image_json_kind(root, NULL);
		image_manifest_from_json(&m, root, "fuzz", 1024, ctx);
		image_manifest_release(&m);
		if (!image_index_from_json(&ix, root, "fuzz", ctx))
			select_all(&ix, ctx);
		image_index_release(&ix);
	}
	json_decref(root);
	customs_ctx_free(ctx);
	return 0;
}
