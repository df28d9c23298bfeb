# bookworm.sh: the Debian bookworm minbase image the integration tests
# share. debootstrap runs once per machine; its rootfs is cached as a
# tarball (CUSTOMS_TEST_CACHE, default ~/.cache/customs-tests), built
# under a lock so tests running in parallel build it once.
#
# Source it from a test script (bash), then:
#   bookworm_check TOOL...    0 when slow tests are allowed, we are root and
#                             every TOOL (plus debootstrap and umoci) is
#                             installed; else 1 with the reason in BW_SKIP
#   bookworm_tarball WORK     set BW_TARBALL, building it on first use; 1
#                             with the reason in BW_SKIP when debootstrap
#                             fails (e.g. no mirror reachable), 2 when the
#                             tarball could not be written
#   bookworm_oci WORK         unpack the tarball into BW_ROOTFS and pack it
#                             as the single gzip layer of BW_OCI
#                             ("oci:WORK/oci:bookworm"); non-zero when
#                             umoci fails

bookworm_check() {
	local tool
	BW_SKIP=
	if [ -n "${CUSTOMS_SKIP_SLOW:-}" ]; then
		BW_SKIP="slow integration test (CUSTOMS_SKIP_SLOW set)"
		return 1
	fi
	for tool in debootstrap umoci "$@"; do
		if ! command -v "$tool" >/dev/null; then
			BW_SKIP="$tool is not installed"
			return 1
		fi
	done
	if [ "$(id -u)" != 0 ]; then
		BW_SKIP="debootstrap needs root"
		return 1
	fi
}

bookworm_mirror() {
	# The mirror apt already uses: no host name is written into the repo.
	local m
	m=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null)
	[ -n "$m" ] || m=$(awk '$1 == "deb" {print $2; exit}' /etc/apt/sources.list 2>/dev/null)
	echo "$m"
}

bookworm_tarball() {
	local work=$1 cache rc=0
	cache=${CUSTOMS_TEST_CACHE:-${XDG_CACHE_HOME:-${HOME:-/var/tmp}/.cache}/customs-tests}
	BW_TARBALL=$cache/bookworm-minbase.tar
	mkdir -p "$cache" "$work"
	(
		flock 9
		[ -s "$BW_TARBALL" ] && exit 0
		rm -rf "$work/build"
		if ! debootstrap --variant=minbase bookworm "$work/build" \
			"$(bookworm_mirror)" >"$work/debootstrap.log" 2>&1; then
			rm -rf "$work/build"
			exit 3
		fi
		tar --numeric-owner --xattrs -C "$work/build" -cpf "$BW_TARBALL.tmp" . &&
			mv "$BW_TARBALL.tmp" "$BW_TARBALL"
		rc=$?
		rm -rf "$work/build"
		exit $rc
	) 9>"$cache/bookworm.lock" || rc=$?
	BW_SKIP=
	if [ "$rc" -eq 3 ]; then
		BW_SKIP="debootstrap failed (no mirror reachable?): $(tail -n 1 "$work/debootstrap.log")"
		return 1
	fi
	[ "$rc" -eq 0 ] && [ -s "$BW_TARBALL" ] || return 2
}

bookworm_oci() {
	local work=$1
	rm -rf "$work/bundle" "$work/empty" "$work/oci"
	mkdir -p "$work/bundle/rootfs"
	tar --numeric-owner -C "$work/bundle/rootfs" -xpf "$BW_TARBALL" || return 1
	BW_ROOTFS=$work/empty/rootfs
	BW_OCI=oci:$work/oci:bookworm
	umoci init --layout "$work/oci" >/dev/null &&
		umoci new --image "$work/oci:bookworm" >/dev/null &&
		umoci unpack --image "$work/oci:bookworm" "$work/empty" >/dev/null 2>&1 || return 1
	# repack the real rootfs as the image's single gzip layer
	rm -rf "$work/empty/rootfs" && mv "$work/bundle/rootfs" "$BW_ROOTFS" &&
		umoci repack --image "$work/oci:bookworm" "$work/empty" >/dev/null 2>&1
}
