/*
 * JUnit XML, for CI systems that show test reports: one test suite for
 * the scanned target, one test case per finding (classname "<type>.<package
 * name>", name "<vulnerability id> <package>@<version>"). A finding is a
 * failure whose type is its severity; a suppressed finding is a skipped
 * test case saying why. A scan with no findings has one passing test case,
 * so the report never looks empty by accident. Text is escaped for XML
 * 1.0: markup characters as entities, control characters XML cannot carry
 * and invalid UTF-8 as U+FFFD.
 */
#include <string.h>

#include "customs/report.h"
#include "report/report_int.h"
#include "util/alloc.h"
#include "util/banned.h"

/* Length of the valid UTF-8 sequence at p (n bytes left), or 0. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	size_t len, i;
	unsigned long cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe ||
	    cp == 0xffff)
		return 0;
	return len;
}

static void xml_text(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p), k;

	while (n) {
		if (*p == '&')
			fputs("&amp;", f), k = 1;
		else if (*p == '<')
			fputs("&lt;", f), k = 1;
		else if (*p == '>')
			fputs("&gt;", f), k = 1;
		else if (*p == '"')
			fputs("&quot;", f), k = 1;
		else if (*p == '\n' || *p == '\t')
			fprintf(f, "&#%d;", *p), k = 1;
		else if (*p < 0x20)
			fputs("\xef\xbf\xbd", f), k = 1;
		else if ((k = utf8_len(p, n)))
			fwrite(p, 1, k, f);
		else
			fputs("\xef\xbf\xbd", f), k = 1;
		p += k;
		n -= k;
	}
}

/* name="<prefix><value>" (prefix plain ASCII, not escaped) */
static void attr2(FILE *f, const char *name, const char *prefix,
		  const char *value)
{
	fprintf(f, " %s=\"%s", name, prefix);
	xml_text(f, value);
	fputc('"', f);
}

static void attr(FILE *f, const char *name, const char *value)
{
	attr2(f, name, "", value);
}

static const char *str(const char *s)
{
	return s ? s : "";
}

static void testcase(FILE *f, const struct customs_finding *x, struct cbuf *b,
		     int *err)
{
	const struct customs_pkg *p = x->pkg;
	const char *type = p ? customs_pkg_type_name(p->type) : "unknown";
	const char *name = p ? str(p->name) : "";
	const char *version = p ? str(p->version) : "";
	const char *path = rep_pkg_path(p);

	rep_reset(b, err);
	cbuf_printf(b, "%s.%s", type, name);
	fputs("    <testcase", f);
	attr(f, "classname", b->ptr);
	rep_reset(b, err);
	cbuf_printf(b, "%s %s@%s", x->vuln.id, name, version);
	attr(f, "name", b->ptr);
	attr2(f, "file", rep_slash(path), path);
	fputs(">\n", f);
	if (x->ignored) {
		rep_reset(b, err);
		rep_suppressions(b, x);
		fputs("      <skipped", f);
		attr(f, "message", b->ptr);
		fputs("/>\n", f);
		fputs("    </testcase>\n", f);
		return;
	}
	rep_reset(b, err);
	cbuf_printf(b, "%s %s vulnerability in %s %s (", x->vuln.id,
		    rep_severity_word(x->vuln.severity), name, version);
	if (x->fix_state == CUSTOMS_FIX_FIXED && x->fix_versions.n) {
		cbuf_puts(b, "fixed in ");
		rep_fix_versions(b, x);
	} else {
		cbuf_puts(b, customs_fix_state_name(x->fix_state));
	}
	cbuf_puts(b, ")");
	fputs("      <failure", f);
	attr(f, "message", b->ptr);
	attr(f, "type", rep_severity_word(x->vuln.severity));
	fputs(">", f);
	rep_reset(b, err);
	cbuf_printf(b,
		    "Package: %s %s (%s)\nLocation: %s%s\nNamespace: %s\n"
		    "Match: %s\nLink: ",
		    name, version, type, rep_slash(path), str(path),
		    str(x->vuln.namespace),
		    customs_match_type_name(x->match_type));
	rep_vuln_url(b, &x->vuln);
	xml_text(f, b->ptr);
	if (x->vuln.description) { /* streamed: no length limit */
		xml_text(f, "\n\n");
		xml_text(f, x->vuln.description);
	}
	fputs("</failure>\n    </testcase>\n", f);
}

int report_write_junit(FILE *f, const struct customs_match_result *res,
		       const struct customs_report_opts *o)
{
	struct cbuf b = CBUF_INIT(REPORT_MAX_TEXT);
	struct rep_list l = { 0 };
	size_t i, skipped, failures = res->n_matches, tests;
	int err = 0, rc = rep_list_make(&l, res, o);

	if (rc)
		return rc;
	skipped = l.n - failures;
	tests = l.n ? l.n : 1;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fprintf(f,
		"<testsuites name=\"customs scan\" tests=\"%zu\" "
		"failures=\"%zu\" errors=\"0\" skipped=\"%zu\">\n",
		tests, failures, skipped);
	fputs("  <testsuite", f);
	attr(f, "name", rep_source_name(res));
	fprintf(f,
		" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
		"skipped=\"%zu\"",
		tests, failures, skipped);
	if (o->created)
		attr(f, "timestamp", o->created);
	fputs(">\n", f);
	for (i = 0; i < l.n; i++)
		testcase(f, l.v[i], &b, &err);
	if (!l.n)
		fputs("    <testcase classname=\"customs\" "
		      "name=\"no vulnerabilities found\"/>\n",
		      f);
	fputs("  </testsuite>\n</testsuites>\n", f);
	rep_reset(&b, &err);
	rc = err; /* ENOMEM, or ELIMIT: a text is never cut silently */
	cbuf_release(&b);
	customs_free(l.v);
	return rc;
}
