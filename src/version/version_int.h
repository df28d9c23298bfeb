/*
 * Internal interface of the version module: one comparator per scheme and
 * the range representation shared by the range parsers.
 */
#ifndef CUSTOMS_VERSION_INT_H
#define CUSTOMS_VERSION_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "customs/version.h"
#include "util/buf.h"

struct customs_ctx;

/* Compare a and b: 0 and *out in {-1,0,1}, or CUSTOMS_EFORMAT. */
typedef int (*ver_cmp_fn)(const char *a, const char *b, int *out,
			  struct customs_ctx *ctx);

int ver_dpkg_cmp(const char *a, const char *b, int *out,
		 struct customs_ctx *ctx);
int ver_rpm_cmp(const char *a, const char *b, int *out,
		struct customs_ctx *ctx);
int ver_apk_cmp(const char *a, const char *b, int *out,
		struct customs_ctx *ctx);
int ver_semver_cmp(const char *a, const char *b, int *out,
		   struct customs_ctx *ctx);
int ver_npm_cmp(const char *a, const char *b, int *out,
		struct customs_ctx *ctx);
int ver_pep440_cmp(const char *a, const char *b, int *out,
		   struct customs_ctx *ctx);
int ver_maven_cmp(const char *a, const char *b, int *out,
		  struct customs_ctx *ctx);
int ver_gem_cmp(const char *a, const char *b, int *out,
		struct customs_ctx *ctx);
int ver_go_cmp(const char *a, const char *b, int *out, struct customs_ctx *ctx);
int ver_nuget_cmp(const char *a, const char *b, int *out,
		  struct customs_ctx *ctx);
int ver_generic_cmp(const char *a, const char *b, int *out,
		    struct customs_ctx *ctx);

static inline int ver_sign(long long x)
{
	return (x > 0) - (x < 0);
}

/* Compare two runs of ASCII digits as numbers of any size. */
int ver_numcmp(const char *a, size_t an, const char *b, size_t bn);

/* --- SemVer core (semver.c), shared by npm, nuget and go --- */

#define SV_ALLOW_V 0x1 /* a leading "v" is accepted */
#define SV_NODE 0x2 /* numbers at most 2^53 - 1, as node-semver */
#define SV_PARTIAL 0x4 /* "v1" and "v1.2" as Go's semver package */
#define SV_FOUR 0x8 /* NuGet: 4th part, leading zeros */
#define SV_NOCASE 0x10 /* prerelease labels compare ignoring case */

struct semver {
	uint64_t num[4]; /* major, minor, patch, revision (NuGet) */
	struct cslice pre; /* prerelease without "-"; n == 0 when none */
};

/* Parse s (length n) into v; false when invalid under flags. */
bool ver_semver_parse(struct semver *v, const char *s, size_t n,
		      unsigned flags);
/* Parse and compare a and b under flags; what names the scheme. */
int ver_semver_cmp_flags(const char *a, const char *b, int *out, unsigned flags,
			 const char *what, struct customs_ctx *ctx);
/* SemVer 2 precedence of two parsed versions (build metadata ignored). */
int ver_semver_order(const struct semver *a, const struct semver *b,
		     unsigned flags);

/* --- ranges --- */

enum ver_op {
	VOP_LT,
	VOP_LE,
	VOP_GT,
	VOP_GE,
	VOP_EQ,
	VOP_NE,
	VOP_COMPAT, /* PEP 440 ~= */
	VOP_ARB, /* PEP 440 === */
	VOP_EQ_PREFIX, /* PEP 440 ==1.2.* */
	VOP_NE_PREFIX, /* PEP 440 !=1.2.* */
	VOP_ANY, /* node-semver's empty comparator */
	VOP_NONE, /* node-semver's <0.0.0-0: matches nothing */
};

struct ver_cmp {
	enum ver_op op;
	char *ver; /* owned; NULL for VOP_ANY and VOP_NONE */
};

struct ver_set {
	struct ver_cmp *c;
	size_t n, cap;
};

struct customs_version_range {
	enum customs_version_scheme scheme;
	bool plain; /* a comparator list: no prerelease rules */
	struct ver_set *sets;
	size_t n, cap;
};

/* Append an empty set to r; NULL on no memory. */
struct ver_set *ver_range_add_set(struct customs_version_range *r);
/* Append (op, copy of ver[0..n)) to s: 0 or CUSTOMS_ENOMEM. */
int ver_set_add(struct ver_set *s, enum ver_op op, const char *ver, size_t n);

/* Whether cmp result c (-1, 0, 1) satisfies a plain operator. */
bool ver_op_holds(enum ver_op op, int c);

int ver_npm_range_parse(struct customs_version_range *r, const char *expr,
			struct customs_ctx *ctx);
int ver_npm_range_contains(const struct customs_version_range *r,
			   const char *version, bool *out,
			   struct customs_ctx *ctx);
int ver_pep440_range_parse(struct customs_version_range *r, const char *expr,
			   struct customs_ctx *ctx);
int ver_pep440_range_contains(const struct customs_version_range *r,
			      const char *version, bool *out,
			      struct customs_ctx *ctx);
/* Maven bracket ranges; returns CUSTOMS_ENOTFOUND when expr has none. */
int ver_maven_range_parse(struct customs_version_range *r, const char *expr,
			  struct customs_ctx *ctx);

#endif
