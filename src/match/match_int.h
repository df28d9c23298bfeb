/*
 * Internal interface of the matcher. The matching core (match.c) reads
 * vulnerability data through a small backend table so that unit tests can
 * feed it rows without a database; match_db.c binds it to customs/vulndb.h.
 * Candidate findings are collected per package (collect.c), enriched and
 * suppressed (finish.c, ignore.c, vex.c) and then sorted into the result.
 */
#ifndef CUSTOMS_MATCH_INT_H
#define CUSTOMS_MATCH_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "customs/match.h"
#include "customs/sbom.h"
#include "customs/vulndb.h"
#include "util/strmap.h"

/** Where the matcher reads vulnerability data from. */
struct match_backend {
	int (*lookup)(void *arg, const char *ns, const char *name,
		      customs_vulndb_hit_cb cb, void *cbarg,
		      struct customs_ctx *ctx);
	int (*has_namespace)(void *arg, const char *ns, bool *out,
			     struct customs_ctx *ctx);
	/** Vulnerability facts; *out NULL (and 0) when unknown. The
	 * matcher frees *out with vuln_free. */
	int (*vuln)(void *arg, const char *id, struct customs_vuln_info **out,
		    struct customs_ctx *ctx);
	void (*vuln_free)(struct customs_vuln_info *info);
	/** NVD CPE criteria of (vendor, product); may be NULL. */
	int (*lookup_cpe)(void *arg, const char *vendor, const char *product,
			  customs_vulndb_cpe_cb cb, void *cbarg,
			  struct customs_ctx *ctx);
	void *arg;
};

/** The matching run over sbom with backend be (match.c). */
int match_run(struct customs_match_result **out, const struct match_backend *be,
	      const struct customs_sbom *sbom,
	      const struct customs_match_opts *opts, struct customs_ctx *ctx);

/* ---- findings under construction (collect.c) ----------------------- */

/** Lists of findings and what is known about suppression. */
struct match_set {
	struct customs_finding *v;
	size_t n, cap;
	struct strmap index; /**< "pkg\x1fid" -> finding index + 1 */
	struct strmap not_affected; /**< "pkg\x1fid" -> namespace */
	struct customs_strlist keys; /**< owns the map keys */
	struct customs_strlist warnings;
	struct strmap warned; /**< warnings already given */
};

/** What a search was: the fields of customs_finding's match part. */
struct match_search {
	const struct customs_pkg *pkg;
	size_t pkg_index;
	const char *ns;
	const char *name;
	const char *version;
	enum customs_match_type type;
	const char *matcher;
};

/**
 * Record that row hit (which matched search s) affects the package: a new
 * finding, or merged into the one for (package, id). 0 or CUSTOMS_ENOMEM.
 */
int match_set_add(struct match_set *set, const struct match_search *s,
		  const struct customs_vulndb_hit *hit);

/** Record a not-affected row for (package, id). 0 or CUSTOMS_ENOMEM. */
int match_set_not_affected(struct match_set *set, const struct customs_pkg *pkg,
			   const char *id, const char *ns);

/** The namespace of a not-affected row for (package, id), or NULL. */
const char *match_set_is_not_affected(const struct match_set *set,
				      const struct customs_pkg *pkg,
				      const char *id);

/** Add a warning once (duplicates dropped). 0 or CUSTOMS_ENOMEM. */
int match_set_warn(struct match_set *set, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/** Free everything the set owns (findings included). */
void match_set_release(struct match_set *set);

/** Free what one finding owns. */
void match_finding_release(struct customs_finding *f);

/** Add a suppression reason to f. 0 or CUSTOMS_ENOMEM. */
int match_finding_suppress(struct customs_finding *f,
			   enum customs_suppress_kind kind, const char *reason);

/* ---- enrichment and ordering (finish.c) ----------------------------- */

/**
 * Fill the vulnerability facts of every finding from be (cached per id),
 * choose the severity, merge findings of one package that are aliases of
 * each other. 0, CUSTOMS_EIO, CUSTOMS_ENOMEM.
 */
int match_enrich(struct match_set *set, const struct match_backend *be,
		 struct customs_ctx *ctx);

/** The severity rule: row rating, else advisory's, else highest CVSS. */
enum customs_severity match_pick_severity(enum customs_severity row,
					  enum customs_severity advisory,
					  const struct customs_cvss *cvss,
					  size_t n_cvss);

/** Sort findings: severity (highest first), name, version, id. */
void match_sort(struct customs_finding *v, size_t n);

/* ---- suppression (suppress.c, ignore.c, vex.c) ---------------------- */

/** Apply not-affected, rules, VEX and the fix-state options to set. */
int match_suppress(struct match_set *set, const struct customs_match_opts *opts,
		   struct customs_ctx *ctx);

/**
 * Whether the rules suppress f; each applying rule adds a reason. Expired
 * rules add a warning (once) to set instead. 0 or CUSTOMS_ENOMEM.
 */
int ignore_apply(const struct customs_ignore_rules *rules,
		 struct customs_finding *f, const char *today,
		 struct match_set *set);

/**
 * Whether the VEX statements suppress f (product = one of products, or
 * the package PURL). 0 or CUSTOMS_ENOMEM.
 */
int vex_apply(const struct customs_vex *vex, struct customs_finding *f,
	      const char *const *products);

/** Whether glob (with "**" and "*", "?") matches path. */
bool match_glob(const char *glob, const char *path);

/**
 * NVD CPE matching of the package in s (s->pkg, pkg_index, matcher set):
 * each package CPE is looked up by (vendor, product) and checked against
 * the criterion's version or bounds. 0, CUSTOMS_EIO, CUSTOMS_ENOMEM.
 */
int match_cpe_package(struct match_set *set, const struct match_backend *be,
		      struct match_search *s, struct customs_ctx *ctx);

/** Move the findings of set into res (matches / ignored), sorted, and
 * its warnings. 0 or CUSTOMS_ENOMEM. */
int match_split(struct customs_match_result *res, struct match_set *set);

/* ---- package -> searches (pkgsearch.c) ------------------------------ */

/** The ecosystem namespace of a language package type, or NULL. */
const char *match_ecosystem(enum customs_pkg_type type);

/** The matcher name of a package type. */
const char *match_matcher_name(enum customs_pkg_type type);

/** The scheme versions of type are compared in (for CPE matches). */
enum customs_version_scheme match_type_scheme(enum customs_pkg_type type);

/** Whether an indirect match of pkg via its source is kernel noise. */
bool match_kernel_header_noise(const struct customs_pkg *pkg,
			       const char *source);

#endif
