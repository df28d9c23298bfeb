/*
 * customs image: opening an image from a source (docker-archive, OCI
 * layout directory, OCI archive, rootfs directory), selecting a platform
 * from an index, and reading its manifest and config.
 *
 * Opening an image reads only metadata (index, manifest, config); layer
 * content is decoded later, as a stream, by customs_image_scan() in
 * analyze.h.
 */
#ifndef CUSTOMS_IMAGE_H
#define CUSTOMS_IMAGE_H

#include <stdbool.h>
#include "customs/common.h"

/** Where an image came from. */
enum customs_source_kind {
	CUSTOMS_SOURCE_DOCKER_ARCHIVE,
	CUSTOMS_SOURCE_OCI_DIR,
	CUSTOMS_SOURCE_OCI_ARCHIVE,
	CUSTOMS_SOURCE_DIR,
	CUSTOMS_SOURCE_REGISTRY,
};

struct customs_registry_opts;

/** Options for customs_image_open(). Initialise with CUSTOMS_IMAGE_OPTS_INIT.
 */
struct customs_image_opts {
	int version;
	/** "os/arch[/variant]"; NULL means linux/amd64. */
	const char *platform;
	struct customs_limits limits;
	/** How to reach registries (registry.h); NULL means defaults. */
	const struct customs_registry_opts *registry;
};

#define CUSTOMS_IMAGE_OPTS_VERSION 1
#define CUSTOMS_IMAGE_OPTS_INIT                                             \
	{                                                                   \
		CUSTOMS_IMAGE_OPTS_VERSION, NULL, CUSTOMS_LIMITS_INIT, NULL \
	}

/** One layer as the manifest and config describe it. */
struct customs_layer_info {
	char *digest; /**< blob digest "sha256:..." (NULL for dir:) */
	char *diff_id; /**< uncompressed digest from the config, or NULL */
	char *media_type; /**< manifest media type, or NULL */
	uint64_t size; /**< blob size in bytes (compressed) */
	char *created_by; /**< from the matching history entry, or NULL */
	char *created; /**< from the matching history entry, or NULL */
};

/** One history entry of the image config. */
struct customs_history {
	char *created;
	char *created_by;
	char *author;
	char *comment;
	bool empty_layer;
};

/** A healthcheck from the config. Durations in nanoseconds, 0 if unset. */
struct customs_healthcheck {
	bool present;
	struct customs_strlist test;
	int64_t interval;
	int64_t timeout;
	int64_t start_period;
	int64_t retries;
};

/**
 * Everything known about an image without reading layer content.
 * Borrowed from the image: valid until customs_image_free().
 */
struct customs_image_info {
	enum customs_source_kind source;
	char *source_path; /**< the path given by the user */
	char *id; /**< config digest "sha256:...", NULL for dir: */
	char *manifest_digest; /**< "sha256:..." or NULL when unknown */
	char *index_digest; /**< set when selected from an index */
	struct customs_strlist repo_tags;
	struct customs_strlist platforms; /**< all platforms of the index */
	char *os;
	char *architecture;
	char *variant;
	char *created;
	char *author;
	char *docker_version;
	char *user;
	char *working_dir;
	char *stop_signal;
	struct customs_strlist env;
	struct customs_strlist entrypoint;
	struct customs_strlist cmd;
	struct customs_strlist exposed_ports; /**< "80/tcp", sorted */
	struct customs_strlist volumes; /**< sorted */
	struct customs_strlist shell;
	struct customs_kvlist labels; /**< sorted by key */
	struct customs_healthcheck healthcheck;
	struct customs_history *history;
	size_t n_history;
	struct customs_layer_info *layers;
	size_t n_layers;
	uint64_t total_size; /**< sum of layer blob sizes */
	uint64_t config_size;
};

struct customs_image;

/**
 * Open target. target is "docker-archive:PATH", "oci:DIR[:REF]",
 * "oci-archive:PATH[:REF]", "dir:PATH", "registry:REF", or a bare path
 * whose kind is detected (directory with oci-layout = OCI dir, other
 * directory = rootfs, tar with manifest.json = docker archive, tar with
 * index.json = OCI archive). A bare target that is not an existing path
 * (nor PATH:REF of one), does not start with '/', '.' or '~', does not
 * end in ".tar", and is a valid Docker reference is a registry
 * reference. A registry image's config is downloaded when it is opened,
 * its layers in the background into the blob cache (registry.h): the
 * scan waits for each and reports a failed download. Returns 0, or
 * CUSTOMS_ENOTFOUND (no such file, platform, reference, tag or blob),
 * CUSTOMS_EFORMAT, CUSTOMS_EUNSUPPORTED, CUSTOMS_ELIMIT, CUSTOMS_EIO (also
 * network, TLS, authentication), CUSTOMS_EDIGEST, CUSTOMS_ENOMEM, with the
 * message on ctx. On success *out
 * is owned by the caller; free it with customs_image_free().
 */
int customs_image_open(struct customs_image **out, struct customs_ctx *ctx,
		       const char *target,
		       const struct customs_image_opts *opts);

/** Free an image; accepts NULL. */
void customs_image_free(struct customs_image *img);

/** The facts of an opened image. Borrowed. */
const struct customs_image_info *
customs_image_info(const struct customs_image *img);

/**
 * The config JSON exactly as stored (NULL for dir:). Borrowed; *len gets
 * its length.
 */
const char *customs_image_config_raw(const struct customs_image *img,
				     size_t *len);

/** The manifest JSON exactly as stored (NULL for dir:). Borrowed. */
const char *customs_image_manifest_raw(const struct customs_image *img,
				       size_t *len);

/**
 * The Dockerfile guessed from history, as Anchore Engine builds it
 * ("Guessed" mode): "FROM scratch", then one line per history entry with
 * a non-empty created_by: the text after "/bin/sh -c #(nop) " when it
 * starts so, else "RUN " + created_by. Lines end with "\n". Returns 0,
 * CUSTOMS_EINVAL (img NULL), CUSTOMS_ELIMIT (over 64 MiB) or
 * CUSTOMS_ENOMEM; *out is owned by the caller (free()).
 */
int customs_image_guess_dockerfile(char **out, const struct customs_image *img);

/**
 * Read a user-supplied Dockerfile (Anchore's "Actual" mode) and check it
 * is text: at most 1 MiB, no NUL byte. Returns 0 with *out owned by the
 * caller (free()), or CUSTOMS_ENOTFOUND, CUSTOMS_EIO, CUSTOMS_ELIMIT,
 * CUSTOMS_EFORMAT, CUSTOMS_ENOMEM with the message on ctx naming the path.
 */
int customs_dockerfile_load(char **out, const char *path,
			    struct customs_ctx *ctx);

/** The source kind's name as used in prefixes ("docker-archive", ...). */
const char *customs_source_kind_name(enum customs_source_kind kind);

#endif
