#!/usr/bin/env bash
# customs sbom on a directory holding executables: a Go binary from a
# Debian package (age, built in GOPATH mode), a Go binary built here with
# a replaced dependency (when golang-go is installed) and binaries the
# classifiers know (this machine's bash and libcrypto). The Go modules
# must be those `go version -m` reports, with pkg:golang PURLs; the
# classified binaries carry the version the tool reports and Syft's CPEs.
# Prints TAP.
set -u
. "$(dirname "$0")/lib.sh"

cache=${CUSTOMS_TEST_CACHE:-${XDG_CACHE_HOME:-${HOME:-/var/tmp}/.cache}/customs-tests}
deb=$cache/age_1.1.1-1+b3_amd64.deb
root=$T_DIR/rootfs
mkdir -p "$cache" "$root/usr/local/bin" "$root/usr/local/lib"
if [ ! -s "$deb" ]; then
	(cd "$cache" && apt-get download age=1.1.1-1+b3 >/dev/null 2>&1)
fi
if [ ! -s "$deb" ] || ! command -v dpkg-deb >/dev/null; then
	echo "1..0 # SKIP the age .deb is neither cached nor downloadable"
	exit 0
fi
dpkg-deb -x "$deb" "$root"
cp /bin/bash "$root/usr/local/bin/bash"
libcrypto=$(ls /usr/lib/*/libcrypto.so.3 2>/dev/null | head -n1)
[ -n "$libcrypto" ] && cp "$libcrypto" "$root/usr/local/lib/libcrypto.so.3"

if command -v go >/dev/null && command -v git >/dev/null; then
	src=$T_DIR/src
	mkdir -p "$src/dep"
	printf 'module example.com/hello\n\ngo 1.18\n\nrequire example.com/dep v1.2.3\n\nreplace example.com/dep => ./dep\n' >"$src/go.mod"
	printf 'module example.com/dep\n\ngo 1.18\n' >"$src/dep/go.mod"
	printf 'package dep\n\nfunc Hi() string { return "hi" }\n' >"$src/dep/dep.go"
	printf 'package main\n\nimport (\n\t"fmt"\n\t"example.com/dep"\n)\n\nfunc main() { fmt.Println(dep.Hi()) }\n' >"$src/main.go"
	(cd "$src" && GOCACHE="$cache/go-build" GOPATH="$T_DIR/gopath" \
		GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local \
		go build -ldflags='-X main.version=0.9.1' \
		-o "$root/usr/local/bin/hello" . >"$T_DIR/go.log" 2>&1) ||
		diag "go build failed: $(cat "$T_DIR/go.log")"
	chmod -R u+w "$T_DIR/gopath" 2>/dev/null
fi

run "$CUSTOMS" sbom dir:"$root"
if [ "$RC" = 0 ]; then
	ok "sbom of a directory of executables succeeds"
else
	not_ok "sbom of a directory of executables succeeds" "$(cat "$ERR")"
fi
expect_stdout_match '^filippo\.io/age/cmd/age +\(devel\) +go-module' \
	"the table lists age's main module at (devel)"
expect_stdout_match '^stdlib +go1\.19\.8 +go-module' \
	"the table lists the Go toolchain as stdlib"
bash_v=$(/bin/bash -c 'echo ${BASH_VERSINFO[0]}.${BASH_VERSINFO[1]}.${BASH_VERSINFO[2]}')
expect_stdout_match "^bash +${bash_v//./\\.} +binary" \
	"the table lists the classified bash $bash_v"

json=$T_DIR/sbom.json
run "$CUSTOMS" sbom -o json="$json" dir:"$root"
if [ "$RC" = 0 ]; then
	ok "sbom -o json succeeds"
else
	not_ok "sbom -o json succeeds" "$(cat "$ERR")"
fi

# Every module `go version -m` lists (the replacement when there is one)
# must be a go-module package at that binary, same version; the main
# module at (devel) may carry Syft's better version instead.
check_go() {
	local bin=$1 rel=$2
	go version -m "$root/$rel" >"$T_DIR/gov" 2>/dev/null || return 0
	if "$PYTHON" - "$json" "$T_DIR/gov" "$rel" <<'EOF'; then
import json, sys
d = json.load(open(sys.argv[1]))
lines = [l.strip("\n").split("\t") for l in open(sys.argv[2])][1:]
rel = "/" + sys.argv[3]
have = {(p["name"], p.get("version")): p for p in d["packages"]
        if p["type"] == "go-module" and
        any(l["path"] == rel for l in p["locations"])}
want = []
for f in lines:
    f = f[1:]
    if f and f[0] in ("path", "mod", "dep"):
        want.append([f[0]] + f[1:3])
    elif f and f[0] == "=>" and want:
        want[-1][1:3] = f[1:3]
if not any(w[0] == "mod" for w in want):
    want = [w for w in want if w[0] != "path"] + \
           [["mod", w[1], "(devel)"] for w in want if w[0] == "path"]
want = [w for w in want if w[0] != "path"]
toolchain = open(sys.argv[2]).readline().split(": ", 1)[1].strip()
bad = []
for kind, name, version in want:
    hits = [p for (n, v), p in have.items() if n == name]
    if not hits:
        bad.append("missing %s" % name)
    elif kind == "mod" and version == "(devel)":
        pass
    elif hits[0].get("version") != version:
        bad.append("%s: %s != %s" % (name, hits[0].get("version"), version))
    elif not hits[0].get("purl", "").startswith("pkg:golang/"):
        bad.append("%s: purl %s" % (name, hits[0].get("purl")))
std = have.get(("stdlib", toolchain))
if not std or std.get("purl") != "pkg:golang/stdlib@" + toolchain[2:]:
    bad.append("stdlib %s: %s" % (toolchain, std and std.get("purl")))
if len(have) != len(want) + 1:
    bad.append("%d packages for %d modules + stdlib" % (len(have), len(want)))
print("\n".join(bad))
sys.exit(1 if bad else 0)
EOF
		ok "$bin: the modules go version -m reports"
	else
		not_ok "$bin: the modules go version -m reports"
	fi
}

if command -v go >/dev/null; then
	check_go age usr/bin/age
	check_go age-keygen usr/bin/age-keygen
	if [ -x "$root/usr/local/bin/hello" ]; then
		check_go hello usr/local/bin/hello
		v=$(json_get "$json" '[p["version"] for p in d["packages"] if p["name"] == "example.com/hello"][0]')
		[ "$v" = v0.9.1 ] && ok "the main module's version comes from -ldflags" ||
			not_ok "the main module's version comes from -ldflags" "got $v"
	fi
else
	# go version -m for this .deb, checked by hand: go1.19.8, path only
	v=$(json_get "$json" '[p.get("version") for p in d["packages"] if p["name"] == "filippo.io/age/cmd/age"][0]')
	[ "$v" = "(devel)" ] && ok "age's main module is (devel)" ||
		not_ok "age's main module is (devel)" "got $v"
	v=$(json_get "$json" '[p["purl"] for p in d["packages"] if p["name"] == "stdlib"][0]')
	[ "$v" = pkg:golang/stdlib@1.19.8 ] && ok "stdlib purl" ||
		not_ok "stdlib purl" "got $v"
fi

v=$(json_get "$json" '[(p["version"], p.get("purl"), p["cpes"]) for p in d["packages"] if p["name"] == "bash"][0]')
want="[\"$bash_v\", \"pkg:generic/bash@$bash_v\", [\"cpe:2.3:a:gnu:bash:$bash_v:*:*:*:*:*:*:*\"]]"
[ "$v" = "$want" ] && ok "bash: version, purl and cpe" ||
	not_ok "bash: version, purl and cpe" "got $v" "want $want"
if [ -n "$libcrypto" ]; then
	ssl_v=$(openssl version 2>/dev/null | cut -d' ' -f2)
	v=$(json_get "$json" '[(p["name"], p["version"], p["locations"][0]["path"]) for p in d["packages"] if p["type"] == "binary" and p["name"] == "openssl"][0]')
	want="[\"openssl\", \"$ssl_v\", \"/usr/local/lib/libcrypto.so.3\"]"
	[ "$v" = "$want" ] && ok "libcrypto: the OpenSSL version" ||
		not_ok "libcrypto: the OpenSSL version" "got $v" "want $want"
fi
done_testing
