#!/usr/bin/env bash
# customs sbom of the large benchmark image pulled from a local registry,
# against the same image's docker-archive (layers uncompressed), its OCI
# layout (the same gzip blobs the registry serves, read from disk) and
# `skopeo copy` of it to an OCI directory: wall time (medians of N runs, interleaved so machine
# noise hits every command alike) and the ratios of issue 7's targets:
#
#   registry (cold cache) <= 1.2x docker-archive, <= skopeo copy
#   registry (warm cache) <= 1.1x docker-archive
#
#   bench/registry.sh [CUSTOMS_BINARY]
#
# The image comes from bench/build-image.sh (the OCI layout, tag `large`,
# and large.tar) in ${CUSTOMS_BENCH_DIR:-$HOME/.cache/customs-bench}. It
# is pushed once (gzip layers as in the OCI layout, blobs unchanged) to
# Debian's docker-registry started here on 127.0.0.1 and stopped at the
# end. The cold-cache runs use a fresh --cache-dir on the same disk: they
# scan each layer while it downloads and write it decompressed to the
# cache. The warm-cache runs reuse a cache filled once before timing,
# which holds the layers decompressed under their diffIDs, so they read
# plain tars as docker-archive does. The oci-layout column is the fair
# reference for the cold pull (the same gzip blobs, read from disk); the
# docker-archive column is the one for the warm pull (the same
# uncompressed tars). The registry-nocache runs pull cold with --no-cache,
# which writes no decompressed copy: what an ephemeral CI runner pays.
# The disk the cache takes is printed at the end.
#
# Environment:
#   CUSTOMS_BENCH_DIR      where build-image.sh left the images
#   CUSTOMS_BENCH_RUNS     runs per command (default 5)
#   CUSTOMS_BENCH_IMAGE    tag to measure (default large)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
CUSTOMS=${1:-$ROOT/build/tools/customs/customs}
DIR=${CUSTOMS_BENCH_DIR:-$HOME/.cache/customs-bench}
RUNS=${CUSTOMS_BENCH_RUNS:-5}
TAG=${CUSTOMS_BENCH_IMAGE:-large}

die() { printf 'registry.sh: %s\n' "$*" >&2; exit 1; }
for t in docker-registry skopeo python3; do
	command -v "$t" >/dev/null || die "$t not found (scripts/bootstrap installs it)"
done
[ -x /usr/bin/time ] || die "/usr/bin/time not found (package time)"
[ -x "$CUSTOMS" ] || die "no customs binary at $CUSTOMS"
[ -f "$DIR/oci/index.json" ] && [ -f "$DIR/$TAG.tar" ] ||
	die "no images in $DIR: run bench/build-image.sh first"

WORK=$(mktemp -d "$DIR/registry-bench.XXXXXX")
REG_PID=
cleanup() {
	if [ -n "$REG_PID" ]; then kill "$REG_PID" 2>/dev/null; wait "$REG_PID" 2>/dev/null || true; fi
	rm -rf "$WORK"
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
REG=127.0.0.1:$PORT
cat >"$WORK/config.yml" <<EOF
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage:
  filesystem: {rootdirectory: $WORK/data}
http: {addr: $REG, secret: customs-bench}
EOF
docker-registry serve "$WORK/config.yml" >"$WORK/registry.log" 2>&1 &
REG_PID=$!
for _ in $(seq 1 100); do
	curl -fs "http://$REG/v2/" >/dev/null 2>&1 && break
	sleep 0.1
done
echo "pushing oci:$DIR/oci:$TAG to $REG/bench/$TAG:1" >&2
skopeo --insecure-policy copy -q --dest-tls-verify=false \
	"oci:$DIR/oci:$TAG" "docker://$REG/bench/$TAG:1"
REF=registry:$REG/bench/$TAG:1
"$CUSTOMS" sbom -o json --cache-dir "$WORK/warm" "$REF" >/dev/null 2>&1 ||
	die "customs sbom $REF failed"

names=(registry-cold registry-nocache registry-warm docker-archive oci-layout skopeo-copy)
run_one() {
	case $1 in
	registry-cold)
		rm -rf "$WORK/cold"
		set -- "$CUSTOMS" sbom -o json --cache-dir "$WORK/cold" "$REF" ;;
	registry-nocache) set -- "$CUSTOMS" sbom -o json --no-cache "$REF" ;;
	registry-warm) set -- "$CUSTOMS" sbom -o json --cache-dir "$WORK/warm" "$REF" ;;
	docker-archive) set -- "$CUSTOMS" sbom -o json "docker-archive:$DIR/$TAG.tar" ;;
	oci-layout) set -- "$CUSTOMS" sbom -o json "oci:$DIR/oci:$TAG" ;;
	skopeo-copy)
		rm -rf "$WORK/copy"
		set -- skopeo --insecure-policy copy -q --src-tls-verify=false \
			"docker://$REG/bench/$TAG:1" "oci:$WORK/copy:$TAG" ;;
	esac
	sync
	/usr/bin/time -f '%e %U %S %M' -o "$WORK/time" "$@" >/dev/null 2>"$WORK/err" ||
		{ cat "$WORK/err" >&2; die "$* failed"; }
}
: >"$WORK/times.txt"
for ((i = 1; i <= RUNS; i++)); do
	for n in "${names[@]}"; do
		run_one "$n"
		printf '%s %s\n' "$n" "$(cat "$WORK/time")" >>"$WORK/times.txt"
	done
	echo "run $i of $RUNS done" >&2
done
rm -rf "$WORK/cold" "$WORK/copy"
blobs=$(du -sb "$WORK/data" | cut -f1)
cache=$(du -sb "$WORK/warm" | cut -f1)

python3 - "$WORK/times.txt" "$blobs" "$cache" <<'PY'
import statistics, sys
t = {}
for line in open(sys.argv[1]):
    n, wall, user, sys_, rss = line.split()
    t.setdefault(n, []).append((float(wall), float(user) + float(sys_), int(rss)))
med = {n: statistics.median(w for w, _, _ in v) for n, v in t.items()}
print("| command | wall s (median) | cpu s (median) | max RSS MiB |")
print("|---|---|---|---|")
for n, v in t.items():
    print("| %s | %.2f | %.2f | %.0f |" % (n, med[n], statistics.median(c for _, c, _ in v),
                                        max(r for _, _, r in v) / 1024))
print()
print("registry-cold / docker-archive = %.2fx (target <= 1.2x)" % (med["registry-cold"] / med["docker-archive"]))
print("registry-cold / skopeo-copy    = %.2fx (target <= 1.0x)" % (med["registry-cold"] / med["skopeo-copy"]))
print("registry-warm / docker-archive = %.2fx (target <= 1.1x)" % (med["registry-warm"] / med["docker-archive"]))
print("registry-cold / oci-layout     = %.2fx (same gzip blobs, read from disk)" % (med["registry-cold"] / med["oci-layout"]))
print("registry-warm / oci-layout     = %.2fx" % (med["registry-warm"] / med["oci-layout"]))
print("registry-nocache / oci-layout  = %.2fx (cold, --no-cache: no decompressed copy written)" % (med["registry-nocache"] / med["oci-layout"]))
print("registry-nocache / docker-archive = %.2fx" % (med["registry-nocache"] / med["docker-archive"]))
print("cache on disk: %.2f GB for %.2f GB of registry blobs (%.1fx)" % (
    int(sys.argv[3]) / 1e9, int(sys.argv[2]) / 1e9, int(sys.argv[3]) / int(sys.argv[2])))
PY
