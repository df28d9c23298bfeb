/*
 * Fuzz target for image references (src/registry/reference.c). Parsing
 * must never crash; a parsed reference's canonical string must parse
 * again to the same four fields, and its familiar form must be made
 * without error. The loopback test runs on the input and on the domain.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "customs/reference.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int same(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return !strcmp(a, b);
}

static void round_trip(const struct customs_ref *a)
{
	struct customs_ref b;
	char *s = NULL, *f = NULL;
	int rc;

	if (customs_ref_string(&s, a, NULL))
		return;
	rc = customs_ref_parse(&b, s, NULL);
	if (rc == 0) {
		if (!same(a->domain, b.domain) || !same(a->path, b.path) ||
		    !same(a->tag, b.tag) || !same(a->digest, b.digest))
			abort();
		customs_ref_release(&b);
	} else if (rc != CUSTOMS_ENOMEM && rc != CUSTOMS_ELIMIT) {
		abort(); /* a canonical string must parse */
	}
	if (customs_ref_familiar(&f, a, NULL) == 0 && !f)
		abort();
	(void)customs_ref_plain_http_ok(a->domain);
	if (!customs_ref_api_host(a))
		abort();
	free(s);
	free(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct customs_ref r;
	char *s = malloc(size + 1);
	int rc;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	(void)customs_ref_plain_http_ok(s);
	rc = customs_ref_parse(&r, s, NULL);
	if (rc == 0) {
		if (!r.domain || !r.path || (!r.tag && !r.digest))
			abort();
		round_trip(&r);
		customs_ref_release(&r);
	} else if (r.domain || r.path || r.tag || r.digest) {
		abort(); /* a failed parse leaves nothing to release */
	}
	free(s);
	return 0;
}
