#!/usr/bin/env bash
# Integration: a real Debian bookworm minbase rootfs built with debootstrap,
# packed as an image by umoci (OCI layout) and skopeo (docker-archive).
# The file catalog customs reports for each source kind must equal the
# rootfs itself: every path, type, mode, owner, size, SHA-256 and link.
# Prints TAP.
set -u
: "${CUSTOMS:?}" "${CUSTOMS_SRCDIR:?}" "${CUSTOMS_TEST_TMP:?}"

if [ -n "${CUSTOMS_SKIP_SLOW:-}" ]; then
	echo "1..0 # SKIP slow integration test (CUSTOMS_SKIP_SLOW set)"
	exit 0
fi
for tool in debootstrap umoci skopeo python3; do
	if ! command -v "$tool" >/dev/null; then
		echo "1..0 # SKIP $tool is not installed"
		exit 0
	fi
done
if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP debootstrap needs root"
	exit 0
fi

cache=${CUSTOMS_TEST_CACHE:-${XDG_CACHE_HOME:-${HOME:-/var/tmp}/.cache}/customs-tests}
work=$CUSTOMS_TEST_TMP/debootstrap
tarball=$cache/bookworm-minbase.tar
mkdir -p "$cache"
rm -rf "$work"
mkdir -p "$work"

mirror() {
	# The mirror apt already uses: no host name is written into the repo.
	local m
	m=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null)
	[ -n "$m" ] || m=$(awk '$1 == "deb" {print $2; exit}' /etc/apt/sources.list 2>/dev/null)
	echo "$m"
}

if [ ! -s "$tarball" ]; then
	if ! debootstrap --variant=minbase bookworm "$work/build" "$(mirror)" \
		>"$work/debootstrap.log" 2>&1; then
		echo "1..0 # SKIP debootstrap failed (no mirror reachable?): $(tail -n 1 "$work/debootstrap.log")"
		exit 0
	fi
	tar --numeric-owner --xattrs -C "$work/build" -cpf "$tarball.tmp" . &&
		mv "$tarball.tmp" "$tarball"
	rm -rf "$work/build"
fi

echo "1..6"
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; }

mkdir -p "$work/bundle/rootfs"
tar --numeric-owner -C "$work/bundle/rootfs" -xpf "$tarball"
umoci init --layout "$work/oci" >/dev/null &&
	umoci new --image "$work/oci:bookworm" >/dev/null &&
	umoci unpack --image "$work/oci:bookworm" "$work/empty" >/dev/null 2>&1
# repack the real rootfs as the image's single gzip layer
rm -rf "$work/empty/rootfs" && mv "$work/bundle/rootfs" "$work/empty/rootfs"
if umoci repack --image "$work/oci:bookworm" "$work/empty" >/dev/null 2>&1 &&
	skopeo copy -q "oci:$work/oci:bookworm" \
		"docker-archive:$work/bookworm.tar:debian:bookworm" >/dev/null; then
	ok "umoci and skopeo packed the rootfs"
else
	not_ok "umoci and skopeo packed the rootfs"
fi
rootfs=$work/empty/rootfs

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
