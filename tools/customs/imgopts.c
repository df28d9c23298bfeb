/*
 * The options every command that reads an image shares: platform,
 * limits, threads and the registry options. One parser, so `inspect`,
 * `sbom` and later `scan` and `check` accept them identically. The
 * registry options live in one process-wide struct (a CLI run has one
 * set); the password read from stdin is wiped at exit.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util/banned.h"

static int size_opt(const char *name, const char *arg, uint64_t *v)
{
	if (!parse_size(arg, v) || *v == 0)
		return usage_error("--%s: '%s' is not a positive size", name,
				   arg);
	return 0;
}

#define MAX_INSECURE 32
#define PASSWORD_MAX 4096

static struct customs_registry_opts reg = CUSTOMS_REGISTRY_OPTS_INIT;
static const char *insecure[MAX_INSECURE];
static char password[PASSWORD_MAX];

static void wipe_password(void)
{
	explicit_bzero(password, sizeof(password));
}

/* One line from stdin, without its newline; the whole input at most. */
static int read_password(void)
{
	size_t n;

	if (reg.password)
		return usage_error("--password-stdin given twice");
	n = fread(password, 1, sizeof(password) - 1, stdin);
	if (!feof(stdin))
		return usage_error("--password-stdin: password longer than %d "
				   "bytes",
				   PASSWORD_MAX - 1);
	password[n] = '\0';
	password[strcspn(password, "\r\n")] = '\0';
	if (!password[0])
		return usage_error("--password-stdin: empty password");
	atexit(wipe_password);
	reg.password = password;
	return 0;
}

const struct customs_registry_opts *registry_opts(void)
{
	return &reg;
}

int registry_opt(int c, const char *arg)
{
	switch (c) {
	case OPT_USERNAME:
		reg.username = arg;
		return 0;
	case OPT_PASSWORD_STDIN:
		return read_password();
	case OPT_CA_FILE:
		reg.ca_file = arg;
		return 0;
	case OPT_INSECURE:
		if (reg.n_insecure == MAX_INSECURE)
			return usage_error("--insecure: at most %d registries",
					   MAX_INSECURE);
		insecure[reg.n_insecure++] = arg;
		reg.insecure = insecure;
		return 0;
	case OPT_NO_CACHE:
		reg.no_cache = true;
		return 0;
	case OPT_CACHE_DIR:
		reg.cache_dir = arg;
		return 0;
	case OPT_CACHE_MAX:
		return size_opt("cache-max-size", arg, &reg.cache_max_size);
	default:
		return -1;
	}
}

int image_opt(struct customs_image_opts *img, struct customs_scan_opts *scan,
	      int c, const char *arg)
{
	uint64_t v;

	img->registry = &reg;
	switch (c) {
	case OPT_PLATFORM:
		img->platform = arg;
		return 0;
	case OPT_MAX_LAYER:
		return size_opt("max-layer-bytes", arg,
				&img->limits.max_layer_bytes);
	case OPT_MAX_IMAGE:
		return size_opt("max-image-bytes", arg,
				&img->limits.max_image_bytes);
	case OPT_MAX_ENTRIES:
		return size_opt("max-entries", arg, &img->limits.max_entries);
	case OPT_THREADS:
		if (!parse_size(arg, &v) || v == 0 || v > 64)
			return usage_error("--threads: '%s' is not 1..64", arg);
		scan->threads = (int)v;
		return 0;
	default:
		return registry_opt(c, arg);
	}
}
