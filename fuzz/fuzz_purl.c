/*
 * Fuzz target for PURLs (src/pkg/purl.c). The input is parsed as a PURL;
 * when it parses, formatting it and parsing that again must give the same
 * string (the canonical form is a fixed point). The input is also used as
 * the name and version of a package of every type: whatever PURL is built
 * must parse.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "customs/pkg.h"
#include "pkg/pkg_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fixed_point(const char *s)
{
	struct customs_purl a, b;
	char *f1 = NULL, *f2 = NULL;
	int rc = customs_purl_parse(&a, s, NULL);

	if (rc && rc != CUSTOMS_EFORMAT && rc != CUSTOMS_ENOMEM)
		abort();
	if (rc)
		return;
	rc = pkg_purl_format(&f1, &a);
	if (!rc)
		rc = customs_purl_parse(&b, f1, NULL);
	if (!rc) {
		if (pkg_purl_format(&f2, &b) == 0 && strcmp(f1, f2))
			abort();
		customs_purl_release(&b);
	} else if (rc != CUSTOMS_ENOMEM && rc != CUSTOMS_ELIMIT) {
		abort(); /* a formatted PURL must parse */
	}
	free(f1);
	free(f2);
	customs_purl_release(&a);
}

static void built_parse(const char *s)
{
	static const struct customs_pkg_distro d = { "debian", "12", NULL };
	int t;

	for (t = 0; t < CUSTOMS_PKG_TYPE_COUNT; t++) {
		struct customs_pkg *p = customs_pkg_new(t);
		struct customs_purl u;
		char *out = NULL;

		if (!p)
			return;
		customs_pkg_setz(&p->name, s);
		customs_pkg_setz(&p->version, s);
		customs_pkg_setz(&p->source_name, s);
		if (customs_purl_build(&out, p, &d) == 0 && out) {
			int rc = customs_purl_parse(&u, out, NULL);

			if (!rc)
				customs_purl_release(&u);
			else if (rc != CUSTOMS_ENOMEM && strlen(out) < 60000)
				abort();
		}
		free(out);
		customs_pkg_free(p);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	fixed_point(s);
	built_parse(s);
	free(s);
	return 0;
}
