/*
 * FIRST EPSS scores (epss_scores-YYYY-MM-DD.csv, decompressed by the
 * importer): a comment line "#model_version:v2023.03.01,score_date:
 * 2025-02-20T00:00:00+0000", the header "cve,epss,percentile", then one
 * "CVE-...,0.00383,0.73075" row per CVE. The comment goes to epss_meta()
 * (a missing field is NULL, with a warning), each row to epss(). A wrong
 * header is CUSTOMS_EFORMAT; a bad row is skipped with a warning. The
 * file is one snapshot of the source "epss". Nothing is allocated but
 * the two metadata strings.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vulndb/feed_int.h"
#include "vulndb/feed_help.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/banned.h"

#define EPSS_MAX_FIELD 64

/*
 * The value of "key:" in the comment (up to ',' or the end) into *out, or
 * NULL when absent. 0 or CUSTOMS_ENOMEM.
 */
static int meta_value(char **out, struct cslice line, const char *key)
{
	size_t k = strlen(key), i;
	const char *p = line.p, *end = line.p + line.n, *q;

	for (; p < end; p = q + 1) {
		q = memchr(p, ',', (size_t)(end - p));
		if (!q)
			q = end;
		if ((size_t)(q - p) > k && !memcmp(p, key, k) && p[k] == ':') {
			for (i = k + 1; p + i < q && p[i] == ' '; i++)
				;
			*out = customs_strndup(p + i, (size_t)(q - p) - i);
			return *out ? 0 : CUSTOMS_ENOMEM;
		}
	}
	*out = NULL;
	return 0;
}

static int meta(struct cslice line, const char *name,
		const struct customs_vuln_sink *sink,
		const struct feed_warn *warn, struct customs_ctx *ctx)
{
	struct cslice body = cslice_make(line.p + 1, line.n - 1);
	char *model = NULL, *date = NULL;
	int rc;

	if ((rc = meta_value(&model, body, "model_version")) ||
	    (rc = meta_value(&date, body, "score_date"))) {
		rc = customs_error(ctx, rc, "%s: out of memory", name);
		goto out;
	}
	if (!model)
		feed_warnf(warn, "%s: line 1: no model_version", name);
	if (!date)
		feed_warnf(warn, "%s: line 1: no score_date", name);
	if (sink->epss_meta)
		rc = sink->epss_meta(sink->arg, model, date);
out:
	customs_free(model);
	customs_free(date);
	return rc;
}

/* A probability in [0, 1] from the field s (n bytes). */
static bool prob(const char *s, size_t n, double *out)
{
	char tmp[EPSS_MAX_FIELD], *end;

	if (!n || n >= sizeof(tmp))
		return false;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	errno = 0;
	*out = strtod(tmp, &end);
	return !errno && end == tmp + n && *out >= 0.0 && *out <= 1.0;
}

/* An id: printable ASCII, no space (a NUL would cut it short). */
static bool id_ok(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] <= ' ' || s[i] > '~')
			return false;
	}
	return n > 0;
}

/* One "cve,epss,percentile" row. false: malformed. */
static bool row(struct cslice line, char cve[EPSS_MAX_FIELD],
		struct customs_vuln_epss *e)
{
	const char *p = line.p, *end = line.p + line.n, *c1, *c2;

	c1 = memchr(p, ',', line.n);
	if (!c1 || !id_ok(p, (size_t)(c1 - p)) ||
	    (size_t)(c1 - p) >= EPSS_MAX_FIELD)
		return false;
	c2 = memchr(c1 + 1, ',', (size_t)(end - c1 - 1));
	if (!c2)
		return false;
	memcpy(cve, p, (size_t)(c1 - p));
	cve[c1 - p] = '\0';
	e->cve = cve;
	return prob(c1 + 1, (size_t)(c2 - c1 - 1), &e->score) &&
	       prob(c2 + 1, (size_t)(end - c2 - 1), &e->percentile);
}

static int rows(struct cslice rest, size_t line_no, const char *name,
		const struct customs_vuln_sink *sink,
		const struct feed_warn *warn)
{
	struct customs_vuln_epss e;
	char cve[EPSS_MAX_FIELD];
	struct cslice line;
	int rc;

	while (cslice_next_line(&rest, &line)) {
		line_no++;
		line = cslice_trim(line);
		if (!line.n)
			continue;
		if (!row(line, cve, &e)) {
			feed_warnf(warn, "%s: line %zu: bad EPSS row, skipped",
				   name, line_no);
			continue;
		}
		if ((rc = sink->epss(sink->arg, &e)))
			return rc;
	}
	return 0;
}

int feed_epss_parse(const char *data, size_t len, const char *name,
		    const struct customs_vuln_sink *sink,
		    const struct feed_warn *warn, struct customs_ctx *ctx)
{
	struct cslice rest = cslice_make(data, len), line, first;
	size_t line_no = 1;
	bool has_meta;
	int rc;

	if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3))
		rest = cslice_make(data + 3, len - 3);
	if (!cslice_next_line(&rest, &first))
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "%s: empty EPSS file", name);
	has_meta = first.n && first.p[0] == '#';
	line = first;
	if (has_meta && !cslice_next_line(&rest, &line))
		line = cslice_make("", 0);
	if (has_meta)
		line_no = 2;
	line = cslice_trim(line);
	if (!cslice_eq(line, "cve,epss,percentile"))
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "%s: line %zu: not an EPSS header "
				     "(want \"cve,epss,percentile\")",
				     name, line_no);
	if ((rc = sink->begin(sink->arg, "epss", true)))
		return rc;
	if (has_meta)
		rc = meta(first, name, sink, warn, ctx);
	else
		feed_warnf(warn, "%s: no #model_version comment line", name);
	if (!rc)
		rc = rows(rest, line_no, name, sink, warn);
	return rc;
}

bool feed_epss_detect(const char *head, size_t len, const char *name)
{
	const char *p = feedh_skip_ws(head, head + len);
	size_t n = (size_t)(head + len - p);

	(void)name;
	return (n >= 14 && !memcmp(p, "#model_version", 14)) ||
	       (n >= 19 && !memcmp(p, "cve,epss,percentile", 19));
}
