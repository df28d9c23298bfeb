/*
 * Helpers shared by the catalogers that parse text line by line (dpkg,
 * apk, Gemfile.lock, requirements files): one place decides what a
 * control byte is and how input is quoted in a warning.
 */
#include <string.h>

#include "catalog/catutil.h"
#include "util/alloc.h"
#include "util/banned.h"

int cat_set_slice(char **field, struct cslice s)
{
	return s.n ? customs_pkg_set(field, s.p, s.n) : 0;
}

int cat_meta_slice(struct customs_pkg *pkg, const char *key, struct cslice v)
{
	char *s;
	int rc;

	if (!v.n)
		return 0;
	s = cslice_dup(v);
	if (!s)
		return CUSTOMS_ENOMEM;
	rc = customs_pkg_meta_set(pkg, key, s);
	customs_free(s);
	return rc;
}

bool cat_has_ctl(struct cslice s)
{
	size_t i;

	for (i = 0; i < s.n; i++) {
		if ((unsigned char)s.p[i] < 0x20 || s.p[i] == 0x7f)
			return true;
	}
	return false;
}

const char *cat_show(char out[CAT_SHOW_MAX + 4], struct cslice s)
{
	size_t i, n = s.n < CAT_SHOW_MAX ? s.n : CAT_SHOW_MAX;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s.p[i];

		out[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	if (n < s.n) {
		memcpy(out + n, "...", 3);
		n += 3;
	}
	out[n] = '\0';
	return out;
}
