/*
 * The analysis document a bundle is evaluated against
 * (docs/policy-input.md): parsed once with jansson, its top-level keys
 * type-checked, and a path index over files[] built so attribute and
 * verify checks are lookups. Also the small decoders the gates share:
 * Anchore's package type and version fields for a package record, the
 * full st_mode of a file entry, base64 and RFC 3339 times.
 */
#include <stdlib.h>
#include <string.h>

#include "policy/policy_int.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/jsonalloc.h"
#include "util/banned.h"

const char *jstr(const json_t *o, const char *key)
{
	json_t *v = o ? json_object_get(o, key) : NULL;

	return json_is_string(v) ? json_string_value(v) : NULL;
}

json_t *an_key(const struct customs_policy_analysis *an, const char *key)
{
	json_t *v = json_object_get(an->root, key);

	return json_is_null(v) ? NULL : v;
}

/* Keys whose type is checked up front so the gates can trust them. */
static const struct {
	const char *key;
	json_type type;
} typed_keys[] = {
	{ "image", JSON_OBJECT },
	{ "config", JSON_OBJECT },
	{ "history", JSON_ARRAY },
	{ "dockerfile", JSON_OBJECT },
	{ "layers", JSON_ARRAY },
	{ "distro", JSON_OBJECT },
	{ "files", JSON_ARRAY },
	{ "packages", JSON_ARRAY },
	{ "secret_search", JSON_OBJECT },
	{ "content_search", JSON_OBJECT },
	{ "retrieved_files", JSON_OBJECT },
	{ "malware", JSON_OBJECT },
	{ "vulnerabilities", JSON_ARRAY },
	{ "suppressed_vulnerabilities", JSON_ARRAY },
	{ "vulnerability_db", JSON_OBJECT },
};

static int check_types(struct customs_policy_analysis *an, const char *name,
		       struct customs_ctx *ctx)
{
	size_t i;

	for (i = 0; i < sizeof(typed_keys) / sizeof(typed_keys[0]); i++) {
		json_t *v = json_object_get(an->root, typed_keys[i].key);

		if (!v || json_is_null(v) ||
		    json_typeof(v) == typed_keys[i].type)
			continue;
		return customs_error(
			ctx, CUSTOMS_EFORMAT, "%s: \"%s\" must be an %s", name,
			typed_keys[i].key,
			typed_keys[i].type == JSON_ARRAY ? "array" : "object");
	}
	return 0;
}

static int index_files(struct customs_policy_analysis *an)
{
	size_t i;
	json_t *f;

	json_array_foreach(an->files, i, f)
	{
		const char *p = jstr(f, "path");

		if (p && strmap_put(&an->file_by_path, p, f))
			return CUSTOMS_ENOMEM;
	}
	return 0;
}

/* Extract files[] and vulnerabilities[] into arrays the gates loop over
 * without JSON lookups (an evaluation reads them once per rule). */
static int prepare(struct customs_policy_analysis *an)
{
	size_t i, n = json_array_size(an->files);
	json_t *v;

	an->afiles = customs_calloc(n + 1, sizeof(*an->afiles));
	an->vms = customs_calloc(json_array_size(an->vulns) + 1,
				 sizeof(*an->vms));
	if (!an->afiles || !an->vms)
		return CUSTOMS_ENOMEM;
	json_array_foreach(an->files, i, v)
	{
		struct afile *f = &an->afiles[an->nafiles];

		f->path = jstr(v, "path");
		if (!f->path)
			continue;
		f->sha256 = jstr(v, "sha256");
		f->mode = file_st_mode(v);
		an->nafiles++;
	}
	json_array_foreach(an->vulns, i, v)
	{
		vm_load(&an->vms[an->nvms], v);
		if (an->vms[an->nvms].id)
			an->nvms++;
	}
	return 0;
}

static int set_ids(struct customs_policy_analysis *an)
{
	json_t *img = an_key(an, "image");
	const char *id = jstr(img, "id"), *dg = jstr(img, "manifest_digest");

	if (id && !strncmp(id, "sha256:", 7))
		id += 7;
	an->image_id = customs_strdup(id ? id : "");
	an->digest = customs_strdup(dg ? dg : "");
	return an->image_id && an->digest ? 0 : CUSTOMS_ENOMEM;
}

int customs_policy_analysis_parse(struct customs_policy_analysis **out,
				  const char *json, size_t len,
				  const char *name, struct customs_ctx *ctx)
{
	struct customs_policy_analysis *an;
	json_error_t jerr;
	int rc;

	*out = NULL;
	if (!name)
		name = "analysis";
	if (len > CUSTOMS_POLICY_MAX_DOC)
		return customs_error(ctx, CUSTOMS_ELIMIT, "%s: over %u bytes",
				     name, CUSTOMS_POLICY_MAX_DOC);
	customs_json_alloc_init();
	an = customs_calloc(1, sizeof(*an));
	if (!an)
		return customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	an->root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!an->root && json_error_code(&jerr) == json_error_out_of_memory) {
		rc = customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
		goto fail;
	}
	if (!an->root || !json_is_object(an->root)) {
		rc = customs_error(ctx, CUSTOMS_EFORMAT, "%s: line %d: %s",
				   name, an->root ? 1 : jerr.line,
				   an->root ? "not a JSON object" : jerr.text);
		goto fail;
	}
	rc = check_types(an, name, ctx);
	if (rc)
		goto fail;
	an->files = an_key(an, "files");
	an->packages = an_key(an, "packages");
	an->vulns = an_key(an, "vulnerabilities");
	if (index_files(an) || set_ids(an) || prepare(an)) {
		rc = customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
		goto fail;
	}
	*out = an;
	return 0;
fail:
	customs_policy_analysis_free(an);
	return rc;
}

void customs_policy_analysis_free(struct customs_policy_analysis *an)
{
	if (!an)
		return;
	strmap_release(&an->file_by_path);
	customs_free(an->afiles);
	customs_free(an->vms);
	json_decref(an->root);
	customs_free(an->image_id);
	customs_free(an->digest);
	customs_free(an);
}

/* syft type -> Anchore pkg_type (docs/policy-input.md keeps this table) */
static const char *const type_map[][2] = {
	{ "deb", "dpkg" },
	{ "rpm", "rpm" },
	{ "apk", "APKG" },
	{ "java-archive", "java" },
	{ "jenkins-plugin", "java" },
	{ "python", "python" },
	{ "npm", "npm" },
	{ "gem", "gem" },
	{ "go-module", "go" },
	{ "binary", "binary" },
	{ "php-composer", "composer" },
	{ "dotnet", "nuget" },
	{ "rust-crate", "rust" },
};

const char *pkg_type_anchore(const char *syft_type)
{
	size_t i;

	if (!syft_type)
		return "unknown";
	for (i = 0; i < sizeof(type_map) / sizeof(type_map[0]); i++) {
		if (!strcmp(type_map[i][0], syft_type))
			return type_map[i][1];
	}
	return syft_type;
}

void pkg_versions(const json_t *p, struct cbuf *version, struct cbuf *full)
{
	const char *t = jstr(p, "type"), *v = jstr(p, "version"), *dash;

	if (!v)
		v = "";
	cbuf_reset(version);
	cbuf_reset(full);
	if (t && !strcmp(t, "rpm")) {
		const char *colon = strchr(v, ':');

		if (colon)
			v = colon + 1; /* Anchore keeps the epoch apart */
	}
	cbuf_puts(full, v);
	dash = strrchr(v, '-');
	if (t && (!strcmp(t, "rpm") || !strcmp(t, "apk")) && dash)
		cbuf_put(version, v, (size_t)(dash - v));
	else
		cbuf_puts(version, v);
}

unsigned long file_st_mode(const json_t *f)
{
	static const struct {
		const char *type;
		unsigned long bits;
	} types[] = {
		{ "file", 0100000 }, { "hardlink", 0100000 },
		{ "dir", 0040000 },  { "symlink", 0120000 },
		{ "char", 0020000 }, { "block", 0060000 },
		{ "fifo", 0010000 }, { "socket", 0140000 },
	};
	const char *m = jstr(f, "mode"), *t = jstr(f, "type");
	unsigned long mode = m ? strtoul(m, NULL, 8) & 07777 : 0;
	size_t i;

	for (i = 0; t && i < sizeof(types) / sizeof(types[0]); i++) {
		if (!strcmp(types[i].type, t))
			return mode | types[i].bits;
	}
	return mode;
}

static int b64_val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

char *b64_decode(const char *s, size_t *n)
{
	size_t len = strlen(s), o = 0;
	char *out = customs_malloc(len / 4 * 3 + 4);
	unsigned acc = 0;
	int bits = 0, v;

	if (!out)
		return NULL;
	for (; *s && *s != '='; s++) {
		if (*s == '\n' || *s == '\r')
			continue;
		v = b64_val((unsigned char)*s);
		if (v < 0) {
			customs_free(out);
			return NULL;
		}
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (char)((acc >> bits) & 0xff);
		}
	}
	out[o] = '\0';
	if (n)
		*n = o;
	return out;
}

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static bool digits(const char *s, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

/* "YYYY-MM-DD[(T| )HH:MM:SS[.frac][Z|+HH:MM]]" to Unix seconds. */
int64_t parse_rfc3339(const char *s, bool *ok)
{
	int y, mo, d, h = 0, mi = 0, se = 0, oh, om, sign;
	int64_t t;

	*ok = false;
	if (!s || strlen(s) < 10 || !digits(s, 4, &y) || s[4] != '-' ||
	    !digits(s + 5, 2, &mo) || s[7] != '-' || !digits(s + 8, 2, &d) ||
	    mo < 1 || mo > 12 || d < 1 || d > 31)
		return 0;
	s += 10;
	if (*s == 'T' || *s == 't' || *s == ' ') {
		if (!digits(s + 1, 2, &h) || s[3] != ':' ||
		    !digits(s + 4, 2, &mi) || s[6] != ':' ||
		    !digits(s + 7, 2, &se) || h > 23 || mi > 59 || se > 60)
			return 0;
		s += 9;
		if (*s == '.')
			for (s++; *s >= '0' && *s <= '9'; s++)
				;
	}
	t = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 +
	    mi * 60 + se;
	if (*s == 'Z' || *s == 'z') {
		s++;
	} else if (*s == '+' || *s == '-') {
		sign = *s == '-' ? -1 : 1;
		if (!digits(s + 1, 2, &oh) || s[3] != ':' ||
		    !digits(s + 4, 2, &om))
			return 0;
		t -= sign * (oh * 3600 + om * 60);
		s += 6;
	}
	if (*s)
		return 0;
	*ok = true;
	return t;
}

int customs_policy_analysis_first_tag(const struct customs_policy_analysis *an,
				      char **out)
{
	json_t *tags = json_object_get(an_key(an, "image"), "repo_tags");
	const char *t = json_string_value(json_array_get(tags, 0));

	*out = NULL;
	if (!t || !*t)
		return CUSTOMS_ENOTFOUND;
	*out = customs_strdup(t);
	return *out ? 0 : CUSTOMS_ENOMEM;
}

int customs_policy_time_parse(const char *s, int64_t *out)
{
	bool ok = false;
	char *end = NULL;
	long long v;

	*out = parse_rfc3339(s, &ok);
	if (ok)
		return 0;
	if (!s || *s < '0' || *s > '9')
		return CUSTOMS_EINVAL;
	v = strtoll(s, &end, 10);
	if (*end || v <= 0)
		return CUSTOMS_EINVAL;
	*out = v;
	return 0;
}
