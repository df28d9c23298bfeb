/*
 * Fuzz target for the dpkg cataloger (catalog/dpkg.c, dpkg_files.c,
 * deb_copyright.c). The input, after a first flags byte (bit 0: the read
 * was cut short), is parsed as every kind of file the cataloger reads:
 * the status database, a status.d stanza, info/x.md5sums, x.conffiles,
 * status.d/x.md5sums and usr/share/doc/x/copyright, and finish() merges
 * them as one layer, so a stanza naming package "x" gets the sidecars.
 * Besides memory errors it checks the output invariants: every package
 * has a name and a version, every owned file a relative non-empty path
 * and, when it has a digest, 32 lower-case hex digits.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/dpkg_int.h"

#define N_KINDS 6

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const paths[N_KINDS] = {
	DPKG_STATUS,
	DPKG_STATUS_D "x",
	DPKG_INFO "x.md5sums",
	DPKG_INFO "x.conffiles",
	DPKG_STATUS_D "x.md5sums",
	DEB_DOC "x/copyright",
};

static void check_pkg(const struct customs_pkg *p)
{
	size_t i, j;

	if (!p->name || !*p->name || !p->version || !*p->version)
		abort();
	for (i = 0; i < p->n_files; i++) {
		const struct customs_pkg_file *f = &p->files[i];

		if (!*f->path || f->path[0] == '/')
			abort();
		if (f->digest && strlen(f->digest) != 32)
			abort();
		for (j = 0; f->digest && f->digest[j]; j++) {
			if (!strchr("0123456789abcdef", f->digest[j]))
				abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cat_result res[N_KINDS];
	struct cat_entry e[N_KINDS];
	struct customs_pkglist out = { 0 };
	struct cat_finish f = { 0 };
	struct cat_input in = { 0 };
	size_t i;
	int rc = 0;

	if (!size)
		return 0;
	memset(res, 0, sizeof(res));
	memset(e, 0, sizeof(e));
	in.data = data + 1;
	in.len = size - 1;
	in.truncated = data[0] & 1;
	for (i = 0; i < N_KINDS; i++) {
		in.path = paths[i];
		e[i].path = (char *)paths[i];
		e[i].visible = true;
		e[i].res = &res[i];
		if (!rc)
			rc = cat_dpkg.parse(&in, &res[i]);
	}
	if (rc && rc != CUSTOMS_ENOMEM)
		abort();
	f.cat = &cat_dpkg;
	f.entries = e;
	f.n_entries = N_KINDS;
	f.out = &out;
	if (!rc && cat_dpkg.finish(&f))
		abort();
	for (i = 0; i < out.n; i++)
		check_pkg(out.v[i]);
	customs_pkglist_release(&out);
	for (i = 0; i < N_KINDS; i++) {
		customs_pkglist_release(&res[i].pkgs);
		customs_strlist_release(&res[i].warnings);
		dpkg_aux_free(res[i].aux);
	}
	return 0;
}
