/*
 * Unit tests of the policy module (src/policy): a table of trigger cases
 * (fires / does not fire, exact messages, exact trigger ids, parameters
 * and check operators) run through a one-rule bundle, then mappings and
 * whitelists (Anchore §3), validation problem types, row order, image
 * selectors, the default bundle and the result document.
 *
 * Analysis documents in the table are written with ' for " to keep them
 * readable; the harness swaps them back.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "customs/policy.h"
#include "util/banned.h"

#define NOW 1767225600 /* 2026-01-01T00:00:00Z */
#define MAXROWS 8

struct tcase {
	const char *name, *gate, *trigger, *params, *analysis;
	const char *msgs[MAXROWS]; /* expected messages, in order */
	const char *ids[MAXROWS]; /* NULL = md5(gate+trigger+message) */
	unsigned fixes;
};

static char *dq(const char *s)
{
	char *o = strdup(s), *p;

	assert_non_null(o);
	for (p = o; *p; p++) {
		if (*p == '\'')
			*p = '"';
	}
	return o;
}

/* "k=v;k=v" -> [{"name":"k","value":"v"},...] (JSON-escaped) */
static void params_json(char *out, size_t n, const char *spec)
{
	const char *p = spec;
	size_t o = 0;

	o += (size_t)snprintf(out + o, n - o, "[");
	while (p && *p) {
		const char *eq = strchr(p, '='), *end = strchr(p, ';');
		const char *v;

		if (!end)
			end = p + strlen(p);
		assert_non_null(eq);
		o += (size_t)snprintf(out + o, n - o,
				      "%s{\"name\":\"%.*s\",\"value\":\"",
				      p == spec ? "" : ",", (int)(eq - p), p);
		for (v = eq + 1; v < end; v++) {
			if (*v == '\\' || *v == '"')
				out[o++] = '\\';
			out[o++] = *v;
		}
		o += (size_t)snprintf(out + o, n - o, "\"}");
		p = *end ? end + 1 : NULL;
	}
	snprintf(out + o, n - o, "]");
}

static struct customs_policy_bundle *
one_rule(const char *gate, const char *trigger, const char *params)
{
	struct customs_policy_bundle *b = NULL;
	char pj[4096], doc[8192];

	params_json(pj, sizeof(pj), params);
	snprintf(doc, sizeof(doc),
		 "{\"id\":\"b\",\"version\":\"1_0\",\"policies\":[{\"id\":"
		 "\"p1\",\"version\":\"1_0\",\"rules\":[{\"id\":\"r1\","
		 "\"gate\":\"%s\",\"trigger\":\"%s\",\"action\":\"STOP\","
		 "\"params\":%s}]}],\"whitelists\":[],\"mappings\":[{\"name\":"
		 "\"m\",\"registry\":\"*\",\"repository\":\"*\",\"image\":{"
		 "\"type\":\"tag\",\"value\":\"*\"},\"policy_id\":\"p1\","
		 "\"whitelist_ids\":[]}]}",
		 gate, trigger, pj);
	assert_int_equal(
		customs_policy_bundle_parse(&b, doc, strlen(doc), NULL, NULL),
		0);
	return b;
}

static struct customs_policy_analysis *analysis(const char *single_quoted)
{
	struct customs_policy_analysis *an = NULL;
	char *doc = dq(single_quoted);

	assert_int_equal(customs_policy_analysis_parse(&an, doc, strlen(doc),
						       NULL, NULL),
			 0);
	free(doc);
	return an;
}

static int evaluate(struct customs_policy_result **r,
		    const struct customs_policy_bundle *b,
		    const struct customs_policy_analysis *an, const char *tag,
		    unsigned fixes, struct customs_ctx *ctx)
{
	struct customs_policy_eval_opts o = CUSTOMS_POLICY_EVAL_OPTS_INIT;

	o.now = NOW;
	o.tag = tag;
	o.fixes = fixes;
	return customs_policy_evaluate(r, b, an, &o, ctx);
}

static void run_case(const struct tcase *c)
{
	struct customs_policy_bundle *b =
		one_rule(c->gate, c->trigger, c->params);
	struct customs_policy_analysis *an = analysis(c->analysis);
	struct customs_policy_result *r = NULL;
	struct customs_ctx *ctx = NULL;
	const struct customs_policy_row *rows;
	struct customs_policy_problems ps = { NULL, 0 };
	size_t n, i, want = 0;
	char md5[33];

	assert_int_equal(customs_ctx_new(&ctx), 0);
	assert_int_equal(customs_policy_validate(&ps, b, NULL), 0);
	if (ps.n)
		fail_msg("%s: validation: %s", c->name, ps.v[0].details);
	if (evaluate(&r, b, an, "docker.io/x:1", c->fixes, ctx))
		fail_msg("%s: %s", c->name, customs_ctx_errmsg(ctx));
	rows = customs_policy_result_rows(r, &n);
	while (want < MAXROWS && c->msgs[want])
		want++;
	if (n != want)
		fail_msg("%s: %zu rows, expected %zu (first: %s)", c->name, n,
			 want, n ? rows[0].message : "-");
	for (i = 0; i < n; i++) {
		if (strcmp(rows[i].message, c->msgs[i]))
			fail_msg("%s: row %zu:\n got  %s\n want %s", c->name, i,
				 rows[i].message, c->msgs[i]);
		customs_policy_trigger_md5(md5, c->gate, c->trigger,
					   c->msgs[i]);
		if (strcmp(rows[i].trigger_id, c->ids[i] ? c->ids[i] : md5))
			fail_msg("%s: row %zu id %s, want %s", c->name, i,
				 rows[i].trigger_id,
				 c->ids[i] ? c->ids[i] : md5);
		assert_int_equal(rows[i].action, CUSTOMS_POLICY_STOP);
	}
	customs_policy_problems_release(&ps);
	customs_policy_result_free(r);
	customs_policy_analysis_free(an);
	customs_policy_bundle_free(b);
	customs_ctx_free(ctx);
}

#define DF_GUESSED                                                      \
	"{'dockerfile':{'mode':'Guessed','text':'FROM scratch\\nRUN "   \
	"/bin/sh -c apt-get update\\nEXPOSE 22/tcp 80\\n# c\\n\\nUSER " \
	"app\\n'}}"
#define DF_ACTUAL                                                      \
	"{'dockerfile':{'mode':'Actual','text':'FROM debian:12\\nRUN " \
	"apt-get update \\\\\\n  && apt-get upgrade\\n'}}"
#define PASSWD                                                               \
	"{'retrieved_files':{'/etc/passwd':{'size':72,'truncated':false,"    \
	"'content_b64':'cm9vdDp4OjA6MDpyb290Oi9yb290Oi9iaW4vYmFzaApmdHA6eDo" \
	"xNDo1MDpGVFA6L3Zhci9mdHA6L3NiaW4vbm9sb2dpbgo='}}}"
#define FTP "ftp:x:14:50:FTP:/var/ftp:/sbin/nologin"
#define ROOT "root:x:0:0:root:/root:/bin/bash"
#define FILES                                                               \
	"{'files':[{'path':'/usr/bin/chage','type':'file','mode':'4755',"   \
	"'sha256':'aa'},{'path':'/var/mail','type':'dir','mode':'2775',"    \
	"'sha256':null},{'path':'/etc/passwd','type':'file','mode':'0644'," \
	"'sha256':'abc'},{'path':'/etc/ssl/a.pem','type':'file','mode':"    \
	"'0600','sha256':'dd'}],'content_search':{'/etc/x':{"               \
	"'UEFTUz1wYXNzLio=':[1]}}}"
#define PKGS                                                                 \
	"{'distro':{'id':'debian','version_id':'12'},'packages':[{'type':"   \
	"'deb','name':'bash','version':'5.2.15-2+b2','licenses':['GPL-3+ "   \
	"and BSD'],'files':[{'path':'/bin/bash','algorithm':'sha256',"       \
	"'digest':'aaa','config':false},{'path':'/etc/bash.bashrc',"         \
	"'algorithm':'md5','digest':'x','config':true},{'path':'/bin/gone'," \
	"'algorithm':'md5','digest':'y','config':false}]},{'type':'rpm',"    \
	"'name':'openssl','version':'1:3.0.7-27.el9','licenses':['OpenSSL'"  \
	"]},{'type':'npm','name':'lodash','version':'4.17.20','licenses':"   \
	"['MIT']},{'type':'gem','name':'rails','version':'7.0.1'}],'files':" \
	"[{'path':'/bin/bash','type':'file','mode':'0755','sha256':'bbb'}]}"
/* packages/verify: one package-db entry per directory, so that
 * only_directories picks one status per case */
#define VERIFY                                                                \
	"{'packages':[{'type':'deb','name':'coreutils','version':'9.1-1',"    \
	"'files':[{'path':'/md5/ls','algorithm':'md5','digest':'"             \
	"0123456789abcdef0123456789abcdef'},{'path':'/sha/cat','algorithm':"  \
	"'sha256','digest':'aaaa'},{'path':'/gone/x','algorithm':'md5',"      \
	"'digest':'ffff'},{'path':'/same/x','algorithm':'md5','digest':"      \
	"'0123456789ABCDEF0123456789ABCDEF'},{'path':'/nomd5/x',"             \
	"'algorithm':'md5','digest':'eeee'},{'path':'/mode/x','mode':"        \
	"'0700'},{'path':'/mode/d','mode':'40755'},{'path':'/size/x',"        \
	"'size':10},{'path':'/link/x','algorithm':'md5','digest':'dddd'},"    \
	"{'path':'/conf/x','algorithm':'md5','digest':'cccc','config':true}"  \
	"]}],'files':[{'path':'/md5/ls','type':'file','mode':'0755','size':"  \
	"3,'sha256':'s1','md5':'fedcba9876543210fedcba9876543210'},{'path':"  \
	"'/sha/cat','type':'file','mode':'0755','sha256':'bbbb','md5':'m'},"  \
	"{'path':'/same/x','type':'file','mode':'0755','sha256':'s2','md5':"  \
	"'0123456789abcdef0123456789abcdef'},{'path':'/nomd5/x','type':"      \
	"'file','mode':'0755','sha256':'s3'},{'path':'/mode/x','type':'file'" \
	",'mode':'0755','sha256':'s4'},{'path':'/mode/d','type':'dir',"       \
	"'mode':'0755'},{'path':'/size/x','type':'file','mode':'0644',"       \
	"'size':11,'sha256':'s5'},{'path':'/link/x','type':'symlink',"        \
	"'mode':'0777','link':'ls'}]}"
#define VMSG(path, st)                                                       \
	"VERIFY check against package db for package 'coreutils' failed on " \
	"entry '" path "' with status: '" st "'"
#define META                                                         \
	"{'image':{'size':1000,'architecture':'amd64','os':'linux'," \
	"'layer_count':3},'distro':{'id':'debian','version_id':'12'}}"
#define SECRETS                           \
	"{'secret_search':{'/app/.env':{" \
	"'QVdTX0FDQ0VTU19LRVk9QUtJQVtBLVowLTldezE2fQ==':[3]}}}"
#define CVE1 "CVE-2021-3326"
#define LINK1 "https://security-tracker.debian.org/tracker/" CVE1
#define VULNS                                                                 \
	"{'distro':{'id':'debian','version_id':'12'},'vulnerability_db':{"    \
	"'built':'2025-12-31T12:00:00Z','namespaces':['debian:12']},"         \
	"'vulnerabilities':[{'vulnerability':{'id':'" CVE1 "','severity':"    \
	"'High','link':'" LINK1 "','namespace':'debian:12','cvss':[{"         \
	"'version':'3.1','base_score':7.5,'exploitability_score':3.9,"        \
	"'impact_score':3.6,'source':'nvd@nist.gov','type':'Primary'}]},"     \
	"'package':{'name':'libc6','version':'2.36-9','type':'deb',"          \
	"'locations':[{'path':'/var/lib/dpkg/status'}]},'fix':{'state':"      \
	"'not-fixed','versions':[]}},{'vulnerability':{'id':'CVE-2021-36159'" \
	",'severity':'Critical','link':'https://x/36159'},'package':{'name'"  \
	":'apk-tools','version':'2.12.5-r0','type':'apk'},'fix':{'state':"    \
	"'fixed','versions':['2.12.6-r0'],'date':'2021-08-01'}},{"            \
	"'vulnerability':{'id':'GHSA-1','severity':'Medium','link':'L'},"     \
	"'package':{'name':'lodash','version':'4.17.20','type':'npm',"        \
	"'locations':[{'path':'/app/node_modules/lodash/package.json'}]},"    \
	"'fix':{'state':'fixed','versions':['4.17.21']}},{'vulnerability':{"  \
	"'id':'CVE-9','severity':'Unknown','link':'L'},'package':{'name':"    \
	"'zlib1g','type':'deb'},'fix':{'state':'unknown','versions':[]}},{"   \
	"'vulnerability':{'id':'CVE-8','severity':'Critical','link':'L'},"    \
	"'package':{'name':'perl','type':'deb'},'fix':{'state':'wont-fix',"   \
	"'versions':[]}}]}"
#define HIGH_MSG                                                            \
	"HIGH Vulnerability found in os package type (dpkg) - libc6 (" CVE1 \
	" - " LINK1 ")"
#define CRIT_MSG                                                    \
	"CRITICAL Vulnerability found in os package type (APKG) - " \
	"apk-tools (fixed in: 2.12.6-r0)(CVE-2021-36159 - https://x/36159)"
#define NPM_MSG                                                             \
	"MEDIUM Vulnerability found in non-os package type (npm) - "        \
	"/app/node_modules/lodash/package.json (fixed in: 4.17.21)(GHSA-1 " \
	"- L)"

static const struct tcase cases[] = {
	{ "always",
	  "always",
	  "always",
	  "",
	  "{}",
	  { "Unconditional trigger match" },
	  { "always" },
	  0 },
	/* dockerfile */
	{ "healthcheck not_exists",
	  "dockerfile",
	  "instruction",
	  "instruction=HEALTHCHECK;check=not_exists",
	  DF_GUESSED,
	  { "Dockerfile directive 'HEALTHCHECK' not found, matching condition "
	    "'not_exists' check" },
	  { "41cb7cdf04850e33a11f80c42bf660b3" },
	  0 },
	{ "no dockerfile: nothing",
	  "dockerfile",
	  "instruction",
	  "instruction=HEALTHCHECK;check=not_exists",
	  "{}",
	  { NULL },
	  { NULL },
	  0 },
	{ "run like",
	  "dockerfile",
	  "instruction",
	  "instruction=RUN;check=like;value=(\\s*/bin/sh\\s*-c\\s*)*\\s*apt(-"
	  "get)*.*up(date|grade)\\s*$",
	  DF_GUESSED,
	  { "Dockerfile directive 'RUN' check 'like' matched against "
	    "'(\\s*/bin/sh\\s*-c\\s*)*\\s*apt(-get)*.*up(date|grade)\\s*$' "
	    "for line '/bin/sh -c apt-get update'" },
	  { NULL },
	  0 },
	{ "run not_like",
	  "dockerfile",
	  "instruction",
	  "instruction=RUN;check=not_like;value=/bin/sh",
	  DF_GUESSED,
	  { NULL },
	  { NULL },
	  0 },
	{ "from =",
	  "dockerfile",
	  "instruction",
	  "instruction=FROM;check==;value=scratch",
	  DF_GUESSED,
	  { "Dockerfile directive 'FROM' check '=' matched against 'scratch' "
	    "for line 'scratch'" },
	  { NULL },
	  0 },
	{ "from !=",
	  "dockerfile",
	  "instruction",
	  "instruction=FROM;check=!=;value=scratch",
	  DF_GUESSED,
	  { NULL },
	  { NULL },
	  0 },
	{ "from in",
	  "dockerfile",
	  "instruction",
	  "instruction=FROM;check=in;value=a, scratch",
	  DF_GUESSED,
	  { "Dockerfile directive 'FROM' check 'in' matched against 'a, "
	    "scratch' for line 'scratch'" },
	  { NULL },
	  0 },
	{ "from not_in",
	  "dockerfile",
	  "instruction",
	  "instruction=FROM;check=not_in;value=a,b",
	  DF_GUESSED,
	  { "Dockerfile directive 'FROM' check 'not_in' matched against 'a,b' "
	    "for line 'scratch'" },
	  { NULL },
	  0 },
	{ "user exists",
	  "dockerfile",
	  "instruction",
	  "instruction=USER;check=exists",
	  DF_GUESSED,
	  { "Dockerfile directive 'USER' check 'exists' matched against '' "
	    "for line 'app'" },
	  { NULL },
	  0 },
	{ "= without value: nothing",
	  "dockerfile",
	  "instruction",
	  "instruction=FROM;check==",
	  DF_GUESSED,
	  { NULL },
	  { NULL },
	  0 },
	{ "actual_dockerfile_only",
	  "dockerfile",
	  "instruction",
	  "instruction=FROM;check=exists;actual_dockerfile_only=true",
	  DF_GUESSED,
	  { NULL },
	  { NULL },
	  0 },
	{ "continuations not joined (quirk)",
	  "dockerfile",
	  "instruction",
	  "instruction=RUN;check=exists",
	  DF_ACTUAL,
	  { "Dockerfile directive 'RUN' check 'exists' matched against '' for "
	    "line 'apt-get update \\'" },
	  { NULL },
	  0 },
	{ "continuations joined (fix)",
	  "dockerfile",
	  "instruction",
	  "instruction=RUN;check=exists",
	  DF_ACTUAL,
	  { "Dockerfile directive 'RUN' check 'exists' matched against '' for "
	    "line 'apt-get update    && apt-get upgrade'" },
	  { NULL },
	  CUSTOMS_POLICY_FIX_DOCKERFILE_CONTINUATION },
	{ "ports blacklist 22",
	  "dockerfile",
	  "exposed_ports",
	  "ports=22,443;type=blacklist",
	  DF_GUESSED,
	  { "Dockerfile exposes port (22/tcp) which is in policy file "
	    "DENIEDPORTS list" },
	  { NULL },
	  0 },
	{ "ports blacklist 80 plain",
	  "dockerfile",
	  "exposed_ports",
	  "ports=80;type=blacklist",
	  DF_GUESSED,
	  { "Dockerfile exposes port (80) which is in policy file DENIEDPORTS "
	    "list" },
	  { NULL },
	  0 },
	{ "ports whitelist",
	  "dockerfile",
	  "exposed_ports",
	  "ports=80;type=whitelist",
	  DF_GUESSED,
	  { "Dockerfile exposes port (22/tcp) which is not in policy file "
	    "ALLOWEDPORTS list" },
	  { NULL },
	  0 },
	{ "ports actual only",
	  "dockerfile",
	  "exposed_ports",
	  "ports=80;type=blacklist;actual_dockerfile_only=true",
	  DF_GUESSED,
	  { NULL },
	  { NULL },
	  0 },
	{ "user blacklist miss",
	  "dockerfile",
	  "effective_user",
	  "users=root;type=blacklist",
	  DF_GUESSED,
	  { NULL },
	  { NULL },
	  0 },
	{ "user blacklist hit",
	  "dockerfile",
	  "effective_user",
	  "users=root,app;type=blacklist",
	  DF_GUESSED,
	  { "User app found as effective user, which is explicity not "
	    "allowed" },
	  { NULL },
	  0 },
	{ "user whitelist",
	  "dockerfile",
	  "effective_user",
	  "users=root;type=whitelist",
	  DF_GUESSED,
	  { "User app found as effective user, which is not on the allowed "
	    "list" },
	  { NULL },
	  0 },
	{ "user default root",
	  "dockerfile",
	  "effective_user",
	  "users=root;type=blacklist",
	  DF_ACTUAL,
	  { "User root found as effective user, which is explicity not "
	    "allowed" },
	  { NULL },
	  0 },
	{ "no dockerfile provided",
	  "dockerfile",
	  "no_dockerfile_provided",
	  "",
	  DF_GUESSED,
	  { "Image was not analyzed with an actual Dockerfile" },
	  { "b00b22232c1902075263067d2d2b8eea" },
	  0 },
	{ "dockerfile provided",
	  "dockerfile",
	  "no_dockerfile_provided",
	  "",
	  DF_ACTUAL,
	  { NULL },
	  { NULL },
	  0 },
	/* files */
	{ "suid",
	  "files",
	  "suid_or_guid_set",
	  "",
	  FILES,
	  { "SUID or SGID found set on file /usr/bin/chage. Mode: 0o104755",
	    "SUID or SGID found set on file /var/mail. Mode: 0o42775" },
	  { "639f6f1177735759703e928c14714a59",
	    "da870e801836e419385f2f300713cf7f" },
	  0 },
	{ "name_match",
	  "files",
	  "name_match",
	  "regex=/etc/.*\\.pem",
	  FILES,
	  { "Application of regex matched file found in container: "
	    "file=/etc/ssl/a.pem regexp=/etc/.*\\.pem" },
	  { NULL },
	  0 },
	{ "attribute checksum",
	  "files",
	  "attribute_match",
	  "filename=/etc/passwd;checksum=abc;checksum_match=equals",
	  FILES,
	  { "filename=/etc/passwd and checksum=abc op=equals "
	    "specified_checksum=abc" },
	  { NULL },
	  0 },
	{ "attribute checksum not_equals miss",
	  "files",
	  "attribute_match",
	  "filename=/etc/passwd;checksum=abc;checksum_match=not_equals",
	  FILES,
	  { NULL },
	  { NULL },
	  0 },
	{ "attribute mode",
	  "files",
	  "attribute_match",
	  "filename=/etc/passwd;mode=00644;mode_op=equals",
	  FILES,
	  { "filename=/etc/passwd and mode=0o644 op=equals "
	    "specified_mode=0o644" },
	  { NULL },
	  0 },
	{ "attribute filename only",
	  "files",
	  "attribute_match",
	  "filename=/etc/passwd",
	  FILES,
	  { NULL },
	  { NULL },
	  0 },
	{ "attribute missing skip",
	  "files",
	  "attribute_match",
	  "filename=/nope;checksum=abc",
	  FILES,
	  { NULL },
	  { NULL },
	  0 },
	{ "attribute missing noskip",
	  "files",
	  "attribute_match",
	  "filename=/nope;skip_missing=false",
	  FILES,
	  { "filename=/nope and skip_missing=False" },
	  { NULL },
	  0 },
	{ "content regex all",
	  "files",
	  "content_regex_match",
	  "",
	  FILES,
	  { "File content analyzer found regexp match in container: "
	    "file=/etc/x regexp=PASS=pass.*" },
	  { NULL },
	  0 },
	{ "content regex by name",
	  "files",
	  "content_regex_match",
	  "regex_name=PASS",
	  FILES,
	  { "File content analyzer found regexp match in container: "
	    "file=/etc/x regexp=PASS=pass.*" },
	  { NULL },
	  0 },
	{ "content regex other name",
	  "files",
	  "content_regex_match",
	  "regex_name=OTHER",
	  FILES,
	  { NULL },
	  { NULL },
	  0 },
	/* licenses */
	{ "license exact",
	  "licenses",
	  "blacklist_exact_match",
	  "licenses=GPL-3+,MIT",
	  PKGS,
	  { "LICFULLMATCH Packages are installed that have blacklisted "
	    "licenses: bash(GPL-3+), lodash(MIT)" },
	  { NULL },
	  0 },
	{ "license exact miss",
	  "licenses",
	  "blacklist_exact_match",
	  "licenses=GPL",
	  PKGS,
	  { NULL },
	  { NULL },
	  0 },
	{ "license partial",
	  "licenses",
	  "blacklist_partial_match",
	  "licenses=GPL,SSL",
	  PKGS,
	  { "LICSUBMATCH Packages are installed that have blacklisted "
	    "licenses: bash(GPL-3+), openssl(OpenSSL)" },
	  { NULL },
	  0 },
	/* packages */
	{ "required absent",
	  "packages",
	  "required_package",
	  "name=curl",
	  PKGS,
	  { "Required input package (curl) is not present in container "
	    "image" },
	  { NULL },
	  0 },
	{ "required absent version",
	  "packages",
	  "required_package",
	  "name=curl;version=8",
	  PKGS,
	  { "Required input package (curl,8) is not present in container "
	    "image" },
	  { NULL },
	  0 },
	{ "required exact (quirk)",
	  "packages",
	  "required_package",
	  "name=bash;version=5.3",
	  PKGS,
	  { "Required input package (bash) is present (5.2.15-2+b2), but not "
	    "at the version specified in policy (bash)" },
	  { NULL },
	  0 },
	{ "required exact (fix)",
	  "packages",
	  "required_package",
	  "name=bash;version=5.3",
	  PKGS,
	  { "Required input package (bash) is present (5.2.15-2+b2), but not "
	    "at the version specified in policy (5.3)" },
	  { NULL },
	  CUSTOMS_POLICY_FIX_REQUIRED_PACKAGE_MSG },
	{ "required exact ok",
	  "packages",
	  "required_package",
	  "name=bash;version=5.2.15-2+b2",
	  PKGS,
	  { NULL },
	  { NULL },
	  0 },
	{ "required minimum lower",
	  "packages",
	  "required_package",
	  "name=bash;version=5.3;version_match_type=minimum",
	  PKGS,
	  { "Required min-version input package (bash) is present "
	    "(5.2.15-2+b2), but is lower version than what is specified in "
	    "policy (5.3)" },
	  { NULL },
	  0 },
	{ "required minimum higher",
	  "packages",
	  "required_package",
	  "name=bash;version=5.1;version_match_type=minimum",
	  PKGS,
	  { NULL },
	  { NULL },
	  0 },
	{ "pkg blacklist",
	  "packages",
	  "blacklist",
	  "name=bash",
	  PKGS,
	  { "Package is blacklisted: bash" },
	  { NULL },
	  0 },
	{ "pkg blacklist rpm version",
	  "packages",
	  "blacklist",
	  "name=openssl;version=3.0.7",
	  PKGS,
	  { "Package is blacklisted: openssl-3.0.7" },
	  { NULL },
	  0 },
	{ "pkg blacklist version miss",
	  "packages",
	  "blacklist",
	  "name=bash;version=1",
	  PKGS,
	  { NULL },
	  { NULL },
	  0 },
	{ "verify",
	  "packages",
	  "verify",
	  "",
	  PKGS,
	  { "VERIFY check against package db for package 'bash' failed on "
	    "entry '/bin/bash' with status: 'changed'",
	    "VERIFY check against package db for package 'bash' failed on "
	    "entry '/bin/gone' with status: 'missing'" },
	  { NULL },
	  0 },
	{ "verify missing only",
	  "packages",
	  "verify",
	  "check=missing",
	  PKGS,
	  { "VERIFY check against package db for package 'bash' failed on "
	    "entry '/bin/gone' with status: 'missing'" },
	  { NULL },
	  0 },
	{ "verify dirs",
	  "packages",
	  "verify",
	  "only_directories=/usr",
	  PKGS,
	  { NULL },
	  { NULL },
	  0 },
	{ "verify changed by md5",
	  "packages",
	  "verify",
	  "only_directories=/md5",
	  VERIFY,
	  { VMSG("/md5/ls", "changed") },
	  { NULL },
	  0 },
	{ "verify changed by sha256",
	  "packages",
	  "verify",
	  "only_directories=/sha",
	  VERIFY,
	  { VMSG("/sha/cat", "changed") },
	  { NULL },
	  0 },
	{ "verify missing md5 entry",
	  "packages",
	  "verify",
	  "only_directories=/gone,/md5;check=missing",
	  VERIFY,
	  { VMSG("/gone/x", "missing") },
	  { NULL },
	  0 },
	{ "verify unchanged md5 any case",
	  "packages",
	  "verify",
	  "only_directories=/same,/nomd5,/conf",
	  VERIFY,
	  { NULL },
	  { NULL },
	  0 },
	{ "verify changed by mode and size",
	  "packages",
	  "verify",
	  "only_directories=/mode,/size,/link;check=changed",
	  VERIFY,
	  { VMSG("/mode/x", "changed"), VMSG("/size/x", "changed"),
	    VMSG("/link/x", "changed") },
	  { NULL },
	  0 },
	{ "verify all statuses in order",
	  "packages",
	  "verify",
	  "",
	  VERIFY,
	  { VMSG("/md5/ls", "changed"), VMSG("/sha/cat", "changed"),
	    VMSG("/gone/x", "missing"), VMSG("/mode/x", "changed"),
	    VMSG("/size/x", "changed"), VMSG("/link/x", "changed") },
	  { NULL },
	  0 },
	/* npms, ruby_gems */
	{ "npm feed unavailable",
	  "npms",
	  "feed_data_unavailable",
	  "",
	  "{}",
	  { "NPM packages are present but the anchore npm feed is not "
	    "available - will be unable to perform checks that require feed "
	    "data" },
	  { NULL },
	  0 },
	{ "npm newer never",
	  "npms",
	  "newer_version_in_feed",
	  "",
	  PKGS,
	  { NULL },
	  { NULL },
	  0 },
	{ "npm blacklist version",
	  "npms",
	  "blacklisted_name_version",
	  "name=lodash;version=4.17.20",
	  PKGS,
	  { "NPM Package is blacklisted: lodash-4.17.20" },
	  { NULL },
	  0 },
	{ "npm blacklist other version",
	  "npms",
	  "blacklisted_name_version",
	  "name=lodash;version=1.0",
	  PKGS,
	  { NULL },
	  { NULL },
	  0 },
	{ "gem blacklist",
	  "ruby_gems",
	  "blacklist",
	  "name=rails",
	  PKGS,
	  { "Gem Package is blacklisted: rails" },
	  { NULL },
	  0 },
	{ "gem feed unavailable",
	  "ruby_gems",
	  "feed_data_unavailable",
	  "",
	  PKGS,
	  { "Gem packages are present but the anchore gem feed is not "
	    "available - will be unable to perform checks that require feed "
	    "data" },
	  { NULL },
	  0 },
	/* passwd_file */
	{ "passwd users",
	  "passwd_file",
	  "blacklist_usernames",
	  "user_names=ftp,nobody",
	  PASSWD,
	  { "Blacklisted user 'ftp' found in image's /etc/passwd: "
	    "pentry=" FTP },
	  { NULL },
	  0 },
	{ "passwd users alias",
	  "passwd_file",
	  "blacklist_usernames",
	  "usernameblacklist=root",
	  PASSWD,
	  { "Blacklisted user 'root' found in image's /etc/passwd: "
	    "pentry=" ROOT },
	  { NULL },
	  0 },
	{ "passwd uids",
	  "passwd_file",
	  "blacklist_userids",
	  "user_ids=0",
	  PASSWD,
	  { "Blacklisted uid '0' found in image's /etc/passwd: pentry=" ROOT },
	  { NULL },
	  0 },
	{ "passwd gids",
	  "passwd_file",
	  "blacklist_groupids",
	  "group_ids=50",
	  PASSWD,
	  { "Blacklisted gid '50' found in image's /etc/passwd: pentry=" FTP },
	  { NULL },
	  0 },
	{ "passwd shells",
	  "passwd_file",
	  "blacklist_shells",
	  "shells=/bin/bash",
	  PASSWD,
	  { "Blacklisted shell '/bin/bash' found in image's /etc/passwd: "
	    "pentry=" ROOT },
	  { NULL },
	  0 },
	{ "passwd full entry",
	  "passwd_file",
	  "blacklist_full_entry",
	  "entry=" FTP,
	  PASSWD,
	  { "Blacklisted pentry '" FTP "' found in image's /etc/passwd: "
	    "pentry=" FTP },
	  { NULL },
	  0 },
	{ "passwd not available",
	  "passwd_file",
	  "content_not_available",
	  "",
	  "{}",
	  { "Cannot locate /etc/passwd in image stored files archive: check "
	    "analyzer settings." },
	  { NULL },
	  0 },
	{ "passwd available",
	  "passwd_file",
	  "content_not_available",
	  "",
	  PASSWD,
	  { NULL },
	  { NULL },
	  0 },
	/* retrieved_files */
	{ "retrieved twice (quirk)",
	  "retrieved_files",
	  "content_not_available",
	  "path=/etc/x",
	  "{}",
	  { "Cannot locate file in the image analysis",
	    "Cannot locate file in the image analysis" },
	  { NULL },
	  0 },
	{ "retrieved once (fix)",
	  "retrieved_files",
	  "content_not_available",
	  "path=/etc/x",
	  "{}",
	  { "Cannot locate file in the image analysis" },
	  { NULL },
	  CUSTOMS_POLICY_FIX_RETRIEVED_TWICE },
	{ "retrieved other file",
	  "retrieved_files",
	  "content_not_available",
	  "path=/etc/x",
	  PASSWD,
	  { "Cannot locate file in the image analysis" },
	  { NULL },
	  0 },
	{ "retrieved present",
	  "retrieved_files",
	  "content_not_available",
	  "path=/etc/passwd",
	  PASSWD,
	  { NULL },
	  { NULL },
	  0 },
	{ "content_regex match",
	  "retrieved_files",
	  "content_regex",
	  "path=/etc/passwd;regex=root:.*;check=match",
	  PASSWD,
	  { "Content regex 'root:.*' check 'match' found in retrieved file "
	    "'/etc/passwd'" },
	  { "r1+file:///etc/passwd" },
	  0 },
	{ "content_regex spaces never match",
	  "retrieved_files",
	  "content_regex",
	  "path=/etc/passwd;regex=x:0:0:root;check=match",
	  PASSWD,
	  { NULL },
	  { NULL },
	  0 },
	{ "content_regex no_match",
	  "retrieved_files",
	  "content_regex",
	  "path=/etc/passwd;regex=daemon;check=no_match",
	  PASSWD,
	  { "Content regex 'daemon' check 'no_match' found in retrieved file "
	    "'/etc/passwd'" },
	  { "r1+file:///etc/passwd" },
	  0 },
	/* secret_scans */
	{ "secret found",
	  "secret_scans",
	  "content_regex_checks",
	  "",
	  SECRETS,
	  { "Secret content search analyzer found regexp match in container: "
	    "file=/app/.env regexp=AWS_ACCESS_KEY=AKIA[A-Z0-9]{16}" },
	  { NULL },
	  0 },
	{ "secret name substring",
	  "secret_scans",
	  "content_regex_checks",
	  "content_regex_name=AWS_ACCESS_KEY,AWS_SECRET_KEY",
	  SECRETS,
	  { "Secret content search analyzer found regexp match in container: "
	    "file=/app/.env regexp=AWS_ACCESS_KEY=AKIA[A-Z0-9]{16}" },
	  { NULL },
	  0 },
	{ "secret other name",
	  "secret_scans",
	  "content_regex_checks",
	  "content_regex_name=PRIV_KEY",
	  SECRETS,
	  { NULL },
	  { NULL },
	  0 },
	{ "secret filename filter",
	  "secret_scans",
	  "content_regex_checks",
	  "filename_regex=/etc/.*",
	  SECRETS,
	  { NULL },
	  { NULL },
	  0 },
	{ "secret notfound",
	  "secret_scans",
	  "content_regex_checks",
	  "content_regex_name=PRIV_KEY;match_type=notfound",
	  SECRETS,
	  { "Secret content search analyzer did not find regexp match in "
	    "container: filename_regex=* content_regex_name=PRIV_KEY" },
	  { NULL },
	  0 },
	/* malware */
	{ "malware not run",
	  "malware",
	  "scan_not_run",
	  "",
	  "{}",
	  { "No malware scans found for image" },
	  { NULL },
	  0 },
	{ "malware scans",
	  "malware",
	  "scans",
	  "",
	  "{'malware':{'scanner':'clamav','enabled':true,'findings':[{'path':"
	  "'/bin/evil','signature':'Eicar-Test-Signature'}]}}",
	  { "Malware scan finding: scanner=clamav file=/bin/evil "
	    "signature=Eicar-Test-Signature" },
	  { "clamav+Eicar-Test-Signature+df43f4d334b1aca77eaf3d73e3b4011d" },
	  0 },
	/* metadata */
	{ "meta size >",
	  "metadata",
	  "attribute",
	  "attribute=size;check=>;value=500",
	  META,
	  { "Attribute check for attribute: 'size' check: '>' check_value: "
	    "'500' matched image value: '1000'" },
	  { NULL },
	  0 },
	{ "meta size < 1kb",
	  "metadata",
	  "attribute",
	  "attribute=size;check=<;value=1kb",
	  META,
	  { "Attribute check for attribute: 'size' check: '<' check_value: "
	    "'1024' matched image value: '1000'" },
	  { NULL },
	  0 },
	{ "meta distro in",
	  "metadata",
	  "attribute",
	  "attribute=distro;check=in;value=alpine,debian",
	  META,
	  { "Attribute check for attribute: 'distro' check: 'in' "
	    "check_value: 'alpine,debian' matched image value: 'debian'" },
	  { NULL },
	  0 },
	{ "meta arch like",
	  "metadata",
	  "attribute",
	  "attribute=architecture;check=like;value=amd",
	  META,
	  { "Attribute check for attribute: 'architecture' check: 'like' "
	    "check_value: 'amd' matched image value: 'amd64'" },
	  { NULL },
	  0 },
	{ "meta like_distro not_exists",
	  "metadata",
	  "attribute",
	  "attribute=like_distro;check=not_exists",
	  META,
	  { "Attribute check for attribute: 'like_distro' check: "
	    "'not_exists' check_value: '' matched image value: 'None'" },
	  { NULL },
	  0 },
	{ "meta layer_count =",
	  "metadata",
	  "attribute",
	  "attribute=layer_count;check=!=;value=3",
	  META,
	  { NULL },
	  { NULL },
	  0 },
	/* vulnerabilities */
	{ "vuln > medium",
	  "vulnerabilities",
	  "package",
	  "package_type=all;severity_comparison=>;severity=medium",
	  VULNS,
	  { HIGH_MSG, CRIT_MSG },
	  { CVE1 "+libc6", "CVE-2021-36159+apk-tools" },
	  0 },
	{ "vuln default excludes unknown",
	  "vulnerabilities",
	  "package",
	  "package_type=os",
	  VULNS,
	  { HIGH_MSG, CRIT_MSG },
	  { CVE1 "+libc6", "CVE-2021-36159+apk-tools" },
	  0 },
	{ "vuln <= unknown",
	  "vulnerabilities",
	  "package",
	  "package_type=os;severity_comparison=<=;severity=unknown",
	  VULNS,
	  { "UNKNOWN Vulnerability found in os package type (dpkg) - zlib1g "
	    "(CVE-9 - L)" },
	  { "CVE-9+zlib1g" },
	  0 },
	{ "vuln non-os",
	  "vulnerabilities",
	  "package",
	  "package_type=non-os",
	  VULNS,
	  { NPM_MSG },
	  { "GHSA-1+lodash" },
	  0 },
	{ "vuln path exclude",
	  "vulnerabilities",
	  "package",
	  "package_type=non-os;package_path_exclude=/app/.*",
	  VULNS,
	  { NULL },
	  { NULL },
	  0 },
	{ "vuln fix available",
	  "vulnerabilities",
	  "package",
	  "package_type=os;fix_available=true",
	  VULNS,
	  { CRIT_MSG },
	  { "CVE-2021-36159+apk-tools" },
	  0 },
	{ "vuln no fix",
	  "vulnerabilities",
	  "package",
	  "package_type=os;fix_available=false",
	  VULNS,
	  { HIGH_MSG },
	  { CVE1 "+libc6" },
	  0 },
	{ "vuln cvss",
	  "vulnerabilities",
	  "package",
	  "package_type=all;cvss_v3_base_score_comparison=>=;cvss_v3_base_"
	  "score=7.0",
	  VULNS,
	  { "HIGH Vulnerability found in os package type (dpkg) - libc6 "
	    "(cvss_v3_base_score=7.5)(" CVE1 " - " LINK1 ")" },
	  { CVE1 "+libc6" },
	  0 },
	{ "vuln cvss miss",
	  "vulnerabilities",
	  "package",
	  "package_type=all;cvss_v3_impact_score=5",
	  VULNS,
	  { NULL },
	  { NULL },
	  0 },
	{ "vuln vendor cvss",
	  "vulnerabilities",
	  "package",
	  "package_type=all;vendor_cvss_v3_base_score=0",
	  VULNS,
	  { NULL },
	  { NULL },
	  0 },
	{ "vuln fix days",
	  "vulnerabilities",
	  "package",
	  "package_type=os;fix_available=true;max_days_since_fix=30",
	  VULNS,
	  { "CRITICAL Vulnerability found in os package type (APKG) - "
	    "apk-tools (fixed in: 2.12.6-r0)(max_days_since_fix=2021-08-01)("
	    "CVE-2021-36159 - https://x/36159)" },
	  { "CVE-2021-36159+apk-tools" },
	  0 },
	{ "vuln wont-fix dropped (quirk)",
	  "vulnerabilities",
	  "package",
	  "package_type=os;severity=high;vendor_only=false",
	  VULNS,
	  { CRIT_MSG },
	  { "CVE-2021-36159+apk-tools" },
	  0 },
	{ "vuln wont-fix kept (fix)",
	  "vulnerabilities",
	  "package",
	  "package_type=os;severity=high;vendor_only=false",
	  VULNS,
	  { CRIT_MSG, "CRITICAL Vulnerability found in os package type "
		      "(dpkg) - perl (CVE-8 - L)" },
	  { "CVE-2021-36159+apk-tools", "CVE-8+perl" },
	  CUSTOMS_POLICY_FIX_VENDOR_ONLY },
	{ "vuln blacklist",
	  "vulnerabilities",
	  "blacklist",
	  "vulnerability_ids=CVE-0,GHSA-1, " CVE1 ",CVE-8",
	  VULNS,
	  { "Blacklisted vulnerabilities detected: ['GHSA-1', '" CVE1 "']" },
	  { NULL },
	  0 },
	{ "stale feed ok",
	  "vulnerabilities",
	  "stale_feed_data",
	  "max_days_since_sync=2",
	  VULNS,
	  { NULL },
	  { NULL },
	  0 },
	{ "stale feed none",
	  "vulnerabilities",
	  "stale_feed_data",
	  "max_days_since_sync=2",
	  "{}",
	  { "The vulnerability feed for this image distro is older than "
	    "MAXAGE (2) days" },
	  { "deb3f1afb4ea0ddf587e6c62c341c6fa" },
	  0 },
	{ "data available",
	  "vulnerabilities",
	  "vulnerability_data_unavailable",
	  "",
	  VULNS,
	  { NULL },
	  { NULL },
	  0 },
	{ "data unavailable",
	  "vulnerabilities",
	  "vulnerability_data_unavailable",
	  "",
	  META,
	  { "Distro-specific feed data not found for distro namespace: "
	    "debian:12. Cannot perform CVE scan OS/distro packages" },
	  { NULL },
	  0 },
	/* no os-release, but `check --distro debian:12` matched there */
	{ "data available through --distro",
	  "vulnerabilities",
	  "vulnerability_data_unavailable",
	  "",
	  "{'vulnerability_db':{'built':'2025-12-31T12:00:00Z','namespaces':"
	  "['debian:12'],'distro_namespace':'debian:12'}}",
	  { NULL },
	  { NULL },
	  0 },
	{ "--distro namespace the database lacks",
	  "vulnerabilities",
	  "vulnerability_data_unavailable",
	  "",
	  "{'vulnerability_db':{'built':'2025-12-31T12:00:00Z','namespaces':"
	  "['debian:12'],'distro_namespace':'debian:11'}}",
	  { "Distro-specific feed data not found for distro namespace: "
	    "None:None. Cannot perform CVE scan OS/distro packages" },
	  { NULL },
	  0 },
	/* customs gates */
	{ "source denied",
	  "image_source",
	  "denied",
	  "sources=docker.io/*",
	  "{}",
	  { "Image source docker.io/x matches a denied pattern" },
	  { NULL },
	  0 },
	{ "source allowed",
	  "image_source",
	  "not_allowed",
	  "sources=docker.io/*",
	  "{}",
	  { NULL },
	  { NULL },
	  0 },
	{ "base not trusted",
	  "base_image",
	  "not_trusted",
	  "trusted=docker.io/library/*",
	  DF_ACTUAL,
	  { "Base image debian:12 is not in the trusted list" },
	  { NULL },
	  0 },
	{ "base unknown",
	  "base_image",
	  "unknown",
	  "",
	  DF_GUESSED,
	  { "Base image of this image is not known" },
	  { NULL },
	  0 },
	{ "kev",
	  "vulnerability_extras",
	  "kev",
	  "",
	  "{'vulnerabilities':[{'vulnerability':{'id':'CVE-1','kev':{}},"
	  "'package':{'name':'p'}}]}",
	  { "CVE-1 in package p is in the CISA Known Exploited "
	    "Vulnerabilities catalog" },
	  { "CVE-1+p" },
	  0 },
	{ "epss",
	  "vulnerability_extras",
	  "epss",
	  "threshold=0.5",
	  "{'vulnerabilities':[{'vulnerability':{'id':'CVE-1','epss':{"
	  "'score':0.75}},'package':{'name':'p'}},{'vulnerability':{'id':"
	  "'CVE-2','epss':{'score':0.25}},'package':{'name':'p'}}]}",
	  { "CVE-1 in package p has an EPSS score of 0.75 (threshold 0.5)" },
	  { "CVE-1+p" },
	  0 },
	{ "fix age",
	  "vulnerability_extras",
	  "fix_age",
	  "max_days=30",
	  VULNS,
	  { "CVE-2021-36159 in package apk-tools has had a fix available for "
	    "more than 30 days" },
	  { "CVE-2021-36159+apk-tools" },
	  0 },
	{ "distro eol",
	  "distro",
	  "end_of_life",
	  "",
	  "{'distro':{'id':'debian','version_id':'10'}}",
	  { "Distro debian 10 reaches end of life on 2024-06-30" },
	  { NULL },
	  0 },
	{ "distro supported",
	  "distro",
	  "end_of_life",
	  "",
	  META,
	  { NULL },
	  { NULL },
	  0 },
};

static void test_policy_triggers(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
}

/* Every active trigger of Anchore's 13 gates has a case above. */
static void test_policy_triggers_covered(void **state)
{
	static const char *const all[] = {
		"always/always",
		"dockerfile/instruction",
		"dockerfile/effective_user",
		"dockerfile/exposed_ports",
		"dockerfile/no_dockerfile_provided",
		"files/content_regex_match",
		"files/name_match",
		"files/attribute_match",
		"files/suid_or_guid_set",
		"licenses/blacklist_exact_match",
		"licenses/blacklist_partial_match",
		"malware/scans",
		"malware/scan_not_run",
		"metadata/attribute",
		"npms/newer_version_in_feed",
		"npms/blacklisted_name_version",
		"npms/feed_data_unavailable",
		"ruby_gems/blacklist",
		"ruby_gems/feed_data_unavailable",
		"packages/required_package",
		"packages/verify",
		"packages/blacklist",
		"passwd_file/content_not_available",
		"passwd_file/blacklist_usernames",
		"passwd_file/blacklist_userids",
		"passwd_file/blacklist_groupids",
		"passwd_file/blacklist_shells",
		"passwd_file/blacklist_full_entry",
		"retrieved_files/content_not_available",
		"retrieved_files/content_regex",
		"secret_scans/content_regex_checks",
		"vulnerabilities/package",
		"vulnerabilities/stale_feed_data",
		"vulnerabilities/vulnerability_data_unavailable",
		"vulnerabilities/blacklist",
		NULL,
	};
	char gt[128];
	size_t i, k;

	(void)state;
	for (k = 0; all[k]; k++) {
		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			snprintf(gt, sizeof(gt), "%s/%s", cases[i].gate,
				 cases[i].trigger);
			if (!strcmp(gt, all[k]))
				break;
		}
		if (i == sizeof(cases) / sizeof(cases[0]))
			fail_msg("no case for %s", all[k]);
	}
}

/* A bundle from single-quoted JSON. */
static struct customs_policy_bundle *bundle(const char *sq)
{
	struct customs_policy_bundle *b = NULL;
	char *doc = dq(sq);

	assert_int_equal(
		customs_policy_bundle_parse(&b, doc, strlen(doc), NULL, NULL),
		0);
	free(doc);
	return b;
}

#define IMG_ID \
	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define DIGEST    \
	"sha256:" \
	"feedfacefeedfacefeedfacefeedfacefeedfacefeedfacefeedfacefeedface"
#define IMG_DOC                                                              \
	"{'image':{'id':'sha256:" IMG_ID "','manifest_digest':'" DIGEST "'," \
	"'repo_tags':['docker.io/library/nginx:1.25']}," DF_GUESSED_BODY "}"
#define DF_GUESSED_BODY \
	"'dockerfile':{'mode':'Guessed','text':'FROM scratch\\nEXPOSE 22\\n'}"

#define POL(id, gate, trig, act)                                   \
	"{'id':'" id "','version':'1_0','rules':[{'id':'" id       \
	"r','gate':'" gate "','trigger':'" trig "','action':'" act \
	"','params':[]}]}"
#define MAP(reg, repo, type, val, pol)                                       \
	"{'name':'m','registry':'" reg "','repository':'" repo "','image':{" \
	"'type':'" type "','value':'" val "'},'policy_id':'" pol "',"        \
	"'whitelist_ids':[]}"

/* The policy of the first matching mapping ("" = none matched). */
static const char *mapped(const char *maps, const char *tag)
{
	static char out[64];
	char doc[4096];
	struct customs_policy_bundle *b;
	struct customs_policy_analysis *an = analysis(IMG_DOC);
	struct customs_policy_result *r = NULL;
	const struct customs_policy_row *rows;
	size_t n;

	snprintf(doc, sizeof(doc),
		 "{'id':'b','version':'1_0','policies':[" POL(
			 "A", "always", "always",
			 "STOP") "," POL("B", "always", "always",
					 "WARN") "],'mappings':[%s]}",
		 maps);
	b = bundle(doc);
	assert_int_equal(evaluate(&r, b, an, tag, 0, NULL), 0);
	rows = customs_policy_result_rows(r, &n);
	snprintf(out, sizeof(out), "%s", n ? rows[0].policy_id : "");
	if (!n) {
		assert_int_equal(customs_policy_result_final(r),
				 CUSTOMS_POLICY_GO);
		assert_string_equal(customs_policy_result_reason(r),
				    "policy_evaluation");
	}
	customs_policy_result_free(r);
	customs_policy_analysis_free(an);
	customs_policy_bundle_free(b);
	return out;
}

static void test_policy_mapping(void **state)
{
	(void)state;
	/* first match wins */
	assert_string_equal(mapped(MAP("docker.io", "library/*", "tag", "*",
				       "A") "," MAP("*", "*", "tag", "*", "B"),
				   "docker.io/library/nginx:1.25"),
			    "A");
	assert_string_equal(mapped(MAP("docker.io", "library/*", "tag", "*",
				       "A") "," MAP("*", "*", "tag", "*", "B"),
				   "quay.io/library/nginx:1.25"),
			    "B");
	/* no library/ insertion; default tag latest */
	assert_string_equal(
		mapped(MAP("docker.io", "nginx", "tag", "latest", "A"),
		       "nginx"),
		"A");
	assert_string_equal(
		mapped(MAP("docker.io", "library/nginx", "tag", "*", "A"),
		       "nginx"),
		"");
	/* dockerhub/ rewrite */
	assert_string_equal(mapped(MAP("docker.io", "app", "tag", "1", "A"),
				   "dockerhub/app:1"),
			    "A");
	/* registry with a port; tag wildcards */
	assert_string_equal(
		mapped(MAP("localhost:5000", "team/*", "tag", "*-dev", "A"),
		       "localhost:5000/team/app:1.2-dev"),
		"A");
	assert_string_equal(
		mapped(MAP("localhost:5000", "team/*", "tag", "*-dev", "A"),
		       "localhost:5000/team/app:1.2"),
		"");
	/* regexp: patterns match at the start */
	assert_string_equal(mapped(MAP("*", "regexp:te+am/.*", "tag", "*", "A"),
				   "quay.io/teeam/x:1"),
			    "A");
	assert_string_equal(mapped(MAP("*", "regexp:am/.*", "tag", "*", "A"),
				   "quay.io/team/x:1"),
			    "");
	/* digest and id mappings compare exactly */
	assert_string_equal(
		mapped(MAP("*", "*", "digest", DIGEST, "A"), "quay.io/a:b"),
		"A");
	assert_string_equal(mapped(MAP("*", "*", "digest", "sha256:00", "A"),
				   "quay.io/a:b"),
			    "");
	assert_string_equal(
		mapped(MAP("*", "*", "id", IMG_ID, "A"), "quay.io/a:b"), "A");
	/* case-sensitive */
	assert_string_equal(
		mapped(MAP("*", "Team", "tag", "*", "A"), "quay.io/team:1"),
		"");
	/* no tag: only wildcard rules */
	assert_string_equal(mapped(MAP("docker.io", "*", "tag", "*",
				       "A") "," MAP("*", "*", "tag", "*", "B"),
				   NULL),
			    "B");
	/* no match: GO, zero rows */
	assert_string_equal(
		mapped(MAP("gcr.io", "*", "tag", "*", "A"), "quay.io/a:b"), "");
}

static const char wl_bundle[] =
	"{'id':'b','version':'1_0','policies':[{'id':'P','version':'1_0',"
	"'rules':[{'gate':'vulnerabilities','trigger':'package','action':"
	"'STOP','params':[{'name':'package_type','value':'all'}]}]}],"
	"'whitelists':[{'id':'W1','name':'first','version':'1_0','items':["
	"%s]},{'id':'W2','name':'second','version':'1_0','items':[{'id':"
	"'late','gate':'vulnerabilities','trigger_id':'*'}]}],'mappings':[{"
	"'name':'m','registry':'*','repository':'*','image':{'type':'tag',"
	"'value':'*'},'policy_ids':['P'],'whitelist_ids':[%s]}]}";

/* Which item whitelists each row: "id,id,..." ("-" = none). */
static const char *whitelisted(const char *items, const char *ids)
{
	static char out[256];
	char doc[8192];
	struct customs_policy_bundle *b;
	struct customs_policy_analysis *an = analysis(VULNS);
	struct customs_policy_result *r = NULL;
	const struct customs_policy_row *rows;
	size_t n, i, o = 0;

	snprintf(doc, sizeof(doc), wl_bundle, items, ids);
	b = bundle(doc);
	assert_int_equal(evaluate(&r, b, an, "a/b:c", 0, NULL), 0);
	rows = customs_policy_result_rows(r, &n);
	assert_int_equal(n, 3);
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		const char *m =
			rows[i].whitelisted ? rows[i].matched_rule_id : "-";

		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s",
				      i ? "," : "", m ? m : "None");
		assert_int_equal(rows[i].action, rows[i].whitelisted
							 ? CUSTOMS_POLICY_GO
							 : CUSTOMS_POLICY_STOP);
	}
	customs_policy_result_free(r);
	customs_policy_analysis_free(an);
	customs_policy_bundle_free(b);
	return out;
}

#define ITEM(id, gate, tid) \
	"{'id':'" id "','gate':'" gate "','trigger_id':'" tid "'}"
#define ITEM_EXP(id, tid, when)                                      \
	"{'id':'" id "','gate':'vulnerabilities','trigger_id':'" tid \
	"','expires_on':'" when "'}"

static void test_policy_whitelist(void **state)
{
	(void)state;
	/* rows: CVE-2021-3326+libc6, CVE-2021-36159+apk-tools, GHSA-1+lodash */
	assert_string_equal(whitelisted("", "'W1'"), "-,-,-");
	assert_string_equal(
		whitelisted(ITEM("x", "vulnerabilities", CVE1 "+libc6"),
			    "'W1'"),
		"x,-,-");
	assert_string_equal(
		whitelisted(ITEM("x", "VULNERABILITIES", CVE1 "+*"), "'W1'"),
		"x,-,-");
	assert_string_equal(
		whitelisted(ITEM("x", "vulnerabilities", "*+apk-*"), "'W1'"),
		"-,x,-");
	assert_string_equal(whitelisted(ITEM("x", "files", "*"), "'W1'"),
			    "-,-,-");
	assert_string_equal(
		whitelisted(ITEM("x", "vulnerabilities", "regexp:GHSA"),
			    "'W1'"),
		"-,-,x");
	assert_string_equal(
		whitelisted(ITEM("x", "vulnerabilities", "regexp:lodash"),
			    "'W1'"),
		"-,-,-");
	/* first item wins, in item order, exact or pattern */
	assert_string_equal(
		whitelisted(ITEM("a", "vulnerabilities", "CVE-*") "," ITEM(
				    "b", "vulnerabilities", CVE1 "+libc6"),
			    "'W1'"),
		"a,a,-");
	assert_string_equal(
		whitelisted(ITEM("b", "vulnerabilities",
				 CVE1 "+libc6") "," ITEM("a", "vulnerabilities",
							 "CVE-*"),
			    "'W1'"),
		"b,a,-");
	/* expiry: past items are ignored, future ones apply */
	assert_string_equal(
		whitelisted(ITEM_EXP("e", "*", "2025-12-31T23:59:59Z"), "'W1'"),
		"-,-,-");
	assert_string_equal(
		whitelisted(ITEM_EXP("e", "*", "2026-01-01T00:00:01Z"), "'W1'"),
		"e,e,e");
	/* an expired first item of a key falls through to the next one */
	assert_string_equal(
		whitelisted(
			ITEM_EXP("old", CVE1 "+libc6", "2025-01-01") "," ITEM(
				"new", "vulnerabilities", CVE1 "+libc6"),
			"'W1'"),
		"new,-,-");
	/* whitelists in mapping order; the second catches the rest */
	assert_string_equal(
		whitelisted(ITEM("x", "vulnerabilities", "GHSA-1+lodash"),
			    "'W1','W2'"),
		"late,late,x");
	assert_string_equal(
		whitelisted(ITEM("x", "vulnerabilities", "GHSA-1+lodash"),
			    "'W2','W1'"),
		"late,late,late");
	/* an item without id */
	assert_string_equal(whitelisted("{'gate':'vulnerabilities',"
					"'trigger_id':'GHSA-1+lodash'}",
					"'W1'"),
			    "-,-,None");
}

/* Problem types of validating a bundle, joined by ",". */
/* One bundle, evaluated at two times: expiry is decided per evaluation
 * even though the whitelist index is built once and cached. */
/* The index's buckets: prefixes and suffixes of several lengths, items
 * in two kinds of bucket, gates that differ only in case or not at all,
 * and first-item-wins across bucket kinds. */
static void test_policy_whitelist_index(void **state)
{
	(void)state;
	/* rows: CVE-2021-3326+libc6, CVE-2021-36159+apk-tools, GHSA-1+lodash */
	assert_string_equal(
		whitelisted(ITEM("s", "Vulnerabilities",
				 "*36159+apk-tools") "," ITEM("p",
							      "vulnerabilities",
							      "CVE-2021-3*"),
			    "'W1'"),
		"p,s,-");
	assert_string_equal(
		whitelisted(ITEM("m", "vulnerabilities", "CVE*libc6") "," ITEM(
				    "n", "vulnerabilities", "CVE-*+lib*"),
			    "'W1'"),
		"m,-,-");
	assert_string_equal(
		whitelisted(ITEM("f", "files", "GHSA-1+lodash") "," ITEM(
				    "g", "files",
				    "*+lodash") "," ITEM("h", "vulnerabilities",
							 "*dash"),
			    "'W1'"),
		"-,-,h");
	assert_string_equal(
		whitelisted(ITEM("a", "vulnerabilities", "*") "," ITEM(
				    "b", "vulnerabilities", "GHSA-1+lodash"),
			    "'W1'"),
		"a,a,a");
	assert_string_equal(
		whitelisted(
			ITEM("x", "vulnerabilities", "CVE-2021-3326+libc") "," ITEM(
				"y", "vulnerabilities",
				"VE-2021-3326+libc6") "," ITEM("z",
							       "vulnerabilitie"
							       "s",
							       "*-tools*"),
			"'W1'"),
		"-,z,-");
	assert_string_equal(whitelisted(ITEM("w", "vulnerabilities",
					     "CVE-2021-3326+libc6*"),
					"'W1'"),
			    "w,-,-");
}

static void test_policy_whitelist_cached(void **state)
{
	char doc[4096];
	struct customs_policy_bundle *b;
	struct customs_policy_analysis *an = analysis(VULNS);
	struct customs_policy_eval_opts o = CUSTOMS_POLICY_EVAL_OPTS_INIT;
	struct customs_policy_result *r = NULL;
	const struct customs_policy_row *rows;
	size_t n;

	(void)state;
	snprintf(doc, sizeof(doc), wl_bundle,
		 ITEM_EXP("e", "*", "2026-06-01T00:00:00Z"), "'W1'");
	b = bundle(doc);
	o.tag = "a/b:c";
	o.now = NOW;
	assert_int_equal(customs_policy_evaluate(&r, b, an, &o, NULL), 0);
	rows = customs_policy_result_rows(r, &n);
	assert_true(rows[0].whitelisted);
	assert_int_equal(customs_policy_result_final(r), CUSTOMS_POLICY_GO);
	customs_policy_result_free(r);
	o.now = NOW + 200 * 86400;
	assert_int_equal(customs_policy_evaluate(&r, b, an, &o, NULL), 0);
	rows = customs_policy_result_rows(r, &n);
	assert_false(rows[0].whitelisted);
	assert_int_equal(customs_policy_result_final(r), CUSTOMS_POLICY_STOP);
	customs_policy_result_free(r);
	customs_policy_analysis_free(an);
	customs_policy_bundle_free(b);
}

static const char *problems(const char *sq)
{
	static char out[1024];
	struct customs_policy_bundle *b = bundle(sq);
	struct customs_policy_problems ps = { NULL, 0 };
	size_t i, o = 0;

	assert_int_equal(customs_policy_validate(&ps, b, NULL), 0);
	out[0] = '\0';
	for (i = 0; i < ps.n; i++) {
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s",
				      i ? "," : "", ps.v[i].problem_type);
		assert_string_equal(ps.v[i].severity, "error");
	}
	customs_policy_problems_release(&ps);
	customs_policy_bundle_free(b);
	return out;
}

#define VB(pols, maps, wls)                                                  \
	"{'id':'b','version':'1_0','policies':[" pols "],'whitelists':[" wls \
	"],'mappings':[" maps "]}"
#define M1 MAP("*", "*", "tag", "*", "P")
#define RULE(gate, trig, act, params)                       \
	"{'id':'P','version':'1_0','rules':[{'gate':'" gate \
	"','trigger':'" trig "','action':'" act "','params':[" params "]}]}"
#define PV(n, v) "{'name':'" n "','value':'" v "'}"

static void test_policy_validation(void **state)
{
	(void)state;
	assert_string_equal(
		problems(VB(POL("P", "always", "always", "go"), M1, "")), "");
	assert_string_equal(problems("{'id':'b','version':'2_0','policies':[],"
				     "'mappings':[]}"),
			    "UnsupportedVersionError");
	assert_string_equal(
		problems(VB(RULE("nogate", "x", "STOP", ""), M1, "")),
		"GateNotFoundError");
	assert_string_equal(
		problems(VB(RULE("files", "nope", "STOP", ""), M1, "")),
		"TriggerNotFoundError");
	assert_string_equal(
		problems(VB(RULE("files", "name_match", "STOP",
				 PV("regex", "x") "," PV("bogus", "1")),
			    M1, "")),
		"InvalidParameterError");
	assert_string_equal(
		problems(VB(RULE("files", "name_match", "STOP", ""), M1, "")),
		"ParameterValueInvalidError");
	/* enums are case-sensitive; names and gates are not */
	assert_string_equal(
		problems(VB(RULE("Dockerfile", "INSTRUCTION", "stop",
				 PV("INSTRUCTION", "healthcheck") "," PV(
					 "check", "not_exists")),
			    M1, "")),
		"ParameterValueInvalidError");
	assert_string_equal(
		problems(VB(RULE("vulnerabilities", "stale_feed_data", "STOP",
				 "{'name':'max_days_since_sync','value':2}"),
			    M1, "")),
		"ParameterValueInvalidError");
	assert_string_equal(
		problems(VB(RULE("metadata", "attribute", "STOP",
				 PV("attribute", "size") "," PV(
					 "check", ">") "," PV("value", "10GB")),
			    M1, "")),
		"ParameterValueInvalidError");
	assert_string_equal(
		problems(VB(RULE("metadata", "attribute", "STOP",
				 PV("attribute", "size") "," PV(
					 "check", ">") "," PV("value", "10gb")),
			    M1, "")),
		"");
	assert_string_equal(
		problems(VB(RULE("always", "always", "maybe", ""), M1, "")),
		"ValidationError");
	assert_string_equal(
		problems(VB(RULE("dockerfilecheck", "sudo", "STOP", ""), M1,
			    "")),
		"EndOfLifedError");
	assert_string_equal(problems(VB(POL("P", "always", "always", "go"),
					MAP("*", "*", "tag", "*", "Q"), "")),
			    "ReferencedObjectNotFoundError");
	assert_string_equal(
		problems(VB(POL("P", "always", "always",
				"go") "," POL("P", "always", "always", "go"),
			    M1, "")),
		"DuplicateIdentifierFoundError");
	assert_string_equal(
		problems(VB(POL("P", "always", "always", "go"),
			    "{'name':'m','registry':'*','repository':'*',"
			    "'image':{'type':'tag','value':'*'},'policy_id':"
			    "'P','policy_ids':['P'],'whitelist_ids':[]}",
			    "")),
		"ValidationError");
	/* unreferenced broken policies pass (quirk); all problems at once */
	assert_string_equal(
		problems(VB(POL("P", "always", "always",
				"go") "," POL("Z", "nogate", "x", "bad"),
			    M1, "")),
		"");
	assert_string_equal(
		problems(VB(RULE("nogate", "x", "STOP",
				 "") "," POL("W", "always", "always", "go"),
			    M1 "," MAP("*", "*", "tag", "*", "Q"), "")),
		"GateNotFoundError,ReferencedObjectNotFoundError");
}

static void test_policy_eval_semantics(void **state)
{
	struct customs_policy_bundle *b;
	struct customs_policy_analysis *an = analysis(IMG_DOC);
	struct customs_policy_result *r = NULL;
	const struct customs_policy_row *rows;
	struct customs_ctx *ctx = NULL;
	size_t n;

	(void)state;
	assert_int_equal(customs_ctx_new(&ctx), 0);
	/* rows grouped by gate in first-appearance order */
	b = bundle(
		"{'id':'b','version':'1_0','policies':[{'id':'P',"
		"'version':'1_0','rules':[{'gate':'always','trigger':"
		"'always','action':'warn','params':[]},{'gate':'dockerfile',"
		"'trigger':'no_dockerfile_provided','action':'GO','params':"
		"[]},{'gate':'always','trigger':'always','action':'go',"
		"'params':[]}]}],'mappings':[" M1 "],"
		"'blacklisted_images':[],'whitelisted_images':[{'registry':"
		"'*','repository':'*','image':{'type':'tag','value':'*'}}]}");
	assert_int_equal(evaluate(&r, b, an, "x", 0, ctx), 0);
	rows = customs_policy_result_rows(r, &n);
	assert_int_equal(n, 3);
	assert_string_equal(rows[0].gate, "always");
	assert_int_equal(rows[0].action, CUSTOMS_POLICY_WARN);
	assert_string_equal(rows[1].gate, "always");
	assert_int_equal(rows[1].action, CUSTOMS_POLICY_GO);
	assert_string_equal(rows[2].gate, "dockerfile");
	assert_int_equal(customs_policy_result_final(r), CUSTOMS_POLICY_GO);
	assert_string_equal(customs_policy_result_reason(r), "whitelisted");
	assert_string_equal(customs_policy_result_tag(r), "docker.io/x:latest");
	customs_policy_result_free(r);
	customs_policy_bundle_free(b);
	/* blacklist beats whitelist; rows still reported */
	b = bundle("{'id':'b','version':'1_0','policies':[" POL(
		"P", "always", "always",
		"GO") "],'mappings':[" M1 "],"
		      "'whitelisted_images':[{'registry':'*',"
		      "'repository':'*','image':{'type':'tag',"
		      "'value':'*'}}],'blacklisted_images':[{"
		      "'registry':'*','repository':'*','image':{"
		      "'type':'id','value':'" IMG_ID "'}}]}");
	assert_int_equal(evaluate(&r, b, an, "x", 0, ctx), 0);
	rows = customs_policy_result_rows(r, &n);
	assert_int_equal(n, 1);
	assert_int_equal(customs_policy_result_final(r), CUSTOMS_POLICY_STOP);
	assert_string_equal(customs_policy_result_reason(r), "blacklisted");
	customs_policy_result_free(r);
	customs_policy_bundle_free(b);
	/* a broken mapped policy: STOP, no rows, problems */
	b = bundle(VB(RULE("nogate", "x", "STOP", ""), M1, ""));
	assert_int_equal(evaluate(&r, b, an, "x", 0, ctx), 0);
	rows = customs_policy_result_rows(r, &n);
	assert_int_equal(n, 0);
	assert_int_equal(customs_policy_result_final(r), CUSTOMS_POLICY_STOP);
	assert_int_equal(customs_policy_result_problems(r)->n, 1);
	customs_policy_result_free(r);
	customs_policy_bundle_free(b);
	/* EOL rules: skipped with a warning problem */
	b = bundle("{'id':'b','version':'1_0','policies':[{'id':'P',"
		   "'version':'1_0','rules':[{'gate':'ANCHORESEC','trigger':"
		   "'vulnhigh','action':'STOP','params':[]},{'gate':'always',"
		   "'trigger':'always','action':'WARN','params':[]}]}],"
		   "'mappings':[" M1 "]}");
	assert_int_equal(evaluate(&r, b, an, "x", 0, ctx), 0);
	rows = customs_policy_result_rows(r, &n);
	assert_int_equal(n, 1);
	assert_int_equal(customs_policy_result_final(r), CUSTOMS_POLICY_WARN);
	assert_string_equal(
		customs_policy_result_problems(r)->v[0].problem_type,
		"EndOfLifedError");
	customs_policy_result_free(r);
	customs_policy_bundle_free(b);
	/* a bad regex fails the whole evaluation */
	b = one_rule("files", "name_match", "regex=*\\.pem");
	assert_int_equal(evaluate(&r, b, an, "x", 0, ctx), CUSTOMS_EFORMAT);
	assert_null(r);
	assert_non_null(strstr(customs_ctx_errmsg(ctx), "name_match"));
	customs_policy_bundle_free(b);
	customs_policy_analysis_free(an);
	customs_ctx_free(ctx);
}

static void test_policy_default_bundle(void **state)
{
	struct customs_policy_bundle *b = NULL;
	struct customs_policy_analysis *an = analysis(IMG_DOC);
	struct customs_policy_result *r = NULL;
	struct customs_policy_problems ps = { NULL, 0 };
	const struct customs_policy_row *rows;
	char *doc = NULL;
	size_t n;

	(void)state;
	assert_int_equal(customs_policy_bundle_default(&b, NULL), 0);
	assert_int_equal(customs_policy_validate(&ps, b, NULL), 0);
	assert_int_equal(ps.n, 0);
	assert_int_equal(
		evaluate(&r, b, an, "docker.io/library/nginx:1.25", 0, NULL),
		0);
	rows = customs_policy_result_rows(r, &n);
	assert_int_equal(n, 4);
	assert_string_equal(rows[0].trigger_id,
			    "cc05c35507995b4a657b63f9b0baa281");
	assert_int_equal(rows[0].action, CUSTOMS_POLICY_STOP);
	assert_string_equal(rows[1].trigger_id,
			    "41cb7cdf04850e33a11f80c42bf660b3");
	assert_string_equal(rows[2].trigger, "stale_feed_data");
	assert_string_equal(rows[3].trigger, "vulnerability_data_unavailable");
	assert_string_equal(rows[3].message,
			    "Distro-specific feed data not found for distro "
			    "namespace: None:None. Cannot perform CVE scan "
			    "OS/distro packages");
	assert_int_equal(customs_policy_result_final(r), CUSTOMS_POLICY_STOP);
	assert_string_equal(customs_policy_result_bundle_id(r),
			    "2c53a13c-1765-11e8-82ef-23527761d060");
	assert_int_equal(customs_policy_result_json(&doc, r, false), 0);
	assert_non_null(strstr(doc, "\"final_action\":\"stop\""));
	assert_non_null(strstr(doc, "\"status\":\"fail\""));
	assert_non_null(strstr(doc, "\"header\":[\"Image_Id\",\"Repo_Tag\","
				    "\"Trigger_Id\",\"Gate\",\"Trigger\","
				    "\"Check_Output\",\"Gate_Action\","
				    "\"Whitelisted\",\"Policy_Id\"]"));
	assert_non_null(strstr(doc, "\"" IMG_ID "\":{\"result\":{"));
	assert_non_null(
		strstr(doc, "\"matched_whitelisted_images_rule\":false"));
	assert_non_null(strstr(doc, "\"image_digest\":\"" DIGEST "\""));
	assert_non_null(strstr(doc, "\"created_at\":1767225600"));
	free(doc);
	customs_policy_result_free(r);
	customs_policy_analysis_free(an);
	customs_policy_bundle_free(b);
}

static void test_policy_describe(void **state)
{
	char *doc = NULL;

	(void)state;
	assert_int_equal(customs_policy_describe_json(&doc, false), 0);
	assert_non_null(strstr(doc, "{\"name\":\"always\",\"description\":"));
	assert_non_null(strstr(doc, "\"name\":\"anchoresec\""));
	assert_true(strstr(doc, "\"name\":\"vulnerabilities\"") <
		    strstr(doc, "\"name\":\"anchoresec\""));
	assert_non_null(strstr(doc, "\"name\":\"image_source\""));
	assert_non_null(strstr(doc, "\"type\":\"EnumString\""));
	free(doc);
}

static void test_policy_bad_documents(void **state)
{
	struct customs_policy_bundle *b = NULL;
	struct customs_policy_analysis *an = NULL;

	(void)state;
	assert_int_equal(customs_policy_bundle_parse(&b, "[1]", 3, NULL, NULL),
			 CUSTOMS_EFORMAT);
	assert_int_equal(customs_policy_bundle_parse(&b, "{", 1, NULL, NULL),
			 CUSTOMS_EFORMAT);
	assert_null(b);
	assert_int_equal(customs_policy_analysis_parse(&an, "{\"files\":{}}",
						       12, NULL, NULL),
			 CUSTOMS_EFORMAT);
	assert_null(an);
}

/* customs check's assembly: the scan document's matches become
 * "vulnerabilities", beside "vulnerability_db"; no scan, no keys. */
static void test_policy_build_scan(void **state)
{
	static const char ij[] = "{\"image\":{\"id\":\"sha256:ab\"},"
				 "\"distro\":{\"id\":\"debian\","
				 "\"version_id\":\"12\"}}";
	static const char sj[] =
		"{\"schema\":\"customs.scan/v1\",\"matches\":[{"
		"\"vulnerability\":{\"id\":\"CVE-1\",\"severity\":\"High\"},"
		"\"package\":{\"name\":\"p\",\"version\":\"1\",\"type\":"
		"\"deb\"},"
		"\"fix\":{\"state\":\"fixed\",\"versions\":[\"2\"],"
		"\"date\":null},\"match\":{}}],\"ignored\":[]}";
	/* what `check --distro debian:12 --vex` leaves: one suppressed */
	static const char sj2[] =
		"{\"distro\":{\"id\":null,\"namespace\":\"debian:12\"},"
		"\"matches\":[],\"ignored\":[{\"vulnerability\":{\"id\":"
		"\"CVE-2\"},\"ignored_by\":[{\"kind\":\"vex\",\"reason\":"
		"\"vex: not_affected\"}]}]}";
	char *ns_v[] = { "debian:12", "npm" };
	struct customs_strlist ns = { ns_v, 2 };
	struct customs_policy_parts p = CUSTOMS_POLICY_PARTS_INIT;
	struct customs_policy_analysis *an = NULL;
	struct customs_ctx *ctx = NULL;
	char *out = NULL;

	(void)state;
	assert_int_equal(customs_ctx_new(&ctx), 0);
	p.inspect_json = ij;
	p.inspect_len = strlen(ij);
	assert_int_equal(customs_policy_analysis_build(&out, &p, ctx), 0);
	assert_null(strstr(out, "vulnerabilit"));
	free(out);
	p.scan_json = sj;
	p.scan_len = strlen(sj);
	p.vulndb_built = "2026-01-01T00:00:00Z";
	p.vulndb_namespaces = &ns;
	assert_int_equal(customs_policy_analysis_build(&out, &p, ctx), 0);
	assert_non_null(strstr(out, "\"vulnerabilities\":[{\"vulnerability\":"
				    "{\"id\":\"CVE-1\""));
	assert_non_null(strstr(out, "\"vulnerability_db\":{\"built\":"
				    "\"2026-01-01T00:00:00Z\",\"namespaces\":"
				    "[\"debian:12\",\"npm\"],"
				    "\"distro_namespace\":null}"));
	assert_null(strstr(out, "\"ignored\""));
	assert_non_null(strstr(out, "\"suppressed_vulnerabilities\":[]"));
	assert_int_equal(
		customs_policy_analysis_parse(&an, out, strlen(out), NULL, ctx),
		0);
	customs_policy_analysis_free(an);
	free(out);
	p.scan_json = sj2;
	p.scan_len = strlen(sj2);
	assert_int_equal(customs_policy_analysis_build(&out, &p, ctx), 0);
	assert_non_null(strstr(out, "\"vulnerabilities\":[],"));
	assert_non_null(strstr(out, "\"suppressed_vulnerabilities\":[{"
				    "\"vulnerability\":{\"id\":\"CVE-2\"}"));
	assert_non_null(strstr(out, "\"ignored_by\":[{\"kind\":\"vex\","));
	assert_non_null(strstr(out, "\"distro_namespace\":\"debian:12\"}"));
	free(out);
	p.scan_json = "{\"matches\":[],\"ignored\":{}}";
	p.scan_len = strlen(p.scan_json);
	assert_int_equal(customs_policy_analysis_build(&out, &p, ctx),
			 CUSTOMS_EFORMAT);
	assert_null(out);
	p.scan_json = "{\"matches\":{}}";
	p.scan_len = strlen(p.scan_json);
	assert_int_equal(customs_policy_analysis_build(&out, &p, ctx),
			 CUSTOMS_EFORMAT);
	assert_null(out);
	assert_non_null(strstr(customs_ctx_errmsg(ctx), "scan document"));
	customs_ctx_free(ctx);
}

#define EVAL_TESTS                                              \
	cmocka_unit_test(test_policy_mapping),                  \
		cmocka_unit_test(test_policy_whitelist),        \
		cmocka_unit_test(test_policy_whitelist_index),  \
		cmocka_unit_test(test_policy_whitelist_cached), \
		cmocka_unit_test(test_policy_validation),       \
		cmocka_unit_test(test_policy_eval_semantics),   \
		cmocka_unit_test(test_policy_default_bundle),   \
		cmocka_unit_test(test_policy_describe),         \
		cmocka_unit_test(test_policy_bad_documents),    \
		cmocka_unit_test(test_policy_build_scan),

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_triggers),
		cmocka_unit_test(test_policy_triggers_covered), EVAL_TESTS
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
