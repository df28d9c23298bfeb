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
#include "customs/image.h"
#include "customs/analyze.h"
#include "customs/registry.h"

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

/* Option codes shared by the commands that read an image. */
enum {
	OPT_PLATFORM = 256,
	OPT_MAX_LAYER,
	OPT_MAX_IMAGE,
	OPT_MAX_ENTRIES,
	OPT_THREADS,
	OPT_USERNAME,
	OPT_PASSWORD_STDIN,
	OPT_CA_FILE,
	OPT_INSECURE,
	OPT_NO_CACHE,
	OPT_CACHE_DIR,
	OPT_CACHE_MAX,
	OPT_FIRST_OWN, /* a command's own long options start here */
};

#define IMAGE_LONG_OPTS                                                        \
	{ "platform", required_argument, NULL, OPT_PLATFORM },                 \
		{ "max-layer-bytes", required_argument, NULL, OPT_MAX_LAYER }, \
		{ "max-image-bytes", required_argument, NULL, OPT_MAX_IMAGE }, \
		{ "max-entries", required_argument, NULL, OPT_MAX_ENTRIES },   \
		{ "threads", required_argument, NULL, OPT_THREADS },           \
		REGISTRY_LONG_OPTS

/* The registry options alone (also for `customs resolve` and `login`). */
#define REGISTRY_LONG_OPTS                                                   \
	{ "username", required_argument, NULL, OPT_USERNAME },               \
		{ "password-stdin", no_argument, NULL, OPT_PASSWORD_STDIN }, \
		{ "ca-file", required_argument, NULL, OPT_CA_FILE },         \
		{ "insecure", required_argument, NULL, OPT_INSECURE },       \
		{ "no-cache", no_argument, NULL, OPT_NO_CACHE },             \
		{ "cache-dir", required_argument, NULL, OPT_CACHE_DIR },     \
	{                                                                    \
		"cache-max-size", required_argument, NULL, OPT_CACHE_MAX     \
	}

/* Help text for IMAGE_LONG_OPTS. */
#define IMAGE_OPTS_HELP                                                     \
	"      --platform OS/ARCH[/VARIANT]\n"                              \
	"                              image of a multi-platform index to " \
	"use\n"                                                             \
	"                              (default linux/amd64)\n"             \
	"      --max-layer-bytes N     limit on decompressed bytes per "    \
	"layer\n"                                                           \
	"                              (default 32G; K, M, G suffixes)\n"   \
	"      --max-image-bytes N     limit on decompressed bytes per "    \
	"image\n"                                                           \
	"                              (default 64G)\n"                     \
	"      --max-entries N         limit on tar entries per image "     \
	"(default 4M)\n"                                                    \
	"      --threads N             layers decoded at once (default: "   \
	"cores)\n" REGISTRY_OPTS_HELP

/* Help text for the registry options. */
#define REGISTRY_AUTH_HELP REGISTRY_AUTH_HELP_U("    ")

/* The same, with "-u, " (for the commands that take it) or without. */
#define REGISTRY_AUTH_HELP_U(dash_u)                                       \
	"  " dash_u "--username USER         registry user (with "         \
	"--password-stdin;\n"                                              \
	"                              default: ~/.docker/config.json)\n"  \
	"      --password-stdin        read the password (or token) from " \
	"stdin\n"                                                          \
	"      --ca-file FILE          PEM CA bundle for registry TLS\n"   \
	"      --insecure REGISTRY     do not verify REGISTRY's TLS "      \
	"certificate and\n"                                                \
	"                              allow plain HTTP to it (repeatable)\n"

#define REGISTRY_OPTS_HELP                                                     \
	"\nregistry options (TARGET registry:REF or a bare "                   \
	"reference):\n" REGISTRY_AUTH_HELP                                     \
	"      --no-cache              use no cache: blobs are downloaded to " \
	"a\n"                                                                  \
	"                              temporary directory, the secret "       \
	"rules'\n"                                                             \
	"                              Hyperscan database is compiled "        \
	"anew\n"                                                               \
	"      --cache-dir DIR         cache directory: blobs, compiled "      \
	"rules\n"                                                              \
	"                              (default: CUSTOMS_CACHE_DIR or\n"       \
	"                              $XDG_CACHE_HOME/customs or "            \
	"~/.cache/customs)\n"                                                  \
	"      --cache-max-size N      cache cap, least recently used files "  \
	"go\n"                                                                 \
	"                              first (default 10G; layers are kept\n"  \
	"                              decompressed, ~3x their gzip size)\n"

/**
 * Apply one of the shared image options. Returns 0, an exit code after
 * a usage error, or -1 when c is not a shared option.
 */
int image_opt(struct customs_image_opts *img, struct customs_scan_opts *scan,
	      int c, const char *arg);

/**
 * Apply one of REGISTRY_LONG_OPTS to the process's registry options
 * (returned by registry_opts()). Returns 0, an exit code, or -1.
 */
int registry_opt(int c, const char *arg);
/** The registry options gathered so far. */
const struct customs_registry_opts *registry_opts(void);

struct option;

/** A command that takes options and one TARGET. */
struct cmd_args {
	const char *name; /* "inspect" */
	const char *usage; /* printed for -h/--help */
	const struct option *opts; /* getopt_long table */
	/* apply one option; 0, -1 (exit 0, e.g. after a listing) or an
	 * exit code */
	int (*one)(void *data, int c, const char *arg);
	void *data;
	const char *target; /* set on success */
};

/**
 * Parse options and the one TARGET. Returns -1 after --help (exit 0), 0
 * to go on, or an exit code after a usage error (message printed).
 */
int parse_target_args(struct cmd_args *a, int argc, char **argv);

struct customs_sbom;
struct customs_catalog_opts;

/**
 * Open target, run the package catalogers over it and build the SBOM
 * (`customs sbom`'s path, shared with `customs scan`). Returns 0 or the
 * library's error code (message on ctx).
 */
int sbom_catalog(struct customs_sbom **out, const char *target,
		 struct customs_image_opts *img_opts,
		 struct customs_scan_opts *scan,
		 struct customs_catalog_opts *cat_opts,
		 struct customs_ctx *ctx);

/** Subcommands. */
int cmd_inspect(int argc, char **argv);
int cmd_sbom(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_db(int argc, char **argv);
/** customs db update (db_update.c); argv[0] is "update". */
int cmd_db_update(int argc, char **argv);
int cmd_resolve(int argc, char **argv);
int cmd_login(int argc, char **argv);
int cmd_logout(int argc, char **argv);
int cmd_secrets(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_policy(int argc, char **argv);

#endif
