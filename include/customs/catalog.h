/*
 * customs catalog: package catalogers run inside the one streaming scan.
 *
 * A catalog turns its catalogers into analyzers (customs_analyze) so the
 * layers are decoded once whatever else runs in the same pass. After the
 * scan, customs_catalog_finish() merges what each cataloger found per
 * (layer, path) into an SBOM: the chosen scope, the sidecar files (dpkg
 * md5sums, python RECORD, ...), derived PURLs and CPEs, one package per
 * identity and location, binaries owned by an OS package dropped.
 */
#ifndef CUSTOMS_CATALOG_H
#define CUSTOMS_CATALOG_H

#include <stdbool.h>
#include "customs/common.h"
#include "customs/image.h"
#include "customs/analyze.h"
#include "customs/pkg.h"

/** Which filesystem view packages come from. */
enum customs_scope {
	CUSTOMS_SCOPE_SQUASHED, /**< the final filesystem (default) */
	CUSTOMS_SCOPE_ALL_LAYERS, /**< also what later layers deleted */
};

/** Options for customs_catalog_new(). Init with CUSTOMS_CATALOG_OPTS_INIT. */
struct customs_catalog_opts {
	int version;
	enum customs_scope scope;
	/** Directory scan: also read declared lock files (package-lock.json,
	 * poetry.lock, Cargo.lock, ...) as Syft and Trivy do for `fs`. */
	bool dir_mode;
	/** Comma-separated cataloger names or tags to run instead of the
	 * defaults ("dpkg,python", "-binary" to drop one), or NULL. */
	const char *select;
};

#define CUSTOMS_CATALOG_OPTS_VERSION 1
#define CUSTOMS_CATALOG_OPTS_INIT                                            \
	{                                                                    \
		CUSTOMS_CATALOG_OPTS_VERSION, CUSTOMS_SCOPE_SQUASHED, false, \
			NULL                                                 \
	}

struct customs_catalog;

/**
 * A catalog with the catalogers opts selects. Returns 0, CUSTOMS_EINVAL
 * (an unknown name in select, with a message on ctx listing the known
 * ones) or CUSTOMS_ENOMEM. Free with customs_catalog_free().
 */
int customs_catalog_new(struct customs_catalog **out,
			const struct customs_catalog_opts *opts,
			struct customs_ctx *ctx);

/** Free a catalog; accepts NULL. */
void customs_catalog_free(struct customs_catalog *cat);

/**
 * The analyzers to add to customs_scan_opts.analyzers. Borrowed from the
 * catalog; *n is set to their count.
 */
const struct customs_analyzer *const *
customs_catalog_analyzers(const struct customs_catalog *cat, size_t *n);

/**
 * After customs_image_scan() ran with the catalog's analyzers: build the
 * SBOM. Returns 0 with *out owned by the caller (customs_sbom_free()), or
 * CUSTOMS_ENOMEM. Problems in package databases are warnings in the SBOM,
 * never errors.
 */
int customs_catalog_finish(struct customs_sbom **out,
			   struct customs_catalog *cat,
			   const struct customs_image *img,
			   const struct customs_analysis *an,
			   struct customs_ctx *ctx);

/** Cataloger names, NULL-terminated, for help text. Static. */
const char *const *customs_catalog_names(void);

#endif
