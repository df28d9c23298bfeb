/*
 * The licenses, npms and ruby_gems gates (Anchore §2.4, §2.7, §2.8).
 * Licences: every package's licence strings split on whitespace, each
 * token a licence ("GPLv2+ and LGPLv2+" gives three, "and" among them);
 * one row listing every pkg(licence) hit. npms / ruby_gems: the feed
 * comparisons never fire (no feed in Engine 1.x, none here) and
 * feed_data_unavailable always fires, packages or not.
 */
#include <string.h>

#include "policy/policy_int.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/banned.h"

struct lic {
	struct ectx *e;
	const char *pkg;
	struct cslice tok;
	bool partial;
	size_t hits;
};

static int lic_item(void *data, const char *item, size_t n)
{
	struct lic *l = data;
	bool hit;

	if (l->partial)
		hit = n <= l->tok.n && memmem(l->tok.p, l->tok.n, item, n);
	else
		hit = n == l->tok.n && !memcmp(item, l->tok.p, n);
	if (!hit)
		return 0;
	cbuf_printf(&l->e->msg, "%s%s(%.*s)", l->hits++ ? ", " : "", l->pkg,
		    (int)l->tok.n, l->tok.p);
	return l->partial ? 0 : 1; /* exact: one entry per token */
}

static void lic_tokens(struct lic *l, const char *list, const char *s)
{
	const char *p = s;

	while (*p) {
		const char *a;

		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		a = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' &&
		       *p != '\r')
			p++;
		if (p == a)
			continue;
		l->tok = cslice_make(a, (size_t)(p - a));
		csv_each(list, lic_item, l);
	}
}

static int licenses_fire(struct ectx *e, const struct prule *r, bool partial)
{
	struct lic l = { e, NULL, { NULL, 0 }, partial, 0 };
	const json_t *p, *ls, *v;
	size_t i, k;

	msgf(e, "%s Packages are installed that have blacklisted licenses: ",
	     partial ? "LICSUBMATCH" : "LICFULLMATCH");
	json_array_foreach(e->an->packages, i, p)
	{
		l.pkg = jstr(p, "name");
		ls = json_object_get(p, "licenses");
		if (!l.pkg)
			continue;
		json_array_foreach(ls, k, v)
		{
			if (json_is_string(v))
				lic_tokens(&l, P(r, 0), json_string_value(v));
		}
	}
	return l.hits ? emit(e, NULL) : 0;
}

static int fire_lic_exact(struct ectx *e, const struct prule *r)
{
	return licenses_fire(e, r, false);
}

static int fire_lic_partial(struct ectx *e, const struct prule *r)
{
	return licenses_fire(e, r, true);
}

static const struct pspec p_lic[] = {
	{ "licenses", NULL, true, V_CSV, NULL,
	  "List of license names to blacklist exactly.",
	  "GPLv2+,GPL-3+,BSD-2-clause" },
};
static const struct pspec p_lic_sub[] = {
	{ "licenses", NULL, true, V_CSV, NULL,
	  "List of strings to do substring match for blacklist.", "LGPL,BSD" },
};

static const struct tspec t_lic[] = {
	{ "blacklist_exact_match",
	  "Triggers if the evaluated image has a package installed with "
	  "software distributed under the specified (exact match) license(s).",
	  p_lic, 1, fire_lic_exact },
	{ "blacklist_partial_match",
	  "triggers if the evaluated image has a package installed with "
	  "software distributed under the specified (substring match) "
	  "license(s)",
	  p_lic_sub, 1, fire_lic_partial },
};

const struct gspec gate_licenses = {
	"licenses",
	"License checks against found software licenses in the "
	"container image",
	GS_ACTIVE,
	NULL,
	t_lic,
	2,
	NULL,
	false,
};

/* npms and ruby_gems */

static int lang_blacklist(struct ectx *e, const struct prule *r,
			  const char *type, const char *label)
{
	const json_t *p;
	bool named = false, hit = false;
	size_t i;

	json_array_foreach(e->an->packages, i, p)
	{
		const char *n = jstr(p, "name"), *t = jstr(p, "type");
		const char *v = jstr(p, "version");

		if (!n || !t || strcmp(t, type) || strcmp(n, P(r, 0)))
			continue;
		named = true;
		if (P(r, 1) && v && !strcmp(v, P(r, 1)))
			hit = true;
	}
	if (!named || (P(r, 1) && !hit))
		return 0;
	if (P(r, 1))
		msgf(e, "%s is blacklisted: %s-%s", label, P(r, 0), P(r, 1));
	else
		msgf(e, "%s is blacklisted: %s", label, P(r, 0));
	return emit(e, NULL);
}

static int never(struct ectx *e, const struct prule *r)
{
	(void)e;
	(void)r;
	return 0;
}

static int fire_npm_bl(struct ectx *e, const struct prule *r)
{
	return lang_blacklist(e, r, "npm", "NPM Package");
}

static int fire_gem_bl(struct ectx *e, const struct prule *r)
{
	return lang_blacklist(e, r, "gem", "Gem Package");
}

static int fire_npm_nofeed(struct ectx *e, const struct prule *r)
{
	(void)r;
	msgf(e, "NPM packages are present but the anchore npm feed is not "
		"available - will be unable to perform checks that require "
		"feed data");
	return emit(e, NULL);
}

static int fire_gem_nofeed(struct ectx *e, const struct prule *r)
{
	(void)r;
	msgf(e, "Gem packages are present but the anchore gem feed is not "
		"available - will be unable to perform checks that require "
		"feed data");
	return emit(e, NULL);
}

static const struct pspec p_npm_bl[] = {
	{ "name", NULL, true, V_STR, NULL, "Npm package name to blacklist.",
	  "time_diff" },
	{ "version", NULL, false, V_STR, NULL,
	  "Npm package version to blacklist specifically.", "0.2.9" },
};
static const struct pspec p_gem_bl[] = {
	{ "name", NULL, true, V_STR, NULL, "Gem name to blacklist.",
	  "time_diff" },
	{ "version", NULL, false, V_STR, NULL,
	  "Optional version to blacklist specifically.", "0.2.9" },
};

static const struct tspec t_npms[] = {
	{ "newer_version_in_feed",
	  "Triggers if an installed NPM is not the latest version according "
	  "to NPM data feed.",
	  NULL, 0, never },
	{ "unknown_in_feeds",
	  "Triggers if an installed NPM is not in the official NPM database, "
	  "according to NPM data feed.",
	  NULL, 0, never },
	{ "version_not_in_feeds",
	  "Triggers if an installed NPM version is not listed in the official "
	  "NPM feed as a valid version.",
	  NULL, 0, never },
	{ "blacklisted_name_version",
	  "Triggers if the evaluated image has an NPM package installed that "
	  "matches the name and optionally a version specified in the "
	  "parameters.",
	  p_npm_bl, 2, fire_npm_bl },
	{ "feed_data_unavailable",
	  "Triggers if the engine does not have access to the NPM data feed.",
	  NULL, 0, fire_npm_nofeed },
};

const struct gspec gate_npms = {
	"npms", "NPM Checks", GS_ACTIVE, NULL, t_npms, 5, NULL, false,
};

static const struct tspec t_gems[] = {
	{ "newer_version_found_in_feed",
	  "Triggers if an installed GEM is not the latest version according "
	  "to GEM data feed.",
	  NULL, 0, never },
	{ "not_found_in_feed",
	  "Triggers if an installed GEM is not in the official GEM database, "
	  "according to GEM data feed.",
	  NULL, 0, never },
	{ "version_not_found_in_feed",
	  "Triggers if an installed GEM version is not listed in the "
	  "official GEM feed as a valid version.",
	  NULL, 0, never },
	{ "blacklist",
	  "Triggers if the evaluated image has an GEM package installed that "
	  "matches one in the list given as a param (package_name|vers).",
	  p_gem_bl, 2, fire_gem_bl },
	{ "feed_data_unavailable",
	  "Triggers if the engine does not have access to the GEM data feed.",
	  NULL, 0, fire_gem_nofeed },
};

const struct gspec gate_ruby_gems = {
	"ruby_gems", "Ruby Gem Checks", GS_ACTIVE, NULL, t_gems, 5, NULL, false,
};
