/*
 * OSV affected[] entries -> affected rows.
 *
 * The ecosystem gives the namespace ("Debian:12" -> "debian:12",
 * "Ubuntu:22.04:LTS" -> "ubuntu:22.04", "Alpine:v3.18" -> "alpine:3.18",
 * "PyPI" -> "pypi") and the version scheme. Ranges become comparator
 * lists: each interval is ">= introduced, < fixed" (or "<= last_affected",
 * "< limit"); "introduced 0" has no lower bound; an interval without an
 * upper bound is ">= X"; intervals are joined by " || ", and a range with
 * an interval covering everything ("introduced 0" alone) is just "*".
 * Events are taken in the order written; a second "introduced" while an
 * interval is open is ignored (the interval already covers it). GIT
 * ranges cannot be matched by version and are dropped (versions[] stays).
 * Go's ecosystem_specific.custom_ranges replace the ranges they refine.
 * Each bound must be a valid version of the scheme: an entry with an
 * invalid one is skipped with a warning naming record, package and field.
 * RustSec informational advisories (unmaintained, unsound, notice) and
 * entries without a package produce no row: nothing to match.
 */
#include <string.h>

#include "util/alloc.h"
#include "vulndb/feed_osv.h"
#include "util/banned.h"

#define OSV_MAX_RANGE_TEXT (4u << 20)

struct eco {
	const char *osv; /* the OSV ecosystem (before any ':') */
	const char *ns; /* our namespace base */
	enum customs_version_scheme scheme;
	bool distro; /* namespace takes a release */
};

static const struct eco ecos[] = {
	{ "npm", "npm", CUSTOMS_VERSION_NPM, false },
	{ "PyPI", "pypi", CUSTOMS_VERSION_PEP440, false },
	{ "Maven", "maven", CUSTOMS_VERSION_MAVEN, false },
	{ "Go", "go", CUSTOMS_VERSION_GO, false },
	{ "crates.io", "crates.io", CUSTOMS_VERSION_SEMVER, false },
	{ "RubyGems", "rubygems", CUSTOMS_VERSION_GEM, false },
	{ "NuGet", "nuget", CUSTOMS_VERSION_NUGET, false },
	{ "Bitnami", "bitnami", CUSTOMS_VERSION_SEMVER, false },
	{ "Debian", "debian", CUSTOMS_VERSION_DPKG, true },
	{ "Ubuntu", "ubuntu", CUSTOMS_VERSION_DPKG, true },
	{ "Alpine", "alpine", CUSTOMS_VERSION_APK, true },
	{ "Wolfi", "wolfi", CUSTOMS_VERSION_APK, true },
	{ "Chainguard", "chainguard", CUSTOMS_VERSION_APK, true },
	{ "AlmaLinux", "almalinux", CUSTOMS_VERSION_RPM, true },
	{ "Rocky Linux", "rocky", CUSTOMS_VERSION_RPM, true },
	{ "Red Hat", "rhel", CUSTOMS_VERSION_RPM, true },
	{ "openSUSE", "opensuse", CUSTOMS_VERSION_RPM, true },
	{ "SUSE", "sles", CUSTOMS_VERSION_RPM, true },
	{ "Mageia", "mageia", CUSTOMS_VERSION_RPM, true },
};

const char *osv_str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static char lc(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* The release of "Ubuntu:Pro:16.04:LTS": the first part with a digit. */
static const char *release_of(const char *rest, size_t *n)
{
	const char *p = rest, *e;

	while (p && *p) {
		e = strchr(p, ':');
		if (*p == 'v' && p[1] >= '0' && p[1] <= '9')
			p++;
		if (*p >= '0' && *p <= '9') {
			*n = e ? (size_t)(e - p) : strlen(p);
			return p;
		}
		p = e ? e + 1 : NULL;
	}
	*n = 0;
	return NULL;
}

/* Namespace and scheme of an OSV ecosystem string, into the arena. */
static const char *namespace_of(struct osv *o, const char *eco,
				enum customs_version_scheme *scheme)
{
	const char *colon = strchr(eco, ':'), *rel;
	size_t blen = colon ? (size_t)(colon - eco) : strlen(eco), n, i;
	struct cbuf b = CBUF_INIT(512);
	const char *out;

	*scheme = CUSTOMS_VERSION_GENERIC;
	for (i = 0; i < sizeof(ecos) / sizeof(ecos[0]); i++) {
		if (strlen(ecos[i].osv) == blen &&
		    !strncmp(ecos[i].osv, eco, blen))
			break;
	}
	if (i == sizeof(ecos) / sizeof(ecos[0])) {
		for (const char *p = eco; *p; p++)
			cbuf_putc(&b, lc(*p));
	} else {
		*scheme = ecos[i].scheme;
		cbuf_puts(&b, ecos[i].ns);
		rel = colon ? release_of(colon + 1, &n) : NULL;
		if (ecos[i].distro && rel) {
			cbuf_putc(&b, ':');
			for (; n; n--, rel++)
				cbuf_putc(&b, lc(*rel));
		} else if (ecos[i].distro && *scheme == CUSTOMS_VERSION_APK &&
			   strcmp(ecos[i].ns, "alpine")) {
			cbuf_puts(&b, ":rolling");
		}
	}
	out = cbuf_error(&b) ? NULL : arena_strndup(&o->a, b.ptr, b.len);
	cbuf_release(&b);
	return out;
}

/* The strings of a JSON array of strings, into the arena. */
static const char **str_array(struct osv *o, const json_t *arr, size_t *n)
{
	size_t i, k = 0, len = json_array_size(arr);
	const char **v;

	*n = 0;
	if (!len)
		return NULL;
	v = arena_alloc(&o->a, len * sizeof(*v));
	if (!v)
		return NULL;
	for (i = 0; i < len; i++) {
		const char *s = json_string_value(json_array_get(arr, i));

		if (s && *s && !strpbrk(s, "\n\r"))
			v[k++] = s;
		else if (s && *s)
			feed_warnf(o->warn,
				   "%s: %s: versions[%zu]: skipped: a line "
				   "break in a version",
				   o->name, o->id, i);
	}
	*n = k;
	return v;
}

struct ranges {
	struct customs_vuln_affected *a;
	const char *pkg;
	size_t index; /* of the affected entry */
	bool all; /* an interval covers every version: the range is "*" */
	const char **fixed;
	size_t n_fixed, cap_fixed;
	bool bad;
};

/*
 * Whether v can stand in a comparator list: no separator (',', '|',
 * blanks) and no leading operator, whatever the scheme would accept.
 */
static bool list_safe(const char *v)
{
	if (!*v || strchr("<>=!*", *v))
		return false;
	for (; *v; v++) {
		if (*v == ',' || *v == '|' || *v == ' ' || *v == '\t' ||
		    (unsigned char)*v < 0x20)
			return false;
	}
	return true;
}

static bool valid(struct osv *o, struct ranges *r, const char *field,
		  const char *v)
{
	if (!strcmp(field, "introduced") && !strcmp(v, "0"))
		return true;
	if (list_safe(v) && !customs_version_validate(r->a->scheme, v, NULL))
		return true;
	if (!r->bad)
		feed_warnf(
			o->warn,
			"%s: %s: affected[%zu] (%s): skipped: %s '%s' is not a "
			"valid %s version",
			o->name, o->id, r->index, r->pkg, field, v,
			customs_version_scheme_name(r->a->scheme));
	r->bad = true;
	return false;
}

static void emit(struct osv *o, struct ranges *r, const char *lo,
		 const char *op, const char *hi)
{
	bool has_lo = lo && strcmp(lo, "0");

	if (!has_lo && !hi) {
		r->all = true;
		return;
	}
	if (o->rb.len)
		cbuf_puts(&o->rb, " || ");
	if (has_lo)
		cbuf_printf(&o->rb, ">= %s", lo);
	if (hi)
		cbuf_printf(&o->rb, "%s%s %s", has_lo ? ", " : "", op, hi);
}

static int add_fixed(struct osv *o, struct ranges *r, const char *v)
{
	if (CUSTOMS_GROW(r->fixed, r->cap_fixed, r->n_fixed + 1))
		return CUSTOMS_ENOMEM;
	r->fixed[r->n_fixed++] = v;
	(void)o;
	return 0;
}

/* One event of a range: open or close an interval. */
static int event(struct osv *o, struct ranges *r, const json_t *ev,
		 const char **lo)
{
	static const char *const ends[][2] = { { "fixed", "<" },
					       { "last_affected", "<=" },
					       { "limit", "<" } };
	const char *v = osv_str(ev, "introduced");
	size_t i;

	if (v) {
		if (valid(o, r, "introduced", v) && !*lo)
			*lo = v;
		return 0;
	}
	for (i = 0; i < 3; i++) {
		v = osv_str(ev, ends[i][0]);
		if (!v || !valid(o, r, ends[i][0], v))
			continue;
		emit(o, r, *lo ? *lo : "0", ends[i][1], v);
		*lo = NULL;
		if (i == 0)
			return add_fixed(o, r, v);
		return 0;
	}
	return 0;
}

static int one_range(struct osv *o, struct ranges *r, const json_t *range)
{
	const json_t *events = json_object_get(range, "events");
	const char *type = osv_str(range, "type"), *lo = NULL;
	size_t i;
	int rc = 0;

	if (!type || !strcmp(type, "GIT"))
		return 0;
	for (i = 0; !rc && i < json_array_size(events); i++)
		rc = event(o, r, json_array_get(events, i), &lo);
	if (lo)
		emit(o, r, lo, NULL, NULL);
	return rc;
}

/* The ranges to use: Go's custom_ranges when present, else ranges. */
static const json_t *ranges_of(const json_t *entry)
{
	const json_t *es = json_object_get(entry, "ecosystem_specific");
	const json_t *custom = json_object_get(es, "custom_ranges");

	if (json_array_size(custom))
		return custom;
	return json_object_get(entry, "ranges");
}

static int build_ranges(struct osv *o, struct ranges *r, const json_t *entry)
{
	const json_t *ranges = ranges_of(entry);
	size_t i;
	int rc = 0;

	cbuf_reset(&o->rb);
	for (i = 0; !rc && i < json_array_size(ranges); i++)
		rc = one_range(o, r, json_array_get(ranges, i));
	if (rc)
		return rc;
	if (cbuf_error(&o->rb) == CUSTOMS_ELIMIT) {
		feed_warnf(o->warn,
			   "%s: %s: affected[%zu] (%s): skipped: ranges longer "
			   "than %u bytes",
			   o->name, o->id, r->index, r->pkg,
			   OSV_MAX_RANGE_TEXT);
		r->bad = true;
		return 0;
	}
	if (cbuf_error(&o->rb))
		return CUSTOMS_ENOMEM;
	if (r->all) {
		cbuf_reset(&o->rb);
		cbuf_putc(&o->rb, '*');
	}
	if ((o->rb.len || r->all) &&
	    !(r->a->ranges = arena_strndup(&o->a, o->rb.ptr, o->rb.len)))
		return CUSTOMS_ENOMEM;
	return 0;
}

static bool informational(const json_t *entry)
{
	const json_t *db = json_object_get(entry, "database_specific");

	return json_string_value(json_object_get(db, "informational")) != NULL;
}

/* Per-package severity: severity[] of the entry, or a severity word. */
static void entry_severity(struct osv *o, const json_t *entry,
			   struct customs_vuln_affected *a)
{
	const json_t *sev = json_object_get(entry, "severity");
	const json_t *es = json_object_get(entry, "ecosystem_specific");
	const json_t *ds = json_object_get(entry, "database_specific");
	const char *w = osv_str(es, "severity");
	enum customs_severity s = CUSTOMS_SEVERITY_UNKNOWN;

	for (size_t i = 0; i < json_array_size(sev); i++)
		osv_add_severity(o, json_array_get(sev, i), &s);
	if (!w)
		w = osv_str(es, "urgency");
	if (!w)
		w = osv_str(ds, "severity");
	if (w)
		customs_severity_parse(&s, w);
	a->severity = s;
}

static int one_entry(struct osv *o, const json_t *entry, size_t index)
{
	const json_t *pkg = json_object_get(entry, "package");
	const char *eco = osv_str(pkg, "ecosystem");
	struct customs_vuln_affected *a;
	struct ranges r = { 0 };
	int rc;

	if (!eco || !osv_str(pkg, "name") || informational(entry))
		return 0;
	if (CUSTOMS_GROW(o->aff, o->cap_aff, o->n_aff + 1))
		return CUSTOMS_ENOMEM;
	a = &o->aff[o->n_aff];
	memset(a, 0, sizeof(*a));
	a->name = osv_str(pkg, "name");
	a->namespace = namespace_of(o, eco, &a->scheme);
	a->versions = str_array(o, json_object_get(entry, "versions"),
				&a->n_versions);
	if (!a->namespace)
		return CUSTOMS_ENOMEM;
	r.a = a;
	r.pkg = a->name;
	r.index = index;
	rc = build_ranges(o, &r, entry);
	if (!rc && r.n_fixed) {
		a->fixed = arena_alloc(&o->a, r.n_fixed * sizeof(char *));
		if (a->fixed)
			memcpy((void *)a->fixed, r.fixed,
			       r.n_fixed * sizeof(char *));
		a->n_fixed = a->fixed ? r.n_fixed : 0;
	}
	customs_free(r.fixed);
	if (rc || r.bad || (!a->ranges && !a->n_versions))
		return rc;
	a->fix_state = a->n_fixed ? CUSTOMS_FIX_FIXED : CUSTOMS_FIX_NOT_FIXED;
	entry_severity(o, entry, a);
	o->n_aff++;
	return 0;
}

int osv_affected(struct osv *o, const json_t *affected)
{
	size_t i;
	int rc = 0;

	for (i = 0; !rc && i < json_array_size(affected); i++)
		rc = one_entry(o, json_array_get(affected, i), i);
	return rc;
}
