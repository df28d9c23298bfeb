/*
 * Fuzz target for policy bundles (src/policy/bundle.c, mapping.c,
 * whitelist.c, spec.c): the input is a bundle; it is parsed, validated
 * and evaluated against a small fixed analysis document for two tags.
 * Besides memory errors it checks invariants: every problem has a type
 * and details, every row has a gate, trigger, message and a trigger id,
 * a whitelisted row's action is go, and the result document renders.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "customs/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char doc[] =
	"{\"image\":{\"id\":\"sha256:"
	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\","
	"\"size\":1000,\"layer_count\":1,\"architecture\":\"amd64\"},"
	"\"dockerfile\":{\"mode\":\"Guessed\",\"text\":\"FROM scratch\\nEXPOSE "
	"22\\nUSER app\\n\"},\"distro\":{\"id\":\"debian\",\"version_id\":"
	"\"12\"},\"files\":[{\"path\":\"/usr/bin/su\",\"type\":\"file\","
	"\"mode\":\"4755\",\"sha256\":\"00\"}],\"packages\":[{\"type\":"
	"\"deb\",\"name\":\"bash\",\"version\":\"5.2-1\",\"licenses\":["
	"\"GPL-3+\"]}],\"vulnerabilities\":[{\"vulnerability\":{\"id\":"
	"\"CVE-1\",\"severity\":\"High\"},\"package\":{\"name\":\"bash\","
	"\"type\":\"deb\"},\"fix\":{\"state\":\"fixed\",\"versions\":[\"5.3\"]"
	"}}]}";

static void check_result(const struct customs_policy_result *r)
{
	const struct customs_policy_problems *ps;
	const struct customs_policy_row *rows;
	char *json = NULL;
	size_t n, i;

	rows = customs_policy_result_rows(r, &n);
	for (i = 0; i < n; i++) {
		if (!rows[i].gate || !rows[i].trigger || !rows[i].message ||
		    !rows[i].trigger_id || !*rows[i].trigger_id)
			abort();
		if (rows[i].whitelisted && rows[i].action != CUSTOMS_POLICY_GO)
			abort();
	}
	ps = customs_policy_result_problems(r);
	for (i = 0; i < ps->n; i++) {
		if (!ps->v[i].problem_type[0] || !ps->v[i].details[0])
			abort();
	}
	if (customs_policy_result_json(&json, r, false) == 0)
		free(json);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const tags[] = { "docker.io/library/x:1", NULL };
	struct customs_policy_eval_opts o = CUSTOMS_POLICY_EVAL_OPTS_INIT;
	struct customs_policy_problems ps = { NULL, 0 };
	struct customs_policy_bundle *b = NULL;
	struct customs_policy_analysis *an = NULL;
	struct customs_policy_result *r = NULL;
	size_t i;

	if (customs_policy_bundle_parse(&b, (const char *)data, size, NULL,
					NULL))
		return 0;
	if (customs_policy_validate(&ps, b, NULL) == 0) {
		for (i = 0; i < ps.n; i++) {
			if (!ps.v[i].problem_type[0])
				abort();
		}
	}
	customs_policy_problems_release(&ps);
	if (customs_policy_analysis_parse(&an, doc, sizeof(doc) - 1, NULL,
					  NULL))
		abort();
	o.now = 1767225600;
	for (i = 0; i < 2; i++) {
		o.tag = tags[i];
		if (customs_policy_evaluate(&r, b, an, &o, NULL) == 0) {
			check_result(r);
			customs_policy_result_free(r);
		}
	}
	customs_policy_analysis_free(an);
	customs_policy_bundle_free(b);
	return 0;
}
