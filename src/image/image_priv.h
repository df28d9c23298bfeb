/*
 * Private side of the image module, shared by the files of src/image/
 * (dockerfile.c uses only the public API): the image object, the blob
 * store an image is read from, descriptors, manifests and indexes, the
 * config parser and the JSON field helpers.
 *
 * Every message of this module names what failed first: the source
 * ("oci 'dir'"), then the blob ("manifest sha256:..."), then the field.
 * Functions that take a `what` argument put it in front of their
 * messages.
 */
#ifndef CUSTOMS_IMAGE_PRIV_H
#define CUSTOMS_IMAGE_PRIV_H

#include <jansson.h>

#include "image/image_int.h"
#include "image/tarindex.h"

/* Nested indexes followed at most (index -> index -> ... -> manifest). */
#define IMAGE_MAX_INDEX_DEPTH 4

/* Room for "<kind> blob sha256:<64 hex>" style labels. */
#define IMAGE_WHAT_MAX 320

/* Where the blobs of an image live: a layout directory or an outer tar. */
struct image_store {
	char *label; /* "oci 'dir'", for messages */
	int fd; /* the archive, or -1 */
	int dirfd; /* the layout directory, or -1 */
	struct tarindex *tar;
	uint64_t max_bytes; /* max_manifest_bytes */
};

/*
 * Where one blob lives: the resolved member of the tar (off, len), or a
 * file of the layout directory (path relative to it, len = its size).
 */
struct image_loc {
	char *path;
	uint64_t off;
	uint64_t len;
};

struct customs_image {
	struct customs_image_info info;
	struct customs_limits limits;
	struct image_store store;
	char *rootfs; /* dir: images only */
	char *config_raw;
	size_t config_len;
	char *manifest_raw;
	size_t manifest_len;
	struct image_loc *locs; /* one per layer */
	struct reg_cache *regcache; /* registry images: the blob cache, */
	struct reg_pull *regpull; /* downloads of the layers, layer i at i */
	struct reg_client *regclient; /* and the client they use */
};

/* What a requested platform is: "os/arch[/variant]". */
struct image_platform {
	char os[64];
	char arch[64];
	char variant[64];
	bool explicit; /* given by the user, not the default */
};

/* A descriptor of a manifest, index or blob. */
struct image_desc {
	char *media_type;
	char *digest;
	uint64_t size;
	bool has_platform;
	char *os;
	char *arch;
	char *variant;
	char *ref_name; /* org.opencontainers.image.ref.name */
	char *image_name; /* io.containerd.image.name */
	bool attestation; /* vnd.docker.reference.type, or os "unknown" */
};

enum image_kind {
	IMAGE_KIND_UNKNOWN,
	IMAGE_KIND_MANIFEST,
	IMAGE_KIND_INDEX,
	IMAGE_KIND_SCHEMA1,
};

struct image_manifest {
	char *media_type;
	struct image_desc config;
	struct image_desc *layers;
	size_t n_layers;
};

struct image_index {
	struct image_desc *v;
	size_t n;
};

/* target.c: the target string. kind -1 means "detect from the path". */
struct image_target {
	int kind;
	char *path;
	char *ref;
};

int image_target_parse(struct image_target *t, const char *target,
		       struct customs_ctx *ctx);
void image_target_release(struct image_target *t);
/**
 * Find the kind of a bare path: OCI layout or rootfs directory. A regular
 * file keeps kind -1: it is an archive told apart by its members.
 */
int image_target_detect(struct image_target *t, struct customs_ctx *ctx);
/** The message label of a source: "oci 'dir'" (heap), NULL on ENOMEM. */
char *image_source_label(int kind, const char *path);

/*
 * store.c. `what` names the file or blob without the source ("index.json",
 * "manifest sha256:..."); messages are "<label>: <what>: <problem>", or
 * "<what>: not found in <label>".
 */
int image_store_open_tar(struct image_store *s, int kind, const char *path,
			 const struct customs_limits *lim,
			 struct customs_ctx *ctx);
int image_store_open_dir(struct image_store *s, int kind, const char *path,
			 const struct customs_limits *lim,
			 struct customs_ctx *ctx);
void image_store_release(struct image_store *s);
/** Replace the store's label (after the kind was detected). */
int image_store_relabel(struct image_store *s, int kind, const char *path,
			struct customs_ctx *ctx);
/** True when path names a regular file (links followed) in the store. */
bool image_store_has(const struct image_store *s, const char *path);
/** Find the file path; loc is released with image_loc_release(). */
int image_store_locate(const struct image_store *s, const char *path,
		       struct image_loc *loc, const char *what,
		       struct customs_ctx *ctx);
void image_loc_release(struct image_loc *loc);
/** Read the file path whole, at most max_bytes; *buf is NUL-terminated. */
int image_store_read(const struct image_store *s, const char *path,
		     const char *what, char **buf, size_t *len,
		     struct customs_ctx *ctx);
/** Read the blob d names, checking its size and sha256. */
int image_store_read_blob(const struct image_store *s,
			  const struct image_desc *d, const char *what,
			  char **buf, size_t *len, struct customs_ctx *ctx);
/** "blobs/sha256/<hex>" for a digest already validated by the parser. */
void image_blob_path(char out[96], const char *digest);
/** "sha256:<hex>" of n bytes at p. Returns 0 or CUSTOMS_ENOMEM. */
int image_sha256_str(char out[72], const void *p, size_t n);

/* manifest.c */
enum image_kind image_media_kind(const char *media_type);
int image_json_load(json_t **out, const char *buf, size_t len, const char *what,
		    struct customs_ctx *ctx);
/** The kind of a parsed manifest-or-index document. */
enum image_kind image_json_kind(json_t *root, const char *hint);
int image_manifest_from_json(struct image_manifest *m, json_t *root,
			     const char *what, uint64_t max_layers,
			     struct customs_ctx *ctx);
void image_manifest_release(struct image_manifest *m);
int image_index_from_json(struct image_index *ix, json_t *root,
			  const char *what, struct customs_ctx *ctx);
void image_index_release(struct image_index *ix);
void image_desc_release(struct image_desc *d);

/* platform.c */
int image_platform_parse(struct image_platform *p, const char *s,
			 struct customs_ctx *ctx);
/**
 * Choose the entry of v[0..n) for want; fill platforms with every real
 * platform. ENOTFOUND "<what>: platform x not in image; available: ...".
 */
int image_platform_select(size_t *chosen, struct customs_strlist *platforms,
			  const struct image_desc *v, size_t n,
			  const struct image_platform *want, const char *what,
			  struct customs_ctx *ctx);
/**
 * For an image not chosen from an index by platform (info->platforms
 * empty): ENOTFOUND when an explicitly requested platform differs from
 * the config's, naming the config's as the one available.
 */
int image_platform_check(const struct customs_image_info *info,
			 const struct image_platform *want, const char *what,
			 struct customs_ctx *ctx);

/* config.c */
/**
 * Parse config JSON into info. info->layers (n_layers) must be allocated:
 * diff_ids and history are attached to them.
 */
int image_config_parse(struct customs_image_info *info, const char *buf,
		       size_t len, const char *what, struct customs_ctx *ctx);
void image_info_release(struct customs_image_info *info);

/* jsonfield.c: typed getters; absent or null fields leave *out alone. */
int image_json_str(char **out, json_t *obj, const char *field, const char *what,
		   struct customs_ctx *ctx);
int image_json_strlist(struct customs_strlist *out, json_t *obj,
		       const char *field, const char *what,
		       struct customs_ctx *ctx);
int image_json_keys(struct customs_strlist *out, json_t *obj, const char *field,
		    const char *what, struct customs_ctx *ctx);
int image_json_labels(struct customs_kvlist *out, json_t *obj,
		      const char *field, const char *what,
		      struct customs_ctx *ctx);
int image_json_int(int64_t *out, json_t *obj, const char *field,
		   const char *what, struct customs_ctx *ctx);
int image_json_bool(bool *out, json_t *obj, const char *field, const char *what,
		    struct customs_ctx *ctx);
int image_json_object(json_t **out, json_t *obj, const char *field,
		      const char *what, struct customs_ctx *ctx);
int image_json_array(json_t **out, json_t *obj, const char *field,
		     const char *what, struct customs_ctx *ctx);
int image_json_type_error(const char *field, const char *expected,
			  const char *what, struct customs_ctx *ctx);
int image_strlist_push(struct customs_strlist *l, const char *s);
bool image_strlist_has(const struct customs_strlist *l, const char *s);
void image_strlist_release(struct customs_strlist *l);
void image_kvlist_release(struct customs_kvlist *l);
/** "a, b, c" (heap), NULL on ENOMEM; at most about 900 bytes. */
char *image_strlist_join(const struct customs_strlist *l);

/* registry_src.c */
struct customs_registry_opts;
int image_registry_open(struct customs_image *img, const char *ref,
			const struct image_platform *want,
			const struct customs_registry_opts *o,
			struct customs_ctx *ctx);
void image_registry_release(struct customs_image *img);
/* Layer i's blob of a registry image: cached, or growing (see
 * customs_image_layer_blob). */
int image_registry_layer_blob(const struct customs_image *img, size_t i,
			      struct customs_blob *out,
			      struct customs_ctx *ctx);

/* docker_archive.c, oci.c */
int image_docker_open(struct customs_image *img, const char *ref,
		      const struct image_platform *want,
		      struct customs_ctx *ctx);
int image_oci_open(struct customs_image *img, const char *ref,
		   const struct image_platform *want, struct customs_ctx *ctx);
/**
 * In an archive that also holds an OCI index.json (docker save of Docker
 * 25+), find the manifest whose config is config_digest, following
 * nested indexes. Best effort and silent: 0 when found (*digest and *raw
 * owned by the caller, m released with image_manifest_release()),
 * CUSTOMS_ENOTFOUND when not, CUSTOMS_ENOMEM.
 */
int image_oci_manifest_for_config(const struct customs_image *img,
				  const char *config_digest, char **digest,
				  char **raw, size_t *raw_len,
				  struct image_manifest *m);

#endif
