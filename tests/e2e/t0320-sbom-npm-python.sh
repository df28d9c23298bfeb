#!/usr/bin/env bash
# Integration: real npm packages (installed by npm from the registry, or
# from the npm cache kept under the test cache so later runs work
# offline) and Debian's Python library packages (dist-info and egg-info
# from python3-six and python3-yaml, copied from this machine), in a
# rootfs the test builds. `customs sbom` must find every installed
# package with the name and version the files declare (the ground truth
# is read independently, with Python's json and importlib.metadata), the
# lock files in dir: mode only, and the same installed set in an OCI
# image built from the rootfs. PURLs are checked in the native JSON when
# its writer is present.
. "$(dirname "$0")/lib.sh"
require_customs

if [ -n "${CUSTOMS_SKIP_SLOW:-}" ]; then
	echo "1..0 # SKIP slow integration test (CUSTOMS_SKIP_SLOW set)"
	exit 0
fi
if ! command -v npm >/dev/null; then
	echo "1..0 # SKIP npm is not installed"
	exit 0
fi
for p in python3-six python3-yaml; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		echo "1..0 # SKIP $p is not installed (scripts/bootstrap installs it)"
		exit 0
	fi
done

cache=${CUSTOMS_TEST_CACHE:-${XDG_CACHE_HOME:-${HOME:-/var/tmp}/.cache}/customs-tests}
npm_cache=$cache/npm
mkdir -p "$npm_cache"
root=$T_DIR/rootfs
app=$root/srv/app
mkdir -p "$app"

# Exact versions; debug 4.3.4 needs ms 2.1.2 while the app asks for
# ms 2.1.3, so npm nests one ms under debug; @babel/code-frame is scoped
# and brings scoped dependencies of its own.
pkgs="@babel/code-frame@7.22.13 lodash@4.17.21 debug@4.3.4 ms@2.1.3"
cat >"$app/package.json" <<'EOF'
{"name": "customs-e2e-app", "version": "1.0.0", "private": true,
 "license": "MIT"}
EOF
npm_install() {
	# shellcheck disable=SC2086
	(cd "$app" && npm install --no-audit --no-fund --save-exact \
		--cache "$npm_cache" --prefix "$app" "$@" $pkgs) \
		>"$T_DIR/npm.log" 2>&1
}
if ! npm_install --offline; then
	rm -rf "$app/node_modules" "$app/package-lock.json"
	if ! npm_install --prefer-offline; then
		echo "1..0 # SKIP npm could not install $pkgs: neither the cache ($npm_cache) nor the registry is available: $(tail -n 1 "$T_DIR/npm.log")"
		exit 0
	fi
fi

# Debian's python library packages, at their own paths
for p in python3-six python3-yaml; do
	dpkg -L "$p" | while read -r f; do
		if [ -f "$f" ] && [ ! -L "$f" ]; then
			mkdir -p "$root$(dirname "$f")"
			cp -p "$f" "$root$f"
		fi
	done
done
site=$root/usr/lib/python3/dist-packages

# Declared dependencies for dir: mode
cat >"$app/requirements.txt" <<'EOF'
# pinned ones only become packages
requests[socks]==2.31.0 ; python_version >= "3.7" \
    --hash=sha256:58cd2187c01e70e6e26505bca751777aa9f2ee0b7f4300988b709f44e013003f
Flask_SQLAlchemy===3.0.5
six>=1.0
EOF
cat >"$app/poetry.lock" <<'EOF'
[[package]]
name = "certifi"
version = "2023.7.22"
description = "Python package for providing Mozilla's CA Bundle."
optional = false
python-versions = ">=3.6"
files = [
    {file = "certifi-2023.7.22.tar.gz", hash = "sha256:539cc1d13202e33ca466e88b2807e29f4c13049d6d87031a3c110744495cb082"},
]

[metadata]
lock-version = "2.0"
EOF

# Ground truth, read without customs: "type name version" lines.
"$PYTHON" - "$root" "$site" >"$T_DIR/installed.txt" <<'PY' || exit 1
import importlib.metadata as md, json, os, sys
root, site = sys.argv[1], sys.argv[2]
out = set()
for d, dirs, files in os.walk(root):
    if "package.json" in files:
        try:
            j = json.load(open(os.path.join(d, "package.json")))
        except ValueError:
            continue
        if isinstance(j, dict) and isinstance(j.get("name"), str) and \
           isinstance(j.get("version"), str) and j["name"] and j["version"]:
            out.add(("npm", j["name"], j["version"]))
for dist in md.distributions(path=[site]):
    out.add(("python", dist.metadata["Name"], dist.version))
for t in sorted(out):
    print(*t)
PY
declared="npm customs-e2e-app 1.0.0
python requests 2.31.0
python Flask_SQLAlchemy 3.0.5
python certifi 2023.7.22"

plan 14

# customs sbom TARGET [args]: the table as sorted "type name version"
sbom_set() {
	run "$CUSTOMS" sbom "$@"
	awk 'NR > 1 && NF == 4 {print $3, $1, $2}' "$OUT" | sort -u
}

compare() {
	local desc=$1 want=$2 got=$3
	if diff -u "$want" "$got" >"$T_DIR/diff" 2>&1; then
		ok "$desc ($(wc -l <"$got") packages)"
	else
		not_ok "$desc" "$(head -n 40 "$T_DIR/diff")" "$(head -c 1500 "$ERR")"
	fi
}

# 1-2: the installed catalogers over dir: (lock files also read there)
sbom_set "dir:$root" --select javascript-package,python-installed-package \
	>"$T_DIR/dir-installed.txt"
compare "dir: installed npm and python packages equal the files" \
	"$T_DIR/installed.txt" "$T_DIR/dir-installed.txt"
if [ -s "$ERR" ]; then
	not_ok "no warnings on real packages" "$(head -c 1500 "$ERR")"
else
	ok "no warnings on real packages"
fi

# the LAYER column: a directory has no layers
run "$CUSTOMS" sbom "dir:$root" --select javascript-package
if [ "$RC" -eq 0 ] && awk 'NR > 1 && $4 != "-" {bad = 1} END {exit bad}' "$OUT" &&
	[ "$(head -n 1 "$OUT" | awk '{print $4}')" = LAYER ]; then
	ok "table: LAYER is '-' for every package of a directory"
else
	not_ok "table: LAYER is '-' for every package of a directory" "$(head -n 5 "$OUT")"
fi

# 3-5: the installed set has what the test asked for
for want in "npm @babel/code-frame 7.22.13" "npm lodash 4.17.21" \
	"python PyYAML"; do
	if grep -q "^$want" "$T_DIR/dir-installed.txt"; then
		ok "found $want"
	else
		not_ok "found $want" "$(cat "$T_DIR/dir-installed.txt")"
	fi
done

# 6: nested: two ms versions, one under debug
if grep -qx "npm ms 2.1.2" "$T_DIR/dir-installed.txt" &&
	grep -qx "npm ms 2.1.3" "$T_DIR/dir-installed.txt" &&
	[ -f "$app/node_modules/debug/node_modules/ms/package.json" ]; then
	ok "nested node_modules: ms 2.1.2 under debug and ms 2.1.3 on top"
else
	not_ok "nested node_modules: ms 2.1.2 under debug and ms 2.1.3 on top" \
		"$(grep ' ms ' "$T_DIR/dir-installed.txt")"
fi

# 7: dir: mode reads the lock files: every locked npm package is
# installed, plus the declared python pins
run "$CUSTOMS" sbom "dir:$root" --select javascript-lock,python-package
awk 'NR > 1 && NF == 4 {print $3, $1, $2}' "$OUT" | sort -u >"$T_DIR/dir-locks.txt"
{ grep '^npm ' "$T_DIR/installed.txt"; echo "$declared"; } | sort -u >"$T_DIR/want-locks.txt"
compare "dir: lock files: package-lock.json, requirements.txt, poetry.lock" \
	"$T_DIR/want-locks.txt" "$T_DIR/dir-locks.txt"

# 8-11: an OCI image of the same rootfs: the installed set, no locks
oci=$T_DIR/oci
if command -v umoci >/dev/null &&
	umoci init --layout "$oci" >/dev/null 2>&1 &&
	umoci new --image "$oci:app" >/dev/null 2>&1 &&
	umoci unpack --rootless --image "$oci:app" "$T_DIR/bundle" >/dev/null 2>&1 &&
	rm -rf "$T_DIR/bundle/rootfs" && cp -a "$root" "$T_DIR/bundle/rootfs" &&
	mkdir -p "$T_DIR/bundle/rootfs/srv/app/node_modules/broken" &&
	printf '{"name": "broken", "version": "1.0' \
		>"$T_DIR/bundle/rootfs/srv/app/node_modules/broken/package.json" &&
	umoci repack --image "$oci:app" "$T_DIR/bundle" >/dev/null 2>&1; then
	ok "umoci packed the rootfs as an OCI image"
	sbom_set "oci:$oci:app" >"$T_DIR/image.txt"
	compare "image: installed npm and python packages equal the files" \
		"$T_DIR/installed.txt" "$T_DIR/image.txt"
	if grep -q "^python requests" "$T_DIR/image.txt"; then
		not_ok "image: lock files are not read"
	else
		ok "image: lock files are not read"
	fi
	expect_stderr_match '^customs: warning: layer 0 \(sha256:[0-9a-f]{64}\): javascript-package-cataloger: srv/app/node_modules/broken/package\.json: line 1 column [0-9]+: invalid JSON' \
		"image: a truncated package.json is a warning naming the layer and the file"
else
	skip "umoci packed the rootfs as an OCI image" "umoci is missing or failed"
	skip "image: installed npm and python packages equal the files" "no image"
	skip "image: lock files are not read" "no image"
	skip "image: a truncated package.json is a warning" "no image"
fi

# 12-13: PURLs and owned files in the native JSON
run "$CUSTOMS" sbom "dir:$root" -o json
cp "$OUT" "$T_DIR/sbom.json"
if "$PYTHON" - "$T_DIR/sbom.json" >"$T_DIR/purl.out" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
purls = {p.get("purl") for p in d["packages"]}
want = ["pkg:npm/%40babel/code-frame@7.22.13", "pkg:npm/lodash@4.17.21",
        "pkg:npm/debug@4.3.4", "pkg:npm/ms@2.1.2", "pkg:npm/ms@2.1.3",
        "pkg:pypi/six@1.16.0", "pkg:pypi/requests@2.31.0",
        "pkg:pypi/flask-sqlalchemy@3.0.5", "pkg:pypi/certifi@2023.7.22"]
missing = [w for w in want if w not in purls]
yaml = [p for p in purls if p and p.startswith("pkg:pypi/pyyaml@")]
assert not missing, missing
assert yaml, sorted(p for p in purls if p)
PY
then
	ok "PURLs of npm and python packages"
else
	not_ok "PURLs of npm and python packages" "$(head -n 20 "$T_DIR/purl.out")"
fi
if "$PYTHON" - "$T_DIR/sbom.json" "$site" >"$T_DIR/files.out" 2>&1 <<'PY'
import hashlib, json, os, sys
d = json.load(open(sys.argv[1]))
site = sys.argv[2]
yaml = [p for p in d["packages"] if p["name"] == "PyYAML"
        and p["found_by"] == "python-installed-package-cataloger"]
assert len(yaml) == 1, yaml
files = {f["path"]: f for f in yaml[0].get("files", [])}
init = "/usr/lib/python3/dist-packages/yaml/__init__.py"
assert init in files, sorted(files)[:10]
real = hashlib.sha256(open(site + "/yaml/__init__.py", "rb").read()).hexdigest()
assert files[init]["algorithm"] == "sha256" and files[init]["digest"] == real, files[init]
PY
then
	ok "RECORD files of PyYAML, with their SHA-256"
else
	not_ok "RECORD files of PyYAML, with their SHA-256" "$(head -n 20 "$T_DIR/files.out")"
fi

done_testing
