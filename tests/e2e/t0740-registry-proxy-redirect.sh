#!/bin/bash
# Proxies and redirects (issue 7). A forward HTTP proxy (redirfront.py
# proxy) named by http_proxy / HTTP_PROXY carries the manifest and blob
# requests and the sbom equals the direct pull's; NO_PROXY covering the
# registry bypasses it. A front that answers blob GETs with a 307 to
# another address (as registries redirect to object storage) is
# followed with the same result; with basic auth on the front the
# redirect target never receives the Authorization header.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/registry_lib.sh"
require_customs
require_registry_tools

fixtures
registry_start plain
registry_push "docker-archive:$FX/sbom-mixed.docker.tar" team/mixed:1 ||
	{ echo "Bail out! skopeo push failed: $(cat "$T_DIR/push.log")"; exit 1; }
unset http_proxy HTTP_PROXY https_proxy HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY

HELPER_PIDS=()
stop_helpers() {
	local p
	for p in "${HELPER_PIDS[@]}"; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	registry_cleanup
}
trap stop_helpers EXIT

# helper NAME MODE ARGS...: starts redirfront.py; sets PORT, HLOG
helper() {
	local name=$1 pf="$T_DIR/$1.port" i
	shift
	HLOG="$T_DIR/$name.log"
	: >"$HLOG"
	"$PYTHON" "$CUSTOMS_SRCDIR/tests/e2e/redirfront.py" "$1" "$HLOG" "$pf" "${@:2}" &
	HELPER_PIDS+=($!)
	for i in $(seq 1 100); do
		[ -s "$pf" ] && break
		sleep 0.05
	done
	PORT=$(cat "$pf")
}

# the sbom with the host:port pulled from (in the source's name and
# tags) replaced by HOST
hostless_sbom() {
	"$PYTHON" -c '
import json, re, sys
d = json.load(open(sys.argv[1]))
s = json.dumps(d, sort_keys=True, indent=1)
print(re.sub(r"127\.0\.0\.1:[0-9]+/", "HOST/", s))' "$1"
}

RPORT=${REG##*:}
blob_gets() { grep -c '"GET /v2/team/mixed/blobs/sha256:' "$REG_LOG"; }
before=$(blob_gets)
expect_exit 0 "direct pull" "$CUSTOMS" sbom -o json --no-cache "registry:$REG/team/mixed:1"
hostless_sbom "$OUT" >"$T_DIR/direct.json"
check "the direct sbom lists packages" \
	test "$(json_get "$OUT" 'len(d["packages"])')" -gt 0
n_blobs=$(($(blob_gets) - before))
check "the direct pull fetched blobs" test "$n_blobs" -ge 2

# --- forward proxy --------------------------------------------------------
helper proxy proxy
PROXY_LOG=$HLOG
PROXY="http://127.0.0.1:$PORT"
for var in http_proxy HTTP_PROXY; do
	: >"$PROXY_LOG"
	expect_exit 0 "$var: the pull through the proxy succeeds" \
		env "$var=$PROXY" "$CUSTOMS" sbom -o json --no-cache "registry:$REG/team/mixed:1"
	hostless_sbom "$OUT" >"$T_DIR/proxy-$var.json"
	check "$var: the sbom equals the direct pull's" cmp "$T_DIR/direct.json" "$T_DIR/proxy-$var.json"
	check "$var: the proxy saw the manifest request" \
		grep -q "^GET http://$REG/v2/team/mixed/manifests/1 " "$PROXY_LOG"
	check "$var: the proxy saw every blob request" \
		test "$(grep -c "^GET http://$REG/v2/team/mixed/blobs/sha256:[0-9a-f]\{64\} " "$PROXY_LOG")" -eq "$n_blobs"
done
for var in http_proxy HTTP_PROXY; do
	: >"$PROXY_LOG"
	expect_exit 0 "$var with NO_PROXY covering the registry: the pull succeeds" \
		env "$var=$PROXY" NO_PROXY=127.0.0.1 "$CUSTOMS" sbom -o json --no-cache "registry:$REG/team/mixed:1"
	check "$var with NO_PROXY: the proxy saw nothing" test ! -s "$PROXY_LOG"
done
: >"$PROXY_LOG"
expect_exit 0 "HTTP_PROXY under CGI (REQUEST_METHOD set): the pull succeeds" \
	env HTTP_PROXY="$PROXY" REQUEST_METHOD=GET "$CUSTOMS" sbom -o json --no-cache "registry:$REG/team/mixed:1"
check "HTTP_PROXY under CGI is ignored: the proxy saw nothing" test ! -s "$PROXY_LOG"
expect_exit 2 "a proxy that is down: the pull fails" \
	env http_proxy="http://127.0.0.1:$(free_port)" "$CUSTOMS" sbom -o json --no-cache "registry:$REG/team/mixed:1"
expect_one_error_line "a proxy that is down: one error line"

# --- redirects ------------------------------------------------------------
helper target target "$RPORT"
TARGET_LOG=$HLOG
TARGET="127.0.0.2:$PORT"
helper front front "$RPORT" "$TARGET"
FRONT_LOG=$HLOG
FRONT="127.0.0.1:$PORT"
expect_exit 0 "blob GETs redirected (307) to another address: the pull succeeds" \
	"$CUSTOMS" sbom -o json --no-cache "registry:$FRONT/team/mixed:1"
hostless_sbom "$OUT" >"$T_DIR/redirect.json"
check "redirected: the sbom equals the direct pull's" cmp "$T_DIR/direct.json" "$T_DIR/redirect.json"
check "redirected: every blob was fetched from the redirect target" \
	test "$(grep -c '^GET /v2/team/mixed/blobs/sha256:[0-9a-f]\{64\} ' "$TARGET_LOG")" -eq "$n_blobs"
check "redirected: the front redirected every blob" \
	test "$(grep -c '^GET /v2/team/mixed/blobs/' "$FRONT_LOG")" -eq "$n_blobs"

: >"$TARGET_LOG"
helper afront front "$RPORT" "$TARGET" bob:pa55word
AFRONT_LOG=$HLOG
AFRONT="127.0.0.1:$PORT"
RC=0
printf 'pa55word\n' | "$CUSTOMS" sbom -o json --no-cache --username bob --password-stdin \
	"registry:$AFRONT/team/mixed:1" >"$OUT" 2>"$ERR" || RC=$?
check "basic auth on the front, redirected blobs: the pull succeeds" test "$RC" -eq 0
hostless_sbom "$OUT" >"$T_DIR/auth-redirect.json"
check "basic auth, redirected: the sbom equals the direct pull's" cmp "$T_DIR/direct.json" "$T_DIR/auth-redirect.json"
check "basic auth: the front received the credentials" \
	grep -q '^GET /v2/team/mixed/manifests/1 auth=yes$' "$AFRONT_LOG"
check "basic auth: every blob was fetched from the redirect target" \
	test "$(grep -c '^GET /v2/team/mixed/blobs/' "$TARGET_LOG")" -eq "$n_blobs"
check "basic auth: the redirect target never received an Authorization header" \
	test "$(grep -c 'auth=yes' "$TARGET_LOG")" -eq 0

done_testing
