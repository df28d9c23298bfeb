#!/usr/bin/env bash
# customs sbom with the dpkg cataloger on real data.
#  - the distroless-like fixture (status.d stanzas and md5sums, two
#    layers): packages, owned files, licences and layers in both scopes;
#  - the debootstrap'd Debian bookworm minbase image (built and cached as
#    in t0200): the packages equal what dpkg-query lists, every package
#    owns files whose MD5s match the rootfs, DEP-5 copyrights give
#    licences, no warnings, and dir: agrees with oci:.
# Prints TAP.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bookworm.sh"
require_customs
fixtures
CHECK="$CUSTOMS_SRCDIR/tests/e2e/sbom_dpkg_check.py"

# check_json DESC CHECK ARG JSON: run one sbom_dpkg_check.py check
check_json() {
	if "$PYTHON" "$CHECK" "$2" "$3" "$4" >"$T_DIR/check.out" 2>&1; then
		ok "$1 ($(head -n 1 "$T_DIR/check.out"))"
	else
		not_ok "$1" "$(head -n 62 "$T_DIR/check.out")"
	fi
}

dl="oci:$FX/distroless-like.oci"
expect_exit 0 "sbom -o json on the distroless-like image" \
	"$CUSTOMS" sbom -o json "$dl"
cp "$OUT" "$T_DIR/dl-squashed.json"
expect_exit 0 "sbom -o json --scope all-layers on the distroless-like image" \
	"$CUSTOMS" sbom -o json --scope all-layers "$dl"
cp "$OUT" "$T_DIR/dl-all.json"
check_json "distroless-like: status.d packages, md5sums, licences, layers" \
	distroless "$T_DIR/dl-squashed.json" "$T_DIR/dl-all.json"

bookworm_tests() {
	local work=$T_DIR/bookworm rc=0
	bookworm_tarball "$work" || rc=$?
	if [ "$rc" -eq 1 ]; then
		skip "bookworm: the SBOM equals dpkg-query" "$BW_SKIP"
		return
	fi
	if [ "$rc" -ne 0 ] || ! bookworm_oci "$work"; then
		not_ok "bookworm image built and packed"
		return
	fi
	ok "bookworm image built and packed"
	dpkg-query --admindir="$BW_ROOTFS/var/lib/dpkg" -W -f \
		'${Package} ${Version} ${Architecture} ${source:Package} ${source:Version} ${Status}\n' \
		>"$T_DIR/dpkg-query.txt"
	expect_exit 0 "sbom -o json on the bookworm image" \
		"$CUSTOMS" sbom -o json "$BW_OCI"
	cp "$OUT" "$T_DIR/bookworm.json"
	check_json "bookworm: packages equal dpkg-query (name, version, arch, source)" \
		packages "$T_DIR/dpkg-query.txt" "$T_DIR/bookworm.json"
	check_json "bookworm: every package owns files, MD5s match the rootfs" \
		files "$BW_ROOTFS" "$T_DIR/bookworm.json"
	check_json "bookworm: DEP-5 copyright files give licences" \
		licenses "$BW_ROOTFS" "$T_DIR/bookworm.json"
	check "bookworm: no warnings" test \
		"$(json_get "$T_DIR/bookworm.json" 'len(d.get("warnings", []))')" = 0
	expect_exit 0 "sbom -o json on the bookworm rootfs directory" \
		"$CUSTOMS" sbom -o json "dir:$BW_ROOTFS"
	check_json "bookworm: dir: lists the same packages" \
		packages "$T_DIR/dpkg-query.txt" "$OUT"
}

if bookworm_check dpkg-query; then
	bookworm_tests
else
	skip "bookworm: the SBOM equals dpkg-query" "$BW_SKIP"
fi

done_testing
