/*
 * customs sbom: SBOM documents in and out.
 *
 * Writers for CycloneDX 1.6 JSON, SPDX 2.3 JSON and the native JSON
 * (lossless: reading it back gives the same struct customs_sbom), and
 * readers for all three, so `customs scan` can take an SBOM file instead
 * of an image. Output is deterministic: packages in canonical order
 * (customs_sbom_sort), no timestamps or random ids unless asked.
 */
#ifndef CUSTOMS_SBOM_H
#define CUSTOMS_SBOM_H

#include <stdio.h>
#include "customs/common.h"
#include "customs/pkg.h"

enum customs_sbom_format {
	CUSTOMS_SBOM_JSON, /**< native, schema customs.sbom/v1 */
	CUSTOMS_SBOM_CYCLONEDX_JSON, /**< CycloneDX 1.6 */
	CUSTOMS_SBOM_SPDX_JSON, /**< SPDX 2.3 */
};

/** Options for customs_sbom_write(). Init with CUSTOMS_SBOM_WRITE_OPTS_INIT. */
struct customs_sbom_write_opts {
	int version;
	/** RFC 3339 creation time to write; NULL writes the fixed epoch
	 * "1970-01-01T00:00:00Z" where a format requires one (SPDX). */
	const char *created;
	/** Tool version for the tool/creator fields. */
	const char *tool_version;
	/** SPDX documentNamespace / CycloneDX serialNumber seed: NULL
	 * derives them from the content (deterministic). */
	const char *namespace_seed;
	bool include_files; /**< list owned files (SPDX files, CDX properties)
			     */
};

#define CUSTOMS_SBOM_WRITE_OPTS_VERSION 1
#define CUSTOMS_SBOM_WRITE_OPTS_INIT                                     \
	{                                                                \
		CUSTOMS_SBOM_WRITE_OPTS_VERSION, NULL, NULL, NULL, false \
	}

/**
 * Write sbom to f in fmt. Returns 0, CUSTOMS_EIO (with a message on ctx)
 * or CUSTOMS_ENOMEM.
 */
int customs_sbom_write(FILE *f, const struct customs_sbom *sbom,
		       enum customs_sbom_format fmt,
		       const struct customs_sbom_write_opts *opts,
		       struct customs_ctx *ctx);

/**
 * The format named name ("json", "cyclonedx-json", "spdx-json").
 * Returns 0 or CUSTOMS_ENOTFOUND.
 */
int customs_sbom_format_parse(enum customs_sbom_format *out, const char *name);

/**
 * Read an SBOM from data (len bytes; name is used in messages), detecting
 * the format from the content: native JSON, CycloneDX JSON (1.2-1.6) or
 * SPDX 2.x JSON. Returns 0 with *out owned by the caller, CUSTOMS_EFORMAT
 * (a message on ctx naming the file and the JSON path at fault),
 * CUSTOMS_EUNSUPPORTED (a recognised but unsupported format or version),
 * CUSTOMS_ELIMIT or CUSTOMS_ENOMEM.
 */
int customs_sbom_read(struct customs_sbom **out, const char *data, size_t len,
		      const char *name, struct customs_ctx *ctx);

#endif
