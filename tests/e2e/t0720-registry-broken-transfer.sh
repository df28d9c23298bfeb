#!/bin/bash
# A registry that dies mid-transfer: a proxy (cutproxy.py) in front of
# docker-registry closes blob downloads after a few bytes. A few broken
# transfers are resumed with Range and the image is the same as a direct
# pull; a registry that always breaks gives a clear error after a bounded
# number of attempts; 429 answers are waited out or reported. Layers
# are scanned while they download, so a resumed transfer continues under
# the reader: the result equals the docker-archive's, also when the
# server ignores Range and sends the whole blob again.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/registry_lib.sh"
require_customs
require_registry_tools

fixtures
registry_start flaky
registry_push "oci:$FX/busybox.oci" team/app:1 ||
	{ echo "Bail out! skopeo push failed: $(cat "$T_DIR/push.log")"; exit 1; }
registry_push "docker-archive:$FX/sbom-mixed.docker.tar" team/mixed:1 ||
	{ echo "Bail out! skopeo push failed: $(cat "$T_DIR/push.log")"; exit 1; }

PROXY_PIDS=()
stop_proxies() {
	local p
	for p in "${PROXY_PIDS[@]}"; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	registry_cleanup
}
trap stop_proxies EXIT

# proxy NAME CUT_AFTER CUT_TIMES [429:SECS]: sets PROXY (127.0.0.1:PORT), PLOG
proxy() {
	local pf="$T_DIR/$1.port" i
	PLOG="$T_DIR/$1.log"
	: >"$PLOG"
	"$PYTHON" "$CUSTOMS_SRCDIR/tests/e2e/cutproxy.py" "${REG##*:}" "$2" "$3" "$PLOG" "$pf" ${4:+"$4"} &
	PROXY_PIDS+=($!)
	for i in $(seq 1 100); do
		[ -s "$pf" ] && break
		sleep 0.05
	done
	PROXY="127.0.0.1:$(cat "$pf")"
}

expect_exit 0 "direct pull" "$CUSTOMS" inspect -o json --no-cache "registry:$REG/team/app:1"
sed 's/"path": "[^"]*"/"path": ""/; s/127.0.0.1:[0-9]*/HOST/g' "$OUT" >"$T_DIR/direct.json"

proxy cut2 64 2
expect_exit 0 "two broken transfers: the pull succeeds" \
	"$CUSTOMS" inspect -o json --no-cache "registry:$PROXY/team/app:1"
sed 's/"path": "[^"]*"/"path": ""/; s/127.0.0.1:[0-9]*/HOST/g' "$OUT" >"$T_DIR/flaky.json"
check "the resumed pull gives the same result as the direct one" cmp "$T_DIR/direct.json" "$T_DIR/flaky.json"
check "the two broken transfers were resumed with Range" \
	test "$(grep -c '/blobs/.* bytes=[0-9]*-$' "$PLOG")" -eq 2
check "the first resume asks for bytes=64-" grep -q '/blobs/.* bytes=64-$' "$PLOG"

expect_exit 0 "sbom of the docker-archive" "$CUSTOMS" sbom -o json "$FX/sbom-mixed.docker.tar"
norm_sbom "$OUT" >"$T_DIR/arc.json"
proxy cut3 500 3
expect_exit 0 "three broken transfers, sbom: the pull succeeds" \
	"$CUSTOMS" sbom -o json --no-cache "registry:$PROXY/team/mixed:1"
norm_sbom "$OUT" >"$T_DIR/cut.json"
check "the streamed, resumed sbom equals the docker-archive's" cmp "$T_DIR/arc.json" "$T_DIR/cut.json"
check "the broken transfers were resumed at byte 500" \
	test "$(grep -c '/blobs/.* bytes=500-$' "$PLOG")" -ge 1
proxy norange 500 3 norange
expect_exit 0 "a server ignoring Range: the pull succeeds" \
	"$CUSTOMS" sbom -o json --no-cache "registry:$PROXY/team/mixed:1"
norm_sbom "$OUT" >"$T_DIR/norange.json"
check "ignored Range: the sbom equals the docker-archive's" cmp "$T_DIR/arc.json" "$T_DIR/norange.json"
check "ignored Range: the retries asked for a range" \
	test "$(grep -c '/blobs/.* bytes=500-$' "$PLOG")" -ge 1

# A layer of 1 MiB, read while it downloads: cut after 300000 bytes
# (past the reader's first 256 KiB read) twice, resumed under the reader.
"$PYTHON" "$CUSTOMS_SRCDIR/tests/e2e/mksibling.py" "$FX/busybox.oci" "$T_DIR/big.oci" 1048576 ||
	{ echo "Bail out! mksibling.py failed"; exit 1; }
registry_push "oci:$T_DIR/big.oci" team/big:1 ||
	{ echo "Bail out! skopeo push failed: $(cat "$T_DIR/push.log")"; exit 1; }
expect_exit 0 "big layer: direct pull" "$CUSTOMS" inspect -o json --files --no-cache "registry:$REG/team/big:1"
sed 's/"path": "[^"]*"/"path": ""/; s/127.0.0.1:[0-9]*/HOST/g' "$OUT" >"$T_DIR/big-direct.json"
for mode in range norange; do
	proxy "big-$mode" 300000 2 $([ $mode = norange ] && echo norange)
	expect_exit 0 "big layer, $mode: two broken transfers, the pull succeeds" \
		"$CUSTOMS" inspect -o json --files --no-cache "registry:$PROXY/team/big:1"
	sed 's/"path": "[^"]*"/"path": ""/; s/127.0.0.1:[0-9]*/HOST/g' "$OUT" >"$T_DIR/big-$mode.json"
	check "big layer, $mode: the same result as the direct pull" cmp "$T_DIR/big-direct.json" "$T_DIR/big-$mode.json"
done
check "big layer: resumed at 300000 and then at 600000" \
	test "$(grep -oE 'bytes=[0-9]+-$' "$T_DIR/big-range.log" | tr '\n' ' ')" = "bytes=300000- bytes=600000- "

# The big layer's download dies while the scan reads it (config cached):
# cut after every 100000 bytes, 5 attempts end at 500000 of ~1 MiB.
CACHE="$T_DIR/cache"
expect_exit 0 "warm the config" "$CUSTOMS" inspect -o json --cache-dir "$CACHE" "registry:$REG/team/big:1"
cfg=$(json_get "$OUT" 'd["image"]["id"][7:]')
find "$CACHE/blobs/sha256" -type f ! -name "$cfg" -delete
proxy dies 100000 -1
expect_exit 2 "a layer download that dies mid-scan fails" \
	"$CUSTOMS" inspect -o json --cache-dir "$CACHE" "registry:$PROXY/team/big:1"
expect_one_error_line "dies mid-scan: one error line"
expect_stderr_match "layer 1 blob sha256:[0-9a-f]{64}: .*\(5 attempts\)" \
	"dies mid-scan: the error names the layer and the broken transfer"
big_diff=$(json_get "$T_DIR/big-direct.json" 'd["layers"][1]["diff_id"][7:]')
check "dies mid-scan: no temporary file left, the big layer not cached" \
	test -z "$(ls -A "$CACHE/blobs/sha256" | grep -e '^\.tmp-' -e "$big_diff")" -a -f "$CACHE/blobs/sha256/$cfg"

# Rate limits: a 429 with a short Retry-After is waited out; a long one
# is an error that says when to come back.
proxy rate1 0 2 429:1
expect_exit 0 "two 429 answers with Retry-After: 1: the pull succeeds" \
	"$CUSTOMS" inspect -o json --no-cache "registry:$PROXY/team/app:1"
proxy rate600 0 -1 429:600
expect_exit 2 "429 with Retry-After: 600: the pull fails at once" \
	timeout 20 "$CUSTOMS" inspect --no-cache "registry:$PROXY/team/app:1"
expect_one_error_line "rate limit: one error line"
expect_stderr_match "rate limit exceeded \(429\): retry after 600 s" "rate limit: says when to retry"

done_testing
