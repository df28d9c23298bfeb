/*
 * Building the report after the scan: the kept (layer, path) results are
 * filtered by scope (secrets and malware: the squashed view, or every
 * layer with --scope all-layers; Anchore's searches and retrieved files:
 * always the squashed view, as Anchore analyses it), tied to the layer's
 * diffID and history line, joined by the findings from the image config,
 * and sorted so output is stable. A history line that itself holds a
 * secret is never copied out raw.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "secrets/secrets_int.h"
#include "util/alloc.h"
#include "util/banned.h"

#define CENSORED_HISTORY "(censored: holds a secret, see config:history)"

static char *dup0(const char *s)
{
	return s ? customs_strdup(s) : NULL;
}

static char *abs_path(const char *p)
{
	size_t n = strlen(p);
	char *out = customs_malloc(n + 2);

	if (out) {
		out[0] = '/';
		memcpy(out + 1, p, n + 1);
	}
	return out;
}

/* Whether text holds something a rule finds (used to censor history). */
static int holds_secret(struct customs_secrets *s, const char *text, bool *yes)
{
	struct file_result tmp = { 0 };
	struct scratch *sc;
	size_t i;
	int rc;

	*yes = false;
	if (!text || !s->secrets_on)
		return 0;
	sc = scratch_get(s);
	if (!sc)
		return CUSTOMS_ENOMEM;
	rc = match_rule_text(s, sc, text, strlen(text), &tmp);
	scratch_put(s, sc);
	*yes = tmp.n_findings > 0;
	for (i = 0; i < tmp.n_findings; i++)
		customs_free(tmp.findings[i].match);
	customs_free(tmp.findings);
	return rc;
}

static struct customs_secret_finding *
push_finding(struct customs_secrets_report *r, size_t *cap)
{
	struct customs_secret_finding *f;

	if (CUSTOMS_GROW(r->findings, *cap, r->n_findings + 1))
		return NULL;
	f = &r->findings[r->n_findings++];
	memset(f, 0, sizeof(*f));
	return f;
}

static int fill_rule(struct customs_secret_finding *f, const struct rule *ru,
		     const struct raw_finding *raw)
{
	f->rule_id = dup0(ru->id);
	f->category = dup0(ru->category);
	f->title = dup0(ru->title);
	f->severity = ru->severity;
	f->line = raw->line;
	f->match = dup0(raw->match);
	return f->rule_id && f->category && f->title && f->match
		       ? 0
		       : CUSTOMS_ENOMEM;
}

static int layer_facts(struct customs_secrets *s,
		       struct customs_secret_finding *f,
		       const struct customs_image_info *info,
		       const struct customs_layer_stats *stats, size_t n_stats)
{
	const char *id = NULL, *by = NULL;
	bool secret = false;
	int rc;

	if (f->layer < 0)
		return 0;
	if ((size_t)f->layer < n_stats && stats[f->layer].diff_id &&
	    *stats[f->layer].diff_id)
		id = stats[f->layer].diff_id;
	if (info && (size_t)f->layer < info->n_layers) {
		if (!id)
			id = info->layers[f->layer].diff_id;
		by = info->layers[f->layer].created_by;
	}
	rc = holds_secret(s, by, &secret);
	if (rc)
		return rc;
	f->layer_id = dup0(id);
	f->created_by = dup0(secret ? CENSORED_HISTORY : by);
	return (id && !f->layer_id) || (by && !f->created_by) ? CUSTOMS_ENOMEM
							      : 0;
}

static int add_file_findings(struct customs_secrets_report *r, size_t *cap,
			     struct customs_secrets *s, const struct kept *k,
			     const struct customs_image_info *info,
			     const struct customs_layer_stats *stats,
			     size_t n_stats)
{
	size_t i;
	int rc;

	for (i = 0; i < k->res->n_findings; i++) {
		const struct raw_finding *raw = &k->res->findings[i];
		struct customs_secret_finding *f = push_finding(r, cap);

		if (!f)
			return CUSTOMS_ENOMEM;
		f->layer = k->layer;
		f->path = abs_path(k->path);
		if (!f->path)
			return CUSTOMS_ENOMEM;
		rc = fill_rule(f, &s->rules[raw->rule], raw);
		if (!rc)
			rc = layer_facts(s, f, info, stats, n_stats);
		if (rc)
			return rc;
	}
	return 0;
}

int report_add_hits(struct customs_search_hit **v, size_t *n,
		    const struct search_pat *pats, const struct raw_hits *h,
		    size_t nh, const char *path)
{
	struct customs_search_hit *x;
	size_t i;

	for (i = 0; i < nh; i++) {
		x = customs_reallocarray(*v, *n + 1, sizeof(**v));
		if (!x)
			return CUSTOMS_ENOMEM;
		*v = x;
		x = &x[(*n)++];
		memset(x, 0, sizeof(*x));
		x->path = abs_path(path);
		x->pattern = dup0(pats[h[i].pat].text);
		x->key = dup0(pats[h[i].pat].key);
		x->lines = customs_reallocarray(NULL, h[i].n, sizeof(unsigned));
		if (!x->path || !x->pattern || !x->key || !x->lines)
			return CUSTOMS_ENOMEM;
		memcpy(x->lines, h[i].lines, h[i].n * sizeof(unsigned));
		x->n_lines = h[i].n;
	}
	return 0;
}

static int add_retrieved(struct customs_secrets_report *r, const struct kept *k)
{
	struct customs_retrieved_file *f = customs_reallocarray(
		r->retrieved, r->n_retrieved + 1, sizeof(*f));

	if (!f)
		return CUSTOMS_ENOMEM;
	r->retrieved = f;
	f = &f[r->n_retrieved++];
	memset(f, 0, sizeof(*f));
	f->path = abs_path(k->path);
	f->size = k->res->size;
	f->truncated = k->res->truncated;
	f->layer = k->layer;
	f->data = k->res->retrieved;
	f->len = k->res->retrieved_len;
	k->res->retrieved = NULL; /* moved */
	return f->path ? 0 : CUSTOMS_ENOMEM;
}

static int add_malware(struct customs_secrets_report *r, const struct kept *k)
{
	struct customs_malware_finding *m =
		customs_reallocarray(r->malware, r->n_malware + 1, sizeof(*m));

	if (!m)
		return CUSTOMS_ENOMEM;
	r->malware = m;
	m = &m[r->n_malware++];
	m->path = abs_path(k->path);
	m->signature = dup0(k->res->malware_sig);
	m->layer = k->layer;
	return m->path && m->signature ? 0 : CUSTOMS_ENOMEM;
}

static int add_kept(struct customs_secrets_report *r, size_t *cap,
		    struct customs_secrets *s, const struct kept *k,
		    const struct customs_image_info *info,
		    const struct customs_layer_stats *stats, size_t n_stats)
{
	bool in_scope = k->visible || s->all_layers;
	int rc = 0;

	if (in_scope)
		rc = add_file_findings(r, cap, s, k, info, stats, n_stats);
	if (!rc && in_scope && k->res->malware_sig)
		rc = add_malware(r, k);
	if (!k->visible || rc)
		return rc;
	rc = report_add_hits(&r->secret_search, &r->n_secret_search,
			     s->secret_pats, k->res->secret_hits,
			     k->res->n_secret_hits, k->path);
	if (!rc)
		rc = report_add_hits(&r->content_search, &r->n_content_search,
				     s->content_pats, k->res->content_hits,
				     k->res->n_content_hits, k->path);
	if (!rc && k->res->retrieved_set)
		rc = add_retrieved(r, k);
	return rc;
}

int report_build(struct customs_secrets_report *r, struct customs_secrets *s,
		 const struct customs_image_info *info,
		 const struct customs_layer_stats *stats, size_t n_stats,
		 const struct customs_fsindex *idx, struct customs_ctx *ctx)
{
	size_t i, cap = 0;
	int rc;

	(void)ctx;
	for (i = 0; i < s->n_kept; i++) {
		rc = add_kept(r, &cap, s, &s->kept[i], info, stats, n_stats);
		if (rc)
			return rc;
	}
	return links_add_hits(r, s, idx);
}

/* Scan one config string; findings go to path with line idx + 1. */
static int config_text(struct customs_secrets_report *r, size_t *cap,
		       struct customs_secrets *s, const char *text,
		       const char *path, size_t idx, int layer)
{
	struct file_result tmp = { 0 };
	struct scratch *sc = scratch_get(s);
	size_t i;
	int rc;

	if (!sc)
		return CUSTOMS_ENOMEM;
	rc = match_rule_text(s, sc, text, strlen(text), &tmp);
	scratch_put(s, sc);
	for (i = 0; !rc && i < tmp.n_findings; i++) {
		struct customs_secret_finding *f = push_finding(r, cap);

		if (!f) {
			rc = CUSTOMS_ENOMEM;
			break;
		}
		rc = fill_rule(f, &s->rules[tmp.findings[i].rule],
			       &tmp.findings[i]);
		f->line = (unsigned)idx + 1;
		f->layer = layer;
		f->path = dup0(path);
		if (!rc && !f->path)
			rc = CUSTOMS_ENOMEM;
	}
	for (i = 0; i < tmp.n_findings; i++)
		customs_free(tmp.findings[i].match);
	customs_free(tmp.findings);
	return rc;
}

static int config_history(struct customs_secrets_report *r, size_t *cap,
			  struct customs_secrets *s,
			  const struct customs_image_info *info)
{
	size_t i;
	int layer = 0, rc;

	for (i = 0; i < info->n_history; i++) {
		const struct customs_history *h = &info->history[i];

		rc = h->created_by ? config_text(r, cap, s, h->created_by,
						 "config:history", i,
						 h->empty_layer ? -1 : layer)
				   : 0;
		if (rc)
			return rc;
		layer += !h->empty_layer;
	}
	return 0;
}

int report_config(struct customs_secrets_report *r, struct customs_secrets *s,
		  const struct customs_image_info *info,
		  struct customs_ctx *ctx)
{
	char path[300];
	size_t i, cap = r->n_findings;
	int rc = 0;

	(void)ctx;
	if (!info || !s->secrets_on)
		return 0;
	for (i = 0; !rc && i < info->env.n; i++)
		rc = config_text(r, &cap, s, info->env.v[i], "config:env", i,
				 -1);
	for (i = 0; !rc && i < info->labels.n; i++) {
		struct cbuf b;

		cbuf_init(&b, 1u << 20);
		cbuf_printf(&b, "%s=%s", info->labels.keys[i],
			    info->labels.values[i]);
		snprintf(path, sizeof(path), "config:label:%s",
			 info->labels.keys[i]);
		if (cbuf_error(&b) == CUSTOMS_ELIMIT)
			r->skipped[CUSTOMS_SKIP_TOO_LARGE]++; /* a 1 MiB label
							       */
		else
			rc = cbuf_error(&b) ? cbuf_error(&b)
					    : config_text(r, &cap, s, b.ptr,
							  path, i, -1);
		cbuf_release(&b);
	}
	if (!rc)
		rc = config_history(r, &cap, s, info);
	return rc;
}

static int cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int cmp_finding(const void *pa, const void *pb)
{
	const struct customs_secret_finding *a = pa, *b = pb;
	int c = cmp_str(a->path, b->path);

	if (!c)
		c = a->line < b->line ? -1 : a->line > b->line;
	if (!c)
		c = a->layer < b->layer ? -1 : a->layer > b->layer;
	return c ? c : cmp_str(a->rule_id, b->rule_id);
}

static int cmp_hit(const void *pa, const void *pb)
{
	const struct customs_search_hit *a = pa, *b = pb;
	int c = strcmp(a->path, b->path);

	return c ? c : strcmp(a->key, b->key);
}

static int cmp_retrieved(const void *pa, const void *pb)
{
	const struct customs_retrieved_file *a = pa, *b = pb;

	return strcmp(a->path, b->path);
}

static int cmp_malware(const void *pa, const void *pb)
{
	const struct customs_malware_finding *a = pa, *b = pb;
	int c = strcmp(a->path, b->path);

	return c ? c : a->layer - b->layer;
}

void report_sort(struct customs_secrets_report *r)
{
	if (r->n_findings)
		qsort(r->findings, r->n_findings, sizeof(*r->findings),
		      cmp_finding);
	if (r->n_secret_search)
		qsort(r->secret_search, r->n_secret_search,
		      sizeof(*r->secret_search), cmp_hit);
	if (r->n_content_search)
		qsort(r->content_search, r->n_content_search,
		      sizeof(*r->content_search), cmp_hit);
	if (r->n_retrieved)
		qsort(r->retrieved, r->n_retrieved, sizeof(*r->retrieved),
		      cmp_retrieved);
	if (r->n_malware)
		qsort(r->malware, r->n_malware, sizeof(*r->malware),
		      cmp_malware);
}
