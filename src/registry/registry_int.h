/*
 * Internal interface of the registry module: the HTTP client of one
 * repository (auth, retries, digests), the blob cache, credentials and
 * the parsers of untrusted input (challenges, token replies,
 * config.json). The image module's registry source uses the client and
 * the cache; nothing here knows about images.
 */
#ifndef CUSTOMS_REGISTRY_INT_H
#define CUSTOMS_REGISTRY_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "customs/reference.h"
#include "customs/registry.h"

/* Manifests and token replies are read whole, never more than this. */
#define REG_MAX_SMALL (8u << 20)
/* Attempts per request (the first and the retries). */
#define REG_ATTEMPTS 5

/* challenge.c: one WWW-Authenticate challenge. */
enum reg_scheme { REG_SCHEME_NONE, REG_SCHEME_BASIC, REG_SCHEME_BEARER };

struct reg_challenge {
	enum reg_scheme scheme;
	char *realm;
	char *service;
	char *scope;
	char *error; /* RFC 6750: "invalid_token", "insufficient_scope" */
};

/**
 * Parse the first Basic or Bearer challenge of a WWW-Authenticate value.
 * Returns 0 (scheme NONE when there is none we know), CUSTOMS_EFORMAT,
 * CUSTOMS_ELIMIT (over 8 KiB), CUSTOMS_ENOMEM.
 */
int reg_challenge_parse(struct reg_challenge *c, const char *s, size_t len);
void reg_challenge_release(struct reg_challenge *c);

/**
 * The token of a token server's JSON reply ("token", else
 * "access_token") into *out (caller frees). CUSTOMS_EFORMAT when absent.
 */
int reg_token_parse(char **out, const char *json, size_t len);

/* creds.c: credentials for one registry. Secrets are wiped on release. */
struct reg_creds {
	char *username;
	char *password; /* password, or the identity token */
	/*
	 * password is an identity token (config.json "identitytoken", or a
	 * helper's Username "<token>"): an OAuth2 refresh token, sent only
	 * to a Bearer realm by POST (grant_type=refresh_token).
	 */
	bool identity;
};

/**
 * Find credentials for host in config.json of dir (NULL: default) or
 * through its credential helper. 0 with empty creds when there are
 * none; CUSTOMS_EFORMAT when the file is malformed (message names it),
 * CUSTOMS_EIO when a helper fails.
 */
int reg_creds_lookup(struct reg_creds *out, const char *dir, const char *host,
		     struct customs_ctx *ctx);
/**
 * Parse a config.json text and take host's "auths" entry into out.
 * Sets *helper (caller frees) to the helper named for host by
 * credHelpers or credsStore, when no inline entry exists.
 */
int reg_config_parse(struct reg_creds *out, char **helper, const char *json,
		     size_t len, const char *host, struct customs_ctx *ctx);
void reg_creds_release(struct reg_creds *c);
/**
 * The credential helper config.json (root) names for host: credHelpers,
 * else credsStore; *helper NULL when none (caller frees). 0 or ENOMEM.
 */
int reg_helper_for(char **helper, json_t *root, const char *host);
/** docker-credential-NAME store / erase for host; message on ctx. */
int reg_helper_store(const char *name, const char *host,
		     const struct reg_creds *cr, struct customs_ctx *ctx);
int reg_helper_erase(const char *name, const char *host,
		     struct customs_ctx *ctx);
/** The config.json path for dir (NULL: default) into *out (heap). */
int reg_config_path(char **out, const char *dir, struct customs_ctx *ctx);
/** The key config.json uses for host: "https://index.docker.io/v1/". */
const char *reg_config_key(const char *host);

/* cache.c: the content-addressed blob cache. */
struct reg_cache {
	char *dir; /* root; blobs in dir/blobs/sha256/<hex> */
	int dirfd;
	uint64_t max;
	bool temporary; /* --no-cache: removed by reg_cache_close() */
};

int reg_cache_open(struct reg_cache *c, const struct customs_registry_opts *o,
		   struct customs_ctx *ctx);
void reg_cache_close(struct reg_cache *c);
/* A size that reg_cache_has() does not check. */
#define REG_SIZE_ANY UINT64_MAX

/**
 * True when the blob is present with this size (or any size:
 * REG_SIZE_ANY); its mtime is touched (most recently used).
 */
bool reg_cache_has(struct reg_cache *c, const char *digest, uint64_t size);
/** Open the cached file of digest read-only: *fd (caller closes), *len. */
int reg_cache_open_blob(struct reg_cache *c, const char *digest, int *fd,
			uint64_t *len, struct customs_ctx *ctx);
/** Remove the file of digest (a damaged entry). Best effort. */
void reg_cache_remove(struct reg_cache *c, const char *digest);
/** SHA-256 of the file relname (relative to dir) as "sha256:..."; -1 on error.
 */
int reg_cache_hash(struct reg_cache *c, const char *relname, char out[72]);
/** The name of digest's file relative to dir. */
void reg_cache_name(char out[96], const char *digest);
/** A fresh temporary file for digest (fd and its name relative to dir). */
int reg_cache_begin(struct reg_cache *c, const char *digest, int *fd,
		    char tmpname[128], struct customs_ctx *ctx);
/** Rename the verified temporary file into place. */
int reg_cache_commit(struct reg_cache *c, const char *digest,
		     const char *tmpname, struct customs_ctx *ctx);
void reg_cache_abort(struct reg_cache *c, const char *tmpname);
/**
 * Remove least recently used blobs until the cache is under its cap,
 * never a blob listed in keep (digests). Best effort.
 */
void reg_cache_evict(struct reg_cache *c, const char *const *keep,
		     size_t n_keep);

/* client.c: one repository of one registry. */
struct reg_client;

int reg_client_new(struct reg_client **out, const struct customs_ref *ref,
		   const struct customs_registry_opts *o,
		   struct customs_ctx *ctx);
void reg_client_free(struct reg_client *c);
/** "registry 'localhost:5000/x:1'", for messages. */
const char *reg_client_label(const struct reg_client *c);

/**
 * GET (or HEAD when body is NULL) the manifest named by tag_or_digest.
 * *media_type and *digest (caller frees) come from the headers and, for
 * a GET, the digest is computed from the body; a digest reference is
 * verified. *body (caller frees) is NUL-terminated.
 */
int reg_manifest_get(struct reg_client *c, const char *tag_or_digest,
		     char **body, size_t *len, char **media_type, char **digest,
		     uint64_t max, struct customs_ctx *ctx);
/**
 * reg_manifest_get() through the cache (mcache.c): a digest (ref, or
 * the one a HEAD of the tag ref gives) whose manifest is cached and
 * verified is not fetched; *media_type is then the HEAD's or NULL. A
 * fetched manifest is cached. cache NULL or temporary: no caching.
 */
int reg_manifest_fetch(struct reg_client *c, struct reg_cache *cache,
		       const char *ref, char **body, size_t *len,
		       char **media_type, char **digest, uint64_t max,
		       struct customs_ctx *ctx);
/* pull.c: putting blobs into the cache in the background. */
struct reg_pull;

/* One blob to pull. */
struct reg_blob_spec {
	const char *digest;
	const char *diff_id; /* a layer's diffID, or NULL */
	const char *name; /* for messages: "layer 2", "config" */
	uint64_t size;
	/*
	 * A layer read while it downloads (reg_pull_open): its digests are
	 * checked by the reader, which reports with reg_pull_done(); the
	 * cache keeps it decompressed under diff_id. Otherwise the blob is
	 * verified here and cached under its digest (reg_pull_wait).
	 */
	bool stream;
};

/**
 * Start making sure every blob of v is in the cache: worker threads
 * download the missing ones, largest first, several at once; a layer
 * whose diffID is cached is not downloaded. The specs are copied. c and
 * cache must outlive the pull. Returns 0 or CUSTOMS_ENOMEM.
 */
int reg_pull_start(struct reg_pull **out, struct reg_client *c,
		   struct reg_cache *cache, const struct reg_blob_spec *v,
		   size_t n, struct customs_ctx *ctx);
/** Wait for a (non-stream) blob i: 0 when it is in the cache, else its
 * error (on ctx). */
int reg_pull_wait(struct reg_pull *p, size_t i, struct customs_ctx *ctx);
/** Whether blob i is complete in the cache already (never blocks). */
bool reg_pull_ready(struct reg_pull *p, size_t i);

/* How a stream blob is read (reg_pull_open). */
struct reg_view {
	int fd; /* the caller closes it */
	uint64_t len;
	bool diff; /* the cached uncompressed tar: check the diffID only */
	bool growing; /* still downloading: reg_pull_avail() before reading */
	int tee_fd; /* write the decompressed tar here, or -1 (not owned) */
};

/**
 * Open stream blob i, waiting until it is cached or its download has
 * started. The first reader of a download gets the tee file. Returns 0
 * or the download's error (message on ctx).
 */
int reg_pull_open(struct reg_pull *p, size_t i, struct reg_view *v,
		  struct customs_ctx *ctx);
/**
 * Wait until blob i has upto bytes (or its download ended): the bytes
 * there, or the download's negative error (message on ctx).
 */
int64_t reg_pull_avail(struct reg_pull *p, size_t i, uint64_t upto,
		       struct customs_ctx *ctx);
/**
 * The reader of stream blob i is done: rc is its outcome (0: both
 * digests verified), tee_ok whether the tee file is complete. On 0 the
 * blob is committed to the cache. On an error the downloaded file (or
 * the cached entry) is checked against its digest: a damaged one is
 * removed and the error says so. Returns rc or the better error (ctx).
 */
int reg_pull_done(struct reg_pull *p, size_t i, int rc, bool tee_ok,
		  struct customs_ctx *ctx);
/** Cancel what is still running, join the threads, remove temporary
 * files, free; accepts NULL. */
void reg_pull_free(struct reg_pull *p);
/** Check that the registry accepts the credentials (GET /v2/). */
int reg_client_ping(struct reg_client *c, struct customs_ctx *ctx);

#endif
