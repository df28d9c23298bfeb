#!/bin/bash
# Pulling from a real registry (Debian's docker-registry on 127.0.0.1,
# plain HTTP, anonymous): results equal the docker-archive's, resolve
# equals skopeo's digest, the blob cache, a multi-platform index, and the
# errors for a missing tag, a missing blob and a corrupted blob.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/registry_lib.sh"
require_customs
require_registry_tools
fixtures

registry_start pull
CACHE="$T_DIR/cache"
C=("$CUSTOMS")
blob_gets() { grep -c 'GET /v2/[^ ]*/blobs/' "$REG_LOG"; }

registry_push "docker-archive:$FX/sbom-mixed.docker.tar" team/mixed:1 ||
	{ echo "Bail out! skopeo push failed: $(cat "$T_DIR/push.log")"; exit 1; }
registry_push "oci:$FX/multiplatform.oci:1.0" team/multi:1.0 --all ||
	{ echo "Bail out! skopeo push --all failed: $(cat "$T_DIR/push.log")"; exit 1; }
registry_push "oci:$FX/busybox.oci" team/busybox:1 ||
	{ echo "Bail out! skopeo push failed: $(cat "$T_DIR/push.log")"; exit 1; }

# --- the same results as the docker-archive -------------------------------
expect_exit 0 "inspect registry:REF" \
	"${C[@]}" inspect -o json --cache-dir "$CACHE" "registry:$REG/team/mixed:1"
cp "$OUT" "$T_DIR/reg-inspect.json"
expect_exit 0 "inspect of the docker-archive" \
	"${C[@]}" inspect -o json "$FX/sbom-mixed.docker.tar"
cp "$OUT" "$T_DIR/arc-inspect.json"
# skopeo gzips the archive's plain tar layers on push: the blob digests,
# sizes, media types and compression legitimately differ, diff_ids not.
check "inspect -o json equals the docker-archive's (but for the source and blob fields)" \
	"$PYTHON" -c '
import json, sys
def norm(p):
    d = json.load(open(p))
    d.pop("source")
    for k in ("manifest_digest", "repo_tags", "size"):
        d["image"].pop(k)
    for l in d["layers"]:
        for k in ("digest", "size", "media_type", "compression"):
            l.pop(k)
    return d
a, b = norm(sys.argv[1]), norm(sys.argv[2])
if a != b:
    print(json.dumps(a, indent=1)[:3000]); print(json.dumps(b, indent=1)[:3000])
sys.exit(a != b)' "$T_DIR/reg-inspect.json" "$T_DIR/arc-inspect.json"
check "source.kind is registry, path the canonical reference" \
	"$PYTHON" -c '
import json, sys
d = json.load(open(sys.argv[1]))
s = d["source"]
assert s["kind"] == "registry", s
assert s["path"] == sys.argv[2] + "/team/mixed:1", s
assert d["image"]["repo_tags"] == [sys.argv[2] + "/team/mixed:1"], d["image"]
' "$T_DIR/reg-inspect.json" "$REG"

expect_exit 0 "sbom -o json from the registry (bare reference)" \
	"${C[@]}" sbom -o json --cache-dir "$CACHE" "$REG/team/mixed:1"
cp "$OUT" "$T_DIR/reg-sbom.json"
expect_exit 0 "sbom -o json of the docker-archive" \
	"${C[@]}" sbom -o json "$FX/sbom-mixed.docker.tar"
cp "$OUT" "$T_DIR/arc-sbom.json"
check "sbom -o json equals the docker-archive's (but for the source name, tags, manifest digest)" \
	same_sbom "$T_DIR/reg-sbom.json" "$T_DIR/arc-sbom.json"

# --- resolve ----------------------------------------------------------------
want=$(skopeo inspect --tls-verify=false --raw "docker://$REG/team/mixed:1" | sha256sum | cut -c1-64)
expect_exit 0 "resolve REF" "${C[@]}" resolve "$REG/team/mixed:1"
check "resolve prints skopeo inspect --raw | sha256sum" \
	test "$(cat "$OUT")" = "sha256:$want"
n_head=$(grep -c 'HEAD /v2/team/mixed/manifests/1' "$REG_LOG")
n_get=$(grep -c 'GET /v2/team/mixed/manifests/1' "$REG_LOG")
run "${C[@]}" resolve "$REG/team/mixed:1"
check "resolve sends a HEAD and no GET of the manifest" test \
	"$(grep -c 'HEAD /v2/team/mixed/manifests/1' "$REG_LOG"):$(grep -c 'GET /v2/team/mixed/manifests/1' "$REG_LOG")" = "$((n_head + 1)):$n_get"
want_idx=$(skopeo inspect --tls-verify=false --raw "docker://$REG/team/multi:1.0" | sha256sum | cut -c1-64)
expect_exit 0 "resolve an index" "${C[@]}" resolve "$REG/team/multi:1.0"
check "resolve of an index: the index digest first" \
	test "$(head -1 "$OUT")" = "sha256:$want_idx"
amd=$("$PYTHON" -c 'import json,sys
for m in json.load(open(sys.argv[1]))["manifests"]:
    p = m.get("platform", {})
    if p.get("architecture") == "amd64": print(m["digest"])' "$FX/multiplatform.oci/blobs/sha256/$want_idx")
expect_stdout_match "^linux/amd64 $amd\$" "resolve of an index lists linux/amd64 with its digest"
expect_stdout_match '^linux/arm64(/v8)? sha256:[0-9a-f]{64}$' "resolve of an index lists linux/arm64"
expect_exit 0 "resolve -o json" "${C[@]}" resolve -o json "$REG/team/multi:1.0"
check "resolve -o json has the index digest and the manifests" "$PYTHON" -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["digest"] == "sha256:" + sys.argv[2], d
assert len(d["manifests"]) >= 2, d' "$OUT" "$want_idx"
expect_exit 0 "resolve by digest" "${C[@]}" resolve "$REG/team/mixed@sha256:$want"
check "resolve by digest prints that digest" test "$(cat "$OUT")" = "sha256:$want"

# --- the cache ----------------------------------------------------------------
before=$(blob_gets)
expect_exit 0 "a second pull with a warm cache" \
	"${C[@]}" sbom -o json --cache-dir "$CACHE" "registry:$REG/team/mixed:1"
check "a second pull downloads no blob" test "$(blob_gets)" -eq "$before"
check "the cache holds the layers decompressed under their diffIDs, not the gzip blobs" \
	"$PYTHON" -c '
import hashlib, json, os, sys
d = json.load(open(sys.argv[1]))
have = set(os.listdir(sys.argv[2] + "/blobs/sha256"))
for l in d["layers"]:
    h = l["diff_id"][7:]
    assert h in have, (h, have)
    assert l["digest"][7:] not in have, l
    assert hashlib.sha256(open(sys.argv[2] + "/blobs/sha256/" + h, "rb").read()).hexdigest() == h
' "$T_DIR/reg-inspect.json" "$CACHE"
mkdir -p "$T_DIR/tmp"
TMPDIR="$T_DIR/tmp" run "${C[@]}" inspect -o json --no-cache --cache-dir "$CACHE" "registry:$REG/team/mixed:1"
check "a pull with --no-cache works" test "$RC" -eq 0
check "--no-cache downloads the config and both layers again" test "$(blob_gets)" -eq $((before + 3))
check "--no-cache leaves no temporary directory" test -z "$(ls -A "$T_DIR/tmp")"
CUSTOMS_CACHE_DIR="$T_DIR/envcache" run "${C[@]}" inspect -o json "registry:$REG/team/mixed:1"
check "CUSTOMS_CACHE_DIR chooses the cache" test -d "$T_DIR/envcache/blobs/sha256" -a "$RC" -eq 0
XDG_CACHE_HOME="$T_DIR/xdg" CUSTOMS_CACHE_DIR= run "${C[@]}" inspect -o json "registry:$REG/team/mixed:1"
check "XDG_CACHE_HOME/customs is the default cache" test -d "$T_DIR/xdg/customs/blobs/sha256" -a "$RC" -eq 0
# A tiny cap: after the pull only the image's own blobs may remain.
expect_exit 0 "pull busybox with --cache-max-size 1" \
	"${C[@]}" inspect -o json --cache-dir "$CACHE" --cache-max-size 1 "registry:$REG/team/busybox:1"
check "eviction removed the other image's blobs and kept this one's" "$PYTHON" -c '
import json, os, sys
d = json.load(open(sys.argv[1]))
have = set(os.listdir(sys.argv[2] + "/blobs/sha256"))
want = {l["diff_id"][7:] for l in d["layers"]} | {d["image"]["id"][7:], d["image"]["manifest_digest"][7:]}
sys.exit(0 if have == want else 1)' "$OUT" "$CACHE"

# --- multi-platform index ------------------------------------------------------
expect_exit 0 "index: default platform" \
	"${C[@]}" inspect -o json --cache-dir "$CACHE" "registry:$REG/team/multi:1.0"
check "index: linux/amd64 by default, index digest recorded" "$PYTHON" -c '
import json, sys
d = json.load(open(sys.argv[1]))["image"]
assert d["architecture"] == "amd64", d
assert d["index_digest"] == "sha256:" + sys.argv[2], d
assert "linux/amd64" in d["platforms"], d' "$OUT" "$want_idx"
expect_exit 0 "index: --platform linux/arm64" \
	"${C[@]}" inspect -o json --platform linux/arm64 --cache-dir "$CACHE" "registry:$REG/team/multi:1.0"
check "index: --platform linux/arm64 picks arm64" test "$(json_get "$OUT" 'd["image"]["architecture"]')" = arm64
expect_exit 2 "index: --platform linux/s390x fails" \
	"${C[@]}" inspect --platform linux/s390x --cache-dir "$CACHE" "registry:$REG/team/multi:1.0"
expect_one_error_line "index: one error line"
expect_stderr_match 'platform linux/s390x not in image; available: .*linux/amd64.*linux/arm64' \
	"index: the error lists the platforms"

# --- errors ----------------------------------------------------------------------
expect_exit 2 "a missing tag fails" \
	"${C[@]}" inspect --cache-dir "$CACHE" "registry:$REG/team/mixed:nope"
expect_one_error_line "missing tag: one error line"
expect_stderr_match "manifest 'nope': not found \(404 MANIFEST_UNKNOWN\)" "missing tag: says not found"
expect_exit 2 "a missing repository fails" "${C[@]}" resolve "$REG/team/nothing:1"
expect_stderr_match "not found" "missing repository: says not found"
expect_exit 2 "an invalid reference fails" "${C[@]}" inspect "registry:team/Bad:1"
expect_stderr_match "team/Bad:1.*(invalid|uppercase|lower)" "invalid reference: the error quotes it and says why"

# Break the busybox image in storage: one blob removed, one overwritten.
bb=$(skopeo inspect --tls-verify=false --raw "docker://$REG/team/busybox:1")
l0=$(echo "$bb" | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["layers"][0]["digest"])')
registry_push "docker-archive:$FX/busybox.docker-classic.tar" team/broken:1
br=$(skopeo inspect --tls-verify=false --raw "docker://$REG/team/broken:1")
bl=$(echo "$br" | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["layers"][-1]["digest"])')
f=$(registry_blob_file "$bl")
size=$(stat -c %s "$f")
"$PYTHON" -c 'import sys; open(sys.argv[1], "wb").write(b"x" * int(sys.argv[2]))' "$f" "$size"
nl=$(echo "$br" | "$PYTHON" -c 'import json,sys; print(len(json.load(sys.stdin)["layers"]) - 1)')
expect_exit 2 "a corrupted blob fails" \
	"${C[@]}" inspect --no-cache "registry:$REG/team/broken:1"
expect_one_error_line "corrupted blob: one error line"
expect_stderr_match "layer $nl blob $bl: digest mismatch" "corrupted blob: names the layer and says digest mismatch"
rm -f "$(registry_blob_file "$l0")"
expect_exit 2 "a missing blob fails" \
	"${C[@]}" inspect --no-cache "registry:$REG/team/busybox:1"
expect_one_error_line "missing blob: one error line"
expect_stderr_match "layer 0 blob $l0: not found" "missing blob: names the layer"

done_testing
