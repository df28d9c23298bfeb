/*
 * customs registry: pulling images from container registries (the OCI
 * distribution API, which is the Docker Registry HTTP API v2), the
 * local blob cache, and the credentials of ~/.docker/config.json.
 *
 * Images are opened with customs_image_open() ("registry:REF" or a bare
 * reference; see image.h) and the options below; this header adds what
 * is not an image: resolving a reference to digests (HEAD only), and
 * `login` / `logout`. docs/registry.md describes the behaviour a user
 * sees; docs/internals/registry.md the design.
 */
#ifndef CUSTOMS_REGISTRY_H
#define CUSTOMS_REGISTRY_H

#include <stdbool.h>
#include <stdint.h>

#include "customs/common.h"

/**
 * Default cap of the blob cache: 10 GiB. Layers are cached decompressed
 * (about 3x their gzip size), so this holds about 3.3 GiB of gzip layers:
 * a working set of a few images on a CI runner's small disk.
 */
#define CUSTOMS_REGISTRY_CACHE_MAX_DEFAULT (10ULL << 30)

/**
 * How to reach registries. Initialise with CUSTOMS_REGISTRY_OPTS_INIT;
 * every pointer is borrowed for the duration of the call that takes it.
 */
struct customs_registry_opts {
	int version;
	/** Credentials for the registry of the reference; both or neither.
	 * They override config.json. Never printed or logged. */
	const char *username;
	const char *password;
	/** PEM CA bundle to verify registry certificates with, or NULL. */
	const char *ca_file;
	/** Registries ("host[:port]") whose TLS certificate is not
	 * verified and which may fall back to plain HTTP. */
	const char *const *insecure;
	size_t n_insecure;
	/** The blob cache directory; NULL means CUSTOMS_CACHE_DIR, else
	 * $XDG_CACHE_HOME/customs, else ~/.cache/customs. */
	const char *cache_dir;
	/** Cache cap in bytes; 0 means the default. */
	uint64_t cache_max_size;
	/** Download into a private temporary directory removed at close. */
	bool no_cache;
	/** Directory of config.json; NULL means $DOCKER_CONFIG or
	 * ~/.docker. */
	const char *config_dir;
	/** Blobs downloaded at once; 0 means 4. */
	int parallel;
};

#define CUSTOMS_REGISTRY_OPTS_VERSION 1
#define CUSTOMS_REGISTRY_OPTS_INIT                                        \
	{                                                                 \
		CUSTOMS_REGISTRY_OPTS_VERSION, NULL, NULL, NULL, NULL, 0, \
			NULL, 0, false, NULL, 0                           \
	}

/** One platform entry of a resolved index. */
struct customs_resolved_entry {
	char *platform; /**< "os/arch[/variant]", or "unknown" */
	char *digest;
	char *media_type;
};

/** What customs_registry_resolve() found. Owned; release it. */
struct customs_resolved {
	char *name; /**< canonical reference, "docker.io/library/x:1" */
	char *digest; /**< digest of what the reference names */
	char *media_type;
	struct customs_resolved_entry *entries; /**< for an index */
	size_t n_entries;
};

/**
 * Resolve reference ref: a HEAD request gives the digest of what it
 * names; for an index (or manifest list) the index is fetched to list
 * each platform's digest. Returns 0; CUSTOMS_EFORMAT (bad reference),
 * CUSTOMS_ENOTFOUND (no such repository or tag), CUSTOMS_EIO (network,
 * TLS, authentication, rate limit: the message says what to do),
 * CUSTOMS_EDIGEST, CUSTOMS_ENOMEM. out is released by the caller with
 * customs_resolved_release() (also after a failure).
 */
int customs_registry_resolve(struct customs_resolved *out,
			     struct customs_ctx *ctx, const char *ref,
			     const struct customs_registry_opts *opts);

/** Free what out holds; accepts an empty struct. */
void customs_resolved_release(struct customs_resolved *out);

/**
 * Check username/password against registry host ("localhost:5000",
 * "docker.io") and store them in config.json (auths, base64, file mode
 * 0600, written aside and renamed). Other content of the file is kept.
 * Returns 0, CUSTOMS_EIO (refused: message says so), CUSTOMS_EINVAL,
 * CUSTOMS_EFORMAT (config.json is not JSON), CUSTOMS_ENOMEM.
 */
int customs_registry_login(struct customs_ctx *ctx, const char *host,
			   const struct customs_registry_opts *opts);

/**
 * Remove host's credentials from config.json. Returns 0, CUSTOMS_ENOTFOUND
 * (none stored), CUSTOMS_EIO, CUSTOMS_EFORMAT, CUSTOMS_ENOMEM.
 */
int customs_registry_logout(struct customs_ctx *ctx, const char *host,
			    const struct customs_registry_opts *opts);

#endif
