/*
 * The finding set under construction: one finding per (package, vuln id).
 *
 * Rows of one (vulnerability, package) are OR'ed: the first matching row
 * creates the finding, later ones merge into it (fix versions and the
 * row's listed/fixed versions are united, the best match type and the
 * strongest fix state win, found ranges are joined with " || "). Not-
 * affected rows are kept in a separate map, keyed the same way, so the
 * suppression stage can look them up. Warnings are de-duplicated here.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "match/match_int.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/banned.h"

#define KEY_MAX 4096

static int make_key(struct cbuf *b, const struct customs_pkg *pkg,
		    const char *id)
{
	cbuf_printf(b, "%p\x1f%s", (const void *)pkg, id);
	return cbuf_error(b);
}

/* Keep a copy of key in set->keys (map keys must outlive the map). */
static const char *own_key(struct match_set *set, const char *key)
{
	if (customs_strlist_add(&set->keys, key))
		return NULL;
	return set->keys.v[set->keys.n - 1];
}

static bool has_str(const struct customs_strlist *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], s))
			return true;
	return false;
}

/* Append the items of s split at sep (trimmed, empty dropped, no dup). */
static int add_split(struct customs_strlist *l, const char *s, const char *sep)
{
	struct cbuf item = CBUF_INIT(CUSTOMS_VERSION_MAX_LEN * 4);
	size_t seplen = strlen(sep);
	int rc = 0;

	while (s && *s && !rc) {
		const char *end = strstr(s, sep);
		size_t n = end ? (size_t)(end - s) : strlen(s);

		cbuf_reset(&item);
		while (n && *s == ' ') {
			s++;
			n--;
		}
		while (n && s[n - 1] == ' ')
			n--;
		cbuf_put(&item, s, n);
		rc = cbuf_error(&item);
		if (!rc && item.len && !has_str(l, item.ptr))
			rc = customs_strlist_add(l, item.ptr);
		s = end ? end + seplen : NULL;
	}
	cbuf_release(&item);
	return rc;
}

static int setz(char **dst, const char *s)
{
	if (!s)
		return 0;
	*dst = customs_strdup(s);
	return *dst ? 0 : CUSTOMS_ENOMEM;
}

static int fill_new(struct customs_finding *f, const struct match_search *s,
		    const struct customs_vulndb_hit *hit)
{
	int rc = 0;

	f->pkg = s->pkg;
	f->vuln.severity = hit->severity; /* the row's; finish.c decides */
	f->fix_state = hit->fix_state;
	f->match_type = s->type;
	rc |= setz(&f->vuln.id, hit->vuln_id);
	rc |= setz(&f->vuln.namespace, hit->namespace);
	rc |= setz(&f->fix_date, hit->fix_date);
	rc |= setz(&f->matcher, s->matcher);
	rc |= setz(&f->searched_namespace, s->ns);
	rc |= setz(&f->searched_name, s->name);
	rc |= setz(&f->searched_version, s->version);
	if (hit->ranges && *hit->ranges)
		rc |= setz(&f->found_ranges, hit->ranges);
	if (rc)
		return CUSTOMS_ENOMEM;
	rc = add_split(&f->found_versions, hit->versions, "\n");
	if (!rc)
		rc = add_split(&f->found_fixed, hit->fixed, ", ");
	if (!rc)
		rc = add_split(&f->fix_versions, hit->fixed, ", ");
	return rc;
}

/* Rank of a fix state when rows disagree: a known fix wins. */
static int state_rank(enum customs_fix_state s)
{
	switch (s) {
	case CUSTOMS_FIX_FIXED:
		return 4;
	case CUSTOMS_FIX_NOT_FIXED:
		return 3;
	case CUSTOMS_FIX_WONT_FIX:
		return 2;
	case CUSTOMS_FIX_UNKNOWN:
		return 1;
	default:
		return 0;
	}
}

static int join_ranges(struct customs_finding *f, const char *ranges)
{
	struct cbuf b = CBUF_INIT(1 << 20);

	if (!ranges || !*ranges ||
	    (f->found_ranges && !strcmp(f->found_ranges, ranges)))
		return 0;
	if (f->found_ranges)
		cbuf_printf(&b, "%s || %s", f->found_ranges, ranges);
	else
		cbuf_puts(&b, ranges);
	if (cbuf_error(&b)) {
		cbuf_release(&b);
		return 0; /* over-long: keep what we have */
	}
	customs_free(f->found_ranges);
	f->found_ranges = cbuf_detach(&b);
	return f->found_ranges ? 0 : CUSTOMS_ENOMEM;
}

static int merge(struct customs_finding *f, const struct match_search *s,
		 const struct customs_vulndb_hit *hit)
{
	int rc;

	if (hit->severity > f->vuln.severity)
		f->vuln.severity = hit->severity;
	if (state_rank(hit->fix_state) > state_rank(f->fix_state))
		f->fix_state = hit->fix_state;
	if (!f->fix_date && hit->fix_date && setz(&f->fix_date, hit->fix_date))
		return CUSTOMS_ENOMEM;
	if (s->type < f->match_type) {
		/* a better match: report its search */
		f->match_type = s->type;
		customs_free(f->searched_name);
		customs_free(f->searched_version);
		f->searched_name = f->searched_version = NULL;
		if (setz(&f->searched_name, s->name) ||
		    setz(&f->searched_version, s->version))
			return CUSTOMS_ENOMEM;
	}
	rc = join_ranges(f, hit->ranges);
	if (!rc)
		rc = add_split(&f->found_versions, hit->versions, "\n");
	if (!rc)
		rc = add_split(&f->found_fixed, hit->fixed, ", ");
	if (!rc)
		rc = add_split(&f->fix_versions, hit->fixed, ", ");
	return rc;
}

int match_set_add(struct match_set *set, const struct match_search *s,
		  const struct customs_vulndb_hit *hit)
{
	struct cbuf key = CBUF_INIT(KEY_MAX);
	const char *owned;
	uintptr_t at;
	int rc = make_key(&key, s->pkg, hit->vuln_id);

	if (rc)
		goto out;
	at = (uintptr_t)strmap_get(&set->index, key.ptr);
	if (at) {
		rc = merge(&set->v[at - 1], s, hit);
		goto out;
	}
	rc = CUSTOMS_ENOMEM;
	if (CUSTOMS_GROW(set->v, set->cap, set->n + 1))
		goto out;
	memset(&set->v[set->n], 0, sizeof(set->v[0]));
	set->n++;
	rc = fill_new(&set->v[set->n - 1], s, hit);
	owned = rc ? NULL : own_key(set, key.ptr);
	if (!rc && (!owned ||
		    strmap_put(&set->index, owned, (void *)(uintptr_t)set->n)))
		rc = CUSTOMS_ENOMEM;
out:
	cbuf_release(&key);
	return rc;
}

int match_set_not_affected(struct match_set *set, const struct customs_pkg *pkg,
			   const char *id, const char *ns)
{
	struct cbuf key = CBUF_INIT(KEY_MAX);
	const char *owned, *nsown;
	int rc = make_key(&key, pkg, id);

	if (!rc && strmap_get(&set->not_affected, key.ptr))
		goto out;
	rc = rc ? rc : CUSTOMS_ENOMEM;
	owned = own_key(set, key.ptr);
	nsown = owned ? own_key(set, ns ? ns : "") : NULL;
	if (nsown && !strmap_put(&set->not_affected, owned, (void *)nsown))
		rc = 0;
out:
	cbuf_release(&key);
	return rc;
}

const char *match_set_is_not_affected(const struct match_set *set,
				      const struct customs_pkg *pkg,
				      const char *id)
{
	struct cbuf key = CBUF_INIT(KEY_MAX);
	const char *ns = NULL;

	if (!make_key(&key, pkg, id))
		ns = strmap_get(&set->not_affected, key.ptr);
	cbuf_release(&key);
	return ns;
}

int match_set_warn(struct match_set *set, const char *fmt, ...)
{
	struct cbuf b = CBUF_INIT(4096);
	const char *owned;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	cbuf_vprintf(&b, fmt, ap);
	va_end(ap);
	rc = cbuf_error(&b);
	if (rc == CUSTOMS_ELIMIT)
		rc = 0; /* a truncated warning is still worth giving */
	if (rc || strmap_get(&set->warned, b.ptr))
		goto out;
	rc = CUSTOMS_ENOMEM;
	owned = own_key(set, b.ptr);
	if (owned && !strmap_put(&set->warned, owned, (void *)owned))
		rc = customs_strlist_add(&set->warnings, b.ptr);
out:
	cbuf_release(&b);
	return rc;
}

void match_finding_release(struct customs_finding *f)
{
	struct customs_finding_vuln *v = &f->vuln;
	size_t i;

	customs_free(v->id);
	customs_free(v->namespace);
	customs_free(v->link);
	customs_free(v->description);
	customs_free(v->published);
	customs_strlist_release(&v->aliases);
	for (i = 0; i < v->n_cvss; i++) {
		customs_free((char *)v->cvss[i].version);
		customs_free((char *)v->cvss[i].vector);
		customs_free((char *)v->cvss[i].source);
	}
	customs_free(v->cvss);
	customs_strlist_release(&v->cwes);
	customs_free(v->kev_date_added);
	customs_free(v->kev_due_date);
	customs_strlist_release(&f->fix_versions);
	customs_free(f->fix_date);
	customs_free(f->matcher);
	customs_free(f->searched_namespace);
	customs_free(f->searched_name);
	customs_free(f->searched_version);
	customs_free(f->found_ranges);
	customs_strlist_release(&f->found_versions);
	customs_strlist_release(&f->found_fixed);
	for (i = 0; i < f->n_suppressions; i++)
		customs_free(f->suppressions[i].reason);
	customs_free(f->suppressions);
	memset(f, 0, sizeof(*f));
}

int match_finding_suppress(struct customs_finding *f,
			   enum customs_suppress_kind kind, const char *reason)
{
	struct customs_suppression *v;
	char *copy = customs_strdup(reason);

	if (!copy)
		return CUSTOMS_ENOMEM;
	v = customs_reallocarray(f->suppressions, f->n_suppressions + 1,
				 sizeof(*v));
	if (!v) {
		customs_free(copy);
		return CUSTOMS_ENOMEM;
	}
	f->suppressions = v;
	v[f->n_suppressions].kind = kind;
	v[f->n_suppressions++].reason = copy;
	f->ignored = true;
	return 0;
}

void match_set_release(struct match_set *set)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		match_finding_release(&set->v[i]);
	customs_free(set->v);
	strmap_release(&set->index);
	strmap_release(&set->not_affected);
	strmap_release(&set->warned);
	customs_strlist_release(&set->keys);
	customs_strlist_release(&set->warnings);
	memset(set, 0, sizeof(*set));
}
