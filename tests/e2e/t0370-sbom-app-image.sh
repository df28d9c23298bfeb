#!/usr/bin/env bash
# Integration: one application image, three layers, as an application
# team would build it:
#   layer 0  Debian's Python library packages (python3-six, python3-yaml:
#            dist-info and egg-info, copied from this machine) and Java
#            library packages (libcommons-lang3-java, libslf4j-java: jars
#            with pom.properties, from the Debian archive)
#   layer 1  a node application with real npm packages from the npm
#            registry (scoped, nested)
#   layer 2  a Go binary from a Debian package (age)
# `customs sbom -o json` on the OCI image must list every package in it
# with the right name, version, PURL and the layer that added it. The
# ground truth is read without customs: package.json files, Python's
# importlib.metadata, each jar's pom.properties and `go version -m`, and
# the PURLs are spelled here from purl-spec. Downloads are cached under
# ${XDG_CACHE_HOME:-$HOME/.cache}/customs-tests; the test skips, saying
# why, when neither the cache nor the network has them. Prints TAP.
. "$(dirname "$0")/lib.sh"
require_customs

if [ -n "${CUSTOMS_SKIP_SLOW:-}" ]; then
	echo "1..0 # SKIP slow integration test (CUSTOMS_SKIP_SLOW set)"
	exit 0
fi
for t in npm umoci go dpkg-deb; do
	if ! command -v "$t" >/dev/null; then
		echo "1..0 # SKIP $t is not installed (scripts/bootstrap installs it)"
		exit 0
	fi
done
for p in python3-six python3-yaml; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		echo "1..0 # SKIP $p is not installed (scripts/bootstrap installs it)"
		exit 0
	fi
done

cache=${CUSTOMS_TEST_CACHE:-${XDG_CACHE_HOME:-${HOME:-/var/tmp}/.cache}/customs-tests}
mkdir -p "$cache/debs" "$cache/npm"

# fetch_deb NAME[=VERSION]: the cached .deb's path on stdout
fetch_deb() {
	local name=${1%%=*} f
	f=$(ls "$cache/debs/${name}_"*.deb 2>/dev/null | tail -n 1)
	if [ -z "$f" ]; then
		(cd "$cache/debs" && apt-get download "$1") >"$T_DIR/apt.log" 2>&1 ||
			return 1
		f=$(ls "$cache/debs/${name}_"*.deb 2>/dev/null | tail -n 1)
	fi
	[ -n "$f" ] && echo "$f"
}

l0=$T_DIR/l0
l1=$T_DIR/l1
l2=$T_DIR/l2
mkdir -p "$l0" "$l1/srv/app" "$l2"

# layer 0: Python and Java libraries
for p in python3-six python3-yaml; do
	dpkg -L "$p" | while read -r f; do
		if [ -f "$f" ] && [ ! -L "$f" ]; then
			mkdir -p "$l0$(dirname "$f")"
			cp -p "$f" "$l0$f"
		fi
	done
done
for p in libcommons-lang3-java libslf4j-java; do
	if ! deb=$(fetch_deb "$p"); then
		echo "1..0 # SKIP $p: not cached and apt-get download failed: $(tail -n 1 "$T_DIR/apt.log" 2>/dev/null)"
		exit 0
	fi
	dpkg-deb -x "$deb" "$l0"
done

# layer 1: the node application
pkgs="@babel/code-frame@7.22.13 lodash@4.17.21 debug@4.3.4 ms@2.1.3"
echo '{"name": "customs-app", "version": "2.0.0", "private": true}' \
	>"$l1/srv/app/package.json"
npm_install() {
	# shellcheck disable=SC2086
	(cd "$l1/srv/app" && npm install --no-audit --no-fund --save-exact \
		--cache "$cache/npm" --prefix "$l1/srv/app" "$@" $pkgs) \
		>"$T_DIR/npm.log" 2>&1
}
if ! npm_install --offline; then
	rm -rf "$l1/srv/app/node_modules" "$l1/srv/app/package-lock.json"
	if ! npm_install --prefer-offline; then
		echo "1..0 # SKIP npm could not install $pkgs: $(tail -n 1 "$T_DIR/npm.log")"
		exit 0
	fi
fi

# layer 2: a Go binary from a Debian package
if ! deb=$(fetch_deb "age"); then
	echo "1..0 # SKIP age: not cached and apt-get download failed"
	exit 0
fi
dpkg-deb -x "$deb" "$T_DIR/age"
mkdir -p "$l2/usr/local/bin"
cp -p "$T_DIR/age/usr/bin/age" "$l2/usr/local/bin/age"

plan 7

# The image: one umoci repack per layer, each layer adding its tree.
oci=$T_DIR/oci
build_image() {
	local l
	umoci init --layout "$oci" && umoci new --image "$oci:app" || return 1
	for l in "$l0" "$l1" "$l2"; do
		rm -rf "$T_DIR/bundle"
		umoci unpack --rootless --image "$oci:app" "$T_DIR/bundle" &&
			cp -a "$l/." "$T_DIR/bundle/rootfs/" &&
			umoci repack --image "$oci:app" "$T_DIR/bundle" || return 1
	done
}
if build_image >"$T_DIR/umoci.log" 2>&1; then
	ok "umoci built a three-layer image"
else
	not_ok "umoci built a three-layer image" "$(tail -n 5 "$T_DIR/umoci.log")"
	done_testing
	exit 0
fi

# Ground truth: "layer type purl" lines, read without customs.
"$PYTHON" - "$l0" "$l1" "$l2" >"$T_DIR/want.txt" 2>"$T_DIR/want.err" <<'PY'
import importlib.metadata as md, json, os, re, subprocess, sys, urllib.parse
import zipfile

def q(s):  # purl-spec percent-encoding of one segment
    return urllib.parse.quote(s, safe="")

out = set()
l0, l1, l2 = sys.argv[1:4]
for dist in md.distributions(path=[os.path.join(l0, "usr/lib/python3/dist-packages")]):
    name = re.sub(r"[-_.]+", "-", dist.metadata["Name"]).lower()
    out.add((0, "python", f"pkg:pypi/{q(name)}@{q(dist.version)}"))
for d, _, files in os.walk(l0):
    for f in files:
        p = os.path.join(d, f)
        if not f.endswith(".jar") or os.path.islink(p):
            continue
        with zipfile.ZipFile(p) as z:
            props = [n for n in z.namelist() if n.endswith("/pom.properties")]
            for n in props:
                kv = dict(l.split("=", 1) for l in z.read(n).decode().splitlines()
                          if "=" in l and not l.startswith("#"))
                if kv.get("artifactId") and os.path.basename(p).startswith(kv["artifactId"]):
                    out.add((0, "java-archive", "pkg:maven/%s/%s@%s" % (
                        q(kv["groupId"]), q(kv["artifactId"]), q(kv["version"]))))
for d, dirs, files in os.walk(l1):
    if "package.json" in files:
        j = json.load(open(os.path.join(d, "package.json")))
        if j.get("name") and j.get("version"):
            n = j["name"]
            ns, _, base = n.rpartition("/")
            purl = "pkg:npm/" + (q(ns) + "/" if ns else "") + q(base)
            out.add((1, "npm", f"{purl}@{q(j['version'])}"))
gov = subprocess.run(["go", "version", "-m", os.path.join(l2, "usr/local/bin/age")],
                     capture_output=True, text=True, check=True).stdout
for line in gov.splitlines():
    f = line.split("\t")
    if len(f) >= 3 and f[1] == "dep":
        out.add((2, "go-module", f"pkg:golang/{f[2]}@{q(f[3])}"))
    elif not line.startswith("\t") and ": go" in line:
        out.add((2, "go-module", "pkg:golang/stdlib@" + line.rsplit(": go", 1)[1].strip()))
for t in sorted(out):
    print(*t)
PY
if [ -s "$T_DIR/want.txt" ] && grep -q '^0 java-archive ' "$T_DIR/want.txt" &&
	grep -q '^2 go-module ' "$T_DIR/want.txt"; then
	ok "ground truth: $(wc -l <"$T_DIR/want.txt") packages from the files themselves"
else
	not_ok "ground truth" "$(cat "$T_DIR/want.err" "$T_DIR/want.txt" | head -n 20)"
fi

run "$CUSTOMS" sbom -o json "oci:$oci:app"
if [ "$RC" -eq 0 ]; then
	ok "customs sbom -o json on the image"
else
	not_ok "customs sbom -o json on the image" "$(head -c 1500 "$ERR")"
fi
cp "$OUT" "$T_DIR/sbom.json"

# Every expected package, with its PURL and the layer that added it.
"$PYTHON" - "$T_DIR/sbom.json" "$T_DIR/want.txt" >"$T_DIR/cmp.txt" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
have = {(p.get("introduced_layer"), p["type"], p.get("purl")) for p in d["packages"]}
want = [tuple(l.split(" ", 2)) for l in open(sys.argv[2]).read().splitlines()]
missing = [w for w in want if (int(w[0]), w[1], w[2]) not in have]
for m in missing:
    near = sorted(h for h in have if h[2] and h[2].split("@")[0] == m[2].split("@")[0])
    print("missing:", *m, "| customs has:", near)
sys.exit(1 if missing else 0)
PY
if [ $? -eq 0 ]; then
	ok "every package found with its PURL and layer ($(wc -l <"$T_DIR/want.txt"))"
else
	not_ok "every package found with its PURL and layer" "$(head -n 30 "$T_DIR/cmp.txt")"
fi

# Nothing invented: every npm/python/java/go package customs lists is
# in the ground truth (the main module of age has no version: left out
# by `go version -m` as a dep, so only dep and stdlib lines count).
"$PYTHON" - "$T_DIR/sbom.json" "$T_DIR/want.txt" >"$T_DIR/extra.txt" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
want = {l.split(" ", 2)[2] for l in open(sys.argv[2]).read().splitlines()}
extra = [p["purl"] for p in d["packages"]
         if p["type"] in ("npm", "python", "java-archive", "go-module")
         and p.get("purl") and p["purl"] not in want
         and p.get("meta", {}).get("main_module") != "true"
         and p["name"] != "customs-app"]
print("\n".join(extra))
sys.exit(1 if extra else 0)
PY
if [ $? -eq 0 ]; then
	ok "no package customs invented"
else
	not_ok "no package customs invented" "$(head -n 20 "$T_DIR/extra.txt")"
fi

# Debian builds Go programs in GOPATH mode: the build info names the
# main package's path but no module version.
gopath=$(go version -m "$l2/usr/local/bin/age" | awk -F'\t' '$2 == "path" {print $3}')
if [ -n "$gopath" ] && "$PYTHON" -c '
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if any(p["type"] == "go-module" and p["name"] == sys.argv[2]
                  and p.get("introduced_layer") == 2
                  and p["locations"][0]["path"] == "/usr/local/bin/age"
                  for p in d["packages"]) else 1)' "$T_DIR/sbom.json" "$gopath"; then
	ok "the Go main package $gopath, at its binary, in layer 2"
else
	not_ok "the Go main package ${gopath:-?}, at its binary, in layer 2"
fi

if [ -s "$ERR" ]; then
	not_ok "no warnings on a clean image" "$(head -c 1500 "$ERR")"
else
	ok "no warnings on a clean image"
fi

done_testing
