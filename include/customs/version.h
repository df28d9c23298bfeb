/*
 * customs: version ordering and version ranges, one scheme per ecosystem.
 *
 * Every scheme follows its reference tool exactly (dpkg, rpm, apk-tools,
 * node-semver, pypa packaging, Maven's ComparableVersion, RubyGems, the Go
 * toolchain, NuGet); docs/internals/versions.md lists the rules, the oracle
 * each is tested against and the places where we chose one tool over
 * another. Versions and range expressions are at most
 * CUSTOMS_VERSION_MAX_LEN bytes; longer input is CUSTOMS_ELIMIT.
 */
#ifndef CUSTOMS_VERSION_H
#define CUSTOMS_VERSION_H

#include <stdbool.h>

#include "customs/common.h"

#define CUSTOMS_VERSION_MAX_LEN 1024

enum customs_version_scheme {
	CUSTOMS_VERSION_DPKG, /**< Debian: [epoch:]upstream[-revision] */
	CUSTOMS_VERSION_RPM, /**< rpmvercmp on [epoch:]version[-release] */
	CUSTOMS_VERSION_APK, /**< apk-tools (Alpine, Wolfi) */
	CUSTOMS_VERSION_SEMVER, /**< SemVer 2.0.0, optional "v" */
	CUSTOMS_VERSION_NPM, /**< node-semver: SemVer order, npm ranges */
	CUSTOMS_VERSION_PEP440, /**< Python packaging */
	CUSTOMS_VERSION_MAVEN, /**< Maven ComparableVersion */
	CUSTOMS_VERSION_GEM, /**< RubyGems Gem::Version */
	CUSTOMS_VERSION_GO, /**< Go modules, toolchains (go1.21rc1) */
	CUSTOMS_VERSION_NUGET, /**< NuGet: SemVer 2 with four parts */
	CUSTOMS_VERSION_GENERIC, /**< numbers and words, for the rest */
	CUSTOMS_VERSION_N_SCHEMES
};

/**
 * The scheme named name ("dpkg", "rpm", "apk", "semver", "npm", "pep440",
 * "maven", "gem", "go", "nuget", "generic") into *out. Returns 0 or
 * CUSTOMS_ENOTFOUND.
 */
int customs_version_scheme_from_name(enum customs_version_scheme *out,
				     const char *name);

/** The short name of a scheme (static), or NULL when out of range. */
const char *customs_version_scheme_name(enum customs_version_scheme scheme);

/**
 * Compare versions a and b in scheme; *out is -1, 0 or 1 as a is older
 * than, equal to or newer than b. Returns 0, CUSTOMS_EFORMAT when the
 * scheme rejects a or b (the message names the version), CUSTOMS_ELIMIT
 * for over-long input or CUSTOMS_EINVAL for a bad scheme. ctx may be
 * NULL.
 */
int customs_version_cmp(enum customs_version_scheme scheme, const char *a,
			const char *b, int *out, struct customs_ctx *ctx);

/**
 * Check that version is valid in scheme. Returns 0 or the code
 * customs_version_cmp() would return for it.
 */
int customs_version_validate(enum customs_version_scheme scheme,
			     const char *version, struct customs_ctx *ctx);

/** A parsed range: a union of intersections of comparators. */
struct customs_version_range;

/**
 * Parse a range expression of scheme into *out (caller frees with
 * customs_version_range_free()). The syntax depends on the scheme:
 *   - NPM and SEMVER: node-semver ranges (^ ~ x-ranges, "a - b", "||");
 *   - PEP440: specifier sets ("==1.2.*, !=1.2.3, ~=1.1, >=1, ===x");
 *   - MAVEN: Maven ranges ("[1.0,2.0)", "(,1.0],[1.2,)", "[1.0]") or a
 *     comparator list;
 *   - the other schemes: comparator lists, as
 *     customs_version_range_parse_list().
 * Returns 0, CUSTOMS_EFORMAT (bad syntax or a bad version in it),
 * CUSTOMS_ELIMIT, CUSTOMS_EINVAL or CUSTOMS_ENOMEM.
 */
int customs_version_range_parse(struct customs_version_range **out,
				enum customs_version_scheme scheme,
				const char *expr, struct customs_ctx *ctx);

/**
 * Parse a comparator list as vulnerability feeds and Grype's database
 * write them, for any scheme: ">= 1.0, < 1.2.5 || = 2.0" (comma or
 * blank = and, "||" = or, operators < <= > >= = == !=, a bare version
 * is "="). Containment is plain comparison: no prerelease rule, so an
 * OSV range "introduced 1.0, fixed 2.0" is ">= 1.0, < 2.0" and contains
 * 2.0.0-rc1 in every scheme. Returns as customs_version_range_parse().
 */
int customs_version_range_parse_list(struct customs_version_range **out,
				     enum customs_version_scheme scheme,
				     const char *expr, struct customs_ctx *ctx);

/**
 * Whether version lies in range, into *out. In a range from
 * customs_version_range_parse(), prereleases follow the scheme's tool: for NPM
 * a prerelease matches only a comparator set that names a prerelease of the
 * same major.minor.patch; for PEP440 a prerelease matches only when a specifier
 * names a prerelease. Returns 0, CUSTOMS_EFORMAT (version invalid in the
 * range's scheme) or CUSTOMS_ELIMIT.
 */
int customs_version_range_contains(const struct customs_version_range *range,
				   const char *version, bool *out,
				   struct customs_ctx *ctx);

/** Free a range; accepts NULL. */
void customs_version_range_free(struct customs_version_range *range);

#endif
