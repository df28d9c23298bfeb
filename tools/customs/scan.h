/*
 * `customs scan` output writers. Each format is one entry of
 * scan_writers[] (scan.c): a name for -o and a function that writes a
 * whole match result. Adding a format is adding a row there.
 */
#ifndef CUSTOMS_TOOL_SCAN_H
#define CUSTOMS_TOOL_SCAN_H

#include <stdbool.h>
#include <stdio.h>

#include "customs/match.h"

/** What a writer may need besides the result. */
struct scan_write_opts {
	bool show_suppressed; /**< table: also list suppressed findings */
	const char *tool_version;
};

typedef int (*scan_writer_fn)(FILE *f, const struct customs_match_result *res,
			      const struct scan_write_opts *opts,
			      struct customs_ctx *ctx);

struct scan_writer {
	const char *name; /**< -o name: "table", "json", ... */
	scan_writer_fn write;
};

/** The table: NAME INSTALLED FIXED-IN TYPE VULNERABILITY SEVERITY EPSS KEV */
int scan_write_table(FILE *f, const struct customs_match_result *res,
		     const struct scan_write_opts *opts,
		     struct customs_ctx *ctx);

/** The "customs.scan/v1" JSON document (docs/scan-json.md). */
int scan_write_json(FILE *f, const struct customs_match_result *res,
		    const struct scan_write_opts *opts,
		    struct customs_ctx *ctx);

/** SARIF 2.1.0, CycloneDX 1.6 with vulnerabilities, JUnit XML
 * (scan_report.c over customs/report.h; docs/scan-formats.md). */
int scan_write_sarif(FILE *f, const struct customs_match_result *res,
		     const struct scan_write_opts *opts,
		     struct customs_ctx *ctx);
int scan_write_cyclonedx(FILE *f, const struct customs_match_result *res,
			 const struct scan_write_opts *opts,
			 struct customs_ctx *ctx);
int scan_write_junit(FILE *f, const struct customs_match_result *res,
		     const struct scan_write_opts *opts,
		     struct customs_ctx *ctx);

/**
 * Open the database at db_path and match sbom with mo into *res
 * (`customs scan`'s matching, shared with `customs check`); with timing,
 * print the matching time on stderr; with status non-NULL also fill
 * *status (customs_vulndb_summary_free()). Returns 0, CUSTOMS_ENOTFOUND
 * (no database at db_path; message on ctx) or another library code.
 */
int scan_match_db(struct customs_match_result **res,
		  struct customs_vulndb_summary **status, const char *db_path,
		  struct customs_match_opts *mo, bool timing,
		  const struct customs_sbom *sbom, struct customs_ctx *ctx);

#endif
