/*
 * What the database knows about one vulnerability, merged across
 * sources, and the database status.
 *
 * Merging: every advisory row whose id is the asked id contributes; the
 * first (lowest source id) with a value wins for each text field, the
 * aliases, CWEs and CVSS ratings are unions. CVSS ratings, CWEs, KEV and
 * EPSS are also joined through the CVE aliases, so a GHSA id shows NVD's
 * scores and whether its CVE is known to be exploited. The record is
 * withdrawn only when every source withdrew it.
 */
#include <string.h>

#include "util/alloc.h"
#include "util/error.h"
#include "vulndb/reader_int.h"
#include "util/banned.h"

struct merge {
	struct customs_vulndb *db;
	struct customs_vuln_info *info;
	struct customs_ctx *ctx;
	bool nomem;
};

static char *dup_col(struct merge *m, sqlite3_stmt *st, int i)
{
	const char *s = reader_col(st, i);
	char *d;

	if (!s)
		return NULL;
	d = customs_strdup(s);
	m->nomem |= !d;
	return d;
}

static bool has(const struct customs_strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++) {
		if (!strcmp(l->v[i], s))
			return true;
	}
	return false;
}

static void add_unique(struct merge *m, struct customs_strlist *l,
		       const char *s)
{
	if (s && *s && !has(l, s) && customs_strlist_add(l, s))
		m->nomem = true;
}

static int prepare(struct merge *m, const char *sql, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v2(m->db->db, sql, -1, st, NULL) != SQLITE_OK)
		return vulndb_sqlerr(m->ctx, m->db->db, CUSTOMS_EIO,
				     "reading the database");
	return 0;
}

/* Strings of one column of sql (bound to vuln) into l, deduplicated. */
static int collect(struct merge *m, const char *sql, int64_t vuln,
		   struct customs_strlist *l)
{
	sqlite3_stmt *st;
	int rc = prepare(m, sql, &st), step;

	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, vuln);
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		add_unique(m, l, reader_col(st, 0));
	rc = reader_done(m->db, st, step, m->ctx);
	sqlite3_finalize(st);
	return rc;
}

static bool same_cvss(const struct customs_cvss *c, sqlite3_stmt *st)
{
	const char *v = reader_col(st, 1), *s = reader_col(st, 5);

	return c->vector && v && !strcmp(c->vector, v) &&
	       ((!c->source && !s) ||
		(c->source && s && !strcmp(c->source, s)));
}

static void add_cvss(struct merge *m, sqlite3_stmt *st)
{
	struct customs_vuln_info *in = m->info;
	struct customs_cvss *c, *v;

	for (size_t i = 0; i < in->n_cvss; i++) {
		if (same_cvss(&in->cvss[i], st))
			return;
	}
	v = customs_reallocarray(in->cvss, in->n_cvss + 1, sizeof(*v));
	if (!v) {
		m->nomem = true;
		return;
	}
	in->cvss = v;
	c = &v[in->n_cvss++];
	c->version = dup_col(m, st, 0);
	c->vector = dup_col(m, st, 1);
	c->base_score = sqlite3_column_double(st, 2);
	c->exploitability_score = sqlite3_column_double(st, 3);
	c->impact_score = sqlite3_column_double(st, 4);
	c->source = dup_col(m, st, 5);
	c->primary = sqlite3_column_int(st, 6) != 0;
}

static int collect_cvss(struct merge *m, int64_t vuln)
{
	sqlite3_stmt *st;
	int rc, step;

	rc = prepare(m,
		     "SELECT version, vector, base, exploitability, impact, "
		     "source, is_primary FROM cvss WHERE id BETWEEN ?1 AND ?2 "
		     "ORDER BY id",
		     &st);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, vuln << VULNDB_ROW_BITS);
	sqlite3_bind_int64(st, 2,
			   (vuln << VULNDB_ROW_BITS) | VULNDB_MAX_CHILDREN);
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		add_cvss(m, st);
	rc = reader_done(m->db, st, step, m->ctx);
	sqlite3_finalize(st);
	return rc;
}

static void take(struct merge *m, char **field, sqlite3_stmt *st, int i)
{
	if (!*field)
		*field = dup_col(m, st, i);
}

/* Merge one vulns row (id, summary, ..., withdrawn) into info. */
static int merge_row(struct merge *m, sqlite3_stmt *st, bool primary)
{
	struct customs_vuln_info *in = m->info;
	int64_t vuln = sqlite3_column_int64(st, 0);
	int rc;

	if (primary) {
		take(m, &in->summary, st, 1);
		take(m, &in->description, st, 2);
		take(m, &in->link, st, 3);
		if (!in->severity)
			in->severity =
				(enum customs_severity)sqlite3_column_int(st,
									  4);
		take(m, &in->published, st, 5);
		take(m, &in->modified, st, 6);
		in->withdrawn &= sqlite3_column_int(st, 7) != 0;
		rc = collect(m, "SELECT alias FROM aliases WHERE vuln = ?1",
			     vuln, &in->aliases);
		if (rc)
			return rc;
	}
	rc = collect(m, "SELECT cwe FROM cwes WHERE vuln = ?1", vuln,
		     &in->cwes);
	return rc ? rc : collect_cvss(m, vuln);
}

static int merge_id(struct merge *m, const char *id, bool primary, int *n)
{
	sqlite3_stmt *st;
	int rc, step;

	rc = prepare(m,
		     "SELECT id, summary, description, link, severity, "
		     "published, modified, withdrawn FROM vulns WHERE vid = ?1 "
		     "ORDER BY source",
		     &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		rc = merge_row(m, st, primary);
		(*n)++;
	}
	if (!rc)
		rc = reader_done(m->db, st, step, m->ctx);
	sqlite3_finalize(st);
	return rc;
}

static bool is_cve(const char *s)
{
	return !strncmp(s, "CVE-", 4);
}

/* KEV and EPSS of cve, when info has none yet. */
static int join_cve(struct merge *m, const char *cve)
{
	struct customs_vuln_info *in = m->info;
	sqlite3_stmt *st;
	int rc;

	if (!in->in_kev) {
		if ((rc = prepare(m,
				  "SELECT date_added, due_date, ransomware "
				  "FROM kev WHERE cve = ?1",
				  &st)))
			return rc;
		sqlite3_bind_text(st, 1, cve, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			in->in_kev = true;
			in->kev_date_added = dup_col(m, st, 0);
			in->kev_due_date = dup_col(m, st, 1);
			in->kev_ransomware = sqlite3_column_int(st, 2) != 0;
		}
		sqlite3_finalize(st);
	}
	if (in->has_epss)
		return 0;
	if ((rc = prepare(m,
			  "SELECT score, percentile FROM epss WHERE cve = ?1",
			  &st)))
		return rc;
	sqlite3_bind_text(st, 1, cve, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		in->has_epss = true;
		in->epss_score = sqlite3_column_double(st, 0);
		in->epss_percentile = sqlite3_column_double(st, 1);
	}
	sqlite3_finalize(st);
	return 0;
}

static int merge_all(struct merge *m, const char *id, int *n)
{
	struct customs_vuln_info *in = m->info;
	size_t i, n_alias;
	int rc, dummy = 0;

	rc = merge_id(m, id, true, n);
	if (rc || !*n)
		return rc;
	n_alias = in->aliases.n;
	for (i = 0; !rc && i < n_alias; i++) {
		if (is_cve(in->aliases.v[i]) && strcmp(in->aliases.v[i], id))
			rc = merge_id(m, in->aliases.v[i], false, &dummy);
	}
	if (!rc && is_cve(id))
		rc = join_cve(m, id);
	for (i = 0; !rc && i < n_alias; i++) {
		if (is_cve(in->aliases.v[i]))
			rc = join_cve(m, in->aliases.v[i]);
	}
	return rc;
}

int customs_vulndb_vuln(struct customs_vulndb *db, const char *id,
			struct customs_vuln_info **out, struct customs_ctx *ctx)
{
	struct merge m = { db, NULL, ctx, false };
	int rc, n = 0;

	*out = NULL;
	m.info = customs_calloc(1, sizeof(*m.info));
	if (!m.info || !(m.info->id = customs_strdup(id))) {
		customs_vuln_info_free(m.info);
		return CUSTOMS_ENOMEM;
	}
	m.info->withdrawn = true;
	rc = merge_all(&m, id, &n);
	if (!rc && m.nomem)
		rc = CUSTOMS_ENOMEM;
	if (!rc && !n)
		rc = customs_error(ctx, CUSTOMS_ENOTFOUND,
				   "vulnerability '%s' is not in the database",
				   id);
	if (rc) {
		customs_vuln_info_free(m.info);
		return rc;
	}
	*out = m.info;
	return 0;
}

void customs_vuln_info_free(struct customs_vuln_info *info)
{
	if (!info)
		return;
	customs_free(info->id);
	customs_free(info->summary);
	customs_free(info->description);
	customs_free(info->link);
	customs_free(info->published);
	customs_free(info->modified);
	customs_strlist_release(&info->aliases);
	for (size_t i = 0; i < info->n_cvss; i++) {
		customs_free((char *)info->cvss[i].version);
		customs_free((char *)info->cvss[i].vector);
		customs_free((char *)info->cvss[i].source);
	}
	customs_free(info->cvss);
	customs_strlist_release(&info->cwes);
	customs_free(info->kev_date_added);
	customs_free(info->kev_due_date);
	customs_free(info);
}
