/*
 * customs' own gates, under names Anchore Engine does not use
 * (docs/policy.md "Gates beyond Anchore"): image_source (registry and
 * repository of the evaluated tag against allow/deny patterns),
 * base_image (the base named by the OCI base-name label or the first
 * FROM of an actual Dockerfile must be trusted), vulnerability_extras
 * (CISA KEV, EPSS, fix age) and distro (end of life from a table shipped
 * here). Messages follow Anchore's style; trigger ids are md5 of
 * gate+trigger+message except vulnerability_extras, which uses the
 * "<id>+<package>" form of vulnerabilities/package so one whitelist
 * item covers both.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "policy/policy_int.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/banned.h"

#define DAY 86400

struct pat {
	const char *s;
	bool hit;
};

static int pat_one(void *data, const char *item, size_t n)
{
	struct pat *p = data;
	char buf[1024];

	if (n >= sizeof(buf))
		return 0;
	memcpy(buf, item, n);
	buf[n] = '\0';
	if (pattern_match(buf, p->s, NULL)) {
		p->hit = true;
		return 1;
	}
	return 0;
}

static bool any_pattern(const char *list, const char *s)
{
	struct pat p = { s, false };

	csv_each(list, pat_one, &p);
	return p.hit;
}

static int fire_source(struct ectx *e, const struct prule *r, bool deny)
{
	struct cbuf src = CBUF_INIT(8192);
	bool hit;
	int rc = 0;

	cbuf_printf(&src, "%s/%s", e->registry, e->repo);
	hit = any_pattern(P(r, 0), src.ptr);
	if (deny && hit)
		msgf(e, "Image source %s matches a denied pattern", src.ptr);
	else if (!deny && !hit)
		msgf(e, "Image source %s is not in the allowed list", src.ptr);
	if (deny == hit)
		rc = emit(e, NULL);
	cbuf_release(&src);
	return rc;
}

static int fire_denied(struct ectx *e, const struct prule *r)
{
	return fire_source(e, r, true);
}

static int fire_not_allowed(struct ectx *e, const struct prule *r)
{
	return fire_source(e, r, false);
}

static const struct pspec p_sources[] = {
	{ "sources", NULL, true, V_CSV, NULL,
	  "Comma list of registry/repository patterns ('*' wildcards or "
	  "regexp:)",
	  "docker.io/*" },
};

static const struct tspec t_source[] = {
	{ "denied",
	  "Triggers if the evaluated tag's registry/repository "
	  "matches one of the patterns.",
	  p_sources, 1, fire_denied },
	{ "not_allowed",
	  "Triggers if the evaluated tag's registry/repository "
	  "matches none of the patterns.",
	  p_sources, 1, fire_not_allowed },
};

const struct gspec gate_image_source = {
	"image_source",
	"customs: checks where the image comes from (registry and "
	"repository of the evaluated tag).",
	GS_ACTIVE,
	NULL,
	t_source,
	2,
	NULL,
	true,
};

/* base_image */

/* The base image name: analysis base_image.name, the OCI label, or the
 * first FROM of an actual Dockerfile. Heap, or NULL when unknown. */
static char *base_name(struct ectx *e)
{
	json_t *b = an_key(e->an, "base_image"), *cfg = an_key(e->an, "config");
	json_t *df = an_key(e->an, "dockerfile");
	const char *n = jstr(b, "name"), *mode = jstr(df, "mode"), *t, *p;
	size_t len;

	if (!n)
		n = jstr(json_object_get(cfg, "labels"),
			 "org.opencontainers.image.base.name");
	if (n)
		return customs_strdup(n);
	t = jstr(df, "text");
	if (!t || !mode || strcmp(mode, "Actual"))
		return NULL;
	for (p = t; *p; p += strcspn(p, "\n"), p += *p == '\n') {
		p += strspn(p, " \t");
		if (strncasecmp(p, "FROM ", 5))
			continue;
		p += 5 + strspn(p + 5, " ");
		if (!strncmp(p, "--platform", 10)) {
			p += strcspn(p, " \n");
			p += strspn(p, " ");
		}
		len = strcspn(p, " \r\n");
		return len ? customs_strndup(p, len) : NULL;
	}
	return NULL;
}

static int fire_untrusted(struct ectx *e, const struct prule *r)
{
	char *n = base_name(e);
	int rc = 0;

	if (n && !any_pattern(P(r, 0), n)) {
		msgf(e, "Base image %s is not in the trusted list", n);
		rc = emit(e, NULL);
	}
	customs_free(n);
	return rc;
}

static int fire_base_unknown(struct ectx *e, const struct prule *r)
{
	char *n = base_name(e);

	(void)r;
	customs_free(n);
	if (n)
		return 0;
	msgf(e, "Base image of this image is not known");
	return emit(e, NULL);
}

/* base_image.layers (diff ids) must be a prefix of layers[].diff_id. */
static int fire_layers(struct ectx *e, const struct prule *r)
{
	json_t *bl = json_object_get(an_key(e->an, "base_image"), "layers");
	json_t *il = an_key(e->an, "layers"), *v;
	size_t i;

	(void)r;
	if (!json_is_array(bl))
		return 0;
	json_array_foreach(bl, i, v)
	{
		const char *want = json_string_value(v);
		const char *got = jstr(json_array_get(il, i), "diff_id");

		if (want && got && !strcmp(want, got))
			continue;
		msgf(e,
		     "Base image layer %zu (%s) is not layer %zu of the image",
		     i, want ? want : "None", i);
		return emit(e, NULL);
	}
	return 0;
}

static const struct pspec p_trusted[] = {
	{ "trusted", NULL, true, V_CSV, NULL,
	  "Comma list of trusted base image patterns ('*' wildcards or "
	  "regexp:)",
	  "docker.io/library/debian:*" },
};

static const struct tspec t_base[] = {
	{ "not_trusted",
	  "Triggers if the base image is known and matches none of the "
	  "trusted patterns.",
	  p_trusted, 1, fire_untrusted },
	{ "unknown", "Triggers if the base image cannot be determined.", NULL,
	  0, fire_base_unknown },
	{ "layers_mismatch",
	  "Triggers if the given base image's layers are not a prefix of "
	  "the image's layers.",
	  NULL, 0, fire_layers },
};

const struct gspec gate_base_image = {
	"base_image", "customs: checks the image's base (FROM) image.",
	GS_ACTIVE,    NULL,
	t_base,	      3,
	NULL,	      true,
};

/* vulnerability_extras */

static void vuln_id(struct cbuf *b, const json_t *v)
{
	const char *id = jstr(json_object_get(v, "vulnerability"), "id");
	const char *name = jstr(json_object_get(v, "package"), "name");

	cbuf_reset(b);
	cbuf_printf(b, "%s+%s", id ? id : "None", name ? name : "None");
}

static int extras(struct ectx *e, const struct prule *r, int which)
{
	struct cbuf id = CBUF_INIT(8192);
	const json_t *v;
	size_t i;
	int rc = 0;

	json_array_foreach(e->an->vulns, i, v)
	{
		json_t *vu = json_object_get(v, "vulnerability");
		json_t *fix = json_object_get(v, "fix");
		const char *vid = jstr(vu, "id");
		const char *pkg = jstr(json_object_get(v, "package"), "name");
		json_t *epss = json_object_get(vu, "epss");
		double score;
		bool ok;
		int64_t t;

		if (!vid || !pkg)
			continue;
		if (which == 0) {
			if (!json_is_object(json_object_get(vu, "kev")))
				continue;
			msgf(e,
			     "%s in package %s is in the CISA Known Exploited "
			     "Vulnerabilities catalog",
			     vid, pkg);
		} else if (which == 1) {
			score = json_number_value(
				json_object_get(epss, "score"));
			if (!json_is_object(epss) ||
			    !(score > strtod(P(r, 0), NULL)))
				continue;
			msgf(e, "%s in package %s has an EPSS score of ", vid,
			     pkg);
			py_float(&e->msg, score);
			cbuf_printf(&e->msg, " (threshold %s)", P(r, 0));
		} else {
			t = parse_rfc3339(jstr(fix, "date"), &ok);
			if (!ok || t > e->now - atoll(P(r, 0)) * DAY)
				continue;
			msgf(e,
			     "%s in package %s has had a fix available for "
			     "more than %s days",
			     vid, pkg, P(r, 0));
		}
		vuln_id(&id, v);
		if ((rc = emit(e, id.ptr)))
			break;
	}
	cbuf_release(&id);
	return rc;
}

static int fire_kev(struct ectx *e, const struct prule *r)
{
	return extras(e, r, 0);
}

static int fire_epss(struct ectx *e, const struct prule *r)
{
	return extras(e, r, 1);
}

static int fire_fix_age(struct ectx *e, const struct prule *r)
{
	return extras(e, r, 2);
}

static const struct pspec p_epss[] = {
	{ "threshold", NULL, true, V_FLOAT, NULL,
	  "Fire when the EPSS probability is above this value (0 to 1).",
	  "0.5" },
};
static const struct pspec p_fixage[] = {
	{ "max_days", NULL, true, V_INT, NULL,
	  "Fire when a fix has been available for more than this many days.",
	  "30" },
};

static const struct tspec t_extras[] = {
	{ "kev",
	  "Triggers for each vulnerability listed in the CISA Known "
	  "Exploited Vulnerabilities catalog.",
	  NULL, 0, fire_kev },
	{ "epss",
	  "Triggers for each vulnerability whose EPSS score is above "
	  "the threshold.",
	  p_epss, 1, fire_epss },
	{ "fix_age",
	  "Triggers for each vulnerability whose fix was published more than "
	  "max_days ago.",
	  p_fixage, 1, fire_fix_age },
};

const struct gspec gate_vuln_extras = {
	"vulnerability_extras",
	"customs: exploitation and fix-age checks on vulnerabilities.",
	GS_ACTIVE,
	NULL,
	t_extras,
	3,
	NULL,
	true,
};

/* distro end of life: end of security support (LTS included). */
static const struct {
	const char *id, *version, *eol;
} eol_table[] = {
	{ "debian", "8", "2020-06-30" },
	{ "debian", "9", "2022-06-30" },
	{ "debian", "10", "2024-06-30" },
	{ "debian", "11", "2026-08-31" },
	{ "debian", "12", "2028-06-30" },
	{ "ubuntu", "16.04", "2021-04-30" },
	{ "ubuntu", "18.04", "2023-05-31" },
	{ "ubuntu", "20.04", "2025-05-31" },
	{ "ubuntu", "22.04", "2027-06-01" },
	{ "ubuntu", "24.04", "2029-05-31" },
	{ "alpine", "3.14", "2023-05-01" },
	{ "alpine", "3.15", "2023-11-01" },
	{ "alpine", "3.16", "2024-05-23" },
	{ "alpine", "3.17", "2024-11-22" },
	{ "alpine", "3.18", "2025-05-09" },
	{ "alpine", "3.19", "2025-11-01" },
	{ "alpine", "3.20", "2026-04-01" },
	{ "alpine", "3.21", "2026-11-01" },
	{ "centos", "7", "2024-06-30" },
	{ "centos", "8", "2021-12-31" },
	{ "rhel", "7", "2024-06-30" },
	{ "rhel", "8", "2029-05-31" },
	{ "rhel", "9", "2032-05-31" },
};

static const char *eol_date(const char *id, const char *ver)
{
	size_t i, n;

	for (i = 0; i < sizeof(eol_table) / sizeof(eol_table[0]); i++) {
		n = strlen(eol_table[i].version);
		if (strcmp(eol_table[i].id, id) ||
		    strncmp(eol_table[i].version, ver, n) ||
		    (ver[n] && ver[n] != '.'))
			continue;
		return eol_table[i].eol;
	}
	return NULL;
}

static int fire_eol(struct ectx *e, const struct prule *r)
{
	json_t *d = an_key(e->an, "distro");
	const char *id = jstr(d, "id"), *ver = jstr(d, "version_id"), *date;
	long long before = P(r, 0) ? atoll(P(r, 0)) : 0;
	bool ok;
	int64_t t;

	if (!id || !ver || !(date = eol_date(id, ver)))
		return 0;
	t = parse_rfc3339(date, &ok);
	if (!ok || e->now < t - before * DAY)
		return 0;
	msgf(e, "Distro %s %s reaches end of life on %s", id, ver, date);
	return emit(e, NULL);
}

static const struct pspec p_eol[] = {
	{ "days_before", NULL, false, V_INT, NULL,
	  "Also fire this many days before the end of life date.", "90" },
};

static const struct tspec t_distro[] = {
	{ "end_of_life",
	  "Triggers if the image's distribution release is past (or within "
	  "days_before of) the end of its security support.",
	  p_eol, 1, fire_eol },
};

const struct gspec gate_distro_eol = {
	"distro",  "customs: checks on the image's distribution release.",
	GS_ACTIVE, NULL,
	t_distro,  1,
	NULL,	   true,
};
