/*
 * Matching helpers shared by the policy code: Anchore's mapping/whitelist
 * patterns ('*' wildcards over the whole string, or "regexp:" + a regex
 * matched at the start), Python-style regex matching at the start of a
 * string (PCRE2, with a match limit so a hostile pattern cannot hang an
 * evaluation), comma lists, and the Python reprs (float, oct, list of
 * strings) that appear in messages and therefore in trigger ids.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "policy/policy_int.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/banned.h"

#define RX_MATCH_LIMIT 1000000u
#define RX_DEPTH_LIMIT 10000u

/* '*' matches any run; everything else literal; whole string. Linear
 * backtracking over the last star only, so O(len(s) * len(pat)) worst. */
bool wildcard_match(const char *pat, const char *s)
{
	const char *star = NULL, *resume = NULL;

	while (*s) {
		if (*pat == '*') {
			star = pat++;
			resume = s;
		} else if (*pat == *s) {
			pat++;
			s++;
		} else if (star) {
			pat = star + 1;
			s = ++resume;
		} else {
			return false;
		}
	}
	while (*pat == '*')
		pat++;
	return *pat == '\0';
}

bool pattern_match(const char *pat, const char *s, int *err)
{
	struct rx *r = NULL;
	int m;

	if (strncmp(pat, "regexp:", 7) != 0)
		return wildcard_match(pat, s);
	if (rx_compile(&r, pat + 7, NULL)) {
		if (err)
			*err = 1;
		return false;
	}
	m = rx_match(r, s, strlen(s));
	rx_free(r);
	if (m < 0 && err)
		*err = 1;
	return m == 1;
}

struct rx {
	pcre2_code *code;
	pcre2_match_data *md;
	pcre2_match_context *mc;
};

int rx_compile(struct rx **out, const char *re, struct customs_ctx *ctx)
{
	struct rx *r = customs_calloc(1, sizeof(*r));
	int errcode = 0;
	PCRE2_SIZE off = 0;
	PCRE2_UCHAR msg[160];

	*out = NULL;
	if (!r)
		return customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	r->code = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED,
				PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &errcode,
				&off, NULL);
	if (!r->code) {
		pcre2_get_error_message(errcode, msg, sizeof(msg));
		customs_free(r);
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "bad regex '%s' at offset %zu: %s", re,
				     (size_t)off, (const char *)msg);
	}
	r->md = pcre2_match_data_create_from_pattern(r->code, NULL);
	r->mc = pcre2_match_context_create(NULL);
	if (!r->md || !r->mc) {
		rx_free(r);
		return customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	}
	pcre2_set_match_limit(r->mc, RX_MATCH_LIMIT);
	pcre2_set_depth_limit(r->mc, RX_DEPTH_LIMIT);
	*out = r;
	return 0;
}

int rx_match(const struct rx *r, const char *s, size_t n)
{
	int rc = pcre2_match(r->code, (PCRE2_SPTR)s, n, 0, PCRE2_ANCHORED,
			     r->md, r->mc);

	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	return -1;
}

void rx_free(struct rx *r)
{
	if (!r)
		return;
	pcre2_match_data_free(r->md);
	pcre2_match_context_free(r->mc);
	pcre2_code_free(r->code);
	customs_free(r);
}

/* One-off match for a trigger: a bad regex fails the evaluation. */
int rx_match_once(struct ectx *e, const char *re, const char *s)
{
	struct rx *r = NULL;
	int m;

	if (rx_compile(&r, re, e->ctx))
		return eval_error(e, CUSTOMS_EFORMAT, "%s",
				  customs_ctx_errmsg(e->ctx));
	m = rx_match(r, s, strlen(s));
	rx_free(r);
	if (m < 0)
		return eval_error(e, CUSTOMS_ELIMIT,
				  "regex '%s': match limit exceeded", re);
	return m;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

int csv_each(const char *s, csv_fn fn, void *data)
{
	const char *p = s, *end, *a, *b;
	int rc;

	for (;;) {
		end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		a = p;
		b = end;
		while (a < b && is_space(*a))
			a++;
		while (b > a && is_space(b[-1]))
			b--;
		rc = fn(data, a, (size_t)(b - a));
		if (rc)
			return rc;
		if (!*end)
			return 0;
		p = end + 1;
	}
}

struct has_data {
	const char *s;
	size_t n;
};

static int has_one(void *data, const char *item, size_t n)
{
	struct has_data *h = data;

	return n == h->n && !memcmp(item, h->s, n);
}

bool csv_has(const char *list, const char *s, size_t n)
{
	struct has_data h = { s, n };

	return list && csv_each(list, has_one, &h) == 1;
}

bool streq_ci(const char *a, const char *b)
{
	return a && b && !strcasecmp(a, b);
}

/* Python's repr(float): the shortest text that reads back the same. */
void py_float(struct cbuf *b, double v)
{
	char tmp[40];
	int prec;

	for (prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*g", prec, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	if (strchr(tmp, 'e')) {
		/* Python writes 1e+16 as 1e+16 and 1e-05 as 1e-05 */
		cbuf_puts(b, tmp);
		return;
	}
	cbuf_puts(b, tmp);
	if (!strchr(tmp, '.') && !strchr(tmp, 'n') && !strchr(tmp, 'i'))
		cbuf_puts(b, ".0");
}

void py_oct(struct cbuf *b, unsigned long v)
{
	cbuf_printf(b, "0o%lo", v);
}

static void py_repr(struct cbuf *b, const char *s)
{
	char q = (strchr(s, '\'') && !strchr(s, '"')) ? '"' : '\'';

	cbuf_putc(b, q);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\\' || c == (unsigned char)q)
			cbuf_printf(b, "\\%c", c);
		else if (c == '\n')
			cbuf_puts(b, "\\n");
		else if (c == '\t')
			cbuf_puts(b, "\\t");
		else if (c == '\r')
			cbuf_puts(b, "\\r");
		else if (c < 0x20 || c == 0x7f)
			cbuf_printf(b, "\\x%02x", c);
		else
			cbuf_putc(b, (char)c);
	}
	cbuf_putc(b, q);
}

void py_str_list(struct cbuf *b, const char *const *v, size_t n)
{
	size_t i;

	cbuf_putc(b, '[');
	for (i = 0; i < n; i++) {
		if (i)
			cbuf_puts(b, ", ");
		py_repr(b, v[i]);
	}
	cbuf_putc(b, ']');
}
