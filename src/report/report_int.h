/* Internals shared by the report writers (src/report). */
#ifndef CUSTOMS_REPORT_INT_H
#define CUSTOMS_REPORT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "customs/match.h"
#include "customs/report.h"
#include "sbom/jw.h"
#include "util/buf.h"

/* Longest text one finding or rule may add to a report (help text). */
#define REPORT_MAX_TEXT (1u << 20)

/* The findings a report shows, in order: the matches, then (when asked)
 * the suppressed ones. */
struct rep_list {
	const struct customs_finding **v;
	size_t n;
};

/* Reset a scratch buffer, keeping its first error in *err: a text that
 * hit the limit must fail the report even after the buffer is reused. */
static inline void rep_reset(struct cbuf *b, int *err)
{
	if (!*err && cbuf_error(b))
		*err = cbuf_error(b);
	cbuf_reset(b);
}

/* Fill l from res (l->v heap, caller frees). 0 or CUSTOMS_ENOMEM. */
int rep_list_make(struct rep_list *l, const struct customs_match_result *res,
		  const struct customs_report_opts *o);

/* Where a finding's package was found: the path of its first visible
 * primary location, relative to the root ("var/lib/dpkg/status"), or NULL
 * when the package has none (an SBOM without locations). Reports print it
 * absolute, as the SBOM writers do: rep_slash(path) then path. */
const char *rep_pkg_path(const struct customs_pkg *p);

/* The "/" that makes a rep_pkg_path() absolute ("" for NULL). */
static inline const char *rep_slash(const char *path)
{
	return path ? "/" : "";
}

/* Whether v[i] equals an earlier v[j] (lists whose items must be unique:
 * SARIF tags, CycloneDX ranges; the lists are short). */
bool rep_dup(char *const *v, size_t i);

/* Lower-case severity word: "critical" ... "negligible", "unknown". */
const char *rep_severity_word(enum customs_severity sev);

/* The fixed versions joined by ", " into b ("" when there are none or
 * the state is not fixed). */
void rep_fix_versions(struct cbuf *b, const struct customs_finding *f);

/* Every suppression reason of f into b, "; "-separated, each as
 * "<kind>: <reason>" (the kind is not repeated when the reason already
 * starts with it, as VEX reasons do). */
void rep_suppressions(struct cbuf *b, const struct customs_finding *f);

/* A URL for the advisory: its own link, else one derived from the id
 * (NVD for CVE-, GitHub for GHSA-, OSV otherwise). Written into b. */
void rep_vuln_url(struct cbuf *b, const struct customs_finding_vuln *v);

/* The scanned target's name as the user gave it, or "unknown". */
const char *rep_source_name(const struct customs_match_result *res);
bool rep_source_is_dir(const struct customs_match_result *res);

/* The writers: everything to w; 0, CUSTOMS_ENOMEM, CUSTOMS_ELIMIT (one
 * text longer than REPORT_MAX_TEXT: an error, never a cut text) or
 * CUSTOMS_EINTERNAL (I/O errors stay sticky in w). */
int report_write_sarif(struct jw *w, const struct customs_match_result *res,
		       const struct customs_report_opts *o);
int report_write_cdx(struct jw *w, const struct customs_match_result *res,
		     const struct customs_report_opts *o);
/* JUnit XML straight to f; 0, CUSTOMS_ENOMEM or CUSTOMS_ELIMIT (the
 * caller checks f). */
int report_write_junit(FILE *f, const struct customs_match_result *res,
		       const struct customs_report_opts *o);

#endif
