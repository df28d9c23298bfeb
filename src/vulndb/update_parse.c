/*
 * The small parsers of what feed sites answer besides feed documents: the
 * Alpine secdb index page (an HTML directory listing whose links name the
 * branches) and the head of an NVD API page (totalResults, for paging).
 * Both read untrusted bytes: they look at bounded windows, copy only
 * what they keep and never assume NUL termination.
 */
#include <string.h>

#include "util/alloc.h"
#include "util/error.h"
#include "vulndb/update_int.h"
#include "util/banned.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Whether s[0..n) is "vN.M" (digits, at most 8 each) or "edge". */
static bool branch_name(const char *s, size_t n)
{
	size_t i = 1, d;

	if (n == 4 && !memcmp(s, "edge", 4))
		return true;
	if (n < 4 || s[0] != 'v')
		return false;
	for (d = 0; i < n && is_digit(s[i]); i++)
		d++;
	if (!d || d > 8 || i >= n || s[i] != '.')
		return false;
	for (i++, d = 0; i < n && is_digit(s[i]); i++)
		d++;
	return d && d <= 8 && i == n;
}

/* The href value starting at p (quoted or not), its length in *n. */
static const char *href_value(const char *p, const char *end, size_t *n)
{
	const char *q;
	char quote = 0;

	if (p < end && (*p == '"' || *p == '\''))
		quote = *p++;
	for (q = p; q < end; q++) {
		if (quote ? *q == quote
			  : (*q == ' ' || *q == '>' || *q == '\t' ||
			     *q == '\n' || *q == '\r'))
			break;
	}
	*n = (size_t)(q - p);
	return p;
}

static bool seen(const struct customs_strlist *l, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (strlen(l->v[i]) == n && !memcmp(l->v[i], s, n))
			return true;
	}
	return false;
}

/* Add the branch a link names, if it names one. */
static int take_link(struct customs_strlist *out, const char *v, size_t n,
		     struct customs_ctx *ctx)
{
	char name[32];

	if (n >= 2 && v[0] == '.' && v[1] == '/')
		v += 2, n -= 2;
	else if (n >= 1 && v[0] == '/')
		v++, n--;
	if (n < 2 || v[n - 1] != '/' || !branch_name(v, n - 1))
		return 0;
	n--;
	if (seen(out, v, n))
		return 0;
	if (out->n >= UPD_MAX_BRANCHES)
		return customs_error(ctx, CUSTOMS_ELIMIT,
				     "alpine index: more than %d branches",
				     UPD_MAX_BRANCHES);
	memcpy(name, v, n);
	name[n] = '\0';
	return customs_strlist_add(out, name) ? CUSTOMS_ENOMEM : 0;
}

/* Case-insensitive "href=" at p. */
static bool at_href(const char *p, const char *end)
{
	static const char h[] = "href=";
	size_t i;

	if ((size_t)(end - p) < sizeof(h) - 1)
		return false;
	for (i = 0; i < sizeof(h) - 1; i++) {
		char c = p[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != h[i])
			return false;
	}
	return true;
}

int upd_alpine_branches(struct customs_strlist *out, const char *html,
			size_t len, struct customs_ctx *ctx)
{
	const char *p = html, *end = html + len, *v;
	size_t n;
	int rc;

	if (len > UPD_MAX_INDEX)
		return customs_error(ctx, CUSTOMS_ELIMIT,
				     "alpine index: larger than %u bytes",
				     UPD_MAX_INDEX);
	while (p < end) {
		if (!at_href(p, end)) {
			p++;
			continue;
		}
		v = href_value(p + 5, end, &n);
		rc = take_link(out, v, n, ctx);
		if (rc)
			return rc;
		p = v + n;
	}
	if (!out->n)
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "alpine index: no branch links (vN.M/ or "
				     "edge/) found");
	return 0;
}

int upd_nvd_total(uint64_t *out, const char *data, size_t len,
		  struct customs_ctx *ctx)
{
	static const char key[] = "\"totalResults\"";
	size_t win = len < 65536 ? len : 65536, k = sizeof(key) - 1;
	const char *p = data, *end = data + win;
	uint64_t v = 0;

	*out = 0;
	while (p && (size_t)(end - p) >= k && memcmp(p, key, k))
		p = memchr(p + 1, '"', (size_t)(end - p - 1));
	if (!p || (size_t)(end - p) < k)
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "nvd: no totalResults in the page head");
	p += k;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' ||
			   *p == '\r' || *p == ':'))
		p++;
	if (p >= end || !is_digit(*p))
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "nvd: totalResults is not a number");
	for (; p < end && is_digit(*p); p++) {
		if (v > 1000000000000ULL)
			return customs_error(ctx, CUSTOMS_EFORMAT,
					     "nvd: totalResults too large");
		v = v * 10 + (uint64_t)(*p - '0');
	}
	*out = v;
	return 0;
}
