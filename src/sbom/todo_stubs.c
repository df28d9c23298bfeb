/*
 * TEMPORARY placeholders so the tree links while the SBOM writers and
 * readers are written. Delete this file when they land.
 */
#include <string.h>

#include "customs/sbom.h"
#include "util/error.h"

int customs_sbom_write(FILE *f, const struct customs_sbom *sbom,
		       enum customs_sbom_format fmt,
		       const struct customs_sbom_write_opts *opts,
		       struct customs_ctx *ctx)
{
	(void)f;
	(void)sbom;
	(void)fmt;
	(void)opts;
	return customs_error(ctx, CUSTOMS_EUNSUPPORTED,
			     "sbom writers are not built yet");
}

int customs_sbom_format_parse(enum customs_sbom_format *out, const char *name)
{
	if (!strcmp(name, "json"))
		*out = CUSTOMS_SBOM_JSON;
	else if (!strcmp(name, "cyclonedx-json"))
		*out = CUSTOMS_SBOM_CYCLONEDX_JSON;
	else if (!strcmp(name, "spdx-json"))
		*out = CUSTOMS_SBOM_SPDX_JSON;
	else
		return CUSTOMS_ENOTFOUND;
	return 0;
}

int customs_sbom_read(struct customs_sbom **out, const char *data, size_t len,
		      const char *name, struct customs_ctx *ctx)
{
	(void)data;
	(void)len;
	*out = NULL;
	return customs_error(ctx, CUSTOMS_EUNSUPPORTED,
			     "%s: sbom readers are not built yet", name);
}
