#!/bin/bash
# A registry that dies mid-transfer: a proxy (cutproxy.py) in front of
# docker-registry closes blob downloads after a few bytes. A few broken
# transfers are resumed with Range and the image is the same as a direct
# pull; a registry that always breaks gives a clear error after a bounded
# number of attempts; 429 answers are waited out or reported.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/registry_lib.sh"
require_customs
require_registry_tools

fixtures
registry_start flaky
registry_push "oci:$FX/busybox.oci" team/app:1 ||
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

proxy always 0 -1
expect_exit 2 "a registry that always breaks: the pull fails" \
	"$CUSTOMS" inspect --no-cache "registry:$PROXY/team/app:1"
expect_one_error_line "always broken: one error line"
expect_stderr_match "(config|layer [0-9]+) blob sha256:[0-9a-f]{64}: .*(closed|Transferred a partial file|remaining).*\(5 attempts\)" \
	"always broken: the error names the blob and the broken transfer"
blob=$(grep -oE 'blob sha256:[0-9a-f]{64}' "$ERR" | head -1 | cut -d' ' -f2)
check "always broken: exactly 5 attempts for the failed blob" \
	test "$(grep -c "GET /v2/team/app/blobs/$blob" "$PLOG")" -eq 5

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
