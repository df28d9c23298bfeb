/*
 * NVD CVE API 2.0 responses ({resultsPerPage, ..., vulnerabilities:
 * [{cve: {...}}]}): a whole response, or several responses one after the
 * other (JSON lines, as saved pages are). Each cve becomes one record:
 * the English description, published, lastModified as modified (NVD's
 * own timestamps, kept as written), vulnStatus "Rejected" as withdrawn,
 * every CVSS metric (v4.0, v3.1, v3.0, v2) with its source and
 * Primary/Secondary type, the CWE ids of weaknesses, the NVD page as link,
 * and one struct customs_vuln_cpe per cpeMatch of the configurations
 * (negated nodes are dropped: see docs/internals/vulndb.md, "NVD").
 * Records carry no affected rows: NVD names products by CPE only. The
 * per-record arrays are reused from record to record; every string points
 * into the jansson tree of the response being read.
 */
#include <stdio.h>
#include <string.h>

#include "vulndb/feed_int.h"
#include "vulndb/feed_help.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/banned.h"

#define NVD_LINK "https://nvd.nist.gov/vuln/detail/"
/* responses in one document (a page holds at most 2000 CVEs) */
#define NVD_MAX_RESPONSES 100000
/* CWE ids kept per CVE */
#define NVD_MAX_CWES 64

struct nvd {
	const char *name;
	const struct customs_vuln_sink *sink;
	const struct feed_warn *warn;
	struct customs_ctx *ctx;
	struct customs_cvss *cvss;
	struct customs_vuln_cpe *cpes;
	const char **cwes;
	size_t cap_cvss, cap_cpes, cap_cwes;
	char link[160];
};

/* Metric keys, most preferred first, for the record's own severity. */
static const char *const metric_keys[] = {
	"cvssMetricV40",
	"cvssMetricV31",
	"cvssMetricV30",
	"cvssMetricV2",
};

static double num(const json_t *v)
{
	return json_is_number(v) ? json_number_value(v) : -1.0;
}

/* The metric that rates the record: the first of the preferred version,
 * unless a Primary (NVD's own) one of that version follows. */
struct pick {
	const char *version;
	bool primary;
	enum customs_severity sev;
};

static void pick_severity(struct pick *pk, const json_t *m,
			  const struct customs_cvss *c)
{
	const char *word =
		feedh_str(json_object_get(m, "cvssData"), "baseSeverity");
	enum customs_severity s;

	if (pk->version &&
	    (strcmp(pk->version, c->version) || pk->primary || !c->primary))
		return;
	if (!word) /* v2 has it beside cvssData */
		word = feedh_str(m, "baseSeverity");
	if (!word || customs_severity_parse(&s, word))
		s = c->base_score >= 0
			    ? customs_severity_from_score(c->base_score)
			    : CUSTOMS_SEVERITY_UNKNOWN;
	pk->version = c->version;
	pk->primary = c->primary;
	pk->sev = s;
}

static int add_metric(struct nvd *n, const json_t *m, size_t *k,
		      struct pick *pk)
{
	const json_t *data = json_object_get(m, "cvssData");
	const char *version = feedh_str(data, "version");
	const char *type = feedh_str(m, "type");
	struct customs_cvss *c;

	if (!json_is_object(data) || !version)
		return 0;
	if (CUSTOMS_GROW(n->cvss, n->cap_cvss, *k + 1))
		return CUSTOMS_ENOMEM;
	c = &n->cvss[(*k)++];
	*c = (struct customs_cvss){
		.version = version,
		.vector = feedh_str(data, "vectorString"),
		.base_score = num(json_object_get(data, "baseScore")),
		.exploitability_score =
			num(json_object_get(m, "exploitabilityScore")),
		.impact_score = num(json_object_get(m, "impactScore")),
		.source = feedh_str(m, "source"),
		.primary = type && !strcmp(type, "Primary"),
	};
	pick_severity(pk, m, c);
	return 0;
}

static int metrics(struct nvd *n, const json_t *cve,
		   struct customs_vuln_record *rec)
{
	const json_t *ms = json_object_get(cve, "metrics"), *list, *m;
	struct pick pk = { NULL, false, CUSTOMS_SEVERITY_UNKNOWN };
	size_t i, j, k = 0;
	int rc;

	for (i = 0; i < sizeof(metric_keys) / sizeof(metric_keys[0]); i++) {
		list = json_object_get(ms, metric_keys[i]);
		json_array_foreach(list, j, m)
		{
			if ((rc = add_metric(n, m, &k, &pk)))
				return rc;
		}
	}
	rec->severity = pk.sev;
	rec->cvss = n->cvss;
	rec->n_cvss = k;
	return 0;
}

static int weaknesses(struct nvd *n, const json_t *cve,
		      struct customs_vuln_record *rec)
{
	const json_t *ws = json_object_get(cve, "weaknesses"), *w, *d;
	const char *v;
	size_t i, j, l, k = 0;

	json_array_foreach(ws, i, w)
	{
		json_array_foreach(json_object_get(w, "description"), j, d)
		{
			v = feedh_str(d, "value");
			if (!v || strncmp(v, "CWE-", 4))
				continue; /* NVD-CWE-Other, NVD-CWE-noinfo */
			for (l = 0; l < k && strcmp(n->cwes[l], v); l++)
				;
			/* the dedup is quadratic: a real CVE has a few */
			if (l < k || k >= NVD_MAX_CWES)
				continue;
			if (CUSTOMS_GROW(n->cwes, n->cap_cwes, k + 1))
				return CUSTOMS_ENOMEM;
			n->cwes[k++] = v;
		}
	}
	rec->cwes = n->cwes;
	rec->n_cwes = k;
	return 0;
}

static int node_cpes(struct nvd *n, const json_t *node, int config, size_t *k)
{
	const json_t *m;
	const char *crit;
	size_t i;

	json_array_foreach(json_object_get(node, "cpeMatch"), i, m)
	{
		if (!(crit = feedh_str(m, "criteria")))
			continue;
		if (CUSTOMS_GROW(n->cpes, n->cap_cpes, *k + 1))
			return CUSTOMS_ENOMEM;
		n->cpes[(*k)++] = (struct customs_vuln_cpe){
			.criteria = crit,
			.start_including =
				feedh_str(m, "versionStartIncluding"),
			.start_excluding =
				feedh_str(m, "versionStartExcluding"),
			.end_including = feedh_str(m, "versionEndIncluding"),
			.end_excluding = feedh_str(m, "versionEndExcluding"),
			.vulnerable =
				json_is_true(json_object_get(m, "vulnerable")),
			.config = config,
		};
	}
	return 0;
}

static int configurations(struct nvd *n, const json_t *cve,
			  struct customs_vuln_record *rec)
{
	const json_t *cfgs = json_object_get(cve, "configurations"), *c, *node;
	size_t i, j, k = 0;
	int rc;

	json_array_foreach(cfgs, i, c)
	{
		json_array_foreach(json_object_get(c, "nodes"), j, node)
		{
			/* "not running on X" cannot be stored: dropped */
			if (json_is_true(json_object_get(node, "negate")))
				continue;
			if (i > (size_t)INT32_MAX)
				break;
			if ((rc = node_cpes(n, node, (int)i, &k)))
				return rc;
		}
	}
	rec->cpes = n->cpes;
	rec->n_cpes = k;
	return 0;
}

static const char *english(const json_t *cve)
{
	const json_t *d;
	const char *lang, *first = NULL;
	size_t i;

	json_array_foreach(json_object_get(cve, "descriptions"), i, d)
	{
		lang = feedh_str(d, "lang");
		if (lang && !strcmp(lang, "en") && feedh_str(d, "value"))
			return feedh_str(d, "value");
		if (!first)
			first = feedh_str(d, "value");
	}
	return first;
}

static int one_cve(struct nvd *n, const json_t *cve, size_t idx)
{
	struct customs_vuln_record rec = { .id = feedh_str(cve, "id") };
	const char *status = feedh_str(cve, "vulnStatus");
	int rc;

	if (!rec.id || strlen(rec.id) > 100) {
		feed_warnf(n->warn, "%s: vulnerabilities[%zu]: no cve.id",
			   n->name, idx);
		return 0;
	}
	snprintf(n->link, sizeof(n->link), "%s%s", NVD_LINK, rec.id);
	rec.link = n->link;
	rec.description = english(cve);
	rec.published = feedh_str(cve, "published");
	rec.modified = feedh_str(cve, "lastModified");
	rec.withdrawn = status && !strcmp(status, "Rejected");
	if ((rc = metrics(n, cve, &rec)) || (rc = weaknesses(n, cve, &rec)) ||
	    (rc = configurations(n, cve, &rec)))
		return customs_error(n->ctx, rc, "%s: %s: out of memory",
				     n->name, rec.id);
	return n->sink->record(n->sink->arg, &rec);
}

/* A "vulnerabilities" list of {cve: {...}} (KEV's list has no "cve"). */
static bool is_response(const json_t *resp)
{
	const json_t *v = json_object_get(resp, "vulnerabilities");

	return json_is_array(v) &&
	       (!json_array_size(v) ||
		json_is_object(json_object_get(json_array_get(v, 0), "cve")));
}

static int response(struct nvd *n, const json_t *resp, size_t line)
{
	const json_t *vulns = json_object_get(resp, "vulnerabilities"), *v;
	const json_t *cve;
	size_t i;
	int rc;

	if (!is_response(resp))
		return customs_error(n->ctx, CUSTOMS_EFORMAT,
				     "%s: response %zu: not an NVD API 2.0 "
				     "response (no \"vulnerabilities\" list "
				     "of \"cve\" objects)",
				     n->name, line);
	json_array_foreach(vulns, i, v)
	{
		cve = json_object_get(v, "cve");
		if (!json_is_object(cve)) {
			feed_warnf(n->warn,
				   "%s: response %zu: vulnerabilities[%zu]: "
				   "no cve object",
				   n->name, line, i);
			continue;
		}
		if ((rc = one_cve(n, cve, i)))
			return rc;
	}
	return 0;
}

int feed_nvd_parse(const char *data, size_t len, const char *name,
		   const struct customs_vuln_sink *sink,
		   const struct feed_warn *warn, struct customs_ctx *ctx)
{
	struct nvd n = { .name = name, .sink = sink, .warn = warn, .ctx = ctx };
	const char *p = data, *end = data + len;
	json_t *resp = NULL;
	size_t used, count = 0;
	int rc = 0;

	while (!rc && (p = feedh_skip_ws(p, end)) < end) {
		if (++count > NVD_MAX_RESPONSES) {
			rc = customs_error(ctx, CUSTOMS_ELIMIT,
					   "%s: more than %d responses", name,
					   NVD_MAX_RESPONSES);
			break;
		}
		rc = feedh_load_json(&resp, p, (size_t)(end - p),
				     JSON_DISABLE_EOF_CHECK, &used, name, ctx);
		if (rc)
			break;
		/* begin() only once the document is known to be NVD's */
		if (count == 1 && is_response(resp))
			rc = sink->begin(sink->arg, "nvd", false);
		if (!rc)
			rc = response(&n, resp, count);
		json_decref(resp);
		p += used ? used : 1;
	}
	if (!rc && !count)
		rc = customs_error(ctx, CUSTOMS_EFORMAT, "%s: empty document",
				   name);
	customs_free(n.cvss);
	customs_free(n.cpes);
	customs_free(n.cwes);
	return rc;
}

/* "format": "NVD_CVE" near the top of a response. */
bool feed_nvd_detect(const char *head, size_t len, const char *name)
{
	(void)name;
	return feedh_has(head, len, "\"NVD_CVE\"") ||
	       (feedh_has(head, len, "\"resultsPerPage\"") &&
		feedh_has(head, len, "\"vulnerabilities\""));
}
