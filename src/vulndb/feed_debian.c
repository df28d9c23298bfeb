/*
 * Debian security tracker JSON (https://security-tracker.debian.org/
 * tracker/data/json): {source: {id: {description, releases: {codename:
 * {status, fixed_version, urgency, nodsa, nodsa_reason}}}}}.
 *
 * The document is keyed by source package, the database by advisory, so
 * the parser collects one (id, package, entry) triple per pair, sorts them
 * by id (ties keep document order) and hands the sink one record per id
 * with one affected row per (package, release). The triples point into
 * the jansson tree: no string is copied except the "< V" ranges, built in
 * a pool reused from record to record. Status mapping (see
 * docs/internals/vulndb.md, "Debian tracker"): resolved V -> "< V" fixed,
 * resolved "0" -> not-affected, open -> not-fixed or wont-fix (no-dsa,
 * postponed, ignored, end-of-life), undetermined -> unknown. The whole
 * tracker is one snapshot of the source "debian".
 */
#include <stdlib.h>
#include <string.h>

#include "vulndb/feed_int.h"
#include "vulndb/feed_help.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/banned.h"

/* (package, id) pairs of one document; the real tracker has ~10^6 */
#define DEB_MAX_PAIRS ((size_t)20 << 20)
/* codenames warned about once each */
#define DEB_MAX_WARNED 32

struct pair {
	const char *id;
	const char *pkg;
	const json_t *entry;
	size_t seq;
};

struct deb {
	const char *name;
	const struct customs_vuln_sink *sink;
	const struct feed_warn *warn;
	struct customs_ctx *ctx;
	struct pair *pairs;
	size_t n_pairs, cap_pairs;
	struct customs_vuln_affected *rows;
	size_t *range_off; /* per row: offset in pool, or SIZE_MAX for "*" */
	const char **fixv; /* per row: the fixed version, or NULL */
	size_t cap_rows, cap_roff, cap_fixv;
	struct cbuf pool;
	const char *warned[DEB_MAX_WARNED];
	size_t n_warned;
};

static const struct {
	const char *codename, *ns;
} codenames[] = {
	{ "jessie", "debian:8" },     { "stretch", "debian:9" },
	{ "buster", "debian:10" },    { "bullseye", "debian:11" },
	{ "bookworm", "debian:12" },  { "trixie", "debian:13" },
	{ "forky", "debian:14" },     { "duke", "debian:15" },
	{ "sid", "debian:unstable" },
};

static const char *codename_ns(const char *codename)
{
	size_t i;

	for (i = 0; i < sizeof(codenames) / sizeof(codenames[0]); i++) {
		if (!strcmp(codenames[i].codename, codename))
			return codenames[i].ns;
	}
	return NULL;
}

static void warn_codename(struct deb *d, const char *codename, const char *id)
{
	size_t i;

	for (i = 0; i < d->n_warned; i++) {
		if (!strcmp(d->warned[i], codename))
			return;
	}
	if (d->n_warned < DEB_MAX_WARNED)
		d->warned[d->n_warned++] = codename;
	feed_warnf(d->warn, "%s: %s: unknown release \"%s\" skipped", d->name,
		   id, codename);
}

static int cmp_pair(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	if (c)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int collect(struct deb *d, const json_t *root)
{
	const char *pkg, *id;
	json_t *cves, *entry;

	json_object_foreach((json_t *)root, pkg, cves)
	{
		if (!json_is_object(cves)) {
			feed_warnf(d->warn, "%s: package \"%s\": not an object",
				   d->name, pkg);
			continue;
		}
		json_object_foreach(cves, id, entry)
		{
			if (!json_is_object(entry) || !*id) {
				feed_warnf(d->warn,
					   "%s: %s: \"%s\": not an object",
					   d->name, pkg, id);
				continue;
			}
			if (d->n_pairs >= DEB_MAX_PAIRS)
				return customs_error(
					d->ctx, CUSTOMS_ELIMIT,
					"%s: more than %zu (package, id) pairs",
					d->name, DEB_MAX_PAIRS);
			if (CUSTOMS_GROW(d->pairs, d->cap_pairs,
					 d->n_pairs + 1))
				return CUSTOMS_ENOMEM;
			d->pairs[d->n_pairs] =
				(struct pair){ id, pkg, entry, d->n_pairs };
			d->n_pairs++;
		}
	}
	return 0;
}

/* The fix state of an open entry: the tracker's reasons not to fix. */
static enum customs_fix_state open_state(const json_t *rel, const char *urg)
{
	if (json_object_get(rel, "nodsa") ||
	    json_object_get(rel, "nodsa_reason"))
		return CUSTOMS_FIX_WONT_FIX;
	if (urg && !strncmp(urg, "end-of-life", 11))
		return CUSTOMS_FIX_WONT_FIX;
	return CUSTOMS_FIX_NOT_FIXED;
}

/*
 * Fill row (namespace and name already set) from one release entry; the
 * range and the fixed version are left in *off and *fix until the rows
 * stop moving. 1: the entry is skipped.
 */
static int fill_row(struct deb *d, const struct pair *p, const json_t *rel,
		    struct customs_vuln_affected *row, size_t *off,
		    const char **fix)
{
	const char *status = feedh_str(rel, "status");
	const char *fixed = feedh_str(rel, "fixed_version");
	const char *urg = feedh_str(rel, "urgency");
	bool known;

	row->severity = feedh_severity(urg, &known);
	if (!known)
		feed_warnf(d->warn, "%s: %s: %s: unknown urgency \"%s\"",
			   d->name, p->id, p->pkg, urg);
	*off = SIZE_MAX;
	*fix = NULL;
	if (!status) {
		status = "";
	} else if (!strcmp(status, "resolved") && fixed && strcmp(fixed, "0")) {
		row->fix_state = CUSTOMS_FIX_FIXED;
		*off = feedh_pool_add(&d->pool, "< ", fixed);
		*fix = fixed;
		return 0;
	} else if (!strcmp(status, "resolved") && fixed) {
		row->fix_state = CUSTOMS_FIX_NOT_AFFECTED;
		return 0;
	} else if (!strcmp(status, "open")) {
		row->fix_state = open_state(rel, urg);
		return 0;
	} else if (!strcmp(status, "undetermined")) {
		row->fix_state = CUSTOMS_FIX_UNKNOWN;
		return 0;
	}
	feed_warnf(d->warn, "%s: %s: %s: bad status \"%s\" skipped", d->name,
		   p->id, p->pkg, status);
	return 1;
}

static int grow_rows(struct deb *d, size_t need)
{
	if (CUSTOMS_GROW(d->rows, d->cap_rows, need) ||
	    CUSTOMS_GROW(d->range_off, d->cap_roff, need) ||
	    CUSTOMS_GROW(d->fixv, d->cap_fixv, need))
		return CUSTOMS_ENOMEM;
	return 0;
}

/* Add the rows of one (package, id) entry: one per known release. */
static int add_rows(struct deb *d, const struct pair *p, size_t *n)
{
	const json_t *rels = json_object_get(p->entry, "releases");
	const char *codename, *ns;
	json_t *rel;
	int rc;

	if (json_is_array(rels) && json_array_size(rels) == 0)
		return 0;
	if (!json_is_object(rels)) {
		feed_warnf(d->warn, "%s: %s: %s: no \"releases\" object",
			   d->name, p->id, p->pkg);
		return 0;
	}
	json_object_foreach((json_t *)rels, codename, rel)
	{
		if (!(ns = codename_ns(codename))) {
			warn_codename(d, codename, p->id);
			continue;
		}
		if (!json_is_object(rel))
			continue;
		if ((rc = grow_rows(d, *n + 1)))
			return rc;
		d->rows[*n] = (struct customs_vuln_affected){
			.namespace = ns,
			.name = p->pkg,
			.scheme = CUSTOMS_VERSION_DPKG,
		};
		if (!fill_row(d, p, rel, &d->rows[*n], &d->range_off[*n],
			      &d->fixv[*n]))
			(*n)++;
	}
	return 0;
}

/* Hand the sink the record of pairs [lo, hi), all of one id. */
static int emit(struct deb *d, size_t lo, size_t hi)
{
	struct customs_vuln_record rec = { .id = d->pairs[lo].id };
	size_t i, n = 0;
	int rc;

	cbuf_reset(&d->pool);
	for (i = lo; i < hi; i++) {
		if (!rec.description)
			rec.description =
				feedh_str(d->pairs[i].entry, "description");
		if ((rc = add_rows(d, &d->pairs[i], &n)))
			return rc;
	}
	if ((rc = cbuf_error(&d->pool)))
		return customs_error(d->ctx, rc, "%s: %s: too many ranges",
				     d->name, rec.id);
	for (i = 0; i < n; i++) {
		struct customs_vuln_affected *r = &d->rows[i];

		r->ranges = d->range_off[i] == SIZE_MAX
				    ? "*"
				    : feedh_pool_at(&d->pool, d->range_off[i]);
		r->fixed = d->fixv[i] ? &d->fixv[i] : NULL;
		r->n_fixed = d->fixv[i] ? 1 : 0;
		if (r->severity > rec.severity)
			rec.severity = r->severity;
	}
	rec.affected = d->rows;
	rec.n_affected = n;
	return d->sink->record(d->sink->arg, &rec);
}

static int run(struct deb *d, const json_t *root)
{
	size_t lo = 0, hi;
	int rc;

	if ((rc = collect(d, root)))
		return rc;
	/*
	 * Members but no (package, id) entry: some other JSON document.
	 * Refused before begin(), which would empty the source.
	 */
	if (!d->n_pairs && json_object_size(root))
		return customs_error(d->ctx, CUSTOMS_EFORMAT,
				     "%s: not a Debian tracker document (no "
				     "package has an advisory object)",
				     d->name);
	if ((rc = d->sink->begin(d->sink->arg, "debian", true)))
		return rc;
	if (d->n_pairs)
		qsort(d->pairs, d->n_pairs, sizeof(*d->pairs), cmp_pair);
	while (lo < d->n_pairs) {
		for (hi = lo + 1; hi < d->n_pairs &&
				  !strcmp(d->pairs[hi].id, d->pairs[lo].id);
		     hi++)
			;
		if ((rc = emit(d, lo, hi)))
			return rc;
		lo = hi;
	}
	return 0;
}

int feed_debian_parse(const char *data, size_t len, const char *name,
		      const struct customs_vuln_sink *sink,
		      const struct feed_warn *warn, struct customs_ctx *ctx)
{
	struct deb d = { .name = name, .sink = sink, .warn = warn, .ctx = ctx };
	json_t *root = NULL;
	int rc;

	cbuf_init(&d.pool, FEEDH_POOL_MAX);
	if ((rc = feedh_load_json(&root, data, len, 0, NULL, name, ctx)))
		goto out;
	if (!json_is_object(root)) {
		rc = customs_error(ctx, CUSTOMS_EFORMAT,
				   "%s: not a Debian tracker document (not an "
				   "object)",
				   name);
		goto out;
	}
	rc = run(&d, root);
out:
	json_decref(root);
	customs_free(d.pairs);
	customs_free(d.rows);
	customs_free(d.range_off);
	customs_free(d.fixv);
	cbuf_release(&d.pool);
	return rc;
}

/*
 * {"<package>": {"CVE-..." or "TEMP-...": {: the first two keys of the
 * tracker document. OSV and NVD documents never nest an id key there.
 */
bool feed_debian_detect(const char *head, size_t len, const char *name)
{
	const char *p = head, *end = head + len;
	int i;

	(void)name;
	for (i = 0; i < 2; i++) {
		p = feedh_skip_ws(p, end);
		if (p >= end || *p++ != '{')
			return false;
		p = feedh_skip_ws(p, end);
		if (p >= end || *p != '"')
			return false;
		if (i == 1)
			break;
		p = memchr(p + 1, '"', (size_t)(end - p - 1));
		if (!p)
			return false;
		p = feedh_skip_ws(p + 1, end);
		if (p >= end || *p++ != ':')
			return false;
	}
	p++;
	return (end - p >= 4 && !memcmp(p, "CVE-", 4)) ||
	       (end - p >= 5 && !memcmp(p, "TEMP-", 5));
}
