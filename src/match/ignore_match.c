/*
 * Applying ignore rules to a finding: every field a rule sets must match
 * (AND). Vulnerability ids match the finding's id or any alias; package
 * locations match a glob in which "*" and "?" stay within one path
 * segment and "**" crosses segments. Paths are compared with a leading
 * "/" as users write them. An expired rule (expires before today)
 * suppresses nothing and is reported once as a warning.
 */
#include <stdio.h>
#include <string.h>

#include "match/ignore_int.h"
#include "util/buf.h"
#include "util/banned.h"

/* Iterative glob with one backtrack point per star kind; linear enough
 * for the short patterns rules use (both are bounded in length). */
static bool glob_at(const char *g, const char *p, const char *begin, int depth)
{
	bool seg;

	if (depth > 64)
		return false;
	for (; *g; g++, p++) {
		if (g[0] == '*' && g[1] == '*') {
			g += 2;
			seg = *g == '/';
			g += seg;
			/* "**" + "/" matches whole segments only */
			for (;; p++) {
				if ((!seg || p == begin || p[-1] == '/') &&
				    glob_at(g, p, begin, depth + 1))
					return true;
				if (!*p)
					return false;
			}
		}
		if (*g == '*') {
			for (;; p++) {
				if (glob_at(g + 1, p, begin, depth + 1))
					return true;
				if (!*p || *p == '/')
					return false;
			}
		}
		if (!*p || (*g == '?' ? *p == '/' : *g != *p))
			return false;
	}
	return *p == '\0';
}

bool match_glob(const char *glob, const char *path)
{
	return glob_at(glob, path, path, 0);
}

static bool id_matches(const struct ignore_rule *r,
		       const struct customs_finding *f)
{
	size_t i;

	if (!strcasecmp(r->vulnerability, f->vuln.id))
		return true;
	for (i = 0; i < f->vuln.aliases.n; i++)
		if (!strcasecmp(r->vulnerability, f->vuln.aliases.v[i]))
			return true;
	return false;
}

static bool location_matches(const char *glob, const struct customs_pkg *p)
{
	char path[4096];
	size_t i;

	for (i = 0; i < p->n_locations; i++) {
		const char *loc = p->locations[i].path;

		if (!loc)
			continue;
		snprintf(path, sizeof(path), "%s%s", loc[0] == '/' ? "" : "/",
			 loc);
		if (match_glob(glob, path) || match_glob(glob, loc))
			return true;
	}
	return false;
}

static bool name_matches(const struct ignore_rule *r, const char *name)
{
	if (!name)
		return false;
	if (r->name_re)
		return !regexec(&r->re, name, 0, NULL, 0);
	return !strcmp(r->name, name);
}

static bool pkg_matches(const struct ignore_rule *r,
			const struct customs_pkg *p)
{
	if (r->name && !name_matches(r, p->name))
		return false;
	if (r->version && (!p->version || strcmp(r->version, p->version)))
		return false;
	if (r->type && strcmp(r->type, customs_pkg_type_name(p->type)))
		return false;
	if (r->upstream &&
	    (!p->source_name || strcmp(r->upstream, p->source_name)))
		return false;
	return !r->location || location_matches(r->location, p);
}

static bool rule_matches(const struct ignore_rule *r,
			 const struct customs_finding *f)
{
	if (r->vulnerability && !id_matches(r, f))
		return false;
	if (r->has_state && r->state != f->fix_state)
		return false;
	if (r->has_mtype && r->mtype != f->match_type)
		return false;
	if (r->ns && (!f->vuln.namespace || strcmp(r->ns, f->vuln.namespace)))
		return false;
	return pkg_matches(r, f->pkg);
}

static int suppress_by(const struct ignore_rule *r, size_t index,
		       struct customs_finding *f)
{
	struct cbuf b = CBUF_INIT(2048);
	int rc;

	if (r->reason && *r->reason)
		cbuf_puts(&b, r->reason);
	else
		cbuf_printf(&b, "ignore rule %zu (line %zu)", index + 1,
			    r->line);
	rc = cbuf_error(&b);
	if (!rc)
		rc = match_finding_suppress(f, CUSTOMS_SUPPRESS_RULE, b.ptr);
	cbuf_release(&b);
	return rc;
}

int ignore_apply(const struct customs_ignore_rules *rules,
		 struct customs_finding *f, const char *today,
		 struct match_set *set)
{
	size_t i;
	int rc = 0;

	for (i = 0; !rc && i < rules->n; i++) {
		const struct ignore_rule *r = &rules->v[i];

		if (!rule_matches(r, f))
			continue;
		if (r->expires && strncmp(r->expires, today, 10) < 0) {
			rc = match_set_warn(set,
					    "ignore rule %zu (line %zu) "
					    "expired on %.10s: not applied",
					    i + 1, r->line, r->expires);
			continue;
		}
		rc = suppress_by(r, i, f);
	}
	return rc;
}
