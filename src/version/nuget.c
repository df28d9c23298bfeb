/*
 * NuGet versions as NuGetVersion: SemVer 2.0.0 extended with a fourth
 * number (Major.Minor.Patch.Revision; missing numbers are 0, so 1.0 =
 * 1.0.0 = 1.0.0.0), leading zeros accepted in numbers, and prerelease
 * labels compared ignoring case (1.0.0-ALPHA = 1.0.0-alpha), numeric
 * labels as numbers. Numbers are .NET ints: above 2^31 - 1 is invalid.
 * Build metadata after "+" is ignored.
 */
#include <string.h>

#include "util/error.h"
#include "version/version_int.h"
#include "util/banned.h"

#define NUGET_SV (SV_FOUR | SV_NOCASE)
#define INT32_LIMIT 2147483647ULL

static int check(const char *s, struct customs_ctx *ctx)
{
	struct semver v;
	int i;

	if (!ver_semver_parse(&v, s, strlen(s), NUGET_SV))
		return 0; /* ver_semver_cmp_flags reports it */
	for (i = 0; i < 4; i++) {
		if (v.num[i] > INT32_LIMIT)
			return customs_error(ctx, CUSTOMS_EFORMAT,
					     "nuget version '%s': number too "
					     "big",
					     s);
	}
	return 0;
}

int ver_nuget_cmp(const char *a, const char *b, int *out,
		  struct customs_ctx *ctx)
{
	int rc;

	rc = check(a, ctx);
	if (!rc)
		rc = check(b, ctx);
	if (rc)
		return rc;
	return ver_semver_cmp_flags(a, b, out, NUGET_SV, "nuget", ctx);
}
