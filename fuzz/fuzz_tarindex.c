/*
 * Fuzz target: bytes -> the outer tar index (tarindex_build on a memfd),
 * then a lookup of every member and of the names image sources ask for,
 * which walks the link resolution. Checks the index's invariant: every
 * member found lies inside the file.
 */
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "image/tarindex.h"
#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void lookup(const struct tarindex *t, const char *name, size_t size)
{
	const struct tar_member *m;
	const char *why;

	if (tarindex_find(t, name, &m, &why) == 0 &&
	    (m->off > size || m->size > size - m->off))
		abort();
}

static int memfd_of(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz_tarindex", MFD_CLOEXEC);
	size_t done = 0;

	while (fd >= 0 && done < size) {
		ssize_t n = write(fd, data + done, size - done);

		if (n <= 0) {
			close(fd);
			return -1;
		}
		done += (size_t)n;
	}
	return fd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "manifest.json", "index.json",
					     "oci-layout", "a/layer.tar",
					     "blobs/sha256/x" };
	struct customs_limits lim = CUSTOMS_LIMITS_INIT;
	struct tarindex *t = NULL;
	size_t i;
	int fd = memfd_of(data, size);

	if (fd < 0)
		return 0;
	lim.max_entries = 4096;
	customs_limits_resolve(&lim);
	if (size >= 512)
		(void)tarindex_header_ok(data);
	if (tarindex_build(&t, fd, size, "fuzz", &lim, NULL) == 0) {
		for (i = 0; i < t->n; i++)
			lookup(t, t->v[i].name, size);
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			lookup(t, names[i], size);
	}
	tarindex_free(t);
	close(fd);
	return 0;
}
