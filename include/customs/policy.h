/*
 * customs: Anchore-compatible policy bundles (format "1_0") evaluated
 * against an analysis document.
 *
 * A bundle is parsed once (customs_policy_bundle_parse), validated with
 * every problem collected (customs_policy_validate) and evaluated against
 * an analysis document (customs_policy_analysis_parse; the keys are
 * described in docs/policy-input.md) for one tag. The result carries the
 * rows, the final action and the JSON document Anchore Engine stores for
 * an evaluation. Messages and trigger ids follow the reference byte for
 * byte (docs/policy.md), including its quirks unless a fix flag asks
 * otherwise.
 */
#ifndef CUSTOMS_POLICY_H
#define CUSTOMS_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "customs/common.h"

/** Largest bundle or analysis document accepted, in bytes. */
#define CUSTOMS_POLICY_MAX_DOC (256u << 20)

struct customs_policy_bundle;
struct customs_policy_analysis;
struct customs_policy_result;

/** Actions, ordered so that the minimum is the decision. */
enum customs_policy_action {
	CUSTOMS_POLICY_STOP = 0,
	CUSTOMS_POLICY_WARN = 1,
	CUSTOMS_POLICY_GO = 2,
};

/** "stop", "warn" or "go" (static). */
const char *customs_policy_action_name(enum customs_policy_action a);

/** One validation or evaluation problem, as Anchore reports it. */
struct customs_policy_problem {
	char *severity; /**< "error" or "warn" */
	char *problem_type; /**< Anchore's exception class name */
	char *details; /**< human text */
};

/** A list of problems (owned). */
struct customs_policy_problems {
	struct customs_policy_problem *v;
	size_t n;
};

/** Free every problem; the list is left empty. Accepts an empty list. */
void customs_policy_problems_release(struct customs_policy_problems *p);

/**
 * Parse a bundle from JSON text (len bytes). Only the JSON syntax and the
 * top-level type are checked here; customs_policy_validate() reports the
 * rest. name labels error messages (a file name). Returns 0,
 * CUSTOMS_EFORMAT (bad JSON, not an object), CUSTOMS_ELIMIT (over
 * CUSTOMS_POLICY_MAX_DOC) or CUSTOMS_ENOMEM. Free with
 * customs_policy_bundle_free().
 */
int customs_policy_bundle_parse(struct customs_policy_bundle **out,
				const char *json, size_t len, const char *name,
				struct customs_ctx *ctx);

/**
 * The built-in default bundle of Anchore Engine 1.x (id
 * 2c53a13c-1765-11e8-82ef-23527761d060). Returns 0 or CUSTOMS_ENOMEM.
 */
int customs_policy_bundle_default(struct customs_policy_bundle **out,
				  struct customs_ctx *ctx);

/** The bundle's JSON text, compact (heap; caller frees). NULL on ENOMEM. */
char *customs_policy_bundle_json(const struct customs_policy_bundle *b);

/** Free a bundle; accepts NULL. */
void customs_policy_bundle_free(struct customs_policy_bundle *b);

/**
 * Whether some rule of some policy of b names gate and trigger (compared
 * case-insensitively), mapped or not: lets a caller compute analysis data
 * only the bundle needs (the MD5 of every file for packages/verify).
 */
bool customs_policy_bundle_uses(const struct customs_policy_bundle *b,
				const char *gate, const char *trigger);

/**
 * Validate b as Anchore's API does (end-of-life gates refused), appending
 * every problem to *out (release it with customs_policy_problems_release).
 * Returns 0 (problems or not) or CUSTOMS_ENOMEM.
 */
int customs_policy_validate(struct customs_policy_problems *out,
			    const struct customs_policy_bundle *b,
			    struct customs_ctx *ctx);

/**
 * Parse an analysis document (docs/policy-input.md). Returns 0,
 * CUSTOMS_EFORMAT (bad JSON, not an object, a key of the wrong type; the
 * message names the key), CUSTOMS_ELIMIT or CUSTOMS_ENOMEM.
 */
int customs_policy_analysis_parse(struct customs_policy_analysis **out,
				  const char *json, size_t len,
				  const char *name, struct customs_ctx *ctx);

/** The pieces `customs check` assembles an analysis document from. */
struct customs_policy_parts {
	int version;
	const char *inspect_json; /**< `customs inspect -o json --files`,
				     with the secrets keys when they ran */
	size_t inspect_len;
	const char *sbom_json; /**< `customs sbom -o json`; NULL = none */
	size_t sbom_len;
	const char *passwd; /**< retrieved /etc/passwd; NULL = absent (or
			       already under the inspect document's
			       "retrieved_files") */
	size_t passwd_len;
	bool passwd_truncated;
	const char *base_name; /**< base image name (--base); NULL */
	/** `customs scan -o json` of the image's packages: its "matches"
	 * become "vulnerabilities". NULL = no database: "vulnerabilities"
	 * and "vulnerability_db" stay absent. */
	const char *scan_json;
	size_t scan_len;
	/** With scan_json: the database's build time (RFC 3339; NULL =
	 * unknown) and namespaces, for "vulnerability_db". Borrowed. */
	const char *vulndb_built;
	const struct customs_strlist *vulndb_namespaces;
	/** The diffIDs of the base image's layers, in order (--base-image),
	 * for base_image/layers_mismatch; NULL = unknown. Borrowed. */
	const struct customs_strlist *base_layers;
};
#define CUSTOMS_POLICY_PARTS_VERSION 3
#define CUSTOMS_POLICY_PARTS_INIT                                        \
	{                                                                \
		CUSTOMS_POLICY_PARTS_VERSION, NULL, 0, NULL, 0, NULL, 0, \
			false, NULL, NULL, 0, NULL, NULL, NULL           \
	}

/**
 * Assemble the analysis document (docs/policy-input.md) from its parts:
 * the inspect document's keys, "packages" from the SBOM, /etc/passwd
 * under "retrieved_files", "base_image", "vulnerabilities" and
 * "vulnerability_db" from the scan document. Heap JSON text in *out
 * (caller frees). Returns 0, CUSTOMS_EFORMAT (a part is not the JSON
 * expected) or CUSTOMS_ENOMEM.
 */
int customs_policy_analysis_build(char **out,
				  const struct customs_policy_parts *parts,
				  struct customs_ctx *ctx);

/**
 * The first of image.repo_tags of an analysis, copied to *out (heap;
 * caller frees). Returns 0 or CUSTOMS_ENOTFOUND when there is none
 * (*out NULL), CUSTOMS_ENOMEM.
 */
int customs_policy_analysis_first_tag(const struct customs_policy_analysis *an,
				      char **out);

/** Free an analysis; accepts NULL. */
void customs_policy_analysis_free(struct customs_policy_analysis *an);

/* Opt-in fixes of reference bugs (docs/policy.md, "Quirks"). Each one
 * changes messages or rows, so whitelists written for Anchore may stop
 * matching the rows it affects. */
#define CUSTOMS_POLICY_FIX_DOCKERFILE_CONTINUATION 0x1u /**< join `\` lines */
#define CUSTOMS_POLICY_FIX_REQUIRED_PACKAGE_MSG 0x2u /**< print the version */
#define CUSTOMS_POLICY_FIX_RETRIEVED_TWICE 0x4u /**< one not-available row */
#define CUSTOMS_POLICY_FIX_VENDOR_ONLY 0x8u /**< vendor_only=false works */
#define CUSTOMS_POLICY_FIX_ALL 0xfu

/** Evaluation options. Initialise with CUSTOMS_POLICY_EVAL_OPTS_INIT. */
struct customs_policy_eval_opts {
	int version;
	const char *tag; /**< full tag; NULL = match wildcard mappings only */
	int64_t now; /**< evaluation time, Unix seconds; 0 = the clock */
	unsigned fixes; /**< CUSTOMS_POLICY_FIX_* */
	const char *user_id; /**< "user_id" of the result; NULL = "customs" */
	const char *link_base; /**< prefix of vulnerability links when a
				    vulnerability has none; NULL = "" */
};
#define CUSTOMS_POLICY_EVAL_OPTS_VERSION 1
#define CUSTOMS_POLICY_EVAL_OPTS_INIT                                    \
	{                                                                \
		CUSTOMS_POLICY_EVAL_OPTS_VERSION, NULL, 0, 0, NULL, NULL \
	}

/** One decision row of an evaluation. Strings are owned by the result. */
struct customs_policy_row {
	const char *trigger_id;
	const char *gate; /**< registered (lower-case) gate name */
	const char *trigger;
	const char *message; /**< Check_Output */
	enum customs_policy_action action; /**< effective: GO if allowlisted */
	enum customs_policy_action rule_action; /**< the rule's own action */
	const char *policy_id;
	const char *rule_id; /**< NULL when the rule has no id */
	bool whitelisted;
	const char *whitelist_id; /**< when whitelisted */
	const char *whitelist_name;
	const char *matched_rule_id; /**< the whitelist item's id */
};

/**
 * Evaluate bundle b against analysis an. Problems that Anchore reports
 * inside the result (unbuildable mapped policies, end-of-life rules) go
 * into the result; a trigger that fails (bad regex in a parameter, an
 * unsupported distro for a version comparison) fails the evaluation as in
 * the reference: CUSTOMS_EFORMAT or CUSTOMS_EUNSUPPORTED with a message
 * naming the rule. Returns 0, those codes or CUSTOMS_ENOMEM.
 */
int customs_policy_evaluate(struct customs_policy_result **out,
			    const struct customs_policy_bundle *b,
			    const struct customs_policy_analysis *an,
			    const struct customs_policy_eval_opts *opts,
			    struct customs_ctx *ctx);

/** Free a result; accepts NULL. */
void customs_policy_result_free(struct customs_policy_result *r);

/** Final action including the whitelisted/blacklisted images. */
enum customs_policy_action
customs_policy_result_final(const struct customs_policy_result *r);

/** "policy_evaluation", "whitelisted" or "blacklisted" (static). */
const char *customs_policy_result_reason(const struct customs_policy_result *r);

/** The rows in Anchore's order; *n gets the count. Borrowed. */
const struct customs_policy_row *
customs_policy_result_rows(const struct customs_policy_result *r, size_t *n);

/** Evaluation problems (borrowed). */
const struct customs_policy_problems *
customs_policy_result_problems(const struct customs_policy_result *r);

/** The tag evaluated (normalised), or "" when none. Borrowed. */
const char *customs_policy_result_tag(const struct customs_policy_result *r);

/** The bundle id (borrowed; "" when the bundle has none). */
const char *
customs_policy_result_bundle_id(const struct customs_policy_result *r);

/**
 * The evaluation document Anchore stores (its §3.5 shape), indented when
 * pretty. Heap string (caller frees) in *out. Returns 0 or
 * CUSTOMS_ENOMEM.
 */
int customs_policy_result_json(char **out,
			       const struct customs_policy_result *r,
			       bool pretty);

/**
 * The policy_spec document: every gate, trigger and parameter (Anchore's
 * and customs' own), as GET /system/policy_spec returns it. Heap string
 * in *out. Returns 0 or CUSTOMS_ENOMEM.
 */
int customs_policy_describe_json(char **out, bool pretty);

/**
 * md5 hex of gate + trigger + message into out (33 bytes): the trigger id
 * of most triggers.
 */
void customs_policy_trigger_md5(char out[33], const char *gate,
				const char *trigger, const char *message);

/**
 * Parse a time for customs_policy_eval_opts.now: RFC 3339
 * ("2024-05-01T00:00:00Z"), a date ("2024-05-01") or Unix seconds.
 * Returns 0 or CUSTOMS_EINVAL.
 */
int customs_policy_time_parse(const char *s, int64_t *out);

#endif
