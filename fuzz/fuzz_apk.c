/*
 * Fuzz target for the apk cataloger (catalog/apk.c): the input, after a
 * first flags byte (bit 0: the read was cut short), is parsed as
 * lib/apk/db/installed. Besides memory errors it checks the output
 * invariants: every package has a name and a version, every file a
 * non-empty relative path, and a digest is lower-case hex of the length
 * its algorithm gives.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog_int.h"

extern const struct cataloger cat_apk;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t hex_len(const char *algo)
{
	if (!strcmp(algo, "md5"))
		return 32;
	if (!strcmp(algo, "sha1"))
		return 40;
	if (!strcmp(algo, "sha256"))
		return 64;
	abort();
}

static void check_pkg(const struct customs_pkg *p)
{
	size_t i, j;

	if (!p->name || !*p->name || !p->version || !*p->version)
		abort();
	for (i = 0; i < p->n_files; i++) {
		const struct customs_pkg_file *f = &p->files[i];

		if (!*f->path || f->path[0] == '/' ||
		    !f->algorithm != !f->digest)
			abort();
		if (f->digest && strlen(f->digest) != hex_len(f->algorithm))
			abort();
		for (j = 0; f->digest && f->digest[j]; j++) {
			if (!strchr("0123456789abcdef", f->digest[j]))
				abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cat_result res = { 0 };
	struct cat_input in = { 0 };
	size_t i;
	int rc;

	if (!size)
		return 0;
	in.path = "lib/apk/db/installed";
	in.data = data + 1;
	in.len = size - 1;
	in.truncated = data[0] & 1;
	rc = cat_apk.parse(&in, &res);
	if (rc && rc != CUSTOMS_ENOMEM)
		abort();
	for (i = 0; !rc && i < res.pkgs.n; i++)
		check_pkg(res.pkgs.v[i]);
	customs_pkglist_release(&res.pkgs);
	customs_strlist_release(&res.warnings);
	return 0;
}
