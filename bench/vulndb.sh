#!/bin/bash
# bench/vulndb.sh: how long `customs db import` takes (not a test).
#
#   1. every feed of shared/vulndata into a fresh database: all OSV,
#      Alpine and NVD files, and one file per snapshot source (Debian
#      tracker sample, KEV catalogue, EPSS);
#   2. an incremental import of 1,000 changed OSV records (modified
#      bumped, one fixed version changed) into a copy of that database.
#
# Prints each run and the median of RUNS (default 5). Target: fresh
# import <= 15 s, incremental <= 2 s.
#
# usage: bench/vulndb.sh [CUSTOMS_BINARY]   (default: a release build in
#        build-bench/, configured and built when missing)
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
data=${VULNDATA:-$here/../shared/vulndata}
runs=${RUNS:-5}
bin=${1:-}
if [ -z "$bin" ]; then
	if [ ! -d "$here/build-bench" ]; then
		meson setup "$here/build-bench" "$here" --buildtype=release \
			-Dtests=false >/dev/null
	fi
	ninja -C "$here/build-bench" tools/customs/customs >/dev/null
	bin=$here/build-bench/tools/customs/customs
fi
[ -d "$data" ] || { echo "no vulnerability data at $data" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

median() {
	sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# seconds CMD...: wall time of CMD in seconds
seconds() {
	local t0 t1
	t0=$(date +%s.%N)
	"$@" >/dev/null 2>"$tmp/stderr" || { cat "$tmp/stderr" >&2; exit 1; }
	t1=$(date +%s.%N)
	echo "$t1 - $t0" | bc
}

python3 - "$data/osv" "$tmp/changed.jsonl" <<'PY'
import gzip, json, sys, os
src, out = sys.argv[1], sys.argv[2]
n = 0
with open(out, "w") as f:
    for name in ("pypi.jsonl.gz", "go.jsonl.gz", "almalinux.jsonl.gz"):
        for line in gzip.open(os.path.join(src, name), "rt"):
            r = json.loads(line)
            fixed = None
            for a in r.get("affected", []):
                for rg in a.get("ranges", []):
                    for ev in rg.get("events", []):
                        if "fixed" in ev and rg.get("type") != "GIT":
                            fixed = ev
                            break
            if not fixed or r.get("withdrawn"):
                continue
            fixed["fixed"] += ".1"
            r["modified"] = "2030-01-01T00:00:00Z"
            f.write(json.dumps(r, separators=(",", ":")) + "\n")
            n += 1
            if n == 1000:
                break
        if n == 1000:
            break
PY

# every file but the deliberately malformed fixtures (an EPSS file with a
# bad header is refused, and a refused input fails the whole import)
# (one file per snapshot source: a second Debian tracker or KEV file
# would replace the first, and the KEV schema is no catalogue)
files=("$data"/osv "$data"/debian/bookworm-tracker-sample.json
	"$data"/alpine "$data"/nvd
	"$data"/kev/known_exploited_vulnerabilities.json
	"$data"/epss/vunnel-example-1.csv)
echo "fresh import of $data (every feed; $runs runs)"
for i in $(seq "$runs"); do
	rm -f "$tmp/fresh.db"
	s=$(seconds "$bin" db import --fresh -q --db "$tmp/fresh.db" "${files[@]}")
	echo "  run $i: $s s"
	echo "$s" >>"$tmp/fresh.times"
done
grep -E '^read|^database' "$tmp/stderr" | sed 's/^/  /'
echo "  median: $(median <"$tmp/fresh.times") s (target 15 s)"
ls -l "$tmp/fresh.db" | awk '{ printf "  database size: %.1f MB\n", $5 / 1e6 }'

echo "incremental import of 1,000 changed records ($runs runs)"
for i in $(seq "$runs"); do
	cp "$tmp/fresh.db" "$tmp/incr.db"
	s=$(seconds "$bin" db import -q --db "$tmp/incr.db" "$tmp/changed.jsonl")
	echo "  run $i: $s s"
	echo "$s" >>"$tmp/incr.times"
done
echo "  median: $(median <"$tmp/incr.times") s (target 2 s)"
