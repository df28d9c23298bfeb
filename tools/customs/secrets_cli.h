/*
 * Pieces of the secrets feature shared by `customs secrets` and
 * `customs inspect`: the options that configure a scanner, and the
 * writers of its report.
 */
#ifndef CUSTOMS_TOOL_SECRETS_CLI_H
#define CUSTOMS_TOOL_SECRETS_CLI_H

#include <stdio.h>

#include "customs/secrets.h"
#include "jsonw.h"

#define SECRETS_CLI_MAX_LIST 64

struct secrets_cli {
	struct customs_secrets_opts opts;
	const char *content[SECRETS_CLI_MAX_LIST];
	const char *retrieve[SECRETS_CLI_MAX_LIST];
};

/* Option codes; the commands place them after their own. */
enum {
	OPT_SECRETS_CONFIG = 400,
	OPT_NO_SECRETS,
	OPT_CONTENT_REGEX,
	OPT_RETRIEVE_FILE,
	OPT_MALWARE_DB,
};

/* The getopt rows of the options above, for commands that scan secrets
 * beside their own job (inspect, check). */
#define SECRETS_LONG_OPTS                                                  \
	{ "secrets-config", required_argument, NULL, OPT_SECRETS_CONFIG }, \
		{ "no-secrets", no_argument, NULL, OPT_NO_SECRETS },       \
		{ "content-regex", required_argument, NULL,                \
		  OPT_CONTENT_REGEX },                                     \
		{ "retrieve-file", required_argument, NULL,                \
		  OPT_RETRIEVE_FILE },                                     \
	{                                                                  \
		"malware-db", required_argument, NULL, OPT_MALWARE_DB      \
	}

void secrets_cli_init(struct secrets_cli *c);
/** The scanner options once every option is parsed: c's, with the
 * cache directory and --no-cache of the registry options (imgopts.c),
 * which the Hyperscan database cache shares. */
const struct customs_secrets_opts *secrets_cli_opts(struct secrets_cli *c);
/** Apply one of the options above: 0, or an exit code after a usage
 * error (message printed). */
int secrets_cli_opt(struct secrets_cli *c, int code, const char *arg);

void secrets_write_json_keys(struct jsonw *w,
			     const struct customs_secrets_report *r);
void secrets_write_table(FILE *out, const struct customs_secrets_report *r);

#endif
