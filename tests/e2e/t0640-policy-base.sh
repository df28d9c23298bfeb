#!/usr/bin/env bash
# The base_image gate from the command line: --base names the base
# (not_trusted against the trusted patterns), --base-image reads a base
# image's layers and layers_mismatch fires unless they are the image's
# first layers; with neither, unknown fires. Prints TAP.
. "$(dirname "$0")/lib.sh"
require_customs
fixtures
B=$CUSTOMS_SRCDIR/tests/e2e/data/policy/base.json
IMG=oci:$FX/basic.oci
export CUSTOMS_DB=$T_DIR/no-db
plan 10

rows() { grep '^base_image ' "$OUT" | awk '{print $2, $3}' | tr '\n' ';'; }

expect_exit 0 "no base known: WARN" "$CUSTOMS" check "$IMG" --policy "$B" --no-secrets
v=$(rows)
[ "$v" = "unknown WARN;" ] && ok "unknown fires alone" || not_ok "unknown fires alone" "got $v"

expect_exit 1 "an untrusted --base stops" "$CUSTOMS" check "$IMG" --policy "$B" \
	--no-secrets --base docker.io/library/alpine:3.19
expect_stdout_match '^base_image +not_trusted +STOP +[0-9a-f]{32} +- +Base image docker.io/library/alpine:3.19 is not in the trusted list$'

expect_exit 0 "a trusted base whose layers are the image's first: GO" "$CUSTOMS" check "$IMG" \
	--policy "$B" --no-secrets --base docker.io/library/debian:12 --base-image "$IMG"
expect_stdout_match '^Final action: GO \(policy_evaluation\)$'

expect_exit 1 "a base image with other layers stops" "$CUSTOMS" check "$IMG" \
	--policy "$B" --no-secrets --base docker.io/library/debian:12 \
	--base-image "oci:$FX/alpine-like.oci"
first=$(json_get "$FX/alpine-like.expect.json" 'd["layers"][0]["diff_id"]' 2>/dev/null ||
	"$CUSTOMS" inspect -o json "oci:$FX/alpine-like.oci" | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["layers"][0]["diff_id"])')
expect_stdout_match "^base_image +layers_mismatch +STOP +[0-9a-f]{32} +- +Base image layer 0 \\($first\\) is not layer 0 of the image$"

expect_exit 1 "--base-image alone names the base by its target" "$CUSTOMS" check "$IMG" \
	--policy "$B" --no-secrets --base-image "oci:$FX/alpine-like.oci"
expect_stdout_match "^base_image +not_trusted +STOP +[0-9a-f]{32} +- +Base image oci:$FX/alpine-like.oci is not in the trusted list$"
done_testing
