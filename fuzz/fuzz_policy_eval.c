/*
 * Fuzz target for policy evaluation (src/policy/g_*.c, analysis.c): the
 * input is an analysis document, evaluated against a fixed bundle with a
 * rule for every active trigger (the gates read every key of the
 * document: files, packages, vulnerabilities, retrieved files, secret
 * and content matches, malware, Dockerfile text). Rows must be
 * well-formed and the result must render; an evaluation error is fine
 * (a trigger may reject the data) but must leave no result behind.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "customs/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define R(g, t, p)                                                       \
	"{\"gate\":\"" g "\",\"trigger\":\"" t "\",\"action\":\"WARN\"," \
	"\"params\":[" p "]},"
#define P(n, v) "{\"name\":\"" n "\",\"value\":\"" v "\"}"

static const char bundle[] =
	"{\"id\":\"f\",\"version\":\"1_0\",\"policies\":[{\"id\":\"p\","
	"\"version\":\"1_0\",\"rules\":[" R("always", "always", "") R(
		"dockerfile", "instruction",
		P("instruction", "RUN") "," P("check", "like") "," P(
			"value",
			"apt.*")) R("dockerfile", "instruction",
				    P("instruction", "HEALTHCHECK") "," P(
					    "check", "not_exists"))
		R("dockerfile", "effective_user",
		  P("users", "root") "," P("type", "blacklist"))
			R("dockerfile", "exposed_ports",
			  P("ports", "22,80") "," P("type", "whitelist"))
				R("dockerfile", "no_dockerfile_provided", "")
					R("files", "content_regex_match", "")
						R("files", "name_match", P("regex", ".*\\\\.pem")) R("files", "attribute_match", P("filename", "/etc/passwd") "," P("mode", "0644") "," P("skip_missing", "false")) R("files", "suid_or_guid_set", "") R("licenses", "blacklist_exact_match", P("licenses", "GPL-3+")) R("licenses", "blacklist_partial_match", P("licenses", "GPL")) R("malware",
																																															"scans", "") R("malware",
																																																       "scan_not_run", "") R("metadata",
																																																			     "attribute",
																																																			     P("attribute", "size") "," P("check", ">") "," P(
																																																				     "value",
																																																				     "1mb")) R("metadata", "attribute", P("attribute", "distro") "," P("check", "like") "," P("value", "deb")) R("npms",
																																																																		 "blacklisted_name_version", P("name", "lodash")) R("npms",
																																																																								    "feed_data_unavailable",
																																																																								    "") R("ruby_gems", "blacklist", P("name", "rails") "," P("version", "1")) R("packages", "required_package", P("name", "bash") "," P("version", "5") "," P("version_match_type", "exact")) R("packages", "verify", "") R("packages",
																																																																																																			    "blacklist",
																																																																																																			    P("name",
																																																																																																			      "bash")) R("passwd_file",
																																																																																																					 "content_not_available", "") R("passwd_file", "blacklist_usernames",
																																																																																																									P("user_names", "root")) R("passwd_file",
																																																																																																												   "blacklist_full_entry",
																																																																																																												   P("entry",
																																																																																																												     "a:b")) R("retrieved_files", "content_not_available", P("path", "/etc/x")) R("retrieved_files",
																																																																																																																						  "content_regex",
																																																																																																																						  P(
																																																																																																																							  "path", "/etc/passwd") "," P("regex", "root") "," P("check", "match")) R("secret_scans", "content_regex_checks", P("content_regex_name", "AWS_ACCESS_KEY")) R("secret_scans",
																																																																																																																																											"content_regex_checks",
																																																																																																																																											P("match_type",
																																																																																																																																											  "notfound"))
							R("vulnerabilities", "package", P("package_type", "all") "," P("cvss_v3_base_score", "5") "," P("max_days_since_creation", "1")) R(
								"vulnerabilitie"
								"s",
								"package",
								P("package_"
								  "type",
								  "non-os") "," P("fix_available",
										  "true") "," P("max_days_since_fix",
												"3"))
								R("vulnerabilit"
								  "ies",
								  "stale_feed_"
								  "data",
								  P("max_days_"
								    "since_"
								    "sync",
								    "2")) R("vu"
									    "ln"
									    "er"
									    "ab"
									    "il"
									    "it"
									    "ie"
									    "s",
									    "vu"
									    "ln"
									    "er"
									    "ab"
									    "il"
									    "it"
									    "y_"
									    "da"
									    "ta"
									    "_u"
									    "na"
									    "va"
									    "il"
									    "ab"
									    "l"
									    "e",
									    "") R("vulnerabilities",
										  "blacklist",
										  P("vulnerability_ids",
										    "CVE-1,CVE-2"))
									R("imag"
									  "e_"
									  "sour"
									  "ce",
									  "deni"
									  "ed",
									  P("so"
									    "ur"
									    "ce"
									    "s",
									    "do"
									    "ck"
									    "er"
									    ".i"
									    "o/"
									    "*")) R("base_image",
										    "not_trusted",
										    P("trusted",
										      "debian*"))
										R("base_image",
										  "layers_mismatch",
										  "") R("vulnerability_extras",
											"kev",
											"") R("vulnerability_extras",
											      "epss",
											      P("threshold",
												"0.1"))
											R("vulnerability_extras",
											  "fix_age",
											  P("max_days",
											    "10")) "{\"gate\":\"distro\",\"trigger\":\"end_of_life\",\"action\":\"STOP\","
												   "\"params\":[]}]}],\"whitelists\":[{\"id\":\"w\",\"version\":\"1_0\","
												   "\"items\":[{\"gate\":\"vulnerabilities\",\"trigger_id\":\"CVE-*\"},"
												   "{\"gate\":\"files\",\"trigger_id\":\"regexp:[0-9a-f]{4}\"}]}],"
												   "\"mappings\":[{\"name\":\"m\",\"registry\":\"*\",\"repository\":\"*\","
												   "\"image\":{\"type\":\"tag\",\"value\":\"*\"},\"policy_id\":\"p\","
												   "\"whitelist_ids\":[\"w\"]}]}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct customs_policy_eval_opts o = CUSTOMS_POLICY_EVAL_OPTS_INIT;
	struct customs_policy_problems ps = { NULL, 0 };
	struct customs_policy_bundle *b = NULL;
	struct customs_policy_analysis *an = NULL;
	struct customs_policy_result *r = NULL;
	const struct customs_policy_row *rows;
	char *json = NULL;
	size_t n, i;
	int rc;

	if (customs_policy_bundle_parse(&b, bundle, sizeof(bundle) - 1, NULL,
					NULL) ||
	    customs_policy_validate(&ps, b, NULL) || ps.n)
		abort();
	if (customs_policy_analysis_parse(&an, (const char *)data, size, NULL,
					  NULL))
		goto out;
	o.now = 1767225600;
	o.tag = "docker.io/library/x:1";
	o.fixes = size & 1 ? CUSTOMS_POLICY_FIX_ALL : 0;
	rc = customs_policy_evaluate(&r, b, an, &o, NULL);
	if (rc && r)
		abort();
	if (rc)
		goto out;
	rows = customs_policy_result_rows(r, &n);
	if (n == 0 || strcmp(rows[0].trigger_id, "always"))
		abort();
	for (i = 0; i < n; i++) {
		if (!rows[i].message || !rows[i].trigger_id[0])
			abort();
	}
	if (customs_policy_result_json(&json, r, true) == 0)
		free(json);
out:
	customs_policy_result_free(r);
	customs_policy_analysis_free(an);
	customs_policy_bundle_free(b);
	customs_policy_problems_release(&ps);
	return 0;
}
