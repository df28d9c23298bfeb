/*
 * Fuzz target for distro detection (analyze/distro.c, analyze/osrelease.c).
 * The input is split at each 0xfe byte (never valid in UTF-8, so the rest
 * of the byte range stays reachable) into up to 7 chunks, fed in order as
 * etc/os-release, usr/lib/os-release, etc/system-release-cpe,
 * etc/redhat-release, etc/debian_version, etc/alpine-release and
 * bin/busybox; an empty chunk is an absent file. Besides memory errors it
 * checks the output invariant: every string is at most 256 bytes with no
 * C0 control byte or DEL.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "customs/analyze.h"

#define N_FILES 7
#define SEP 0xfe

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const paths[N_FILES] = {
	"etc/os-release",     "usr/lib/os-release", "etc/system-release-cpe",
	"etc/redhat-release", "etc/debian_version", "etc/alpine-release",
	"bin/busybox",
};

static void check(const char *s)
{
	size_t i, n;

	if (!s)
		return;
	n = strlen(s);
	if (n == 0 || n > 256)
		abort();
	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			abort();
	}
}

static void check_distro(const struct customs_distro *d)
{
	if (!d)
		return;
	if (!d->id || !d->source)
		abort();
	check(d->id);
	check(d->version_id);
	check(d->version);
	check(d->pretty_name);
	check(d->id_like);
	check(d->codename);
	check(d->cpe);
	check(d->source);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const unsigned char *chunks[N_FILES] = { NULL };
	size_t lens[N_FILES] = { 0 };
	struct customs_distro *d = NULL;
	const uint8_t *p = data, *end = data + size, *sep;
	size_t i;
	int rc;

	for (i = 0; i < N_FILES && p <= end; i++) {
		sep = (i + 1 < N_FILES) ? memchr(p, SEP, (size_t)(end - p))
					: NULL;
		lens[i] = (size_t)((sep ? sep : end) - p);
		chunks[i] = lens[i] ? p : NULL;
		if (!sep)
			break;
		p = sep + 1;
	}
	rc = customs_distro_detect(&d, paths, chunks, lens, N_FILES);
	if (rc != 0 && rc != CUSTOMS_ENOMEM)
		abort();
	if (rc && d)
		abort();
	check_distro(d);
	customs_distro_free(d);
	return 0;
}
