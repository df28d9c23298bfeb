#!/usr/bin/env bash
# The policy command line without an image: `customs policy test` on a
# case directory (one passing and one failing case, the exact runner
# output with its diff), `policy validate` reporting every problem of a
# broken bundle, `policy describe`, and `customs check --analysis`
# usage and exit codes. Prints TAP.
. "$(dirname "$0")/lib.sh"
require_customs
DATA=$CUSTOMS_SRCDIR/tests/e2e/data/policy
C=$DATA/cases
plan 17

expect_exit 1 "policy test exits 1 when a case fails" "$CUSTOMS" policy test "$C"
cat >"$T_DIR/want" <<'EOT'
ok 1 - default bundle stops on port 22 (a-default.case.json)
not ok 2 - team bundle: the SSH server is allowed (b-team.case.json)
#   final_action: expected go, got stop
#   rows (- expected, + actual):
#   + packages blacklist stop 80d99b45cd2bd067ef9e0ae4f7736a4b
1 passed, 1 failed
EOT
if diff -u "$T_DIR/want" "$OUT" >"$T_DIR/diff"; then
	ok "runner output: ok / not ok with the diff, then the counts"
else
	not_ok "runner output" "$(cat "$T_DIR/diff")"
fi
mkdir -p "$T_DIR/pass"
cp "$C/a-default.case.json" "$C/app.analysis.json" "$T_DIR/pass/"
expect_exit 0 "policy test exits 0 when every case passes" "$CUSTOMS" policy test "$T_DIR/pass"
expect_stdout_match '^1 passed, 0 failed$'
expect_exit 2 "policy test on a missing directory" "$CUSTOMS" policy test "$T_DIR/nope"

expect_exit 1 "validate exits 1 on a broken bundle" "$CUSTOMS" policy validate "$DATA/bad-bundle.json"
cut -d: -f1,2 "$OUT" >"$T_DIR/types"
cat >"$T_DIR/want_types" <<'EOT'
error: ValidationError
error: ParameterValueInvalidError
error: ParameterValueInvalidError
error: EndOfLifedError
error: ParameterValueInvalidError
error: ReferencedObjectNotFoundError
EOT
if diff -u "$T_DIR/want_types" <(head -n 6 "$T_DIR/types") >"$T_DIR/diff"; then
	ok "every problem is reported with its Anchore problem type"
else
	not_ok "every problem is reported" "$(cat "$OUT")"
fi
expect_stdout_match "bad-bundle.json: 6 problems$"
expect_exit 0 "the default bundle is valid" "$CUSTOMS" policy validate "$DATA/cis-style.json"

expect_exit 0 "policy describe -o json" "$CUSTOMS" policy describe -o json
n=$("$PYTHON" -c 'import json,sys
d = json.load(open(sys.argv[1]))
act = [g["name"] for g in d if g["state"] == "active"]
eol = [g["name"] for g in d if g["state"] == "eol"]
assert d.index(next(g for g in d if g["state"] == "eol")) == len(act)
print(len(act), len(eol), "image_source" in act, "anchoresec" in eol)' "$OUT" 2>&1)
if [ "$n" = "17 14 True True" ]; then
	ok "13 Anchore gates and 4 of ours, then 14 end-of-life gates"
else
	not_ok "describe lists the gates" "$n"
fi
expect_exit 0 "policy describe (text)" "$CUSTOMS" policy describe
expect_stdout_match '^    exposed_ports: ' "describe lists triggers"

expect_exit 2 "check needs TARGET or --analysis" "$CUSTOMS" check
expect_one_error_line
expect_exit 0 "check --analysis with a passing bundle exits 0" "$CUSTOMS" check \
	--analysis "$C/app.analysis.json" --policy "$C/team.json" \
	--tag registry.example.com/other/app:1 --now 2026-01-01T00:00:00Z
expect_stdout_match '^Final action: GO \(policy_evaluation\)$' "no mapping matched: GO with no rows"
done_testing
