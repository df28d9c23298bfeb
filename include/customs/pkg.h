/*
 * customs pkg: the package model every cataloger fills and every later
 * step (SBOM writers, matcher, policy) reads.
 *
 * A package is plain data: owned strings, a few lists, ecosystem facts in
 * a key/value list. Catalogers set the raw facts (name, version, arch,
 * source package, ecosystem metadata, declared licences, owned files,
 * locations); the PURL, the CPEs and the SPDX form of the licences are
 * derived from those facts here, in one place, so every ecosystem spells
 * them the same way (purl-spec, with the qualifiers Syft writes).
 *
 * Paths in locations and owned files are relative to the image root, with
 * no leading "/" ("var/lib/dpkg/status"); writers add the "/". A location
 * inside an archive names the archive path and the member path joined by
 * ':' in access_path ("app.war:WEB-INF/lib/x.jar").
 */
#ifndef CUSTOMS_PKG_H
#define CUSTOMS_PKG_H

#include <stdbool.h>
#include <stddef.h>
#include "customs/common.h"

/** Package types. The names (customs_pkg_type_name) are Syft's. */
enum customs_pkg_type {
	CUSTOMS_PKG_UNKNOWN,
	CUSTOMS_PKG_DEB, /**< "deb" */
	CUSTOMS_PKG_APK, /**< "apk" */
	CUSTOMS_PKG_RPM, /**< "rpm" */
	CUSTOMS_PKG_NPM, /**< "npm" */
	CUSTOMS_PKG_PYTHON, /**< "python" */
	CUSTOMS_PKG_JAVA, /**< "java-archive" */
	CUSTOMS_PKG_JENKINS, /**< "jenkins-plugin" (.hpi/.jpi) */
	CUSTOMS_PKG_GO, /**< "go-module" */
	CUSTOMS_PKG_RUST, /**< "rust-crate" */
	CUSTOMS_PKG_GEM, /**< "gem" */
	CUSTOMS_PKG_PHP, /**< "php-composer" */
	CUSTOMS_PKG_DOTNET, /**< "dotnet" */
	CUSTOMS_PKG_BINARY, /**< "binary" (version found in a binary) */
	CUSTOMS_PKG_TYPE_COUNT,
};

/** Evidence kind of a location. */
enum customs_evidence {
	CUSTOMS_EVIDENCE_PRIMARY, /**< the database or manifest entry */
	CUSTOMS_EVIDENCE_SUPPORTING, /**< md5sums, RECORD, copyright, ... */
};

/** Where a package was found. */
struct customs_pkg_location {
	char *path; /**< real path, relative to the root */
	char *access_path; /**< "outer.jar:inner.jar" for nested; else NULL */
	int layer; /**< layer index; -1 when unknown (read from an SBOM) */
	char *layer_id; /**< the layer's diffID "sha256:...", or NULL */
	enum customs_evidence evidence;
	bool visible; /**< false: deleted or overwritten later (all-layers) */
};

/** A file a package owns, as its database lists it. */
struct customs_pkg_file {
	char *path; /**< relative to the root */
	char *algorithm; /**< "md5", "sha1", "sha256", ... or NULL */
	char *digest; /**< lower-case hex, or NULL */
	bool config; /**< a configuration file (dpkg conffiles, rpm %config) */
};

/**
 * One package.
 *
 * Field conventions the PURL/CPE builders rely on (all optional unless
 * said):
 * - version: as the ecosystem writes it in full; deb "1:2.3-4", rpm
 *   "[epoch:]version-release", go "v1.2.3", stdlib "go1.21.5".
 * - arch: deb/apk/rpm architecture.
 * - source_name/source_version: deb Source (version only when it
 *   differs), apk origin, rpm source rpm file name in source_name.
 * - namespace: maven groupId; npm scope is part of name ("@babel/core");
 *   composer "vendor/name" is the name.
 * - meta keys (lower_snake_case, see docs/internals/pkg-model.md): e.g.
 *   "epoch", "release", "vendor", "modularity_label", "sha1",
 *   "virtual_path", "main_module", "go_version", "h1_digest", "origin",
 *   "maintainer", "installed_size", "homepage", "description".
 */
struct customs_pkg {
	enum customs_pkg_type type;
	char *name;
	char *version;
	char *arch;
	char *namespace;
	char *source_name;
	char *source_version;
	char *found_by; /**< cataloger name: "dpkg-db-cataloger", ... */
	char *purl; /**< set by customs_pkg_derive() unless a reader set it */
	char *id; /**< stable 16-hex id, set by the catalog or a reader */
	struct customs_strlist cpes; /**< derived unless a cataloger set them */
	struct customs_strlist licenses; /**< as declared, one per entry */
	struct customs_kvlist meta; /**< ecosystem facts, sorted by key */
	struct customs_pkg_location *locations;
	size_t n_locations;
	struct customs_pkg_file *files;
	size_t n_files;
	size_t cap_files; /**< room in files (customs_pkg_add_file) */
	int introduced_layer; /**< earliest layer with this package; -1 */
};

/** A list of packages, owned. */
struct customs_pkglist {
	struct customs_pkg **v;
	size_t n;
	size_t cap;
};

/** Syft's name for a type ("deb", "java-archive", ...). */
const char *customs_pkg_type_name(enum customs_pkg_type type);

/**
 * The type named name (as customs_pkg_type_name() spells it).
 * Returns 0 or CUSTOMS_ENOTFOUND.
 */
int customs_pkg_type_parse(enum customs_pkg_type *out, const char *name);

/**
 * A new, empty package of the given type (introduced_layer -1).
 * Returns NULL on allocation failure. Free with customs_pkg_free().
 */
struct customs_pkg *customs_pkg_new(enum customs_pkg_type type);

/** Free a package and everything it owns; accepts NULL. */
void customs_pkg_free(struct customs_pkg *pkg);

/**
 * Replace *field (one of pkg's char * fields) with a copy of the n bytes
 * at s (NUL-terminated copy); s NULL clears it. Returns 0 or
 * CUSTOMS_ENOMEM.
 */
int customs_pkg_set(char **field, const char *s, size_t n);

/** customs_pkg_set() for a NUL-terminated string (or NULL). */
int customs_pkg_setz(char **field, const char *s);

/** Add (or replace) meta key; copies both. 0 or CUSTOMS_ENOMEM. */
int customs_pkg_meta_set(struct customs_pkg *pkg, const char *key,
			 const char *value);

/** The value of meta key, or NULL. */
const char *customs_pkg_meta_get(const struct customs_pkg *pkg,
				 const char *key);

/** Append a declared licence (copied; duplicates dropped). */
int customs_pkg_add_license(struct customs_pkg *pkg, const char *license);

/** Append a CPE 2.3 string (copied; duplicates dropped). */
int customs_pkg_add_cpe(struct customs_pkg *pkg, const char *cpe);

/**
 * Append a location (strings copied; access_path and layer_id may be
 * NULL). The new location is visible. Returns 0 or CUSTOMS_ENOMEM.
 */
int customs_pkg_add_location(struct customs_pkg *pkg, const char *path,
			     const char *access_path, int layer,
			     enum customs_evidence evidence);

/**
 * Append an owned file (strings copied; algorithm and digest may be
 * NULL). Returns 0 or CUSTOMS_ENOMEM.
 */
int customs_pkg_add_file(struct customs_pkg *pkg, const char *path,
			 const char *algorithm, const char *digest,
			 bool config);

/** A deep copy of pkg, or NULL on allocation failure. */
struct customs_pkg *customs_pkg_dup(const struct customs_pkg *pkg);

/** Append pkg to list, which takes it (freed on failure). */
int customs_pkglist_push(struct customs_pkglist *list, struct customs_pkg *pkg);

/** Free every package and the array; the list is left empty. */
void customs_pkglist_release(struct customs_pkglist *list);

/**
 * The distribution a package was installed on, for PURL qualifiers and
 * namespaces. All fields may be NULL.
 */
struct customs_pkg_distro {
	const char *id; /**< os-release ID: "debian", "alpine", "rhel" */
	const char *version_id; /**< "12", "3.18.4", "9.1" */
	const char *id_like; /**< space-separated */
};

/**
 * Derive what is derived: the PURL (unless already set), the CPEs (unless
 * a cataloger set some) and sorted meta. Follows purl-spec and Syft's
 * qualifiers (docs/internals/purl.md). Returns 0 or CUSTOMS_ENOMEM.
 */
int customs_pkg_derive(struct customs_pkg *pkg,
		       const struct customs_pkg_distro *distro);

/**
 * Build the PURL of pkg into *out (heap, caller frees); *out is NULL when
 * the type has no PURL for this distro (a deb outside a Debian-like
 * distro, as Syft does). Returns 0 or CUSTOMS_ENOMEM.
 */
int customs_purl_build(char **out, const struct customs_pkg *pkg,
		       const struct customs_pkg_distro *distro);

/** A parsed PURL. All strings owned; free with customs_purl_release(). */
struct customs_purl {
	char *type;
	char *namespace; /**< decoded, segments joined by '/' */
	char *name;
	char *version;
	struct customs_kvlist qualifiers; /**< decoded, sorted by key */
	char *subpath;
};

/**
 * Parse a PURL string. Returns 0, CUSTOMS_EFORMAT (with a message on ctx
 * naming what is wrong) or CUSTOMS_ENOMEM.
 */
int customs_purl_parse(struct customs_purl *out, const char *s,
		       struct customs_ctx *ctx);

/** Free what a parsed PURL owns; accepts a zeroed struct. */
void customs_purl_release(struct customs_purl *p);

/**
 * The SPDX licence identifier for a declared licence name ("Apache 2.0",
 * "GPL-2+", "MIT License" -> "Apache-2.0", "GPL-2.0-or-later", "MIT"),
 * or NULL when it does not map. Matching ignores case. Returns a static
 * string.
 */
const char *customs_license_spdx_id(const char *declared);

/**
 * The SPDX licence expression a declared licence already is, with each
 * identifier spelled as SPDX spells it ("mit or apache 2.0" is not one;
 * "MIT OR apache-2.0" gives "MIT OR Apache-2.0"; "GPL-2.0+ WITH
 * Classpath-exception-2.0" gives "GPL-2.0-or-later WITH
 * Classpath-exception-2.0"). *out is NULL when declared is not a valid
 * expression of known identifiers (LicenseRef-* allowed). A lone
 * identifier is an expression. Returns 0 or CUSTOMS_ENOMEM.
 */
int customs_license_expression(char **out, const char *declared);

/** The distribution facts an SBOM records (copies of customs_distro). */
struct customs_sbom_distro {
	char *id;
	char *version_id;
	char *version;
	char *pretty_name;
	char *id_like;
	char *cpe;
};

/** What the SBOM describes. */
struct customs_sbom_source {
	char *kind; /**< "image" or "directory" */
	char *name; /**< the target as the user named it */
	char *image_id; /**< config digest "sha256:..." (images) */
	char *manifest_digest; /**< "sha256:..." or NULL */
	char *os;
	char *arch;
	struct customs_strlist tags; /**< repo tags */
	struct customs_strlist layer_ids; /**< diffIDs, in layer order */
};

/**
 * An SBOM document: what the catalogers found in one target, or what a
 * reader loaded from a file. Packages are sorted (type, name, version,
 * first location) so output is deterministic.
 */
struct customs_sbom {
	struct customs_sbom_source source;
	struct customs_sbom_distro distro; /**< all NULL when unknown */
	struct customs_pkglist pkgs;
	/** Problems that did not stop cataloging: one line each, naming the
	 * layer and the file ("layer 2 (sha256:...): var/lib/dpkg/status:
	 * line 40: ..."). Writers include them so a partial result is never
	 * presented as complete. */
	struct customs_strlist warnings;
	char *scope; /**< "squashed" or "all-layers" */
	char *created; /**< RFC 3339 timestamp, or NULL (deterministic) */
};

/** A new, empty SBOM, or NULL on allocation failure. */
struct customs_sbom *customs_sbom_new(void);

/** Free an SBOM and everything it owns; accepts NULL. */
void customs_sbom_free(struct customs_sbom *sbom);

/**
 * Sort packages into the canonical order (type, name, version, purl,
 * first location path, then id). Stable across runs.
 */
void customs_sbom_sort(struct customs_sbom *sbom);

#endif
