/*
 * SARIF 2.1.0, shaped for GitHub code scanning as Grype writes it
 * (docs/scan-formats.md has the field-by-field table; the rules are
 * written by sarif_rules.c):
 * - one run; tool.driver is customs with one rule per vulnerability id
 *   (sorted by id), each with a short and full description, a help text
 *   and markdown table listing every affected package, the advisory URL
 *   as helpUri, and properties.security-severity (the CVSS score as a
 *   string, which GitHub maps to its severity bands) and tags;
 * - one result per finding, in the match result's order: ruleId and
 *   ruleIndex, a level from the severity (critical/high error, medium
 *   warning, the rest note), a message naming the package and where it
 *   was found, one physical location whose uri is "<image>/<path>" for an
 *   image (Grype's scheme: GitHub wants a repository-like path, and an
 *   image has none) or "<dir>/<path>" for a directory, logical locations
 *   naming the layer, and partialFingerprints.primaryLocationLineHash so
 *   an alert keeps its identity across runs;
 * - suppressed findings carry suppressions[] (kind external, status
 *   accepted, the reason as justification).
 */
#include <stdlib.h>
#include <string.h>

#include "customs/report.h"
#include "report/sarif_int.h"
#include "util/alloc.h"
#include "util/hash.h"
#include "util/banned.h"

#define SARIF_SCHEMA                                                  \
	"https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/" \
	"schemas/sarif-schema-2.1.0.json"

/*
 * Grype's short image name: the last '/' segment of the name with every
 * byte outside [A-Za-z0-9-_.] dropped; the transport prefix
 * ("docker-archive:") goes first, as Grype's names never have one.
 */
static void short_name(char *out, size_t cap, const char *name)
{
	static const char *const prefixes[] = {
		"docker-archive:", "oci:", "oci-archive:", "dir:", "registry:"
	};
	const char *p = name, *slash;
	size_t i, k = 0;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t n = strlen(prefixes[i]);

		if (!strncmp(p, prefixes[i], n)) {
			p += n;
			break;
		}
	}
	slash = strrchr(p, '/');
	if (slash && slash[1])
		p = slash + 1;
	for (; *p && k + 1 < cap; p++) {
		char c = *p;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.')
			out[k++] = c;
	}
	out[k] = 0;
	if (!k)
		snprintf(out, cap, "image");
}

/* The artifact uri of a finding into s->b. */
/* s appended to b as a URI path: bytes outside RFC 3986's unreserved,
 * sub-delims, ':', '@' and '/' percent-encoded (spaces, '%', '#', '?',
 * non-ASCII), so the uri is a valid uri-reference. */
static void put_uri_path(struct cbuf *b, const char *s)
{
	static const char ok[] = "abcdefghijklmnopqrstuvwxyz"
				 "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
				 "-._~!$&'()*+,;=:@/";

	for (; *s; s++) {
		if (strchr(ok, *s))
			cbuf_putc(b, *s);
		else
			cbuf_printf(b, "%%%02X", (unsigned char)*s);
	}
}

/* The artifact uri of a finding into s->b. */
static void artifact_uri(struct sarif *s, const struct customs_finding *f)
{
	const char *path = rep_pkg_path(f->pkg);

	rep_reset(&s->b, &s->err);
	if (rep_source_is_dir(s->res)) {
		const char *dir = rep_source_name(s->res);

		if (!strncmp(dir, "dir:", 4))
			dir += 4;
		while (dir[0] == '.' && dir[1] == '/')
			dir += 2;
		if (!strcmp(dir, "."))
			dir = "";
		put_uri_path(&s->b, dir);
		if (dir[0] && dir[strlen(dir) - 1] != '/')
			cbuf_putc(&s->b, '/');
		put_uri_path(&s->b, path ? path : "");
		return;
	}
	/* GitHub needs a path; a package without one gets the image's
	 * "Dockerfile", as Grype's first SARIF writer did */
	cbuf_printf(&s->b, "%s/", s->short_name);
	put_uri_path(&s->b, path ? path : "Dockerfile");
}

static const char *level(enum customs_severity sev)
{
	if (sev >= CUSTOMS_SEVERITY_HIGH)
		return "error";
	if (sev == CUSTOMS_SEVERITY_MEDIUM)
		return "warning";
	return "note";
}

static void driver(struct sarif *s)
{
	struct jw *w = s->w;
	const char *v =
		s->o->tool_version ? s->o->tool_version : CUSTOMS_VERSION;

	jw_key(w, "tool");
	jw_obj_open(w);
	jw_key(w, "driver");
	jw_obj_open(w);
	jw_kstr(w, "name", "customs");
	jw_kstr(w, "version", v);
	jw_kstr(w, "semanticVersion", v);
	jw_kstr(w, "informationUri", s->o->information_uri);
	jw_key(w, "rules");
	jw_arr_open(w);
}

static void message(struct sarif *s, const struct customs_finding *f)
{
	const char *path = rep_pkg_path(f->pkg);
	struct cbuf *fix = &s->fix;

	rep_reset(fix, &s->err);
	rep_fix_versions(fix, f);
	rep_reset(&s->b, &s->err);
	cbuf_printf(&s->b,
		    "A %s vulnerability in %s package: %s, version %s "
		    "was found ",
		    rep_severity_word(f->vuln.severity), sarif_pkg_type(f),
		    sarif_pkg_name(f), sarif_pkg_version(f));
	if (rep_source_is_dir(s->res))
		cbuf_printf(&s->b, "at: %s%s", rep_slash(path),
			    path ? path : "");
	else
		cbuf_printf(&s->b, "in image %s at: %s%s",
			    rep_source_name(s->res), rep_slash(path),
			    path ? path : "");
	if (fix->len)
		cbuf_printf(&s->b, " (fixed in %s)", fix->ptr);
	else
		cbuf_printf(&s->b, " (%s)",
			    customs_fix_state_name(f->fix_state));
	sarif_text_obj(s->w, "message", s->b.ptr);
}

/* Whether location i repeats an earlier one (logicalLocations is a set). */
static bool same_location(const struct customs_pkg *p, size_t i)
{
	const struct customs_pkg_location *l = &p->locations[i];
	size_t j;

	for (j = 0; j < i; j++) {
		const struct customs_pkg_location *k = &p->locations[j];

		if (k->path && !strcmp(k->path, l->path) &&
		    !strcmp(k->layer_id ? k->layer_id : "",
			    l->layer_id ? l->layer_id : ""))
			return true;
	}
	return false;
}

static void logical_locations(struct sarif *s, const struct customs_finding *f)
{
	const struct customs_pkg *p = f->pkg;
	struct jw *w = s->w;
	size_t i;

	if (!p || !p->n_locations)
		return;
	jw_key(w, "logicalLocations");
	jw_arr_open(w);
	for (i = 0; i < p->n_locations; i++) {
		const struct customs_pkg_location *l = &p->locations[i];

		if (!l->path || same_location(p, i))
			continue;
		rep_reset(&s->b, &s->err);
		cbuf_printf(&s->b, "%s@%s:/%s", rep_source_name(s->res),
			    l->layer_id ? l->layer_id : "", l->path);
		jw_obj_open(w);
		jw_kstr2(w, "name", "/", l->path);
		jw_kstr(w, "fullyQualifiedName", s->b.ptr);
		jw_kstr(w, "kind", "resource");
		jw_obj_close(w);
	}
	jw_arr_close(w);
}

static void location(struct sarif *s, const struct customs_finding *f)
{
	struct jw *w = s->w;

	jw_key(w, "locations");
	jw_arr_open(w);
	jw_obj_open(w);
	jw_key(w, "physicalLocation");
	jw_obj_open(w);
	jw_key(w, "artifactLocation");
	jw_obj_open(w);
	artifact_uri(s, f);
	jw_kstr(w, "uri", s->b.ptr);
	jw_obj_close(w);
	/* no line information: the whole file, as Grype says it */
	jw_key(w, "region");
	jw_obj_open(w);
	jw_kint(w, "startLine", 1);
	jw_kint(w, "startColumn", 1);
	jw_kint(w, "endLine", 1);
	jw_kint(w, "endColumn", 1);
	jw_obj_close(w);
	jw_obj_close(w);
	logical_locations(s, f);
	jw_obj_close(w);
	jw_arr_close(w);
}

/* sha256 of what identifies the alert across runs, hex + ":1". */
static void fingerprint(struct sarif *s, const struct customs_finding *f)
{
	const struct customs_sbom_source *src = &s->res->sbom->source;
	const char *parts[8];
	struct customs_sha256 *h = s->h;
	unsigned char d[32];
	char hex[65 + 2];
	size_t i;

	customs_sha256_reset(h);
	parts[0] = rep_source_name(s->res);
	parts[1] = src->arch;
	parts[2] = src->os;
	parts[3] = sarif_pkg_type(f);
	parts[4] = sarif_pkg_name(f);
	parts[5] = sarif_pkg_version(f);
	parts[6] = rep_pkg_path(f->pkg);
	parts[7] = f->vuln.id;
	for (i = 0; i < 8; i++) {
		const char *p = parts[i] ? parts[i] : "";

		customs_sha256_update(h, p, strlen(p) + 1); /* with the NUL */
	}
	customs_sha256_final(h, d);
	customs_hex(hex, d, 32);
	memcpy(hex + 64, ":1", 3);
	jw_key(s->w, "partialFingerprints");
	jw_obj_open(s->w);
	jw_kstr(s->w, "primaryLocationLineHash", hex);
	jw_obj_close(s->w);
}

static bool same_suppression(const struct customs_finding *f, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++) {
		if (f->suppressions[j].kind == f->suppressions[i].kind &&
		    !strcmp(f->suppressions[j].reason,
			    f->suppressions[i].reason))
			return true;
	}
	return false;
}

static void suppressions(struct jw *w, const struct customs_finding *f)
{
	size_t i;

	if (!f->ignored)
		return;
	jw_key(w, "suppressions");
	jw_arr_open(w);
	for (i = 0; i < f->n_suppressions; i++) {
		if (same_suppression(f, i))
			continue; /* suppressions is a set */
		jw_obj_open(w);
		jw_kstr(w, "kind", "external");
		jw_kstr(w, "status", "accepted");
		jw_kstr(w, "justification", f->suppressions[i].reason);
		jw_key(w, "properties");
		jw_obj_open(w);
		jw_kstr(w, "customs:kind",
			customs_suppress_kind_name(f->suppressions[i].kind));
		jw_obj_close(w);
		jw_obj_close(w);
	}
	jw_arr_close(w);
}

static void result_props(struct jw *w, const struct customs_finding *f)
{
	size_t i;

	jw_key(w, "properties");
	jw_obj_open(w);
	jw_kstr(w, "package", sarif_pkg_name(f));
	jw_kstr(w, "version", sarif_pkg_version(f));
	jw_kstr(w, "type", sarif_pkg_type(f));
	jw_kstr(w, "purl", f->pkg ? f->pkg->purl : NULL);
	jw_kstr(w, "severity", rep_severity_word(f->vuln.severity));
	jw_kstr(w, "fixState", customs_fix_state_name(f->fix_state));
	jw_key(w, "fixVersions");
	jw_arr_open(w);
	for (i = 0; i < f->fix_versions.n; i++)
		jw_str(w, f->fix_versions.v[i]);
	jw_arr_close(w);
	jw_kstr(w, "namespace", f->vuln.namespace);
	jw_kstr(w, "matchType", customs_match_type_name(f->match_type));
	jw_obj_close(w);
}

static int result(struct sarif *s, const struct customs_finding *f)
{
	struct jw *w = s->w;

	jw_obj_open(w);
	jw_kstr(w, "ruleId", f->vuln.id);
	jw_kint(w, "ruleIndex", (int64_t)sarif_rule_index(s, f->vuln.id));
	jw_kstr(w, "level", level(f->vuln.severity));
	message(s, f);
	location(s, f);
	fingerprint(s, f);
	suppressions(w, f);
	result_props(w, f);
	jw_obj_close(w);
	return sarif_scratch_error(s);
}

static int run(struct sarif *s)
{
	struct jw *w = s->w;
	size_t i;
	int rc = 0;

	jw_obj_open(w);
	driver(s);
	for (i = 0; !rc && i < s->n_rules; i++)
		rc = sarif_rule(s, &s->rules[i]);
	jw_arr_close(w); /* rules */
	jw_obj_close(w); /* driver */
	jw_obj_close(w); /* tool */
	jw_key(w, "results");
	jw_arr_open(w);
	for (i = 0; !rc && i < s->list.n; i++)
		rc = result(s, s->list.v[i]);
	jw_arr_close(w);
	jw_key(w, "columnKind");
	jw_str(w, "utf16CodeUnits");
	jw_obj_close(w);
	return rc;
}

int report_write_sarif(struct jw *w, const struct customs_match_result *res,
		       const struct customs_report_opts *o)
{
	struct sarif s = { 0 };
	int rc;

	s.w = w;
	s.res = res;
	s.o = o;
	cbuf_init(&s.b, REPORT_MAX_TEXT);
	cbuf_init(&s.fix, REPORT_MAX_TEXT);
	cbuf_init(&s.url, REPORT_MAX_TEXT);
	short_name(s.short_name, sizeof(s.short_name), rep_source_name(res));
	s.h = customs_sha256_new();
	rc = s.h ? rep_list_make(&s.list, res, o) : CUSTOMS_ENOMEM;
	if (!rc)
		rc = sarif_make_rules(&s);
	if (!rc) {
		jw_obj_open(w);
		jw_kstr(w, "$schema", SARIF_SCHEMA);
		jw_kstr(w, "version", "2.1.0");
		jw_key(w, "runs");
		jw_arr_open(w);
		rc = run(&s);
		jw_arr_close(w);
		jw_obj_close(w);
	}
	cbuf_release(&s.b);
	cbuf_release(&s.fix);
	cbuf_release(&s.url);
	customs_sha256_free(s.h);
	customs_free(s.rules);
	customs_free(s.by_id);
	customs_free(s.list.v);
	return rc;
}
