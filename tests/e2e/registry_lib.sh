# registry_lib.sh: start the Debian docker-registry on 127.0.0.1 for the
# t07NN-registry-*.sh tests. Source after lib.sh.
#
#   require_registry_tools       skip the whole script when docker-registry
#                                or skopeo is missing (prints the plan)
#   registry_start NAME [auth|tls|auth-tls|token|token-tls]
#                                start a registry with its storage in
#                                $T_DIR/NAME; sets REG (127.0.0.1:PORT),
#                                REG_DIR, REG_LOG; auth: user "alice",
#                                password "s3cret" (htpasswd, bcrypt);
#                                tls: a CA and certificate made by openssl
#                                ($REG_DIR/ca.pem); token: bearer tokens
#                                from the last tokensrv_start
#   tokensrv_start NAME [tokensrv.py options]
#                                start tokensrv.py with its files in
#                                $T_DIR/NAME; sets TOK_DIR, TOK_LOG,
#                                TOK_REALM, TOK_SERVICE
#   registry_push SRC REPO:TAG [skopeo args]
#                                copy an image into the last registry
#   registry_blob_file DIGEST    the storage path of a blob
#   run_in INPUT CMD...          run with INPUT (and a newline) on stdin,
#                                like lib.sh's run
#   private_home                 HOME, the cache and no DOCKER_CONFIG in
#                                $T_DIR, so no credentials of the machine
#                                are read or written
#   norm_sbom FILE               an sbom -o json file without the fields
#                                that name the source (name, tags and
#                                manifest digest), keys sorted
#   same_sbom A B                true when two sbom -o json files are equal
#                                but for the source's name, tags and
#                                manifest digest, and have packages
# Every registry started is killed when the script exits.

REG_PIDS=()

registry_cleanup() {
	local p
	for p in "${REG_PIDS[@]}"; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	return 0
}
trap registry_cleanup EXIT

require_registry_tools() {
	local t
	for t in docker-registry skopeo htpasswd openssl; do
		if ! command -v "$t" >/dev/null 2>&1 && [ ! -x "/usr/bin/$t" ]; then
			echo "1..0 # SKIP $t is not installed (scripts/bootstrap installs it)"
			exit 0
		fi
	done
}

free_port() {
	"$PYTHON" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

make_certs() {
	local d=$1
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=customs test CA" \
		-keyout "$d/ca.key" -out "$d/ca.pem" >/dev/null 2>&1 &&
		openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
			-keyout "$d/server.key" -out "$d/server.csr" >/dev/null 2>&1 &&
		printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$d/ext.cnf" &&
		openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" \
			-CAcreateserial -days 2 -extfile "$d/ext.cnf" \
			-out "$d/server.pem" >/dev/null 2>&1
}

tokensrv_start() {
	local name=$1 i
	shift
	TOK_DIR="$T_DIR/$name"
	TOK_LOG="$TOK_DIR/tokens.log"
	TOK_SERVICE=customs-registry
	mkdir -p "$TOK_DIR"
	"$PYTHON" "$CUSTOMS_SRCDIR/tests/e2e/tokensrv.py" "$TOK_DIR" \
		--service "$TOK_SERVICE" --issuer customs-tokensrv "$@" \
		>"$TOK_DIR/stderr" 2>&1 &
	REG_PIDS+=($!)
	for i in $(seq 1 100); do
		if [ -s "$TOK_DIR/port" ]; then
			TOK_REALM="http://127.0.0.1:$(cat "$TOK_DIR/port")/token"
			return 0
		fi
		sleep 0.1
	done
	echo "Bail out! tokensrv.py did not start: $(tail -5 "$TOK_DIR/stderr")"
	exit 1
}

registry_start() {
	local name=$1 mode=${2:-plain} port i
	REG_DIR="$T_DIR/$name"
	mkdir -p "$REG_DIR/data"
	port=$(free_port)
	REG="127.0.0.1:$port"
	REG_LOG="$REG_DIR/registry.log"
	{
		echo "version: 0.1"
		echo "log: {level: info, accesslog: {disabled: false}}"
		echo "storage:"
		echo "  filesystem: {rootdirectory: $REG_DIR/data}"
		echo "  delete: {enabled: true}"
		echo "  cache: {blobdescriptor: ''}"
		echo "http:"
		echo "  addr: $REG"
		echo "  secret: customs-test"
	} >"$REG_DIR/config.yml"
	case $mode in
	*tls*)
		make_certs "$REG_DIR" || return 1
		echo "  tls: {certificate: $REG_DIR/server.pem, key: $REG_DIR/server.key}" >>"$REG_DIR/config.yml"
		;;
	esac
	case $mode in
	*auth*)
		htpasswd -Bbn alice s3cret >"$REG_DIR/htpasswd"
		{
			echo "auth:"
			echo "  htpasswd: {realm: customs-test, path: $REG_DIR/htpasswd}"
		} >>"$REG_DIR/config.yml"
		;;
	esac
	case $mode in
	*token*)
		{
			echo "auth:"
			echo "  token:"
			echo "    realm: $TOK_REALM"
			echo "    service: $TOK_SERVICE"
			echo "    issuer: customs-tokensrv"
			echo "    rootcertbundle: $TOK_DIR/cert.pem"
		} >>"$REG_DIR/config.yml"
		;;
	esac
	docker-registry serve "$REG_DIR/config.yml" >"$REG_LOG" 2>&1 &
	REG_PIDS+=($!)
	for i in $(seq 1 100); do
		if grep -q "listening on" "$REG_LOG" 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	echo "Bail out! docker-registry did not start: $(tail -5 "$REG_LOG")"
	exit 1
}

# registry_push SRC REPO:TAG [extra skopeo args...]
registry_push() {
	local src=$1 dst=$2
	shift 2
	local creds=()
	[ -f "$REG_DIR/htpasswd" ] && creds=(--dest-creds alice:s3cret)
	[ -n "${REG_PUSH_CREDS:-}" ] && creds=(--dest-creds "$REG_PUSH_CREDS")
	local tls=(--dest-tls-verify=false)
	[ -f "$REG_DIR/ca.pem" ] && tls=(--dest-cert-dir "$REG_DIR/certs.d")
	if [ -f "$REG_DIR/ca.pem" ]; then
		mkdir -p "$REG_DIR/certs.d"
		cp "$REG_DIR/ca.pem" "$REG_DIR/certs.d/ca.crt"
	fi
	skopeo --insecure-policy copy -q "${tls[@]}" "${creds[@]}" "$@" \
		"$src" "docker://$REG/$dst" >"$T_DIR/push.log" 2>&1
}

registry_blob_file() {
	local hex=${1#sha256:}
	echo "$REG_DIR/data/docker/registry/v2/blobs/sha256/${hex:0:2}/$hex/data"
}

run_in() {
	local input=$1
	shift
	RC=0
	printf '%s\n' "$input" | "$@" >"$OUT" 2>"$ERR" || RC=$?
}

private_home() {
	export HOME="$T_DIR/home"
	mkdir -p "$HOME"
	unset DOCKER_CONFIG
	export CUSTOMS_CACHE_DIR="$T_DIR/cache"
}

norm_sbom() {
	"$PYTHON" -c '
import json, sys
d = json.load(open(sys.argv[1]))
for k in ("name", "manifest_digest", "tags"):
    d["source"].pop(k, None)
json.dump(d, sys.stdout, sort_keys=True, indent=1)' "$1"
}

same_sbom() {
	"$PYTHON" -c '
import json, sys
def norm(p):
    d = json.load(open(p))
    for k in ("name", "manifest_digest", "tags"):
        d["source"].pop(k)
    return d
a, b = norm(sys.argv[1]), norm(sys.argv[2])
assert len(a["packages"]) > 3, a["packages"]
sys.exit(a != b)' "$1" "$2"
}
