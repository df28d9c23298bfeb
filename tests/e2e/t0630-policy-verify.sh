#!/bin/bash
# packages/verify against a Debian-like image (policy_verify_fixture.py):
# the dpkg database holds md5 digests only, so `customs check` computes
# the MD5 of every file when the bundle has a verify rule. A later layer
# rewrites one listed file and deletes another: exactly those two rows,
# with Anchore's message text and md5 trigger ids; the rewritten conffile
# is skipped. The saved analysis carries files[].md5, and `customs
# inspect` (no verify rule involved) does not. Prints TAP.
. "$(dirname "$0")/lib.sh"
require_customs

FXP=$T_DIR/fx
if ! "$PYTHON" "$CUSTOMS_SRCDIR/tests/e2e/policy_verify_fixture.py" \
	"$CUSTOMS_SRCDIR" "$FXP" >"$T_DIR/fx.log" 2>&1; then
	cat "$T_DIR/fx.log" >&2
	echo "Bail out! building the policy-verify fixture failed"
	exit 1
fi
img=$FXP/policy-verify.docker.tar
B=$CUSTOMS_SRCDIR/tests/e2e/data/policy/verify.json
NOW=2026-01-01T00:00:00Z
plan 8

rows() {
	"$PYTHON" -c 'import json,sys
d = json.load(open(sys.argv[1]))
for r in d["result"][d["image_id"]]["result"]["rows"]:
    print("|".join([r[3], r[4], r[2], r[6], r[5]]))' "$1"
}
msg() {
	echo "VERIFY check against package db for package 'hello' failed on entry '$1' with status: '$2'"
}
id() {
	printf '%s' "packagesverify$(msg "$1" "$2")" | md5sum | cut -d' ' -f1
}

export CUSTOMS_DB=$T_DIR/no-such.db
expect_exit 0 "check exits 0 on WARN" "$CUSTOMS" check "$img" \
	--policy "$B" --now "$NOW" -o "json=$T_DIR/eval.json" \
	--save-analysis "$T_DIR/analysis.json"
rows "$T_DIR/eval.json" >"$T_DIR/rows" 2>&1
cat >"$T_DIR/want" <<EOT
packages|verify|$(id /usr/bin/hello changed)|warn|$(msg /usr/bin/hello changed)
packages|verify|$(id /usr/share/hello/data missing)|warn|$(msg /usr/share/hello/data missing)
EOT
if diff -u "$T_DIR/want" "$T_DIR/rows" >"$T_DIR/diff"; then
	ok "rows: /usr/bin/hello changed (md5), /usr/share/hello/data missing"
else
	not_ok "rows: hello changed, data missing" "$(cat "$T_DIR/diff")"
fi
fa=$(json_get "$T_DIR/eval.json" 'd["final_action"]')
if [ "$fa" = "warn" ]; then
	ok "final action warn"
else
	not_ok "final action warn" "got: $fa"
fi

# the analysis: md5 of the final files, the package db's md5 entries
check "analysis: files[].md5 of the rewritten file; package files keep md5" \
	"$PYTHON" -c 'import json,sys,hashlib
d = json.load(open(sys.argv[1]))
f = {x["path"]: x for x in d["files"]}
want = hashlib.md5(b"#!/bin/sh\necho bye\n").hexdigest()
assert f["/usr/bin/hello"]["md5"] == want, f["/usr/bin/hello"]
p = [p for p in d["packages"] if p["name"] == "hello"][0]
algs = sorted({x.get("algorithm") for x in p["files"]})
assert algs == ["md5"], algs
conf = [x for x in p["files"] if x["path"] == "/etc/hello.conf"][0]
assert conf["config"] is True, conf' "$T_DIR/analysis.json"

"$CUSTOMS" check --policy "$B" --analysis "$T_DIR/analysis.json" \
	--now "$NOW" -o "json=$T_DIR/eval2.json" >/dev/null 2>&1
rows "$T_DIR/eval2.json" >"$T_DIR/rows2" 2>&1
if diff -u "$T_DIR/want" "$T_DIR/rows2" >"$T_DIR/diff"; then
	ok "the saved analysis gives the same rows"
else
	not_ok "the saved analysis gives the same rows" "$(cat "$T_DIR/diff")"
fi

# `customs policy test` with a case naming the image computes md5 too
mkdir -p "$T_DIR/cases"
cp "$B" "$T_DIR/cases/verify.json"
cat >"$T_DIR/cases/v.case.json" <<EOT
{"name": "verify on the image", "bundle": "verify.json", "image": "$img",
 "now": "$NOW", "expect": {"final_action": "warn", "rows": [
  {"gate": "packages", "trigger": "verify", "action": "warn",
   "trigger_id": "$(id /usr/bin/hello changed)"},
  {"gate": "packages", "trigger": "verify", "action": "warn",
   "trigger_id": "$(id /usr/share/hello/data missing)"}]}}
EOT
expect_exit 0 "policy test: an image case with a verify rule passes" \
	"$CUSTOMS" policy test "$T_DIR/cases"
expect_stdout_match "1 passed" "policy test: 1 passed"

# inspect does not pay for md5
"$CUSTOMS" inspect -o json --files "$img" >"$T_DIR/inspect.json" 2>"$T_DIR/inspect.err"
check "inspect -o json --files has no md5 key" \
	"$PYTHON" -c 'import json,sys
d = json.load(open(sys.argv[1]))
assert d["files"] and not any("md5" in f for f in d["files"])' \
	"$T_DIR/inspect.json"
done_testing
