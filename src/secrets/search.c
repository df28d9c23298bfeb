/*
 * Anchore's secret_search and content_search analyzers, matched to
 * anchore/anchore-engine anchore_engine/analyzers/modules/
 * 13_secret_content_search.py (the separate 13_secret_search.py and
 * 13_content_search.py behave the same) with the defaults of
 * anchore_engine/conf/analyzer_config.yaml (MAXFILESIZE=10000):
 * - each pattern is "NAME=regex" split at its first '=' (a bare "regex"
 *   without '='), matched as Python's re.match does (anchored at the line
 *   start) against every line of readlines(): split after each '\n', the
 *   '\n' kept in the line, a last line without one counted too;
 * - line numbers are 0-based;
 * - files larger than 10000 bytes are skipped (10000 itself is read);
 * - the key is Python's base64.encodebytes of the pattern text: 76
 *   characters a line, each line ending in '\n' (the functional test
 *   tests/functional/clients/standalone/test_secret_content_search.py
 *   shows these keys).
 * The five named patterns get a file-level keyword test first, which
 * cannot change their result: each regex needs its keyword literally
 * (case-insensitively) on the matching line.
 */
#include <string.h>

#include "secrets/secrets_int.h"
#include "util/alloc.h"
#include "util/banned.h"

static const struct {
	const char *text, *keyword;
} anchore_secret[] = {
	{ "AWS_ACCESS_KEY=(?i).*aws_access_key_id( *=+ *).*(?<![A-Z0-9])"
	  "[A-Z0-9]{20}(?![A-Z0-9]).*",
	  "aws_access_key_id" },
	{ "AWS_SECRET_KEY=(?i).*aws_secret_access_key( *=+ *).*"
	  "(?<![A-Za-z0-9/+=])[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=]).*",
	  "aws_secret_access_key" },
	{ "PRIV_KEY=(?i)-+BEGIN(.*)PRIVATE KEY-+", "private key" },
	{ "DOCKER_AUTH=(?i).*\"auth\": *\".+\"", "\"auth\"" },
	{ "API_KEY=(?i).*api(-|_)key( *=+ *).*(?<![A-Z0-9])[A-Z0-9]{20,60}"
	  "(?![A-Z0-9]).*",
	  "key" },
};

char *b64_encode(const void *data, size_t len)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
				  "qrstuvwxyz0123456789+/";
	const unsigned char *p = data;
	size_t i, o = 0, n;
	char *out;

	if (!customs_mul_ok(&n, (len + 2) / 3, 4) || !customs_add_ok(&n, n, 1))
		return NULL;
	out = customs_malloc(n);
	if (!out)
		return NULL;
	for (i = 0; i + 2 < len; i += 3) {
		out[o++] = tab[p[i] >> 2];
		out[o++] = tab[(p[i] & 3) << 4 | p[i + 1] >> 4];
		out[o++] = tab[(p[i + 1] & 15) << 2 | p[i + 2] >> 6];
		out[o++] = tab[p[i + 2] & 63];
	}
	if (i < len) {
		out[o++] = tab[p[i] >> 2];
		out[o++] = tab[(p[i] & 3) << 4 |
			       (i + 1 < len ? p[i + 1] >> 4 : 0)];
		out[o++] = i + 1 < len ? tab[(p[i + 1] & 15) << 2] : '=';
		out[o++] = '=';
	}
	out[o] = '\0';
	return out;
}

/* Python's base64.encodebytes: a '\n' after every 76 characters and at
 * the end (none for empty input). */
char *b64_encode_lines(const void *data, size_t len)
{
	char *flat = b64_encode(data, len), *out;
	size_t n, lines, i, o = 0;

	if (!flat)
		return NULL;
	n = strlen(flat);
	lines = (n + 75) / 76;
	out = customs_malloc(n + lines + 1);
	if (!out) {
		customs_free(flat);
		return NULL;
	}
	for (i = 0; i < n; i += 76) {
		size_t k = n - i < 76 ? n - i : 76;

		memcpy(out + o, flat + i, k);
		o += k;
		out[o++] = '\n';
	}
	out[o] = '\0';
	customs_free(flat);
	return out;
}

/* The regex of "NAME=regex": after the first '=', wherever it is, as
 * Anchore's regexp.split("=", 1) does (a bare regex holding '=' must
 * therefore be written NAME=regex). */
static const char *regex_part(const char *text)
{
	const char *eq = strchr(text, '=');

	return eq ? eq + 1 : text;
}

static int add_pat(struct search_pat **v, size_t *n, const char *text,
		   const char *keyword, struct customs_ctx *ctx)
{
	struct search_pat *p = customs_reallocarray(*v, *n + 1, sizeof(**v));
	int rc;

	if (!p)
		return CUSTOMS_ENOMEM;
	*v = p;
	p = &p[(*n)++];
	memset(p, 0, sizeof(*p));
	p->keyword = keyword;
	p->text = customs_strdup(text);
	p->key = b64_encode_lines(text, strlen(text));
	if (!p->text || !p->key)
		return CUSTOMS_ENOMEM;
	/* re.match() is anchored at the line start; anchored when compiled,
	 * as PCRE2_ANCHORED at match time would bypass the JIT code */
	rc = rules_compile_opts(&p->re, text, "content regex", regex_part(text),
				PCRE2_ANCHORED, ctx);
	return rc == CUSTOMS_EFORMAT ? CUSTOMS_EINVAL : rc;
}

int search_build(struct customs_secrets *s,
		 const struct customs_secrets_opts *opts,
		 struct customs_ctx *ctx)
{
	size_t i;
	int rc;

	for (i = 0; opts->secrets &&
		    i < sizeof(anchore_secret) / sizeof(anchore_secret[0]);
	     i++) {
		rc = add_pat(&s->secret_pats, &s->n_secret_pats,
			     anchore_secret[i].text, anchore_secret[i].keyword,
			     ctx);
		if (rc)
			return rc;
	}
	if (s->n_secret_pats) {
		const char *words[sizeof(anchore_secret) /
				  sizeof(anchore_secret[0])];

		for (i = 0; i < s->n_secret_pats; i++)
			words[i] = s->secret_pats[i].keyword;
		rc = kwtab_build_words(&s->search_kw, words, s->n_secret_pats,
				       s->hs_cache);
		if (!rc)
			rc = hsf_share_scratch(&s->kw, &s->search_kw);
		if (rc)
			return rc;
	}
	for (i = 0; i < opts->n_content_regexes; i++) {
		rc = add_pat(&s->content_pats, &s->n_content_pats,
			     opts->content_regexes[i], NULL, ctx);
		if (rc)
			return rc;
	}
	return 0;
}

static void pats_release(struct search_pat *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		customs_free(v[i].text);
		customs_free(v[i].key);
		pcre2_code_free(v[i].re);
	}
	customs_free(v);
}

void search_release(struct customs_secrets *s)
{
	pats_release(s->secret_pats, s->n_secret_pats);
	pats_release(s->content_pats, s->n_content_pats);
	kwtab_release(&s->search_kw);
	s->secret_pats = s->content_pats = NULL;
	s->n_secret_pats = s->n_content_pats = 0;
}

static int hit(struct raw_hits **v, size_t *n, uint32_t pat, unsigned line)
{
	struct raw_hits *h = *n ? &(*v)[*n - 1] : NULL;

	if (!h || h->pat != pat) {
		h = customs_reallocarray(*v, *n + 1, sizeof(**v));
		if (!h)
			return CUSTOMS_ENOMEM;
		*v = h;
		h = &h[(*n)++];
		memset(h, 0, sizeof(*h));
		h->pat = pat;
	}
	if (CUSTOMS_GROW(h->lines, h->cap, h->n + 1))
		return CUSTOMS_ENOMEM;
	h->lines[h->n++] = line;
	return 0;
}

/* Every line of data against one pattern. */
static int search_pat(const struct search_pat *p, uint32_t pi,
		      pcre2_match_data *md, const unsigned char *data,
		      size_t len, struct raw_hits **v, size_t *n)
{
	const unsigned char *line = data, *end = data + len, *nl;
	unsigned lineno = 0;
	int rc;

	while (line < end) {
		/* the line with its '\n', as readlines() gives it */
		nl = memchr(line, '\n', (size_t)(end - line));
		if (pcre2_match(p->re, line,
				(size_t)((nl ? nl + 1 : end) - line), 0, 0, md,
				NULL) >= 0) {
			rc = hit(v, n, pi, lineno);
			if (rc)
				return rc;
		}
		if (!nl)
			break;
		line = nl + 1;
		lineno++;
	}
	return 0;
}

/* Run the patterns whose bit is set in want (all when want is NULL). */
static int search_set(const struct search_pat *pats, size_t n_pats,
		      const uint64_t *want, pcre2_match_data *md,
		      const unsigned char *data, size_t len,
		      struct raw_hits **v, size_t *n)
{
	size_t i;
	int rc;

	for (i = 0; i < n_pats; i++) {
		if (want && !(want[i >> 6] >> (i & 63) & 1))
			continue;
		rc = search_pat(&pats[i], (uint32_t)i, md, data, len, v, n);
		if (rc)
			return rc;
	}
	return 0;
}

int search_file(struct customs_secrets *s, struct scratch *sc,
		const unsigned char *data, size_t len, struct file_result *res)
{
	uint64_t want[1] = { 0 };
	uint8_t seen[8];
	int rc;

	if (len > CUSTOMS_ANCHORE_SEARCH_MAX)
		return 0;
	/* one pass finds which of the five named patterns can match */
	kwtab_scan(&s->search_kw, sc->hs, data, len, want, seen);
	rc = search_set(s->secret_pats, s->n_secret_pats, want, sc->md, data,
			len, &res->secret_hits, &res->n_secret_hits);
	if (!rc)
		rc = search_set(s->content_pats, s->n_content_pats, NULL,
				sc->md, data, len, &res->content_hits,
				&res->n_content_hits);
	return rc;
}
