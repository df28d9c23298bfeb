/*
 * Dockerfiles: the one guessed from an image's history (Anchore Engine's
 * "Guessed" mode) and the one a user supplies ("Actual" mode).
 */
#ifndef CUSTOMS_IMAGE_DOCKERFILE_H
#define CUSTOMS_IMAGE_DOCKERFILE_H

#include <stddef.h>

#include "customs/image.h"

/* Largest Dockerfile a user may supply. */
#define CUSTOMS_DOCKERFILE_MAX (1u << 20)

/* Largest guessed Dockerfile; the config's own limit keeps real ones far
 * below it. */
#define CUSTOMS_DOCKERFILE_GUESS_MAX (64u << 20)

/*
 * Build the guessed Dockerfile from n history entries (h may be NULL when
 * n is 0): "FROM scratch\n", then for each entry with a non-empty
 * created_by either the text after "/bin/sh -c #(nop) " or "RUN " and the
 * whole created_by, each followed by "\n". Nothing else is changed.
 * Returns 0 with *out owned by the caller (free() or customs_free()),
 * CUSTOMS_ENOMEM, or CUSTOMS_ELIMIT past CUSTOMS_DOCKERFILE_GUESS_MAX.
 */
int customs_dockerfile_from_history(char **out, const struct customs_history *h,
				    size_t n);

/* customs_dockerfile_load() is public: include/customs/image.h. */

#endif
