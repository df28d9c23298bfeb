/*
 * `customs scan -o sarif|cyclonedx-json|junit`: the machine formats of
 * the report module (customs/report.h), behind the scan writer
 * interface. Suppressed findings are always included and marked, as
 * docs/scan-formats.md says: SARIF and CycloneDX consumers expect them
 * (dismissed alerts, VEX analysis), JUnit shows them as skipped.
 */
#include "customs/report.h"
#include "scan.h"
#include "util/banned.h"

static int write_report(FILE *f, const struct customs_match_result *res,
			const struct scan_write_opts *opts,
			enum customs_report_format fmt, struct customs_ctx *ctx)
{
	struct customs_report_opts ro = CUSTOMS_REPORT_OPTS_INIT;

	ro.tool_version = opts->tool_version;
	return customs_report_write(f, res, fmt, &ro, ctx);
}

int scan_write_sarif(FILE *f, const struct customs_match_result *res,
		     const struct scan_write_opts *opts,
		     struct customs_ctx *ctx)
{
	return write_report(f, res, opts, CUSTOMS_REPORT_SARIF, ctx);
}

int scan_write_cyclonedx(FILE *f, const struct customs_match_result *res,
			 const struct scan_write_opts *opts,
			 struct customs_ctx *ctx)
{
	return write_report(f, res, opts, CUSTOMS_REPORT_CYCLONEDX_JSON, ctx);
}

int scan_write_junit(FILE *f, const struct customs_match_result *res,
		     const struct scan_write_opts *opts,
		     struct customs_ctx *ctx)
{
	return write_report(f, res, opts, CUSTOMS_REPORT_JUNIT, ctx);
}
