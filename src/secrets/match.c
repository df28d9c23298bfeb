/*
 * Matching one file (or one config string) against the rule set: the
 * keyword prefilter picks the candidate rules, each candidate's regex runs
 * over the whole content (PCRE2, JIT-compiled), and each match is checked
 * against the allow rules before it becomes a finding with a 1-based line
 * number and a censored excerpt. Nothing is allocated unless something
 * is found. Invariant: the raw secret is never copied out; the excerpt
 * has every byte of the secret group on its line replaced by '*'.
 */
#include <string.h>

#include "secrets/secrets_int.h"
#include "util/alloc.h"
#include "util/banned.h"

#define CTX_BEFORE 60
#define CTX_AFTER 40
#define MAX_STARS 64

void skip_count(struct customs_secrets *s, enum customs_secret_skip k)
{
	atomic_fetch_add_explicit(&s->skipped[k], 1, memory_order_relaxed);
}

static bool has_suffix(const char *s, size_t n, const char *suf)
{
	size_t m = strlen(suf);

	return n >= m && !memcmp(s + n - m, suf, m);
}

/* Trivy's default skips: VCS data, installed node modules, lock files and
 * formats that never hold text secrets. */
bool path_skipped(const char *path)
{
	static const char *const bases[] = {
		"go.mod",
		"go.sum",
		"package-lock.json",
		"yarn.lock",
		"pnpm-lock.yaml",
		"Pipfile.lock",
		"Gemfile.lock",
		NULL,
	};
	static const char *const exts[] = {
		".jpg", ".png", ".gif",	   ".doc", ".pdf",
		".bin", ".svg", ".socket", ".deb", ".rpm",
		".zip", ".gz",	".gzip",   ".tar", NULL,
	};
	const char *base = strrchr(path, '/');
	size_t i, n = strlen(path);

	base = base ? base + 1 : path;
	if (!strncmp(path, ".git/", 5) || strstr(path, "/.git/") ||
	    !strncmp(path, "node_modules/", 13) ||
	    strstr(path, "/node_modules/"))
		return true;
	for (i = 0; bases[i]; i++) {
		if (!strcmp(base, bases[i]))
			return true;
	}
	for (i = 0; exts[i]; i++) {
		if (has_suffix(path, n, exts[i]))
			return true;
	}
	return false;
}

static bool re_hit(const pcre2_code *re, const void *p, size_t n,
		   pcre2_match_data *md)
{
	return pcre2_match(re, p, n, 0, 0, md, NULL) >= 0;
}

static bool match_allowed(const struct allow_rule *a, size_t n,
			  const unsigned char *m, size_t mn,
			  pcre2_match_data *md)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (a[i].enabled && a[i].regex && re_hit(a[i].regex, m, mn, md))
			return true;
	}
	return false;
}

static unsigned line_of(const unsigned char *data, size_t off)
{
	const unsigned char *p = data, *end = data + off;
	unsigned line = 1;

	while (p < end && (p = memchr(p, '\n', (size_t)(end - p)))) {
		line++;
		p++;
	}
	return line;
}

int censor_line(char **out, const unsigned char *data, size_t len, size_t s0,
		size_t s1)
{
	const unsigned char *nl;
	size_t ls = s0, le, w0, w1, stars, i;
	struct cbuf b;

	while (ls > 0 && data[ls - 1] != '\n')
		ls--;
	nl = memchr(data + s0, '\n', len - s0);
	le = nl ? (size_t)(nl - data) : len;
	if (le > s0 && data[le - 1] == '\r')
		le--;
	if (s1 > le)
		s1 = le;
	w0 = s0 - ls > CTX_BEFORE ? s0 - CTX_BEFORE : ls;
	w1 = le - s1 > CTX_AFTER ? s1 + CTX_AFTER : le;
	stars = s1 - s0 < MAX_STARS ? s1 - s0 : MAX_STARS;
	cbuf_init(&b, 4096);
	cbuf_put(&b, data + w0, s0 - w0);
	for (i = 0; i < stars; i++)
		cbuf_putc(&b, '*');
	cbuf_put(&b, data + s1, w1 - s1);
	if (cbuf_error(&b)) {
		cbuf_release(&b);
		return CUSTOMS_ENOMEM;
	}
	*out = cbuf_detach(&b);
	return 0;
}

static int add_finding(struct customs_secrets *s, struct file_result *res,
		       uint32_t rule, const unsigned char *data, size_t len,
		       size_t s0, size_t s1)
{
	struct raw_finding *f;
	int rc;

	if (res->want_spans) {
		if (CUSTOMS_GROW(res->spans, res->cap_spans, res->n_spans + 1))
			return CUSTOMS_ENOMEM;
		res->spans[res->n_spans].s0 = s0;
		res->spans[res->n_spans++].s1 = s1;
		return 0;
	}
	if (res->n_findings >= SECRETS_MAX_FINDINGS_PER_FILE) {
		skip_count(s, CUSTOMS_SKIP_FINDINGS_CAP);
		return 0;
	}
	if (CUSTOMS_GROW(res->findings, res->cap_findings, res->n_findings + 1))
		return CUSTOMS_ENOMEM;
	f = &res->findings[res->n_findings];
	f->rule = rule;
	f->line = line_of(data, s0);
	rc = censor_line(&f->match, data, len, s0, s1);
	if (!rc)
		res->n_findings++;
	return rc;
}

/* Run one rule over data; each match that no allow rule drops becomes a
 * finding. */
static int run_rule(struct customs_secrets *s, struct scratch *sc, uint32_t ri,
		    const unsigned char *data, size_t len,
		    struct file_result *res)
{
	const struct rule *r = &s->rules[ri];
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(sc->md);
	size_t off = 0, m0, m1, g0, g1;
	int rc;

	while (off <= len &&
	       pcre2_match(r->re, data, len, off, 0, sc->md, NULL) >= 0) {
		m0 = ov[0];
		m1 = ov[1];
		g0 = g1 = PCRE2_UNSET;
		if (r->group < pcre2_get_ovector_count(sc->md)) {
			g0 = ov[2 * r->group];
			g1 = ov[2 * r->group + 1];
		}
		if (g0 == PCRE2_UNSET || g1 == PCRE2_UNSET || g1 < g0) {
			g0 = m0;
			g1 = m1;
		}
		off = m1 > m0 ? m1 : m0 + 1;
		if (match_allowed(r->allows, r->n_allows, data + g0, g1 - g0,
				  sc->md) ||
		    match_allowed(s->allows, s->n_allows, data + m0, m1 - m0,
				  sc->md)) {
			if (!res->want_spans)
				skip_count(s, CUSTOMS_SKIP_ALLOWED_MATCH);
			continue;
		}
		rc = add_finding(s, res, ri, data, len, g0, g1);
		if (rc)
			return rc;
	}
	return 0;
}

static int run_candidates(struct customs_secrets *s, struct scratch *sc,
			  const char *path, const unsigned char *data,
			  size_t len, struct file_result *res)
{
	size_t words = (s->n_rules + 63) / 64, w, i;
	int rc;

	memset(sc->cand, 0, words * sizeof(*sc->cand));
	kwtab_scan(&s->kw, sc->hs, data, len, sc->cand, sc->kw_seen);
	for (w = 0; w < words; w++) {
		uint64_t bits = sc->cand[w];

		while (bits) {
			i = w * 64 + (size_t)__builtin_ctzll(bits);
			bits &= bits - 1;
			if (!s->rules[i].enabled)
				continue;
			/* path-gated rules never run on config strings */
			if (s->rules[i].path &&
			    (!path || !re_hit(s->rules[i].path, path,
					      strlen(path), sc->md)))
				continue;
			rc = run_rule(s, sc, (uint32_t)i, data, len, res);
			if (rc)
				return rc;
		}
	}
	return 0;
}

int path_skip_reason(const struct customs_secrets *s, pcre2_match_data *md,
		     const char *path)
{
	if (path_skipped(path))
		return CUSTOMS_SKIP_PATH;
	if (s->allow_paths && re_hit(s->allow_paths, path, strlen(path), md))
		return CUSTOMS_SKIP_ALLOWED_PATH;
	return -1;
}

int match_file(struct customs_secrets *s, struct scratch *sc, const char *path,
	       const unsigned char *data, size_t len, struct file_result *res)
{
	return run_candidates(s, sc, path, data, len, res);
}

int match_rule_text(struct customs_secrets *s, struct scratch *sc,
		    const char *text, size_t len, struct file_result *res)
{
	return run_candidates(s, sc, NULL, (const unsigned char *)text, len,
			      res);
}

int censor_text(char **out, struct customs_secrets *s, const char *text,
		size_t len)
{
	struct file_result tmp = { 0 };
	struct scratch *sc;
	size_t i;
	int rc;

	*out = NULL;
	if (!s->secrets_on || !text)
		return 0;
	sc = scratch_get(s);
	if (!sc)
		return CUSTOMS_ENOMEM;
	tmp.want_spans = true;
	rc = match_rule_text(s, sc, text, len, &tmp);
	scratch_put(s, sc);
	if (!rc && tmp.n_spans) {
		*out = customs_malloc(len + 1);
		if (*out) {
			memcpy(*out, text, len);
			(*out)[len] = '\0';
			for (i = 0; i < tmp.n_spans; i++)
				memset(*out + tmp.spans[i].s0, '*',
				       tmp.spans[i].s1 - tmp.spans[i].s0);
		} else {
			rc = CUSTOMS_ENOMEM;
		}
	}
	customs_free(tmp.spans);
	return rc;
}
