/*
 * customs report: vulnerability reports for machines.
 *
 * Writers that render a struct customs_match_result (customs/match.h) as
 * SARIF 2.1.0 (for code-scanning dashboards), CycloneDX 1.6 JSON (the
 * SBOM's components plus a vulnerabilities[] array referencing them by
 * bom-ref, as Grype writes it) and JUnit XML (one test case per finding,
 * for CI test reports). The table and the native scan JSON are written by
 * the scan command itself (docs/scan-json.md).
 *
 * Output is deterministic: findings in the result's order, no timestamps
 * or random ids unless asked. Suppressed findings (result->ignored) are
 * kept and marked as such: SARIF results with a suppression, CycloneDX
 * vulnerabilities with an analysis, JUnit skipped test cases.
 * docs/scan-formats.md describes each format field by field.
 */
#ifndef CUSTOMS_REPORT_H
#define CUSTOMS_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "customs/common.h"
#include "customs/match.h"

enum customs_report_format {
	CUSTOMS_REPORT_SARIF, /**< "sarif": SARIF 2.1.0 JSON */
	CUSTOMS_REPORT_CYCLONEDX_JSON, /**< "cyclonedx-json": CycloneDX 1.6 */
	CUSTOMS_REPORT_JUNIT, /**< "junit": JUnit XML */
};

/** Options for customs_report_write(). Init with CUSTOMS_REPORT_OPTS_INIT. */
struct customs_report_opts {
	int version;
	/** Tool version for the tool/driver fields; NULL: CUSTOMS_VERSION. */
	const char *tool_version;
	/** RFC 3339 time to record (CycloneDX metadata.timestamp, JUnit
	 * timestamp); NULL records none, so output is reproducible. */
	const char *created;
	/** false: leave suppressed findings out of the report. */
	bool include_ignored;
	/** The tool's home page for SARIF tool.driver.informationUri;
	 * NULL leaves the field out. */
	const char *information_uri;
};

#define CUSTOMS_REPORT_OPTS_VERSION 1
#define CUSTOMS_REPORT_OPTS_INIT                                    \
	{                                                           \
		CUSTOMS_REPORT_OPTS_VERSION, NULL, NULL, true, NULL \
	}

/**
 * The format named name ("sarif", "cyclonedx-json", "junit").
 * Returns 0 or CUSTOMS_ENOTFOUND.
 */
int customs_report_format_parse(enum customs_report_format *out,
				const char *name);

/** The name of fmt, as customs_report_format_parse() takes it. */
const char *customs_report_format_name(enum customs_report_format fmt);

/**
 * Write res to f in fmt. res->sbom must be set (the CycloneDX report
 * lists its packages; every format names the scanned source), and every
 * finding's pkg must be one of res->sbom's packages. Returns 0,
 * CUSTOMS_EINVAL (no SBOM on res), CUSTOMS_EIO (a write failed; message
 * on ctx), CUSTOMS_ELIMIT (one text - a description, a rule's help -
 * longer than 1 MiB; never cut silently), CUSTOMS_EINTERNAL (a finding's
 * package is not in the SBOM) or CUSTOMS_ENOMEM. On failure f holds a partial
 * document: the caller removes it (the CLI does).
 */
int customs_report_write(FILE *f, const struct customs_match_result *res,
			 enum customs_report_format fmt,
			 const struct customs_report_opts *opts,
			 struct customs_ctx *ctx);

/**
 * The GitHub code-scanning "security-severity" of a finding: the highest
 * CVSS base score (vendor ratings first, NVD when the vendor gives none),
 * else a score standing for its severity (critical 9.0, high 7.0, medium
 * 4.0, low 1.0), else 0. As Grype computes it.
 */
double customs_report_security_severity(const struct customs_finding *f);

#endif
