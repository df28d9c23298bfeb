/*
 * CISA Known Exploited Vulnerabilities catalogue, in its JSON form
 * ({title, catalogVersion, dateReleased, count, vulnerabilities:
 * [{cveID, vendorProject, product, vulnerabilityName, dateAdded,
 * requiredAction, dueDate, knownRansomwareCampaignUse, ...}]}) and its
 * CSV form (a header row naming the same fields, RFC 4180 quoting). Each
 * entry becomes one struct customs_vuln_kev; the catalogue is one
 * snapshot of the source "kev". JSON strings point into the jansson
 * tree; CSV fields are unquoted into one buffer reused per row.
 */
#include <stdio.h>
#include <string.h>

#include "vulndb/feed_int.h"
#include "vulndb/feed_help.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/banned.h"

/* one CSV row, unquoted */
#define KEV_MAX_ROW ((size_t)1 << 20)

/* The KEV fields a row carries, in struct customs_vuln_kev order. */
enum kev_field {
	KF_CVE,
	KF_VENDOR,
	KF_PRODUCT,
	KF_NAME,
	KF_ADDED,
	KF_DUE,
	KF_ACTION,
	KF_RANSOM,
	KF_N
};

static const char *const kev_keys[KF_N] = {
	"cveID",	  "vendorProject",
	"product",	  "vulnerabilityName",
	"dateAdded",	  "dueDate",
	"requiredAction", "knownRansomwareCampaignUse",
};

static int emit(const struct customs_vuln_sink *sink,
		const struct feed_warn *warn, const char *name,
		const char *where, const char *const f[KF_N])
{
	struct customs_vuln_kev k = {
		.cve = f[KF_CVE],
		.vendor = f[KF_VENDOR],
		.product = f[KF_PRODUCT],
		.name = f[KF_NAME],
		.date_added = f[KF_ADDED],
		.due_date = f[KF_DUE],
		.required_action = f[KF_ACTION],
		.ransomware = f[KF_RANSOM] && !strcmp(f[KF_RANSOM], "Known"),
	};

	if (!k.cve || !*k.cve) {
		feed_warnf(warn, "%s: %s: no cveID, skipped", name, where);
		return 0;
	}
	return sink->kev(sink->arg, &k);
}

static int parse_json(const char *data, size_t len, const char *name,
		      const struct customs_vuln_sink *sink,
		      const struct feed_warn *warn, struct customs_ctx *ctx)
{
	const char *f[KF_N];
	const json_t *vulns, *v;
	json_t *root = NULL;
	char where[48];
	size_t i, j;
	int rc;

	if ((rc = feedh_load_json(&root, data, len, 0, NULL, name, ctx)))
		return rc;
	vulns = json_object_get(root, "vulnerabilities");
	if (!json_is_array(vulns)) {
		rc = customs_error(ctx, CUSTOMS_EFORMAT,
				   "%s: not a KEV catalogue (no "
				   "\"vulnerabilities\" list)",
				   name);
		goto out;
	}
	if ((rc = sink->begin(sink->arg, "kev", true)))
		goto out;
	json_array_foreach(vulns, i, v)
	{
		for (j = 0; j < KF_N; j++)
			f[j] = feedh_str(v, kev_keys[j]);
		snprintf(where, sizeof(where), "vulnerabilities[%zu]", i);
		if ((rc = emit(sink, warn, name, where, f)))
			break;
	}
out:
	json_decref(root);
	return rc;
}

/* ---- CSV -------------------------------------------------------------- */

struct csv {
	const char *p, *end;
	size_t line; /* of the record being read */
	struct cbuf buf; /* the row's fields, each NUL-terminated */
	size_t off[32];
	size_t n;
};

/* Read one field into c->buf; *eol: it ended its record. -1: bad quote. */
static int csv_field(struct csv *c, bool *eol)
{
	const char *p = c->p;
	bool quoted = p < c->end && *p == '"';

	if (quoted)
		p++;
	for (; p < c->end; p++) {
		if (quoted && *p == '"') {
			if (p + 1 < c->end && p[1] == '"') {
				cbuf_putc(&c->buf, *p++);
				continue;
			}
			quoted = false;
			continue;
		}
		if (!quoted && (*p == ',' || *p == '\n' || *p == '\r'))
			break;
		if (*p == '\n')
			c->line++;
		cbuf_putc(&c->buf, *p);
	}
	cbuf_putc(&c->buf, '\0');
	if (quoted)
		return -1;
	*eol = p >= c->end || *p != ',';
	if (p < c->end && *p == '\r' && p + 1 < c->end && p[1] == '\n')
		p++;
	c->p = p < c->end ? p + 1 : p;
	return 0;
}

/* Read one record; false at the end or on a bad one (*bad set). */
static bool csv_record(struct csv *c, bool *bad)
{
	bool eol = false;

	cbuf_reset(&c->buf);
	c->n = 0;
	*bad = false;
	if (c->p >= c->end)
		return false;
	c->line++;
	while (!eol) {
		if (c->n < sizeof(c->off) / sizeof(c->off[0]))
			c->off[c->n++] = c->buf.len;
		if (csv_field(c, &eol) || cbuf_error(&c->buf)) {
			*bad = true;
			return false;
		}
	}
	return true;
}

static const char *csv_at(const struct csv *c, int col)
{
	return col >= 0 && (size_t)col < c->n ? c->buf.ptr + c->off[col] : NULL;
}

static int csv_header(struct csv *c, int cols[KF_N], const char *name,
		      struct customs_ctx *ctx)
{
	bool bad;
	size_t i, j;

	if (!csv_record(c, &bad))
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "%s: line 1: no KEV CSV header", name);
	for (j = 0; j < KF_N; j++) {
		cols[j] = -1;
		for (i = 0; i < c->n; i++) {
			if (!strcmp(csv_at(c, (int)i), kev_keys[j]))
				cols[j] = (int)i;
		}
	}
	if (cols[KF_CVE] < 0)
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "%s: line 1: KEV CSV header without "
				     "\"cveID\"",
				     name);
	return 0;
}

static int parse_csv(const char *data, size_t len, const char *name,
		     const struct customs_vuln_sink *sink,
		     const struct feed_warn *warn, struct customs_ctx *ctx)
{
	struct csv c = { .p = data, .end = data + len };
	const char *f[KF_N];
	int cols[KF_N];
	char where[32];
	bool bad;
	size_t j;
	int rc;

	cbuf_init(&c.buf, KEV_MAX_ROW);
	if ((rc = csv_header(&c, cols, name, ctx)) ||
	    (rc = sink->begin(sink->arg, "kev", true)))
		goto out;
	for (;;) {
		size_t line = c.line + 1;

		if (!csv_record(&c, &bad)) {
			if (!bad)
				break;
			rc = customs_error(ctx, CUSTOMS_EFORMAT,
					   "%s: line %zu: bad CSV record", name,
					   line);
			break;
		}
		if (c.n == 1 && !*csv_at(&c, 0))
			continue; /* empty line */
		for (j = 0; j < KF_N; j++)
			f[j] = csv_at(&c, cols[j]);
		snprintf(where, sizeof(where), "line %zu", line);
		if ((rc = emit(sink, warn, name, where, f)))
			break;
	}
out:
	cbuf_release(&c.buf);
	return rc;
}

int feed_kev_parse(const char *data, size_t len, const char *name,
		   const struct customs_vuln_sink *sink,
		   const struct feed_warn *warn, struct customs_ctx *ctx)
{
	const char *p = feedh_skip_ws(data, data + len);

	if (p < data + len && *p == '{')
		return parse_json(data, len, name, sink, warn, ctx);
	if ((size_t)(data + len - p) >= 6 && !memcmp(p, "cveID,", 6))
		return parse_csv(p, (size_t)(data + len - p), name, sink, warn,
				 ctx);
	return customs_error(ctx, CUSTOMS_EFORMAT,
			     "%s: not a KEV catalogue (JSON or CSV)", name);
}

bool feed_kev_detect(const char *head, size_t len, const char *name)
{
	const char *p = feedh_skip_ws(head, head + len);

	(void)name;
	if ((size_t)(head + len - p) >= 6 && !memcmp(p, "cveID,", 6))
		return true;
	/* the catalogue's JSON schema names the same keys */
	if (feedh_has(head, len, "\"$schema\""))
		return false;
	return feedh_has(head, len, "\"catalogVersion\"") ||
	       (feedh_has(head, len, "\"cveID\"") &&
		feedh_has(head, len, "\"vendorProject\""));
}
