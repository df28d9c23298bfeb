#!/bin/bash
# `customs check` builds the whole analysis document in one scan: a bundle
# with a secret_scans rule (Anchore's AWS_ACCESS_KEY search), a
# passwd_file rule and vulnerabilities rules is evaluated against a small
# Debian 12 image (tests/e2e/policy_full_fixture.py) with a database
# imported from a hand-written Debian tracker file. The rows (gate,
# trigger, trigger id, message, action) and the final action are exact;
# without a database vulnerability_data_unavailable fires instead of the
# package row, and one note on stderr says why. scan's vulnerability
# options: a VEX not_affected statement and an ignore rule move findings
# out of the gate into suppressed_vulnerabilities; the same image without
# /etc/os-release warns that its OS packages were not checked, and gets
# its package row back with --distro debian:12. Prints TAP.
. "$(dirname "$0")/lib.sh"
require_customs

FXP=$T_DIR/fx
if ! "$PYTHON" "$CUSTOMS_SRCDIR/tests/e2e/policy_full_fixture.py" \
	"$CUSTOMS_SRCDIR" "$FXP" >"$T_DIR/fx.log" 2>&1; then
	cat "$T_DIR/fx.log" >&2
	echo "Bail out! building the policy-full fixture failed"
	exit 1
fi
img=$FXP/policy-full.docker.tar
B=$CUSTOMS_SRCDIR/tests/e2e/data/policy/full.json
NOW=2026-01-01T00:00:00Z
DB=$T_DIR/vuln.db
plan 25

# pam: one high CVE fixed after the installed version, one low open one;
# base-files: a CVE fixed before the installed version (never reported)
cat >"$T_DIR/tracker.json" <<'JSON'
{"pam": {"CVE-2024-22365": {"description": "pam_namespace denial of service",
   "releases": {"bookworm": {"status": "resolved",
     "fixed_version": "1.5.2-6+deb12u2", "urgency": "high"}}},
  "CVE-2024-10963": {"description": "pam_access hostname confusion",
   "releases": {"bookworm": {"status": "open", "urgency": "low"}}}},
 "base-files": {"CVE-2099-0001": {"releases": {"bookworm": {
   "status": "resolved", "fixed_version": "12.4+deb12u1", "urgency": "high"}}}}}
JSON
check "db import of the hand-written tracker" \
	"$CUSTOMS" db import -q --db "$DB" "$T_DIR/tracker.json"

# rows as "gate|trigger|trigger_id|action|message"
rows() {
	"$PYTHON" -c 'import json,sys
d = json.load(open(sys.argv[1]))
for r in d["result"][d["image_id"]]["result"]["rows"]:
    print("|".join([r[3], r[4], r[2], r[6], r[5]]))' "$1"
}
AWS='Secret content search analyzer found regexp match in container: file=/app/deploy.env regexp=AWS_ACCESS_KEY=(?i).*aws_access_key_id( *=+ *).*(?<![A-Z0-9])[A-Z0-9]{20}(?![A-Z0-9]).*'
PW="Blacklisted user 'mallory' found in image's /etc/passwd: pentry=mallory:x:1000:1000::/home/mallory:/bin/sh"

expect_exit 1 "check with --db exits 1 on STOP" "$CUSTOMS" check "$img" \
	--policy "$B" --db "$DB" --now "$NOW" -o "json=$T_DIR/eval.json" \
	--save-analysis "$T_DIR/analysis.json"
if [ ! -s "$ERR" ]; then
	ok "nothing on stderr with a database"
else
	not_ok "nothing on stderr with a database" "$(cat "$ERR")"
fi
rows "$T_DIR/eval.json" >"$T_DIR/rows" 2>&1
cat >"$T_DIR/want" <<EOT
secret_scans|content_regex_checks|ecd8bdd330623e4c5a0a2d9903c2e88a|stop|$AWS
passwd_file|blacklist_usernames|88992b0b8c6e1f3c527fdd56b5ef63cb|warn|$PW
vulnerabilities|package|CVE-2024-22365+libpam-runtime|stop|HIGH Vulnerability found in os package type (dpkg) - libpam-runtime (fixed in: 1.5.2-6+deb12u2)(CVE-2024-22365 - /query/vulnerabilities?id=CVE-2024-22365)
EOT
if diff -u "$T_DIR/want" "$T_DIR/rows" >"$T_DIR/diff"; then
	ok "rows: the secret, the user and the high pam CVE; data available"
else
	not_ok "rows: the secret, the user and the high pam CVE" "$(cat "$T_DIR/diff")"
fi
fa=$(json_get "$T_DIR/eval.json" 'd["final_action"]+" "+d["status"]')
if [ "$fa" = "stop fail" ]; then
	ok "final action stop"
else
	not_ok "final action stop" "got: $fa"
fi

# the analysis document: the keys of both modules, in the documented shapes
check "analysis keys: vulnerabilities = scan matches, vulnerability_db, secrets" \
	"$PYTHON" -c 'import json,sys,base64
d = json.load(open(sys.argv[1]))
v = [(m["vulnerability"]["id"], m["package"]["name"], m["package"]["type"],
      m["fix"]["state"], m["fix"]["versions"], m["vulnerability"]["severity"])
     for m in d["vulnerabilities"]]
assert v == [("CVE-2024-22365", "libpam-runtime", "deb", "fixed", ["1.5.2-6+deb12u2"], "High"),
             ("CVE-2024-10963", "libpam-runtime", "deb", "not-fixed", [], "Low")], v
db = d["vulnerability_db"]
assert db["namespaces"] == ["debian:12"] and db["built"].endswith("Z"), db
rf = d["retrieved_files"]["/etc/passwd"]
assert base64.b64decode(rf["content_b64"]).decode().startswith("root:x:0:0:"), rf
assert rf["truncated"] is False and rf["size"] == 75, rf
ss = d["secret_search"]["/app/deploy.env"]
assert [base64.b64decode(k).decode().split("=")[0] for k in ss] == ["AWS_ACCESS_KEY"], ss
assert list(ss.values()) == [[1]], ss
assert d["content_search"] == {} and d["malware"] is None, d["malware"]
assert [f["path"] for f in d["secrets"]["findings"]] == ["/app/deploy.env"], d["secrets"]' \
	"$T_DIR/analysis.json"

expect_exit 1 "check --analysis on the saved document" "$CUSTOMS" check \
	--analysis "$T_DIR/analysis.json" --policy "$B" --now "$NOW" \
	-o "json=$T_DIR/eval2.json"
rows "$T_DIR/eval2.json" >"$T_DIR/rows2" 2>&1
if cmp -s "$T_DIR/rows" "$T_DIR/rows2"; then
	ok "the saved analysis gives the same rows"
else
	not_ok "the saved analysis gives the same rows" "$(diff "$T_DIR/rows" "$T_DIR/rows2")"
fi

# no database: $CUSTOMS_DB names a file that does not exist
CUSTOMS_DB=$T_DIR/none.db expect_exit 1 "check without a database" \
	"$CUSTOMS" check "$img" --policy "$B" --now "$NOW" -o "json=$T_DIR/eval3.json"
if [ "$(wc -l <"$ERR")" -eq 1 ] &&
	grep -q "^customs: note: no vulnerability database at $T_DIR/none.db " "$ERR"; then
	ok "one note on stderr names the missing database"
else
	not_ok "one note on stderr names the missing database" "$(cat "$ERR")"
fi
rows "$T_DIR/eval3.json" >"$T_DIR/rows3" 2>&1
cat >"$T_DIR/want3" <<EOT
secret_scans|content_regex_checks|ecd8bdd330623e4c5a0a2d9903c2e88a|stop|$AWS
passwd_file|blacklist_usernames|88992b0b8c6e1f3c527fdd56b5ef63cb|warn|$PW
vulnerabilities|vulnerability_data_unavailable|a1ec0eba715afecbc0815f41cd3e73c8|warn|Distro-specific feed data not found for distro namespace: debian:12. Cannot perform CVE scan OS/distro packages
EOT
if diff -u "$T_DIR/want3" "$T_DIR/rows3" >"$T_DIR/diff3"; then
	ok "without a database: vulnerability_data_unavailable, no package row"
else
	not_ok "without a database: vulnerability_data_unavailable" "$(cat "$T_DIR/diff3")"
fi

# the secrets options reach the scan: no /etc/passwd retrieved, so the
# passwd rule cannot fire; a content regex is searched
expect_exit 1 "check --retrieve-file --content-regex" "$CUSTOMS" check "$img" \
	--policy "$B" --db "$DB" --now "$NOW" --retrieve-file /etc/os-release \
	--content-regex 'DEPLOY=# deploy' --save-analysis "$T_DIR/an4.json" \
	-o "json=$T_DIR/eval4.json"
v=$(json_get "$T_DIR/an4.json" '" ".join(sorted(d["retrieved_files"])) + " " + " ".join(sorted(d["content_search"]))')
n=$(rows "$T_DIR/eval4.json" | grep -c '^passwd_file')
if [ "$v" = "/etc/os-release /app/deploy.env" ] && [ "$n" = 0 ]; then
	ok "retrieved and content-searched files follow the options"
else
	not_ok "retrieved and content-searched files follow the options" "got: $v, passwd rows $n"
fi

expect_exit 2 "a --db that does not exist is an error" "$CUSTOMS" check "$img" \
	--policy "$B" --db "$T_DIR/missing.db" --now "$NOW"

# --vex and --ignore: the VEX statement (product: the image's tag) takes
# the high pam CVE out of the gate, the rule the low one; both are listed
# with their reasons under suppressed_vulnerabilities
cat >"$T_DIR/vex.json" <<'JSON'
{"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.test/vex/t0620",
 "author": "t0620", "timestamp": "2026-01-01T00:00:00Z", "version": 1,
 "statements": [{"vulnerability": {"name": "CVE-2024-22365"},
   "products": [{"@id": "customs-test/policy-full:1.0"}],
   "status": "not_affected",
   "justification": "vulnerable_code_not_in_execute_path"}]}
JSON
printf 'ignore:\n  - vulnerability: CVE-2024-10963\n    reason: accepted until the next pam upload\n' \
	>"$T_DIR/ignore.yaml"
expect_exit 1 "check --vex --ignore (still STOP on the secret)" "$CUSTOMS" \
	check "$img" --policy "$B" --db "$DB" --now "$NOW" --vex "$T_DIR/vex.json" \
	--ignore "$T_DIR/ignore.yaml" -o "json=$T_DIR/eval5.json" \
	--save-analysis "$T_DIR/an5.json"
rows "$T_DIR/eval5.json" >"$T_DIR/rows5" 2>&1
head -n 2 "$T_DIR/want" >"$T_DIR/want5"
if diff -u "$T_DIR/want5" "$T_DIR/rows5" >"$T_DIR/diff5" &&
	! grep -q 'CVE-2024-22365' "$T_DIR/eval5.json"; then
	ok "VEX not_affected: the pam row and its trigger id are gone"
else
	not_ok "VEX not_affected: the pam row and its trigger id are gone" \
		"$(cat "$T_DIR/diff5"; grep -o 'CVE-2024-22365[^"]*' "$T_DIR/eval5.json" | head -3)"
fi
check "analysis: no vulnerabilities left, both suppressed with their reasons" \
	"$PYTHON" -c 'import json,sys
d = json.load(open(sys.argv[1]))
assert d["vulnerabilities"] == [], d["vulnerabilities"]
s = [(m["vulnerability"]["id"], m["package"]["name"],
      [(b["kind"], b["reason"]) for b in m["ignored_by"]])
     for m in d["suppressed_vulnerabilities"]]
assert s == [("CVE-2024-22365", "libpam-runtime",
              [("vex", "vex: not_affected: vulnerable_code_not_in_execute_path (" + sys.argv[2] + ")")]),
             ("CVE-2024-10963", "libpam-runtime",
              [("rule", "accepted until the next pam upload")])], s' \
	"$T_DIR/an5.json" "$T_DIR/vex.json"
check "without suppression options the document lists nothing suppressed" \
	"$PYTHON" -c 'import json,sys
assert json.load(open(sys.argv[1]))["suppressed_vulnerabilities"] == []' \
	"$T_DIR/analysis.json"
expect_exit 2 "an unreadable --vex file is an error" "$CUSTOMS" check "$img" \
	--policy "$B" --db "$DB" --vex "$T_DIR/missing.vex.json"
if grep -q "^customs: error: VEX file '$T_DIR/missing.vex.json': cannot read" "$ERR"; then
	ok "the error names the VEX file"
else
	not_ok "the error names the VEX file" "$(cat "$ERR")"
fi

# no /etc/os-release: the matcher's warning on stderr, no package row
noos=$FXP/policy-noos.docker.tar
expect_exit 1 "check of an image without os-release" "$CUSTOMS" check "$noos" \
	--policy "$B" --db "$DB" --now "$NOW" -o "json=$T_DIR/eval6.json"
if [ "$(cat "$ERR")" = "customs: warning: the distro is unknown: OS packages were not checked (use --distro ID:VERSION)" ]; then
	ok "the matcher's warning is printed on stderr, as scan prints it"
else
	not_ok "the matcher's warning is printed on stderr" "$(cat "$ERR")"
fi
if [ "$(rows "$T_DIR/eval6.json" | cut -d'|' -f1,2 | grep '^vulnerabilities')" = \
	"vulnerabilities|vulnerability_data_unavailable" ]; then
	ok "without --distro: no package row, data unavailable"
else
	not_ok "without --distro: no package row" "$(rows "$T_DIR/eval6.json")"
fi
expect_exit 1 "check --distro debian:12 of that image" "$CUSTOMS" check "$noos" \
	--policy "$B" --db "$DB" --now "$NOW" --distro debian:12 \
	-o "json=$T_DIR/eval7.json"
rows "$T_DIR/eval7.json" | grep '^vulnerabilities' >"$T_DIR/rows7"
tail -n 1 "$T_DIR/want" >"$T_DIR/want7"
if diff -u "$T_DIR/want7" "$T_DIR/rows7" >"$T_DIR/diff7" && [ ! -s "$ERR" ]; then
	ok "--distro debian:12: the pam package row, no warning"
else
	not_ok "--distro debian:12: the pam package row" "$(cat "$T_DIR/diff7" "$ERR")"
fi
done_testing
