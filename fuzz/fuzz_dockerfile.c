/*
 * Fuzz target for the guessed Dockerfile (image/dockerfile.c). Each input
 * line is the created_by of one history entry (an empty line is an empty
 * created_by, a line of a single 0x01 byte a missing one), at most 4096
 * entries. Checks that the output starts with "FROM scratch\n", ends with
 * a newline, and holds exactly one line per non-empty created_by when no
 * created_by has a newline of its own.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "image/dockerfile.h"

#define MAX_ENTRIES 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void check(const char *df, size_t expect_lines)
{
	size_t n = strlen(df);

	if (strncmp(df, "FROM scratch\n", 13) != 0 || df[n - 1] != '\n')
		abort();
	if (expect_lines && count_lines(df) != expect_lines)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct customs_history *h = calloc(MAX_ENTRIES, sizeof(*h));
	char *text = malloc(size + 1);
	char *p, *nl, *df = NULL;
	size_t n = 0, lines = 1;
	int rc;

	if (!h || !text)
		goto out;
	memcpy(text, data, size);
	text[size] = '\0';
	for (p = text; n < MAX_ENTRIES; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		h[n].created_by = strcmp(p, "\x01") == 0 ? NULL : p;
		lines += p[0] && h[n].created_by;
		n++;
		if (!nl)
			break;
	}
	rc = customs_dockerfile_from_history(&df, h, n);
	if (rc != 0 && rc != CUSTOMS_ENOMEM)
		abort();
	/* A NUL inside the input cuts a line short: the count still holds. */
	if (!rc)
		check(df, lines);
out:
	free(df);
	free(text);
	free(h);
	return 0;
}
