#!/bin/bash
# customs scan on the Debian bookworm image against the Debian tracker
# sample (shared/vulndata/debian): every (package, CVE, fixed version) the
# data implies for the installed versions is reported and nothing else.
# The expectation is computed independently by scan_debian_check.py
# (dpkg --compare-versions as the oracle) and cross-checked with debsecan
# fed the same data. Besides the debootstrap minbase, a second layer adds
# libraries from the bookworm point release that have had security
# updates since (their .debs come from the Debian archive; the built
# image is cached).
# Known quirk (documented in shared/vulndata/README.md): the tracker gives
# CVE-2026-34743 a fix version of xz-utils that does not exist, so
# liblzma5 5.4.1-1+deb12u1 is reported, as any tracker-trusting scanner
# does. Also: the CLI options on real data (fail-on, only-fixed, ignore
# rules, VEX, SBOM input, --distro). Prints TAP.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bookworm.sh"
require_customs

SHARED=$CUSTOMS_SRCDIR/../shared/vulndata
TRACKER=$SHARED/debian/bookworm-tracker-sample.json
EXTRA="libexpat1 libssl3 libpng16-16 libxml2 libsqlite3-0 libnghttp2-14"

if [ ! -r "$TRACKER" ]; then
	echo "1..0 # SKIP shared vulnerability data not found ($TRACKER)"
	exit 0
fi
if ! bookworm_check dpkg-query; then
	echo "1..0 # SKIP $BW_SKIP"
	exit 0
fi
work=$T_DIR/bookworm
cache=${CUSTOMS_TEST_CACHE:-${XDG_CACHE_HOME:-${HOME:-/var/tmp}/.cache}/customs-tests}

# The image: the minbase plus one layer of point-release libraries. Packing
# with umoci takes most of a minute, so the result (the OCI layout and the
# image's dpkg database, for the oracle) is cached beside the tarball.
build_image() {
	local out=$1 rc=0 p debs=()
	bookworm_tarball "$work" || rc=$?
	[ "$rc" -eq 1 ] && { echo "SKIP $BW_SKIP" >"$out.why"; return 1; }
	[ "$rc" -eq 0 ] && bookworm_oci "$work" || return 2
	mkdir -p "$cache/debs-point"
	for p in $EXTRA; do
		ls "$cache/debs-point/${p}_"*.deb >/dev/null 2>&1 && continue
		(cd "$cache/debs-point" && apt-get download "$p/bookworm" >/dev/null 2>&1) ||
			{ echo "SKIP apt-get download $p/bookworm failed (no archive reachable?)" >"$out.why"; return 1; }
	done
	for p in $EXTRA; do debs+=("$(ls "$cache/debs-point/${p}_"*.deb | head -n 1)"); done
	# unpack the packed minbase again so umoci diffs against it
	rm -rf "$work/top" &&
		umoci unpack --image "${BW_OCI#oci:}" "$work/top" >/dev/null 2>&1 &&
		dpkg --root="$work/top/rootfs" --force-depends -i "${debs[@]}" \
			>"$T_DIR/dpkg.log" 2>&1 &&
		umoci repack --image "${BW_OCI#oci:}" "$work/top" >/dev/null 2>&1 ||
		return 2
	rm -rf "$out.tmp" && mkdir -p "$out.tmp/root/var/lib" &&
		cp -a "$work/oci" "$out.tmp/oci" &&
		cp -a "$work/top/rootfs/var/lib/dpkg" "$out.tmp/root/var/lib/dpkg" &&
		mv "$out.tmp" "$out"
}
IMG=$cache/scan-bookworm-v1
rc=0
(
	flock 9
	[ -d "$IMG" ] || build_image "$IMG"
	r=$?
	rm -rf "$work"
	exit $r
) 9>"$cache/scan-bookworm.lock" || rc=$?
if [ "$rc" -eq 1 ]; then
	echo "1..0 # $(cat "$IMG.why" 2>/dev/null || echo "SKIP image not built")"
	exit 0
fi
if [ "$rc" -ne 0 ] || [ ! -d "$IMG" ]; then
	echo "Bail out! the bookworm scan image could not be built (rc $rc)"
	exit 1
fi
BW_OCI=oci:$IMG/oci:bookworm
BW_ROOTFS=$IMG/root

DB=$T_DIR/vuln.db
check "customs db import of the tracker sample" \
	"$CUSTOMS" db import -q --db "$DB" "$TRACKER"

expect_exit 0 "scan of the bookworm image" \
	"$CUSTOMS" scan --db "$DB" -o json="$T_DIR/scan.json" -o table "$BW_OCI"
cp "$OUT" "$T_DIR/scan.table"

# The independent expectation and debsecan.
"$PYTHON" "$CUSTOMS_SRCDIR/tests/e2e/scan_debian_check.py" "$TRACKER" \
	"$BW_ROOTFS" "$T_DIR/scan.json" "$T_DIR" >"$T_DIR/check.txt" 2>&1
while IFS= read -r line; do
	case $line in
	PASS\ *) ok "${line#PASS }" ;;
	FAIL\ *) not_ok "${line#FAIL }" "$(grep '^#' "$T_DIR/check.txt" | head -n 40)" ;;
	SKIP\ *) skip "${line#SKIP }" "${line#*: }" ;;
	esac
done <"$T_DIR/check.txt"
grep -q '^PASS every' "$T_DIR/check.txt" ||
	not_ok "the expectation script ran" "$(tail -n 5 "$T_DIR/check.txt")"
check "the point-release libssl3 (second layer) is reported" \
	"$PYTHON" -c 'import json,sys
d = json.load(open(sys.argv[1]))
assert any(m["package"]["name"] == "libssl3" and m["package"]["locations"][0]["layer"] == 1 for m in d["matches"])' "$T_DIR/scan.json"

check "the JSON names the distro namespace and the database" \
	"$PYTHON" -c 'import json,sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == "customs.scan/v1", d["schema"]
assert d["distro"]["namespace"] == "debian:12", d["distro"]
assert d["db"]["sources"] == ["debian"], d["db"]
m = d["matches"][0]
for k in ("vulnerability", "package", "fix", "match"):
    assert k in m, k
assert m["match"]["searched_by"]["namespace"] == "debian:12"
assert all(x["match"]["type"] in ("exact-direct-match", "exact-indirect-match") for x in d["matches"])
assert any(x["match"]["type"] == "exact-indirect-match" and x["package"]["name"] == "libc6" for x in d["matches"])' "$T_DIR/scan.json"

check "the table is sorted by severity, Low before Negligible" \
	"$PYTHON" -c 'import sys
rows = open(sys.argv[1]).read().splitlines()
assert rows[0].split()[:3] == ["NAME", "INSTALLED", "FIXED-IN"], rows[0]
order = ["Critical", "High", "Medium", "Low", "Negligible", "Unknown"]
sev = [next(w for w in r.split() if w in order) for r in rows[1:]]
assert sev == sorted(sev, key=order.index), sev' "$T_DIR/scan.table"

# An SBOM of the same image gives the same findings.
run "$CUSTOMS" sbom -o json="$T_DIR/sbom.json" -o cyclonedx-json="$T_DIR/sbom.cdx.json" "$BW_OCI"
for f in sbom.json sbom.cdx.json; do
	expect_exit 0 "scan of the $f SBOM" \
		"$CUSTOMS" scan --db "$DB" -o json="$T_DIR/s.json" "$T_DIR/$f"
	check "the $f SBOM gives the same findings" \
		"$PYTHON" -c 'import json,sys
k = lambda p: sorted((m["package"]["name"], m["vulnerability"]["id"], tuple(m["fix"]["versions"])) for m in json.load(open(p))["matches"])
a, b = k(sys.argv[1]), k(sys.argv[2])
assert a == b, (len(a), len(b), set(a) ^ set(b))' "$T_DIR/scan.json" "$T_DIR/s.json"
done
check "scan JSON locations are the SBOM's, absolute" \
	"$PYTHON" -c 'import json,sys
loc = lambda p: [l["path"] for l in p["locations"]]
sbom = {p["id"]: loc(p) for p in json.load(open(sys.argv[2]))["packages"]}
ms = json.load(open(sys.argv[1]))["matches"]
assert ms and all(loc(m["package"]) == sbom[m["package"]["id"]] for m in ms)
assert all(p.startswith("/") for m in ms for p in loc(m["package"]))' \
	"$T_DIR/scan.json" "$T_DIR/sbom.json"

# --fail-on: Low findings exist (coreutils), nothing Medium or above.
expect_exit 1 "--fail-on low trips on the Low finding" \
	"$CUSTOMS" scan --db "$DB" --fail-on low -o json="$T_DIR/f.json" "$T_DIR/sbom.json"
expect_exit 0 "--fail-on medium does not" \
	"$CUSTOMS" scan --db "$DB" --fail-on medium -o json="$T_DIR/f.json" "$T_DIR/sbom.json"
expect_exit 2 "--fail-on with a bad severity is a usage error" \
	"$CUSTOMS" scan --db "$DB" --fail-on severe "$T_DIR/sbom.json"
expect_one_error_line

# --only-fixed: only findings with a fix remain; the rest are suppressed.
expect_exit 0 "--only-fixed" \
	"$CUSTOMS" scan --db "$DB" --only-fixed -o json="$T_DIR/of.json" "$T_DIR/sbom.json"
check "--only-fixed keeps only fixed findings and lists the others as ignored" \
	"$PYTHON" -c 'import json,sys
d = json.load(open(sys.argv[1])); a = json.load(open(sys.argv[2]))
assert d["matches"] and all(m["fix"]["state"] == "fixed" for m in d["matches"])
assert len(d["matches"]) + len(d["ignored"]) == len(a["matches"])
assert all(i["ignored_by"][0] == {"kind": "rule", "reason": "--only-fixed"} for i in d["ignored"])' \
	"$T_DIR/of.json" "$T_DIR/scan.json"

# Ignore rules and VEX on real packages.
cat >"$T_DIR/ignore.yaml" <<'YAML'
ignore:
  - vulnerability: CVE-2022-0563
    reason: util-linux chfn/chsh are not installed setuid here
    package:
      name: "lib.*"
  - vulnerability: CVE-2016-2781
    expires: 2001-01-01
YAML
coreutils_purl=$("$PYTHON" -c 'import json,sys
print(next(m["package"]["purl"] for m in json.load(open(sys.argv[1]))["matches"] if m["package"]["name"] == "coreutils"))' "$T_DIR/scan.json")
cat >"$T_DIR/vex.json" <<JSON
{"@context": "https://openvex.dev/ns/v0.2.0", "@id": "test", "author": "t",
 "timestamp": "2026-01-01T00:00:00Z", "version": 1,
 "statements": [{"vulnerability": {"name": "CVE-2017-18018"},
   "products": [{"@id": "$coreutils_purl"}],
   "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"}]}
JSON
expect_exit 0 "scan with --ignore and --vex" \
	"$CUSTOMS" scan --db "$DB" --ignore "$T_DIR/ignore.yaml" --vex "$T_DIR/vex.json" \
	-o json="$T_DIR/ig.json" "$T_DIR/sbom.json"
expect_stderr_match "ignore rule 2 .*expired on 2001-01-01" "an expired rule is warned about"
check "rules and VEX move exactly the matching findings to ignored" \
	"$PYTHON" -c 'import json,sys
d = json.load(open(sys.argv[1]))
ign = {(i["package"]["name"], i["vulnerability"]["id"]): i["ignored_by"] for i in d["ignored"]}
m = {(x["package"]["name"], x["vulnerability"]["id"]) for x in d["matches"]}
assert ("libblkid1", "CVE-2022-0563") in ign and ("util-linux", "CVE-2022-0563") in m
assert ign[("libblkid1", "CVE-2022-0563")][0]["kind"] == "rule"
assert ("coreutils", "CVE-2016-2781") in m   # expired rule
v = ign[("coreutils", "CVE-2017-18018")][0]
assert v["kind"] == "vex" and "vulnerable_code_not_in_execute_path" in v["reason"], v
assert all(k[1] in ("CVE-2022-0563", "CVE-2017-18018") for k in ign), ign.keys()
assert any("expired" in w for w in d["warnings"])' "$T_DIR/ig.json"
expect_exit 0 "--show-suppressed lists suppressed rows in the table" \
	"$CUSTOMS" scan --db "$DB" --ignore "$T_DIR/ignore.yaml" --show-suppressed "$T_DIR/sbom.json"
expect_stdout_match "libblkid1 .*CVE-2022-0563 .*\(suppressed\)"

# --distro: data for another release does not exist: a warning, no finding.
expect_exit 0 "--distro debian:11 has no data in this database" \
	"$CUSTOMS" scan --db "$DB" --distro debian:11 -o json="$T_DIR/d.json" "$T_DIR/sbom.json"
expect_stderr_match "no vulnerability data for distro debian:11"
check "--distro debian:11 reports nothing" \
	"$PYTHON" -c 'import json,sys; assert json.load(open(sys.argv[1]))["matches"] == []' "$T_DIR/d.json"

# Errors.
expect_exit 2 "a missing database is an input error" \
	"$CUSTOMS" scan --db "$T_DIR/none.db" "$T_DIR/sbom.json"
expect_one_error_line
printf -- '- vulnerability: [x\n' >"$T_DIR/bad.yaml"
expect_exit 2 "a malformed ignore file is an input error" \
	"$CUSTOMS" scan --db "$DB" --ignore "$T_DIR/bad.yaml" "$T_DIR/sbom.json"
expect_stderr_match "bad.yaml: line [0-9]+: invalid YAML"

done_testing
