/*
 * The rules of the SARIF report (sarif.c has the document and the
 * results): one reportingDescriptor per vulnerability id, sorted by id,
 * whose help lists every affected package, so a dashboard shows one
 * alert type per advisory however many packages it hits. The findings of
 * one id keep the report's order (highest severity first), so the first
 * one speaks for the rule's description.
 */
#include <stdlib.h>
#include <string.h>

#include "customs/report.h"
#include "report/sarif_int.h"
#include "util/alloc.h"
#include "util/banned.h"

/* Findings sorted by id, each id's findings kept in report order. */
struct pos {
	const struct customs_finding *f;
	size_t pos;
};

static int cmp_id(const void *a, const void *b)
{
	const struct pos *x = a, *y = b;
	int c = strcmp(x->f->vuln.id, y->f->vuln.id);

	if (c)
		return c;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

int sarif_make_rules(struct sarif *s)
{
	size_t i, n = s->list.n;
	struct pos *tmp = customs_calloc(n ? n : 1, sizeof(*tmp));
	int rc = 0;

	s->by_id = customs_calloc(n ? n : 1, sizeof(*s->by_id));
	s->rules = customs_calloc(n ? n : 1, sizeof(*s->rules));
	if (!tmp || !s->by_id || !s->rules) {
		rc = CUSTOMS_ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		tmp[i].f = s->list.v[i];
		tmp[i].pos = i;
	}
	if (n > 1)
		qsort(tmp, n, sizeof(*tmp), cmp_id);
	for (i = 0; i < n; i++) {
		s->by_id[i] = tmp[i].f;
		if (i && !strcmp(tmp[i].f->vuln.id, tmp[i - 1].f->vuln.id)) {
			s->rules[s->n_rules - 1].n++;
			continue;
		}
		s->rules[s->n_rules].v = &s->by_id[i];
		s->rules[s->n_rules].n = 1;
		s->n_rules++;
	}
out:
	customs_free(tmp);
	return rc;
}

size_t sarif_rule_index(const struct sarif *s, const char *id)
{
	size_t lo = 0, hi = s->n_rules;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(s->rules[mid].v[0]->vuln.id, id);

		if (!c)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0; /* not reached: every finding has its rule */
}

void sarif_text_obj(struct jw *w, const char *key, const char *text)
{
	jw_key(w, key);
	jw_obj_open(w);
	jw_kstr(w, "text", text);
	jw_obj_close(w);
}

/* A markdown table cell: '|' escaped, newlines as spaces. */
static void md_cell(struct cbuf *b, const char *s)
{
	cbuf_puts(b, " ");
	for (; s && *s; s++) {
		if (*s == '|')
			cbuf_puts(b, "\\|");
		else if (*s == '\n' || *s == '\r')
			cbuf_putc(b, ' ');
		else
			cbuf_putc(b, *s);
	}
	cbuf_puts(b, " |");
}

const char *sarif_pkg_type(const struct customs_finding *f)
{
	return f->pkg ? customs_pkg_type_name(f->pkg->type) : "unknown";
}

const char *sarif_pkg_name(const struct customs_finding *f)
{
	return f->pkg && f->pkg->name ? f->pkg->name : "";
}

const char *sarif_pkg_version(const struct customs_finding *f)
{
	return f->pkg && f->pkg->version ? f->pkg->version : "";
}

static void help_text(struct cbuf *b, const struct rule *r, const char *url)
{
	struct cbuf fix = CBUF_INIT(REPORT_MAX_TEXT);
	size_t i;

	cbuf_printf(b, "Vulnerability %s\n", r->v[0]->vuln.id);
	for (i = 0; i < r->n; i++) {
		const struct customs_finding *f = r->v[i];
		const char *path = rep_pkg_path(f->pkg);

		cbuf_reset(&fix);
		rep_fix_versions(&fix, f);
		cbuf_printf(b,
			    "%sSeverity: %s\nPackage: %s\nVersion: %s\n"
			    "Fix Version: %s\nFix State: %s\nType: %s\n"
			    "Location: %s\nData Namespace: %s\n",
			    i ? "\n" : "", rep_severity_word(f->vuln.severity),
			    sarif_pkg_name(f), sarif_pkg_version(f), fix.ptr,
			    customs_fix_state_name(f->fix_state),
			    sarif_pkg_type(f), path ? path : "",
			    f->vuln.namespace ? f->vuln.namespace : "");
		if (f->ignored)
			cbuf_puts(b, "Suppressed: yes\n");
	}
	cbuf_printf(b, "Link: %s", url);
	cbuf_release(&fix);
}

static void help_markdown(struct cbuf *b, const struct rule *r, const char *url)
{
	struct cbuf fix = CBUF_INIT(REPORT_MAX_TEXT);
	size_t i;

	cbuf_printf(b,
		    "**Vulnerability [%s](%s)**\n\n"
		    "| Severity | Package | Version | Fix Version | Type "
		    "| Location | Data Namespace |\n"
		    "| --- | --- | --- | --- | --- | --- | --- |\n",
		    r->v[0]->vuln.id, url);
	for (i = 0; i < r->n; i++) {
		const struct customs_finding *f = r->v[i];

		cbuf_reset(&fix);
		rep_fix_versions(&fix, f);
		cbuf_puts(b, "|");
		md_cell(b, rep_severity_word(f->vuln.severity));
		md_cell(b, sarif_pkg_name(f));
		md_cell(b, sarif_pkg_version(f));
		md_cell(b, fix.ptr);
		md_cell(b, sarif_pkg_type(f));
		md_cell(b, rep_pkg_path(f->pkg));
		md_cell(b, f->vuln.namespace);
		cbuf_puts(b, "\n");
	}
	cbuf_release(&fix);
}

static void full_description(struct cbuf *b, const struct customs_finding *f)
{
	struct cbuf fix = CBUF_INIT(REPORT_MAX_TEXT);

	if (f->vuln.description && f->vuln.description[0]) {
		cbuf_puts(b, f->vuln.description);
		return;
	}
	rep_fix_versions(&fix, f);
	if (fix.len)
		cbuf_printf(b,
			    "Version %s is affected with an available fix in "
			    "versions %s",
			    sarif_pkg_version(f), fix.ptr);
	else
		cbuf_printf(b,
			    "Version %s is affected with no fixes reported "
			    "yet.",
			    sarif_pkg_version(f));
	cbuf_release(&fix);
}

static void rule_props(struct jw *w, const struct rule *r)
{
	const struct customs_finding_vuln *v = &r->v[0]->vuln;
	double best = 0;
	char num[16];
	size_t i;

	for (i = 0; i < r->n; i++) {
		double x = customs_report_security_severity(r->v[i]);

		if (x > best)
			best = x;
	}
	snprintf(num, sizeof(num), "%.1f", best);
	jw_key(w, "properties");
	jw_obj_open(w);
	jw_kstr(w, "security-severity", num);
	jw_key(w, "tags");
	jw_arr_open(w);
	jw_str(w, "security");
	jw_str(w, "vulnerability");
	jw_str(w, rep_severity_word(v->severity));
	for (i = 0; i < v->cwes.n; i++) {
		const char *c = v->cwes.v[i];

		/* tags are a set: no repeats, none equal to the words above */
		if (!rep_dup(v->cwes.v, i) && strcmp(c, "security") &&
		    strcmp(c, "vulnerability") &&
		    strcmp(c, rep_severity_word(v->severity)))
			jw_str(w, c);
	}
	jw_arr_close(w);
	jw_obj_close(w);
}

int sarif_rule(struct sarif *s, const struct rule *r)
{
	const struct customs_finding *f = r->v[0];
	struct cbuf url = CBUF_INIT(REPORT_MAX_TEXT);
	struct jw *w = s->w;
	int rc;

	rep_vuln_url(&url, &f->vuln);
	jw_obj_open(w);
	jw_kstr(w, "id", f->vuln.id);
	cbuf_reset(&s->b);
	if (r->n == 1)
		cbuf_printf(&s->b, "%s %s vulnerability for %s package",
			    f->vuln.id, rep_severity_word(f->vuln.severity),
			    sarif_pkg_name(f));
	else
		cbuf_printf(&s->b, "%s %s vulnerability for %zu packages",
			    f->vuln.id, rep_severity_word(f->vuln.severity),
			    r->n);
	sarif_text_obj(w, "shortDescription", s->b.ptr);
	cbuf_reset(&s->b);
	full_description(&s->b, f);
	sarif_text_obj(w, "fullDescription", s->b.ptr);
	jw_kstr(w, "helpUri", url.ptr);
	jw_key(w, "help");
	jw_obj_open(w);
	cbuf_reset(&s->b);
	help_text(&s->b, r, url.ptr);
	jw_kstr(w, "text", s->b.ptr);
	cbuf_reset(&s->b);
	help_markdown(&s->b, r, url.ptr);
	jw_kstr(w, "markdown", s->b.ptr);
	jw_obj_close(w);
	rule_props(w, r);
	jw_obj_close(w);
	rc = cbuf_error(&url) ? cbuf_error(&url) : cbuf_error(&s->b);
	cbuf_release(&url);
	return rc == CUSTOMS_ENOMEM ? rc : 0;
}
