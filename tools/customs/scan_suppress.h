/*
 * The vulnerability-input options `customs scan` and `customs check`
 * share: --distro, --ignore and --vex. Both commands parse them with the
 * same getopt rows, load the files the same way and hand the result to
 * the matcher, so a suppression means the same thing in a scan report and
 * in a policy evaluation.
 */
#ifndef CUSTOMS_TOOL_SCAN_SUPPRESS_H
#define CUSTOMS_TOOL_SCAN_SUPPRESS_H

#include "customs/match.h"
#include "customs/sbom.h"

#define SCAN_MAX_VEX 16
#define SCAN_MAX_PRODUCTS 64

/* Option codes; the commands place them after their own. */
enum {
	OPT_SUPPRESS_DISTRO = 420,
	OPT_SUPPRESS_IGNORE,
	OPT_SUPPRESS_VEX,
};

#define SUPPRESS_LONG_OPTS                                                  \
	{ "distro", required_argument, NULL, OPT_SUPPRESS_DISTRO },         \
		{ "ignore", required_argument, NULL, OPT_SUPPRESS_IGNORE }, \
	{                                                                   \
		"vex", required_argument, NULL, OPT_SUPPRESS_VEX            \
	}

#define SUPPRESS_OPTS_HELP                                                    \
	"      --distro ID:VERSION     match OS packages as this distro "     \
	"(debian:12)\n"                                                       \
	"      --ignore FILE           ignore rules (YAML list, or a config " \
	"file's\n"                                                            \
	"                              \"ignore:\" key); see docs/scan.md\n"  \
	"      --vex FILE              OpenVEX document; not_affected and "   \
	"fixed\n"                                                             \
	"                              statements suppress findings "         \
	"(repeatable)\n"

struct scan_suppress {
	const char *ignore; /* --ignore FILE */
	const char *vex[SCAN_MAX_VEX]; /* --vex FILE, in order */
	int n_vex;
	struct customs_ignore_rules *rules; /* loaded */
	struct customs_vex *vexdoc; /* loaded */
	const char *products[SCAN_MAX_PRODUCTS + 1];
};

/** Apply one of the options above to s and mo: 0, or an exit code after
 * a usage error (message printed). */
int scan_suppress_opt(struct scan_suppress *s, struct customs_match_opts *mo,
		      int code, const char *arg);

/**
 * Read the ignore file and the VEX documents into s and point mo at them.
 * 0, or a library code with *exit_code set (a file that cannot be read:
 * message printed, EXIT_INPUT) or a message on ctx (a file that does not
 * parse).
 */
int scan_suppress_load(struct scan_suppress *s, struct customs_match_opts *mo,
		       struct customs_ctx *ctx, int *exit_code);

/** Name the products a VEX statement may name for this target (the
 * reference given, the image id, manifest digest and tags) in mo. */
void scan_suppress_products(struct scan_suppress *s,
			    struct customs_match_opts *mo, const char *target,
			    const struct customs_sbom *sbom);

void scan_suppress_release(struct scan_suppress *s);

/** Read a whole regular file of at most 512 MiB into a new NUL-ended
 * *data: 0, or EXIT_INPUT with "<what> '<path>': ..." printed. */
int scan_read_input(const char *path, const char *what, char **data,
		    size_t *len);

/** The matcher's warnings, one "customs: warning:" line each. */
void scan_print_match_warnings(const struct customs_match_result *res);

#endif
