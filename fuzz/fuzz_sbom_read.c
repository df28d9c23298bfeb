/*
 * Fuzz target for the SBOM readers (src/sbom/read*.c): the input is one
 * document, detected as native, CycloneDX or SPDX JSON. Besides memory
 * errors it checks that the reader returns only its documented codes and
 * that whatever it reads can be written in all three formats, and that
 * the native format round-trips exactly (write -> read -> write gives
 * the same bytes).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "customs/sbom.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *render(const struct customs_sbom *s, enum customs_sbom_format f,
		    size_t *len)
{
	struct customs_sbom_write_opts o = CUSTOMS_SBOM_WRITE_OPTS_INIT;
	char *buf = NULL;
	FILE *mf = open_memstream(&buf, len);
	int rc;

	if (!mf)
		abort();
	o.created = s->created;
	rc = customs_sbom_write(mf, s, f, &o, NULL);
	fclose(mf);
	if (rc && rc != CUSTOMS_ENOMEM)
		abort();
	if (rc) {
		free(buf);
		return NULL;
	}
	return buf;
}

static void roundtrip(const struct customs_sbom *s)
{
	struct customs_sbom *back = NULL;
	size_t na = 0, nb = 0;
	char *a = render(s, CUSTOMS_SBOM_JSON, &na), *b = NULL;
	int rc;

	if (!a)
		return;
	rc = customs_sbom_read(&back, a, na, "native", NULL);
	if (rc && rc != CUSTOMS_ENOMEM)
		abort(); /* our own output must read back */
	if (!rc)
		b = render(back, CUSTOMS_SBOM_JSON, &nb);
	if (b && (na != nb || memcmp(a, b, na)))
		abort();
	free(a);
	free(b);
	customs_sbom_free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct customs_sbom *s = NULL;
	size_t n;
	int rc = customs_sbom_read(&s, (const char *)data, size, "fuzz", NULL);

	if (rc != 0 && rc != CUSTOMS_EFORMAT && rc != CUSTOMS_EUNSUPPORTED &&
	    rc != CUSTOMS_ELIMIT && rc != CUSTOMS_ENOMEM)
		abort();
	if (rc) {
		if (s)
			abort();
		return 0;
	}
	free(render(s, CUSTOMS_SBOM_CYCLONEDX_JSON, &n));
	free(render(s, CUSTOMS_SBOM_SPDX_JSON, &n));
	roundtrip(s);
	customs_sbom_free(s);
	return 0;
}
