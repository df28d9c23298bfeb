/*
 * The vulnerabilities gate (Anchore §2.13). Matches come from the
 * analysis "vulnerabilities" array; as in the reference (which loads
 * them vendor_only), wont-fix matches are dropped before any trigger
 * runs unless CUSTOMS_POLICY_FIX_VENDOR_ONLY lets a rule's
 * vendor_only=false keep them. The package trigger applies its steps in
 * the reference order and builds its message and "<id>+<X>" trigger id
 * exactly; CVSS v3 sub-scores are the maximum over NVD (or vendor)
 * entries, -1.0 when missing.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "policy/policy_int.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/banned.h"

#define DAY 86400

static const char *const sevs[] = { "unknown", "negligible", "low", "medium",
				    "high",    "critical",   NULL };
static const char *const cmps[] = { "=", "!=", "<", ">", "<=", ">=", NULL };
static const char *const ptypes[] = { "all", "os", "non-os", NULL };

static int sev_index(const char *s)
{
	int i;

	for (i = 0; s && sevs[i]; i++) {
		if (!strcasecmp(s, sevs[i]))
			return i;
	}
	return 0;
}

static bool cmp_holds(const char *op, double a, double b)
{
	if (!strcmp(op, "="))
		return a == b;
	if (!strcmp(op, "!="))
		return a != b;
	if (!strcmp(op, "<"))
		return a < b;
	if (!strcmp(op, ">"))
		return a > b;
	if (!strcmp(op, "<="))
		return a <= b;
	return a >= b;
}

static bool non_os(const char *pkg_type)
{
	static const char *const l[] = { "java",     "python", "npm",
					 "gem",	     "maven",  "js",
					 "composer", "nuget",  "binary",
					 "go",	     NULL };
	size_t i;

	for (i = 0; l[i]; i++) {
		if (!strcasecmp(l[i], pkg_type))
			return true;
	}
	return false;
}

static void scores(struct vm *m)
{
	static const char *const keys[3] = { "base_score",
					     "exploitability_score",
					     "impact_score" };
	const char *ns = jstr(m->vuln, "namespace");
	json_t *cv = json_object_get(m->vuln, "cvss"), *c;
	bool all_nvd = ns && strstr(ns, "nvd");
	size_t i, k;

	for (k = 0; k < 3; k++)
		m->nvd[k] = m->vendor[k] = -1.0;
	json_array_foreach(cv, i, c)
	{
		const char *ver = jstr(c, "version"), *src = jstr(c, "source");
		bool nvd = all_nvd || (src && !strcmp(src, "nvd@nist.gov"));
		double *dst = nvd ? m->nvd : m->vendor;

		if (!ver || ver[0] != '3')
			continue;
		for (k = 0; k < 3; k++) {
			json_t *s = json_object_get(c, keys[k]);

			if (json_is_number(s) && json_number_value(s) > dst[k])
				dst[k] = json_number_value(s);
		}
	}
}

void vm_load(struct vm *m, const json_t *v)
{
	json_t *locs;
	const char *st;

	memset(m, 0, sizeof(*m));
	m->v = v;
	m->vuln = json_object_get(v, "vulnerability");
	m->pkg = json_object_get(v, "package");
	m->fix = json_object_get(v, "fix");
	m->id = jstr(m->vuln, "id");
	m->sev = jstr(m->vuln, "severity");
	m->name = jstr(m->pkg, "name");
	m->version = jstr(m->pkg, "version");
	m->ptype = pkg_type_anchore(jstr(m->pkg, "type"));
	m->nonos = non_os(m->ptype);
	locs = json_object_get(m->pkg, "locations");
	m->loc = jstr(json_array_get(locs, 0), "path");
	st = jstr(m->fix, "state");
	m->wontfix = st && !strcmp(st, "wont-fix");
	if (!m->name)
		m->name = "";
	if (!m->version)
		m->version = "";
	if (!m->loc)
		m->loc = "";
	scores(m);
}

static bool dropped(const struct ectx *e, const struct vm *m, bool vendor_only)
{
	if (!m->id)
		return true;
	if (!m->wontfix)
		return false;
	return !(e->fixes & CUSTOMS_POLICY_FIX_VENDOR_ONLY) || vendor_only;
}

static size_t fix_versions(const struct vm *m, const char **v, size_t max)
{
	json_t *vs = json_object_get(m->fix, "versions"), *x;
	size_t i, n = 0;

	json_array_foreach(vs, i, x)
	{
		if (json_is_string(x) && json_string_length(x) && n < max)
			v[n++] = json_string_value(x);
	}
	return n;
}

/* Param layout of the package trigger (see p_package). */
enum {
	PK_TYPE,
	PK_SEVCMP,
	PK_SEV,
	PK_CVSS, /* 3 comparison/value pairs: 3..8 */
	PK_VCVSS = 9, /* 9..14 */
	PK_FIX = 15,
	PK_VENDOR_ONLY,
	PK_DAYS_CREATE,
	PK_DAYS_FIX,
	PK_PATH_EXCLUDE,
	PK_N
};

static const char *const score_names[3] = { "base_score",
					    "exploitability_score",
					    "impact_score" };

static bool scores_hold(const struct prule *r, size_t base, const double *s)
{
	size_t k;

	for (k = 0; k < 3; k++) {
		const char *op = P(r, base + 2 * k),
			   *val = P(r, base + 2 * k + 1);

		if (val && !cmp_holds(op ? op : ">=", s[k], strtod(val, NULL)))
			return false;
	}
	return true;
}

static void scores_msg(struct cbuf *b, const struct prule *r, size_t base,
		       const double *s, const char *prefix)
{
	size_t k, used = 0;

	for (k = 0; k < 3; k++) {
		if (!P(r, base + 2 * k + 1) || s[k] == 0.0)
			continue;
		cbuf_puts(b, used++ ? " " : "(");
		cbuf_printf(b, "%scvss_v3_%s=", prefix, score_names[k]);
		py_float(b, s[k]);
	}
	if (used)
		cbuf_putc(b, ')');
}

static void date_str(char out[16], int64_t t)
{
	int64_t days = t / DAY - (t % DAY < 0), z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
	unsigned mo = mp < 10 ? mp + 3 : mp - 9;
	int64_t y = (int64_t)yoe + era * 400 + (mo <= 2);

	snprintf(out, 16, "%04lld-%02u-%02u", (long long)y, mo, d);
}

static int64_t detected_at(const struct vm *m, bool *ok)
{
	const char *d = jstr(json_object_get(m->v, "match"), "detected_at");

	if (!d)
		d = jstr(m->vuln, "published");
	return parse_rfc3339(d, ok);
}

struct pkgstate {
	int64_t created, fixed;
	bool has_created, has_fixed, fix_avail;
};

/* Steps 1-9 of the reference; true when the match fires. */
static int package_steps(struct ectx *e, const struct prule *r,
			 const struct vm *m, struct pkgstate *st)
{
	const char *pt = P(r, PK_TYPE);
	int m_ex;
	bool ok;

	if (strcmp(pt, "all") && strcmp(pt, m->nonos ? "non-os" : "os"))
		return 0;
	if (!cmp_holds(P(r, PK_SEVCMP) ? P(r, PK_SEVCMP) : ">",
		       sev_index(m->sev),
		       sev_index(P(r, PK_SEV) ? P(r, PK_SEV) : "unknown")))
		return 0;
	if (m->nonos && P(r, PK_PATH_EXCLUDE)) {
		m_ex = rx_match_once(e, P(r, PK_PATH_EXCLUDE), m->loc);
		if (m_ex)
			return m_ex < 0 ? m_ex : 0;
	}
	if (P(r, PK_DAYS_CREATE)) {
		st->created = detected_at(m, &ok);
		st->has_created = ok;
		if (!ok ||
		    st->created > e->now - atoll(P(r, PK_DAYS_CREATE)) * DAY)
			return 0;
	}
	st->fixed = parse_rfc3339(jstr(m->fix, "date"), &st->has_fixed);
	if (pbool(r, PK_FIX, false) && P(r, PK_DAYS_FIX) && st->has_fixed &&
	    st->fixed > e->now - atoll(P(r, PK_DAYS_FIX)) * DAY)
		return 0;
	if (!scores_hold(r, PK_CVSS, m->nvd))
		return 0;
	if (P(r, PK_FIX) && st->fix_avail != pbool(r, PK_FIX, false))
		return 0;
	return scores_hold(r, PK_VCVSS, m->vendor) ? 1 : 0;
}

/* X of the "<id>+<X>" trigger id. */
static void id_suffix(struct cbuf *b, const struct vm *m)
{
	const char *last, *loc = m->loc;
	size_t n = strlen(loc);

	if (!m->nonos) {
		cbuf_puts(b, m->name);
		return;
	}
	if (!strcmp(m->ptype, "java") || !strcmp(m->ptype, "gem")) {
		last = strrchr(loc, '/');
		cbuf_puts(b, last ? last + 1 : loc);
		return;
	}
	if (!strcmp(m->ptype, "npm") && (last = memrchr(loc, '/', n))) {
		const char *prev = memrchr(loc, '/', (size_t)(last - loc));
		const char *s = prev ? prev + 1 : loc;

		if (last > s) {
			cbuf_put(b, s, (size_t)(last - s));
			return;
		}
	}
	cbuf_printf(b, "%s-%s", m->name, m->version);
}

static void package_msg(struct ectx *e, const struct prule *r,
			const struct vm *m, const struct pkgstate *st,
			const char **fv, size_t nfv)
{
	struct cbuf *b = &e->msg;
	const char *link = jstr(m->vuln, "link");
	char d1[16], d2[16];
	size_t i;

	cbuf_reset(b);
	for (i = 0; m->sev && m->sev[i]; i++)
		cbuf_putc(b, (char)(m->sev[i] >= 'a' && m->sev[i] <= 'z'
					    ? m->sev[i] - 32
					    : m->sev[i]));
	cbuf_printf(b, " Vulnerability found in %s package type (%s) - %s ",
		    m->nonos ? "non-os" : "os", m->ptype,
		    m->nonos ? m->loc : m->name);
	for (i = 0; i < nfv; i++)
		cbuf_printf(b, "%s%s", i ? ", " : "(fixed in: ", fv[i]);
	if (nfv)
		cbuf_putc(b, ')');
	scores_msg(b, r, PK_CVSS, m->nvd, "");
	if (P(r, PK_DAYS_CREATE) || P(r, PK_DAYS_FIX)) {
		date_str(d1, st->created);
		date_str(d2, st->fixed);
		cbuf_putc(b, '(');
		if (P(r, PK_DAYS_CREATE))
			cbuf_printf(b, "max_days_since_creation=%s", d1);
		if (P(r, PK_DAYS_FIX))
			cbuf_printf(b, "%smax_days_since_fix=%s",
				    P(r, PK_DAYS_CREATE) ? " " : "",
				    st->has_fixed ? d2 : "None");
		cbuf_putc(b, ')');
	}
	scores_msg(b, r, PK_VCVSS, m->vendor, "vendor_");
	if (link && *link)
		cbuf_printf(b, "(%s - %s)", m->id, link);
	else
		cbuf_printf(b, "(%s - %s/query/vulnerabilities?id=%s)", m->id,
			    e->link_base, m->id);
}

static int fire_package(struct ectx *e, const struct prule *r)
{
	bool vendor_only = pbool(r, PK_VENDOR_ONLY, true);
	struct cbuf id = CBUF_INIT(8192);
	const char *fv[64];
	size_t i, nfv;
	int rc = 0;

	for (i = 0; i < e->an->nvms; i++) {
		struct pkgstate st = { 0, 0, false, false, false };
		const struct vm *mp = &e->an->vms[i];
		struct vm m = *mp;

		if (dropped(e, &m, vendor_only))
			continue;
		nfv = fix_versions(&m, fv, 64);
		st.fix_avail = nfv > 0;
		rc = package_steps(e, r, &m, &st);
		if (rc < 0)
			break;
		if (rc == 0)
			continue;
		package_msg(e, r, &m, &st, fv, nfv);
		cbuf_reset(&id);
		cbuf_printf(&id, "%s+", m.id);
		id_suffix(&id, &m);
		rc = cbuf_error(&id) ? customs_error(e->ctx, CUSTOMS_ELIMIT,
						     "trigger id too long")
				     : emit(e, id.ptr);
		if (rc)
			break;
	}
	cbuf_release(&id);
	return rc < 0 ? rc : 0;
}

static int fire_stale(struct ectx *e, const struct prule *r)
{
	json_t *db = an_key(e->an, "vulnerability_db");
	bool ok = false;
	int64_t built = parse_rfc3339(jstr(db, "built"), &ok);
	long long n = atoll(P(r, 0));

	if (ok && built >= e->now - n * DAY)
		return 0;
	msgf(e,
	     "The vulnerability feed for this image distro is older than "
	     "MAXAGE (%lld) days",
	     n);
	return emit(e, NULL);
}

static const char *map_distro(const char *id)
{
	static const char *const rh[] = { "centos", "fedora", "redhat", "rocky",
					  NULL };
	size_t i;

	for (i = 0; rh[i]; i++) {
		if (!strcmp(id, rh[i]))
			return "rhel";
	}
	return id;
}

static bool has_ns(const json_t *nss, const char *ns, size_t n)
{
	const json_t *v;
	size_t i;

	json_array_foreach(nss, i, v)
	{
		if (json_is_string(v) && json_string_length(v) == n &&
		    !memcmp(json_string_value(v), ns, n))
			return true;
	}
	return false;
}

/* Is there data for distro:version, distro:N.N or distro:N? */
static bool ns_available(const json_t *nss, const char *distro, const char *ver)
{
	struct cbuf b = CBUF_INIT(1024);
	const char *p = ver, *dot1;
	bool found;

	cbuf_printf(&b, "%s:%s", map_distro(distro), ver);
	found = has_ns(nss, b.ptr, b.len);
	while (*p >= '0' && *p <= '9')
		p++;
	dot1 = p;
	if (!found && p > ver && *p == '.' && p[1] >= '0' && p[1] <= '9') {
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
		cbuf_reset(&b);
		cbuf_printf(&b, "%s:%.*s", map_distro(distro), (int)(p - ver),
			    ver);
		found = has_ns(nss, b.ptr, b.len);
		cbuf_reset(&b);
		cbuf_printf(&b, "%s:%.*s", map_distro(distro),
			    (int)(dot1 - ver), ver);
		found = found || has_ns(nss, b.ptr, b.len);
	}
	cbuf_release(&b);
	return found;
}

static int fire_unavailable(struct ectx *e, const struct prule *r)
{
	json_t *d = an_key(e->an, "distro");
	json_t *db = an_key(e->an, "vulnerability_db");
	const char *id = jstr(d, "id"), *ver = jstr(d, "version_id");

	(void)r;
	if (id && ver && db &&
	    ns_available(json_object_get(db, "namespaces"), id, ver))
		return 0;
	/* the OS packages were matched in a namespace the database has
	 * (`customs check --distro` on an image without os-release) */
	if (db && jstr(db, "distro_namespace") &&
	    has_ns(json_object_get(db, "namespaces"),
		   jstr(db, "distro_namespace"),
		   strlen(jstr(db, "distro_namespace"))))
		return 0;
	msgf(e,
	     "Distro-specific feed data not found for distro namespace: "
	     "%s:%s. Cannot perform CVE scan OS/distro packages",
	     id ? id : "None", ver ? ver : "None");
	return emit(e, NULL);
}

struct blk {
	struct ectx *e;
	bool vendor_only;
	const char **hits;
	size_t n, max;
};

static int bl_item(void *data, const char *item, size_t n)
{
	struct blk *b = data;
	size_t i;

	for (i = 0; i < b->e->an->nvms; i++) {
		const struct vm *m = &b->e->an->vms[i];

		if (dropped(b->e, m, b->vendor_only) || strlen(m->id) != n ||
		    memcmp(m->id, item, n))
			continue;
		if (b->n < b->max)
			b->hits[b->n++] = m->id;
		break;
	}
	return 0;
}

static int fire_vuln_blacklist(struct ectx *e, const struct prule *r)
{
	const char *hits[1024];
	struct blk b = { e, pbool(r, 1, true), hits, 0, 1024 };

	csv_each(P(r, 0), bl_item, &b);
	if (!b.n)
		return 0;
	msgf(e, "Blacklisted vulnerabilities detected: ");
	py_str_list(&e->msg, hits, b.n);
	return emit(e, NULL);
}

#define CVSS_PAIR(pfx, what, desc)                                        \
	{ pfx "cvss_v3_" what "_comparison",                              \
	  NULL,                                                           \
	  false,                                                          \
	  V_ENUM,                                                         \
	  cmps,                                                           \
	  "The type of comparison to perform and evaluate against " desc, \
	  ">" },                                                          \
	{                                                                 \
		pfx "cvss_v3_" what, NULL, false, V_FLOAT, NULL,          \
			"CVSSv3 " what " to compare against.", "5.0"      \
	}

static const struct pspec p_package[] = {
	{ "package_type", NULL, true, V_ENUM, ptypes,
	  "Only trigger for specific package type.", "all" },
	{ "severity_comparison", NULL, false, V_ENUM, cmps,
	  "The type of comparison to perform for severity evaluation.", ">" },
	{ "severity", NULL, false, V_ENUM, sevs, "Severity to compare against.",
	  "high" },
	CVSS_PAIR("", "base_score", "CVSS v3 base score."),
	CVSS_PAIR("", "exploitability_score",
		  "CVSS v3 exploitability sub score."),
	CVSS_PAIR("", "impact_score", "CVSS v3 impact sub score."),
	CVSS_PAIR("vendor_", "base_score", "vendor CVSS v3 base score."),
	CVSS_PAIR("vendor_", "exploitability_score",
		  "vendor CVSS v3 exploitability sub score."),
	CVSS_PAIR("vendor_", "impact_score",
		  "vendor CVSS v3 impact sub score."),
	{ "fix_available", NULL, false, V_BOOL, NULL,
	  "If present, the fix availability for the vulnerability record "
	  "must match the value of this parameter.",
	  "true" },
	{ "vendor_only", NULL, false, V_BOOL, NULL,
	  "If True, an available fix for this CVE must not be explicitly "
	  "marked as wont be addressed by the vendor",
	  "true" },
	{ "max_days_since_creation", NULL, false, V_INT, NULL,
	  "If provided, this CVE must be older than the days provided to "
	  "trigger.",
	  "7" },
	{ "max_days_since_fix", NULL, false, V_INT, NULL,
	  "If provided (only evaluated when fix_available option is also "
	  "set to true), the fix first observed time must be older than "
	  "days provided, to trigger.",
	  "30" },
	{ "package_path_exclude", NULL, false, V_STR, NULL,
	  "The regex to evaluate against the package path to exclude "
	  "vulnerabilities",
	  ".*test\\.jar" },
};
static const struct pspec p_stale[] = {
	{ "max_days_since_sync", NULL, true, V_INT, NULL,
	  "Fire the trigger if the last sync was more than this number of "
	  "days ago.",
	  "10" },
};
static const struct pspec p_vbl[] = {
	{ "vulnerability_ids", NULL, true, V_CSV, NULL,
	  "List of vulnerability IDs, will cause the trigger to fire if any "
	  "are detected.",
	  "CVE-2019-1234" },
	{ "vendor_only", NULL, false, V_BOOL, NULL,
	  "If set to True, discard matches against this vulnerability if "
	  "vendor has marked as will not fix in the vulnerability record.",
	  "true" },
};

static const struct tspec t_vulns[] = {
	{ "package",
	  "Triggers if a found vulnerability in an image meets the comparison "
	  "criteria.",
	  p_package, PK_N, fire_package },
	{ "stale_feed_data",
	  "Triggers if the CVE data is older than the window specified by "
	  "the parameter MAXAGE (unit is number of days).",
	  p_stale, 1, fire_stale },
	{ "vulnerability_data_unavailable",
	  "Triggers if vulnerability data is unavailable for the image's "
	  "distro packages such as rpms or dpkg. Non-OS packages like npms "
	  "and java are not considered in this evaluation",
	  NULL, 0, fire_unavailable },
	{ "blacklist",
	  "Triggers if any of a list of specified vulnerabilities has been "
	  "detected in the image.",
	  p_vbl, 2, fire_vuln_blacklist },
};

const struct gspec gate_vulnerabilities = {
	"vulnerabilities",
	"CVE/Vulnerability checks.",
	GS_ACTIVE,
	NULL,
	t_vulns,
	4,
	NULL,
	false,
};
