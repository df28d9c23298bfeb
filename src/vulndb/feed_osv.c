/*
 * The OSV parser (schema 1.2 to 1.8): a document is one record, an array
 * of records, or records one after another (JSON lines). Each record
 * becomes a customs_vuln_record: aliases are the union of aliases,
 * upstream and related plus CVE ids named in reference URLs (AlmaLinux
 * has no aliases, only such URLs); severity[] CVSS vectors are scored by
 * cvss.c; the advisory's own rating is database_specific.severity (GHSA
 * "MODERATE" = Medium), else an Ubuntu severity word, else the band of
 * the highest CVSS base score, else the word an RHSA-style summary starts
 * with ("Important: ..."). A modified time of year 1 (the Go export
 * writes it) counts as absent, so such records are always re-imported.
 * Withdrawn records are stored and flagged; the matcher ignores them.
 * osv_affected.c turns affected[] into rows. The parser keeps nothing
 * between records but reused arrays: a record's strings live in an arena
 * released after the sink has seen it.
 */
#include <string.h>

#include "util/alloc.h"
#include "util/error.h"
#include "util/jsonalloc.h"
#include "vulndb/feed_osv.h"
#include "vulndb/vulndb_int.h"
#include "util/banned.h"

/* Whether "key" appears as an object key in head (quote, colon after). */
static bool has_key(const char *head, size_t len, const char *key)
{
	size_t kl = strlen(key);
	const char *p = head, *end = head + len, *q;

	while (p < end && (q = memmem(p, (size_t)(end - p), key, kl))) {
		const char *after = q + kl;

		p = q + 1;
		if (q == head || q[-1] != '"' ||
		    (q >= head + 2 && q[-2] == '\\'))
			continue;
		if (after >= end || *after != '"')
			continue;
		for (after++; after < end && (*after == ' ' || *after == '\t' ||
					      *after == '\n' || *after == '\r');
		     after++)
			;
		if (after < end && *after == ':')
			return true;
	}
	return false;
}

bool feed_osv_detect(const char *head, size_t len, const char *name)
{
	size_t i = 0;

	(void)name;
	if (len >= 3 && !memcmp(head, "\xef\xbb\xbf", 3))
		i = 3;
	while (i < len &&
	       (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' ||
		head[i] == '\t' || head[i] == '['))
		i++;
	if (i >= len || head[i] != '{')
		return false;
	if (has_key(head, len, "vulnerabilities") ||
	    has_key(head, len, "resultsPerPage") ||
	    has_key(head, len, "catalogVersion") ||
	    has_key(head, len, "secfixes"))
		return false;
	return has_key(head, len, "affected") ||
	       (has_key(head, len, "id") &&
		(has_key(head, len, "modified") ||
		 has_key(head, len, "schema_version")));
}

static void add_alias(struct osv *o, const char *s, size_t n)
{
	const char *d;

	if (!n || (strlen(o->id) == n && !strncmp(o->id, s, n)))
		return;
	for (size_t i = 0; i < o->n_aliases; i++) {
		if (strlen(o->aliases[i]) == n && !strncmp(o->aliases[i], s, n))
			return;
	}
	d = arena_strndup(&o->a, s, n);
	if (d && !CUSTOMS_GROW(o->aliases, o->cap_aliases, o->n_aliases + 1))
		o->aliases[o->n_aliases++] = d;
}

static void add_aliases(struct osv *o, const json_t *arr)
{
	for (size_t i = 0; i < json_array_size(arr); i++) {
		const char *s = json_string_value(json_array_get(arr, i));

		if (s)
			add_alias(o, s, strlen(s));
	}
}

/* "CVE-YYYY-NNNN..." at s: its length, or 0. */
static size_t cve_len(const char *s)
{
	size_t n = 4, d;

	if (strncmp(s, "CVE-", 4))
		return 0;
	for (d = 0; s[n] >= '0' && s[n] <= '9'; n++, d++)
		;
	if (d != 4 || s[n++] != '-')
		return 0;
	for (d = 0; s[n] >= '0' && s[n] <= '9'; n++, d++)
		;
	return d >= 4 ? n : 0;
}

/* CVE ids named at the end of reference URLs (".../cve/CVE-2025-1"). */
static void reference_cves(struct osv *o, const json_t *refs)
{
	for (size_t i = 0; i < json_array_size(refs); i++) {
		const char *url = osv_str(json_array_get(refs, i), "url");
		const char *c = url ? strrchr(url, '/') : NULL;
		size_t n;

		if (c && (n = cve_len(c + 1)) && !c[1 + n])
			add_alias(o, c + 1, n);
	}
}

static const char *link_of(const json_t *rec)
{
	const json_t *refs = json_object_get(rec, "references");
	const char *url;
	size_t i;

	for (i = 0; i < json_array_size(refs); i++) {
		const json_t *r = json_array_get(refs, i);
		const char *t = osv_str(r, "type");

		if (t && !strcmp(t, "ADVISORY") && (url = osv_str(r, "url")))
			return url;
	}
	url = osv_str(json_object_get(rec, "database_specific"), "url");
	if (url)
		return url;
	return osv_str(json_array_get(refs, 0), "url");
}

int osv_add_severity(struct osv *o, const json_t *sev,
		     enum customs_severity *word)
{
	const char *type = osv_str(sev, "type"), *score = osv_str(sev, "score");
	struct customs_cvss c;

	if (!type || !score)
		return 0;
	if (strncmp(type, "CVSS_V", 6)) {
		customs_severity_parse(word, score);
		return 0;
	}
	if (vulndb_cvss_compute(score, &c)) {
		feed_warnf(o->warn,
			   "%s: %s: severity: '%s' is not a CVSS vector",
			   o->name, o->id, score);
		return 0;
	}
	for (size_t i = 0; i < o->n_cvss; i++) {
		if (!strcmp(o->cvss[i].vector, score))
			goto band;
	}
	if (CUSTOMS_GROW(o->cvss, o->cap_cvss, o->n_cvss + 1))
		return CUSTOMS_ENOMEM;
	c.vector = score;
	c.source = "osv";
	c.primary = true;
	o->cvss[o->n_cvss++] = c;
band:
	if (c.base_score >= 0 &&
	    customs_severity_from_score(c.base_score) > *word)
		*word = customs_severity_from_score(c.base_score);
	return 0;
}

static void cwes(struct osv *o, const json_t *rec)
{
	const json_t *ids = json_object_get(
		json_object_get(rec, "database_specific"), "cwe_ids");

	for (size_t i = 0; i < json_array_size(ids); i++) {
		const char *s = json_string_value(json_array_get(ids, i));

		if (s && !CUSTOMS_GROW(o->cwes, o->cap_cwes, o->n_cwes + 1))
			o->cwes[o->n_cwes++] = s;
	}
}

/* The advisory's rating: its own word, else Ubuntu's, else CVSS. */
static enum customs_severity severity_of(struct osv *o, const json_t *rec)
{
	const json_t *sev = json_object_get(rec, "severity");
	const char *w =
		osv_str(json_object_get(rec, "database_specific"), "severity");
	enum customs_severity s = CUSTOMS_SEVERITY_UNKNOWN, word = s;

	for (size_t i = 0; i < json_array_size(sev); i++)
		osv_add_severity(o, json_array_get(sev, i), &word);
	if (w && !customs_severity_parse(&s, w))
		return s;
	return word;
}

/* RHSA-style summaries ("Important: firefox security update"). */
static enum customs_severity summary_word(const char *summary)
{
	enum customs_severity s = CUSTOMS_SEVERITY_UNKNOWN;
	const char *colon = summary ? strchr(summary, ':') : NULL;
	char word[16];
	size_t n;

	if (!colon || (n = (size_t)(colon - summary)) >= sizeof(word))
		return s;
	memcpy(word, summary, n);
	word[n] = 0;
	customs_severity_parse(&s, word);
	return s;
}

static void reset(struct osv *o)
{
	arena_release(&o->a);
	o->n_aliases = o->n_cvss = o->n_aff = o->n_cwes = 0;
}

static const char *modified_of(const json_t *rec)
{
	const char *m = osv_str(rec, "modified");

	return m && strncmp(m, "0001-", 5) ? m : NULL;
}

static bool is_withdrawn(const json_t *rec)
{
	const char *w = osv_str(rec, "withdrawn");

	return w && *w;
}

static int convert(struct osv *o, const json_t *rec,
		   struct customs_vuln_record *r)
{
	memset(r, 0, sizeof(*r));
	r->id = o->id;
	r->summary = osv_str(rec, "summary");
	r->description = osv_str(rec, "details");
	r->link = link_of(rec);
	r->published = osv_str(rec, "published");
	r->modified = modified_of(rec);
	r->withdrawn = is_withdrawn(rec);
	add_aliases(o, json_object_get(rec, "aliases"));
	add_aliases(o, json_object_get(rec, "upstream"));
	add_aliases(o, json_object_get(rec, "related"));
	reference_cves(o, json_object_get(rec, "references"));
	r->severity = severity_of(o, rec);
	if (!r->severity)
		r->severity = summary_word(r->summary);
	cwes(o, rec);
	return osv_affected(o, json_object_get(rec, "affected"));
}

static int one_record(struct osv *o, const json_t *rec, size_t index,
		      const struct customs_vuln_sink *sink)
{
	struct customs_vuln_record r;
	int rc;

	o->id = osv_str(rec, "id");
	if (!json_is_object(rec) || !o->id || !*o->id) {
		feed_warnf(o->warn, "%s: record %zu: skipped: no \"id\"",
			   o->name, index);
		return 0;
	}
	rc = convert(o, rec, &r);
	if (!rc) {
		r.aliases = o->aliases;
		r.n_aliases = o->n_aliases;
		r.cvss = o->cvss;
		r.n_cvss = o->n_cvss;
		r.affected = o->aff;
		r.n_affected = o->n_aff;
		r.cwes = o->cwes;
		r.n_cwes = o->n_cwes;
		rc = sink->record(sink->arg, &r);
	}
	reset(o);
	return rc;
}

static int one_value(struct osv *o, const json_t *v, size_t *index,
		     const struct customs_vuln_sink *sink)
{
	size_t i;
	int rc = 0;

	if (!json_is_array(v))
		return one_record(o, v, (*index)++, sink);
	for (i = 0; !rc && i < json_array_size(v); i++)
		rc = one_record(o, json_array_get(v, i), (*index)++, sink);
	return rc;
}

static size_t skip_ws(const char *d, size_t len, size_t off)
{
	while (off < len && (d[off] == ' ' || d[off] == '\n' ||
			     d[off] == '\r' || d[off] == '\t'))
		off++;
	return off;
}

/* Parse the values of data one after another (object, array, lines). */
static int parse_values(struct osv *o, const char *data, size_t len,
			const struct customs_vuln_sink *sink)
{
	size_t off = skip_ws(data, len, 0), index = 0;
	json_error_t err;
	json_t *v;
	int rc = 0;

	if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3))
		off = skip_ws(data, len, 3);
	while (!rc && off < len) {
		v = json_loadb(data + off, len - off, JSON_DISABLE_EOF_CHECK,
			       &err);
		if (!v)
			return customs_error(o->ctx, CUSTOMS_EFORMAT,
					     "%s: record %zu: line %d column "
					     "%d: %s",
					     o->name, index, err.line,
					     err.column, err.text);
		rc = one_value(o, v, &index, sink);
		json_decref(v);
		off = skip_ws(data, len, off + (size_t)err.position);
	}
	return rc;
}

int feed_osv_parse(const char *data, size_t len, const char *name,
		   const struct customs_vuln_sink *sink,
		   const struct feed_warn *warn, struct customs_ctx *ctx)
{
	struct osv o;
	int rc;

	customs_json_alloc_init();
	memset(&o, 0, sizeof(o));
	o.name = name;
	o.warn = warn;
	o.ctx = ctx;
	cbuf_init(&o.rb, 4u << 20);
	rc = sink->begin ? sink->begin(sink->arg, NULL, false) : 0;
	if (!rc)
		rc = parse_values(&o, data, len, sink);
	reset(&o);
	cbuf_release(&o.rb);
	customs_free(o.aliases);
	customs_free(o.cvss);
	customs_free(o.aff);
	customs_free(o.cwes);
	return rc;
}
