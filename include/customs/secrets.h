/*
 * customs secrets: secrets, Anchore content searches, retrieved files and
 * malware, found in the same single pass as the catalogers.
 *
 * A scanner (struct customs_secrets) holds the compiled rule set: the
 * built-in rules (docs/secrets.md lists them), the rules and allow-lists
 * of an optional YAML file, Anchore's five named secret_search regexes,
 * user content_search regexes and the list of files to retrieve. It
 * wraps itself as one analyzer (customs_analyze) that sees every regular
 * file under its size cap once, on worker threads, and keeps what it
 * found per (layer, path). customs_secrets_finish() then applies the
 * scope (squashed, or all layers), scans the image config (ENV values,
 * labels, history created_by) and returns a report.
 *
 * Matched secrets are censored (replaced by '*') in every output; the
 * raw secret never leaves the library.
 */
#ifndef CUSTOMS_SECRETS_H
#define CUSTOMS_SECRETS_H

#include <stdbool.h>
#include "customs/common.h"
#include "customs/image.h"
#include "customs/analyze.h"

/** Severities, ordered. */
enum customs_secret_severity {
	CUSTOMS_SECRET_SEV_UNKNOWN,
	CUSTOMS_SECRET_SEV_LOW,
	CUSTOMS_SECRET_SEV_MEDIUM,
	CUSTOMS_SECRET_SEV_HIGH,
	CUSTOMS_SECRET_SEV_CRITICAL,
};

/** "UNKNOWN", "LOW", ... Static. */
const char *customs_secret_severity_name(enum customs_secret_severity s);

/** A rule, as --list-rules shows it. Strings borrowed from the scanner. */
struct customs_secret_rule_info {
	const char *id;
	const char *category;
	const char *title;
	enum customs_secret_severity severity;
	const char *regex;
	const char *keywords; /**< comma-separated, "" when none */
	bool builtin;
	bool enabled;
};

/** Options for customs_secrets_new(). Init with CUSTOMS_SECRETS_OPTS_INIT. */
struct customs_secrets_opts {
	int version;
	/** YAML rules file (docs/secrets.md), or NULL. */
	const char *config_path;
	/** Report secrets in files that later layers deleted or replaced. */
	bool all_layers;
	/** Run the secret rules (false: only the Anchore searches etc). */
	bool secrets;
	/** content_search regexes, "NAME=regex" or "regex" (borrowed). */
	const char *const *content_regexes;
	size_t n_content_regexes;
	/** Files to retrieve, absolute ("/etc/passwd"); NULL = the default
	 * list (only /etc/passwd). Borrowed. */
	const char *const *retrieve;
	size_t n_retrieve;
	/** ClamAV database directory, or NULL: malware scan "not run". */
	const char *malware_db;
	/** The cache directory (the one customs_registry_opts.cache_dir
	 * names): compiled Hyperscan databases are kept in its hyperscan/
	 * subdirectory. NULL means CUSTOMS_CACHE_DIR, else
	 * $XDG_CACHE_HOME/customs, else ~/.cache/customs. */
	const char *cache_dir;
	/** Neither read nor write the cache (as does the environment
	 * variable CUSTOMS_NO_HS_CACHE=1): compile on every run. */
	bool no_cache;
};

#define CUSTOMS_SECRETS_OPTS_VERSION 2
#define CUSTOMS_SECRETS_OPTS_INIT                                         \
	{                                                                 \
		CUSTOMS_SECRETS_OPTS_VERSION, NULL, false, true, NULL, 0, \
			NULL, 0, NULL, NULL, false                        \
	}

/* Caps (bytes). Anchore's defaults for its searches. */
#define CUSTOMS_SECRETS_MAX_FILE (10u << 20)
#define CUSTOMS_ANCHORE_SEARCH_MAX 10000u
#define CUSTOMS_RETRIEVE_MAX (1000u * 1024u)

struct customs_secrets;

/**
 * Compile a scanner. Returns 0, or CUSTOMS_EINVAL (bad option or content
 * regex), CUSTOMS_EFORMAT (bad config file: the message names the file,
 * line and rule id, and for a regex the PCRE2 error and offset),
 * CUSTOMS_EIO, CUSTOMS_EUNSUPPORTED (malware_db without libclamav),
 * CUSTOMS_ENOMEM. Free with customs_secrets_free(). The keyword
 * prefilter's Hyperscan database is read from the cache directory when
 * a valid one is there, else compiled and stored there, best effort: a
 * missing, unwritable or damaged cache is never an error.
 */
int customs_secrets_new(struct customs_secrets **out,
			const struct customs_secrets_opts *opts,
			struct customs_ctx *ctx);

/** Free a scanner; accepts NULL. */
void customs_secrets_free(struct customs_secrets *s);

/** Number of rules (built-in and configured) and one rule's facts. */
size_t customs_secrets_rule_count(const struct customs_secrets *s);
void customs_secrets_rule_info(const struct customs_secrets *s, size_t i,
			       struct customs_secret_rule_info *out);

/**
 * The analyzers to add to customs_scan_opts.analyzers (borrowed; *n set).
 * A scanner serves one scan at a time.
 */
const struct customs_analyzer *const *
customs_secrets_analyzers(const struct customs_secrets *s, size_t *n);

/** One secret found. Every string is owned by the report. */
struct customs_secret_finding {
	char *rule_id;
	char *category;
	char *title;
	enum customs_secret_severity severity;
	char *path; /**< "/etc/x", "config:env", "config:label:K",
		       "config:history" */
	unsigned line; /**< 1-based; for config: the entry's index + 1 */
	int layer; /**< -1 for config findings without a layer */
	char *layer_id; /**< the layer's diffID, or NULL */
	char *created_by; /**< the layer's history line (itself censored
			     when it holds a secret), or NULL */
	char *match; /**< the line, secret replaced by '*', at most ~160 B */
};

/** Lines of one file that one Anchore pattern matched (0-based). */
struct customs_search_hit {
	char *path; /**< "/etc/x" */
	char *pattern; /**< "NAME=regex" or "regex" */
	char *key; /**< Python's base64.encodebytes of pattern: 76
		      characters a line, each ending in '\n', as Anchore
		      keys its results */
	unsigned *lines;
	size_t n_lines;
};

struct customs_retrieved_file {
	char *path; /**< "/etc/passwd" */
	uint64_t size; /**< the file's size */
	bool truncated; /**< larger than the cap: data holds the first part */
	unsigned char *data;
	size_t len;
	int layer;
};

struct customs_malware_finding {
	char *path;
	char *signature;
	int layer;
};

/** Why files were not scanned for secrets. */
enum customs_secret_skip {
	CUSTOMS_SKIP_BINARY, /**< NUL byte in the first 8 KiB */
	CUSTOMS_SKIP_TOO_LARGE, /**< over the size cap */
	CUSTOMS_SKIP_TOO_SMALL, /**< under 10 bytes */
	CUSTOMS_SKIP_PATH, /**< .git, node_modules, lock files, images, ... */
	CUSTOMS_SKIP_ALLOWED_PATH, /**< an allow rule's path (usr/share...) */
	CUSTOMS_SKIP_ALLOWED_MATCH, /**< a match dropped by an allow rule */
	CUSTOMS_SKIP_FINDINGS_CAP, /**< findings past the per-file cap */
	CUSTOMS_SKIP_N,
};

/** "binary", "too_large", ... Static. */
const char *customs_secret_skip_name(enum customs_secret_skip k);

struct customs_secrets_report {
	bool secrets_scanned;
	struct customs_secret_finding *findings; /**< sorted: path, line,
						    rule */
	size_t n_findings;
	uint64_t skipped[CUSTOMS_SKIP_N];
	struct customs_search_hit *secret_search; /**< sorted: path, key */
	size_t n_secret_search;
	struct customs_search_hit *content_search;
	size_t n_content_search;
	struct customs_retrieved_file *retrieved; /**< sorted by path */
	size_t n_retrieved;
	bool malware_run; /**< false: no database configured */
	struct customs_malware_finding *malware;
	size_t n_malware;
	char *malware_db_version; /**< ClamAV's, or NULL */
	uint64_t malware_signatures;
};

/**
 * After customs_image_scan() ran with the scanner's analyzers: apply the
 * scope, scan img's config, and build the report. Returns 0 with *out
 * owned by the caller (customs_secrets_report_free()), or CUSTOMS_ENOMEM.
 */
int customs_secrets_finish(struct customs_secrets_report **out,
			   struct customs_secrets *s,
			   const struct customs_image *img,
			   const struct customs_analysis *an,
			   struct customs_ctx *ctx);

/** Free a report; accepts NULL. */
void customs_secrets_report_free(struct customs_secrets_report *r);

/**
 * Censor a string of the image (a history created_by, a text guessed
 * from history) the way findings are censored: every byte of every secret
 * the rules find in it (the matches a config string reports: path-gated
 * rules do not run, allow rules apply) is replaced by '*'. Sets *out to a
 * NUL-terminated copy of text (len bytes) owned by the caller (free()),
 * or to NULL when text holds no secret or the scanner was made with
 * secrets off. Returns 0 or CUSTOMS_ENOMEM. Not thread-safe against a
 * running scan.
 */
int customs_secrets_censor(char **out, struct customs_secrets *s,
			   const char *text, size_t len);

/**
 * Scan one buffer as if it were the file at path (no leading '/'), with
 * the path gates, allow rules and skips. Findings get layer 0. For tests
 * and fuzzing. Returns 0 with *out owned by the caller, or a negative
 * code.
 */
int customs_secrets_scan_buffer(struct customs_secrets_report **out,
				struct customs_secrets *s, const char *path,
				const unsigned char *data, size_t len,
				struct customs_ctx *ctx);

/**
 * Load a rules file from memory (for fuzzing and tests): like
 * customs_secrets_new() with config_path, the text named name in messages,
 * and no_cache (no compiled database is read from or written to disk).
 */
int customs_secrets_new_from_yaml(struct customs_secrets **out,
				  const char *yaml, size_t len,
				  const char *name, struct customs_ctx *ctx);

#endif
