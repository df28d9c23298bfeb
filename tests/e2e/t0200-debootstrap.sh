#!/usr/bin/env bash
# Integration: a real Debian bookworm minbase rootfs built with debootstrap,
# packed as an image by umoci (OCI layout) and skopeo (docker-archive).
# The file catalog customs reports for each source kind must equal the
# rootfs itself: every path, type, mode, owner, size, SHA-256 and link.
# Prints TAP.
set -u
: "${CUSTOMS:?}" "${CUSTOMS_SRCDIR:?}" "${CUSTOMS_TEST_TMP:?}"

. "$(dirname "$0")/bookworm.sh"
if ! bookworm_check skopeo python3; then
	echo "1..0 # SKIP $BW_SKIP"
	exit 0
fi
work=$CUSTOMS_TEST_TMP/debootstrap
rm -rf "$work"
mkdir -p "$work"
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

echo "1..6"
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; }

if bookworm_oci "$work" &&
	skopeo copy -q "$BW_OCI" \
		"docker-archive:$work/bookworm.tar:debian:bookworm" >/dev/null; then
	ok "umoci and skopeo packed the rootfs"
else
	not_ok "umoci and skopeo packed the rootfs"
fi
rootfs=$BW_ROOTFS

check() {
	local target=$1 kind=$2
	if "$CUSTOMS" inspect --files -o json "$target" >"$work/out.json" 2>"$work/err"; then
		if python3 "$CUSTOMS_SRCDIR/tests/e2e/rootfs_compare.py" "$rootfs" \
			"$work/out.json" >"$work/diff" 2>&1; then
			ok "$kind catalog equals the rootfs ($(head -n 1 "$work/diff"))"
		else
			not_ok "$kind catalog equals the rootfs"
			head -n 20 "$work/diff" | sed 's/^/# /'
		fi
	else
		not_ok "$kind inspect ran: $(cat "$work/err")"
	fi
}

check "oci:$work/oci:bookworm" oci
check "docker-archive:$work/bookworm.tar" docker-archive
check "dir:$rootfs" dir

if python3 - "$work/out.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))["distro"]
assert d["id"] == "debian" and d["version_id"] == "12", d
assert d["version"].startswith("12."), d
PY
then ok "distro is debian 12 with its point release"; else not_ok "distro is debian 12 with its point release"; fi

"$CUSTOMS" inspect -o json "oci:$work/oci:bookworm" >"$work/layers.json" 2>/dev/null
if python3 - "$work/layers.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
l = d["layers"]
assert len(l) == 1 and l[0]["compression"] == "gzip", l
assert l[0]["diff_id"].startswith("sha256:") and l[0]["files"] > 5000, l
PY
then ok "layer facts (gzip, diffID, file count)"; else not_ok "layer facts (gzip, diffID, file count)"; fi
