/*
 * Fuzz target for ignore rules (match/ignore.c, match/ignore_match.c): the
 * input is a YAML rules document. When it parses, every rule is applied
 * to two fixed findings (so regexes, globs and expiry run on fuzzed
 * patterns). Besides memory errors it checks that parse failures leave no
 * object behind and carry a message, and that a finding suppressed has a
 * non-empty reason.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "customs/match.h"
#include "match/match_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void apply(const struct customs_ignore_rules *rules,
		  struct customs_pkg *pkg, const char *id)
{
	struct customs_finding f;
	struct match_set set;
	size_t i;

	memset(&f, 0, sizeof(f));
	memset(&set, 0, sizeof(set));
	f.vuln.id = (char *)id;
	f.vuln.namespace = (char *)"debian:12";
	f.pkg = pkg;
	f.fix_state = CUSTOMS_FIX_FIXED;
	f.match_type = CUSTOMS_MATCH_EXACT_INDIRECT;
	if (ignore_apply(rules, &f, "2026-06-01", &set) == 0) {
		for (i = 0; i < f.n_suppressions; i++)
			if (!f.suppressions[i].reason ||
			    !*f.suppressions[i].reason)
				abort();
	}
	for (i = 0; i < f.n_suppressions; i++)
		free(f.suppressions[i].reason);
	free(f.suppressions);
	match_set_release(&set);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct customs_ignore_rules *rules = NULL;
	struct customs_ctx *ctx = NULL;
	struct customs_pkg *pkg;
	int rc;

	if (customs_ctx_new(&ctx))
		return 0;
	rc = customs_ignore_rules_parse(&rules, (const char *)data, size,
					"fuzz.yaml", ctx);
	if (rc && (rules || !*customs_ctx_errmsg(ctx)))
		abort();
	pkg = customs_pkg_new(CUSTOMS_PKG_DEB);
	if (!rc && pkg && !customs_pkg_setz(&pkg->name, "libssl3") &&
	    !customs_pkg_setz(&pkg->version, "3.0.11-1") &&
	    !customs_pkg_setz(&pkg->source_name, "openssl") &&
	    !customs_pkg_add_location(pkg, "var/lib/dpkg/status", NULL, 0,
				      CUSTOMS_EVIDENCE_PRIMARY)) {
		apply(rules, pkg, "CVE-2024-0001");
		apply(rules, pkg, "GHSA-aaaa-bbbb-cccc");
	}
	customs_pkg_free(pkg);
	customs_ignore_rules_free(rules);
	customs_ctx_free(ctx);
	return 0;
}
