/*
 * Fuzz target for version ordering and ranges (src/version). The input is
 * split at 0xfe bytes into three strings a, b and c. For every scheme:
 * each comparison either fails cleanly or returns -1, 0 or 1; a valid
 * version equals itself; cmp(x, y) == -cmp(y, x); and the order is
 * transitive on the triple (a <= b <= c implies a <= c, with equality
 * when both are equal), except for Maven: ComparableVersion itself is not
 * transitive when a version starts with a word ("foo" < "0-alpha" < ""
 * < "foo" in Maven 3.8), and we copy it. Then a is parsed as a range of every
 * scheme and, when that works, asked whether it contains b; a valid b must
 * never make that fail. Besides memory errors, a broken property aborts.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "customs/version.h"

#define SEP 0xfe

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* cmp or 2 when either side is rejected. */
static int cmp(enum customs_version_scheme s, const char *x, const char *y)
{
	int c = 99, rc;

	rc = customs_version_cmp(s, x, y, &c, NULL);
	if (rc) {
		if (rc != CUSTOMS_EFORMAT && rc != CUSTOMS_ELIMIT &&
		    rc != CUSTOMS_ENOMEM)
			abort();
		return 2;
	}
	if (c < -1 || c > 1)
		abort();
	return c;
}

static void check_order(enum customs_version_scheme s, char *const v[3])
{
	bool transitive = s != CUSTOMS_VERSION_MAVEN;
	int c[3][3], i, j, k;

	for (i = 0; i < 3; i++) {
		for (j = 0; j < 3; j++)
			c[i][j] = cmp(s, v[i], v[j]);
	}
	for (i = 0; i < 3; i++) {
		if (c[i][i] != 0 && c[i][i] != 2)
			abort();
		for (j = 0; j < 3; j++) {
			if (c[i][j] == 2 || c[j][i] == 2)
				continue;
			if (c[i][j] != -c[j][i])
				abort();
			for (k = 0; k < 3 && transitive; k++) {
				if (c[j][k] == 2 || c[i][k] == 2)
					continue;
				if (c[i][j] <= 0 && c[j][k] <= 0 && c[i][k] > 0)
					abort();
				if (c[i][j] == 0 && c[j][k] == 0 &&
				    c[i][k] != 0)
					abort();
			}
		}
	}
}

static void check_range(enum customs_version_scheme s, const char *expr,
			const char *v)
{
	struct customs_version_range *r = NULL;
	bool in;
	int rc;

	rc = customs_version_range_parse(&r, s, expr, NULL);
	if (rc) {
		if (r)
			abort();
		return;
	}
	rc = customs_version_range_contains(r, v, &in, NULL);
	if (rc && customs_version_validate(s, v, NULL) == 0 &&
	    rc != CUSTOMS_ENOMEM)
		abort();
	customs_version_range_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *v[3] = { NULL, NULL, NULL };
	const uint8_t *p = data, *end = data + size, *sep;
	size_t i, n;
	int s;

	for (i = 0; i < 3; i++) {
		sep = i < 2 ? memchr(p, SEP, (size_t)(end - p)) : NULL;
		n = (size_t)((sep ? sep : end) - p);
		v[i] = malloc(n + 1);
		if (!v[i])
			goto out;
		memcpy(v[i], p, n);
		v[i][n] = '\0';
		p = sep ? sep + 1 : end;
	}
	for (s = 0; s < CUSTOMS_VERSION_N_SCHEMES; s++) {
		check_order((enum customs_version_scheme)s, v);
		check_range((enum customs_version_scheme)s, v[0], v[1]);
	}
out:
	for (i = 0; i < 3; i++)
		free(v[i]);
	return 0;
}
