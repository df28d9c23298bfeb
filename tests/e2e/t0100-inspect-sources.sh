#!/bin/bash
# customs inspect on every source kind (docker save before and after v25, OCI
# layout, OCI archive, rootfs directory), with and without the kind prefix:
# the file catalog, layers and image facts must match the fixture
# generator's own model of the image.
. "$(dirname "$0")/lib.sh"
require_customs
fixtures

for name in basic alpine-like busybox; do
	exp="$FX/$name.expect.json"
	ref=$(json_get "$exp" 'd["ref"]')
	tag=$(json_get "$exp" 'd["repo_tags"][0]')
	# variant-file  target
	set -- \
		"$name.docker-classic.tar" "docker-archive:$FX/$name.docker-classic.tar" \
		"$name.docker.tar" "docker-archive:$FX/$name.docker.tar" \
		"$name.docker-classic.tar" "docker-archive:$FX/$name.docker-classic.tar:$tag" \
		"$name.docker.tar" "docker-archive:$FX/$name.docker.tar:$tag" \
		"$name.oci" "oci:$FX/$name.oci:$ref" \
		"$name.oci" "oci:$FX/$name.oci" \
		"$name.oci.tar" "oci-archive:$FX/$name.oci.tar" \
		"$name.oci.tar" "oci-archive:$FX/$name.oci.tar:$ref" \
		"$name.rootfs" "dir:$FX/$name.rootfs" \
		"$name.docker-classic.tar" "$FX/$name.docker-classic.tar" \
		"$name.docker.tar" "$FX/$name.docker.tar" \
		"$name.oci" "$FX/$name.oci" \
		"$name.oci.tar" "$FX/$name.oci.tar" \
		"$name.rootfs" "$FX/$name.rootfs"
	while [ $# -gt 0 ]; do
		variant=$1 target=$2
		shift 2
		short=${target#"$FX/"}
		short=${short//"$FX/"/}
		if [ "${variant%.rootfs}" != "$variant" ] && ! is_root; then
			skip "inspect $short" "rootfs owners need root"
			skip "inspect $short matches the model" "rootfs owners need root"
			continue
		fi
		expect_exit 0 "inspect --files -o json $short" \
			"$CUSTOMS" inspect --files -o json "$target"
		if [ "$RC" -eq 0 ]; then
			cp "$OUT" "$T_DIR/$variant.json"
			check_inspect "inspect $short matches the model" \
				"$exp" "$T_DIR/$variant.json" --variant "$variant"
		else
			skip "inspect $short matches the model" "inspect failed"
		fi
	done
done

# A reference that no image has is an input error naming it.
for target in "docker-archive:$FX/basic.docker-classic.tar:customs-test/basic:9.9" \
	"docker-archive:$FX/basic.docker.tar:customs-test/basic:9.9" \
	"oci:$FX/basic.oci:9.9" "oci-archive:$FX/basic.oci.tar:9.9"; do
	short=${target//"$FX/"/}
	expect_exit 2 "$short: no such reference" "$CUSTOMS" inspect -o json "$target"
	expect_one_error_line "$short: one error line"
	expect_stderr_match '9\.9' "$short: the error names the reference"
done

# -o table: a person's view carries the same facts.
for name in basic alpine-like; do
	exp="$FX/$name.expect.json"
	expect_exit 0 "inspect -o table $name.oci" \
		"$CUSTOMS" inspect -o table "oci:$FX/$name.oci"
	id=$(json_get "$exp" 'd["id"].split(":")[1][:12]')
	expect_stdout_match "$id" "table of $name shows the image id"
	expect_stdout_match 'linux' "table of $name shows the os"
	expect_stdout_match 'amd64' "table of $name shows the architecture"
	distro=$(json_get "$exp" 'd["distro"]["id"]')
	vid=$(json_get "$exp" 'd["distro"]["version_id"]')
	expect_stdout_match "$distro" "table of $name shows the distro ($distro)"
	expect_stdout_match "$vid" "table of $name shows the distro version ($vid)"
	for dg in $(json_get "$exp" '" ".join(l["digest"].split(":")[1][:12] for l in d["layers"])'); do
		expect_stdout_match "$dg" "table of $name shows layer $dg"
	done
	if [ -s "$ERR" ]; then
		not_ok "table of $name: nothing on stderr" "$(head -c 2000 "$ERR")"
	else
		ok "table of $name: nothing on stderr"
	fi
done

# JSON is the same whichever way the output is asked for.
run "$CUSTOMS" inspect --files -o json "oci:$FX/basic.oci"
cp "$OUT" "$T_DIR/plain.json"
expect_exit 0 "-o json=FILE -o table" \
	"$CUSTOMS" inspect --files -o "json=$T_DIR/to-file.json" -o table "oci:$FX/basic.oci"
check "-o json=FILE writes the same JSON as -o json" \
	cmp "$T_DIR/plain.json" "$T_DIR/to-file.json"
expect_stdout_match "$(json_get "$FX/basic.expect.json" 'd["id"].split(":")[1][:12]')" \
	"-o table still goes to stdout next to -o json=FILE"
expect_exit 0 "--output=json" \
	"$CUSTOMS" inspect --files --output=json "oci:$FX/basic.oci"
check "--output=json prints the same JSON" cmp "$T_DIR/plain.json" "$OUT"
expect_exit 0 "inspect is deterministic (second run)" \
	"$CUSTOMS" inspect --files -o json "oci:$FX/basic.oci"
check "two runs print identical JSON" cmp "$T_DIR/plain.json" "$OUT"
expect_exit 0 "--threads 1" \
	"$CUSTOMS" inspect --files --threads 1 -o json "oci:$FX/basic.oci"
check "--threads 1 prints identical JSON" cmp "$T_DIR/plain.json" "$OUT"

# Without --files there is no catalog, but the rest is there.
expect_exit 0 "inspect -o json without --files" \
	"$CUSTOMS" inspect -o json "oci:$FX/basic.oci"
cp "$OUT" "$T_DIR/nofiles.json"
check_inspect "without --files the facts still match" \
	"$FX/basic.expect.json" "$T_DIR/nofiles.json" --variant basic.oci --no-files
check "without --files there is no files array" "$PYTHON" -c '
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(1 if d.get("files") else 0)' "$T_DIR/nofiles.json"

done_testing
