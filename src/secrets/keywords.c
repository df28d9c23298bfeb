/*
 * The keyword prefilter: one pass over a file finds which rules' keywords
 * occur in it (ASCII case-insensitively), so only those rules' regexes
 * run. A bitmap of the (lower-cased) byte pairs that start some keyword
 * rejects almost every position with one load; the few survivors compare
 * the keywords of their first byte. No allocation per file: the caller's
 * scratch holds the candidate bits and the seen flags.
 */
#include <string.h>

#include "secrets/secrets_int.h"
#include "util/alloc.h"
#include "util/banned.h"

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static int find_or_add(struct kwtab *t, const char *w, size_t n)
{
	struct kw *v;
	size_t i;

	for (i = 0; i < t->n; i++) {
		if (t->v[i].len == n && !memcmp(t->v[i].text, w, n))
			return (int)i;
	}
	v = customs_reallocarray(t->v, t->n + 1, sizeof(*v));
	if (!v)
		return CUSTOMS_ENOMEM;
	t->v = v;
	v = &t->v[t->n];
	memset(v, 0, sizeof(*v));
	v->text = customs_strndup(w, n);
	if (!v->text)
		return CUSTOMS_ENOMEM;
	for (i = 0; i < n; i++)
		v->text[i] = (char)lower((unsigned char)v->text[i]);
	v->len = n;
	return (int)t->n++;
}

static int push_u32(uint32_t **v, size_t *n, uint32_t x)
{
	uint32_t *p = customs_reallocarray(*v, *n + 1, sizeof(**v));

	if (!p)
		return CUSTOMS_ENOMEM;
	*v = p;
	p[(*n)++] = x;
	return 0;
}

static int add_keyword(struct kwtab *t, const char *w, size_t n, uint32_t rule)
{
	int k = find_or_add(t, w, n);

	if (k < 0)
		return k;
	return push_u32(&t->v[k].rules, &t->v[k].n_rules, rule);
}

static int add_rule(struct kwtab *t, const struct rule *r, uint32_t idx)
{
	const char *p = r->keywords_csv;
	bool any = false;
	int rc;

	while (p && *p) {
		size_t n = strcspn(p, ",");

		if (n) {
			rc = add_keyword(t, p, n, idx);
			if (rc)
				return rc;
			any = true;
		}
		p += n + (p[n] == ',');
	}
	return any ? 0 : push_u32(&t->always, &t->n_always, idx);
}

static int index_keywords(struct kwtab *t)
{
	size_t i, x, n;

	for (i = 0; i < t->n; i++) {
		unsigned b0 = (unsigned char)t->v[i].text[0];

		n = t->n_bucket[b0];
		if (push_u32(&t->bucket[b0], &n, (uint32_t)i))
			return CUSTOMS_ENOMEM;
		t->n_bucket[b0] = (uint32_t)n;
		if (t->v[i].len == 1) {
			for (x = 0; x < 256; x++)
				t->pairs[(b0 << 8 | x) >> 6] |=
					1ULL << ((b0 << 8 | x) & 63);
		} else {
			x = b0 << 8 | (unsigned char)t->v[i].text[1];
			t->pairs[x >> 6] |= 1ULL << (x & 63);
		}
	}
	return 0;
}

int kwtab_build(struct kwtab *t, const struct rule *rules, size_t n,
		const char *hs_cache, struct customs_ctx *ctx)
{
	size_t i;
	int rc;

	(void)ctx;
	kwtab_release(t);
	for (i = 0; i < n; i++) {
		if (!rules[i].enabled)
			continue;
		rc = add_rule(t, &rules[i], (uint32_t)i);
		if (rc)
			return rc;
	}
	rc = index_keywords(t);
	return rc ? rc : hsf_build(t, hs_cache);
}

int kwtab_build_words(struct kwtab *t, const char *const *words, size_t n,
		      const char *hs_cache)
{
	size_t i;
	int rc;

	kwtab_release(t);
	for (i = 0; i < n; i++) {
		if (!words[i]) {
			rc = push_u32(&t->always, &t->n_always, (uint32_t)i);
		} else {
			rc = add_keyword(t, words[i], strlen(words[i]),
					 (uint32_t)i);
		}
		if (rc)
			return rc;
	}
	rc = index_keywords(t);
	return rc ? rc : hsf_build(t, hs_cache);
}

void kwtab_release(struct kwtab *t)
{
	size_t i;

	hsf_release(t);
	for (i = 0; i < t->n; i++) {
		customs_free(t->v[i].text);
		customs_free(t->v[i].rules);
	}
	for (i = 0; i < 256; i++)
		customs_free(t->bucket[i]);
	customs_free(t->v);
	customs_free(t->always);
	memset(t, 0, sizeof(*t));
}

static bool eq_ci(const unsigned char *p, const char *w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (lower(p[i]) != (unsigned char)w[i])
			return false;
	}
	return true;
}

static void mark(const struct kw *k, uint64_t *cand)
{
	size_t j;

	for (j = 0; j < k->n_rules; j++)
		cand[k->rules[j] >> 6] |= 1ULL << (k->rules[j] & 63);
}

/* Compare the keywords starting with data[i]'s byte; false when every
 * keyword has now been seen. */
static bool probe(const struct kwtab *t, const unsigned char *data, size_t len,
		  size_t i, uint64_t *cand, uint8_t *seen, size_t *left)
{
	unsigned b0 = lower(data[i]);
	uint32_t j;

	for (j = 0; j < t->n_bucket[b0]; j++) {
		uint32_t k = t->bucket[b0][j];
		const struct kw *w = &t->v[k];

		if (seen[k] || w->len > len - i ||
		    !eq_ci(data + i, w->text, w->len))
			continue;
		seen[k] = 1;
		mark(w, cand);
		if (!--*left)
			return false;
	}
	return true;
}

void kwtab_scan(const struct kwtab *t, void *hs, const unsigned char *data,
		size_t len, uint64_t *cand, uint8_t *seen)
{
	size_t i, left = t->n;
	unsigned pair;

	for (i = 0; i < t->n_always; i++)
		cand[t->always[i] >> 6] |= 1ULL << (t->always[i] & 63);
	if (!left || hsf_scan(t, hs, data, len, cand))
		return;
	memset(seen, 0, t->n);
	for (i = 0; i < len; i++) {
		pair = (unsigned)lower(data[i]) << 8 |
		       (i + 1 < len ? lower(data[i + 1]) : 0);
		if (!(t->pairs[pair >> 6] >> (pair & 63) & 1))
			continue;
		if (!probe(t, data, len, i, cand, seen, &left))
			return;
	}
}
