/*
 * vercmp: a test tool that runs many version comparisons in one process.
 * Usage: vercmp SCHEME            reads "A<TAB>B" lines, prints -1, 0, 1
 *                                 or "E" (the version is rejected) per line;
 *        vercmp SCHEME --range    reads "RANGE<TAB>VERSION" lines, prints
 *                                 1 (in range), 0 (not) or "E" per line;
 *        vercmp SCHEME --list     the same with feed comparator lists.
 * Exit status 2 on usage errors. Lines longer than 64 KiB are an error.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "customs/version.h"

static void run_line(enum customs_version_scheme s, bool range, bool list,
		     char *a, char *b, struct customs_ctx *ctx)
{
	struct customs_version_range *r = NULL;
	bool in = false;
	int c = 0;

	if (!range && !list) {
		if (customs_version_cmp(s, a, b, &c, ctx))
			puts("E");
		else
			printf("%d\n", c);
		return;
	}
	if ((list ? customs_version_range_parse_list(&r, s, a, ctx)
		  : customs_version_range_parse(&r, s, a, ctx)) ||
	    customs_version_range_contains(r, b, &in, ctx))
		puts("E");
	else
		puts(in ? "1" : "0");
	customs_version_range_free(r);
}

int main(int argc, char **argv)
{
	static char line[65536];
	enum customs_version_scheme s;
	struct customs_ctx *ctx = NULL;
	bool range = argc > 2 && strcmp(argv[2], "--range") == 0;
	bool list = argc > 2 && strcmp(argv[2], "--list") == 0;
	char *tab;
	size_t n;

	if (argc < 2 || customs_version_scheme_from_name(&s, argv[1]) ||
	    customs_ctx_new(&ctx)) {
		fprintf(stderr, "usage: vercmp SCHEME [--range] < pairs\n");
		return 2;
	}
	while (fgets(line, sizeof(line), stdin)) {
		n = strlen(line);
		if (n && line[n - 1] == '\n')
			line[--n] = '\0';
		tab = strchr(line, '\t');
		if (!tab) {
			puts("E");
			continue;
		}
		*tab = '\0';
		run_line(s, range, list, line, tab + 1, ctx);
	}
	customs_ctx_free(ctx);
	return 0;
}
