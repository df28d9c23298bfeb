/*
 * Pieces shared by `customs check` and `customs policy`: reading files,
 * loading a bundle, printing results, parsing --fix and --now.
 */
#ifndef CUSTOMS_TOOL_POLICY_CLI_H
#define CUSTOMS_TOOL_POLICY_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "customs/policy.h"

/* Largest bundle, analysis or case file read. */
#define POLICY_MAX_FILE (256u << 20)

/** Read a whole file (heap, NUL-terminated). 0 or a CUSTOMS_E code. */
int read_file(char **out, size_t *len, const char *path,
	      struct customs_ctx *ctx);
int write_file(const char *path, const char *data, size_t len,
	       struct customs_ctx *ctx);
/** The bundle in path, or the built-in default when path is NULL. */
int load_bundle(struct customs_policy_bundle **out, const char *path,
		struct customs_ctx *ctx);
/** "all" or a comma list of fix names into *fixes; exit code or 0. */
int parse_fixes(unsigned *fixes, const char *arg);
int parse_now(int64_t *now, const char *arg);
void print_result_table(FILE *f, const struct customs_policy_result *r);
int print_result_json(FILE *f, const struct customs_policy_result *r);
/** The analysis document of an image target (default options); md5:
 * also files[].md5 (for a bundle with a packages/verify rule). */
int image_analysis_json(char **out, const char *target, bool md5,
			struct customs_ctx *ctx);
/** `customs policy test DIR`. */
int policy_test(const char *dir);

#endif
