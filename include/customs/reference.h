/*
 * customs: image references ("nginx", "registry:5000/team/app:1.4",
 * "ghcr.io/org/app@sha256:..."), parsed and normalised exactly as Docker
 * does (the distribution/reference grammar and Docker's
 * ParseNormalizedNamed): "nginx" is docker.io/library/nginx:latest.
 * docs/internals/reference.md lists the rules and the few places where
 * customs is stricter than Docker.
 */
#ifndef CUSTOMS_REFERENCE_H
#define CUSTOMS_REFERENCE_H

#include <stdbool.h>

#include "customs/common.h"

/** Longest reference string accepted; longer is CUSTOMS_ELIMIT. */
#define CUSTOMS_REF_MAX_LEN 4096
/** Longest repository path (after normalisation), as in Docker. */
#define CUSTOMS_REF_PATH_MAX 255
/** Longest tag, as in Docker. */
#define CUSTOMS_REF_TAG_MAX 128

/**
 * A normalised reference. Every string is owned by the struct.
 * domain: "docker.io", "localhost:5000", "[::1]:5000", never NULL.
 * path: the repository path, "library/nginx", never NULL.
 * tag: "1.4"; "latest" when neither tag nor digest was given; NULL when
 *      only a digest was given.
 * digest: "sha256:<64 hex>" (or sha384, sha512), or NULL.
 */
struct customs_ref {
	char *domain;
	char *path;
	char *tag;
	char *digest;
};

/**
 * Parse and normalise reference s into *out (which need not be
 * initialised; on failure it is left empty and needs no release).
 * Returns 0; CUSTOMS_EFORMAT when s is not a valid reference (the
 * message on ctx quotes s and says what is wrong); CUSTOMS_EUNSUPPORTED
 * for a well-formed digest of an algorithm other than sha256, sha384 and
 * sha512; CUSTOMS_ELIMIT when s is longer than CUSTOMS_REF_MAX_LEN;
 * CUSTOMS_EINVAL when s is NULL; CUSTOMS_ENOMEM. ctx may be NULL.
 */
int customs_ref_parse(struct customs_ref *out, const char *s,
		      struct customs_ctx *ctx);

/** Free the strings of ref and leave it empty; accepts NULL and empty. */
void customs_ref_release(struct customs_ref *ref);

/**
 * The canonical form "domain/path[:tag][@digest]" of ref into *out, a
 * heap string the caller frees with free(). Parsing it gives ref again.
 * Returns 0 or CUSTOMS_ENOMEM. ctx may be NULL.
 */
int customs_ref_string(char **out, const struct customs_ref *ref,
		       struct customs_ctx *ctx);

/**
 * Docker's short ("familiar") form of ref into *out (caller frees):
 * "docker.io/" is dropped, and "library/" too when one component
 * follows it: "nginx:latest", "team/app:1.4", "localhost:5000/x:latest".
 * Returns 0 or CUSTOMS_ENOMEM. ctx may be NULL.
 */
int customs_ref_familiar(char **out, const struct customs_ref *ref,
			 struct customs_ctx *ctx);

/**
 * Whether plain HTTP may be used for domain without the user asking,
 * as Docker allows for loopback registries: "localhost", an IPv4 address
 * in 127.0.0.0/8 and "[::1]" (in any IPv6 spelling), each with or
 * without ":port". Names are not resolved. NULL gives false.
 */
bool customs_ref_plain_http_ok(const char *domain);

/**
 * The host to send registry API requests to for ref's domain:
 * "registry-1.docker.io" for "docker.io" (Docker Hub's API endpoint),
 * otherwise the domain itself. Borrowed from ref (or static).
 */
const char *customs_ref_api_host(const struct customs_ref *ref);

#endif
