/*
 * The files gate (Anchore §2.3): content_regex_match over the
 * content_search matches, name_match over every path, attribute_match
 * (checksum and permission bits of one file) and suid_or_guid_set. Modes
 * are printed as Python's oct() of the full st_mode (file-type bits from
 * the entry's type), which is what the CIS whitelists' md5 ids hash.
 */
#include <stdlib.h>
#include <string.h>

#include "policy/policy_int.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/banned.h"

/* Keys of a {file: {b64(NAME=regex): [lines]}} map, decoded. */
static int regex_pair_fires(const char *param, const char *key,
			    const char *decoded)
{
	const char *eq = strchr(decoded, '=');
	const char *re = eq ? eq + 1 : decoded;

	if (!param)
		return 1;
	if (!strcmp(param, re) || !strcmp(param, key))
		return 1;
	return eq && strlen(param) == (size_t)(eq - decoded) &&
	       !memcmp(param, decoded, (size_t)(eq - decoded));
}

static int fire_content_regex(struct ectx *e, const struct prule *r)
{
	json_t *cs = an_key(e->an, "content_search"), *pats, *lines;
	const char *path, *key;
	int rc = 0;

	json_object_foreach(cs, path, pats)
	{
		json_object_foreach(pats, key, lines)
		{
			char *dec = b64_decode(key, NULL);

			(void)lines;
			if (dec && regex_pair_fires(P(r, 0), key, dec)) {
				msgf(e,
				     "File content analyzer found regexp "
				     "match in container: file=%s regexp=%s",
				     path, dec);
				rc = emit(e, NULL);
			}
			customs_free(dec);
			if (rc)
				return rc;
		}
	}
	return 0;
}

static int fire_name_match(struct ectx *e, const struct prule *r)
{
	struct rx *rx = NULL;
	size_t i;
	int rc, m;

	if (rx_compile(&rx, P(r, 0), e->ctx))
		return eval_error(e, CUSTOMS_EFORMAT, "%s",
				  customs_ctx_errmsg(e->ctx));
	rc = 0;
	for (i = 0; i < e->an->nafiles; i++) {
		const char *path = e->an->afiles[i].path;

		m = rx_match(rx, path, strlen(path));
		if (m < 0) {
			rc = eval_error(e, CUSTOMS_ELIMIT,
					"regex match limit exceeded");
			break;
		}
		if (!m)
			continue;
		msgf(e,
		     "Application of regex matched file found in container: "
		     "file=%s regexp=%s",
		     path, P(r, 0));
		if ((rc = emit(e, NULL)))
			break;
	}
	rx_free(rx);
	return rc;
}

static bool op_holds(const char *op, bool equal)
{
	return (!op || !strcmp(op, "equals")) ? equal : !equal;
}

static int attribute_present(struct ectx *e, const struct prule *r,
			     const json_t *f)
{
	const char *sum = jstr(f, "sha256"), *csop = P(r, 3), *mop = P(r, 5);
	unsigned long fm, want;
	bool added = false;

	msgf(e, "filename=%s", P(r, 0));
	if (P(r, 2)) {
		if (!op_holds(csop, sum && !strcmp(sum, P(r, 2))))
			return 0;
		cbuf_printf(
			&e->msg, " and checksum=%s op=%s specified_checksum=%s",
			sum ? sum : "None", csop ? csop : "equals", P(r, 2));
		added = true;
	}
	if (P(r, 4)) {
		fm = file_st_mode(f) & 07777;
		want = strtoul(P(r, 4), NULL, 8);
		if (!op_holds(mop, fm == want))
			return 0;
		cbuf_puts(&e->msg, " and mode=");
		py_oct(&e->msg, fm);
		cbuf_printf(&e->msg,
			    " op=%s specified_mode=", mop ? mop : "equals");
		py_oct(&e->msg, want);
		added = true;
	}
	return added ? emit(e, NULL) : 0;
}

static bool octal_text(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '7')
			return false;
	}
	return true;
}

static int fire_attribute(struct ectx *e, const struct prule *r)
{
	const json_t *f = strmap_get(&e->an->file_by_path, P(r, 0));

	if (P(r, 4) && !octal_text(P(r, 4)))
		return eval_error(e, CUSTOMS_EFORMAT,
				  "mode '%s' is not an octal number", P(r, 4));
	if (f)
		return attribute_present(e, r, f);
	if (pbool(r, 6, true))
		return 0;
	msgf(e, "filename=%s and skip_missing=False", P(r, 0));
	return emit(e, NULL);
}

static int fire_suid(struct ectx *e, const struct prule *r)
{
	size_t i;
	int rc;

	(void)r;
	for (i = 0; i < e->an->nafiles; i++) {
		const struct afile *f = &e->an->afiles[i];

		if (!(f->mode & 06000))
			continue;
		msgf(e, "SUID or SGID found set on file %s. Mode: ", f->path);
		py_oct(&e->msg, f->mode);
		if ((rc = emit(e, NULL)))
			return rc;
	}
	return 0;
}

static const char *const sha_only[] = { "sha256", NULL };
static const char *const eq_ne[] = { "equals", "not_equals", NULL };

static const struct pspec p_content[] = {
	{ "regex_name", NULL, false, V_STR, NULL,
	  "Regex string that also appears in the FILECHECK_CONTENTMATCH "
	  "analyzer parameter in analyzer configuration, to limit the check "
	  "to. If set, will only fire trigger when the specific named regex "
	  "was found in a file.",
	  ".*password.*" },
};
static const struct pspec p_name[] = {
	{ "regex", NULL, true, V_STR, NULL,
	  "Regex to apply to file names for match.", ".*\\.pem" },
};
static const struct pspec p_attr[] = {
	{ "filename", NULL, true, V_STR, NULL,
	  "Filename to check against provided checksum.", "/etc/passwd" },
	{ "checksum_algorithm", NULL, false, V_ENUM, sha_only,
	  "Checksum algorithm", "sha256" },
	{ "checksum", NULL, false, V_STR, NULL, "Checksum of file.",
	  "832cd0f75b227d13aac82b1f70b7f90191a4186c151f9db50851d209c45ede11" },
	{ "checksum_match", NULL, false, V_ENUM, eq_ne,
	  "Checksum operation to perform.", "equals" },
	{ "mode", NULL, false, V_STR, NULL, "File mode of file.", "00644" },
	{ "mode_op", NULL, false, V_ENUM, eq_ne,
	  "File mode operation to perform.", "equals" },
	{ "skip_missing", NULL, false, V_BOOL, NULL,
	  "If set to true, do not fire this trigger if the file is not "
	  "present. If set to false, fire this trigger ignoring the other "
	  "parameter settings.",
	  "true" },
};

static const struct tspec t_files[] = {
	{ "content_regex_match",
	  "Triggers for each file where the content search analyzer has "
	  "found a match using configured regexes in the analyzer_config.yaml "
	  "\"content_search\" section. If the parameter is set, the trigger "
	  "will only fire for files that matched the named regex. Refer to "
	  "your analyzer_config.yaml for the regex values.",
	  p_content, 1, fire_content_regex },
	{ "name_match",
	  "Triggers if a file exists in the container that has a filename "
	  "that matches the provided regex. This does have a performance "
	  "impact on policy evaluation.",
	  p_name, 1, fire_name_match },
	{ "attribute_match",
	  "Triggers if a filename exists in the container that has "
	  "attributes that match those which are provided . This check has "
	  "a performance impact on policy evaluation.",
	  p_attr, 7, fire_attribute },
	{ "suid_or_guid_set",
	  "Fires for each file found to have suid or sgid bit set.", NULL, 0,
	  fire_suid },
};

const struct gspec gate_files = {
	"files",
	"Checks against files in the analyzed image including file content, "
	"file names, and filesystem attributes.",
	GS_ACTIVE,
	NULL,
	t_files,
	4,
	NULL,
	false,
};
