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
static void md_cell2(struct cbuf *b, const char *prefix, const char *s)
{
	cbuf_puts(b, " ");
	cbuf_puts(b, prefix);
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

static void md_cell(struct cbuf *b, const char *s)
{
	md_cell2(b, "", s);
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

/* s->fix = the fixed versions of f. */
static const char *fixes(struct sarif *s, const struct customs_finding *f)
{
	rep_reset(&s->fix, &s->err);
	rep_fix_versions(&s->fix, f);
	return s->fix.ptr;
}

static void help_text(struct sarif *s, const struct rule *r)
{
	struct cbuf *b = &s->b;
	size_t i;

	cbuf_printf(b, "Vulnerability %s\n", r->v[0]->vuln.id);
	for (i = 0; i < r->n && i < SARIF_HELP_MAX_PKGS; i++) {
		const struct customs_finding *f = r->v[i];
		const char *path = rep_pkg_path(f->pkg);

		cbuf_printf(b,
			    "%sSeverity: %s\nPackage: %s\nVersion: %s\n"
			    "Fix Version: %s\nFix State: %s\nType: %s\n"
			    "Location: %s%s\nData Namespace: %s\n",
			    i ? "\n" : "", rep_severity_word(f->vuln.severity),
			    sarif_pkg_name(f), sarif_pkg_version(f),
			    fixes(s, f), customs_fix_state_name(f->fix_state),
			    sarif_pkg_type(f), rep_slash(path),
			    path ? path : "",
			    f->vuln.namespace ? f->vuln.namespace : "");
		if (f->ignored)
			cbuf_puts(b, "Suppressed: yes\n");
	}
	if (r->n > SARIF_HELP_MAX_PKGS)
		cbuf_printf(b, "\n... and %zu more packages\n",
			    r->n - SARIF_HELP_MAX_PKGS);
	cbuf_printf(b, "Link: %s", s->url.ptr);
}

static void help_markdown(struct sarif *s, const struct rule *r)
{
	struct cbuf *b = &s->b;
	size_t i;

	cbuf_printf(b,
		    "**Vulnerability [%s](%s)**\n\n"
		    "| Severity | Package | Version | Fix Version | Type "
		    "| Location | Data Namespace |\n"
		    "| --- | --- | --- | --- | --- | --- | --- |\n",
		    r->v[0]->vuln.id, s->url.ptr);
	for (i = 0; i < r->n && i < SARIF_HELP_MAX_PKGS; i++) {
		const struct customs_finding *f = r->v[i];

		cbuf_puts(b, "|");
		md_cell(b, rep_severity_word(f->vuln.severity));
		md_cell(b, sarif_pkg_name(f));
		md_cell(b, sarif_pkg_version(f));
		md_cell(b, fixes(s, f));
		md_cell(b, sarif_pkg_type(f));
		md_cell2(b, rep_slash(rep_pkg_path(f->pkg)),
			 rep_pkg_path(f->pkg));
		md_cell(b, f->vuln.namespace);
		cbuf_puts(b, "\n");
	}
	if (r->n > SARIF_HELP_MAX_PKGS)
		cbuf_printf(b, "\n... and %zu more packages\n",
			    r->n - SARIF_HELP_MAX_PKGS);
}

/* Grype's text for an advisory without a description. */
static void full_description(struct sarif *s, const struct customs_finding *f)
{
	struct cbuf *b = &s->b;
	const char *fix;

	fix = fixes(s, f);
	if (fix[0])
		cbuf_printf(b,
			    "Version %s is affected with an available fix in "
			    "versions %s",
			    sarif_pkg_version(f), fix);
	else
		cbuf_printf(b,
			    "Version %s is affected with no fixes reported "
			    "yet.",
			    sarif_pkg_version(f));
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

/* The first error of the scratch buffers: ENOMEM, or ELIMIT when a text
 * grew past REPORT_MAX_TEXT (an error, never a silently cut text). */
int sarif_scratch_error(const struct sarif *s)
{
	if (s->err)
		return s->err;
	if (cbuf_error(&s->b))
		return cbuf_error(&s->b);
	if (cbuf_error(&s->fix))
		return cbuf_error(&s->fix);
	return cbuf_error(&s->url);
}

int sarif_rule(struct sarif *s, const struct rule *r)
{
	const struct customs_finding *f = r->v[0];
	struct jw *w = s->w;

	rep_reset(&s->url, &s->err);
	rep_vuln_url(&s->url, &f->vuln);
	jw_obj_open(w);
	jw_kstr(w, "id", f->vuln.id);
	rep_reset(&s->b, &s->err);
	if (r->n == 1)
		cbuf_printf(&s->b, "%s %s vulnerability for %s package",
			    f->vuln.id, rep_severity_word(f->vuln.severity),
			    sarif_pkg_name(f));
	else
		cbuf_printf(&s->b, "%s %s vulnerability for %zu packages",
			    f->vuln.id, rep_severity_word(f->vuln.severity),
			    r->n);
	sarif_text_obj(w, "shortDescription", s->b.ptr);
	rep_reset(&s->b, &s->err);
	if (f->vuln.description && f->vuln.description[0]) {
		/* streamed: an advisory's text has no length limit here */
		sarif_text_obj(w, "fullDescription", f->vuln.description);
	} else {
		full_description(s, f);
		sarif_text_obj(w, "fullDescription", s->b.ptr);
	}
	jw_kstr(w, "helpUri", s->url.ptr);
	jw_key(w, "help");
	jw_obj_open(w);
	rep_reset(&s->b, &s->err);
	help_text(s, r);
	jw_kstr(w, "text", s->b.ptr);
	rep_reset(&s->b, &s->err);
	help_markdown(s, r);
	jw_kstr(w, "markdown", s->b.ptr);
	jw_obj_close(w);
	rule_props(w, r);
	jw_obj_close(w);
	return sarif_scratch_error(s);
}
