#!/usr/bin/env bash
# Time `customs inspect --files -o json` on the benchmark images against the
# floor (igzip -dc over the same layer blobs, one after another) and against
# tar -xzf of the layers into a tmpfs; measure customs' peak RSS on the large
# image and on the one with twice the data.  All in one run.
#
#   bench/inspect.sh [CUSTOMS_BINARY]
#
# CUSTOMS_BINARY defaults to build/tools/customs/customs under the repository
# root.  The images come from bench/build-image.sh, in
# ${CUSTOMS_BENCH_DIR:-$HOME/.cache/customs-bench}.
#
# Environment:
#   CUSTOMS_BENCH_DIR    where build-image.sh left the images
#   CUSTOMS_BENCH_RUNS   runs per measurement (default 5)
#   CUSTOMS_BENCH_RESULTS  directory for the hyperfine JSON and the table
#                        (default: a new directory under $CUSTOMS_BENCH_DIR/results)
#
# If the customs binary is missing or cannot inspect the image, only the floor
# and tar are measured.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
CUSTOMS=${1:-$ROOT/build/tools/customs/customs}
DIR=${CUSTOMS_BENCH_DIR:-$HOME/.cache/customs-bench}
RUNS=${CUSTOMS_BENCH_RUNS:-5}
OCI=$DIR/oci

die() { printf 'inspect.sh: %s\n' "$*" >&2; exit 1; }
for t in hyperfine igzip python3 tar; do
	command -v "$t" >/dev/null || die "$t not found: run bench/build-image.sh (it installs the tools)"
done
[ -x /usr/bin/time ] || die "/usr/bin/time not found (package time)"
[ -f "$OCI/index.json" ] && [ -f "$DIR/large.tar" ] ||
	die "no images in $DIR: run bench/build-image.sh first"

RES=${CUSTOMS_BENCH_RESULTS:-$DIR/results/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$RES"
TMP=$(mktemp -d)
MNT=""
cleanup() {
	if [ -n "$MNT" ] && mountpoint -q "$MNT"; then umount "$MNT" || true; fi
	rm -rf "$TMP"
}
trap cleanup EXIT

# Layer blob paths of an OCI tag, in order, one a line.
blobs() {
	python3 - "$OCI" "$1" <<'EOF'
import json, os, sys
oci, tag = sys.argv[1], sys.argv[2]
def blob(d):
    a, h = d.split(":", 1)
    return os.path.join(oci, "blobs", a, h)
idx = json.load(open(os.path.join(oci, "index.json")))
for m in idx["manifests"]:
    if m.get("annotations", {}).get("org.opencontainers.image.ref.name") == tag:
        for l in json.load(open(blob(m["digest"])))["layers"]:
            print(blob(l["digest"]))
        break
else:
    sys.exit(f"no tag {tag} in {oci}")
EOF
}
mapfile -t L1 < <(blobs large)
mapfile -t L2 < <(blobs large2x)
uncompressed() { local n=0 b; for b in "$@"; do n=$((n + $(igzip -dc "$b" | wc -c))); done; echo $n; }

# The commands, as small scripts so that hyperfine runs them without a shell
# of its own and the tables show short names.
{
	echo 'for b in "$@"; do igzip -dc "$b" >/dev/null || exit 1; done'
} >"$TMP/floor.sh"
{
	echo 'dest=$1; shift'
	echo 'for b in "$@"; do tar -xzf "$b" -C "$dest" || exit 1; done'
} >"$TMP/tar.sh"
echo 'rm -rf "$1" && mkdir "$1"' >"$TMP/clean.sh"

# A tmpfs for tar -xzf: mount one, or fall back to /dev/shm.
if mkdir -p "$TMP/mnt" && mount -t tmpfs -o size=90% tmpfs "$TMP/mnt" 2>/dev/null; then
	MNT=$TMP/mnt
	TMPFS=$MNT
else
	TMPFS=$(mktemp -d /dev/shm/customs-bench.XXXXXX)
	trap 'cleanup; rm -rf "$TMPFS"' EXIT
fi

echo "images: $DIR" >&2
echo "customs: $CUSTOMS" >&2
echo "results: $RES" >&2

# Is customs able to inspect the image?
HAVE_CUSTOMS=0
if [ -x "$CUSTOMS" ]; then
	if "$CUSTOMS" inspect --files -o json "oci:$OCI:large" >"$TMP/out.json" 2>"$TMP/err.txt"; then
		HAVE_CUSTOMS=1
		printf 'customs output: %s bytes of JSON\n' "$(wc -c <"$TMP/out.json")" >&2
	else
		echo "customs cannot inspect the image yet (floor and tar only):" >&2
		head -5 "$TMP/err.txt" >&2
	fi
else
	echo "no customs binary at $CUSTOMS (floor and tar only)" >&2
fi
rm -f "$TMP/out.json"

# Warm the page cache: one untimed read of everything.
cat "${L1[@]}" "${L2[@]}" "$DIR/large.tar" >/dev/null

names=(floor tar)
cmds=("sh $TMP/floor.sh ${L1[*]}" "sh $TMP/tar.sh $TMPFS/x ${L1[*]}")
preps=(true "sh $TMP/clean.sh $TMPFS/x")
if [ $HAVE_CUSTOMS = 1 ]; then
	names+=(customs-oci customs-docker-archive)
	cmds+=("$CUSTOMS inspect --files -o json oci:$OCI:large"
		"$CUSTOMS inspect --files -o json docker-archive:$DIR/large.tar")
	preps+=(true true)
fi
hf=(hyperfine -N --runs "$RUNS" --export-json "$RES/time.json" --style basic)
for i in "${!cmds[@]}"; do
	hf+=(--command-name "${names[$i]}" --prepare "${preps[$i]}" "${cmds[$i]}")
done
"${hf[@]}" >&2
rm -rf "${TMPFS:?}/x"

# Peak RSS (and wall time) of customs on both images, and the floor of the
# 2x image for scale.
# rss_runs NAME TARGET: wall time and peak RSS of $RUNS inspects, a line each.
rss_runs() {
	: >"$RES/rss-$1.txt"
	for _ in $(seq "$RUNS"); do
		/usr/bin/time -f '%e %M' -o "$TMP/t" \
			"$CUSTOMS" inspect --files -o json "$2" >/dev/null
		tail -1 "$TMP/t" >>"$RES/rss-$1.txt"
	done
}
if [ $HAVE_CUSTOMS = 1 ]; then
	for tag in large large2x; do
		rss_runs "$tag" "oci:$OCI:$tag"
	done
fi
# Memory against bytes alone: one layer of 4 files, then the same 4 files
# at twice the size (2 GiB and 4 GiB). The peak must not move.
BIG=$DIR/big
for spec in "big2g 512" "big4g 1024"; do
	set -- $spec
	[ -f "$BIG/$1.done" ] || { rm -rf "${BIG:?}/$1" && python3 "$HERE/mkbig.py" "$BIG/$1" "$1" 4 "$2" && touch "$BIG/$1.done"; }
done
if [ $HAVE_CUSTOMS = 1 ]; then
	for tag in big2g big4g; do
		rss_runs "$tag" "oci:$BIG/$tag:$tag"
	done
fi
hyperfine -N --runs "$RUNS" --export-json "$RES/floor2x.json" --style basic \
	--command-name floor-2x "sh $TMP/floor.sh ${L2[*]}" >&2

U1=$(uncompressed "${L1[@]}")
U2=$(uncompressed "${L2[@]}")

python3 - "$RES" "$HAVE_CUSTOMS" "$U1" "$U2" "${#L1[@]}" "${#L2[@]}" <<'EOF' | tee "$RES/table.md"
import json, os, statistics, sys
res, have, u1, u2, n1, n2 = sys.argv[1], sys.argv[2] == "1", int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]
t = {r["command"]: r for r in json.load(open(os.path.join(res, "time.json")))["results"]}
f2 = json.load(open(os.path.join(res, "floor2x.json")))["results"][0]
floor = t["floor"]["median"]
print(f"large image: {n1} gzip layers, {u1/1e9:.2f} GB uncompressed; "
      f"large2x: {n2} layers, {u2/1e9:.2f} GB; {len(t['floor']['times'])} runs each, medians\n")
print("| tool | median s | min s | max s | x floor | MB/s (uncompressed) |")
print("|---|---:|---:|---:|---:|---:|")
labels = {
    "floor": "igzip -dc (floor)",
    "tar": "tar -xzf into tmpfs",
    "customs-oci": "customs inspect --files -o json oci:",
    "customs-docker-archive": "customs inspect --files -o json docker-archive: (layers uncompressed)",
}
for k in ["floor", "customs-oci", "customs-docker-archive", "tar"]:
    if k not in t:
        continue
    r = t[k]
    print(f"| {labels[k]} | {r['median']:.2f} | {r['min']:.2f} | {r['max']:.2f} | "
          f"{r['median']/floor:.2f} | {u1/r['median']/1e6:.0f} |")
print()
if have:
    print("| image | uncompressed GB | customs peak RSS MiB (median) | customs median s | floor median s | x floor |")
    print("|---|---:|---:|---:|---:|---:|")
    for tag, u, fl in (("large", u1, floor), ("large2x", u2, f2["median"])):
        rows = [l.split() for l in open(os.path.join(res, f"rss-{tag}.txt")) if l.strip()]
        rss = statistics.median(int(r[1]) for r in rows) / 1024
        wall = statistics.median(float(r[0]) for r in rows)
        print(f"| {tag} | {u/1e9:.2f} | {rss:.1f} | {wall:.2f} | {fl:.2f} | {wall/fl:.2f} |")
    print()
    print("| image (one layer, 4 files) | file bytes | customs peak RSS MiB (median) | customs median s |")
    print("|---|---:|---:|---:|")
    for tag, gib in (("big2g", 2), ("big4g", 4)):
        rows = [l.split() for l in open(os.path.join(res, f"rss-{tag}.txt")) if l.strip()]
        rss = statistics.median(int(r[1]) for r in rows) / 1024
        wall = statistics.median(float(r[0]) for r in rows)
        print(f"| {tag} | {gib} GiB | {rss:.1f} | {wall:.2f} |")
else:
    print(f"floor on large2x: {f2['median']:.2f} s (customs not measured)")
EOF
