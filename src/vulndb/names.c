/*
 * Names of the vulndb enums (fix states, severities, feed formats), the
 * package-name normalisation shared by the writer and the reader, and
 * the default database path. Everything here is pure and static: the
 * same name is normalised the same way at import and at lookup, which is
 * what makes a lookup one indexed equality test.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "customs/vulndb.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/cachedir.h"
#include "vulndb/vulndb_int.h"
#include "util/banned.h"

static const char *const fix_names[] = {
	"unknown", "fixed", "not-fixed", "wont-fix", "not-affected",
};

static const char *const sev_names[] = {
	"Unknown", "Negligible", "Low", "Medium", "High", "Critical",
};

const char *customs_fix_state_name(enum customs_fix_state state)
{
	if ((unsigned)state >= sizeof(fix_names) / sizeof(fix_names[0]))
		return "unknown";
	return fix_names[state];
}

int customs_fix_state_parse(enum customs_fix_state *out, const char *name)
{
	size_t i;

	for (i = 0; name && i < sizeof(fix_names) / sizeof(fix_names[0]); i++) {
		if (!strcmp(name, fix_names[i])) {
			*out = (enum customs_fix_state)i;
			return 0;
		}
	}
	return CUSTOMS_ENOTFOUND;
}

const char *customs_severity_name(enum customs_severity sev)
{
	if ((unsigned)sev >= sizeof(sev_names) / sizeof(sev_names[0]))
		return "Unknown";
	return sev_names[sev];
}

static const struct {
	const char *word;
	enum customs_severity sev;
} sev_words[] = {
	{ "unknown", CUSTOMS_SEVERITY_UNKNOWN },
	{ "negligible", CUSTOMS_SEVERITY_NEGLIGIBLE },
	{ "unimportant", CUSTOMS_SEVERITY_NEGLIGIBLE },
	{ "none", CUSTOMS_SEVERITY_NEGLIGIBLE },
	{ "low", CUSTOMS_SEVERITY_LOW },
	{ "medium", CUSTOMS_SEVERITY_MEDIUM },
	{ "moderate", CUSTOMS_SEVERITY_MEDIUM },
	{ "high", CUSTOMS_SEVERITY_HIGH },
	{ "important", CUSTOMS_SEVERITY_HIGH },
	{ "critical", CUSTOMS_SEVERITY_CRITICAL },
};

int customs_severity_parse(enum customs_severity *out, const char *word)
{
	size_t i, n;

	if (!word)
		return CUSTOMS_ENOTFOUND;
	n = strlen(word);
	/* Debian marks an urgency copied from NVD with "**" */
	if (n > 2 && word[n - 1] == '*' && word[n - 2] == '*')
		n -= 2;
	for (i = 0; i < sizeof(sev_words) / sizeof(sev_words[0]); i++) {
		if (strlen(sev_words[i].word) == n &&
		    !strncasecmp(word, sev_words[i].word, n)) {
			*out = sev_words[i].sev;
			return 0;
		}
	}
	return CUSTOMS_ENOTFOUND;
}

enum customs_severity customs_severity_from_score(double score)
{
	if (score < 0)
		return CUSTOMS_SEVERITY_UNKNOWN;
	if (score == 0)
		return CUSTOMS_SEVERITY_NEGLIGIBLE;
	if (score < 4.0)
		return CUSTOMS_SEVERITY_LOW;
	if (score < 7.0)
		return CUSTOMS_SEVERITY_MEDIUM;
	if (score < 9.0)
		return CUSTOMS_SEVERITY_HIGH;
	return CUSTOMS_SEVERITY_CRITICAL;
}

static const char *const fmt_names[] = {
	"auto", "osv", "debian", "alpine", "nvd", "kev", "epss",
};

const char *customs_feed_format_name(enum customs_feed_format fmt)
{
	if ((unsigned)fmt >= sizeof(fmt_names) / sizeof(fmt_names[0]))
		return "auto";
	return fmt_names[fmt];
}

int customs_feed_format_parse(enum customs_feed_format *out, const char *name)
{
	size_t i;

	for (i = 0; name && i < sizeof(fmt_names) / sizeof(fmt_names[0]); i++) {
		if (!strcmp(name, fmt_names[i])) {
			*out = (enum customs_feed_format)i;
			return 0;
		}
	}
	return CUSTOMS_ENOTFOUND;
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool pep503_sep(char c)
{
	return c == '-' || c == '_' || c == '.';
}

int vulndb_normalize_into(struct cbuf *out, const char *namespace,
			  const char *name)
{
	bool pypi = namespace && !strcmp(namespace, "pypi");
	const char *p;

	cbuf_reset(out);
	for (p = name; *p; p++) {
		if (pypi && pep503_sep(*p)) {
			while (pep503_sep(p[1]))
				p++;
			cbuf_putc(out, '-');
			continue;
		}
		cbuf_putc(out, lower(*p));
	}
	return cbuf_error(out);
}

int customs_vulndb_normalize_name(char **out, const char *namespace,
				  const char *name)
{
	struct cbuf b = CBUF_INIT(SIZE_MAX / 2);

	*out = NULL;
	if (vulndb_normalize_into(&b, namespace, name ? name : "")) {
		cbuf_release(&b);
		return CUSTOMS_ENOMEM;
	}
	*out = cbuf_detach(&b);
	return *out ? 0 : CUSTOMS_ENOMEM;
}

int customs_vulndb_default_path(char **out)
{
	struct cbuf b = CBUF_INIT(1 << 16);
	const char *env = getenv("CUSTOMS_DB");
	int rc;

	*out = NULL;
	if (env && *env) {
		*out = customs_strdup(env);
		return *out ? 0 : CUSTOMS_ENOMEM;
	}
	/* in the cache directory, found as every cache of customs finds it
	 * (as Trivy keeps its database under its cache directory) */
	rc = cachedir_resolve(&b, NULL);
	if (!rc)
		rc = cbuf_puts(&b, "/vuln.db");
	if (!rc && !(*out = cbuf_detach(&b)))
		rc = CUSTOMS_ENOMEM;
	cbuf_release(&b);
	return rc;
}
