/*
 * Whole reads and writes on file descriptors (fdio.h). Invariant: a
 * CUSTOMS_EIO return leaves the failing call's errno for the message.
 */
#include <errno.h>
#include <unistd.h>

#include "customs/common.h"
#include "util/fdio.h"
#include "util/banned.h"

int customs_write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	ssize_t w;

	while (n) {
		w = write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (!w)
				errno = EIO;
			return CUSTOMS_EIO;
		}
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

int customs_read_full(int fd, void *buf, size_t n, size_t *got)
{
	char *c = buf;
	ssize_t r;

	*got = 0;
	while (*got < n) {
		r = read(fd, c + *got, n - *got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return CUSTOMS_EIO;
		if (!r)
			break;
		*got += (size_t)r;
	}
	return 0;
}

int customs_read_cbuf(int fd, struct cbuf *b)
{
	char chunk[1 << 16];
	ssize_t r;

	for (;;) {
		r = read(fd, chunk, sizeof(chunk));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return CUSTOMS_EIO;
		if (!r)
			return 0;
		if (cbuf_put(b, chunk, (size_t)r))
			return cbuf_error(b);
	}
}
