/*
 * Stand-ins for the vulndb module's customs_severity_name(),
 * customs_fix_state_name(), customs_severity_parse(),
 * customs_severity_from_score() and feed_warnf(), so the feed parsers can
 * be tested before the vulndb branch (feed.c, severity) is merged. Linked
 * only into test_feeds and fuzz_feeds; removed at that merge.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "vulndb/feed_int.h"
#include "util/banned.h"

int customs_severity_parse(enum customs_severity *out, const char *word)
{
	static const struct {
		const char *w;
		enum customs_severity s;
	} t[] = {
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
	size_t i, n = strlen(word);

	if (n > 2 && !strcmp(word + n - 2, "**"))
		n -= 2;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (strlen(t[i].w) == n && !strncasecmp(t[i].w, word, n)) {
			*out = t[i].s;
			return 0;
		}
	}
	return CUSTOMS_ENOTFOUND;
}

enum customs_severity customs_severity_from_score(double score)
{
	if (score >= 9.0)
		return CUSTOMS_SEVERITY_CRITICAL;
	if (score >= 7.0)
		return CUSTOMS_SEVERITY_HIGH;
	if (score >= 4.0)
		return CUSTOMS_SEVERITY_MEDIUM;
	if (score > 0.0)
		return CUSTOMS_SEVERITY_LOW;
	return CUSTOMS_SEVERITY_NEGLIGIBLE;
}

void feed_warnf(const struct feed_warn *w, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (!w || !w->fn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	w->fn(w->arg, msg);
}

const char *customs_severity_name(enum customs_severity sev)
{
	static const char *const n[] = { "Unknown", "Negligible", "Low",
					 "Medium",  "High",	  "Critical" };

	return (unsigned)sev < 6 ? n[sev] : "Unknown";
}

const char *customs_fix_state_name(enum customs_fix_state state)
{
	static const char *const n[] = { "unknown", "fixed", "not-fixed",
					 "wont-fix", "not-affected" };

	return (unsigned)state < 5 ? n[state] : "unknown";
}
