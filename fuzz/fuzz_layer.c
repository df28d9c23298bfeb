/*
 * Fuzz target: a layer blob (any compression) decoded and walked as a
 * tar, with content capture on, under small limits. Must never crash,
 * leak or hang, whatever the bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "layer/walk.h"
#include "util/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t cap(void *d, const struct layer_entry *e)
{
	(void)d;
	return e->path[0] == 'e' ? 64 : 0;
}

static int sink(void *d, const struct layer_entry *e, const unsigned char *c,
		size_t len, bool truncated, struct customs_ctx *ctx)
{
	size_t *sum = d;

	(void)ctx;
	(void)truncated;
	*sum += strlen(e->path) + len + (len ? c[0] : 0);
	return 0;
}

/* One decode and walk; with a digest to check (which will not match),
 * gzip members are inflated without their CRC-32 (gzwrap.c). */
static void one(int fd, size_t size, const char *digest)
{
	struct customs_ctx ctx = { 0 };
	struct customs_blob blob = { 0 };
	uint64_t entries = 0, image_bytes = 0;
	size_t sum = 0;
	struct layer_stream_opts so = {
		"layer 0 (fuzz)", NULL, NULL, 8 << 20, &image_bytes, 16 << 20
	};
	struct layer_walk_opts wo = { "layer 0 (fuzz)", true,  1024,
				      &entries,		10000, true };
	struct layer_walk_ops ops = { cap, sink, &sum, NULL };
	struct layer_stream *s = NULL;

	so.digest = digest;
	blob.fd = fd;
	blob.len = size;
	if (!layer_stream_new(&s, &blob, &so, &ctx) &&
	    !layer_walk(s, &wo, &ops, &ctx))
		layer_stream_finish(s, &ctx);
	layer_stream_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("layer", 0);

	if (fd < 0 || write(fd, data, size) != (ssize_t)size) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	one(fd, size, NULL);
	one(fd, size,
	    "sha256:0000000000000000000000000000000000000000000000"
	    "000000000000000000");
	close(fd);
	return 0;
}
