#!/bin/bash
# The test fixtures test themselves: the generator is deterministic, and the
# inspect checker accepts a faithful output and rejects each kind of defect.
# (Does not need the customs binary.)
. "$(dirname "$0")/lib.sh"
fixtures

check "mkfixtures.py builds byte-identical fixtures twice" \
	env TMPDIR="$T_DIR" "$PYTHON" "$FIXDIR/mkfixtures.py" --check-deterministic
for exp in "$FX"/*.expect.json; do
	check "check_inspect.py self-test on $(basename "$exp")" \
		"$PYTHON" "$CHECK_INSPECT" --selftest "$exp"
done
check "hostile cases are listed" test "$(grep -vc '^#' "$FX/hostile/cases.tsv")" -ge 20

# the fixtures are what tools other than customs read too (when installed)
if command -v skopeo >/dev/null 2>&1; then
	check "skopeo reads basic.oci" skopeo inspect "oci:$FX/basic.oci:1.0"
	check "skopeo reads basic.docker-classic.tar" skopeo inspect "docker-archive:$FX/basic.docker-classic.tar"
	check "skopeo reads basic.docker.tar" skopeo inspect "docker-archive:$FX/basic.docker.tar"
	check "skopeo reads basic.oci.tar" skopeo inspect "oci-archive:$FX/basic.oci.tar:1.0"
	check "skopeo reads the arm64 image of multiplatform.oci" \
		skopeo --override-arch arm64 --override-variant v8 inspect "oci:$FX/multiplatform.oci:1.0"
else
	skip "skopeo reads the fixtures" "skopeo not installed"
fi
check "tar lists basic.docker-classic.tar" tar tf "$FX/basic.docker-classic.tar"

done_testing
