/*
 * Vulnerability reports: format names, the write entry point, and the
 * facts every writer derives the same way from a finding (the package's
 * path, the severity word, the fixed versions, the advisory URL, the
 * security-severity score). Writers never reorder findings: the match
 * result's order (severity, package, id) is the report's order, so a
 * report is a pure function of the result.
 */
#include <string.h>

#include "customs/report.h"
#include "report/report_int.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/banned.h"

static const char *const format_names[] = {
	[CUSTOMS_REPORT_SARIF] = "sarif",
	[CUSTOMS_REPORT_CYCLONEDX_JSON] = "cyclonedx-json",
	[CUSTOMS_REPORT_JUNIT] = "junit",
};

#define N_FORMATS (sizeof(format_names) / sizeof(format_names[0]))

int customs_report_format_parse(enum customs_report_format *out,
				const char *name)
{
	size_t i;

	for (i = 0; i < N_FORMATS; i++) {
		if (!strcmp(name, format_names[i])) {
			*out = (enum customs_report_format)i;
			return 0;
		}
	}
	return CUSTOMS_ENOTFOUND;
}

const char *customs_report_format_name(enum customs_report_format fmt)
{
	if ((size_t)fmt >= N_FORMATS)
		return "unknown";
	return format_names[fmt];
}

int rep_list_make(struct rep_list *l, const struct customs_match_result *res,
		  const struct customs_report_opts *o)
{
	size_t n = res->n_matches, i, k = 0;

	if (o->include_ignored && !customs_add_ok(&n, n, res->n_ignored))
		return CUSTOMS_ENOMEM;
	l->v = customs_calloc(n ? n : 1, sizeof(*l->v));
	if (!l->v)
		return CUSTOMS_ENOMEM;
	for (i = 0; i < res->n_matches; i++)
		l->v[k++] = &res->matches[i];
	for (i = 0; o->include_ignored && i < res->n_ignored; i++)
		l->v[k++] = &res->ignored[i];
	l->n = k;
	return 0;
}

const char *rep_pkg_path(const struct customs_pkg *p)
{
	const char *any = NULL;
	size_t i;

	if (!p)
		return NULL;
	for (i = 0; i < p->n_locations; i++) {
		const struct customs_pkg_location *l = &p->locations[i];

		if (!l->path || !l->path[0])
			continue;
		if (l->visible && l->evidence == CUSTOMS_EVIDENCE_PRIMARY)
			return l->path;
		if (!any)
			any = l->path;
	}
	return any;
}

bool rep_dup(char *const *v, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++) {
		if (!strcmp(v[j], v[i]))
			return true;
	}
	return false;
}

const char *rep_severity_word(enum customs_severity sev)
{
	switch (sev) {
	case CUSTOMS_SEVERITY_CRITICAL:
		return "critical";
	case CUSTOMS_SEVERITY_HIGH:
		return "high";
	case CUSTOMS_SEVERITY_MEDIUM:
		return "medium";
	case CUSTOMS_SEVERITY_LOW:
		return "low";
	case CUSTOMS_SEVERITY_NEGLIGIBLE:
		return "negligible";
	default:
		return "unknown";
	}
}

void rep_fix_versions(struct cbuf *b, const struct customs_finding *f)
{
	size_t i;

	if (f->fix_state != CUSTOMS_FIX_FIXED)
		return;
	for (i = 0; i < f->fix_versions.n; i++) {
		if (i)
			cbuf_puts(b, ", ");
		cbuf_puts(b, f->fix_versions.v[i]);
	}
}

void rep_suppressions(struct cbuf *b, const struct customs_finding *f)
{
	size_t i;

	for (i = 0; i < f->n_suppressions; i++) {
		const char *kind =
			customs_suppress_kind_name(f->suppressions[i].kind);
		const char *why = f->suppressions[i].reason;
		size_t k = strlen(kind);

		if (i)
			cbuf_puts(b, "; ");
		if (strncmp(why, kind, k) || why[k] != ':')
			cbuf_printf(b, "%s: ", kind);
		cbuf_puts(b, why);
	}
}

void rep_vuln_url(struct cbuf *b, const struct customs_finding_vuln *v)
{
	if (v->link && v->link[0])
		cbuf_puts(b, v->link);
	else if (!strncmp(v->id, "CVE-", 4))
		cbuf_printf(b, "https://nvd.nist.gov/vuln/detail/%s", v->id);
	else if (!strncmp(v->id, "GHSA-", 5))
		cbuf_printf(b, "https://github.com/advisories/%s", v->id);
	else
		cbuf_printf(b, "https://osv.dev/vulnerability/%s", v->id);
}

const char *rep_source_name(const struct customs_match_result *res)
{
	const char *n = res->sbom ? res->sbom->source.name : NULL;

	return n && n[0] ? n : "unknown";
}

bool rep_source_is_dir(const struct customs_match_result *res)
{
	const char *k = res->sbom ? res->sbom->source.kind : NULL;

	return k && !strcmp(k, "directory");
}

static bool is_nvd(const char *source)
{
	return source && (!strcmp(source, "nvd@nist.gov") ||
			  !strcmp(source, "nvd") || !strcmp(source, "NVD"));
}

/* The highest base score, from vendor ratings (nvd false) or any. */
static double best_score(const struct customs_finding_vuln *v, bool any)
{
	double best = -1;
	size_t i;

	for (i = 0; i < v->n_cvss; i++) {
		if (!any && is_nvd(v->cvss[i].source))
			continue;
		if (v->cvss[i].base_score > best)
			best = v->cvss[i].base_score;
	}
	return best;
}

double customs_report_security_severity(const struct customs_finding *f)
{
	double s = best_score(&f->vuln, false);

	if (s > 0)
		return s;
	s = best_score(&f->vuln, true);
	if (s > 0)
		return s;
	switch (f->vuln.severity) {
	case CUSTOMS_SEVERITY_CRITICAL:
		return 9.0;
	case CUSTOMS_SEVERITY_HIGH:
		return 7.0;
	case CUSTOMS_SEVERITY_MEDIUM:
		return 4.0;
	case CUSTOMS_SEVERITY_LOW:
		return 1.0;
	default:
		return 0.0;
	}
}

static int file_sink(void *arg, const char *p, size_t n)
{
	return fwrite(p, 1, n, arg) == n ? 0 : CUSTOMS_EIO;
}

int customs_report_write(FILE *f, const struct customs_match_result *res,
			 enum customs_report_format fmt,
			 const struct customs_report_opts *opts,
			 struct customs_ctx *ctx)
{
	struct customs_report_opts def = CUSTOMS_REPORT_OPTS_INIT;
	const struct customs_report_opts *o = opts ? opts : &def;
	struct jw *w;
	int rc;

	if (!res || !res->sbom)
		return customs_error(ctx, CUSTOMS_EINVAL,
				     "report: the match result has no SBOM");
	if (fmt == CUSTOMS_REPORT_JUNIT) {
		rc = report_write_junit(f, res, o);
		if (!rc && (ferror(f) || fflush(f)))
			rc = CUSTOMS_EIO;
		goto out;
	}
	w = customs_malloc(sizeof(*w));
	if (!w)
		return customs_error(ctx, CUSTOMS_ENOMEM,
				     "report: out of memory");
	jw_init(w, file_sink, f);
	if (fmt == CUSTOMS_REPORT_SARIF)
		rc = report_write_sarif(w, res, o);
	else
		rc = report_write_cdx(w, res, o);
	if (!rc)
		rc = jw_end(w);
	customs_free(w);
out:
	if (rc == CUSTOMS_EIO)
		return customs_error(ctx, rc,
				     "report: writing the %s report "
				     "failed",
				     customs_report_format_name(fmt));
	if (rc == CUSTOMS_ELIMIT)
		return customs_error(ctx, rc,
				     "report: %s: a text is longer "
				     "than %u bytes",
				     customs_report_format_name(fmt),
				     REPORT_MAX_TEXT);
	if (rc == CUSTOMS_EINTERNAL)
		return customs_error(ctx, rc,
				     "report: %s: a finding's package "
				     "is not in the result's SBOM",
				     customs_report_format_name(fmt));
	if (rc)
		return customs_error(ctx, rc, "report: %s: out of memory",
				     customs_report_format_name(fmt));
	return 0;
}
