#!/usr/bin/env bash
# customs scan benchmarks (not tests; they print figures):
#   1. matching time for 1,000 packages against a database holding all of
#      shared/vulndata (OSV, Debian, Alpine, NVD, KEV, EPSS), from the
#      --timing line (database open and SBOM reading excluded). Target:
#      <= 50 ms.
#   2. a full `customs scan` of the large benchmark image against
#      `customs sbom` on it (wall time, medians of N interleaved runs).
#      Target: scan <= 1.2x sbom.
#
#   bench/scan.sh [CUSTOMS_BINARY]
#
# The images come from bench/build-image.sh in
# ${CUSTOMS_BENCH_DIR:-$HOME/.cache/customs-bench}; the vulnerability data
# from ../shared/vulndata beside the repository (CUSTOMS_VULNDATA). The
# database is built once into $CUSTOMS_BENCH_DIR/scan-bench.db.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
CUSTOMS=${1:-$ROOT/build/tools/customs/customs}
DIR=${CUSTOMS_BENCH_DIR:-$HOME/.cache/customs-bench}
RUNS=${CUSTOMS_BENCH_RUNS:-5}
TAG=${CUSTOMS_BENCH_IMAGE:-large}
DATA=${CUSTOMS_VULNDATA:-$ROOT/../shared/vulndata}
DB=$DIR/scan-bench.db
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

die() { printf 'scan.sh: %s\n' "$*" >&2; exit 1; }
[ -x "$CUSTOMS" ] || die "no customs binary at $CUSTOMS"
[ -f "$DIR/oci/index.json" ] || die "no images in $DIR: run bench/build-image.sh first"
[ -d "$DATA/osv" ] || die "no vulnerability data at $DATA"

median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

if [ ! -s "$DB" ]; then
	echo "building $DB from $DATA" >&2
	"$CUSTOMS" db import -q --fresh --db "$DB" "$DATA/osv" \
		"$DATA/debian/bookworm-tracker-sample.json" "$DATA/alpine" \
		"$DATA/nvd/vunnel-nvd-2.0-page.json" "$DATA/nvd/osvdev-nvd-2.0-responses.jsonl.gz" \
		"$DATA/kev/known_exploited_vulnerabilities.json" "$DATA/epss/vunnel-example-1.csv"
fi

# 1. matching 1,000 packages: the first 1,000 of the image's SBOM
"$CUSTOMS" sbom -o json="$WORK/full.json" "oci:$DIR/oci:$TAG" 2>/dev/null
python3 - "$WORK/full.json" "$WORK/1000.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
pk = d["packages"] if "packages" in d else d["artifacts"]
print("SBOM of the image: %d packages" % len(pk), file=sys.stderr)
n = 1000
while len(pk) < n:            # pad with copies (new ids) if the image has fewer
    pk = pk + [dict(p, id="%s-%d" % (p["id"], len(pk))) for p in pk[: n - len(pk)]]
d["packages" if "packages" in d else "artifacts"] = pk[:n]
json.dump(d, open(sys.argv[2], "w"))
PY
for i in $(seq "$RUNS"); do
	"$CUSTOMS" scan --db "$DB" --timing -o json=/dev/null "$WORK/1000.json" 2>&1 >/dev/null |
		sed -n 's/.*matched [0-9]* packages in \([0-9.]*\) ms (\([0-9.]*\) ms CPU)/\1 \2/p'
done >"$WORK/match.ms"
printf 'match 1000 packages: median %s ms wall, %s ms CPU\n' \
	"$(cut -d' ' -f1 <"$WORK/match.ms" | median)" "$(cut -d' ' -f2 <"$WORK/match.ms" | median)"

# 2. full scan vs sbom on the image, interleaved
for i in $(seq "$RUNS"); do
	for c in sbom scan; do
		s=$(date +%s.%N)
		if [ "$c" = sbom ]; then
			"$CUSTOMS" sbom -o json=/dev/null "oci:$DIR/oci:$TAG" 2>/dev/null
		else
			"$CUSTOMS" scan --db "$DB" -o json=/dev/null "oci:$DIR/oci:$TAG" 2>/dev/null
		fi
		e=$(date +%s.%N)
		echo "$e - $s" | bc >>"$WORK/$c.s"
	done
done
sb=$(median <"$WORK/sbom.s")
sc=$(median <"$WORK/scan.s")
printf 'customs sbom %s: median %.2f s\ncustoms scan %s: median %.2f s\nratio scan/sbom: %.3f\n' \
	"$TAG" "$sb" "$TAG" "$sc" "$(echo "$sc / $sb" | bc -l)"
