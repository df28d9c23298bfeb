/*
 * Walking one layer's tar stream: every entry is normalised, classified
 * (file, whiteout, opaque marker), hashed when asked and, when the caller
 * wants its content, captured up to a cap, all in one read of the data.
 */
#ifndef CUSTOMS_LAYER_WALK_H
#define CUSTOMS_LAYER_WALK_H

#include "layer/layer_int.h"

enum layer_entry_kind {
	LAYER_ENTRY_FILE, /**< an ordinary entry of any file type */
	LAYER_ENTRY_WHITEOUT, /**< ".wh.NAME": path is the deleted NAME */
	LAYER_ENTRY_OPAQUE, /**< ".wh..wh..opq": path is the directory */
};

struct layer_entry {
	const char *path; /**< normalised; valid during the callback */
	const char *link; /**< symlink target as stored, hard link normalised */
	uint64_t size;
	uint32_t mode;
	uint32_t uid;
	uint32_t gid;
	enum customs_ftype type;
	enum layer_entry_kind kind;
	bool has_sha256;
	unsigned char sha256[32];
	bool has_md5; /**< when hash_md5 was asked for */
	unsigned char md5[16];
};

/* content_cap's answer for "hand the data to on_data, capture nothing" */
#define LAYER_CAP_STREAM SIZE_MAX

struct layer_walk_ops {
	/** Bytes of content to capture for e (0: none). May be NULL. */
	size_t (*content_cap)(void *data, const struct layer_entry *e);
	/** Called once per entry, after its data was read. */
	int (*on_entry)(void *data, const struct layer_entry *e,
			const unsigned char *content, size_t len,
			bool truncated, struct customs_ctx *ctx);
	void *data;
	/**
	 * The data of an entry whose content_cap was LAYER_CAP_STREAM, in
	 * order, block by block (sparse holes as zeros); on_entry then gets
	 * no content. A negative return stops the walk with that code (the
	 * callee sets the message). May be NULL when content_cap never
	 * answers LAYER_CAP_STREAM.
	 */
	int (*on_data)(void *data, const unsigned char *p, size_t n);
};

struct layer_walk_opts {
	const char *label; /**< "layer 1 (sha256:...)" for messages */
	bool hash_files; /**< SHA-256 of every regular file */
	uint64_t max_path_len;
	uint64_t *image_entries; /**< shared counter, atomic */
	uint64_t max_entries;
	bool hash_md5; /**< with hash_files: MD5 as well (package verify) */
};

/**
 * Walk the tar in stream s to its end, calling ops for every entry.
 * Returns 0 or the first error (message names the layer and the path).
 * Does not call layer_stream_finish().
 */
int layer_walk(struct layer_stream *s, const struct layer_walk_opts *opts,
	       const struct layer_walk_ops *ops, struct customs_ctx *ctx);

#endif
