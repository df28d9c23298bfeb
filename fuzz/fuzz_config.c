/*
 * Fuzz target: bytes as an image config -> struct customs_image_info.
 * The first byte chooses how many layers the "manifest" listed (0-3), so
 * both the diff_ids count check and the history-to-layer mapping run.
 */
#include <stdint.h>
#include <stdlib.h>

#include "image/image_priv.h"
#include "util/alloc.h"
#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct customs_image_info info = { 0 };
	struct customs_ctx *ctx = NULL;

	if (size < 1 || customs_ctx_new(&ctx))
		return 0;
	info.n_layers = data[0] % 4;
	info.layers = customs_calloc(info.n_layers, sizeof(*info.layers));
	if (info.layers)
		(void)image_config_parse(&info, (const char *)data + 1,
					 size - 1, "fuzz", ctx);
	else
		info.n_layers = 0;
	image_info_release(&info);
	customs_ctx_free(ctx);
	return 0;
}
