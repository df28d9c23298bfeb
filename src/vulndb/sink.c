/*
 * The writer's sink: records, KEV entries and EPSS scores become rows.
 *
 * begin() resolves the source (the parser's name, else the caller's, else
 * the format's) to a sources row and, for a snapshot, deletes everything
 * that source held. A record is keyed (source, id): when the stored row
 * has the same modified time it is skipped, otherwise its child rows are
 * deleted by rowid range and written again under the same vuln id.
 * Package names are normalised here, enumerated versions are stored as
 * one '\n'-joined text per row and fixed versions as one ", "-joined one.
 */
#include <string.h>

#include "util/alloc.h"
#include "util/error.h"
#include "vulndb/writer_int.h"
#include "util/banned.h"

struct vulndb_sink {
	struct customs_vulndb_writer *w;
	const struct customs_vulndb_source *src;
	const char *fallback;
	const char *last; /* name of source_id (borrowed: static or src) */
	int64_t source_id;
	uint64_t n;
	const char *doc; /* the document being parsed, for warnings */
	const struct feed_warn *warn;
	struct customs_ctx *ctx;
};

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/* Run a statement expected to return nothing. */
static int run(struct customs_vulndb_writer *w, enum wst i, const char *what,
	       struct customs_ctx *ctx)
{
	return writer_done(w, w->st[i], sqlite3_step(w->st[i]), what, ctx);
}

static int del_range(struct customs_vulndb_writer *w, enum wst i, int64_t vuln,
		     struct customs_ctx *ctx)
{
	sqlite3_bind_int64(w->st[i], 1, vuln << VULNDB_ROW_BITS);
	sqlite3_bind_int64(w->st[i], 2,
			   (vuln << VULNDB_ROW_BITS) | VULNDB_MAX_CHILDREN);
	return run(w, i, "deleting rows", ctx);
}

int writer_delete_children(struct customs_vulndb_writer *w, int64_t vuln,
			   struct customs_ctx *ctx)
{
	int rc = del_range(w, WST_DEL_AFF, vuln, ctx);

	if (!rc)
		rc = del_range(w, WST_DEL_CVSS, vuln, ctx);
	if (!rc)
		rc = del_range(w, WST_DEL_CPES, vuln, ctx);
	if (!rc) {
		sqlite3_bind_int64(w->st[WST_DEL_ALIASES], 1, vuln);
		rc = run(w, WST_DEL_ALIASES, "deleting aliases", ctx);
	}
	if (!rc) {
		sqlite3_bind_int64(w->st[WST_DEL_CWES], 1, vuln);
		rc = run(w, WST_DEL_CWES, "deleting cwes", ctx);
	}
	return rc;
}

/* Delete everything source held: its advisories, KEV and EPSS rows. */
static int clear_source(struct customs_vulndb_writer *w, int64_t source,
			struct customs_ctx *ctx)
{
	static const char *const tail[] = {
		"DELETE FROM vulns WHERE source = ?1",
		"DELETE FROM kev WHERE source = ?1",
		"DELETE FROM epss WHERE source = ?1",
		"DELETE FROM epss_meta WHERE source = ?1",
	};
	sqlite3_stmt *st = NULL;
	size_t i;
	int rc = 0, step;

	if (sqlite3_prepare_v2(w->db, "SELECT id FROM vulns WHERE source = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return vulndb_sqlerr(ctx, w->db, CUSTOMS_EIO, "snapshot");
	sqlite3_bind_int64(st, 1, source);
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW)
		rc = writer_delete_children(w, sqlite3_column_int64(st, 0),
					    ctx);
	sqlite3_finalize(st);
	for (i = 0; !rc && i < sizeof(tail) / sizeof(tail[0]); i++) {
		if (sqlite3_prepare_v2(w->db, tail[i], -1, &st, NULL) !=
		    SQLITE_OK)
			return vulndb_sqlerr(ctx, w->db, CUSTOMS_EIO,
					     "snapshot");
		sqlite3_bind_int64(st, 1, source);
		step = sqlite3_step(st);
		sqlite3_finalize(st);
		if (step != SQLITE_DONE)
			rc = vulndb_sqlerr(ctx, w->db, CUSTOMS_EIO, "snapshot");
	}
	return rc;
}

/* The id of source name, created or its metadata updated. */
static int source_row(struct vulndb_sink *s, const char *name)
{
	struct customs_vulndb_writer *w = s->w;
	sqlite3_stmt *st = w->st[WST_FIND_SOURCE];
	char now[32];
	int rc;

	vulndb_now(now, sizeof(now));
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	s->source_id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	if ((rc = writer_done(w, st, rc, "sources", s->ctx)))
		return rc;
	st = w->st[s->source_id ? WST_UPD_SOURCE : WST_INS_SOURCE];
	if (s->source_id)
		sqlite3_bind_int64(st, 1, s->source_id);
	else
		bind_text(st, 1, name);
	bind_text(st, 2, s->src->origin);
	bind_text(st, 3, s->src->feed_date);
	bind_text(st, 4, now);
	rc = writer_done(w, st, sqlite3_step(st), "sources", s->ctx);
	if (!rc && !s->source_id)
		s->source_id = sqlite3_last_insert_rowid(w->db);
	return rc;
}

/*
 * Remember that the document being parsed emptied snapshot source id; warn
 * when an earlier document of this run did so too (a directory holding
 * two Debian tracker files keeps only the last one).
 */
static int note_snapshot(struct vulndb_sink *s, const char *name)
{
	struct customs_vulndb_writer *w = s->w;
	const char *doc = s->doc ? s->doc : "input";
	char *copy;
	size_t i;

	for (i = 0; i < w->n_snapshots; i++) {
		if (w->snapshots[i].source_id != s->source_id)
			continue;
		feed_warnf(s->warn,
			   "%s: snapshot of source '%s' replaces the one read "
			   "from %s earlier in this import",
			   doc, name, w->snapshots[i].doc);
		copy = customs_strdup(doc);
		if (!copy)
			return CUSTOMS_ENOMEM;
		customs_free(w->snapshots[i].doc);
		w->snapshots[i].doc = copy;
		return 0;
	}
	if (CUSTOMS_GROW(w->snapshots, w->cap_snapshots, w->n_snapshots + 1))
		return CUSTOMS_ENOMEM;
	copy = customs_strdup(doc);
	if (!copy)
		return CUSTOMS_ENOMEM;
	w->snapshots[w->n_snapshots].source_id = s->source_id;
	w->snapshots[w->n_snapshots++].doc = copy;
	return 0;
}

static int sink_begin(void *arg, const char *source, bool snapshot)
{
	struct vulndb_sink *s = arg;
	const char *name =
		source ? source : (s->src->name ? s->src->name : s->fallback);
	int rc;

	/* JSON lines call begin() once a line: one source lookup is enough */
	if (!snapshot && s->source_id && !source && s->last == name)
		return 0;
	rc = source_row(s, name);
	s->last = source ? NULL : name;
	if (!rc && snapshot)
		rc = clear_source(s->w, s->source_id, s->ctx);
	if (!rc && snapshot)
		rc = note_snapshot(s, name);
	return rc;
}

static int ensure_begun(struct vulndb_sink *s)
{
	return s->source_id ? 0 : sink_begin(s, NULL, false);
}

/*
 * Look up (source, id): *vuln gets the id to write under; *skip is set
 * when the stored record has the same modified time.
 */
static int find_vuln(struct vulndb_sink *s, const struct customs_vuln_record *r,
		     int64_t *vuln, bool *skip)
{
	struct customs_vulndb_writer *w = s->w;
	sqlite3_stmt *st = w->st[WST_FIND_VULN];
	const char *mod;
	int rc;

	*skip = false;
	*vuln = 0;
	sqlite3_bind_int64(st, 1, s->source_id);
	sqlite3_bind_text(st, 2, r->id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*vuln = sqlite3_column_int64(st, 0);
		mod = (const char *)sqlite3_column_text(st, 1);
		*skip = mod && r->modified && !strcmp(mod, r->modified);
	}
	rc = writer_done(w, st, rc, "vulns", s->ctx);
	if (!rc && *vuln && !*skip)
		rc = writer_delete_children(w, *vuln, s->ctx);
	if (!rc && !*vuln)
		*vuln = w->next_vuln++;
	return rc;
}

static int put_vuln(struct vulndb_sink *s, int64_t vuln,
		    const struct customs_vuln_record *r)
{
	struct customs_vulndb_writer *w = s->w;
	sqlite3_stmt *st = w->st[WST_INS_VULN];

	sqlite3_bind_int64(st, 1, vuln);
	sqlite3_bind_int64(st, 2, s->source_id);
	bind_text(st, 3, r->id);
	bind_text(st, 4, r->summary);
	bind_text(st, 5, r->description);
	bind_text(st, 6, r->link);
	sqlite3_bind_int(st, 7, (int)r->severity);
	bind_text(st, 8, r->published);
	bind_text(st, 9, r->modified);
	sqlite3_bind_int(st, 10, r->withdrawn);
	return run(w, WST_INS_VULN, "vulns", s->ctx);
}

static int put_strings(struct vulndb_sink *s, enum wst i, int64_t vuln,
		       const char *const *v, size_t n)
{
	size_t k;
	int rc = 0;

	for (k = 0; !rc && k < n; k++) {
		if (!v[k] || !*v[k])
			continue;
		sqlite3_bind_int64(s->w->st[i], 1, vuln);
		sqlite3_bind_text(s->w->st[i], 2, v[k], -1, SQLITE_STATIC);
		rc = run(s->w, i, "aliases", s->ctx);
	}
	return rc;
}

static int put_cvss(struct vulndb_sink *s, int64_t vuln,
		    const struct customs_vuln_record *r)
{
	sqlite3_stmt *st = s->w->st[WST_INS_CVSS];
	size_t k;
	int rc = 0;

	for (k = 0; !rc && k < r->n_cvss && k <= VULNDB_MAX_CHILDREN; k++) {
		const struct customs_cvss *c = &r->cvss[k];

		sqlite3_bind_int64(st, 1,
				   (vuln << VULNDB_ROW_BITS) | (int64_t)k);
		bind_text(st, 2, c->version);
		bind_text(st, 3, c->vector);
		sqlite3_bind_double(st, 4, c->base_score);
		sqlite3_bind_double(st, 5, c->exploitability_score);
		sqlite3_bind_double(st, 6, c->impact_score);
		bind_text(st, 7, c->source);
		sqlite3_bind_int(st, 8, c->primary);
		rc = run(s->w, WST_INS_CVSS, "cvss", s->ctx);
	}
	return rc;
}

static int join(struct cbuf *b, const char *const *v, size_t n, const char *sep)
{
	size_t k;

	cbuf_reset(b);
	for (k = 0; k < n; k++) {
		if (k)
			cbuf_puts(b, sep);
		cbuf_puts(b, v[k] ? v[k] : "");
	}
	return cbuf_error(b);
}

static int put_one_affected(struct vulndb_sink *s, int64_t rowid,
			    const struct customs_vuln_affected *a)
{
	struct customs_vulndb_writer *w = s->w;
	sqlite3_stmt *st = w->st[WST_INS_AFF];
	int rc = vulndb_normalize_into(&w->name, a->namespace, a->name);

	if (rc == CUSTOMS_ELIMIT)
		return customs_error(s->ctx, CUSTOMS_ELIMIT,
				     "vulndb: package name longer than %u "
				     "bytes",
				     1u << 16);
	if (!rc)
		rc = join(&w->text, a->versions, a->n_versions, "\n");
	if (!rc)
		rc = join(&w->text2, a->fixed, a->n_fixed, ", ");
	if (rc == CUSTOMS_ELIMIT)
		return customs_error(s->ctx, CUSTOMS_ELIMIT,
				     "vulndb: package %s: versions longer "
				     "than %u bytes",
				     a->name, 256u << 20);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, rowid);
	bind_text(st, 2, a->namespace);
	sqlite3_bind_text(st, 3, w->name.ptr, (int)w->name.len, SQLITE_STATIC);
	bind_text(st, 4, a->name);
	sqlite3_bind_int(st, 5, (int)a->scheme);
	bind_text(st, 6, a->ranges && *a->ranges ? a->ranges : NULL);
	sqlite3_bind_text(st, 7, w->text.ptr, (int)w->text.len, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, w->text2.ptr, (int)w->text2.len,
			  SQLITE_STATIC);
	sqlite3_bind_int(st, 9, (int)a->fix_state);
	sqlite3_bind_int(st, 10, (int)a->severity);
	bind_text(st, 11, a->fix_date);
	bind_text(st, 12, a->qualifier);
	return run(w, WST_INS_AFF, "affected", s->ctx);
}

static int put_affected(struct vulndb_sink *s, int64_t vuln,
			const struct customs_vuln_record *r)
{
	int64_t seq = 0;
	size_t k;
	int rc = 0;

	for (k = 0; !rc && k < r->n_affected; k++) {
		const struct customs_vuln_affected *a = &r->affected[k];

		if (!a->namespace || !a->name ||
		    ((!a->ranges || !*a->ranges) && !a->n_versions))
			continue;
		if (seq > VULNDB_MAX_CHILDREN)
			return customs_error(s->ctx, CUSTOMS_ELIMIT,
					     "vulndb: %s: more than %d "
					     "affected packages",
					     r->id, VULNDB_MAX_CHILDREN);
		rc = put_one_affected(s, (vuln << VULNDB_ROW_BITS) | seq++, a);
	}
	return rc;
}

static char lc(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/*
 * "cpe:2.3:a:VENDOR:PRODUCT:..." -> "vendor\0product" in b, lower case
 * and unescaped; *split is the offset of the NUL (0: not a CPE 2.3).
 */
static void cpe_parts(struct cbuf *b, const char *criteria, size_t *split)
{
	const char *p = criteria;
	int field = 0;
	char c;

	cbuf_reset(b);
	*split = 0;
	for (; *p && field < 5; p++) {
		c = *p;
		if (c == '\\' && p[1]) {
			c = *++p;
		} else if (c == ':') {
			if (++field == 4) {
				*split = b->len;
				cbuf_putc(b, 0);
			}
			continue;
		}
		if (field >= 3)
			cbuf_putc(b, lc(c));
	}
	if (field < 4)
		*split = 0;
}

static int put_cpes(struct vulndb_sink *s, int64_t vuln,
		    const struct customs_vuln_record *r)
{
	struct customs_vulndb_writer *w = s->w;
	sqlite3_stmt *st = w->st[WST_INS_CPE];
	size_t k, split;
	int rc = 0;

	for (k = 0; !rc && k < r->n_cpes && k <= VULNDB_MAX_CHILDREN; k++) {
		const struct customs_vuln_cpe *c = &r->cpes[k];

		if (!c->criteria)
			continue;
		cpe_parts(&w->name, c->criteria, &split);
		if (cbuf_error(&w->name) || !split)
			continue;
		sqlite3_bind_int64(st, 1,
				   (vuln << VULNDB_ROW_BITS) | (int64_t)k);
		sqlite3_bind_text(st, 2, w->name.ptr, (int)split,
				  SQLITE_STATIC);
		sqlite3_bind_text(st, 3, w->name.ptr + split + 1,
				  (int)(w->name.len - split - 1),
				  SQLITE_STATIC);
		bind_text(st, 4, c->criteria);
		bind_text(st, 5, c->start_including);
		bind_text(st, 6, c->start_excluding);
		bind_text(st, 7, c->end_including);
		bind_text(st, 8, c->end_excluding);
		sqlite3_bind_int(st, 9, c->vulnerable);
		sqlite3_bind_int(st, 10, c->config);
		rc = run(w, WST_INS_CPE, "cpes", s->ctx);
	}
	return rc;
}

static int sink_record(void *arg, const struct customs_vuln_record *r)
{
	struct vulndb_sink *s = arg;
	int64_t vuln;
	bool skip;
	int rc;

	if (!r->id || !*r->id)
		return 0;
	if ((rc = ensure_begun(s)) || (rc = find_vuln(s, r, &vuln, &skip)))
		return rc;
	s->n++;
	if (skip) {
		s->w->unchanged++;
		return 0;
	}
	rc = put_vuln(s, vuln, r);
	if (!rc)
		rc = put_strings(s, WST_INS_ALIAS, vuln, r->aliases,
				 r->n_aliases);
	if (!rc)
		rc = put_strings(s, WST_INS_CWE, vuln, r->cwes, r->n_cwes);
	if (!rc)
		rc = put_cvss(s, vuln, r);
	if (!rc)
		rc = put_affected(s, vuln, r);
	if (!rc)
		rc = put_cpes(s, vuln, r);
	s->w->written += !rc;
	return rc;
}

static int sink_kev(void *arg, const struct customs_vuln_kev *k)
{
	struct vulndb_sink *s = arg;
	sqlite3_stmt *st = s->w->st[WST_INS_KEV];
	int rc;

	if (!k->cve || (rc = ensure_begun(s)))
		return k->cve ? rc : 0;
	bind_text(st, 1, k->cve);
	sqlite3_bind_int64(st, 2, s->source_id);
	bind_text(st, 3, k->vendor);
	bind_text(st, 4, k->product);
	bind_text(st, 5, k->name);
	bind_text(st, 6, k->date_added);
	bind_text(st, 7, k->due_date);
	bind_text(st, 8, k->required_action);
	sqlite3_bind_int(st, 9, k->ransomware);
	rc = run(s->w, WST_INS_KEV, "kev", s->ctx);
	s->n += !rc;
	return rc;
}

static int sink_epss(void *arg, const struct customs_vuln_epss *e)
{
	struct vulndb_sink *s = arg;
	sqlite3_stmt *st = s->w->st[WST_INS_EPSS];
	int rc;

	if (!e->cve || (rc = ensure_begun(s)))
		return e->cve ? rc : 0;
	bind_text(st, 1, e->cve);
	sqlite3_bind_int64(st, 2, s->source_id);
	sqlite3_bind_double(st, 3, e->score);
	sqlite3_bind_double(st, 4, e->percentile);
	rc = run(s->w, WST_INS_EPSS, "epss", s->ctx);
	s->n += !rc;
	return rc;
}

static int sink_epss_meta(void *arg, const char *model, const char *date)
{
	struct vulndb_sink *s = arg;
	sqlite3_stmt *st = s->w->st[WST_INS_EPSS_META];
	int rc = ensure_begun(s);

	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, s->source_id);
	bind_text(st, 2, model);
	bind_text(st, 3, date);
	return run(s->w, WST_INS_EPSS_META, "epss", s->ctx);
}

int vulndb_sink_new(struct vulndb_sink **out, struct customs_vuln_sink *sink,
		    struct customs_vulndb_writer *w,
		    const struct customs_vulndb_source *source,
		    const char *fallback, struct customs_ctx *ctx)
{
	struct vulndb_sink *s = customs_calloc(1, sizeof(*s));

	*out = NULL;
	if (!s)
		return CUSTOMS_ENOMEM;
	s->w = w;
	s->src = source;
	s->fallback = fallback ? fallback : "import";
	s->ctx = ctx;
	sink->begin = sink_begin;
	sink->record = sink_record;
	sink->kev = sink_kev;
	sink->epss = sink_epss;
	sink->epss_meta = sink_epss_meta;
	sink->arg = s;
	*out = s;
	return 0;
}

void vulndb_sink_fallback(struct vulndb_sink *s, const char *name)
{
	s->fallback = name;
}

void vulndb_sink_document(struct vulndb_sink *s, const char *doc,
			  const struct feed_warn *warn)
{
	s->doc = doc;
	s->warn = warn;
}

void vulndb_sink_free(struct vulndb_sink *s, uint64_t *n_records)
{
	if (!s)
		return;
	if (n_records)
		*n_records += s->n;
	customs_free(s);
}
