#!/bin/bash
# Bearer token authentication end to end: docker-registry with `auth:
# token:` trusting the certificate of tokensrv.py (RS256 JWTs with x5c),
# users alice (pull and push everywhere) and bob (pull on team/other
# only). Pulls with --username/--password-stdin equal the docker-archive,
# a wrong password, an anonymous pull and a user without access fail with
# one clear line, resolve works, and the token server saw GETs for
# "repository:team/app:pull". Identity tokens (config.json
# "identitytoken", a credential helper answering Username "<token>") are
# sent as OAuth2 refresh-token POSTs, never as Basic auth. A TLS registry
# with a plain-http realm gets no credentials.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/registry_lib.sh"
require_customs
require_registry_tools
if ! "$PYTHON" -c 'import jwt, cryptography' 2>/dev/null; then
	echo "1..0 # SKIP python3-jwt or python3-cryptography is not installed (scripts/bootstrap installs them)"
	exit 0
fi
fixtures

C=("$CUSTOMS")
private_home

# no_secret DESC WORD...: none of the words in stdout, stderr or the log
no_secret() {
	local desc=$1 w
	shift
	for w in "$@"; do
		if grep -qF -- "$w" "$OUT" "$ERR" "$TOK_LOG"; then
			not_ok "$desc" "'$w' found in the output or the token log"
			return
		fi
	done
	ok "$desc"
}

# tok_log PYEXPR: true when the expression holds for the token log's
# entries since mark_log (e: list of dicts)
mark_log() { LOG_MARK=$(wc -l <"$TOK_LOG"); }
tok_log() {
	"$PYTHON" -c '
import json, sys
e = [json.loads(l) for l in open(sys.argv[1]).read().splitlines()[int(sys.argv[2]):]]
ok = eval(sys.argv[3])
if not ok:
    print(json.dumps(e, indent=1))
sys.exit(0 if ok else 1)' "$TOK_LOG" "$LOG_MARK" "$1"
}

printf 'alice s3cret * pull,push\nbob b0b team/other pull\n' >"$T_DIR/users"
tokensrv_start tok --users "$T_DIR/users" --anonymous none \
	--refresh rt-alice-0123456789=alice --refresh rt-bob-0123456789=bob
registry_start reg token
REG_PUSH_CREDS=alice:s3cret registry_push "docker-archive:$FX/sbom-mixed.docker.tar" team/app:1 ||
	{ echo "Bail out! skopeo push failed: $(cat "$T_DIR/push.log")"; exit 1; }

# --- --username/--password-stdin through the token server ----------------------
mark_log
run_in s3cret "${C[@]}" sbom -o json --username alice --password-stdin "$REG/team/app:1"
check "sbom with --username/--password-stdin: exit 0" test "$RC" -eq 0
cp "$OUT" "$T_DIR/reg-sbom.json"
expect_exit 0 "sbom -o json of the docker-archive" \
	"${C[@]}" sbom -o json "$FX/sbom-mixed.docker.tar"
check "sbom -o json equals the docker-archive's (but for the source name, tags, manifest digest)" \
	same_sbom "$T_DIR/reg-sbom.json" "$OUT"
check "the token server saw a Basic-auth GET for alice with service and scope repository:team/app:pull" \
	tok_log 'any(x["method"] == "GET" and x["authorization"] == "basic" and x["user"] == "alice" and x["service"] == "customs-registry" and x["scope"] == ["repository:team/app:pull"] and x["status"] == 200 for x in e)'
check "every token request of the pull was such a GET (no POST, no other scope)" \
	tok_log 'e and all(x["method"] == "GET" and x["scope"] == ["repository:team/app:pull"] for x in e)'

run_in wrong-pass "${C[@]}" inspect --no-cache --username alice --password-stdin "$REG/team/app:1"
check "wrong password: exit 2" test "$RC" -eq 2
expect_one_error_line "wrong password: one error line"
expect_stderr_match "^customs: error: registry '$REG/team/app': authentication failed for user 'alice': check the password \(customs login $REG\)$" \
	"wrong password: says authentication failed for the registry and user"
no_secret "wrong password: the password appears in no output and not in the token log" wrong-pass s3cret

expect_exit 2 "anonymous (the token server grants anonymous nothing): exit 2" \
	"${C[@]}" inspect --no-cache "$REG/team/app:1"
expect_one_error_line "anonymous: one error line"
expect_stderr_match "^customs: error: registry '$REG/team/app': authentication required for 'team/app': run customs login $REG$" \
	"anonymous: says authentication is required and how to log in"

run_in b0b "${C[@]}" inspect --no-cache --username bob --password-stdin "$REG/team/app:1"
check "a user the token server grants no pull on team/app: exit 2" test "$RC" -eq 2
expect_one_error_line "no access: one error line"
expect_stderr_match "^customs: error: registry '$REG/team/app': access to 'team/app' denied: user 'bob' has no pull access \(insufficient_scope\)$" \
	"no access: says access is denied (insufficient_scope), not a bad password"

want=$(skopeo inspect --tls-verify=false --creds alice:s3cret --raw "docker://$REG/team/app:1" | sha256sum | cut -c1-64)
run_in s3cret "${C[@]}" resolve --username alice --password-stdin "$REG/team/app:1"
check "resolve through the token server: exit 0" test "$RC" -eq 0
check "resolve prints skopeo inspect --raw | sha256sum" test "$(cat "$OUT")" = "sha256:$want"

echo deny >"$TOK_DIR/anonymous"
mark_log
expect_exit 2 "anonymous where the token server refuses anonymous requests (401): exit 2" \
	"${C[@]}" inspect --no-cache "$REG/team/app:1"
expect_one_error_line "anonymous refused: one error line"
expect_stderr_match "^customs: error: registry '$REG/team/app': authentication required for 'team/app': run customs login $REG$" \
	"anonymous refused: says authentication is required and how to log in"
check "anonymous refused: the token server answered 401" \
	tok_log 'e and all(x["status"] == 401 and x["user"] is None for x in e)'
rm -f "$TOK_DIR/anonymous"

# --- identity tokens: OAuth2 refresh-token POSTs ---------------------------------
# A refresh token for alice from the password grant (what docker login
# stores as identitytoken).
RT=$("$PYTHON" -c '
import json, sys, urllib.parse, urllib.request
body = urllib.parse.urlencode({"grant_type": "password", "username": "alice",
    "password": "s3cret", "service": sys.argv[2], "scope": "",
    "client_id": "t0750", "access_type": "offline"}).encode()
r = urllib.request.urlopen(urllib.request.Request(sys.argv[1], body,
    {"Content-Type": "application/x-www-form-urlencoded"}))
print(json.load(r)["refresh_token"])' "$TOK_REALM" "$TOK_SERVICE")
check "the token server's password grant gave a refresh token" test -n "$RT"
mkdir -p "$T_DIR/it"
printf '{"auths": {"%s": {"auth": "%s", "identitytoken": "%s"}}}\n' "$REG" \
	"$(printf '<token>:' | base64)" "$RT" >"$T_DIR/it/config.json"
mark_log
DOCKER_CONFIG="$T_DIR/it" run "${C[@]}" sbom -o json --no-cache "$REG/team/app:1"
check "config.json identitytoken: the pull works" test "$RC" -eq 0
check "config.json identitytoken: the same SBOM as with the password" \
	"$PYTHON" -c 'import json, sys; sys.exit(json.load(open(sys.argv[1])) != json.load(open(sys.argv[2])))' \
	"$OUT" "$T_DIR/reg-sbom.json"
check "identitytoken: only refresh-token POSTs (form-encoded, client_id customs, service, scope repository:team/app:pull, no Authorization header)" \
	tok_log 'e and all(x["method"] == "POST" and x["grant_type"] == "refresh_token" and x["authorization"] == "none" and x["content_type"] == "application/x-www-form-urlencoded" and x["client_id"] == "customs" and x["service"] == "customs-registry" and x["scope"] == ["repository:team/app:pull"] and x["user"] == "alice" and x["status"] == 200 for x in e)'
no_secret "identitytoken: the token appears in no output and not in the token log" "$RT"

printf '{"auths": {"http://%s/v2/": {"identitytoken": "rt-revoked-0000"}}}\n' "$REG" >"$T_DIR/it/config.json"
mark_log
DOCKER_CONFIG="$T_DIR/it" run "${C[@]}" inspect --no-cache "$REG/team/app:1"
check "a wrong identity token: exit 2" test "$RC" -eq 2
expect_one_error_line "wrong identity token: one error line"
expect_stderr_match "^customs: error: registry '$REG/team/app': authentication failed: the identity token was refused \(expired or revoked\?\): run customs login $REG$" \
	"wrong identity token: says the identity token was refused"
no_secret "wrong identity token: the token appears in no output and not in the token log" rt-revoked-0000
check "wrong identity token: the token server refused a refresh-token POST (400 invalid_grant)" \
	tok_log 'e and all(x["method"] == "POST" and x["grant_type"] == "refresh_token" and x["status"] == 400 for x in e)'

printf '{"auths": {"%s": {"identitytoken": "rt-bob-0123456789"}}}\n' "$REG" >"$T_DIR/it/config.json"
DOCKER_CONFIG="$T_DIR/it" run "${C[@]}" inspect --no-cache "$REG/team/app:1"
check "an identity token whose user may not pull: exit 2" test "$RC" -eq 2
expect_stderr_match "^customs: error: registry '$REG/team/app': access to 'team/app' denied: the identity token's user has no pull access \(insufficient_scope\)$" \
	"identity token without access: says access is denied"

# A credential helper answering Username "<token>": the secret is an
# identity token.
mkdir -p "$T_DIR/bin"
cat >"$T_DIR/bin/docker-credential-fake" <<EOF
#!/bin/sh
[ "\$1" = get ] || exit 1
read -r url
if [ "\$url" = "$REG" ]; then
	printf '{"ServerURL":"%s","Username":"<token>","Secret":"%s"}\n' "\$url" "$RT"
else
	echo "credentials not found in native keychain"; exit 1
fi
EOF
chmod +x "$T_DIR/bin/docker-credential-fake"
echo '{"credsStore": "fake"}' >"$T_DIR/it/config.json"
mark_log
PATH="$T_DIR/bin:$PATH" DOCKER_CONFIG="$T_DIR/it" run "${C[@]}" inspect --no-cache -o json "$REG/team/app:1"
check "credential helper with Username <token>: the pull works" test "$RC" -eq 0
check "credential helper identity token: refresh-token POSTs only, no Basic auth" \
	tok_log 'e and all(x["method"] == "POST" and x["grant_type"] == "refresh_token" and x["authorization"] == "none" and x["client_id"] == "customs" and x["status"] == 200 for x in e)'
no_secret "credential helper identity token: the token is in no output" "$RT"

# A registry asking for Basic auth cannot take an identity token.
SAVE_REG=$REG
registry_start basic auth
printf '{"auths": {"%s": {"identitytoken": "%s"}}}\n' "$REG" "$RT" >"$T_DIR/it/config.json"
DOCKER_CONFIG="$T_DIR/it" run "${C[@]}" inspect --no-cache "$REG/team/app:1"
check "identity token against a Basic-auth registry: exit 2" test "$RC" -eq 2
expect_one_error_line "identity token and Basic: one error line"
expect_stderr_match "^customs: error: registry '$REG/team/app': the registry asks for a password \(Basic authentication\), but the credentials are an identity token: run customs login $REG$" \
	"identity token and Basic: says why and what to do"
no_secret "identity token and Basic: the token is in no output" "$RT"
REG=$SAVE_REG

# A TLS registry whose token realm is plain http: the password must not
# travel in clear, so no token request is made at all.
SAVE_REG=$REG
registry_start tls-tok token-tls
mark_log
run_in s3cret "${C[@]}" inspect --no-cache --ca-file "$REG_DIR/ca.pem" \
	--username alice --password-stdin "$REG/team/app:1"
check "TLS registry, plain-http realm: exit 2" test "$RC" -eq 2
expect_one_error_line "plain-http realm: one error line"
expect_stderr_match "^customs: error: registry '$REG/team/app': token realm '$TOK_REALM' is not an https URL$" \
	"plain-http realm: says the realm is not https"
check "plain-http realm: the token server got no request" test "$(wc -l <"$TOK_LOG")" -eq "$LOG_MARK"
REG=$SAVE_REG

# --- anonymous pulls allowed by a second token server ---------------------------
tokensrv_start tok-anon --users "$T_DIR/users" --anonymous pull
registry_start reg-anon token
REG_PUSH_CREDS=alice:s3cret registry_push "oci:$FX/busybox.oci" team/app:1 ||
	{ echo "Bail out! skopeo push failed: $(cat "$T_DIR/push.log")"; exit 1; }
mark_log
expect_exit 0 "anonymous pull where the token server grants anonymous pull" \
	"${C[@]}" inspect --no-cache -o json "$REG/team/app:1"
check "the image is right" test "$(json_get "$OUT" 'd["image"]["architecture"]')" = amd64
check "the anonymous token GETs carried no Authorization" \
	tok_log 'e and all(x["method"] == "GET" and x["authorization"] == "none" and x["user"] is None and x["scope"] == ["repository:team/app:pull"] for x in e)'

done_testing
