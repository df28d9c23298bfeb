#!/bin/bash
# customs scan of a real Go binary in an OCI image: Debian's `age` (built
# with the Debian toolchain, go1.19.8) in a layer made with umoci, against
# the Go vulnerability database (shared/vulndata/osv/go.jsonl.gz) imported
# with `customs db import`. The expected advisories are computed here,
# without customs, from the OSV records: every non-withdrawn record whose
# "stdlib" SEMVER ranges hold the binary's toolchain version, as
# `go version -m` reports it. customs must report exactly that set for
# the stdlib package. Downloads are cached like t0370's. Prints TAP.
. "$(dirname "$0")/lib.sh"
require_customs

OSV=$CUSTOMS_SRCDIR/../shared/vulndata/osv
if [ ! -r "$OSV/go.jsonl.gz" ]; then
	echo "1..0 # SKIP shared vulnerability data not found ($OSV)"
	exit 0
fi
for t in umoci go dpkg-deb; do
	command -v "$t" >/dev/null || {
		echo "1..0 # SKIP $t is not installed"
		exit 0
	}
done
cache=${CUSTOMS_TEST_CACHE:-${XDG_CACHE_HOME:-${HOME:-/var/tmp}/.cache}/customs-tests}
mkdir -p "$cache/debs"
deb=$(ls "$cache/debs/age_"*.deb 2>/dev/null | tail -n 1)
if [ -z "$deb" ]; then
	(cd "$cache/debs" && apt-get download age) >"$T_DIR/apt.log" 2>&1
	deb=$(ls "$cache/debs/age_"*.deb 2>/dev/null | tail -n 1)
fi
if [ -z "$deb" ]; then
	echo "1..0 # SKIP age: not cached and apt-get download failed: $(tail -n 1 "$T_DIR/apt.log")"
	exit 0
fi

dpkg-deb -x "$deb" "$T_DIR/age"
gov=$(go version -m "$T_DIR/age/usr/bin/age" | head -n 1 | awk '{print $2}')
oci=$T_DIR/img
check "an OCI image holding the Go binary (umoci)" sh -c '
	umoci init --layout "$1" && umoci new --image "$1:app" &&
	umoci unpack --rootless --image "$1:app" "$2" &&
	mkdir -p "$2/rootfs/usr/local/bin" &&
	cp -p "$3" "$2/rootfs/usr/local/bin/age" &&
	umoci repack --image "$1:app" "$2"' _ "$oci" "$T_DIR/bundle" \
	"$T_DIR/age/usr/bin/age"

DB=$T_DIR/vuln.db
check "customs db import of the Go vulnerability database" \
	"$CUSTOMS" db import -q --db "$DB" "$OSV/go.jsonl.gz"
expect_exit 0 "customs scan of the image" \
	"$CUSTOMS" scan --db "$DB" -o json="$T_DIR/scan.json" "oci:$oci:app"

# The oracle: Go versions compared as numbers; "X-0" (a prerelease
# floor) sorts just below X.
check "stdlib $gov: exactly the advisories the Go database implies" \
	"$PYTHON" -c 'import gzip, json, sys
def key(v):
    v = v.lstrip("v").replace("go", "", 1) if v.startswith("go") else v.lstrip("v")
    base = v.split("-")[0].split("+")[0]
    p = [int(x) for x in base.split(".")] + [0, 0]
    return tuple(p[:3]) + ((0,) if "-" in v else (1,))
target = key(sys.argv[3])
want = set()
for line in gzip.open(sys.argv[1], "rt"):
    r = json.loads(line)
    if r.get("withdrawn"):
        continue
    for a in r.get("affected", []):
        if a.get("package", {}).get("name") != "stdlib":
            continue
        for rg in a.get("ranges", []):
            if rg.get("type") != "SEMVER":
                continue
            lo = None
            for ev in rg["events"]:
                if "introduced" in ev:
                    lo = ev["introduced"]
                    continue
                hi = ev.get("fixed") or ev.get("last_affected")
                if lo is None or hi is None:
                    continue
                inside = target < key(hi) if "fixed" in ev else target <= key(hi)
                if (lo == "0" or key(lo) <= target) and inside:
                    want.add(r["id"])
                lo = None
            if lo is not None and (lo == "0" or key(lo) <= target):
                want.add(r["id"])
d = json.load(open(sys.argv[2]))
got = {m["vulnerability"]["id"] for m in d["matches"]
       if m["package"]["name"] == "stdlib" and m["package"]["version"] == sys.argv[3]}
where = {l["path"] for m in d["matches"] if m["package"]["name"] == "stdlib"
         for l in m["package"]["locations"]}
assert len(want) > 20, len(want)
assert got == want, ("missing", sorted(want - got), "extra", sorted(got - want))
assert where == {"/usr/local/bin/age"}, where' \
	"$OSV/go.jsonl.gz" "$T_DIR/scan.json" "$gov"

done_testing
