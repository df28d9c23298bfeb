#!/bin/bash
# Registry authentication and TLS against docker-registry: htpasswd basic
# auth (no credentials, right and wrong password, --password-stdin,
# config.json through DOCKER_CONFIG and HOME, login and logout), and TLS
# with a CA made here (--ca-file, refused without it, --insecure only for
# the registry it names).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/registry_lib.sh"
require_customs
require_registry_tools
fixtures

C=("$CUSTOMS")
private_home

# --- basic auth ----------------------------------------------------------------
registry_start auth auth
registry_push "oci:$FX/busybox.oci" team/app:1 ||
	{ echo "Bail out! skopeo push failed: $(cat "$T_DIR/push.log")"; exit 1; }
AUTH_REG=$REG

expect_exit 2 "no credentials: refused" "${C[@]}" inspect "registry:$REG/team/app:1"
expect_one_error_line "no credentials: one error line"
expect_stderr_match "authentication required for 'team/app': run customs login $REG" \
	"no credentials: says to run customs login HOST"

run_in s3cret "${C[@]}" inspect -o json --username alice --password-stdin "registry:$REG/team/app:1"
check "--username/--password-stdin: pull works" test "$RC" -eq 0
check "--username/--password-stdin: the image is right" \
	test "$(json_get "$OUT" 'd["image"]["architecture"]')" = amd64

run_in wrong "${C[@]}" inspect --no-cache --username alice --password-stdin "registry:$REG/team/app:1"
check "wrong password: exit 2" test "$RC" -eq 2
expect_one_error_line "wrong password: one error line"
expect_stderr_match "authentication failed for user 'alice'" "wrong password: says authentication failed"
if grep -q wrong "$ERR"; then
	not_ok "wrong password: the password is not printed" "$(cat "$ERR")"
else
	ok "wrong password: the password is not printed"
fi

mkdir -p "$T_DIR/dc"
printf '{"auths": {"%s": {"auth": "%s"}}}\n' "$REG" "$(printf alice:s3cret | base64)" >"$T_DIR/dc/config.json"
DOCKER_CONFIG="$T_DIR/dc" run "${C[@]}" inspect --no-cache "registry:$REG/team/app:1"
check "DOCKER_CONFIG/config.json credentials are used" test "$RC" -eq 0
printf '{"auths": {"http://%s/v2/": {"auth": "%s"}}}\n' "$REG" "$(printf alice:nope | base64)" >"$T_DIR/dc/config.json"
DOCKER_CONFIG="$T_DIR/dc" run "${C[@]}" inspect --no-cache "registry:$REG/team/app:1"
check "a wrong password in config.json (URL-style key) is refused" test "$RC" -eq 2
expect_stderr_match "authentication failed for user 'alice'"
echo '{"auths": ' >"$T_DIR/dc/config.json"
DOCKER_CONFIG="$T_DIR/dc" run "${C[@]}" inspect --no-cache "registry:$REG/team/app:1"
check "a malformed config.json is an error naming the file" test "$RC" -eq 2
expect_stderr_match "dc/config.json"

# Credential helpers: docker-credential-NAME get, server URL on stdin.
mkdir -p "$T_DIR/bin"
cat >"$T_DIR/bin/docker-credential-fake" <<EOF
#!/bin/sh
case "\$1" in
store) cat >"$T_DIR/helper-store.json"; exit 0 ;;
erase) read -r url; echo "\$url" >>"$T_DIR/helper-erase.log"; exit 0 ;;
get) ;;
*) exit 1 ;;
esac
read -r url
echo "\$url" >>"$T_DIR/helper.log"
if [ "\$url" = "$REG" ]; then
	printf '{"ServerURL":"%s","Username":"alice","Secret":"s3cret"}\n' "\$url"
else
	echo "credentials not found in native keychain"; exit 1
fi
EOF
chmod +x "$T_DIR/bin/docker-credential-fake"
echo '{"credsStore": "fake"}' >"$T_DIR/dc/config.json"
PATH="$T_DIR/bin:$PATH" DOCKER_CONFIG="$T_DIR/dc" run "${C[@]}" inspect --no-cache "registry:$REG/team/app:1"
check "credsStore: the helper's credentials are used" test "$RC" -eq 0
check "credsStore: the helper was asked for the registry" grep -qx "$REG" "$T_DIR/helper.log"
printf '{"credHelpers": {"%s": "absent"}, "auths": {"%s": {"auth": "%s"}}}\n' "$REG" "$REG" \
	"$(printf alice:s3cret | base64)" >"$T_DIR/dc/config.json"
DOCKER_CONFIG="$T_DIR/dc" run "${C[@]}" inspect --no-cache "registry:$REG/team/app:1"
check "credHelpers naming a helper that is not installed: auths is used" test "$RC" -eq 0

# login/logout with a credsStore: the helper stores and erases the secret,
# config.json keeps an empty entry (as docker login does).
mkdir -p "$T_DIR/dcs"
echo '{"credsStore": "fake"}' >"$T_DIR/dcs/config.json"
PATH="$T_DIR/bin:$PATH" DOCKER_CONFIG="$T_DIR/dcs" run_in s3cret "${C[@]}" login "$REG" -u alice --password-stdin
check "login with a credsStore succeeds" test "$RC" -eq 0
check "the helper stored the server, user and secret" "$PYTHON" -c '
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(d != {"ServerURL": sys.argv[2], "Username": "alice", "Secret": "s3cret"})' \
	"$T_DIR/helper-store.json" "$REG"
check "config.json keeps an empty entry and no secret" "$PYTHON" -c '
import json, sys
t = open(sys.argv[1]).read()
d = json.loads(t)
sys.exit(d["auths"] != {sys.argv[2]: {}} or "s3cret" in t or "YWxpY2U6czNjcmV0" in t)' \
	"$T_DIR/dcs/config.json" "$REG"
PATH="$T_DIR/bin:$PATH" DOCKER_CONFIG="$T_DIR/dcs" run "${C[@]}" logout "$REG"
check "logout with a credsStore succeeds" test "$RC" -eq 0
check "logout asked the helper to erase the registry" grep -qx "$REG" "$T_DIR/helper-erase.log"
check "logout removed the empty entry" "$PYTHON" -c '
import json, sys
sys.exit(sys.argv[2] in json.load(open(sys.argv[1])).get("auths", {}))' "$T_DIR/dcs/config.json" "$REG"

run_in wrong "${C[@]}" login "$REG" -u alice --password-stdin
check "login with a wrong password fails" test "$RC" -eq 2
check "a failed login writes no config.json" test ! -e "$HOME/.docker/config.json"
run_in s3cret "${C[@]}" login "$REG" -u alice --password-stdin
check "login succeeds" test "$RC" -eq 0
check "login writes ~/.docker/config.json with mode 0600" \
	test "$(stat -c %a "$HOME/.docker/config.json" 2>/dev/null)" = 600
check "config.json holds base64 user:password for the registry" "$PYTHON" -c '
import base64, json, sys
d = json.load(open(sys.argv[1]))
sys.exit(base64.b64decode(d["auths"][sys.argv[2]]["auth"]) != b"alice:s3cret")' \
	"$HOME/.docker/config.json" "$REG"
expect_exit 0 "after login a pull needs no options" "${C[@]}" inspect --no-cache "registry:$REG/team/app:1"
expect_exit 0 "after login resolve works" "${C[@]}" resolve "$REG/team/app:1"
expect_stdout_match '^sha256:[0-9a-f]{64}$'
expect_exit 0 "logout" "${C[@]}" logout "$REG"
check "logout removed the entry" "$PYTHON" -c '
import json, sys
sys.exit(sys.argv[2] in json.load(open(sys.argv[1])).get("auths", {}))' "$HOME/.docker/config.json" "$REG"
expect_exit 2 "logout again: not logged in" "${C[@]}" logout "$REG"
expect_exit 2 "after logout a pull is refused" "${C[@]}" inspect --no-cache "registry:$REG/team/app:1"

# --- TLS --------------------------------------------------------------------------
registry_start tls tls
registry_push "oci:$FX/busybox.oci" team/app:1 ||
	{ echo "Bail out! skopeo push over TLS failed: $(cat "$T_DIR/push.log")"; exit 1; }
expect_exit 0 "TLS: verified with --ca-file" \
	"${C[@]}" inspect --no-cache --ca-file "$REG_DIR/ca.pem" "registry:$REG/team/app:1"
expect_exit 2 "TLS: an unknown CA is refused" "${C[@]}" inspect --no-cache "registry:$REG/team/app:1"
expect_one_error_line "TLS: one error line"
expect_stderr_match "TLS certificate of '$REG' not trusted.*--ca-file" "TLS: the error says to use --ca-file"
expect_exit 0 "TLS: --insecure for this registry works" \
	"${C[@]}" inspect --no-cache --insecure "$REG" "registry:$REG/team/app:1"
expect_exit 2 "TLS: --insecure for another registry does not apply" \
	"${C[@]}" inspect --no-cache --insecure "$AUTH_REG" "registry:$REG/team/app:1"
expect_stderr_match "not trusted"
expect_exit 0 "TLS: resolve with --ca-file" \
	"${C[@]}" resolve --ca-file "$REG_DIR/ca.pem" "$REG/team/app:1"

done_testing
