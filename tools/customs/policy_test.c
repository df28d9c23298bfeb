/*
 * `customs policy test DIR`: the policy test runner. Every
 * DIR/<name>.case.json (sorted by name) is one case:
 *
 *   {"name": "...", "bundle": "b.json" (relative to DIR; absent = the
 *    default bundle), "analysis": "doc.json" | "image": "TARGET",
 *    "tag": "...", "now": "...", "fix": "...",
 *    "expect": {"final_action": "go|warn|stop",
 *               "rows": [{"gate", "trigger", "action", "trigger_id"}]}}
 *
 * Expected rows are compared in order; a field left out matches
 * anything. Output is TAP-like: "ok N - name" or "not ok N - name" with
 * a diff (- expected, + actual), then "N passed, N failed".
 */
#include <dirent.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "policy_cli.h"
#include "util/banned.h"

#define MAX_CASES 10000
#define MAX_DIFF_ROWS 2000

/* Diagnostics of the running case, printed after its ok/not ok line. */
static FILE *diag;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);

	if (p)
		snprintf(p, n, "%s/%s", dir, name);
	return p;
}

static const char *fld(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static bool field_ok(const char *want, const char *got)
{
	return !want || !strcasecmp(want, got);
}

static bool row_ok(const json_t *want, const struct customs_policy_row *r)
{
	return field_ok(fld(want, "gate"), r->gate) &&
	       field_ok(fld(want, "trigger"), r->trigger) &&
	       field_ok(fld(want, "action"),
			customs_policy_action_name(r->action)) &&
	       (!fld(want, "trigger_id") ||
		!strcmp(fld(want, "trigger_id"), r->trigger_id));
}

static void print_want(const json_t *w)
{
	fprintf(diag, "#   - %s %s %s %s\n",
		fld(w, "gate") ? fld(w, "gate") : "*",
		fld(w, "trigger") ? fld(w, "trigger") : "*",
		fld(w, "action") ? fld(w, "action") : "*",
		fld(w, "trigger_id") ? fld(w, "trigger_id") : "*");
}

static void print_got(const struct customs_policy_row *r)
{
	fprintf(diag, "#   + %s %s %s %s\n", r->gate, r->trigger,
		customs_policy_action_name(r->action), r->trigger_id);
}

/* A longest-common-subsequence diff of expected and actual rows. */
static void diff_rows(const json_t *want, const struct customs_policy_row *rows,
		      size_t n)
{
	size_t m = json_array_size(want), i, j;
	unsigned short *t;

	if (m > MAX_DIFF_ROWS || n > MAX_DIFF_ROWS ||
	    !(t = calloc((m + 1) * (n + 1), sizeof(*t)))) {
		for (i = 0; i < m; i++)
			print_want(json_array_get(want, i));
		for (j = 0; j < n; j++)
			print_got(&rows[j]);
		return;
	}
	for (i = m; i-- > 0;)
		for (j = n; j-- > 0;)
			t[i * (n + 1) + j] =
				row_ok(json_array_get(want, i), &rows[j])
					? t[(i + 1) * (n + 1) + j + 1] + 1
				: t[(i + 1) * (n + 1) + j] >
						t[i * (n + 1) + j + 1]
					? t[(i + 1) * (n + 1) + j]
					: t[i * (n + 1) + j + 1];
	for (i = 0, j = 0; i < m || j < n;) {
		if (i < m && j < n &&
		    row_ok(json_array_get(want, i), &rows[j])) {
			i++, j++;
		} else if (j < n &&
			   (i == m || t[i * (n + 1) + j + 1] >=
					      t[(i + 1) * (n + 1) + j])) {
			print_got(&rows[j++]);
		} else {
			print_want(json_array_get(want, i++));
		}
	}
	free(t);
}

static bool rows_match(const json_t *want, const struct customs_policy_row *r,
		       size_t n)
{
	size_t i;

	if (json_array_size(want) != n)
		return false;
	for (i = 0; i < n; i++) {
		if (!row_ok(json_array_get(want, i), &r[i]))
			return false;
	}
	return true;
}

/* Check the result; print the diff. true when it passes. */
static bool judge(const json_t *expect, const struct customs_policy_result *r)
{
	const char *fa = fld(expect, "final_action");
	const char *got =
		customs_policy_action_name(customs_policy_result_final(r));
	const json_t *rows = json_object_get(expect, "rows");
	const struct customs_policy_row *rv;
	bool ok = true;
	size_t n;

	rv = customs_policy_result_rows(r, &n);
	if (fa && strcasecmp(fa, got)) {
		fprintf(diag, "#   final_action: expected %s, got %s\n", fa,
			got);
		ok = false;
	}
	if (json_is_array(rows) && !rows_match(rows, rv, n)) {
		fprintf(diag, "#   rows (- expected, + actual):\n");
		diff_rows(rows, rv, n);
		ok = false;
	}
	return ok;
}

static int case_analysis(struct customs_policy_analysis **an, const char *dir,
			 const json_t *c, const struct customs_policy_bundle *b,
			 struct customs_ctx *ctx)
{
	const char *doc = fld(c, "analysis"), *img = fld(c, "image");
	char *path = join(dir, doc ? doc : img ? img : ""), *text = NULL;
	size_t len = 0;
	int rc;

	if (!path)
		return CUSTOMS_ENOMEM;
	if (doc) {
		rc = read_file(&text, &len, path, ctx);
	} else if (img) {
		rc = image_analysis_json(
			&text, img[0] == '/' ? img : path,
			customs_policy_bundle_uses(b, "packages", "verify"),
			ctx);
		len = text ? strlen(text) : 0;
	} else {
		fprintf(stderr,
			"customs: error: %s: a case needs \"analysis\" "
			"or \"image\"\n",
			dir);
		rc = CUSTOMS_EFORMAT;
	}
	if (!rc)
		rc = customs_policy_analysis_parse(an, text, len, path, ctx);
	free(text);
	free(path);
	return rc;
}

/* 1 pass, 0 fail, -1 error (printed). */
static int run_case(const char *dir, const json_t *c, struct customs_ctx *ctx)
{
	struct customs_policy_eval_opts ev = CUSTOMS_POLICY_EVAL_OPTS_INIT;
	struct customs_policy_bundle *b = NULL;
	struct customs_policy_analysis *an = NULL;
	struct customs_policy_result *r = NULL;
	char *bpath = fld(c, "bundle") ? join(dir, fld(c, "bundle")) : NULL;
	int rc, res = -1;

	ev.tag = fld(c, "tag");
	if ((fld(c, "now") && parse_now(&ev.now, fld(c, "now"))) ||
	    (fld(c, "fix") && parse_fixes(&ev.fixes, fld(c, "fix"))))
		goto out;
	rc = load_bundle(&b, bpath, ctx);
	if (!rc)
		rc = case_analysis(&an, dir, c, b, ctx);
	if (!rc)
		rc = customs_policy_evaluate(&r, b, an, &ev, ctx);
	if (rc) {
		fprintf(diag, "#   error: %s\n", customs_ctx_errmsg(ctx));
		goto out;
	}
	res = judge(json_object_get(c, "expect"), r) ? 1 : 0;
out:
	free(bpath);
	customs_policy_result_free(r);
	customs_policy_analysis_free(an);
	customs_policy_bundle_free(b);
	return res;
}

static size_t list_cases(const char *dir, char **names, size_t max)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0, l;

	if (!d)
		return SIZE_MAX;
	while ((de = readdir(d)) && n < max) {
		l = strlen(de->d_name);
		if (l > 10 && !strcmp(de->d_name + l - 10, ".case.json"))
			names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	return n;
}

int policy_test(const char *dir)
{
	char **names = calloc(MAX_CASES, sizeof(*names));
	struct customs_ctx *ctx = NULL;
	size_t n, i, pass = 0, fail = 0;
	int r;

	if (!names || customs_ctx_new(&ctx)) {
		free(names);
		return EXIT_INTERNAL;
	}
	n = list_cases(dir, names, MAX_CASES);
	if (n == SIZE_MAX) {
		free(names);
		customs_ctx_free(ctx);
		return usage_error("policy test: cannot read directory '%s'",
				   dir);
	}
	for (i = 0; i < n; i++) {
		char *path = join(dir, names[i]);
		json_error_t jerr;
		json_t *c = path ? json_load_file(path, 0, &jerr) : NULL;

		char *dbuf = NULL;
		size_t dlen = 0;

		diag = open_memstream(&dbuf, &dlen);
		if (!diag)
			diag = stdout;
		r = c ? run_case(dir, c, ctx) : -1;
		if (!c)
			fprintf(diag, "#   error: %s: %s\n", names[i],
				jerr.text);
		if (diag != stdout)
			fclose(diag);
		printf("%s %zu - %s (%s)\n", r == 1 ? "ok" : "not ok", i + 1,
		       c && fld(c, "name") ? fld(c, "name") : names[i],
		       names[i]);
		if (dbuf)
			fputs(dbuf, stdout);
		free(dbuf);
		r == 1 ? pass++ : fail++;
		json_decref(c);
		free(path);
		free(names[i]);
		customs_ctx_clear(ctx);
	}
	printf("%zu passed, %zu failed\n", pass, fail);
	free(names);
	customs_ctx_free(ctx);
	return fail || !n ? EXIT_GATE : EXIT_OK;
}
