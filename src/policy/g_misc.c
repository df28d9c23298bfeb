/*
 * Small gates (Anchore §2.1, §2.5, §2.6, §2.12, §2.14): always, metadata
 * (image attributes with Python-like coercion of the check value),
 * malware (scanner findings, or no scan at all), secret_scans (the
 * secret_search matches, name filtering by substring of the raw
 * parameter as the reference does) and the end-of-life gates, which
 * only have names: validation refuses them, evaluation skips them.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "policy/policy_int.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/banned.h"

static int fire_always(struct ectx *e, const struct prule *r)
{
	(void)r;
	msgf(e, "Unconditional trigger match");
	return emit(e, "always");
}

static const struct tspec t_always[] = {
	{ "always",
	  "Fires if present in a policy being evaluated. Useful "
	  "for things like blacklisting images or testing "
	  "mappings and whitelists by using this trigger in "
	  "combination with policy mapping rules.",
	  NULL, 0, fire_always },
};

const struct gspec gate_always = {
	"always",
	"Triggers that fire unconditionally if present in policy, useful "
	"for things like testing and blacklisting.",
	GS_ACTIVE,
	NULL,
	t_always,
	1,
	NULL,
	false,
};

/* metadata */

struct mval {
	bool is_int, is_none;
	long long i;
	const char *s;
	char buf[32];
};

static void image_value(struct ectx *e, const char *attr, struct mval *v)
{
	json_t *img = an_key(e->an, "image"), *d = an_key(e->an, "distro");
	json_t *x = NULL;

	memset(v, 0, sizeof(*v));
	if (!strcmp(attr, "size"))
		x = json_object_get(img, "size");
	else if (!strcmp(attr, "layer_count"))
		x = json_object_get(img, "layer_count");
	else if (!strcmp(attr, "architecture"))
		x = json_object_get(img, "architecture");
	else if (!strcmp(attr, "os_type"))
		x = json_object_get(img, "os");
	else if (!strcmp(attr, "distro"))
		x = json_object_get(d, "id");
	else if (!strcmp(attr, "distro_version"))
		x = json_object_get(d, "version_id");
	else if (!strcmp(attr, "like_distro"))
		x = json_object_get(d, "id_like");
	if (json_is_integer(x)) {
		v->is_int = true;
		v->i = json_integer_value(x);
		snprintf(v->buf, sizeof(v->buf), "%lld", v->i);
		v->s = v->buf;
	} else if (json_is_string(x)) {
		v->s = json_string_value(x);
	} else {
		v->is_none = true;
		v->s = "None";
	}
}

/* "10", "10kb".."10tb" (size), plain digits otherwise; false if bad. */
static bool coerce_int(const char *s, bool size, long long *out)
{
	char *end = NULL;
	long long n;
	int shift = 0;

	if (!s || !*s || *s < '0' || *s > '9')
		return false;
	n = strtoll(s, &end, 10);
	if (size && *end) {
		const char *u = "kmgt", *p = strchr(u, *end);

		if (!p || !*end || strcmp(end + 1, "b"))
			return false;
		shift = 10 * (int)(p - u + 1);
		end += 2;
	}
	if (*end || n > (LLONG_MAX >> shift))
		return false;
	*out = n << shift;
	return true;
}

static int meta_cmp(const struct mval *img, long long vi, const char *vs,
		    bool as_int)
{
	if (as_int)
		return (img->i > vi) - (img->i < vi);
	return strcmp(img->s, vs) > 0 ? 1 : (strcmp(img->s, vs) < 0 ? -1 : 0);
}

static int meta_check(struct ectx *e, const char *op, const struct mval *img,
		      const char *val, long long vi, bool as_int)
{
	int c;

	if (!strcmp(op, "exists"))
		return !img->is_none && *img->s && (!img->is_int || img->i);
	if (!strcmp(op, "not_exists"))
		return img->is_none || !*img->s || (img->is_int && !img->i);
	if (!strcmp(op, "like") || !strcmp(op, "not_like")) {
		c = rx_match_once(e, val, img->s);
		return c < 0 ? c : (c == !strcmp(op, "like"));
	}
	if (!strcmp(op, "in") || !strcmp(op, "not_in"))
		return csv_has(val, img->s, strlen(img->s)) ==
		       !strcmp(op, "in");
	if (img->is_none) {
		if (!strcmp(op, "=") || !strcmp(op, "!="))
			return !strcmp(op, "!=");
		return eval_error(e, CUSTOMS_EFORMAT,
				  "cannot compare a missing image value");
	}
	c = meta_cmp(img, vi, val, as_int);
	if (!strcmp(op, "="))
		return c == 0;
	if (!strcmp(op, "!="))
		return c != 0;
	if (!strcmp(op, ">"))
		return c > 0;
	if (!strcmp(op, "<"))
		return c < 0;
	if (!strcmp(op, ">="))
		return c >= 0;
	return c <= 0;
}

static int fire_attribute(struct ectx *e, const struct prule *r)
{
	const char *attr = P(r, 0), *op = P(r, 1), *val = P(r, 2);
	bool size = !strcmp(attr, "size"), exist;
	struct mval img;
	long long vi = 0;
	char vbuf[32];
	int rc;

	exist = !strcmp(op, "exists") || !strcmp(op, "not_exists");
	if (!val && !exist)
		return 0;
	image_value(e, attr, &img);
	if (val && img.is_int && !coerce_int(val, size, &vi))
		return eval_error(e, CUSTOMS_EFORMAT,
				  "value '%s' is not a valid %s", val, attr);
	rc = meta_check(e, op, &img, val, vi, img.is_int);
	if (rc <= 0)
		return rc;
	if (val && img.is_int) {
		snprintf(vbuf, sizeof(vbuf), "%lld", vi);
		val = vbuf;
	}
	msgf(e,
	     "Attribute check for attribute: '%s' check: '%s' check_value: "
	     "'%s' matched image value: '%s'",
	     attr, op, val ? val : "", img.s);
	return emit(e, NULL);
}

static const char *const attrs[] = { "size",	       "architecture",
				     "os_type",	       "distro",
				     "distro_version", "like_distro",
				     "layer_count",    NULL };
static const char *const meta_ops[] = {
	"=",	      "!=",   ">",	  "<",	">=",	  "<=", "exists",
	"not_exists", "like", "not_like", "in", "not_in", NULL
};

static const struct pspec p_attribute[] = {
	{ "attribute", NULL, true, V_ENUM, attrs,
	  "Attribute name to be checked.", "size" },
	{ "check", NULL, true, V_ENUM, meta_ops,
	  "The operation to perform the evaluation.", ">" },
	{ "value", NULL, false, V_STR, NULL, "Value used in comparison.",
	  "1073741824" },
};

static const struct tspec t_meta[] = {
	{ "attribute",
	  "Triggers if a named image metadata value matches the given "
	  "condition.",
	  p_attribute, 3, fire_attribute },
};

const struct gspec gate_metadata = {
	"metadata",
	"Checks against image metadata, such as size, OS, distro, "
	"architecture, etc.",
	GS_ACTIVE,
	NULL,
	t_meta,
	1,
	NULL,
	false,
};

/* malware */

static int fire_scans(struct ectx *e, const struct prule *r)
{
	json_t *mw = an_key(e->an, "malware"), *f;
	const char *scanner = jstr(mw, "scanner");
	struct cbuf id = CBUF_INIT(8192);
	char md5[33], hex[33];
	size_t i;
	int rc = 0;

	(void)r;
	json_array_foreach(json_object_get(mw, "findings"), i, f)
	{
		const char *path = jstr(f, "path"), *sig = jstr(f, "signature");

		if (!path || !sig || !*path || !*sig)
			continue;
		msgf(e, "Malware scan finding: scanner=%s file=%s signature=%s",
		     scanner ? scanner : "None", path, sig);
		customs_policy_trigger_md5(md5, "", "", path);
		memcpy(hex, md5, sizeof(hex));
		cbuf_reset(&id);
		cbuf_printf(&id, "%s+%s+%s", scanner ? scanner : "None", sig,
			    hex);
		if ((rc = emit(e, id.ptr)))
			break;
	}
	cbuf_release(&id);
	return rc;
}

static int fire_scan_not_run(struct ectx *e, const struct prule *r)
{
	(void)r;
	if (an_key(e->an, "malware"))
		return 0;
	msgf(e, "No malware scans found for image");
	return emit(e, NULL);
}

static const struct tspec t_malware[] = {
	{ "scans",
	  "Triggers if the malware scanner found any matches in the image.",
	  NULL, 0, fire_scans },
	{ "scan_not_run",
	  "Triggers if no malware scan has been run on the image.", NULL, 0,
	  fire_scan_not_run },
};

const struct gspec gate_malware = {
	"malware", "Checks for malware scan findings in the image",
	GS_ACTIVE, NULL,
	t_malware, 2,
	NULL,	   false,
};

/* secret_scans */

static bool name_found(const char *param, const char *decoded)
{
	const char *eq = strchr(decoded, '=');
	char name[256];
	size_t n;

	if (!param)
		return true;
	if (strstr(param, eq ? eq + 1 : decoded))
		return true;
	n = eq ? (size_t)(eq - decoded) : 0;
	if (!n || n >= sizeof(name))
		return false;
	memcpy(name, decoded, n);
	name[n] = '\0';
	return strstr(param, name) != NULL;
}

static int fire_secret(struct ectx *e, const struct prule *r)
{
	json_t *ss = an_key(e->an, "secret_search"), *pats, *lines;
	const char *path, *key, *fre = P(r, 1), *mt = P(r, 2);
	bool found_mode = !mt || !strcmp(mt, "found");
	size_t nfound = 0;
	int rc = 0, m;

	json_object_foreach(ss, path, pats)
	{
		if (fre && (m = rx_match_once(e, fre, path)) <= 0) {
			if (m < 0)
				return m;
			continue;
		}
		json_object_foreach(pats, key, lines)
		{
			char *dec = b64_decode(key, NULL);

			(void)lines;
			if (dec && name_found(P(r, 0), dec)) {
				nfound++;
				msgf(e,
				     "Secret content search analyzer found "
				     "regexp match in container: file=%s "
				     "regexp=%s",
				     path, dec);
				rc = found_mode ? emit(e, NULL) : 0;
			}
			customs_free(dec);
			if (rc)
				return rc;
		}
	}
	if (found_mode || nfound)
		return 0;
	msgf(e,
	     "Secret content search analyzer did not find regexp match in "
	     "container: filename_regex=%s content_regex_name=%s",
	     fre ? fre : "*", P(r, 0) ? P(r, 0) : "all");
	return emit(e, NULL);
}

static const char *const found_nf[] = { "notfound", "found", NULL };

static const struct pspec p_secret[] = {
	{ "content_regex_name", NULL, false, V_STR, NULL,
	  "Name of content regexps configured in the analyzer that match if "
	  "found in the image, instead of matching all. Names available by "
	  "default are: ['AWS_ACCESS_KEY', 'AWS_SECRET_KEY', 'PRIV_KEY', "
	  "'DOCKER_AUTH', 'API_KEY'].",
	  "AWS_ACCESS_KEY" },
	{ "filename_regex", NULL, false, V_STR, NULL,
	  "Regexp to filter the content matched files by.", "/etc/.*" },
	{ "match_type", NULL, false, V_ENUM, found_nf,
	  "Set to define the type of match - trigger if match is found "
	  "(default) or not found.",
	  "found" },
};

static const struct tspec t_secret[] = {
	{ "content_regex_checks",
	  "Triggers if the secret content search analyzer has found any "
	  "matches with the configured and named regexes. Checks can be "
	  "configured to trigger if a match is found or is not found "
	  "(selected using match_type parameter).  Matches are filtered by "
	  "the content_regex_name and filename_regex if they are set. The "
	  "content_regex_name shoud be a value from the \"secret_search\" "
	  "section of the analyzer_config.yaml.",
	  p_secret, 3, fire_secret },
};

const struct gspec gate_secret_scans = {
	"secret_scans",
	"Checks for secrets and content found in the image using configured "
	"regexes found in the \"secret_search\" section of "
	"analyzer_config.yaml.",
	GS_ACTIVE,
	NULL,
	t_secret,
	1,
	NULL,
	false,
};
