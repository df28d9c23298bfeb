/*
 * Policy evaluation benchmark driver (bench/policy.sh runs it): a bundle
 * of 40 rules over every kind of gate and a whitelist of N items (exact
 * vulnerability ids, "CVE-...+*" and "*+pkg" wildcards, a few regexp:
 * items, file md5 ids), evaluated against a synthetic analysis of 1,000
 * packages, 500 vulnerabilities and 5,000 files. For each N given on the
 * command line it prints the median CPU time of R runs of: parsing the
 * bundle JSON ("parse"); the first evaluation of a freshly parsed bundle,
 * which compiles the mapped policies and whitelists and builds the
 * whitelist index ("fresh", with min-max: what a one-shot `customs check`
 * pays on top of the parse); and evaluations of a bundle whose compiled
 * form is cached ("cached", the service case).
 * Usage: policy_bench [-r RUNS] N...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "customs/policy.h"

struct sbuf {
	char *p;
	size_t n, cap;
};

static void put(struct sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#include <stdarg.h>

static void put(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int k;

	for (;;) {
		va_start(ap, fmt);
		k = vsnprintf(b->p + b->n, b->cap - b->n, fmt, ap);
		va_end(ap);
		if (k >= 0 && (size_t)k < b->cap - b->n)
			break;
		b->cap = b->cap * 2 + (size_t)k + 1024;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			exit(3);
	}
	b->n += (size_t)k;
}

static char *analysis(void)
{
	struct sbuf b = { malloc(1024), 0, 1024 };
	int i;

	put(&b,
	    "{\"image\":{\"id\":\"sha256:%064d\",\"size\":123456789,"
	    "\"layer_count\":5,\"architecture\":\"amd64\",\"os\":\"linux\"},"
	    "\"distro\":{\"id\":\"debian\",\"version_id\":\"12\"},"
	    "\"dockerfile\":{\"mode\":\"Guessed\",\"text\":\"FROM scratch\\n"
	    "RUN /bin/sh -c apt-get update\\nEXPOSE 80/tcp 22\\nUSER app\\n\"},"
	    "\"vulnerability_db\":{\"built\":\"2025-12-31T00:00:00Z\","
	    "\"namespaces\":[\"debian:12\"]},\"files\":[",
	    0);
	for (i = 0; i < 5000; i++)
		put(&b,
		    "%s{\"path\":\"/usr/lib/f%05d\",\"type\":\"file\",\"mode\":"
		    "\"%s\",\"sha256\":\"%064x\"}",
		    i ? "," : "", i, i % 500 == 0 ? "4755" : "0644", i);
	put(&b, "],\"packages\":[");
	for (i = 0; i < 1000; i++)
		put(&b,
		    "%s{\"type\":\"%s\",\"name\":\"pkg%04d\",\"version\":"
		    "\"1.%d-1\",\"licenses\":[\"GPL-2+ and "
		    "MIT\"],\"locations\":"
		    "[{\"path\":\"/app/node_modules/pkg%04d/package.json\"}],"
		    "\"files\":[{\"path\":\"/usr/lib/f%05d\",\"algorithm\":"
		    "\"sha256\",\"digest\":\"%064x\",\"config\":false}]}",
		    i ? "," : "", i % 3 ? "deb" : "npm", i, i, i, i * 5, i * 5);
	put(&b, "],\"vulnerabilities\":[");
	for (i = 0; i < 500; i++)
		put(&b,
		    "%s{\"vulnerability\":{\"id\":\"CVE-2024-%05d\","
		    "\"severity\":\"%s\",\"link\":\"https://x/%d\",\"cvss\":[{"
		    "\"version\":\"3.1\",\"base_score\":%d.5,"
		    "\"exploitability_score\":3.9,\"impact_score\":5.9,"
		    "\"source\":\"nvd@nist.gov\"}]},\"package\":{\"name\":"
		    "\"pkg%04d\",\"version\":\"1.%d-1\",\"type\":\"%s\","
		    "\"locations\":[{\"path\":\"/app/node_modules/pkg%04d/"
		    "package.json\"}]},\"fix\":{\"state\":\"%s\",\"versions\":"
		    "[%s],\"date\":\"2024-06-01\"}}",
		    i ? "," : "", i,
		    (const char *[]){ "Low", "Medium", "High",
				      "Critical" }[i % 4],
		    i, i % 10, i * 2, i * 2, (i * 2) % 3 ? "deb" : "npm", i * 2,
		    i % 2 ? "fixed" : "not-fixed", i % 2 ? "\"9.9\"" : "");
	put(&b, "]}");
	return b.p;
}

#define RULE(g, t, a, p)                                                  \
	"{\"gate\":\"" g "\",\"trigger\":\"" t "\",\"action\":\"" a "\"," \
	"\"params\":[" p "]}"
#define P(n, v) "{\"name\":\"" n "\",\"value\":\"" v "\"}"

static const char *const rules[] = {
	RULE("vulnerabilities", "package", "STOP",
	     P("package_type", "all") "," P("severity_comparison",
					    ">=") "," P("severity", "high")),
	RULE("vulnerabilities", "package", "WARN",
	     P("package_type", "all") "," P("severity_comparison",
					    "=") "," P("severity", "medium")),
	RULE("vulnerabilities", "package", "WARN",
	     P("package_type", "os") "," P("fix_available", "true")),
	RULE("vulnerabilities", "package", "WARN",
	     P("package_type", "non-os") "," P("cvss_v3_base_score", "5.0")),
	RULE("vulnerabilities", "package", "STOP",
	     P("package_type", "all") "," P("severity", "low") "," P(
		     "fix_available", "true") "," P("max_days_since_fix",
						    "30")),
	RULE("vulnerabilities", "stale_feed_data", "WARN",
	     P("max_days_since_sync", "2")),
	RULE("vulnerabilities", "vulnerability_data_unavailable", "WARN", ""),
	RULE("vulnerabilities", "blacklist", "STOP",
	     P("vulnerability_ids", "CVE-2024-00001,CVE-2024-00400")),
	RULE("dockerfile", "instruction", "WARN",
	     P("instruction", "HEALTHCHECK") "," P("check", "not_exists")),
	RULE("dockerfile", "instruction", "WARN",
	     P("instruction",
	       "RUN") "," P("check", "like") "," P("value", ".*apt.*update.*")),
	RULE("dockerfile", "exposed_ports", "STOP",
	     P("ports", "22") "," P("type", "blacklist")),
	RULE("dockerfile", "effective_user", "STOP",
	     P("users", "root") "," P("type", "blacklist")),
	RULE("dockerfile", "no_dockerfile_provided", "WARN", ""),
	RULE("files", "suid_or_guid_set", "WARN", ""),
	RULE("files", "name_match", "WARN", P("regex", ".*\\\\.pem$")),
	RULE("files", "attribute_match", "WARN",
	     P("filename", "/usr/lib/f00001") "," P("mode", "0644")),
	RULE("packages", "blacklist", "STOP", P("name", "pkg0007")),
	RULE("packages", "blacklist", "WARN", P("name", "telnet")),
	RULE("packages", "required_package", "WARN",
	     P("name", "ca-certificates")),
	RULE("packages", "verify", "WARN", P("check", "changed")),
	RULE("licenses", "blacklist_exact_match", "WARN",
	     P("licenses", "AGPL-3")),
	RULE("licenses", "blacklist_partial_match", "WARN",
	     P("licenses", "GPL")),
	RULE("npms", "blacklisted_name_version", "STOP", P("name", "pkg0003")),
	RULE("npms", "feed_data_unavailable", "WARN", ""),
	RULE("ruby_gems", "feed_data_unavailable", "WARN", ""),
	RULE("passwd_file", "content_not_available", "WARN", ""),
	RULE("secret_scans", "content_regex_checks", "STOP", ""),
	RULE("malware", "scan_not_run", "WARN", ""),
	RULE("metadata", "attribute", "WARN",
	     P("attribute", "size") "," P("check", ">") "," P("value",
							      "100mb")),
	RULE("metadata", "attribute", "WARN",
	     P("attribute", "distro") "," P("check", "not_in") "," P(
		     "value", "alpine,debian")),
	RULE("metadata", "attribute", "WARN",
	     P("attribute", "layer_count") "," P("check", ">") "," P("value",
								     "30")),
	RULE("retrieved_files", "content_not_available", "WARN",
	     P("path", "/etc/passwd")),
	RULE("always", "always", "GO", ""),
	RULE("vulnerability_extras", "kev", "STOP", ""),
	RULE("vulnerability_extras", "epss", "WARN", P("threshold", "0.5")),
	RULE("vulnerability_extras", "fix_age", "WARN", P("max_days", "30")),
	RULE("distro", "end_of_life", "WARN", ""),
	RULE("image_source", "denied", "STOP",
	     P("sources", "docker.io/library/*")),
	RULE("base_image", "unknown", "WARN", ""),
	RULE("vulnerabilities", "package", "WARN",
	     P("package_type", "all") "," P("severity_comparison",
					    "<") "," P("severity", "medium")),
};

static char *bundle(int items)
{
	struct sbuf b = { malloc(1024), 0, 1024 };
	size_t i;
	int k;

	put(&b, "{\"id\":\"bench\",\"version\":\"1_0\",\"policies\":[{\"id\":"
		"\"p\",\"version\":\"1_0\",\"rules\":[");
	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		put(&b, "%s%s", i ? "," : "", rules[i]);
	put(&b, "]}],\"whitelists\":[{\"id\":\"w\",\"name\":\"big\","
		"\"version\":\"1_0\",\"items\":[");
	for (k = 0; k < items; k++) {
		const char *sep = k ? "," : "";

		if (k % 1000 == 999)
			put(&b,
			    "%s{\"id\":\"r%d\",\"gate\":\"vulnerabilities\","
			    "\"trigger_id\":\"regexp:CVE-2023-%03d\"}",
			    sep, k, k % 1000);
		else if (k % 10 == 1)
			put(&b,
			    "%s{\"id\":\"w%d\",\"gate\":\"vulnerabilities\","
			    "\"trigger_id\":\"CVE-2019-%05d+*\"}",
			    sep, k, k);
		else if (k % 10 == 2)
			put(&b,
			    "%s{\"id\":\"s%d\",\"gate\":\"vulnerabilities\","
			    "\"trigger_id\":\"*+lib%06d\"}",
			    sep, k, k);
		else if (k % 10 == 3)
			put(&b,
			    "%s{\"id\":\"f%d\",\"gate\":\"files\","
			    "\"trigger_id\":\"%032x\"}",
			    sep, k, k);
		else
			put(&b,
			    "%s{\"id\":\"e%d\",\"gate\":\"vulnerabilities\","
			    "\"trigger_id\":\"CVE-20%02d-%05d+pkg%04d\","
			    "\"expires_on\":\"2030-01-01T00:00:00Z\"}",
			    sep, k, k % 7 ? 10 + k % 13 : 24, k % 500,
			    (k % 500) * 2);
	}
	put(&b, "]}],\"mappings\":[{\"name\":\"m\",\"registry\":\"*\","
		"\"repository\":\"*\",\"image\":{\"type\":\"tag\",\"value\":"
		"\"*\"},\"policy_id\":\"p\",\"whitelist_ids\":[\"w\"]}]}");
	return b.p;
}

static double now_ms(void)
{
	struct timespec ts;

	/* CPU time of this process: the figure that matters, and one a busy
	 * shared machine does not inflate the way it does wall time */
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* CPU ms of one evaluation of b; *n rows, *wl of them allowlisted. */
static double eval_once(const struct customs_policy_bundle *b,
			const struct customs_policy_analysis *an,
			const struct customs_policy_eval_opts *o, size_t *n,
			size_t *wl)
{
	struct customs_policy_result *res = NULL;
	const struct customs_policy_row *rows;
	double t0 = now_ms(), t;
	size_t i;

	if (customs_policy_evaluate(&res, b, an, o, NULL))
		exit(2);
	t = now_ms() - t0;
	rows = customs_policy_result_rows(res, n);
	for (i = 0, *wl = 0; i < *n; i++)
		*wl += rows[i].whitelisted;
	customs_policy_result_free(res);
	return t;
}

/* The bundle of doc; *ms: the CPU time the parse took. */
static struct customs_policy_bundle *parse_bundle(const char *doc, double *ms)
{
	struct customs_policy_bundle *b = NULL;
	double t0 = now_ms();

	if (customs_policy_bundle_parse(&b, doc, strlen(doc), NULL, NULL))
		exit(2);
	*ms = now_ms() - t0;
	return b;
}

int main(int argc, char **argv)
{
	struct customs_policy_eval_opts o = CUSTOMS_POLICY_EVAL_OPTS_INIT;
	struct customs_policy_analysis *an = NULL;
	char *adoc = analysis();
	int runs = 21, a = 1, r;

	if (argc > 2 && !strcmp(argv[1], "-r")) {
		runs = atoi(argv[2]);
		a = 3;
	}
	if (runs < 1 || runs > 1000 ||
	    customs_policy_analysis_parse(&an, adoc, strlen(adoc), NULL, NULL))
		return 2;
	o.now = 1767225600;
	o.tag = "registry.example.com/team/app:1";
	printf("CPU ms, median of %d (min-max); parse = bundle JSON; fresh = "
	       "first evaluation of a parsed bundle (compile, whitelist "
	       "index, evaluate); cached = the same bundle again\n",
	       runs);
	printf("%-9s %6s %6s %7s %22s %22s\n", "whitelist", "rows", "allow",
	       "parse", "fresh", "cached");
	for (; a < argc; a++) {
		struct customs_policy_bundle *b;
		char *bdoc = bundle(atoi(argv[a]));
		double *t1 = calloc((size_t)runs, sizeof(*t1));
		double *t2 = calloc((size_t)runs, sizeof(*t2));
		double *tp = calloc((size_t)runs, sizeof(*tp));
		size_t n = 0, wl = 0;

		if (!t1 || !t2 || !tp)
			return 2;
		for (r = 0; r < runs; r++) {
			b = parse_bundle(bdoc, &tp[r]);
			t1[r] = eval_once(b, an, &o, &n, &wl);
			customs_policy_bundle_free(b);
		}
		b = parse_bundle(bdoc, &tp[0]);
		for (r = 0; r < runs; r++)
			t2[r] = eval_once(b, an, &o, &n, &wl);
		customs_policy_bundle_free(b);
		qsort(t1, (size_t)runs, sizeof(*t1), cmp_d);
		qsort(t2, (size_t)runs, sizeof(*t2), cmp_d);
		qsort(tp, (size_t)runs, sizeof(*tp), cmp_d);
		printf("%-9s %6zu %6zu %7.2f %8.2f (%5.2f-%6.2f) %8.2f "
		       "(%5.2f-%6.2f)\n",
		       argv[a], n, wl, tp[runs / 2], t1[runs / 2], t1[0],
		       t1[runs - 1], t2[runs / 2], t2[0], t2[runs - 1]);
		free(tp);
		free(bdoc);
		free(t1);
		free(t2);
	}
	customs_policy_analysis_free(an);
	free(adoc);
	return 0;
}
