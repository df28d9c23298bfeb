/*
 * customs match: packages of an SBOM -> vulnerability findings.
 *
 * The matcher looks every package of a struct customs_sbom up in an open
 * vulnerability database (customs/vulndb.h): OS packages in the distro
 * namespace derived from the SBOM's os-release facts (by binary name, then
 * by source package), language packages in their ecosystem namespace,
 * binaries and packages without a namespace by NVD CPE. Each affected row
 * is checked with the row's version scheme; rows of one (vulnerability,
 * package) are OR'ed and duplicates across sources are merged into one
 * finding. Findings then pass the suppression stage: distro not-affected
 * rows, ignore rules (YAML) and OpenVEX statements. Suppressed findings
 * are kept apart, with the reasons, so reports can show them.
 *
 * A result owns every string it holds; finding.pkg points into the SBOM
 * the result was made from, which must outlive the result.
 * docs/internals/matching.md describes the rules; docs/scan-json.md the
 * JSON form of a result.
 */
#ifndef CUSTOMS_MATCH_H
#define CUSTOMS_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "customs/common.h"
#include "customs/pkg.h"
#include "customs/vulndb.h"

/** How a finding was matched (Grype's names). */
enum customs_match_type {
	CUSTOMS_MATCH_EXACT_DIRECT, /**< "exact-direct-match": by name */
	CUSTOMS_MATCH_EXACT_INDIRECT, /**< "exact-indirect-match": source */
	CUSTOMS_MATCH_CPE, /**< "cpe-match": NVD CPE criteria */
};

/** "exact-direct-match", "exact-indirect-match", "cpe-match". */
const char *customs_match_type_name(enum customs_match_type type);

/** Parse a name of customs_match_type_name(). 0 or CUSTOMS_ENOTFOUND. */
int customs_match_type_parse(enum customs_match_type *out, const char *name);

/** Why a finding is suppressed. */
enum customs_suppress_kind {
	CUSTOMS_SUPPRESS_RULE, /**< "rule": an ignore rule matched */
	CUSTOMS_SUPPRESS_VEX, /**< "vex": an OpenVEX statement */
	CUSTOMS_SUPPRESS_NOT_AFFECTED, /**< "not-affected": a distro row */
};

/** "rule", "vex", "not-affected". */
const char *customs_suppress_kind_name(enum customs_suppress_kind kind);

/** One reason a finding is suppressed. */
struct customs_suppression {
	enum customs_suppress_kind kind;
	/** Human text: the rule's reason (or "ignore rule N" when it has
	 * none), "vex: not_affected: vulnerable_code_not_present (file)",
	 * "debian:12 marks the package not affected". Never NULL. */
	char *reason;
};

/** The vulnerability side of a finding (from customs_vulndb_vuln()). */
struct customs_finding_vuln {
	char *id; /**< the id the matching row has: CVE-, GHSA-, ... */
	char *namespace; /**< the row's namespace: "debian:12", "npm" */
	/** Package/distro rating of the row, else the advisory's, else the
	 * band of the highest CVSS score (NVD primary preferred). */
	enum customs_severity severity;
	char *link; /**< advisory URL, or NULL */
	char *description; /**< summary or description, or NULL */
	char *published; /**< RFC 3339, or NULL */
	struct customs_strlist aliases; /**< merged, sorted, without id */
	struct customs_cvss *cvss; /**< owned strings; NVD primary first */
	size_t n_cvss;
	struct customs_strlist cwes;
	bool in_kev; /**< listed in CISA KEV (via id or a CVE alias) */
	char *kev_date_added, *kev_due_date; /**< "YYYY-MM-DD" or NULL */
	bool kev_ransomware;
	bool has_epss;
	double epss_score, epss_percentile;
};

/** One finding: a vulnerability affecting one package. */
struct customs_finding {
	struct customs_finding_vuln vuln;
	const struct customs_pkg *pkg; /**< borrowed from the SBOM */

	/* fix */
	enum customs_fix_state fix_state;
	struct customs_strlist fix_versions; /**< sorted, may be empty */
	char *fix_date; /**< "YYYY-MM-DD" or NULL */

	/* how it was matched */
	enum customs_match_type match_type;
	char *matcher; /**< "dpkg-matcher", "apk-matcher", "rpm-matcher",
			  "javascript-matcher", "python-matcher",
			  "java-matcher", "go-module-matcher",
			  "rust-matcher", "ruby-gem-matcher",
			  "php-matcher", "dotnet-matcher",
			  "stock-matcher" (CPE) */
	char *searched_namespace; /**< namespace looked up ("debian:12") */
	char *searched_name; /**< name looked up (source name if indirect) */
	char *searched_version; /**< version compared */
	char *found_ranges; /**< the row's ranges ("< 5.6.1-1"), or NULL;
			       a CPE match: its bounds as a list */
	struct customs_strlist found_versions; /**< the row's versions[] */
	struct customs_strlist found_fixed; /**< the row's fixed versions */

	/* suppression */
	bool ignored; /**< true iff n_suppressions > 0 */
	struct customs_suppression *suppressions;
	size_t n_suppressions;
};

/** Database facts a report shows. */
struct customs_match_db_info {
	char *path;
	char *built; /**< RFC 3339 of the last import, or NULL */
	struct customs_strlist sources; /**< source names, sorted */
};

/**
 * The outcome of matching one SBOM. matches are the findings that apply,
 * ignored the suppressed ones; both sorted by severity (highest first),
 * then package name, version, vulnerability id. Owns everything but sbom
 * and the packages findings point to.
 */
struct customs_match_result {
	const struct customs_sbom *sbom; /**< borrowed: source, distro */
	char *distro_namespace; /**< "debian:12" used, or NULL (none) */
	struct customs_match_db_info db;
	struct customs_finding *matches;
	size_t n_matches;
	struct customs_finding *ignored;
	size_t n_ignored;
	/** Problems that did not stop matching (a version invalid in the
	 * row's scheme, an expired ignore rule, a VEX statement naming no
	 * known package...), one line each. */
	struct customs_strlist warnings;
};

/** Free a result; accepts NULL. */
void customs_match_result_free(struct customs_match_result *res);

/* ---- suppression inputs --------------------------------------------- */

/** Parsed ignore rules (opaque). */
struct customs_ignore_rules;

/**
 * Parse ignore rules from YAML: either a top-level list of rules or a
 * mapping whose "ignore:" key holds the list (a customs config file).
 * Each rule: vulnerability, reason, fix-state, match-type, namespace,
 * expires ("YYYY-MM-DD"), package.{name, version, type, location,
 * upstream-name}. name names the input in errors ("file: line N: ...").
 * Returns 0, CUSTOMS_EFORMAT, CUSTOMS_ELIMIT or CUSTOMS_ENOMEM. Free with
 * customs_ignore_rules_free().
 */
int customs_ignore_rules_parse(struct customs_ignore_rules **out,
			       const char *data, size_t len, const char *name,
			       struct customs_ctx *ctx);

/** Free; accepts NULL. */
void customs_ignore_rules_free(struct customs_ignore_rules *rules);

/** Parsed OpenVEX documents (opaque); one object accumulates many. */
struct customs_vex;

/** A new, empty statement set. 0 or CUSTOMS_ENOMEM. */
int customs_vex_new(struct customs_vex **out);

/**
 * Add the statements of one OpenVEX JSON document. name names it in
 * errors and in suppression reasons. Returns 0, CUSTOMS_EFORMAT,
 * CUSTOMS_ELIMIT or CUSTOMS_ENOMEM.
 */
int customs_vex_add(struct customs_vex *vex, const char *data, size_t len,
		    const char *name, struct customs_ctx *ctx);

/** Free; accepts NULL. */
void customs_vex_free(struct customs_vex *vex);

/* ---- matching -------------------------------------------------------- */

/** Bit per fix state, for customs_match_opts.ignore_states. */
#define CUSTOMS_FIX_STATE_BIT(s) (1u << (unsigned)(s))

/** Options for customs_match_sbom(). Init with CUSTOMS_MATCH_OPTS_INIT. */
struct customs_match_opts {
	int version;
	/** "debian:12" or "debian:12.5" or "alpine:3.18": overrides the
	 * distro from the SBOM; NULL: derive it. */
	const char *distro;
	bool only_fixed; /**< suppress findings whose state is not fixed */
	bool only_notfixed; /**< suppress findings whose state is fixed */
	unsigned ignore_states; /**< CUSTOMS_FIX_STATE_BIT()s to suppress */
	const struct customs_ignore_rules *rules; /**< may be NULL */
	const struct customs_vex *vex; /**< may be NULL */
	/** Image references a VEX product may name (the target, its
	 * digests); NULL-terminated list or NULL. */
	const char *const *vex_products;
	/** "YYYY-MM-DD" to judge expires against; NULL: today (UTC). */
	const char *today;
	/** Path shown in the result's db info (may be NULL). */
	const char *db_path;
};

#define CUSTOMS_MATCH_OPTS_VERSION 1
#define CUSTOMS_MATCH_OPTS_INIT                                                \
	{                                                                      \
		CUSTOMS_MATCH_OPTS_VERSION, NULL, false, false, 0, NULL, NULL, \
			NULL, NULL, NULL                                       \
	}

/**
 * Match every package of sbom against db into a new *out (free with
 * customs_match_result_free()). Problems with single packages or rows
 * (an unparsable version or range) become warnings on the result, never
 * a false finding. Returns 0, CUSTOMS_EINVAL (bad opts: an unknown
 * --distro), CUSTOMS_EIO (database), CUSTOMS_ENOMEM.
 */
int customs_match_sbom(struct customs_match_result **out,
		       struct customs_vulndb *db,
		       const struct customs_sbom *sbom,
		       const struct customs_match_opts *opts,
		       struct customs_ctx *ctx);

/**
 * The distro namespaces to search for distro (id, version_id), most
 * specific first, into *out (caller releases): "debian" "12.5" ->
 * ["debian:12"]; "alpine" "3.18.4" -> ["alpine:3.18"]; "rocky" "9.3" ->
 * ["rocky:9", "rhel:9"]; "raspbian" "12" -> ["debian:12"]; "ubuntu"
 * "22.04" -> ["ubuntu:22.04"]. An empty list when the distro is unknown
 * or NULL. Returns 0 or CUSTOMS_ENOMEM.
 */
int customs_match_distro_namespaces(struct customs_strlist *out, const char *id,
				    const char *version_id);

/**
 * Whether a non-suppressed finding of res has a severity at or above
 * threshold (an unknown severity never counts).
 */
bool customs_match_fails(const struct customs_match_result *res,
			 enum customs_severity threshold);

#endif
