/*
 * The feeds `customs db update` knows and where they are fetched from.
 *
 * Every feed belongs to a group, the site it comes from; a group has one
 * base URL and each feed is a path under it, so a mirror replaces a prefix
 * and nothing else. The base URL of a group is, first found: the mirror
 * option (BASE/<group>), the environment (CUSTOMS_FEED_<GROUP>_URL), the
 * config file's urls.<group>, the config file's mirror, the built-in URL.
 * Every URL used must be absolute http(s); the rest is refused here, so
 * the HTTP client never sees a file:// or a URL with a space in it.
 * The config file is a small YAML mapping (docs/vulndb.md):
 *   mirror: URL
 *   feeds: a,b          (or a sequence)
 *   urls: {group: URL}
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "util/alloc.h"
#include "util/error.h"
#include "vulndb/update_int.h"
#include "util/banned.h"

static const struct customs_vulndb_feed feeds[] = {
	{ "osv-npm", "osv", "npm/all.zip", CUSTOMS_FEED_OSV, true,
	  "OSV advisories for npm packages" },
	{ "osv-pypi", "osv", "PyPI/all.zip", CUSTOMS_FEED_OSV, true,
	  "OSV advisories for Python packages" },
	{ "osv-go", "osv", "Go/all.zip", CUSTOMS_FEED_OSV, true,
	  "OSV advisories for Go modules" },
	{ "osv-maven", "osv", "Maven/all.zip", CUSTOMS_FEED_OSV, true,
	  "OSV advisories for Maven artifacts" },
	{ "osv-crates.io", "osv", "crates.io/all.zip", CUSTOMS_FEED_OSV, true,
	  "OSV advisories for Rust crates" },
	{ "osv-rubygems", "osv", "RubyGems/all.zip", CUSTOMS_FEED_OSV, true,
	  "OSV advisories for Ruby gems" },
	{ "osv-nuget", "osv", "NuGet/all.zip", CUSTOMS_FEED_OSV, true,
	  "OSV advisories for NuGet packages" },
	{ "osv-packagist", "osv", "Packagist/all.zip", CUSTOMS_FEED_OSV, true,
	  "OSV advisories for PHP Composer packages" },
	{ "osv-almalinux", "osv", "AlmaLinux/all.zip", CUSTOMS_FEED_OSV, true,
	  "OSV errata of AlmaLinux" },
	{ "osv-rocky", "osv", "Rocky%20Linux/all.zip", CUSTOMS_FEED_OSV, true,
	  "OSV errata of Rocky Linux" },
	{ "osv-bitnami", "osv", "Bitnami/all.zip", CUSTOMS_FEED_OSV, true,
	  "OSV advisories for Bitnami images" },
	{ "osv-debian", "osv", "Debian/all.zip", CUSTOMS_FEED_OSV, false,
	  "OSV conversion of Debian DSA/DLA (the tracker is the default)" },
	{ "osv-alpine", "osv", "Alpine/all.zip", CUSTOMS_FEED_OSV, false,
	  "OSV conversion of Alpine secdb (secdb is the default)" },
	{ "debian", "debian", "data/json", CUSTOMS_FEED_DEBIAN, true,
	  "Debian security tracker JSON" },
	{ "alpine", "alpine", "", CUSTOMS_FEED_ALPINE, true,
	  "Alpine secdb, every branch on the index page" },
	{ "wolfi", "wolfi", "security.json", CUSTOMS_FEED_ALPINE, false,
	  "Wolfi secdb (needs its URL configured)" },
	{ "chainguard", "chainguard", "security.json", CUSTOMS_FEED_ALPINE,
	  false, "Chainguard secdb (needs its URL configured)" },
	{ "kev", "kev", "known_exploited_vulnerabilities.json",
	  CUSTOMS_FEED_KEV, true, "CISA Known Exploited Vulnerabilities" },
	{ "epss", "epss", "epss_scores-current.csv.gz", CUSTOMS_FEED_EPSS, true,
	  "FIRST EPSS scores" },
	{ "nvd", "nvd", "", CUSTOMS_FEED_NVD, false,
	  "NVD CVE API 2.0 (slow without NVD_API_KEY)" },
};

static const struct {
	const char *group, *base;
} bases[] = {
	{ "osv", "https://storage.googleapis.com/osv-vulnerabilities" },
	{ "debian", "https://security-tracker.debian.org/tracker" },
	{ "alpine", "https://secdb.alpinelinux.org" },
	/*
	 * Wolfi's and Chainguard's secdb live on their package repository
	 * hosts, which we do not build in: the user names the URL.
	 */
	{ "wolfi", "" },
	{ "chainguard", "" },
	{ "kev", "https://www.cisa.gov/sites/default/files/feeds" },
	{ "epss", "https://epss.cyentia.com" },
	{ "nvd", "https://services.nvd.nist.gov/rest/json/cves/2.0" },
};

#define N_FEEDS (sizeof(feeds) / sizeof(feeds[0]))
#define N_BASES (sizeof(bases) / sizeof(bases[0]))

const struct customs_vulndb_feed *customs_vulndb_feeds(size_t *n)
{
	*n = N_FEEDS;
	return feeds;
}

const char *customs_vulndb_feed_base(const char *group)
{
	size_t i;

	for (i = 0; i < N_BASES; i++) {
		if (!strcmp(bases[i].group, group))
			return bases[i].base;
	}
	return NULL;
}

bool upd_url_ok(const char *url)
{
	const char *p;
	size_t n = strlen(url);

	if (n > UPD_MAX_URL)
		return false;
	if (!strncmp(url, "http://", 7))
		p = url + 7;
	else if (!strncmp(url, "https://", 8))
		p = url + 8;
	else
		return false;
	if (!*p || *p == '/')
		return false;
	for (; *p; p++) {
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return false;
	}
	return true;
}

/* A copy of url without trailing slashes, checked. */
static int take_base(char **out, const char *url, const char *from,
		     struct customs_ctx *ctx)
{
	size_t n = strlen(url);

	if (!upd_url_ok(url))
		return customs_error(ctx, CUSTOMS_EINVAL,
				     "%s: '%s' is not an http(s) URL", from,
				     url);
	while (n > 0 && url[n - 1] == '/')
		n--;
	*out = customs_strndup(url, n);
	return *out ? 0 : CUSTOMS_ENOMEM;
}

int upd_join(char **out, const char *base, const char *path)
{
	struct cbuf b = CBUF_INIT(UPD_MAX_URL * 2);

	cbuf_puts(&b, base);
	if (*path && *path != '/')
		cbuf_putc(&b, '/');
	cbuf_puts(&b, path);
	*out = cbuf_detach(&b);
	return *out ? 0 : CUSTOMS_ENOMEM;
}

/* CUSTOMS_FEED_<GROUP>_URL from the environment, or NULL. */
static const char *env_url(const char *group, char *name, size_t cap)
{
	size_t i, n = 0;
	int w = snprintf(name, cap, "CUSTOMS_FEED_");

	if (w < 0 || (size_t)w >= cap)
		return NULL;
	n = (size_t)w;
	for (i = 0; group[i] && n + 5 < cap; i++, n++) {
		char c = group[i];

		name[n] = isalnum((unsigned char)c) ? (char)toupper(c) : '_';
	}
	memcpy(name + n, "_URL", 5);
	return getenv(name);
}

static const char *cfg_url(const struct upd_config *cfg, const char *group)
{
	size_t i;

	for (i = 0; cfg && i < cfg->urls.n; i++) {
		if (!strcmp(cfg->urls.keys[i], group))
			return cfg->urls.values[i];
	}
	return NULL;
}

/* BASE/<group> of a mirror. */
static int mirror_url(char **out, const char *mirror, const char *group,
		      const char *from, struct customs_ctx *ctx)
{
	char *m = NULL;
	int rc = take_base(&m, mirror, from, ctx);

	if (rc)
		return rc;
	rc = upd_join(out, m, group);
	customs_free(m);
	return rc;
}

int upd_base_url(char **out, const char *group, const char *mirror,
		 const struct upd_config *cfg, struct customs_ctx *ctx)
{
	char name[64];
	const char *v;

	*out = NULL;
	if (!customs_vulndb_feed_base(group))
		return customs_error(ctx, CUSTOMS_EINVAL,
				     "unknown feed group '%s'", group);
	if (mirror)
		return mirror_url(out, mirror, group, "--mirror", ctx);
	if ((v = env_url(group, name, sizeof(name))))
		return take_base(out, v, name, ctx);
	if ((v = cfg_url(cfg, group)))
		return take_base(out, v, "config urls", ctx);
	if (cfg && cfg->mirror)
		return mirror_url(out, cfg->mirror, group, "config mirror",
				  ctx);
	if (!*customs_vulndb_feed_base(group)) {
		env_url(group, name, sizeof(name));
		return customs_error(ctx, CUSTOMS_EINVAL,
				     "feed group '%s' has no built-in URL: set "
				     "%s, urls.%s in --config, or --mirror",
				     group, name, group);
	}
	*out = customs_strdup(customs_vulndb_feed_base(group));
	return *out ? 0 : CUSTOMS_ENOMEM;
}

/* One word of a --feeds list; sel marks its feeds. */
static int select_word(bool *sel, const char *w, size_t n,
		       struct customs_ctx *ctx)
{
	bool all = n == 3 && !memcmp(w, "all", 3);
	bool def = n == 7 && !memcmp(w, "default", 7);
	bool hit = all || def;
	size_t i;

	for (i = 0; i < N_FEEDS; i++) {
		const struct customs_vulndb_feed *f = &feeds[i];
		bool m = all || (def && f->by_default) ||
			 (strlen(f->name) == n && !memcmp(f->name, w, n)) ||
			 (strlen(f->group) == n && !memcmp(f->group, w, n));

		if (m)
			sel[i] = hit = true;
	}
	if (!hit)
		return customs_error(ctx, CUSTOMS_EINVAL,
				     "unknown feed '%.*s' (see `customs db "
				     "update --help`)",
				     (int)(n > 64 ? 64 : n), w);
	return 0;
}

int upd_select(bool *sel, const char *list, struct customs_ctx *ctx)
{
	const char *p = list, *e;
	size_t n, any = 0;
	int rc;

	memset(sel, 0, N_FEEDS * sizeof(*sel));
	while (*p) {
		e = strchr(p, ',');
		n = e ? (size_t)(e - p) : strlen(p);
		while (n && isspace((unsigned char)*p))
			p++, n--;
		while (n && isspace((unsigned char)p[n - 1]))
			n--;
		if (n) {
			rc = select_word(sel, p, n, ctx);
			if (rc)
				return rc;
			any++;
		}
		if (!e)
			break;
		p = e + 1;
	}
	if (!any)
		return customs_error(ctx, CUSTOMS_EINVAL, "empty feed list");
	return 0;
}

/* ---- the config file -------------------------------------------------- */

struct ydoc {
	yaml_document_t doc;
	const char *name;
	struct customs_ctx *ctx;
};

static int yerr(struct ydoc *y, const yaml_node_t *n, const char *what)
{
	return customs_error(
		y->ctx, CUSTOMS_EINVAL, "%s: line %lu: %s", y->name,
		(unsigned long)(n ? n->start_mark.line + 1 : 1), what);
}

/* A scalar node's text, or NULL when it is not a scalar. */
static const char *scalar(const yaml_node_t *n)
{
	if (!n || n->type != YAML_SCALAR_NODE)
		return NULL;
	if (strlen((const char *)n->data.scalar.value) != n->data.scalar.length)
		return NULL; /* an embedded NUL */
	return (const char *)n->data.scalar.value;
}

static int set_str(char **dst, struct ydoc *y, const yaml_node_t *v,
		   const char *key)
{
	const char *s = scalar(v);

	if (!s)
		return yerr(y, v, key);
	customs_free(*dst);
	*dst = customs_strdup(s);
	return *dst ? 0 : CUSTOMS_ENOMEM;
}

/* feeds: "a,b" or [a, b]. */
static int set_feeds(struct upd_config *cfg, struct ydoc *y,
		     const yaml_node_t *v)
{
	struct cbuf b = CBUF_INIT(UPD_MAX_CONFIG);
	yaml_node_item_t *it;
	const char *s;

	if (v->type != YAML_SEQUENCE_NODE)
		return set_str(&cfg->feeds, y, v,
			       "feeds: expected a list of feed names");
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top;
	     it++) {
		s = scalar(yaml_document_get_node(&y->doc, *it));
		if (!s) {
			cbuf_release(&b);
			return yerr(y, v, "feeds: expected feed names");
		}
		if (b.len)
			cbuf_putc(&b, ',');
		cbuf_puts(&b, s);
	}
	customs_free(cfg->feeds);
	cfg->feeds = cbuf_detach(&b);
	return cfg->feeds ? 0 : CUSTOMS_ENOMEM;
}

/* urls: {group: URL}. */
static int set_urls(struct upd_config *cfg, struct ydoc *y,
		    const yaml_node_t *v)
{
	yaml_node_pair_t *p;
	const char *k, *u;

	if (v->type != YAML_MAPPING_NODE)
		return yerr(y, v, "urls: expected a mapping group: URL");
	for (p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top;
	     p++) {
		k = scalar(yaml_document_get_node(&y->doc, p->key));
		u = scalar(yaml_document_get_node(&y->doc, p->value));
		if (!k || !u)
			return yerr(y, v, "urls: expected group: URL");
		if (!customs_vulndb_feed_base(k))
			return customs_error(
				y->ctx, CUSTOMS_EINVAL,
				"%s: line %lu: urls: unknown feed group '%s'",
				y->name, (unsigned long)v->start_mark.line + 1,
				k);
		if (!upd_url_ok(u))
			return customs_error(
				y->ctx, CUSTOMS_EINVAL,
				"%s: urls.%s: '%s' is not an http(s) URL",
				y->name, k, u);
		if (customs_kvlist_add(&cfg->urls, k, u))
			return CUSTOMS_ENOMEM;
	}
	return 0;
}

static int config_root(struct upd_config *cfg, struct ydoc *y)
{
	yaml_node_t *root = yaml_document_get_root_node(&y->doc), *v;
	yaml_node_pair_t *p;
	const char *k;
	int rc = 0;

	if (!root)
		return 0; /* an empty file */
	if (root->type != YAML_MAPPING_NODE)
		return yerr(y, root, "expected a mapping");
	for (p = root->data.mapping.pairs.start;
	     !rc && p < root->data.mapping.pairs.top; p++) {
		k = scalar(yaml_document_get_node(&y->doc, p->key));
		v = yaml_document_get_node(&y->doc, p->value);
		if (!k || !v)
			return yerr(y, root, "expected a mapping");
		if (!strcmp(k, "mirror")) {
			rc = set_str(&cfg->mirror, y, v,
				     "mirror: expected a URL");
			if (!rc && !upd_url_ok(cfg->mirror))
				rc = yerr(y, v, "mirror: not an http(s) URL");
		} else if (!strcmp(k, "feeds")) {
			rc = set_feeds(cfg, y, v);
		} else if (!strcmp(k, "urls")) {
			rc = set_urls(cfg, y, v);
		} else {
			return customs_error(
				y->ctx, CUSTOMS_EINVAL,
				"%s: line %lu: unknown key '%.64s'", y->name,
				(unsigned long)v->start_mark.line + 1, k);
		}
	}
	return rc;
}

int upd_config_parse(struct upd_config *cfg, const char *data, size_t len,
		     const char *name, struct customs_ctx *ctx)
{
	yaml_parser_t parser;
	struct ydoc y = { .name = name, .ctx = ctx };
	int rc;

	if (len > UPD_MAX_CONFIG)
		return customs_error(ctx, CUSTOMS_ELIMIT,
				     "%s: config file larger than %u bytes",
				     name, UPD_MAX_CONFIG);
	if (!yaml_parser_initialize(&parser))
		return CUSTOMS_ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	if (!yaml_parser_load(&parser, &y.doc)) {
		rc = customs_error(
			ctx, CUSTOMS_EINVAL, "%s: line %lu: %s", name,
			(unsigned long)parser.problem_mark.line + 1,
			parser.problem ? parser.problem : "bad YAML");
		yaml_parser_delete(&parser);
		return rc;
	}
	rc = config_root(cfg, &y);
	yaml_document_delete(&y.doc);
	yaml_parser_delete(&parser);
	return rc;
}

int upd_config_load(struct upd_config *cfg, const char *path,
		    struct customs_ctx *ctx)
{
	struct cbuf b = CBUF_INIT(UPD_MAX_CONFIG);
	char chunk[8192];
	size_t n;
	FILE *f = fopen(path, "rb");
	int rc;

	if (!f)
		return customs_error(ctx, CUSTOMS_EIO, "config '%s': %s", path,
				     strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		cbuf_put(&b, chunk, n);
	rc = ferror(f) ? customs_error(ctx, CUSTOMS_EIO, "config '%s': %s",
				       path, strerror(errno))
		       : 0;
	fclose(f);
	if (!rc && cbuf_error(&b) == CUSTOMS_ELIMIT)
		rc = customs_error(ctx, CUSTOMS_ELIMIT,
				   "config '%s': larger than %u bytes", path,
				   UPD_MAX_CONFIG);
	else if (!rc && cbuf_error(&b))
		rc = CUSTOMS_ENOMEM;
	if (!rc)
		rc = upd_config_parse(cfg, b.ptr, b.len, path, ctx);
	cbuf_release(&b);
	return rc;
}

void upd_config_release(struct upd_config *cfg)
{
	customs_free(cfg->mirror);
	customs_free(cfg->feeds);
	customs_kvlist_release(&cfg->urls);
	cfg->mirror = cfg->feeds = NULL;
}
