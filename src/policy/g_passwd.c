/*
 * Gates over retrieved files (Anchore §2.10, §2.11): passwd_file reads
 * the retrieved /etc/passwd (lines split on ':', keyed by user name, a
 * later duplicate replacing the earlier one but keeping file order as
 * Python dicts do), retrieved_files checks a stored file's presence or
 * its whitespace-separated tokens against a regex.
 */
#include <string.h>

#include "policy/policy_int.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/banned.h"

#define MAX_PASSWD_LINES 200000

/* The decoded content of a retrieved file, or NULL when absent. */
static char *retrieved(struct ectx *e, const char *path, bool *absent)
{
	json_t *rf = an_key(e->an, "retrieved_files");
	json_t *f = rf ? json_object_get(rf, path) : NULL;
	const char *b64 = jstr(f, "content_b64");

	*absent = !b64;
	return b64 ? b64_decode(b64, NULL) : NULL;
}

struct pentry {
	struct cslice line;
	struct cslice f[7]; /* name, pw, uid, gid, gecos, home, shell */
	size_t nf;
};

static size_t split_passwd(char *text, struct pentry *v, size_t max,
			   struct strmap *seen)
{
	struct cslice rest = cslice_make(text, strlen(text)), line;
	size_t n = 0, k;
	void *prev;

	while (n < max && cslice_next_line(&rest, &line)) {
		struct pentry *p = &v[n];
		const char *s = line.p, *end = line.p + line.n, *c;

		if (!line.n)
			continue;
		memset(p, 0, sizeof(*p));
		p->line = line;
		for (k = 0; k < 7; k++) {
			c = memchr(s, ':', (size_t)(end - s));
			p->f[k] = cslice_make(s, (size_t)((c ? c : end) - s));
			p->nf = k + 1;
			if (!c)
				break;
			s = c + 1;
		}
		prev = strmap_getn(seen, p->f[0].p, p->f[0].n);
		if (prev) {
			/* a dict keeps the first position, the last value */
			v[(size_t)prev - 1] = *p;
			continue;
		}
		if (strmap_putn(seen, p->f[0].p, p->f[0].n, (void *)(n + 1)))
			return SIZE_MAX;
		n++;
	}
	return n;
}

static bool field_hit(size_t field, const char *list, struct cslice val)
{
	struct cslice want;

	if (field != 99)
		return csv_has(list, val.p, val.n);
	want = cslice_trim(cslice_make(list, strlen(list)));
	return want.n == val.n && !memcmp(want.p, val.p, val.n);
}

static size_t count_lines(const char *s)
{
	size_t n = 1;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static int passwd_each(struct ectx *e, const struct prule *r, size_t field)
{
	static const char *const what[] = { "user", "", "uid",	"gid",
					    "",	    "", "shell" };
	bool absent;
	char *text = retrieved(e, "/etc/passwd", &absent);
	struct pentry *v = NULL;
	struct strmap seen = STRMAP_INIT;
	size_t n = 0, i, max;
	int rc = 0;

	if (!text)
		return absent ? 0
			      : customs_error(e->ctx, CUSTOMS_ENOMEM,
					      "no memory");
	max = count_lines(text);
	if (max > MAX_PASSWD_LINES)
		max = MAX_PASSWD_LINES;
	v = customs_calloc(max, sizeof(*v));
	if (!v) {
		customs_free(text);
		return customs_error(e->ctx, CUSTOMS_ENOMEM, "out of memory");
	}
	n = split_passwd(text, v, max, &seen);
	strmap_release(&seen);
	if (n == SIZE_MAX) {
		customs_free(v);
		customs_free(text);
		return customs_error(e->ctx, CUSTOMS_ENOMEM, "out of memory");
	}
	for (i = 0; i < n && !rc; i++) {
		struct cslice val = field == 99 ? v[i].line : v[i].f[field];

		if ((field < 7 && v[i].nf <= field) ||
		    !field_hit(field, P(r, 0), val))
			continue;
		if (field == 99)
			msgf(e,
			     "Blacklisted pentry '%.*s' found in image's "
			     "/etc/passwd: pentry=%.*s",
			     (int)val.n, val.p, (int)v[i].line.n, v[i].line.p);
		else
			msgf(e,
			     "Blacklisted %s '%.*s' found in image's "
			     "/etc/passwd: pentry=%.*s",
			     what[field], (int)val.n, val.p, (int)v[i].line.n,
			     v[i].line.p);
		rc = emit(e, NULL);
	}
	customs_free(v);
	customs_free(text);
	return rc;
}

static int fire_not_available(struct ectx *e, const struct prule *r)
{
	bool absent;
	char *text = retrieved(e, "/etc/passwd", &absent);
	bool empty = !text || !strchr(text, ':');

	(void)r;
	customs_free(text);
	if (!empty)
		return 0;
	msgf(e, "Cannot locate /etc/passwd in image stored files archive: "
		"check analyzer settings.");
	return emit(e, NULL);
}

static int fire_users(struct ectx *e, const struct prule *r)
{
	return passwd_each(e, r, 0);
}

static int fire_uids(struct ectx *e, const struct prule *r)
{
	return passwd_each(e, r, 2);
}

static int fire_gids(struct ectx *e, const struct prule *r)
{
	return passwd_each(e, r, 3);
}

static int fire_shells(struct ectx *e, const struct prule *r)
{
	return passwd_each(e, r, 6);
}

static int fire_full(struct ectx *e, const struct prule *r)
{
	return passwd_each(e, r, 99);
}

static const struct pspec p_users[] = {
	{ "user_names", "usernameblacklist", true, V_CSV, NULL,
	  "List of usernames that will cause the trigger to fire if found in "
	  "/etc/passwd.",
	  "daemon,ftp" },
};
static const struct pspec p_uids[] = {
	{ "user_ids", "useridblacklist", true, V_CSV_INT, NULL,
	  "List of userids (numeric) that will cause the trigger to fire if "
	  "found in /etc/passwd.",
	  "0,1" },
};
static const struct pspec p_gids[] = {
	{ "group_ids", NULL, true, V_CSV_INT, NULL,
	  "List of groupids (numeric) that will cause the trigger ot fire if "
	  "found in /etc/passwd.",
	  "999,20" },
};
static const struct pspec p_shells[] = {
	{ "shells", NULL, true, V_CSV, NULL,
	  "List of shell commands to blacklist.", "/bin/bash,/bin/zsh" },
};
static const struct pspec p_entry[] = {
	{ "entry", NULL, true, V_STR, NULL,
	  "Full entry to match in /etc/passwd.",
	  "ftp:x:14:50:FTP User:/var/ftp:/sbin/nologin" },
};

static const struct tspec t_passwd[] = {
	{ "content_not_available",
	  "Triggers if the /etc/passwd file is not present/stored in the "
	  "evaluated image.",
	  NULL, 0, fire_not_available },
	{ "blacklist_usernames",
	  "Triggers if specified username is found in the /etc/passwd file",
	  p_users, 1, fire_users },
	{ "blacklist_userids",
	  "Triggers if specified user id is found in the /etc/passwd file",
	  p_uids, 1, fire_uids },
	{ "blacklist_groupids",
	  "Triggers if specified group id is found in the /etc/passwd file",
	  p_gids, 1, fire_gids },
	{ "blacklist_shells",
	  "Triggers if specified login shell for any user is found in the "
	  "/etc/passwd file",
	  p_shells, 1, fire_shells },
	{ "blacklist_full_entry",
	  "Triggers if entire specified passwd entry is found in the "
	  "/etc/passwd file.",
	  p_entry, 1, fire_full },
};

const struct gspec gate_passwd_file = {
	"passwd_file",
	"Content checks for /etc/passwd for things like usernames, group "
	"ids, shells, or full entries.",
	GS_ACTIVE,
	NULL,
	t_passwd,
	6,
	NULL,
	false,
};

/* retrieved_files */

static int fire_rf_missing(struct ectx *e, const struct prule *r)
{
	json_t *rf = an_key(e->an, "retrieved_files");
	int rc;

	if (rf && json_object_size(rf) && json_object_get(rf, P(r, 0)))
		return 0;
	msgf(e, "Cannot locate file in the image analysis");
	rc = emit(e, NULL);
	/* the reference fires twice when nothing at all was retrieved */
	if (!rc && (!rf || !json_object_size(rf)) &&
	    !(e->fixes & CUSTOMS_POLICY_FIX_RETRIEVED_TWICE))
		rc = emit(e, NULL);
	return rc;
}

static int fire_rf_regex(struct ectx *e, const struct prule *r)
{
	bool absent, hit = false;
	char *text = retrieved(e, P(r, 0), &absent), *p, *s;
	struct rx *rx = NULL;
	struct cbuf id = CBUF_INIT(8192);
	int rc = 0, m;

	if (!text)
		return absent ? 0
			      : customs_error(e->ctx, CUSTOMS_ENOMEM,
					      "no memory");
	if (rx_compile(&rx, P(r, 1), e->ctx)) {
		customs_free(text);
		return eval_error(e, CUSTOMS_EFORMAT, "%s",
				  customs_ctx_errmsg(e->ctx));
	}
	for (p = text; *p && !hit;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
		       *p == '\f' || *p == '\v')
			p++;
		s = p;
		while (*p && !(*p == ' ' || *p == '\t' || *p == '\n' ||
			       *p == '\r' || *p == '\f' || *p == '\v'))
			p++;
		m = p > s ? rx_match(rx, s, (size_t)(p - s)) : 0;
		hit = m == 1;
	}
	if (hit == !strcmp(P(r, 2), "match")) {
		msgf(e,
		     "Content regex '%s' check '%s' found in retrieved file "
		     "'%s'",
		     P(r, 1), P(r, 2), P(r, 0));
		cbuf_printf(&id, "%s+file://%s", r->id ? r->id : "None",
			    P(r, 0));
		rc = cbuf_error(&id) ? customs_error(e->ctx, CUSTOMS_ENOMEM,
						     "out of memory")
				     : emit(e, id.ptr);
	}
	cbuf_release(&id);
	rx_free(rx);
	customs_free(text);
	return rc;
}

static const char *const match_nomatch[] = { "match", "no_match", NULL };

static const struct pspec p_rf_path[] = {
	{ "path", NULL, true, V_STR, NULL,
	  "The path of the file to verify has been retrieved during "
	  "analysis",
	  "/etc/httpd.conf" },
};
static const struct pspec p_rf_regex[] = {
	{ "path", NULL, true, V_STR, NULL,
	  "The path of the file to verify has been retrieved during "
	  "analysis",
	  "/etc/httpd.conf" },
	{ "regex", NULL, true, V_STR, NULL,
	  "The regex to evaluate against the content of the file",
	  ".*SSlEnabled.*" },
	{ "check", NULL, true, V_ENUM, match_nomatch,
	  "The type of check to perform with the regex", "match" },
};

static const struct tspec t_rf[] = {
	{ "content_not_available",
	  "Triggers if the specified file is not present/stored in the "
	  "evaluated image.",
	  p_rf_path, 1, fire_rf_missing },
	{ "content_regex", "Evaluation of regex on retrieved file content",
	  p_rf_regex, 3, fire_rf_regex },
};

const struct gspec gate_retrieved_files = {
	"retrieved_files",
	"Checks against content and/or presence of files retrieved at "
	"analysis time from an image",
	GS_ACTIVE,
	NULL,
	t_rf,
	2,
	NULL,
	false,
};
