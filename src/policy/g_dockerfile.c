/*
 * The dockerfile gate (Anchore §2.2). The Dockerfile (Actual, or Guessed
 * from history by the inspect code exactly as Anchore rebuilds it) is
 * split into trimmed lines, comments and blank lines dropped, and each
 * line filed under its upper-cased first space-separated word. As in
 * the reference, backslash continuations are not joined (every physical
 * line stands alone) unless CUSTOMS_POLICY_FIX_DOCKERFILE_CONTINUATION.
 * With no Dockerfile (mode null or "unknown") only no_dockerfile_provided
 * can fire.
 */
#include <string.h>
#include <strings.h>

#include "policy/policy_int.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/banned.h"

#define MAX_LINES 100000

struct dline {
	char *dir; /* upper-cased directive */
	char *line; /* the whole trimmed line */
};

struct dfile {
	struct dline *v;
	size_t n, cap;
	bool actual;
	bool present;
};

static void dfile_release(struct dfile *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		customs_free(d->v[i].dir);
		customs_free(d->v[i].line);
	}
	customs_free(d->v);
}

static int add_line(struct dfile *d, struct cslice s)
{
	const char *sp;
	size_t i, dl;

	s = cslice_trim(s);
	if (!s.n || s.p[0] == '#')
		return 0;
	if (d->n >= MAX_LINES)
		return CUSTOMS_ELIMIT;
	if (CUSTOMS_GROW(d->v, d->cap, d->n + 1))
		return CUSTOMS_ENOMEM;
	sp = memchr(s.p, ' ', s.n);
	dl = sp ? (size_t)(sp - s.p) : s.n;
	d->v[d->n].dir = customs_strndup(s.p, dl);
	d->v[d->n].line = cslice_dup(s);
	if (!d->v[d->n].dir || !d->v[d->n].line) {
		customs_free(d->v[d->n].dir);
		customs_free(d->v[d->n].line);
		return CUSTOMS_ENOMEM;
	}
	for (i = 0; i < dl; i++) {
		char c = d->v[d->n].dir[i];

		if (c >= 'a' && c <= 'z')
			d->v[d->n].dir[i] = (char)(c - 32);
	}
	d->n++;
	return 0;
}

/* The opt-in fix: join lines that end in a backslash. */
static int add_joined(struct dfile *d, const char *text)
{
	struct cslice rest = cslice_make(text, strlen(text)), line;
	struct cbuf acc = CBUF_INIT(16u << 20);
	int rc = 0;

	while (!rc && cslice_next_line(&rest, &line)) {
		struct cslice t = cslice_trim(line);

		if (t.n && t.p[t.n - 1] == '\\') {
			cbuf_put(&acc, t.p, t.n - 1);
			cbuf_putc(&acc, ' ');
			continue;
		}
		cbuf_put(&acc, line.p, line.n);
		rc = cbuf_error(&acc)
			     ? cbuf_error(&acc)
			     : add_line(d, cslice_make(acc.ptr, acc.len));
		cbuf_reset(&acc);
	}
	if (!rc && acc.len)
		rc = add_line(d, cslice_make(acc.ptr, acc.len));
	cbuf_release(&acc);
	return rc;
}

static int dfile_load(struct ectx *e, struct dfile *d)
{
	json_t *df = an_key(e->an, "dockerfile");
	const char *mode = jstr(df, "mode"), *text = jstr(df, "text");
	struct cslice rest, line;
	int rc = 0;

	memset(d, 0, sizeof(*d));
	if (!mode || !strcasecmp(mode, "unknown"))
		return 0;
	d->present = true;
	d->actual = !strcasecmp(mode, "actual");
	if (!text)
		return 0;
	if (e->fixes & CUSTOMS_POLICY_FIX_DOCKERFILE_CONTINUATION) {
		rc = add_joined(d, text);
	} else {
		rest = cslice_make(text, strlen(text));
		while (!rc && cslice_next_line(&rest, &line))
			rc = add_line(d, line);
	}
	if (rc == CUSTOMS_ELIMIT)
		return eval_error(e, rc, "dockerfile over %d lines", MAX_LINES);
	if (rc)
		return customs_error(e->ctx, rc, "out of memory");
	return 0;
}

static const char *const instructions[] = {
	"ADD",	      "ARG",	 "COPY",    "CMD",	   "ENTRYPOINT",
	"ENV",	      "EXPOSE",	 "FROM",    "HEALTHCHECK", "LABEL",
	"MAINTAINER", "ONBUILD", "USER",    "RUN",	   "SHELL",
	"STOPSIGNAL", "VOLUME",	 "WORKDIR", NULL,
};
static const char *const str_checks[] = {
	"=",	    "!=", "exists", "not_exists", "like",
	"not_like", "in", "not_in", NULL,
};
static const char *const wl_bl[] = { "whitelist", "blacklist", NULL };

/* Does the check hold for one line? 1 yes, 0 no, <0 error. */
static int check_line(struct ectx *e, const char *check, const char *rest,
		      const char *value)
{
	int m;

	if (!strcmp(check, "exists"))
		return 1;
	if (!strcmp(check, "not_exists"))
		return 0;
	if (!strcmp(check, "="))
		return !strcmp(rest, value);
	if (!strcmp(check, "!="))
		return strcmp(rest, value) != 0;
	if (!strcmp(check, "in") || !strcmp(check, "not_in"))
		return csv_has(value, rest, strlen(rest)) ==
		       !strcmp(check, "in");
	m = rx_match_once(e, value, rest);
	if (m < 0)
		return m;
	return !strcmp(check, "like") ? m : !m;
}

static int instruction_lines(struct ectx *e, const struct prule *r,
			     const struct dfile *d)
{
	const char *dir = P(r, 0), *check = P(r, 1), *value = P(r, 2);
	bool found = false;
	size_t i, dl = strlen(dir);
	int rc;

	for (i = 0; i < d->n; i++) {
		struct cslice rest;
		char *rs;

		if (strcmp(d->v[i].dir, dir))
			continue;
		found = true;
		rest = cslice_trim(cslice_make(d->v[i].line + dl,
					       strlen(d->v[i].line) - dl));
		rs = cslice_dup(rest);
		if (!rs)
			return customs_error(e->ctx, CUSTOMS_ENOMEM,
					     "no memory");
		rc = check_line(e, check, rs, value);
		if (rc > 0) {
			msgf(e,
			     "Dockerfile directive '%s' check '%s' matched "
			     "against '%s' for line '%s'",
			     dir, check, value ? value : "", rs);
			rc = emit(e, NULL);
		}
		customs_free(rs);
		if (rc < 0)
			return rc;
	}
	if (!found && !strcmp(check, "not_exists")) {
		msgf(e,
		     "Dockerfile directive '%s' not found, matching condition "
		     "'not_exists' check",
		     dir);
		return emit(e, NULL);
	}
	return 0;
}

static int fire_instruction(struct ectx *e, const struct prule *r)
{
	const char *check = P(r, 1);
	struct dfile d;
	int rc = dfile_load(e, &d);

	if (rc || !d.present)
		goto out;
	if (!P(r, 2) && strcmp(check, "exists") && strcmp(check, "not_exists"))
		goto out;
	if (pbool(r, 3, false) && !d.actual)
		goto out;
	rc = instruction_lines(e, r, &d);
out:
	dfile_release(&d);
	return rc;
}

/* The user of the last USER line, or "root". */
static char *last_user(const struct dfile *d)
{
	struct cslice s;
	size_t i;

	for (i = d->n; i-- > 0;) {
		if (strcmp(d->v[i].dir, "USER"))
			continue;
		s = cslice_trim(cslice_make(d->v[i].line + 4,
					    strlen(d->v[i].line) - 4));
		while (s.n && (s.p[0] == '[' || s.p[0] == '"')) {
			s.p++;
			s.n--;
		}
		while (s.n && (s.p[s.n - 1] == ']' || s.p[s.n - 1] == '"'))
			s.n--;
		return cslice_dup(s);
	}
	return customs_strdup("root");
}

static int fire_effective_user(struct ectx *e, const struct prule *r)
{
	struct dfile d;
	char *u = NULL;
	bool listed, white = !strcmp(P(r, 1), "whitelist");
	int rc = dfile_load(e, &d);

	if (rc || !d.present)
		goto out;
	u = last_user(&d);
	if (!u) {
		rc = customs_error(e->ctx, CUSTOMS_ENOMEM, "out of memory");
		goto out;
	}
	listed = csv_has(P(r, 0), u, strlen(u));
	if (white && !listed) {
		msgf(e,
		     "User %s found as effective user, which is not on the "
		     "allowed list",
		     u);
		rc = emit(e, NULL);
	} else if (!white && listed) {
		msgf(e,
		     "User %s found as effective user, which is explicity not "
		     "allowed",
		     u);
		rc = emit(e, NULL);
	}
out:
	customs_free(u);
	dfile_release(&d);
	return rc;
}

/* Tokens of an EXPOSE line after the directive, space-separated. */
static bool has_token(const char *line, const char *tok)
{
	size_t n = strlen(tok);
	const char *p = line + 6;

	while (*p) {
		const char *s;

		while (*p == ' ' || *p == '\t')
			p++;
		s = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if ((size_t)(p - s) == n && !memcmp(s, tok, n))
			return true;
	}
	return false;
}

struct expose_bl {
	struct ectx *e;
	const char *line;
};

static int bl_port(void *data, const char *item, size_t n)
{
	struct expose_bl *x = data;
	static const char *const sfx[] = { "", "/tcp", "/udp" };
	char tok[64];
	size_t i;

	for (i = 0; i < 3 && n < 32; i++) {
		memcpy(tok, item, n);
		tok[n] = '\0';
		memcpy(tok + n, sfx[i], strlen(sfx[i]) + 1);
		if (!has_token(x->line, tok))
			continue;
		msgf(x->e,
		     "Dockerfile exposes port (%s) which is in policy file "
		     "DENIEDPORTS list",
		     tok);
		return emit(x->e, NULL) ? -1 : 0;
	}
	return 0;
}

static bool port_allowed(const char *ports, const char *tok, size_t n)
{
	const char *slash = memchr(tok, '/', n);
	size_t pn = slash ? (size_t)(slash - tok) : n;

	if (slash && strcmp(slash, "/tcp") && strcmp(slash, "/udp"))
		return false;
	return csv_has(ports, tok, pn);
}

static int wl_line(struct ectx *e, const char *ports, const char *line)
{
	const char *p = line + 6;
	char tok[256];

	while (*p) {
		const char *s;
		size_t n;

		while (*p == ' ' || *p == '\t')
			p++;
		s = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		n = (size_t)(p - s);
		if (!n || n >= sizeof(tok))
			continue;
		memcpy(tok, s, n);
		tok[n] = '\0';
		if (port_allowed(ports, tok, n))
			continue;
		msgf(e,
		     "Dockerfile exposes port (%s) which is not in policy file "
		     "ALLOWEDPORTS list",
		     tok);
		if (emit(e, NULL))
			return -1;
	}
	return 0;
}

static int fire_exposed_ports(struct ectx *e, const struct prule *r)
{
	struct dfile d;
	bool white = !strcmp(P(r, 1), "whitelist");
	size_t i;
	int rc = dfile_load(e, &d);

	if (rc || !d.present || (pbool(r, 2, false) && !d.actual))
		goto out;
	for (i = 0; i < d.n && !rc; i++) {
		struct expose_bl x = { e, d.v[i].line };

		if (strcmp(d.v[i].dir, "EXPOSE"))
			continue;
		if (white)
			rc = wl_line(e, P(r, 0), d.v[i].line);
		else
			rc = csv_each(P(r, 0), bl_port, &x);
	}
	if (rc > 0)
		rc = 0;
	if (rc < 0)
		rc = customs_ctx_errcode(e->ctx) ? customs_ctx_errcode(e->ctx)
						 : CUSTOMS_ENOMEM;
out:
	dfile_release(&d);
	return rc;
}

static int fire_no_dockerfile(struct ectx *e, const struct prule *r)
{
	json_t *df = an_key(e->an, "dockerfile");
	const char *mode = jstr(df, "mode");

	(void)r;
	if (mode && !strcasecmp(mode, "actual"))
		return 0;
	msgf(e, "Image was not analyzed with an actual Dockerfile");
	return emit(e, NULL);
}

static const struct pspec p_instruction[] = {
	{ "instruction", NULL, true, V_ENUM, instructions,
	  "The Dockerfile instruction to check.", "FROM" },
	{ "check", NULL, true, V_ENUM, str_checks,
	  "The type of check to perform.", "=" },
	{ "value", NULL, false, V_STR, NULL,
	  "The value to check the dockerfile instruction against.", "scratch" },
	{ "actual_dockerfile_only", NULL, false, V_BOOL, NULL,
	  "Only evaluate against a user-provided dockerfile, skip "
	  "evaluation on inferred/guessed dockerfiles. Default is False.",
	  "true" },
};
static const struct pspec p_user[] = {
	{ "users", NULL, true, V_CSV, NULL,
	  "User names to check against as the effective user (last user "
	  "entry) in the images history.",
	  "root,docker" },
	{ "type", NULL, true, V_ENUM, wl_bl,
	  "How to treat the provided user names.", "blacklist" },
};
static const struct pspec p_ports[] = {
	{ "ports", NULL, true, V_CSV_INT, NULL, "List of port numbers.",
	  "80,8080,8088" },
	{ "type", NULL, true, V_ENUM, wl_bl,
	  "Whether to use port list as a whitelist or blacklist.",
	  "blacklist" },
	{ "actual_dockerfile_only", NULL, false, V_BOOL, NULL,
	  "Only evaluate against a user-provided dockerfile, skip "
	  "evaluation on inferred/guessed dockerfiles. Default is False.",
	  "true" },
};

static const struct tspec t_dockerfile[] = {
	{ "instruction",
	  "Triggers if any directives in the list are found to match the "
	  "described condition in the dockerfile.",
	  p_instruction, 4, fire_instruction },
	{ "effective_user",
	  "Checks if the effective user matches the provided user names, "
	  "either as a whitelist or blacklist depending on the type "
	  "parameter setting.",
	  p_user, 2, fire_effective_user },
	{ "exposed_ports",
	  "Evaluates the set of ports exposed. Allows configuring "
	  "whitelist or blacklist behavior. If type=whitelist, then any "
	  "ports found exposed that are not in the list will cause the "
	  "trigger to fire. If type=blacklist, then any ports exposed that "
	  "are in the list will cause the trigger to fire.",
	  p_ports, 3, fire_exposed_ports },
	{ "no_dockerfile_provided",
	  "Triggers if anchore analysis was performed without supplying the "
	  "actual image Dockerfile.",
	  NULL, 0, fire_no_dockerfile },
};

const struct gspec gate_dockerfile = {
	"dockerfile", "Check Dockerfile Instructions",
	GS_ACTIVE,    NULL,
	t_dockerfile, 4,
	NULL,	      false,
};
