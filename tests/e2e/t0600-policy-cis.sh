#!/usr/bin/env bash
# `customs check` with a bundle in the style of the hub's CIS Docker
# bundle (file, dockerfile and software checks; SUID whitelists whose
# md5 trigger ids are the hub's own) against the Debian bookworm
# debootstrap image: the rows (gate, trigger, action, trigger id,
# allowlist item) equal the golden list, the final action is STOP, the
# stored analysis gives the same evaluation, and the built-in default
# bundle passes with warnings. Prints TAP.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bookworm.sh"
require_customs
if ! bookworm_check python3; then
	echo "1..0 # SKIP $BW_SKIP"
	exit 0
fi
work=$T_DIR/bw
bookworm_tarball "$work"
case $? in
0) ;;
1)
	echo "1..0 # SKIP $BW_SKIP"
	exit 0
	;;
*)
	echo "Bail out! could not write the bookworm tarball"
	exit 1
	;;
esac
DATA=$CUSTOMS_SRCDIR/tests/e2e/data/policy
B=$DATA/cis-style.json
NOW=2026-01-01T00:00:00Z
plan 12

if bookworm_oci "$work" &&
	umoci config --image "$work/oci:bookworm" --config.exposedports 8080/tcp \
		--history.created_by '/bin/sh -c #(nop)  EXPOSE 8080/tcp' &&
	umoci config --image "$work/oci:bookworm" --config.user nobody \
		--history.created_by '/bin/sh -c #(nop)  USER nobody'; then
	ok "bookworm image with EXPOSE and USER history"
else
	not_ok "bookworm image with EXPOSE and USER history"
fi
img=$BW_OCI

expect_exit 0 "policy validate accepts the CIS-style bundle" \
	"$CUSTOMS" policy validate "$B"

# rows as "gate trigger action trigger_id allowlist-item"
rows() {
	"$PYTHON" -c 'import json,sys
d = json.load(open(sys.argv[1]))
res = d["result"][d["image_id"]]["result"]
for r in res["rows"]:
    wl = r[7]["matched_rule_id"] if r[7] else "-"
    print(r[3], r[4], r[6], r[2], wl)' "$1"
}

expect_exit 1 "check exits 1 on STOP" "$CUSTOMS" check "$img" --policy "$B" \
	--now "$NOW" -o "json=$T_DIR/eval.json" -o "table=$T_DIR/eval.txt" \
	--save-analysis "$T_DIR/analysis.json"
rows "$T_DIR/eval.json" >"$T_DIR/rows" 2>&1
if diff -u "$DATA/cis-style.expected" "$T_DIR/rows" >"$T_DIR/diff"; then
	ok "rows equal the golden list (13 SUID rows, 12 allowlisted)"
else
	not_ok "rows equal the golden list" "$(cat "$T_DIR/diff")"
fi
fa=$(json_get "$T_DIR/eval.json" 'd["final_action"]+" "+d["status"]+" "+d["final_action_reason"]')
if [ "$fa" = "stop fail policy_evaluation" ]; then
	ok "final action stop, status fail"
else
	not_ok "final action stop, status fail" "got: $fa"
fi
pf=$(json_get "$T_DIR/eval.json" 'd["result"][d["image_id"]]["result"]["final_action"]+" "+d["tag"]')
if [ "$pf" = "stop docker.io/bookworm:latest" ]; then
	ok "policy final action and the tag from the image"
else
	not_ok "policy final action and the tag from the image" "got: $pf"
fi
if grep -q '^files *suid_or_guid_set *GO .*DEB SUID Files *SUID or SGID found set on file /usr/bin/chage. Mode: 0o102755$' "$T_DIR/eval.txt" &&
	grep -q '^Final action: STOP (policy_evaluation)$' "$T_DIR/eval.txt"; then
	ok "table shows allowlisted rows and the final action"
else
	not_ok "table shows allowlisted rows and the final action" "$(cat "$T_DIR/eval.txt")"
fi

expect_exit 1 "check --analysis on the saved document" "$CUSTOMS" check \
	--analysis "$T_DIR/analysis.json" --policy "$B" --now "$NOW" \
	-o "json=$T_DIR/eval2.json"
rows "$T_DIR/eval2.json" >"$T_DIR/rows2" 2>&1
if cmp -s "$T_DIR/rows" "$T_DIR/rows2"; then
	ok "the saved analysis gives the same rows"
else
	not_ok "the saved analysis gives the same rows" "$(diff "$T_DIR/rows" "$T_DIR/rows2")"
fi

expect_exit 0 "the default bundle passes (WARN)" "$CUSTOMS" check \
	--analysis "$T_DIR/analysis.json" --now "$NOW"
expect_stdout_match '^Final action: WARN \(policy_evaluation\)$'

# An Actual Dockerfile: the apt upgrade RUN line and ADD now fire.
# (Put into the saved analysis document rather than scanning again.)
"$PYTHON" -c 'import json,sys
d = json.load(open(sys.argv[1]))
d["dockerfile"] = {"mode": "Actual", "text": "FROM debian:bookworm\nADD app /app\nRUN apt-get update && apt-get -y upgrade\nEXPOSE 8080\nUSER root\n"}
json.dump(d, open(sys.argv[2], "w"))' "$T_DIR/analysis.json" "$T_DIR/actual.json"
run "$CUSTOMS" check --analysis "$T_DIR/actual.json" --policy "$B" --now "$NOW" -o "json=$T_DIR/eval3.json"
rows "$T_DIR/eval3.json" | grep '^dockerfile' >"$T_DIR/rows3"
cat >"$T_DIR/want3" <<'EOT'
dockerfile exposed_ports stop 10a0a99e5281745fe28207d8cd8031f2 -
dockerfile instruction warn e01494c276444b061013f5997a9b5e51 -
dockerfile instruction warn d39c3c38e56a98ec14ae61a83fa9c670 -
dockerfile instruction stop 41cb7cdf04850e33a11f80c42bf660b3 -
dockerfile instruction stop 9d278dd06825981ed422d9b0830fab9c -
dockerfile effective_user stop cbff271f45d32e78dcc1979dbca9c14d -
EOT
if [ "$RC" -eq 1 ] && diff -u "$T_DIR/want3" "$T_DIR/rows3" >"$T_DIR/diff3"; then
	ok "an actual Dockerfile: ADD, apt upgrade, FROM and USER root fire"
else
	not_ok "an actual Dockerfile: ADD, apt upgrade, FROM and USER root fire" "$(cat "$T_DIR/diff3")"
fi
done_testing
