#!/bin/bash
# The registry cache keeps layers decompressed under their diffIDs: a
# cold pull scans each layer while it downloads and caches the tar it
# decoded; a second pull downloads no blob and reads those tars; a
# sibling image whose base layer was compressed differently downloads
# only its own layer; a damaged cached layer is caught by the diffID
# check, removed, and downloaded again by the next run. Manifests and
# indexes are cached by digest: a warm pull by digest sends no manifest
# request, by tag only a HEAD; a damaged entry is fetched again.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/registry_lib.sh"
require_customs
require_registry_tools
fixtures

registry_start layercache
CACHE="$T_DIR/cache"
C=("$CUSTOMS")
blob_gets() { grep -c 'GET /v2/[^ ]*/blobs/' "$REG_LOG"; }
# flip_bit MASK FILE: xor the middle byte of FILE with MASK
flip_bit() {
	"$PYTHON" -c '
import sys
p = sys.argv[2]
b = bytearray(open(p, "rb").read())
b[len(b) // 2] ^= int(sys.argv[1], 16)
open(p, "wb").write(b)' "$@"
}
# "hex hex ...": the diffIDs of an inspect -o json
diff_ids() { json_get "$1" '" ".join(l["diff_id"][7:] for l in d["layers"])'; }

"$PYTHON" "$CUSTOMS_SRCDIR/tests/e2e/mksibling.py" "$FX/busybox.oci" "$T_DIR/sibling.oci" ||
	{ echo "Bail out! mksibling.py failed"; exit 1; }
registry_push "docker-archive:$FX/sbom-mixed.docker.tar" team/mixed:1 ||
	{ echo "Bail out! skopeo push failed: $(cat "$T_DIR/push.log")"; exit 1; }
registry_push "oci:$FX/busybox.oci" team/base:1 ||
	{ echo "Bail out! skopeo push failed: $(cat "$T_DIR/push.log")"; exit 1; }
registry_push "oci:$T_DIR/sibling.oci" team/sibling:1 ||
	{ echo "Bail out! skopeo push failed: $(cat "$T_DIR/push.log")"; exit 1; }

# --- a cold pull: streamed, equal to the docker-archive, cached decompressed
expect_exit 0 "sbom of the docker-archive" "${C[@]}" sbom -o json "$FX/sbom-mixed.docker.tar"
norm_sbom "$OUT" >"$T_DIR/arc.json"
expect_exit 0 "cold pull: sbom -o json" \
	"${C[@]}" sbom -o json --cache-dir "$CACHE" "registry:$REG/team/mixed:1"
norm_sbom "$OUT" >"$T_DIR/cold.json"
check "cold pull: the streamed sbom equals the docker-archive's" cmp "$T_DIR/arc.json" "$T_DIR/cold.json"
check "cold pull: config and both layers downloaded once" test "$(blob_gets)" -eq 3
expect_exit 0 "inspect -o json (for the digests)" \
	"${C[@]}" inspect -o json --cache-dir "$CACHE" "registry:$REG/team/mixed:1"
cp "$OUT" "$T_DIR/mixed.json"
check "the cache holds each layer as a file named by its diffID, whose sha256 is that diffID" \
	"$PYTHON" -c '
import hashlib, json, os, sys
d = json.load(open(sys.argv[1]))
top = sys.argv[2] + "/blobs/sha256/"
for l in d["layers"]:
    h = l["diff_id"][7:]
    assert hashlib.sha256(open(top + h, "rb").read()).hexdigest() == h, h
' "$T_DIR/mixed.json" "$CACHE"
check "the cache keeps no compressed layer blob and no temporary file" "$PYTHON" -c '
import json, os, sys
d = json.load(open(sys.argv[1]))
have = set(os.listdir(sys.argv[2] + "/blobs/sha256"))
want = {l["diff_id"][7:] for l in d["layers"]} | {d["image"]["id"][7:], d["image"]["manifest_digest"][7:]}
sys.exit(0 if have == want else "%s != %s" % (sorted(have), sorted(want)))' "$T_DIR/mixed.json" "$CACHE"
check "the layers are reported with their blob compression (gzip)" \
	test "$(json_get "$T_DIR/mixed.json" '" ".join(l["compression"] for l in d["layers"])')" = "gzip gzip"

# --- a warm pull: no download, the uncompressed tars ---------------------------
before=$(blob_gets)
expect_exit 0 "warm pull: sbom -o json" \
	"${C[@]}" sbom -o json --cache-dir "$CACHE" "registry:$REG/team/mixed:1"
norm_sbom "$OUT" >"$T_DIR/warm.json"
check "warm pull: downloads no blob" test "$(blob_gets)" -eq "$before"
check "warm pull: the same sbom" cmp "$T_DIR/arc.json" "$T_DIR/warm.json"
expect_exit 0 "warm pull: inspect -o json" \
	"${C[@]}" inspect -o json --cache-dir "$CACHE" "registry:$REG/team/mixed:1"
check "warm pull: the same inspect output (compression still gzip)" cmp "$T_DIR/mixed.json" "$OUT"

# --- a sibling: the base layer (recompressed) hits by diffID -------------------
expect_exit 0 "pull the base image" \
	"${C[@]}" inspect -o json --cache-dir "$CACHE" "registry:$REG/team/base:1"
cp "$OUT" "$T_DIR/base.json"
before=$(blob_gets)
expect_exit 0 "pull the sibling" \
	"${C[@]}" inspect -o json --cache-dir "$CACHE" "registry:$REG/team/sibling:1"
cp "$OUT" "$T_DIR/sibling.json"
sib_base=$(json_get "$T_DIR/sibling.json" 'd["layers"][0]["digest"]')
sib_own=$(json_get "$T_DIR/sibling.json" 'd["layers"][1]["digest"]')
check "the sibling's base blob differs from the base image's (same diffID)" \
	test "$sib_base" != "$(json_get "$T_DIR/base.json" 'd["layers"][0]["digest"]')" -a \
	"$(diff_ids "$T_DIR/sibling.json" | cut -d' ' -f1)" = "$(diff_ids "$T_DIR/base.json")"
check "the sibling downloads its config and its own layer only" \
	test "$(blob_gets)" -eq $((before + 2))
check "the sibling's base layer blob was not downloaded" \
	test "$(grep -c "GET /v2/team/sibling/blobs/$sib_base" "$REG_LOG")" -eq 0
check "the sibling's own layer was downloaded" \
	test "$(grep -c "GET /v2/team/sibling/blobs/$sib_own" "$REG_LOG")" -eq 1
check "the sibling has its two layers and the new file" "$PYTHON" -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["layers"]) == 2, d["layers"]
assert d["layers"][1]["files"] == 1, d["layers"][1]' "$T_DIR/sibling.json"

# --- a damaged cached layer ------------------------------------------------------
l1=$(diff_ids "$T_DIR/mixed.json" | cut -d' ' -f2)
f="$CACHE/blobs/sha256/$l1"
flip_bit 0x20 "$f"
before=$(blob_gets)
expect_exit 2 "a damaged cached layer fails the scan" \
	"${C[@]}" sbom -o json --cache-dir "$CACHE" "registry:$REG/team/mixed:1"
expect_one_error_line "damaged cache: one error line"
expect_stderr_match "layer 1: the cached copy sha256:$l1 is damaged \(content has sha256:[0-9a-f]{64}\); removed it from the cache, run again" \
	"damaged cache: names the layer and the entry, says it was removed"
check "damaged cache: the entry is gone" test ! -e "$f"
check "damaged cache: nothing was downloaded" test "$(blob_gets)" -eq "$before"
expect_exit 0 "damaged cache: a rerun succeeds" \
	"${C[@]}" sbom -o json --cache-dir "$CACHE" "registry:$REG/team/mixed:1"
norm_sbom "$OUT" >"$T_DIR/rerun.json"
check "damaged cache: the rerun downloads that layer only" test "$(blob_gets)" -eq $((before + 1))
check "damaged cache: the rerun gives the same sbom" cmp "$T_DIR/arc.json" "$T_DIR/rerun.json"
check "damaged cache: the entry is back, right" \
	test "$(sha256sum <"$f" | cut -c1-64)" = "$l1"

# --- manifests cached by digest ---------------------------------------------------
man_gets() { grep -c 'GET /v2/[^ ]*/manifests/' "$REG_LOG"; }
man_heads() { grep -c 'HEAD /v2/[^ ]*/manifests/' "$REG_LOG"; }
md=$(json_get "$T_DIR/mixed.json" 'd["image"]["manifest_digest"]')
mf="$CACHE/blobs/sha256/${md#sha256:}"
check "the manifest is cached under its digest, verified" \
	test "$(sha256sum <"$mf" | cut -c1-64)" = "${md#sha256:}"
g=$(man_gets) h=$(man_heads)
expect_exit 0 "pull by digest, warm cache" \
	"${C[@]}" sbom -o json --cache-dir "$CACHE" "registry:$REG/team/mixed@$md"
norm_sbom "$OUT" >"$T_DIR/bydigest.json"
check "pull by digest: the same sbom" cmp "$T_DIR/arc.json" "$T_DIR/bydigest.json"
check "pull by digest: no manifest GET, no HEAD" test "$(man_gets):$(man_heads)" = "$g:$h"
expect_exit 0 "pull by tag, warm cache" \
	"${C[@]}" sbom -o json --cache-dir "$CACHE" "registry:$REG/team/mixed:1"
check "pull by tag: one HEAD, no manifest GET" test "$(man_gets):$(man_heads)" = "$g:$((h + 1))"

registry_push "oci:$FX/multiplatform.oci:1.0" team/multi:1.0 --all ||
	{ echo "Bail out! skopeo push --all failed: $(cat "$T_DIR/push.log")"; exit 1; }
expect_exit 0 "an index, cold" \
	"${C[@]}" inspect -o json --cache-dir "$CACHE" --platform linux/arm64 "registry:$REG/team/multi:1.0"
cp "$OUT" "$T_DIR/multi.json"
g=$(man_gets) h=$(man_heads)
expect_exit 0 "an index, warm" \
	"${C[@]}" inspect -o json --cache-dir "$CACHE" --platform linux/arm64 "registry:$REG/team/multi:1.0"
check "an index, warm: the same output" cmp "$T_DIR/multi.json" "$OUT"
check "an index, warm: one HEAD, no GET of the index or the manifest" \
	test "$(man_gets):$(man_heads)" = "$g:$((h + 1))"

flip_bit 0x01 "$mf"
g=$(man_gets)
expect_exit 0 "a damaged cached manifest: the pull by digest still works" \
	"${C[@]}" sbom -o json --cache-dir "$CACHE" "registry:$REG/team/mixed@$md"
norm_sbom "$OUT" >"$T_DIR/bydigest2.json"
check "damaged manifest: the same sbom" cmp "$T_DIR/arc.json" "$T_DIR/bydigest2.json"
check "damaged manifest: fetched again (one GET)" test "$(man_gets)" -eq $((g + 1))
check "damaged manifest: the entry is back, right" \
	test "$(sha256sum <"$mf" | cut -c1-64)" = "${md#sha256:}"
expect_exit 0 "--no-cache: pull by digest" \
	"${C[@]}" sbom -o json --no-cache --cache-dir "$CACHE" "registry:$REG/team/mixed@$md"
check "--no-cache: the manifest is fetched" test "$(man_gets)" -eq $((g + 2))

done_testing
