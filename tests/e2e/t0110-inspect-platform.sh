#!/bin/bash
# Platform selection from an OCI index holding linux/amd64, linux/arm64/v8
# and a buildkit attestation manifest (unknown/unknown).
. "$(dirname "$0")/lib.sh"
require_customs
fixtures

amd="$FX/multiplatform.linux-amd64.expect.json"
arm="$FX/multiplatform.linux-arm64-v8.expect.json"
ref=$(json_get "$amd" 'd["ref"]')

for target in "oci:$FX/multiplatform.oci:$ref" "oci:$FX/multiplatform.oci" \
	"oci-archive:$FX/multiplatform.oci.tar"; do
	short=${target//"$FX/"/}
	case $target in
	oci-archive:*) variant=multiplatform.oci.tar ;;
	*) variant=multiplatform.oci ;;
	esac

	expect_exit 0 "$short: default platform" \
		"$CUSTOMS" inspect --files -o json "$target"
	cp "$OUT" "$T_DIR/default.json"
	check_inspect "$short: default is linux/amd64" "$amd" "$T_DIR/default.json" --variant "$variant"
	check "$short: image.platforms lists both platforms, not the attestation" \
		"$PYTHON" -c '
import json, sys
p = json.load(open(sys.argv[1]))["image"]["platforms"]
ok = "linux/amd64" in p and any(x.startswith("linux/arm64") for x in p) \
    and not any("unknown" in x for x in p)
print(p)
sys.exit(0 if ok else 1)' "$T_DIR/default.json"

	for plat in linux/arm64 linux/arm64/v8; do
		expect_exit 0 "$short: --platform $plat" \
			"$CUSTOMS" inspect --files --platform "$plat" -o json "$target"
		cp "$OUT" "$T_DIR/arm.json"
		check_inspect "$short: --platform $plat picks the arm64 image (alpine)" \
			"$arm" "$T_DIR/arm.json" --variant "$variant"
	done

	expect_exit 0 "$short: --platform linux/amd64" \
		"$CUSTOMS" inspect --files --platform linux/amd64 -o json "$target"
	check "$short: --platform linux/amd64 equals the default" \
		cmp "$T_DIR/default.json" "$OUT"

	expect_exit 2 "$short: --platform linux/s390x is not in the index" \
		"$CUSTOMS" inspect --platform linux/s390x -o json "$target"
	expect_one_error_line "$short: one error line for a missing platform"
	expect_stderr_match 'linux/s390x' "$short: the error names the platform asked for"
	expect_stderr_match 'linux/amd64' "$short: the error lists linux/amd64"
	expect_stderr_match 'linux/arm64' "$short: the error lists linux/arm64"
	if grep -q 'unknown/unknown' "$ERR"; then
		not_ok "$short: the error does not offer the attestation manifest" "$(cat "$ERR")"
	else
		ok "$short: the error does not offer the attestation manifest"
	fi
	if [ -s "$OUT" ]; then
		not_ok "$short: nothing on stdout after an error" "$(head -c 500 "$OUT")"
	else
		ok "$short: nothing on stdout after an error"
	fi
done

done_testing
