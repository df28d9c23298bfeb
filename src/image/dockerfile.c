/*
 * Dockerfiles for the dockerfile policy gate. Without a user-supplied
 * Dockerfile, Anchore Engine guesses one from the image history, and its
 * policies were written against exactly that text, so the guess is kept
 * byte for byte: "FROM scratch", then each non-empty created_by either
 * without its "/bin/sh -c #(nop) " prefix or behind "RUN ". No other
 * cleanup (BuildKit's "RUN ... # buildkit" becomes "RUN RUN ...").
 *
 * A user-supplied Dockerfile is read whole, up to 1 MiB, and must be text
 * (no NUL byte): it is later split into lines and shown in reports.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "customs/image.h"
#include "image/dockerfile.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

#define NOP_PREFIX "/bin/sh -c #(nop) "
#define READ_CHUNK 16384

/* Append the Dockerfile line of one created_by (non-empty). */
static void put_line(struct cbuf *b, const char *created_by)
{
	size_t plen = sizeof(NOP_PREFIX) - 1;

	if (strncmp(created_by, NOP_PREFIX, plen) == 0) {
		cbuf_puts(b, created_by + plen);
	} else {
		cbuf_puts(b, "RUN ");
		cbuf_puts(b, created_by);
	}
	cbuf_putc(b, '\n');
}

int customs_dockerfile_from_history(char **out, const struct customs_history *h,
				    size_t n)
{
	struct cbuf b = CBUF_INIT(CUSTOMS_DOCKERFILE_GUESS_MAX);
	size_t i;
	int rc;

	*out = NULL;
	cbuf_puts(&b, "FROM scratch\n");
	for (i = 0; i < n; i++) {
		if (h[i].created_by && h[i].created_by[0])
			put_line(&b, h[i].created_by);
	}
	rc = cbuf_error(&b);
	if (rc) {
		cbuf_release(&b);
		return rc;
	}
	*out = cbuf_detach(&b);
	return *out ? 0 : CUSTOMS_ENOMEM;
}

int customs_image_guess_dockerfile(char **out, const struct customs_image *img)
{
	const struct customs_image_info *info;

	*out = NULL;
	info = img ? customs_image_info(img) : NULL;
	if (!info)
		return CUSTOMS_EINVAL;
	return customs_dockerfile_from_history(out, info->history,
					       info->n_history);
}

/* Read the whole of fd into b, checking size and NUL bytes as it goes. */
static int read_text(struct cbuf *b, int fd, const char *path,
		     struct customs_ctx *ctx)
{
	char chunk[READ_CHUNK];
	const char *nul;
	ssize_t n;

	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return customs_error(ctx, CUSTOMS_EIO,
					     "dockerfile '%s': read: %s", path,
					     strerror(errno));
		if (n == 0)
			return 0;
		nul = memchr(chunk, '\0', (size_t)n);
		if (nul)
			return customs_error(ctx, CUSTOMS_EFORMAT,
					     "dockerfile '%s': not text (NUL "
					     "byte at offset %zu)",
					     path,
					     b->len + (size_t)(nul - chunk));
		if (cbuf_put(b, chunk, (size_t)n) == CUSTOMS_ELIMIT)
			return customs_error(ctx, CUSTOMS_ELIMIT,
					     "dockerfile '%s': larger than the "
					     "%u byte limit",
					     path, CUSTOMS_DOCKERFILE_MAX);
		if (cbuf_error(b))
			return customs_error(ctx, cbuf_error(b),
					     "dockerfile '%s': out of memory",
					     path);
	}
}

int customs_dockerfile_load(char **out, const char *path,
			    struct customs_ctx *ctx)
{
	struct cbuf b = CBUF_INIT(CUSTOMS_DOCKERFILE_MAX);
	int fd = -1;
	int rc, err;

	*out = NULL;
	if (!path)
		return customs_error(ctx, CUSTOMS_EINVAL,
				     "dockerfile: no path");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		rc = customs_error(
			ctx, err == ENOENT ? CUSTOMS_ENOTFOUND : CUSTOMS_EIO,
			"dockerfile '%s': %s", path, strerror(err));
		goto out;
	}
	rc = read_text(&b, fd, path, ctx);
	if (rc)
		goto out;
	*out = cbuf_detach(&b);
	if (!*out)
		rc = customs_error(ctx, CUSTOMS_ENOMEM,
				   "dockerfile '%s': out of memory", path);
out:
	cbuf_release(&b);
	if (fd >= 0)
		close(fd);
	return rc;
}
