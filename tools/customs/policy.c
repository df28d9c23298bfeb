/*
 * `customs policy`: policy-as-code tooling. validate (every problem of a
 * bundle at once, with Anchore's problem types), describe (the gates,
 * triggers and parameters: text, or the policy_spec JSON) and test (the
 * policy test runner in policy_test.c).
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "policy_cli.h"
#include "util/banned.h"

static const char policy_usage[] =
	"usage: customs policy validate BUNDLE\n"
	"       customs policy describe [-o text|json]\n"
	"       customs policy test DIR\n"
	"\n"
	"Policy-as-code tooling for Anchore policy bundles (format 1_0).\n"
	"\n"
	"  validate BUNDLE   check a bundle as Anchore's API does and print\n"
	"                    every problem (problem_type: details); exit 1 if\n"
	"                    there is any. As in Anchore, only the policies\n"
	"                    and whitelists a mapping references are checked.\n"
	"  describe          list every gate, trigger and parameter "
	"(Anchore's\n"
	"                    and customs' own); -o json prints the\n"
	"                    policy_spec document of GET /system/policy_spec\n"
	"  test DIR          run the policy test cases DIR/*.case.json (see\n"
	"                    docs/policy.md): each names a bundle, an "
	"analysis\n"
	"                    document or an image, and the expected final\n"
	"                    action and/or rows; prints ok/not ok per case\n"
	"                    with a diff, then N passed, N failed\n"
	"\n"
	"exit codes: 0 valid / all passed, 1 problems / a case failed,\n"
	"2 bad input or usage, 3 internal error.\n";

static int validate(const char *path)
{
	struct customs_policy_problems ps = { NULL, 0 };
	struct customs_policy_bundle *b = NULL;
	struct customs_ctx *ctx = NULL;
	size_t i;
	int rc, ex;

	if (customs_ctx_new(&ctx))
		return EXIT_INTERNAL;
	rc = load_bundle(&b, path, ctx);
	if (!rc)
		rc = customs_policy_validate(&ps, b, ctx);
	if (rc) {
		ex = fail_ctx(ctx, rc);
		goto out;
	}
	for (i = 0; i < ps.n; i++)
		printf("%s: %s: %s\n", ps.v[i].severity, ps.v[i].problem_type,
		       ps.v[i].details);
	if (ps.n)
		printf("%s: %zu problem%s\n", path, ps.n, ps.n == 1 ? "" : "s");
	else
		printf("%s: valid\n", path);
	ex = ps.n ? EXIT_GATE : EXIT_OK;
out:
	customs_policy_problems_release(&ps);
	customs_policy_bundle_free(b);
	customs_ctx_free(ctx);
	return ex;
}

static void describe_param(const json_t *p)
{
	const json_t *v = json_object_get(p, "validator");
	const json_t *en =
		json_object_get(json_object_get(v, "criteria"), "enum");
	const json_t *x;
	size_t i;

	printf("      %s%s (%s)", json_string_value(json_object_get(p, "name")),
	       json_is_true(json_object_get(p, "required")) ? " [required]"
							    : "",
	       json_string_value(json_object_get(v, "type")));
	json_array_foreach(en, i, x)
	{
		printf("%s%s", i ? "," : ": ", json_string_value(x));
	}
	printf("\n        %s\n",
	       json_string_value(json_object_get(p, "description")));
}

static void describe_text(const json_t *spec)
{
	const json_t *g, *t, *p;
	size_t i, j, k;

	json_array_foreach(spec, i, g)
	{
		const char *st = json_string_value(json_object_get(g, "state"));

		printf("%s%s\n  %s\n",
		       json_string_value(json_object_get(g, "name")),
		       strcmp(st, "active") ? " (end of life)" : "",
		       json_string_value(json_object_get(g, "description")));
		json_array_foreach(json_object_get(g, "triggers"), j, t)
		{
			printf("    %s: %s\n",
			       json_string_value(json_object_get(t, "name")),
			       json_string_value(
				       json_object_get(t, "description")));
			json_array_foreach(json_object_get(t, "parameters"), k,
					   p)
			{
				describe_param(p);
			}
		}
	}
}

static int describe(int argc, char **argv)
{
	char *doc = NULL;
	json_t *spec;
	bool json = false;

	if (argc == 3 && !strcmp(argv[1], "-o") &&
	    (!strcmp(argv[2], "json") || !strcmp(argv[2], "text")))
		json = !strcmp(argv[2], "json");
	else if (argc != 1)
		return usage_error("usage: customs policy describe [-o "
				   "text|json]");
	if (customs_policy_describe_json(&doc, json))
		return EXIT_INTERNAL;
	if (json) {
		printf("%s\n", doc);
		free(doc);
		return EXIT_OK;
	}
	spec = json_loads(doc, 0, NULL);
	free(doc);
	if (!spec)
		return EXIT_INTERNAL;
	describe_text(spec);
	json_decref(spec);
	return EXIT_OK;
}

int cmd_policy(int argc, char **argv)
{
	if (argc < 2) {
		fputs(policy_usage, stderr);
		return EXIT_INPUT;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(policy_usage, stdout);
		return EXIT_OK;
	}
	if (argc > 2 &&
	    (!strcmp(argv[2], "-h") || !strcmp(argv[2], "--help"))) {
		fputs(policy_usage, stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "validate")) {
		if (argc != 3)
			return usage_error("usage: customs policy validate "
					   "BUNDLE");
		return validate(argv[2]);
	}
	if (!strcmp(argv[1], "describe"))
		return describe(argc - 1, argv + 1);
	if (!strcmp(argv[1], "test")) {
		if (argc != 3)
			return usage_error("usage: customs policy test DIR");
		return policy_test(argv[2]);
	}
	return usage_error("policy: unknown subcommand '%s' (see `customs "
			   "policy --help`)",
			   argv[1]);
}
