/*
 * The options every command that reads an image shares: platform,
 * limits and threads. One parser, so `inspect`, `sbom` and later `scan`
 * and `check` accept them identically.
 */
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "util/banned.h"

static int size_opt(const char *name, const char *arg, uint64_t *v)
{
	if (!parse_size(arg, v) || *v == 0)
		return usage_error("--%s: '%s' is not a positive size", name,
				   arg);
	return 0;
}

int image_opt(struct customs_image_opts *img, struct customs_scan_opts *scan,
	      int c, const char *arg)
{
	uint64_t v;

	switch (c) {
	case OPT_PLATFORM:
		img->platform = arg;
		return 0;
	case OPT_MAX_LAYER:
		return size_opt("max-layer-bytes", arg,
				&img->limits.max_layer_bytes);
	case OPT_MAX_IMAGE:
		return size_opt("max-image-bytes", arg,
				&img->limits.max_image_bytes);
	case OPT_MAX_ENTRIES:
		return size_opt("max-entries", arg, &img->limits.max_entries);
	case OPT_THREADS:
		if (!parse_size(arg, &v) || v == 0 || v > 64)
			return usage_error("--threads: '%s' is not 1..64", arg);
		scan->threads = (int)v;
		return 0;
	default:
		return -1;
	}
}
