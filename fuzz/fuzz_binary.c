/*
 * Fuzz target for the binary classifiers (binclass.c, binmatch.c). The
 * input is "<path>\n<content>": the first line names the file (so every
 * classifier's name rule is reachable), the rest is its content, offered
 * whole and cut short. Checks: parse() returns 0 or CUSTOMS_ENOMEM; at
 * most one package, with a printable ASCII version of at most 63 bytes and a
 * CPE per classifier vendor.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/bincat.h"
#include "catalog/catalog_priv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct cat_result *r)
{
	const struct customs_pkg *p;
	size_t i, n;

	if (r->pkgs.n > 1)
		abort();
	if (!r->pkgs.n)
		return;
	p = r->pkgs.v[0];
	n = strlen(p->version);
	if (!n || n > 63 || !p->cpes.n || p->type != CUSTOMS_PKG_BINARY)
		abort();
	for (i = 0; i < n; i++) {
		if ((unsigned char)p->version[i] <= 0x20 ||
		    (unsigned char)p->version[i] >= 0x7f)
			abort();
	}
}

static void run(const char *path, const uint8_t *data, size_t size,
		bool truncated)
{
	struct cat_input in = { path, 0,     data, size, truncated,
				NULL, false, NULL, 0 };
	struct cat_result *r = calloc(1, sizeof(*r));
	int rc;

	if (!r)
		abort();
	rc = cat_binary_classifier.parse(&in, r);
	if (rc && rc != CUSTOMS_ENOMEM)
		abort();
	check(r);
	cat_result_free(&cat_binary_classifier, r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size < 256 ? size : 256);
	char path[256] = "usr/bin/bash";
	size_t n;

	if (nl) {
		n = (size_t)(nl - data);
		memcpy(path, data, n);
		path[n] = '\0';
		size -= n + 1;
		data = nl + 1;
	}
	run(path, data, size, false);
	run(path, data, size / 2, true);
	return 0;
}
