/*
 * What `customs inspect` prints, gathered once and written by each
 * requested format.
 */
#ifndef CUSTOMS_TOOL_INSPECT_H
#define CUSTOMS_TOOL_INSPECT_H

#include <stdio.h>

#include "customs/analyze.h"
#include "customs/image.h"
#include "customs/secrets.h"

struct inspect_data {
	const struct customs_image_info *info;
	const struct customs_analysis *an;
	const char *dockerfile; /* text */
	const char *dockerfile_mode; /* "Guessed" or "Actual" */
	bool with_files;
	const struct customs_secrets_report *secrets;
};

/* inspect_censor.c: the image facts with secrets replaced by '*' */
struct inspect_censored {
	struct customs_image_info info; /* print this one */
	char *dockerfile; /* the given text, or its censored copy */
	struct customs_secrets *sec;
	struct customs_history *history;
	struct customs_layer_info *layers;
	char **env, **values;
	char **owned, **owned_label;
	size_t n_owned, cap_owned;
};

/** Fill c from in (and dockerfile, may be NULL); 0 or CUSTOMS_ENOMEM.
 * Call inspect_censored_free() in both cases. */
int inspect_censor(struct inspect_censored *c,
		   const struct customs_image_info *in, char *dockerfile,
		   struct customs_secrets *sec);
void inspect_censored_free(struct inspect_censored *c);

struct file_summary {
	uint64_t total, files, dirs, symlinks, hardlinks, other, suid, sgid;
};

void summarize_files(const struct customs_fsindex *idx, struct file_summary *s);
/** Permission bits as 4 octal digits ("0755", "4755"). */
void mode_str(char out[8], uint32_t mode);
/** "linux/amd64[/v8]" of the image. */
void platform_str(char *out, size_t n, const struct customs_image_info *info);

void inspect_write_json(FILE *out, const struct inspect_data *d);
void inspect_write_table(FILE *out, const struct inspect_data *d);

struct jsonw;
/* inspect_files.c: into the array w has open, one(f, w) for every entry
 * of idx in listing order; one writes exactly one value and returns 0.
 * Long listings are rendered on two threads (so one must be thread-safe),
 * to the same bytes. */
void inspect_files_json(struct jsonw *w, const struct customs_fsindex *idx,
			customs_fsindex_cb one);

#endif
