/*
 * The scan result as a table for people: NAME, INSTALLED, FIXED-IN, TYPE,
 * VULNERABILITY, SEVERITY, EPSS, KEV, one row per finding in the result's
 * order (severity, then name). Suppressed findings are listed only with
 * --show-suppressed, marked "(suppressed)". Columns are as wide as their
 * widest cell.
 */
#include <stdio.h>
#include <string.h>

#include "scan.h"
#include "util/banned.h"

#define N_COLS 8
#define CELL_MAX 256

struct row {
	char c[N_COLS][CELL_MAX];
};

static void fixed_in(char *out, const struct customs_finding *f)
{
	size_t i, n = 0;

	out[0] = '\0';
	if (f->fix_state == CUSTOMS_FIX_WONT_FIX) {
		snprintf(out, CELL_MAX, "(won't fix)");
		return;
	}
	for (i = 0; i < f->fix_versions.n && n + 1 < CELL_MAX; i++) {
		int k = snprintf(out + n, CELL_MAX - n, "%s%s", i ? ", " : "",
				 f->fix_versions.v[i]);

		if (k < 0)
			break;
		n += (size_t)k;
	}
}

static void fill(struct row *r, const struct customs_finding *f)
{
	const struct customs_finding_vuln *v = &f->vuln;

	snprintf(r->c[0], CELL_MAX, "%s", f->pkg->name ? f->pkg->name : "");
	snprintf(r->c[1], CELL_MAX, "%s",
		 f->pkg->version ? f->pkg->version : "");
	fixed_in(r->c[2], f);
	snprintf(r->c[3], CELL_MAX, "%s", customs_pkg_type_name(f->pkg->type));
	snprintf(r->c[4], CELL_MAX, "%s", v->id);
	snprintf(r->c[5], CELL_MAX, "%s%s", customs_severity_name(v->severity),
		 f->ignored ? " (suppressed)" : "");
	if (v->has_epss)
		snprintf(r->c[6], CELL_MAX, "%.1f%% (%.0fth)",
			 v->epss_score * 100, v->epss_percentile * 100);
	else
		snprintf(r->c[6], CELL_MAX, "-");
	snprintf(r->c[7], CELL_MAX, "%s", v->in_kev ? "yes" : "-");
}

static void widen(size_t *w, const struct row *r)
{
	int c;

	for (c = 0; c < N_COLS; c++)
		if (strlen(r->c[c]) > w[c])
			w[c] = strlen(r->c[c]);
}

static void print_row(FILE *f, const size_t *w, const struct row *r)
{
	int c;

	for (c = 0; c < N_COLS; c++) {
		if (c + 1 < N_COLS)
			fprintf(f, "%-*s  ", (int)w[c], r->c[c]);
		else
			fprintf(f, "%s\n", r->c[c]);
	}
}

/* Both lists, each row built once for widths and once to print: cheap,
 * and keeps memory at one row. */
static void each(FILE *f, const struct customs_match_result *res, bool supp,
		 size_t *w, bool print)
{
	struct row r;
	size_t i;

	for (i = 0; i < res->n_matches; i++) {
		fill(&r, &res->matches[i]);
		print ? print_row(f, w, &r) : widen(w, &r);
	}
	for (i = 0; supp && i < res->n_ignored; i++) {
		fill(&r, &res->ignored[i]);
		print ? print_row(f, w, &r) : widen(w, &r);
	}
}

int scan_write_table(FILE *f, const struct customs_match_result *res,
		     const struct scan_write_opts *opts,
		     struct customs_ctx *ctx)
{
	static const char *const head[N_COLS] = {
		"NAME",		 "INSTALLED", "FIXED-IN", "TYPE",
		"VULNERABILITY", "SEVERITY",  "EPSS",	  "KEV",
	};
	struct row h;
	size_t w[N_COLS];
	int c;

	(void)ctx;
	if (!res->n_matches && (!opts->show_suppressed || !res->n_ignored)) {
		fprintf(f, "No vulnerabilities found.\n");
		if (res->n_ignored)
			fprintf(f,
				"(%zu suppressed; --show-suppressed lists "
				"them)\n",
				res->n_ignored);
		return 0;
	}
	for (c = 0; c < N_COLS; c++) {
		snprintf(h.c[c], CELL_MAX, "%s", head[c]);
		w[c] = strlen(head[c]);
	}
	each(f, res, opts->show_suppressed, w, false);
	print_row(f, w, &h);
	each(f, res, opts->show_suppressed, w, true);
	return 0;
}
