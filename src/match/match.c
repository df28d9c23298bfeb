/*
 * The matching core: every package of an SBOM becomes one or more
 * searches (namespace, name, version, match type), every affected row a
 * search returns is checked against the package version in the row's own
 * scheme, and matching rows become findings (collect.c).
 *
 * Invariants: a version the row's scheme rejects never matches (a warning
 * says so); withdrawn rows never match; not-affected rows never match but
 * are remembered to suppress the same id for the package; parsed ranges
 * are cached per (scheme, range text) for the whole scan, so a row shared
 * by many packages is parsed once. The OS distro namespace is the first
 * candidate of customs_match_distro_namespaces() the database has.
 */
#include <stdint.h>
#include <string.h>

#include "match/match_int.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

/* A parse that failed is cached as this sentinel. */
static struct customs_version_range *const bad_range =
	(struct customs_version_range *)&bad_range;

struct run {
	const struct match_backend *be;
	const struct customs_match_opts *opts;
	struct match_set set;
	struct strmap ranges; /* "scheme\x1fexpr" -> parsed range */
	struct customs_strlist range_keys;
	const char *distro_ns; /* chosen namespace, or NULL */
	const struct match_search *cur;
	/* per scheme, for the current search: 0 unknown, 1 valid, -1 not */
	signed char valid[CUSTOMS_VERSION_N_SCHEMES];
	struct customs_ctx *ctx;
	struct customs_ctx *scratch; /* errors we turn into warnings */
};

/* ---- ranges --------------------------------------------------------- */

static int get_range(struct run *r, enum customs_version_scheme scheme,
		     const char *expr, const char *id,
		     const struct customs_version_range **out)
{
	struct cbuf key = CBUF_INIT(1 << 20);
	struct customs_version_range *rng;
	int rc;

	cbuf_printf(&key, "%d\x1f%s", (int)scheme, expr);
	if ((rc = cbuf_error(&key)))
		goto out;
	rng = strmap_get(&r->ranges, key.ptr);
	if (!rng) {
		customs_ctx_clear(r->scratch);
		if (customs_version_range_parse_list(&rng, scheme, expr,
						     r->scratch)) {
			rng = bad_range;
			rc = match_set_warn(&r->set,
					    "%s: range \"%s\" (%s) not usable: "
					    "%s",
					    id, expr,
					    customs_version_scheme_name(scheme),
					    customs_ctx_errmsg(r->scratch));
		}
		if (customs_strlist_add(&r->range_keys, key.ptr) ||
		    strmap_put(&r->ranges, r->range_keys.v[r->range_keys.n - 1],
			       rng)) {
			if (rng != bad_range)
				customs_version_range_free(rng);
			rc = CUSTOMS_ENOMEM;
			goto out;
		}
	}
	*out = rng == bad_range ? NULL : rng;
out:
	cbuf_release(&key);
	return rc;
}

static void free_ranges(struct run *r)
{
	size_t i;

	for (i = 0; i < r->range_keys.n; i++) {
		struct customs_version_range *rng =
			strmap_get(&r->ranges, r->range_keys.v[i]);

		if (rng && rng != bad_range)
			customs_version_range_free(rng);
	}
	strmap_release(&r->ranges);
	customs_strlist_release(&r->range_keys);
}

/* ---- one row -------------------------------------------------------- */

static int warn_version(struct run *r, enum customs_version_scheme scheme)
{
	const struct match_search *s = r->cur;

	return match_set_warn(
		&r->set,
		"package %s %s: version \"%s\" is not a valid %s "
		"version; not matched in %s",
		s->pkg->name, s->pkg->version ? s->pkg->version : "",
		s->version, customs_version_scheme_name(scheme), s->ns);
}

/* Whether version equals one of the row's '\n'-separated versions. */
static int in_versions(struct run *r, const struct customs_vulndb_hit *hit,
		       bool *out)
{
	const char *p = hit->versions;
	char one[CUSTOMS_VERSION_MAX_LEN + 1];
	int cmp;

	*out = false;
	while (p && *p && !*out) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		if (n <= CUSTOMS_VERSION_MAX_LEN) {
			memcpy(one, p, n);
			one[n] = '\0';
			if (!strcmp(one, r->cur->version))
				*out = true;
			else if (!customs_version_cmp(hit->scheme, one,
						      r->cur->version, &cmp,
						      NULL))
				*out = cmp == 0;
		}
		p = nl ? nl + 1 : NULL;
	}
	return 0;
}

static int version_matches(struct run *r, const struct customs_vulndb_hit *hit,
			   bool *out)
{
	const struct customs_version_range *rng = NULL;
	int rc;

	*out = false;
	customs_ctx_clear(r->scratch);
	if (customs_version_validate(hit->scheme, r->cur->version, r->scratch))
		return warn_version(r, hit->scheme);
	if (hit->ranges && *hit->ranges) {
		if (!strcmp(hit->ranges, "*")) {
			*out = true;
			return 0;
		}
		rc = get_range(r, hit->scheme, hit->ranges, hit->vuln_id, &rng);
		if (rc)
			return rc;
		if (rng && customs_version_range_contains(rng, r->cur->version,
							  out, r->scratch)) {
			*out = false;
			return warn_version(r, hit->scheme);
		}
	}
	if (!*out && hit->versions && *hit->versions)
		return in_versions(r, hit, out);
	return 0;
}

/* rpm modularity: a row for module "nodejs:18" applies only to packages
 * whose label starts with it; packages without a label always qualify. */
static bool qualifier_ok(const struct customs_pkg *pkg, const char *q)
{
	const char *label;

	if (!q || !*q)
		return true;
	label = customs_pkg_meta_get(pkg, "modularity_label");
	if (!label)
		return true;
	return !strncmp(label, q, strlen(q));
}

static int on_hit(void *arg, const struct customs_vulndb_hit *hit)
{
	struct run *r = arg;
	const struct match_search *s = r->cur;
	bool hit_ok = false;
	int rc;

	if (hit->withdrawn || !qualifier_ok(s->pkg, hit->qualifier))
		return 0;
	if (hit->fix_state == CUSTOMS_FIX_NOT_AFFECTED)
		return match_set_not_affected(&r->set, s->pkg, hit->vuln_id,
					      hit->namespace);
	if (s->type == CUSTOMS_MATCH_EXACT_INDIRECT &&
	    match_kernel_header_noise(s->pkg, s->name))
		return 0;
	rc = version_matches(r, hit, &hit_ok);
	if (rc || !hit_ok)
		return rc;
	return match_set_add(&r->set, s, hit);
}

static int search(struct run *r, const struct match_search *s)
{
	int rc;

	if (!s->name || !*s->name || !s->version || !*s->version)
		return 0;
	r->cur = s;
	memset(r->valid, 0, sizeof(r->valid));
	rc = r->be->lookup(r->be->arg, s->ns, s->name, on_hit, r, r->ctx);
	r->cur = NULL;
	return rc;
}

/* ---- packages -> searches ------------------------------------------ */

/* "perl-5.26.3-419.el8_4.1.src.rpm" -> name "perl", version
 * "5.26.3-419.el8_4.1" (into one buffer, NUL between). */
static bool split_srpm(struct cbuf *b, const char *srpm, const char **name,
		       const char **version)
{
	size_t n = strlen(srpm), i, dashes = 0, cut = 0;
	const char *suffix = ".src.rpm";
	size_t sl = strlen(suffix);

	if (n > sl && !strcmp(srpm + n - sl, suffix))
		n -= sl;
	for (i = n; i > 0 && dashes < 2; i--)
		if (srpm[i - 1] == '-' && ++dashes == 2)
			cut = i - 1;
	if (dashes < 2 || !cut)
		return false;
	cbuf_put(b, srpm, cut);
	cbuf_putc(b, '\0');
	cbuf_put(b, srpm + cut + 1, n - cut - 1);
	if (cbuf_error(b))
		return false;
	*name = b->ptr;
	*version = b->ptr + cut + 1;
	return true;
}

static int os_searches(struct run *r, struct match_search *s)
{
	const struct customs_pkg *p = s->pkg;
	struct cbuf ver = CBUF_INIT(CUSTOMS_VERSION_MAX_LEN + 32);
	struct cbuf src = CBUF_INIT(4096);
	int rc;

	s->ns = r->distro_ns;
	s->name = p->name;
	s->version = p->version;
	s->type = CUSTOMS_MATCH_EXACT_DIRECT;
	if (p->type == CUSTOMS_PKG_RPM && p->version &&
	    !strchr(p->version, ':')) {
		/* rpmdb and RHEL data are explicit about epochs */
		const char *e = customs_pkg_meta_get(p, "epoch");

		cbuf_printf(&ver, "%s:%s", e ? e : "0", p->version);
		if (!cbuf_error(&ver))
			s->version = ver.ptr;
	}
	rc = search(r, s);
	if (rc || !p->source_name || !strcmp(p->source_name, p->name))
		goto out;
	s->type = CUSTOMS_MATCH_EXACT_INDIRECT;
	s->name = p->source_name;
	s->version = p->source_version ? p->source_version : p->version;
	if (p->type == CUSTOMS_PKG_RPM &&
	    !split_srpm(&src, p->source_name, &s->name, &s->version))
		goto out;
	if (p->type == CUSTOMS_PKG_RPM && !strcmp(s->name, p->name))
		goto out;
	rc = search(r, s);
out:
	cbuf_release(&ver);
	cbuf_release(&src);
	return rc;
}

static int java_searches(struct run *r, struct match_search *s)
{
	const struct customs_pkg *p = s->pkg;
	struct cbuf a = CBUF_INIT(4096), b = CBUF_INIT(4096);
	struct customs_purl purl = { 0 };
	int rc = 0;

	if (p->namespace && *p->namespace) {
		cbuf_printf(&a, "%s:%s", p->namespace, p->name);
		s->name = a.ptr;
		if (!cbuf_error(&a))
			rc = search(r, s);
	}
	customs_ctx_clear(r->scratch);
	if (!rc && p->purl && !customs_purl_parse(&purl, p->purl, r->scratch) &&
	    purl.namespace && purl.name && !strcmp(purl.type, "maven")) {
		cbuf_printf(&b, "%s:%s", purl.namespace, purl.name);
		if (!cbuf_error(&b) && strcasecmp(a.ptr, b.ptr)) {
			s->name = b.ptr;
			rc = search(r, s);
		}
	}
	customs_purl_release(&purl);
	cbuf_release(&a);
	cbuf_release(&b);
	return rc;
}

static int lang_searches(struct run *r, struct match_search *s)
{
	const struct customs_pkg *p = s->pkg;

	s->ns = match_ecosystem(p->type);
	s->name = p->name;
	s->version = p->version;
	s->type = CUSTOMS_MATCH_EXACT_DIRECT;
	if (p->type == CUSTOMS_PKG_JAVA || p->type == CUSTOMS_PKG_JENKINS)
		return java_searches(r, s);
	if (p->type == CUSTOMS_PKG_GO) {
		if (!p->version || !strcmp(p->version, "(devel)"))
			return 0;
		if (!strcmp(p->name, "stdlib") && !strncmp(p->version, "go", 2))
			s->version = p->version + 2;
	}
	return search(r, s);
}

static int match_package(struct run *r, const struct customs_pkg *p,
			 size_t index)
{
	struct match_search s = { 0 };

	s.pkg = p;
	s.pkg_index = index;
	s.matcher = match_matcher_name(p->type);
	switch (p->type) {
	case CUSTOMS_PKG_DEB:
	case CUSTOMS_PKG_APK:
	case CUSTOMS_PKG_RPM:
		return r->distro_ns ? os_searches(r, &s) : 0;
	case CUSTOMS_PKG_BINARY:
	case CUSTOMS_PKG_UNKNOWN:
		s.type = CUSTOMS_MATCH_CPE;
		return match_cpe_package(&r->set, r->be, &s, r->ctx);
	default:
		return match_ecosystem(p->type) ? lang_searches(r, &s) : 0;
	}
}

/* ---- the run -------------------------------------------------------- */

/* The distro namespace: --distro, else the SBOM's; the first candidate
 * the database has. No data for a known distro is a warning: the OS
 * packages were not checked, and the result must say so. */
static int pick_distro(struct run *r, const struct customs_sbom *sbom,
		       char **out)
{
	struct customs_strlist cands = { 0 };
	const char *id = sbom->distro.id, *ver = sbom->distro.version_id;
	struct cbuf b = CBUF_INIT(256);
	const char *colon;
	bool have = false;
	size_t i;
	int rc = 0;

	if (r->opts->distro) {
		colon = strpbrk(r->opts->distro, ":@");
		if (!colon)
			return customs_error(r->ctx, CUSTOMS_EINVAL,
					     "--distro \"%s\": expected "
					     "ID:VERSION",
					     r->opts->distro);
		cbuf_put(&b, r->opts->distro,
			 (size_t)(colon - r->opts->distro));
		id = b.ptr;
		ver = colon + 1;
	}
	rc = cbuf_error(&b);
	if (!rc)
		rc = customs_match_distro_namespaces(&cands, id, ver);
	for (i = 0; !rc && !have && i < cands.n; i++) {
		rc = r->be->has_namespace(r->be->arg, cands.v[i], &have,
					  r->ctx);
		if (!rc && have && !(*out = customs_strdup(cands.v[i])))
			rc = CUSTOMS_ENOMEM;
	}
	if (!rc && !have && cands.n)
		rc = match_set_warn(&r->set,
				    "no vulnerability data for distro %s "
				    "(%s): OS packages were not checked",
				    cands.v[0], id);
	else if (!rc && !cands.n)
		rc = match_set_warn(&r->set,
				    "the distro is unknown: OS packages were "
				    "not checked (use --distro ID:VERSION)");
	customs_strlist_release(&cands);
	cbuf_release(&b);
	return rc;
}

static bool has_os_packages(const struct customs_sbom *sbom)
{
	size_t i;

	for (i = 0; i < sbom->pkgs.n; i++) {
		enum customs_pkg_type t = sbom->pkgs.v[i]->type;

		if (t == CUSTOMS_PKG_DEB || t == CUSTOMS_PKG_APK ||
		    t == CUSTOMS_PKG_RPM)
			return true;
	}
	return false;
}

static int new_result(struct customs_match_result **out,
		      const struct customs_sbom *sbom)
{
	*out = customs_calloc(1, sizeof(**out));
	if (!*out)
		return CUSTOMS_ENOMEM;
	(*out)->sbom = sbom;
	return 0;
}

int match_run(struct customs_match_result **out, const struct match_backend *be,
	      const struct customs_sbom *sbom,
	      const struct customs_match_opts *opts, struct customs_ctx *ctx)
{
	struct customs_match_opts defaults = CUSTOMS_MATCH_OPTS_INIT;
	struct customs_match_result *res = NULL;
	struct run r = { 0 };
	size_t i;
	int rc;

	r.be = be;
	r.opts = opts ? opts : &defaults;
	r.ctx = ctx;
	*out = NULL;
	rc = customs_ctx_new(&r.scratch);
	if (!rc)
		rc = new_result(&res, sbom);
	if (!rc && (r.opts->distro || has_os_packages(sbom)))
		rc = pick_distro(&r, sbom, &res->distro_namespace);
	r.distro_ns = res ? res->distro_namespace : NULL;
	for (i = 0; !rc && i < sbom->pkgs.n; i++)
		rc = match_package(&r, sbom->pkgs.v[i], i);
	if (!rc)
		rc = match_enrich(&r.set, be, ctx);
	if (!rc)
		rc = match_suppress(&r.set, r.opts, ctx);
	if (!rc)
		rc = match_split(res, &r.set);
	free_ranges(&r);
	match_set_release(&r.set);
	customs_ctx_free(r.scratch);
	if (rc)
		customs_match_result_free(res);
	else
		*out = res;
	return rc;
}
