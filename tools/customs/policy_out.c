/*
 * Shared policy CLI pieces: whole-file reads with a size limit, the
 * bundle to use, --fix / --now parsing, and the result printers (the
 * table people read; the JSON document Anchore stores).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "policy_cli.h"
#include "util/banned.h"

int read_file(char **out, size_t *len, const char *path,
	      struct customs_ctx *ctx)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, got;

	*out = NULL;
	*len = 0;
	if (!f) {
		fprintf(stderr, "customs: error: cannot read '%s': %s\n", path,
			strerror(errno));
		return CUSTOMS_EIO;
	}
	for (;;) {
		if (n + 65536 + 1 > cap) {
			char *nb;

			cap = cap ? cap * 2 : 131072;
			if (cap > POLICY_MAX_FILE + 65536 + 1 ||
			    !(nb = realloc(buf, cap))) {
				free(buf);
				fclose(f);
				fprintf(stderr,
					"customs: error: '%s' is too large\n",
					path);
				return CUSTOMS_ELIMIT;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, 65536, f);
		n += got;
		if (got < 65536)
			break;
	}
	(void)ctx;
	if (ferror(f)) {
		free(buf);
		fclose(f);
		fprintf(stderr, "customs: error: reading '%s' failed\n", path);
		return CUSTOMS_EIO;
	}
	fclose(f);
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

int write_file(const char *path, const char *data, size_t len,
	       struct customs_ctx *ctx)
{
	FILE *f = fopen(path, "wb");
	bool bad;

	(void)ctx;
	if (!f) {
		fprintf(stderr, "customs: error: cannot write '%s': %s\n", path,
			strerror(errno));
		return CUSTOMS_EIO;
	}
	bad = fwrite(data, 1, len, f) != len;
	bad |= fclose(f) != 0;
	if (bad) {
		fprintf(stderr, "customs: error: writing '%s' failed\n", path);
		return CUSTOMS_EIO;
	}
	return 0;
}

int load_bundle(struct customs_policy_bundle **out, const char *path,
		struct customs_ctx *ctx)
{
	char *text = NULL;
	size_t len = 0;
	int rc;

	if (!path)
		return customs_policy_bundle_default(out, ctx);
	rc = read_file(&text, &len, path, ctx);
	if (!rc)
		rc = customs_policy_bundle_parse(out, text, len, path, ctx);
	free(text);
	return rc;
}

static const struct {
	const char *name;
	unsigned bit;
} fix_names[] = {
	{ "dockerfile-continuation",
	  CUSTOMS_POLICY_FIX_DOCKERFILE_CONTINUATION },
	{ "required-package-message", CUSTOMS_POLICY_FIX_REQUIRED_PACKAGE_MSG },
	{ "retrieved-twice", CUSTOMS_POLICY_FIX_RETRIEVED_TWICE },
	{ "vendor-only", CUSTOMS_POLICY_FIX_VENDOR_ONLY },
	{ "all", CUSTOMS_POLICY_FIX_ALL },
};

int parse_fixes(unsigned *fixes, const char *arg)
{
	const char *p = arg;
	size_t i, n;

	while (*p) {
		n = strcspn(p, ",");
		for (i = 0; i < sizeof(fix_names) / sizeof(fix_names[0]); i++) {
			if (strlen(fix_names[i].name) == n &&
			    !strncmp(fix_names[i].name, p, n))
				break;
		}
		if (i == sizeof(fix_names) / sizeof(fix_names[0]))
			return usage_error("--fix: unknown fix '%.*s'", (int)n,
					   p);
		*fixes |= fix_names[i].bit;
		p += n + (p[n] == ',');
	}
	return 0;
}

int parse_now(int64_t *now, const char *arg)
{
	if (customs_policy_time_parse(arg, now))
		return usage_error("--now: '%s' is not an RFC 3339 time or "
				   "Unix seconds",
				   arg);
	return 0;
}

static const char *allowlisted(const struct customs_policy_row *r)
{
	if (!r->whitelisted)
		return "-";
	return r->whitelist_name ? r->whitelist_name : r->whitelist_id;
}

static int width(const struct customs_policy_row *rows, size_t n, size_t field,
		 int min)
{
	size_t i;
	int w = min, l;

	for (i = 0; i < n; i++) {
		const char *s = field == 0   ? rows[i].gate
				: field == 1 ? rows[i].trigger
				: field == 2 ? rows[i].trigger_id
					     : allowlisted(&rows[i]);

		l = (int)strlen(s);
		if (l > w)
			w = l;
	}
	return w;
}

static void upper(char *out, const char *s)
{
	size_t i;

	for (i = 0; s[i] && i < 7; i++)
		out[i] = (char)(s[i] >= 'a' && s[i] <= 'z' ? s[i] - 32 : s[i]);
	out[i] = '\0';
}

void print_result_table(FILE *f, const struct customs_policy_result *r)
{
	size_t n, i;
	const struct customs_policy_row *rows =
		customs_policy_result_rows(r, &n);
	const struct customs_policy_problems *ps =
		customs_policy_result_problems(r);
	int wg = width(rows, n, 0, 4), wt = width(rows, n, 1, 7);
	int wi = width(rows, n, 2, 10), wa = width(rows, n, 3, 11);
	char act[8];

	fprintf(f, "Tag: %s\nBundle: %s\n\n",
		*customs_policy_result_tag(r) ? customs_policy_result_tag(r)
					      : "(none)",
		customs_policy_result_bundle_id(r));
	if (n)
		fprintf(f, "%-*s  %-*s  %-6s  %-*s  %-*s  %s\n", wg, "GATE", wt,
			"TRIGGER", "ACTION", wi, "TRIGGER_ID", wa,
			"ALLOWLISTED", "DETAIL");
	for (i = 0; i < n; i++) {
		upper(act, customs_policy_action_name(rows[i].action));
		fprintf(f, "%-*s  %-*s  %-6s  %-*s  %-*s  %s\n", wg,
			rows[i].gate, wt, rows[i].trigger, act, wi,
			rows[i].trigger_id, wa, allowlisted(&rows[i]),
			rows[i].message);
	}
	for (i = 0; i < ps->n; i++)
		fprintf(f, "problem: %s: %s: %s\n", ps->v[i].severity,
			ps->v[i].problem_type, ps->v[i].details);
	upper(act, customs_policy_action_name(customs_policy_result_final(r)));
	fprintf(f, "%sFinal action: %s (%s)\nStatus: %s\n", n ? "\n" : "", act,
		customs_policy_result_reason(r),
		customs_policy_result_final(r) == CUSTOMS_POLICY_STOP ? "fail"
								      : "pass");
}

int print_result_json(FILE *f, const struct customs_policy_result *r)
{
	char *doc = NULL;
	int rc = customs_policy_result_json(&doc, r, true);

	if (rc)
		return rc;
	fputs(doc, f);
	fputc('\n', f);
	free(doc);
	return 0;
}
