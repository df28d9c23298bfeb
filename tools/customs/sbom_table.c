/*
 * The SBOM as a table for people: NAME, VERSION, TYPE and the LAYER that
 * introduced the package (its index; "-" for a directory). Columns are
 * as wide as their widest cell so the output lines up in a terminal and
 * still splits on whitespace in a pipe.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "sbom_table.h"
#include "util/banned.h"

#define N_COLS 4

static const char *cell(const struct customs_pkg *p, int col, bool dir,
			char *num, size_t numsz)
{
	switch (col) {
	case 0:
		return p->name && *p->name ? p->name : "(unnamed)";
	case 1:
		return p->version && *p->version ? p->version : "(none)";
	case 2:
		return customs_pkg_type_name(p->type);
	default:
		if (p->introduced_layer < 0 || dir)
			return "-";
		snprintf(num, numsz, "%d", p->introduced_layer);
		return num;
	}
}

void sbom_write_table(FILE *f, const struct customs_sbom *sbom)
{
	static const char *const head[N_COLS] = { "NAME", "VERSION", "TYPE",
						  "LAYER" };
	bool dir = sbom->source.kind && !strcmp(sbom->source.kind, "directory");
	size_t w[N_COLS], i;
	char num[16];
	int c;

	if (!sbom->pkgs.n) {
		fprintf(f, "No packages found.\n");
		return;
	}
	for (c = 0; c < N_COLS; c++)
		w[c] = strlen(head[c]);
	for (i = 0; i < sbom->pkgs.n; i++) {
		for (c = 0; c < N_COLS; c++) {
			size_t n = strlen(cell(sbom->pkgs.v[i], c, dir, num,
					       sizeof(num)));

			if (n > w[c])
				w[c] = n;
		}
	}
	for (c = 0; c < N_COLS; c++)
		fprintf(f, c + 1 < N_COLS ? "%-*s  " : "%*s\n", (int)w[c],
			head[c]);
	for (i = 0; i < sbom->pkgs.n; i++) {
		for (c = 0; c < N_COLS; c++)
			fprintf(f, c + 1 < N_COLS ? "%-*s  " : "%*s\n",
				(int)w[c],
				cell(sbom->pkgs.v[i], c, dir, num,
				     sizeof(num)));
	}
}
