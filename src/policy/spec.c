/*
 * The gate table: every active Anchore gate, the end-of-life gates (names
 * only: refused by validation, skipped by evaluation), customs' own
 * gates; case-insensitive lookup of gates and triggers; the parameter
 * validators; and the policy_spec document (GET /system/policy_spec):
 * active gates before end-of-life ones, parameters in table order.
 */
#include <string.h>
#include <strings.h>

#include "policy/policy_int.h"
#include "util/alloc.h"
#include "util/jsonalloc.h"
#include "util/banned.h"

#define EOL_GATE(var, gname, super, ...)                                   \
	static const char *const var##_t[] = { __VA_ARGS__, NULL };        \
	static const struct gspec var = { gname,   gname " (end of life)", \
					  GS_EOL,  super,                  \
					  NULL,	   0,                      \
					  var##_t, false }

EOL_GATE(eol_anchoresec, "anchoresec", "vulnerabilities", "vulnlow",
	 "vulnmedium", "vulnhigh", "vulncritical", "vulnunknown",
	 "feedoutofdate", "unsupporteddistro");
EOL_GATE(eol_dockerfilecheck, "dockerfilecheck", "dockerfile", "effectiveuser",
	 "directivecheck", "expose", "nofrom", "fromscratch", "notag", "sudo",
	 "volumepresent", "nohealthcheck", "nodockerfile");
EOL_GATE(eol_filecheck, "filecheck", "files", "contentmatch", "filenamematch",
	 "suidsgidcheck");
EOL_GATE(eol_passwd, "fileparse_passwd", "passwd_file", "filenotstored",
	 "usernamematch", "useridmatch", "groupidmatch", "shellmatch",
	 "pentrymatch");
EOL_GATE(eol_gemcheck, "gemcheck", "gems", "gemnotlatest", "gemnotofficial",
	 "gembadversion", "gempkgfullmatch", "gempkgnamematch", "gemnofeed");
EOL_GATE(eol_npmcheck, "npmcheck", "npms", "npmnotlatest", "npmnotofficial",
	 "npmbadversion", "npmpkgfullmatch", "npmpkgnamematch", "npmnofeed");
EOL_GATE(eol_pkgcheck, "pkgcheck", "packages", "verify", "pkgnotpresent");
EOL_GATE(eol_pkgblacklist, "pkgblacklist", "packages", "pkgfullmatch",
	 "pkgnamematch");
EOL_GATE(eol_licblacklist, "licblacklist", "licenses", "licfullmatch",
	 "licsubmatch");
EOL_GATE(eol_metadatacheck, "metadatacheck", "metadata", "attributecheck");
EOL_GATE(eol_secretcheck, "secretcheck", "secret_scans", "contentmatch",
	 "filenamematch");
EOL_GATE(eol_suiddiff, "suiddiff", NULL, "suidmodediff", "suidfileadd",
	 "suidfiledel", "suiddiff");
EOL_GATE(eol_imagecheck, "imagecheck", NULL, "baseoutofdate");
EOL_GATE(eol_pkgdiff, "pkgdiff", NULL, "pkgdiff", "pkgversiondiff", "pkgadd",
	 "pkgdel");

const struct gspec *const policy_gates[] = {
	&gate_always,
	&gate_dockerfile,
	&gate_files,
	&gate_licenses,
	&gate_malware,
	&gate_metadata,
	&gate_npms,
	&gate_packages,
	&gate_passwd_file,
	&gate_retrieved_files,
	&gate_ruby_gems,
	&gate_secret_scans,
	&gate_vulnerabilities,
	&gate_image_source,
	&gate_base_image,
	&gate_vuln_extras,
	&gate_distro_eol,
	&eol_anchoresec,
	&eol_dockerfilecheck,
	&eol_filecheck,
	&eol_passwd,
	&eol_gemcheck,
	&eol_npmcheck,
	&eol_pkgcheck,
	&eol_pkgblacklist,
	&eol_licblacklist,
	&eol_metadatacheck,
	&eol_secretcheck,
	&eol_suiddiff,
	&eol_imagecheck,
	&eol_pkgdiff,
};
const size_t policy_ngates = sizeof(policy_gates) / sizeof(policy_gates[0]);

const struct gspec *spec_gate(const char *name)
{
	size_t i;

	for (i = 0; i < policy_ngates; i++) {
		if (!strcasecmp(policy_gates[i]->name, name))
			return policy_gates[i];
	}
	return NULL;
}

const struct tspec *spec_trigger(const struct gspec *g, const char *name)
{
	size_t i;

	for (i = 0; i < g->ntriggers; i++) {
		if (!strcasecmp(g->triggers[i].name, name))
			return &g->triggers[i];
	}
	return NULL;
}

static bool sp(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

/* ^\s*\d+\s*$ */
static bool int_str(const char *s)
{
	const char *p = s;

	while (sp(*p))
		p++;
	if (*p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	while (sp(*p))
		p++;
	return !*p;
}

/* ^\s*-*(\d)*(\.\d*)?\s*$ */
static bool float_str(const char *s)
{
	const char *p = s;

	while (sp(*p))
		p++;
	while (*p == '-')
		p++;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	while (sp(*p))
		p++;
	return !*p;
}

static int nonempty(void *data, const char *item, size_t n)
{
	bool digits = *(bool *)data;
	size_t i;

	if (!n)
		return 1;
	for (i = 0; digits && i < n; i++) {
		if (item[i] < '0' || item[i] > '9')
			return 1;
	}
	return 0;
}

static bool size_str(const char *s)
{
	const char *p = s;

	if (*p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	if (!*p)
		return true;
	return strchr("kmgt", *p) && p[1] == 'b' && !p[2];
}

bool spec_value_ok(const struct pspec *p, const char *v)
{
	bool digits;
	size_t i;

	switch (p->type) {
	case V_STR:
		return true;
	case V_BOOL:
		return !strcasecmp(v, "true") || !strcasecmp(v, "false");
	case V_INT:
		return int_str(v);
	case V_FLOAT:
		return float_str(v);
	case V_ENUM:
		for (i = 0; p->enums[i]; i++) {
			if (!strcmp(p->enums[i], v))
				return true;
		}
		return false;
	case V_CSV:
	case V_CSV_INT:
		digits = p->type == V_CSV_INT;
		return csv_each(v, nonempty, &digits) == 0;
	case V_SIZE:
		return size_str(v);
	}
	return false;
}

/* metadata/attribute: size takes N[kb|mb|gb|tb], layer_count digits. */
bool spec_rule_ok(const struct prule *r)
{
	const char *attr = r->pv[0], *v = r->pv[2];

	if (r->g != &gate_metadata || !attr || !v)
		return true;
	if (!strcmp(attr, "size"))
		return size_str(v);
	if (!strcmp(attr, "layer_count"))
		return int_str(v);
	return true;
}

static json_t *validator_json(const struct pspec *p)
{
	static const char *const names[] = {
		"type",
		"BooleanString",
		"IntegerString",
		"FloatString",
		"EnumString",
		"CommaDelimitedStringList",
		"CommaDelimitedStringOfNumbers",
		"RegexValidator",
	};
	json_t *crit, *en;
	size_t i;

	if (p->type == V_ENUM) {
		en = json_array();
		for (i = 0; en && p->enums[i]; i++)
			json_array_append_new(en, json_string(p->enums[i]));
		crit = json_pack("{s:s,s:o}", "type", "string", "enum", en);
	} else {
		crit = json_pack("{s:s}", "type", "string");
	}
	return json_pack("{s:s,s:s,s:o}", "type", names[p->type], "description",
			 p->type == V_STR ? "any string" : names[p->type],
			 "criteria", crit);
}

static json_t *param_json(const struct pspec *p)
{
	return json_pack("{s:s,s:s,s:s?,s:b,s:s,s:n,s:o}", "name", p->name,
			 "description", p->desc, "example", p->example,
			 "required", (int)p->required, "state", "active",
			 "superceded_by", "validator", validator_json(p));
}

static json_t *trigger_json(const char *name, const char *desc,
			    const struct pspec *params, size_t n,
			    enum gstate st)
{
	json_t *ps = json_array();
	size_t i;

	for (i = 0; ps && i < n; i++)
		json_array_append_new(ps, param_json(&params[i]));
	return json_pack("{s:s,s:s,s:s,s:n,s:o}", "name", name, "description",
			 desc, "state", st == GS_EOL ? "eol" : "active",
			 "superceded_by", "parameters", ps);
}

static json_t *gate_json(const struct gspec *g)
{
	json_t *ts = json_array();
	size_t i;

	for (i = 0; ts && i < g->ntriggers; i++)
		json_array_append_new(ts, trigger_json(g->triggers[i].name,
						       g->triggers[i].desc,
						       g->triggers[i].params,
						       g->triggers[i].nparams,
						       g->state));
	for (i = 0; ts && g->eol_triggers && g->eol_triggers[i]; i++)
		json_array_append_new(ts, trigger_json(g->eol_triggers[i],
						       g->eol_triggers[i], NULL,
						       0, g->state));
	return json_pack("{s:s,s:s,s:s,s:s?,s:o}", "name", g->name,
			 "description", g->desc, "state",
			 g->state == GS_EOL ? "eol" : "active", "superceded_by",
			 g->superseded_by, "triggers", ts);
}

int customs_policy_describe_json(char **out, bool pretty)
{
	json_t *a;
	size_t i, pass;

	customs_json_alloc_init();
	*out = NULL;
	a = json_array();
	if (!a)
		return CUSTOMS_ENOMEM;
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < policy_ngates; i++) {
			if ((policy_gates[i]->state == GS_EOL) != (pass == 1))
				continue;
			if (json_array_append_new(a,
						  gate_json(policy_gates[i]))) {
				json_decref(a);
				return CUSTOMS_ENOMEM;
			}
		}
	}
	*out = json_dumps(a, JSON_PRESERVE_ORDER |
				     (pretty ? JSON_INDENT(2) : JSON_COMPACT));
	json_decref(a);
	return *out ? 0 : CUSTOMS_ENOMEM;
}
