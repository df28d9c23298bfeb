/*
 * The rule set: compiling regexes (PCRE2, JIT where the CPU allows; a
 * caller that needs an anchored match compiles with PCRE2_ANCHORED, as
 * the JIT code is not used when that option is given to pcre2_match()),
 * loading the built-in rules and allow rules, and the lookups the config
 * loader needs. A regex that does not compile is an error naming the rule
 * id, the PCRE2 message and the offset, never a rule silently dropped.
 */
#include <string.h>

#include "secrets/secrets_int.h"
#include "util/alloc.h"
#include "util/banned.h"

int rules_compile_opts(pcre2_code **out, const char *id, const char *what,
		       const char *src, uint32_t options,
		       struct customs_ctx *ctx)
{
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE off = 0;
	int err = 0;

	*out = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED, options,
			     &err, &off, NULL);
	if (!*out) {
		if (err == PCRE2_ERROR_NOMEMORY)
			return CUSTOMS_ENOMEM;
		pcre2_get_error_message(err, msg, sizeof(msg));
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "rule '%s': %s: bad regex at offset %zu: "
				     "%s",
				     id, what, (size_t)off, (char *)msg);
	}
	/* JIT is an optimisation: without it (no support) matching still
	 * works, only slower */
	pcre2_jit_compile(*out, PCRE2_JIT_COMPLETE);
	return 0;
}

int rules_compile(pcre2_code **out, const char *id, const char *what,
		  const char *src, struct customs_ctx *ctx)
{
	return rules_compile_opts(out, id, what, src, 0, ctx);
}

struct rule *rules_push(struct customs_secrets *s)
{
	size_t cap = s->n_rules;
	struct rule *r;

	if (s->n_rules >= SECRETS_MAX_RULES)
		return NULL;
	r = customs_reallocarray(s->rules, cap + 1, sizeof(*r));
	if (!r)
		return NULL;
	s->rules = r;
	r = &s->rules[s->n_rules++];
	memset(r, 0, sizeof(*r));
	r->enabled = true;
	return r;
}

struct allow_rule *allow_push(struct allow_rule **v, size_t *n)
{
	struct allow_rule *a = customs_reallocarray(*v, *n + 1, sizeof(**v));

	if (!a)
		return NULL;
	*v = a;
	a = &a[(*n)++];
	memset(a, 0, sizeof(*a));
	a->enabled = true;
	return a;
}

void allow_release(struct allow_rule *a)
{
	customs_free(a->id);
	customs_free(a->path_src);
	pcre2_code_free(a->path);
	pcre2_code_free(a->regex);
}

static void rule_release(struct rule *r)
{
	size_t i;

	customs_free(r->id);
	customs_free(r->category);
	customs_free(r->title);
	customs_free(r->regex_src);
	customs_free(r->keywords_csv);
	pcre2_code_free(r->re);
	pcre2_code_free(r->path);
	for (i = 0; i < r->n_allows; i++)
		allow_release(&r->allows[i]);
	customs_free(r->allows);
}

void rules_release(struct customs_secrets *s)
{
	size_t i;

	for (i = 0; i < s->n_rules; i++)
		rule_release(&s->rules[i]);
	customs_free(s->rules);
	for (i = 0; i < s->n_allows; i++)
		allow_release(&s->allows[i]);
	customs_free(s->allows);
	pcre2_code_free(s->allow_paths);
	s->allow_paths = NULL;
	kwtab_release(&s->kw);
	s->rules = NULL;
	s->allows = NULL;
	s->n_rules = s->n_allows = 0;
}

int rules_lookup(const struct customs_secrets *s, const char *id)
{
	size_t i;

	for (i = 0; i < s->n_rules; i++) {
		if (!strcmp(s->rules[i].id, id))
			return (int)i;
	}
	return -1;
}

static char *join_keywords(const char *const *kw)
{
	struct cbuf b;
	size_t i;

	cbuf_init(&b, 4096);
	for (i = 0; i < SECRETS_MAX_KEYWORDS && kw[i]; i++) {
		if (i)
			cbuf_putc(&b, ',');
		cbuf_puts(&b, kw[i]);
	}
	if (cbuf_error(&b)) {
		cbuf_release(&b);
		return NULL;
	}
	return cbuf_detach(&b);
}

static int add_builtin(struct customs_secrets *s, const struct builtin_rule *b,
		       struct customs_ctx *ctx)
{
	struct rule *r = rules_push(s);
	struct allow_rule *a;
	int rc;

	if (!r)
		return CUSTOMS_ENOMEM;
	r->builtin = true;
	r->severity = b->severity;
	r->id = customs_strdup(b->id);
	r->category = customs_strdup(b->category);
	r->title = customs_strdup(b->title);
	r->regex_src = customs_strdup(b->regex);
	r->keywords_csv = join_keywords(b->keywords);
	if (!r->id || !r->category || !r->title || !r->regex_src ||
	    !r->keywords_csv)
		return CUSTOMS_ENOMEM;
	rc = rules_compile(&r->re, b->id, "regex", b->regex, ctx);
	if (!rc && b->path)
		rc = rules_compile(&r->path, b->id, "path", b->path, ctx);
	if (rc || !b->allow)
		return rc;
	a = allow_push(&r->allows, &r->n_allows);
	if (!a || !(a->id = customs_strdup(b->id)))
		return CUSTOMS_ENOMEM;
	a->builtin = true;
	return rules_compile(&a->regex, b->id, "allow regex", b->allow, ctx);
}

int rules_add_builtins(struct customs_secrets *s, struct customs_ctx *ctx)
{
	size_t i;
	int rc;

	for (i = 0; i < secrets_n_builtin_rules; i++) {
		rc = add_builtin(s, &secrets_builtin_rules[i], ctx);
		if (rc)
			return rc;
	}
	for (i = 0; i < secrets_n_saas_rules; i++) {
		rc = add_builtin(s, &secrets_saas_rules[i], ctx);
		if (rc)
			return rc;
	}
	return 0;
}

/* Trivy's global allow rules: paths nobody wants secrets reported from,
 * and matches that are documentation examples. */
static const struct {
	const char *id, *path, *regex;
} builtin_allows[] = {
	{ "tests", "(?:^test|/test|-test|_test|\\.test)", NULL },
	{ "examples", "(?i)example", "(?i)example" },
	{ "vendor", "(?:^|/)vendor/", NULL },
	{ "usr-dirs", "^usr/(?:share|include|lib)/", NULL },
	{ "locale-dir", "(?:^|/)locales?/", NULL },
	{ "markdown", "\\.md$", NULL },
	{ "dist-info", "\\.dist-info/", NULL },
	{ "node.js", "^opt/yarn-v[\\d.]+/", NULL },
	{ "golang", "^usr/local/go/", NULL },
	{ "python", "^usr/local/lib/python\\d+\\.\\d+/", NULL },
	{ "rubygems", "^usr/lib/gems/", NULL },
	{ "wordpress", "^usr/src/wordpress/", NULL },
	{ "anaconda-log", "^var/log/anaconda/", NULL },
};

int rules_add_allow_builtins(struct customs_secrets *s, struct customs_ctx *ctx)
{
	size_t i;
	int rc;

	for (i = 0; i < sizeof(builtin_allows) / sizeof(builtin_allows[0]);
	     i++) {
		struct allow_rule *a = allow_push(&s->allows, &s->n_allows);

		if (!a || !(a->id = customs_strdup(builtin_allows[i].id)) ||
		    !(a->path_src = customs_strdup(builtin_allows[i].path)))
			return CUSTOMS_ENOMEM;
		a->builtin = true;
		rc = rules_compile(&a->path, a->id, "allow path",
				   builtin_allows[i].path, ctx);
		if (!rc && builtin_allows[i].regex)
			rc = rules_compile(&a->regex, a->id, "allow regex",
					   builtin_allows[i].regex, ctx);
		if (rc)
			return rc;
	}
	return 0;
}

/* The secret is the group named "secret", else the whole match. */
static void find_group(struct rule *r)
{
	int n = pcre2_substring_number_from_name(r->re, (PCRE2_SPTR) "secret");

	r->group = n > 0 ? (uint32_t)n : 0;
}

/* One regex for every enabled global path allow rule: a file's path is
 * then tested once, not once per rule (this runs for every file). Each
 * alternative is its own group, so an inline (?i) stays inside it. */
static int join_allow_paths(struct customs_secrets *s, struct customs_ctx *ctx)
{
	struct cbuf b;
	size_t i;
	int rc;

	cbuf_init(&b, 1u << 20);
	for (i = 0; i < s->n_allows; i++) {
		if (!s->allows[i].enabled || !s->allows[i].path_src)
			continue;
		cbuf_puts(&b, b.len ? "|(?:" : "(?:");
		cbuf_puts(&b, s->allows[i].path_src);
		cbuf_putc(&b, ')');
	}
	rc = cbuf_error(&b) == CUSTOMS_ELIMIT
		     ? customs_error(ctx, CUSTOMS_ELIMIT,
				     "allow rule paths exceed 1 MiB in all")
	     : cbuf_error(&b) ? CUSTOMS_ENOMEM
	     : b.len ? rules_compile(&s->allow_paths, "(allow paths)", "path",
				     b.ptr, ctx)
		     : 0;
	cbuf_release(&b);
	return rc;
}

int rules_finalize(struct customs_secrets *s, struct customs_ctx *ctx)
{
	size_t i;
	int rc;

	for (i = 0; i < s->n_rules; i++)
		find_group(&s->rules[i]);
	rc = join_allow_paths(s, ctx);
	return rc ? rc
		  : kwtab_build(&s->kw, s->rules, s->n_rules, s->hs_cache, ctx);
}
