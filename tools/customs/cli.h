/*
 * Shared pieces of the customs command line: exit codes, error printing,
 * output selection (-o FORMAT[=FILE]) and number parsing.
 */
#ifndef CUSTOMS_TOOL_CLI_H
#define CUSTOMS_TOOL_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "customs/common.h"

enum {
	EXIT_OK = 0,
	EXIT_GATE = 1,
	EXIT_INPUT = 2,
	EXIT_INTERNAL = 3,
};

#define MAX_OUTPUTS 8

struct output {
	const char *format;
	const char *file; /* NULL = stdout */
};

struct outputs {
	struct output v[MAX_OUTPUTS];
	int n;
};

/** Print "customs: error: ..." on stderr; returns EXIT_INPUT. */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** Print ctx's message and map its code to an exit code. */
int fail_ctx(const struct customs_ctx *ctx, int code);

/** Parse "FORMAT[=FILE]" into outs; allowed is a NULL-terminated list. */
int parse_output(struct outputs *outs, const char *arg,
		 const char *const *allowed);

/** Parse "123", "10K", "64M", "2G" into *v. */
bool parse_size(const char *s, uint64_t *v);

/**
 * Open every output before the work starts, so that an unwritable path
 * fails at once rather than after a long scan. files gets one FILE per
 * output (stdout for "-" or no file). Returns 0 or EXIT_INPUT (message
 * printed, nothing left open or created).
 */
int open_outputs(const struct outputs *outs, FILE **files);

/**
 * Close the outputs. With keep false (the command failed) the files it
 * created are removed, so no partial report is left looking complete.
 * Returns 0 or EXIT_INPUT when a write failed.
 */
int close_outputs(const struct outputs *outs, FILE **files, bool keep);

/** Subcommands. */
int cmd_inspect(int argc, char **argv);

#endif
