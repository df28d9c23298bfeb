/*
 * Glue between the scan and distro detection. Release files are small;
 * busybox is a binary of about a megabyte whose version banner can sit
 * anywhere in it, hence the 4 MiB cap.
 */
#include <string.h>

#include "analyze/distro_an.h"
#include "fsindex/fsindex_int.h"
#include "util/alloc.h"
#include "util/banned.h"

#define DISTRO_CAP (4 * 1024 * 1024)

struct distro_blob {
	char *path;
	size_t len;
	unsigned char data[];
};

static const struct customs_want distro_wants[] = {
	{ CUSTOMS_WANT_BASENAME, "os-release" },
	{ CUSTOMS_WANT_BASENAME, "system-release-cpe" },
	{ CUSTOMS_WANT_BASENAME, "redhat-release" },
	{ CUSTOMS_WANT_BASENAME, "debian_version" },
	{ CUSTOMS_WANT_BASENAME, "alpine-release" },
	{ CUSTOMS_WANT_BASENAME, "busybox" },
};

static const char *const canonical[] = {
	"etc/os-release",     "usr/lib/os-release", "etc/system-release-cpe",
	"etc/redhat-release", "etc/debian_version", "etc/alpine-release",
	"bin/busybox",
};

#define N_CANON (sizeof(canonical) / sizeof(canonical[0]))

static int on_file(void *state, const struct customs_file_event *ev,
		   void **result, struct customs_ctx *ctx)
{
	struct distro_blob *b;

	(void)state;
	(void)ctx;
	b = customs_malloc(sizeof(*b) + ev->len + 1);
	if (!b)
		return CUSTOMS_ENOMEM;
	b->path = NULL;
	b->len = ev->len;
	memcpy(b->data, ev->data, ev->len);
	b->data[ev->len] = '\0';
	*result = b;
	return 0;
}

static void free_blob(void *state, void *result)
{
	struct distro_blob *b = result;

	(void)state;
	if (b)
		customs_free(b->path);
	customs_free(b);
}

static int on_result(void *state, const char *path, int layer, bool visible,
		     void *result, struct customs_ctx *ctx)
{
	struct distro_state *st = state;
	struct distro_blob *b = result, *old;

	(void)layer;
	(void)ctx;
	if (!visible) {
		free_blob(st, b);
		return 0;
	}
	b->path = customs_strdup(path);
	if (!b->path) {
		free_blob(st, b);
		return CUSTOMS_ENOMEM;
	}
	old = strmap_get(&st->files, b->path);
	if (strmap_put(&st->files, b->path, b)) {
		free_blob(st, b);
		return CUSTOMS_ENOMEM;
	}
	free_blob(st, old);
	return 0;
}

void distro_analyzer_init(struct customs_analyzer *an, struct distro_state *st)
{
	memset(an, 0, sizeof(*an));
	memset(st, 0, sizeof(*st));
	an->version = CUSTOMS_ANALYZER_VERSION;
	an->name = "distro";
	an->wants = distro_wants;
	an->n_wants = sizeof(distro_wants) / sizeof(distro_wants[0]);
	an->max_bytes = DISTRO_CAP;
	an->state = st;
	an->on_file = on_file;
	an->on_result = on_result;
	an->free_result = free_blob;
}

int distro_finish(struct distro_state *st, const struct customs_fsindex *idx,
		  struct customs_distro **out)
{
	const unsigned char *data[N_CANON];
	size_t lens[N_CANON];
	size_t i;

	for (i = 0; i < N_CANON; i++) {
		const struct customs_file *f;
		struct distro_blob *b = NULL;

		if (!customs_fsindex_resolve(&f, idx, canonical[i]))
			b = strmap_get(&st->files, f->path);
		data[i] = b ? b->data : NULL;
		lens[i] = b ? b->len : 0;
	}
	return customs_distro_detect(out, canonical, data, lens, N_CANON);
}

void distro_analyzer_release(struct distro_state *st)
{
	size_t i;

	for (i = 0; i < st->files.cap; i++) {
		if (st->files.slots[i].key)
			free_blob(st, st->files.slots[i].value);
	}
	strmap_release(&st->files);
}
