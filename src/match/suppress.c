/*
 * The suppression stage, after enrichment: every finding is checked in a
 * fixed order (distro not-affected rows, ignore rules, VEX statements,
 * the fix-state options) and collects one reason per source that
 * suppresses it. A suppressed finding is never dropped: it moves to the
 * result's ignored list with its reasons, so reports can show why.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "match/match_int.h"
#include "util/buf.h"
#include "util/banned.h"

static int not_affected(struct match_set *set, struct customs_finding *f)
{
	const char *ns = match_set_is_not_affected(set, f->pkg, f->vuln.id);
	struct cbuf b = CBUF_INIT(1024);
	size_t i;
	int rc;

	for (i = 0; !ns && i < f->vuln.aliases.n; i++)
		ns = match_set_is_not_affected(set, f->pkg,
					       f->vuln.aliases.v[i]);
	if (!ns)
		return 0;
	cbuf_printf(&b, "%s marks %s not affected", *ns ? ns : "the distro",
		    f->pkg->name);
	rc = cbuf_error(&b);
	if (!rc)
		rc = match_finding_suppress(f, CUSTOMS_SUPPRESS_NOT_AFFECTED,
					    b.ptr);
	cbuf_release(&b);
	return rc;
}

static int fix_state_options(const struct customs_match_opts *o,
			     struct customs_finding *f)
{
	bool fixed = f->fix_state == CUSTOMS_FIX_FIXED;

	if (o->only_fixed && !fixed)
		return match_finding_suppress(f, CUSTOMS_SUPPRESS_RULE,
					      "--only-fixed");
	if (o->only_notfixed && fixed)
		return match_finding_suppress(f, CUSTOMS_SUPPRESS_RULE,
					      "--only-notfixed");
	if (o->ignore_states & CUSTOMS_FIX_STATE_BIT(f->fix_state)) {
		char why[64];

		snprintf(why, sizeof(why), "--ignore-states %s",
			 customs_fix_state_name(f->fix_state));
		return match_finding_suppress(f, CUSTOMS_SUPPRESS_RULE, why);
	}
	return 0;
}

/* Today as "YYYY-MM-DD" (UTC). */
static void today_utc(char out[11])
{
	time_t now = time(NULL);
	struct tm tm;

	if (!gmtime_r(&now, &tm) || !strftime(out, 11, "%Y-%m-%d", &tm))
		memcpy(out, "1970-01-01", 11);
}

int match_suppress(struct match_set *set, const struct customs_match_opts *opts,
		   struct customs_ctx *ctx)
{
	char today[11];
	const char *day = opts->today;
	size_t i;
	int rc = 0;

	(void)ctx;
	if (!day) {
		today_utc(today);
		day = today;
	}
	for (i = 0; !rc && i < set->n; i++) {
		struct customs_finding *f = &set->v[i];

		rc = not_affected(set, f);
		if (!rc && opts->rules)
			rc = ignore_apply(opts->rules, f, day, set);
		if (!rc && opts->vex)
			rc = vex_apply(opts->vex, f, opts->vex_products);
		if (!rc)
			rc = fix_state_options(opts, f);
	}
	return rc;
}
