/*
 * Per package type: which namespace holds its advisories, which matcher
 * name reports it (Grype's names), which version scheme its versions are
 * in, and the enum names of the public API. Also the kernel-header noise
 * rule: header and build packages built from the kernel source get every
 * kernel CVE through the source indirection, although they contain no
 * kernel code, so those indirect matches are dropped (as Grype does by
 * default).
 */
#include <string.h>

#include "match/match_int.h"
#include "util/banned.h"

struct type_info {
	enum customs_pkg_type type;
	const char *ecosystem;
	const char *matcher;
	enum customs_version_scheme scheme;
};

static const struct type_info types[] = {
	{ CUSTOMS_PKG_DEB, NULL, "dpkg-matcher", CUSTOMS_VERSION_DPKG },
	{ CUSTOMS_PKG_APK, NULL, "apk-matcher", CUSTOMS_VERSION_APK },
	{ CUSTOMS_PKG_RPM, NULL, "rpm-matcher", CUSTOMS_VERSION_RPM },
	{ CUSTOMS_PKG_NPM, "npm", "javascript-matcher", CUSTOMS_VERSION_NPM },
	{ CUSTOMS_PKG_PYTHON, "pypi", "python-matcher",
	  CUSTOMS_VERSION_PEP440 },
	{ CUSTOMS_PKG_JAVA, "maven", "java-matcher", CUSTOMS_VERSION_MAVEN },
	{ CUSTOMS_PKG_JENKINS, "maven", "java-matcher", CUSTOMS_VERSION_MAVEN },
	{ CUSTOMS_PKG_GO, "go", "go-module-matcher", CUSTOMS_VERSION_GO },
	{ CUSTOMS_PKG_RUST, "crates.io", "rust-matcher",
	  CUSTOMS_VERSION_SEMVER },
	{ CUSTOMS_PKG_GEM, "rubygems", "ruby-gem-matcher",
	  CUSTOMS_VERSION_GEM },
	{ CUSTOMS_PKG_PHP, "packagist", "php-matcher", CUSTOMS_VERSION_SEMVER },
	{ CUSTOMS_PKG_DOTNET, "nuget", "dotnet-matcher",
	  CUSTOMS_VERSION_NUGET },
	{ CUSTOMS_PKG_BINARY, NULL, "stock-matcher", CUSTOMS_VERSION_GENERIC },
};

static const struct type_info *info(enum customs_pkg_type type)
{
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (types[i].type == type)
			return &types[i];
	return NULL;
}

const char *match_ecosystem(enum customs_pkg_type type)
{
	const struct type_info *t = info(type);

	return t ? t->ecosystem : NULL;
}

const char *match_matcher_name(enum customs_pkg_type type)
{
	const struct type_info *t = info(type);

	return t ? t->matcher : "stock-matcher";
}

enum customs_version_scheme match_type_scheme(enum customs_pkg_type type)
{
	const struct type_info *t = info(type);

	return t ? t->scheme : CUSTOMS_VERSION_GENERIC;
}

static bool prefixed(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

bool match_kernel_header_noise(const struct customs_pkg *pkg,
			       const char *source)
{
	const char *n = pkg->name;

	if (!n || !source)
		return false;
	if (pkg->type == CUSTOMS_PKG_RPM)
		return !strcmp(n, "kernel-headers") &&
		       prefixed(source, "kernel");
	if (pkg->type != CUSTOMS_PKG_DEB || !prefixed(source, "linux"))
		return false;
	return !strcmp(n, "linux-libc-dev") || prefixed(n, "linux-kbuild-") ||
	       (prefixed(n, "linux-") && strstr(n, "-headers-"));
}

static const char *const match_type_names[] = {
	"exact-direct-match",
	"exact-indirect-match",
	"cpe-match",
};

const char *customs_match_type_name(enum customs_match_type type)
{
	if ((unsigned)type >= 3)
		return "unknown";
	return match_type_names[type];
}

int customs_match_type_parse(enum customs_match_type *out, const char *name)
{
	unsigned i;

	for (i = 0; i < 3; i++)
		if (!strcmp(match_type_names[i], name)) {
			*out = (enum customs_match_type)i;
			return 0;
		}
	return CUSTOMS_ENOTFOUND;
}

const char *customs_suppress_kind_name(enum customs_suppress_kind kind)
{
	switch (kind) {
	case CUSTOMS_SUPPRESS_RULE:
		return "rule";
	case CUSTOMS_SUPPRESS_VEX:
		return "vex";
	case CUSTOMS_SUPPRESS_NOT_AFFECTED:
		return "not-affected";
	}
	return "unknown";
}
