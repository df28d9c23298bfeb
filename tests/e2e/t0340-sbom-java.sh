#!/usr/bin/env bash
# Java archives end to end: real jars from Debian's Java library packages
# (libcommons-lang3-java, libslf4j-java; they carry pom.properties and
# MANIFEST.MF), unpacked with dpkg-deb into a rootfs, plus a war built
# here that nests one of them and a JVM release file. `customs sbom -o
# json` must report each jar with its groupId/artifactId/version and
# maven PURL, the nested one at its access path, and the JVM with its
# CPE. The .debs are cached under ${XDG_CACHE_HOME:-$HOME/.cache}/
# customs-tests/debs. Prints TAP.
. "$(dirname "$0")/lib.sh"

require_customs
for tool in dpkg-deb "$PYTHON"; do
	if ! command -v "$tool" >/dev/null; then
		echo "1..0 # SKIP $tool is not installed"
		exit 0
	fi
done

cache=${CUSTOMS_TEST_CACHE:-${XDG_CACHE_HOME:-${HOME:-/var/tmp}/.cache}/customs-tests}/debs
pkgs="libcommons-lang3-java libslf4j-java"
mkdir -p "$cache"
for p in $pkgs; do
	ls "$cache/${p}_"*.deb >/dev/null 2>&1 && continue
	if ! command -v apt-get >/dev/null ||
		! (cd "$cache" && apt-get download "$p") >"$T_DIR/apt.log" 2>&1; then
		echo "1..0 # SKIP $p: not cached and apt-get download failed: $(tail -n 1 "$T_DIR/apt.log" 2>/dev/null)"
		exit 0
	fi
done

root=$T_DIR/rootfs
mkdir -p "$root"
for p in $pkgs; do
	dpkg-deb -x "$(ls "$cache/${p}_"*.deb | tail -n 1)" "$root"
done
# A war nesting the real commons-lang3 jar, and a JDK release file.
"$PYTHON" - "$root" <<'PY'
import sys, zipfile
root = sys.argv[1]
jar = open(root + "/usr/share/java/commons-lang3.jar", "rb").read()
with zipfile.ZipFile(root + "/app.war", "w",
                     zipfile.ZIP_DEFLATED) as z:
    z.writestr("META-INF/MANIFEST.MF",
               "Manifest-Version: 1.0\r\nImplementation-Version: 7\r\n\r\n")
    z.writestr("WEB-INF/lib/commons-lang3-3.12.0.jar", jar)
import os
os.makedirs(root + "/opt/java/openjdk", exist_ok=True)
open(root + "/opt/java/openjdk/release", "w").write(
    'IMPLEMENTOR="Eclipse Adoptium"\nJAVA_VERSION="21.0.4"\n'
    'JAVA_RUNTIME_VERSION="21.0.4+7-LTS"\nIMAGE_TYPE="JDK"\n')
PY

run "$CUSTOMS" sbom -o json "dir:$root"
plan 4
if [ "$RC" -eq 0 ]; then ok "customs sbom -o json ran"; else not_ok "customs sbom -o json ran" "$(last_output)"; fi

# Every jar of the two packages, as their pom.properties name them.
check "each Debian jar with groupId, artifactId, version and PURL" \
	"$PYTHON" - "$OUT" "$root" <<'PY'
import json, sys, zipfile, glob, os
d = json.load(open(sys.argv[1]))
root = sys.argv[2]
want = set()
for jar in glob.glob(root + "/usr/share/java/*.jar"):
    if os.path.islink(jar):
        continue
    z = zipfile.ZipFile(jar)
    for n in z.namelist():
        if n.endswith("/pom.properties"):
            kv = dict(l.split("=", 1) for l in z.read(n).decode().splitlines()
                      if "=" in l and not l.startswith("#"))
            want.add(("/" + os.path.relpath(jar, root), kv["groupId"],
                      kv["artifactId"], kv["version"]))
assert len(want) >= 11, want
got = {}
for p in d["packages"]:
    if p["type"] != "java-archive":
        continue
    loc = p["locations"][0]
    if loc.get("access_path"):
        continue
    got[(loc["path"], p.get("namespace"), p["name"], p.get("version"))] = p
missing = want - set(got)
assert not missing, "missing: %s\ngot: %s" % (sorted(missing), sorted(got))
for k in want:
    purl = "pkg:maven/%s/%s@%s" % k[1:]
    assert got[k].get("purl") == purl, (k, got[k].get("purl"))
    assert len(got[k]["meta"]["sha1"]) == 40, got[k]["meta"]
print(len(want), "jars")
PY

check "the jar nested in the war, at its access path" \
	"$PYTHON" - "$OUT" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
hits = [p for p in d["packages"] if p["name"] == "commons-lang3" and
        (p["locations"][0].get("access_path") or "").lstrip("/") ==
        "app.war:WEB-INF/lib/commons-lang3-3.12.0.jar"]
assert len(hits) == 1, [p["locations"] for p in d["packages"]]
p = hits[0]
assert p["locations"][0]["path"] == "/app.war", p["locations"]
assert p["version"] == "3.12.0" and p["namespace"] == "org.apache.commons", p
assert p["purl"] == "pkg:maven/org.apache.commons/commons-lang3@3.12.0", p
war = [p for p in d["packages"] if p["name"] == "app"]
assert len(war) == 1 and war[0]["version"] == "7", war
PY

check "the JDK from its release file, with its CPE" \
	"$PYTHON" - "$OUT" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
j = [p for p in d["packages"] if p["found_by"] == "java-jvm-cataloger"]
assert len(j) == 1, j
j = j[0]
assert j["name"] == "openjdk" and j["version"] == "21.0.4+7-LTS", j
assert j["cpes"] == ["cpe:2.3:a:oracle:openjdk:21.0.4:*:*:*:*:*:*:*"], j
PY

done_testing
