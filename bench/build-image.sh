#!/usr/bin/env bash
# Build the customs benchmark images once and cache them.
#
#   bench/build-image.sh [OUTDIR]
#
# OUTDIR defaults to ${CUSTOMS_BENCH_DIR:-$HOME/.cache/customs-bench}.  Needs
# root (debootstrap, chroot) and a Debian 12 machine with access to a Debian
# mirror and the npm registry.  Everything already built is skipped, so the
# script is cheap to run again.
#
# Outputs, in OUTDIR:
#   oci/                  OCI image layout with two tags:
#     large               4 gzip layers: Debian bookworm base system, the JDK
#                         (/usr/lib/jvm), the Go toolchain (/usr/lib/go-*,
#                         /usr/share/go-*), a node app (/app, node_modules)
#     large2x             the same 4 layers, each also holding a second copy
#                         of its tree under /copy2/: twice the bytes and files
#                         per layer and in all
#   large.tar             docker-archive of large   (bench/large:1)
#   large2x.tar           docker-archive of large2x (bench/large2x:1)
#   sizes.txt             per-layer sizes and file counts of both images
#
# Environment:
#   CUSTOMS_BENCH_DIR     default OUTDIR
#   CUSTOMS_BENCH_MIRROR  Debian mirror for debootstrap (default: the first
#                         mirror in this machine's apt sources)
#   CUSTOMS_BENCH_KEEP_WORK=1  keep OUTDIR/work (rootfs and umoci bundles)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=${1:-${CUSTOMS_BENCH_DIR:-$HOME/.cache/customs-bench}}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WORK=$OUT/work
OCI=$OUT/oci
SUITE=bookworm

# Packages for a realistic "build" image: compilers, a JDK, Go, Python, Perl,
# the usual command-line tools and some -dev libraries.
PACKAGES=(
	openjdk-17-jdk-headless golang-go
	python3 python3-pip python3-venv python3-dev python3-numpy
	perl build-essential gdb cmake pkg-config autoconf automake libtool
	# debootstrap does not resolve virtual packages: gdb needs
	# libboost-regex1.74.0-icu72, which libboost-regex1.74.0 provides.
	libboost-regex1.74.0
	git curl wget ca-certificates gnupg openssh-client
	vim less procps file jq rsync sudo unzip zip xz-utils bzip2
	iproute2 iputils-ping netbase locales tzdata
	libssl-dev zlib1g-dev libffi-dev libsqlite3-dev libpq-dev
	libcurl4-openssl-dev libxml2-dev libyaml-dev libreadline-dev
)

log() { printf '\n== %s\n' "$*" >&2; }
die() { printf 'build-image.sh: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap)"

# --- tools -----------------------------------------------------------------
need_pkgs=()
need() { command -v "$1" >/dev/null 2>&1 || need_pkgs+=("$2"); }
need debootstrap debootstrap
need umoci umoci
need skopeo skopeo
need igzip isal
[ -x /usr/bin/time ] || need_pkgs+=(time)
need hyperfine hyperfine
need jq jq
need python3 python3
need npm npm
need node nodejs
if [ ${#need_pkgs[@]} -gt 0 ]; then
	log "apt-get install ${need_pkgs[*]}"
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need_pkgs[@]}"
fi

# --- mirror ----------------------------------------------------------------
mirror() {
	local m=""
	if [ -n "${CUSTOMS_BENCH_MIRROR:-}" ]; then
		echo "$CUSTOMS_BENCH_MIRROR"; return
	fi
	if [ -r /etc/apt/sources.list.d/debian.sources ]; then
		m=$(awk '$1 == "URIs:" { print $2; exit }' /etc/apt/sources.list.d/debian.sources)
	fi
	if [ -z "$m" ] && [ -r /etc/apt/sources.list ]; then
		m=$(sed -e 's/\[[^]]*\]//' /etc/apt/sources.list |
			awk '$1 == "deb" { print $2; exit }')
	fi
	[ -n "$m" ] || die "no Debian mirror found in the apt sources; set CUSTOMS_BENCH_MIRROR"
	echo "$m"
}

# Unmount anything left mounted below $1 (debootstrap mounts /proc, /sys...).
unmount_below() {
	local dir=$1 t
	for _ in 1 2 3; do
		t=$(findmnt -rn -o TARGET | awk -v d="$dir/" 'index($0 "/", d) == 1' | sort -r)
		[ -z "$t" ] && return 0
		while read -r m; do umount -l "$m" || true; done <<<"$t"
	done
	t=$(findmnt -rn -o TARGET | awk -v d="$dir/" 'index($0 "/", d) == 1')
	[ -z "$t" ] || die "still mounted below $dir: $t"
}

have_tag() { [ -f "$OCI/index.json" ] && jq -e --arg t "$1" \
	'.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $t)' \
	"$OCI/index.json" >/dev/null; }

ROOTFS=$WORK/rootfs

build_rootfs() {
	if [ -f "$WORK/rootfs.done" ]; then return; fi
	mkdir -p "$WORK"
	if [ ! -f "$WORK/debootstrap.done" ]; then
		if [ -e "$ROOTFS" ]; then
			unmount_below "$ROOTFS"
			rm -rf --one-file-system "$ROOTFS"
		fi
		local m
		m=$(mirror)
		log "debootstrap $SUITE from $m (${#PACKAGES[@]} extra packages)"
		local inc
		inc=$(IFS=,; echo "${PACKAGES[*]}")
		# Keep the downloaded packages outside the rootfs, for a second try.
		mkdir -p "$WORK/debs"
		debootstrap --variant=minbase --cache-dir="$WORK/debs" \
			--include="$inc" "$SUITE" "$ROOTFS" "$m"
		unmount_below "$ROOTFS"
		touch "$WORK/debootstrap.done"
	fi
	unmount_below "$ROOTFS"

	if [ ! -f "$WORK/npm.done" ]; then
		log "npm: node_modules into /app"
		rm -rf "$ROOTFS/app"
		mkdir -p "$ROOTFS/app"
		# The top-level versions are pinned; the lock file pins the rest as
		# far as npm install follows it (npm ci rejects locks that lack the
		# optional packages of other platforms, as npm writes them).
		cp "$HERE/node-app/package.json" "$HERE/node-app/package-lock.json" "$ROOTFS/app/"
		(cd "$ROOTFS/app" && npm install --no-audit --no-fund --ignore-scripts)
		touch "$WORK/npm.done"
	fi

	log "cleaning the rootfs (apt caches, /dev, /proc, /sys, /tmp)"
	local r=${ROOTFS:?}
	rm -rf --one-file-system "$r"/var/cache/apt/archives/*.deb "$r"/var/cache/apt/*.bin \
		"$r"/var/lib/apt/lists/* "$r"/dev/* "$r"/proc/* \
		"$r"/sys/* "$r"/tmp/* "$r"/var/tmp/* \
		"$r"/debootstrap "$r"/root/.npm
	touch "$WORK/rootfs.done"
}

# Layers: name and the paths (relative to /) that go into it; the first layer
# is everything else.
LAYER_NAMES=(base jdk go app)
layer_paths() {
	case $1 in
	jdk) echo usr/lib/jvm ;;
	go) (cd "$ROOTFS_SRC" && ls -d usr/lib/go-* usr/share/go-* 2>/dev/null) ;;
	app) echo app ;;
	esac
}

# Build both tags with umoci unpack/repack (umoci insert of this version
# writes tar streams without the end-of-archive blocks).
build_images() {
	if have_tag large && have_tag large2x; then return; fi
	local B1=$WORK/bundle-large B2=$WORK/bundle-large2x
	local SPLIT=$WORK/split
	ROOTFS_SRC=$ROOTFS
	rm -rf "$OCI" "$B1" "$B2" "$SPLIT"
	# A failed earlier run may have moved trees out of the rootfs.
	[ -d "$ROOTFS" ] || die "$ROOTFS is gone: remove $WORK and run again"

	umoci init --layout "$OCI"
	umoci new --image "$OCI:large"
	umoci new --image "$OCI:large2x"
	umoci unpack --image "$OCI:large" "$B1"
	umoci unpack --image "$OCI:large2x" "$B2"

	# Move the trees of layers 2.. out of the rootfs; it becomes layer 1.
	local name p
	for name in "${LAYER_NAMES[@]:1}"; do
		for p in $(layer_paths "$name"); do
			mkdir -p "$SPLIT/$name/$(dirname "$p")"
			mv "$ROOTFS/$p" "$SPLIT/$name/$p"
		done
	done
	rmdir "$B1/rootfs"
	mv "$ROOTFS" "$B1/rootfs"
	ROOTFS_SRC=$SPLIT

	local hist=(--history.author customs-bench)
	for name in "${LAYER_NAMES[@]}"; do
		local paths
		if [ "$name" = base ]; then
			paths=.
		else
			paths=$(cd "$SPLIT/$name" && ls -d usr/lib/* usr/share/* app 2>/dev/null || true)
			for p in $paths; do
				mkdir -p "$B1/rootfs/$(dirname "$p")"
				mv "$SPLIT/$name/$p" "$B1/rootfs/$p"
			done
		fi
		log "layer $name: large"
		umoci repack --refresh-bundle "${hist[@]}" --history.created_by "layer $name" \
			--image "$OCI:large" "$B1"
		log "layer $name: large2x (two copies)"
		for p in $paths; do
			mkdir -p "$B2/rootfs/$(dirname "$p")" "$B2/rootfs/copy2/$(dirname "$p")"
			if [ "$p" = . ]; then
				cp -a "$B1/rootfs/." "$B2/rootfs/"
				mkdir -p "$B2/rootfs/copy2"
				cp -a "$B1/rootfs/." "$B2/rootfs/copy2/"
			else
				cp -a "$B1/rootfs/$p" "$B2/rootfs/$p"
				cp -a "$B1/rootfs/$p" "$B2/rootfs/copy2/$p"
			fi
		done
		umoci repack --refresh-bundle "${hist[@]}" --history.created_by "layer $name x2" \
			--image "$OCI:large2x" "$B2"
	done
	umoci gc --layout "$OCI"
}

build_archives() {
	local t
	for t in large large2x; do
		if [ -f "$OUT/$t.tar" ]; then continue; fi
		log "docker-archive $t.tar"
		rm -f "$OUT/$t.tar.tmp"
		skopeo --insecure-policy copy "oci:$OCI:$t" "docker-archive:$OUT/$t.tar.tmp:bench/$t:1"
		mv "$OUT/$t.tar.tmp" "$OUT/$t.tar"
	done
}

sizes() {
	if [ -f "$OUT/sizes.txt" ]; then cat "$OUT/sizes.txt"; return; fi
	log "measuring layer sizes"
	python3 - "$OCI" >"$OUT/sizes.txt.tmp" <<'EOF'
import json, os, subprocess, sys, tarfile
oci = sys.argv[1]
def blob(d):
    a, h = d.split(":", 1)
    return os.path.join(oci, "blobs", a, h)
idx = json.load(open(os.path.join(oci, "index.json")))
for m in idx["manifests"]:
    tag = m.get("annotations", {}).get("org.opencontainers.image.ref.name", "?")
    man = json.load(open(blob(m["digest"])))
    print(f"image {tag}")
    print(f"  {'layer':>5} {'compressed':>14} {'tar bytes':>14} {'file bytes':>14} {'entries':>8} {'files':>8}")
    tot = [0] * 5
    for i, l in enumerate(man["layers"], 1):
        p = subprocess.Popen(["igzip", "-dc", blob(l["digest"])], stdout=subprocess.PIPE)
        n = nreg = fbytes = 0
        with tarfile.open(fileobj=p.stdout, mode="r|") as tf:
            for ti in tf:
                n += 1
                if ti.isreg():
                    nreg += 1
                    fbytes += ti.size
        # the rest of the stream (end-of-archive blocks) counts to the tar size
        p.stdout.read()
        p.wait()
        tarbytes = int(subprocess.run(f"igzip -dc '{blob(l['digest'])}' | wc -c",
                                      shell=True, capture_output=True, text=True).stdout)
        row = [l["size"], tarbytes, fbytes, n, nreg]
        tot = [a + b for a, b in zip(tot, row)]
        print(f"  {i:>5} {row[0]:>14,} {row[1]:>14,} {row[2]:>14,} {row[3]:>8,} {row[4]:>8,}")
    print(f"  {'all':>5} {tot[0]:>14,} {tot[1]:>14,} {tot[2]:>14,} {tot[3]:>8,} {tot[4]:>8,}")
EOF
	mv "$OUT/sizes.txt.tmp" "$OUT/sizes.txt"
	cat "$OUT/sizes.txt"
}

if ! { have_tag large && have_tag large2x; }; then
	build_rootfs
	build_images
fi
build_archives
sizes
ls -l "$OUT"/*.tar >&2
if [ "${CUSTOMS_BENCH_KEEP_WORK:-0}" != 1 ] && [ -d "$WORK" ]; then
	log "removing $WORK"
	unmount_below "$WORK"
	rm -rf --one-file-system "$WORK"
fi
echo "images: oci:$OCI:large oci:$OCI:large2x $OUT/large.tar $OUT/large2x.tar"
