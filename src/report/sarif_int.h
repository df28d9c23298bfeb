/* Internals of the SARIF writer shared by sarif.c and sarif_rules.c. */
#ifndef CUSTOMS_REPORT_SARIF_INT_H
#define CUSTOMS_REPORT_SARIF_INT_H

#include "report/report_int.h"
#include "util/hash.h"

/* Packages a rule's help lists; the rest are counted. */
#define SARIF_HELP_MAX_PKGS 100

/* One rule: the findings [first, first + n) of the id-sorted array. */
struct rule {
	const struct customs_finding *const *v;
	size_t n;
};

struct sarif {
	struct jw *w;
	const struct customs_match_result *res;
	const struct customs_report_opts *o;
	struct rep_list list; /* report order */
	const struct customs_finding **by_id; /* sorted by vuln id */
	struct rule *rules;
	size_t n_rules;
	char short_name[128]; /* the image's path-friendly name */
	struct cbuf b; /* scratch text */
	struct cbuf fix, url; /* scratch: fixed versions, advisory URL */
	struct customs_sha256 *h; /* fingerprints */
	int err; /* first scratch-buffer error (rep_reset) */
};

/* Sort the findings by id into s->by_id and group them into s->rules.
 * 0 or CUSTOMS_ENOMEM. */
int sarif_make_rules(struct sarif *s);

/* The index in s->rules of the rule for id. */
size_t sarif_rule_index(const struct sarif *s, const char *id);

/* One reportingDescriptor. 0, CUSTOMS_ENOMEM or CUSTOMS_ELIMIT (a text
 * past REPORT_MAX_TEXT). */
int sarif_rule(struct sarif *s, const struct rule *r);

/* The first error of s's scratch buffers, or 0. */
int sarif_scratch_error(const struct sarif *s);

/* {"text": text} under key. */
void sarif_text_obj(struct jw *w, const char *key, const char *text);

/* The finding's package facts, "" (or "unknown") when absent. */
const char *sarif_pkg_type(const struct customs_finding *f);
const char *sarif_pkg_name(const struct customs_finding *f);
const char *sarif_pkg_version(const struct customs_finding *f);

#endif
