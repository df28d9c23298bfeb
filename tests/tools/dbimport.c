/*
 * dbimport: a test tool that builds a vulnerability database from feed
 * files through the public writer API, for the scan tests and benchmarks.
 * Usage: dbimport DB FORMAT PATH [FORMAT PATH ...]   (FORMAT: auto, osv,
 * debian, alpine, nvd, kev, epss; the source is named after the format,
 * or after the file for "auto"). Prints the records imported; warnings go
 * to standard error. Exit status 0, or 2 on any error.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "customs/vulndb.h"

static void warn(void *arg, const char *msg)
{
	(void)arg;
	fprintf(stderr, "dbimport: warning: %s\n", msg);
}

int main(int argc, char **argv)
{
	struct customs_vulndb_writer *w = NULL;
	struct customs_ctx *ctx = NULL;
	uint64_t n = 0;
	int i, rc;

	if (argc < 4 || argc % 2) {
		fprintf(stderr, "usage: dbimport DB FORMAT PATH ...\n");
		return 2;
	}
	if (customs_ctx_new(&ctx))
		return 2;
	rc = customs_vulndb_writer_new(&w, argv[1], true, ctx);
	for (i = 2; !rc && i + 1 < argc; i += 2) {
		struct customs_vulndb_source src = CUSTOMS_VULNDB_SOURCE_INIT;
		enum customs_feed_format fmt;

		if (customs_feed_format_parse(&fmt, argv[i])) {
			fprintf(stderr, "dbimport: unknown format %s\n",
				argv[i]);
			rc = 2;
			break;
		}
		src.name = fmt == CUSTOMS_FEED_AUTO ? argv[i + 1] : argv[i];
		src.origin = argv[i + 1];
		rc = customs_vulndb_import_path(w, &src, argv[i + 1], fmt, warn,
						NULL, &n, ctx);
	}
	if (!rc) {
		rc = customs_vulndb_writer_commit(w, ctx);
		w = NULL;
	}
	customs_vulndb_writer_free(w);
	if (rc)
		fprintf(stderr, "dbimport: %s\n", customs_ctx_errmsg(ctx));
	else
		printf("%" PRIu64 "\n", n);
	customs_ctx_free(ctx);
	return rc ? 2 : 0;
}
