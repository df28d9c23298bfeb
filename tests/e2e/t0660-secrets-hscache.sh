#!/bin/bash
# The cache of compiled Hyperscan keyword databases (docs/secrets.md,
# src/secrets/hscache.c): the first run of a secrets scanner writes one
# <key>.hsdb per keyword table (the rules' and Anchore's five searches')
# into CACHE/hyperscan, 0600 in a 0700 directory; a second run reads
# them and prints byte-identical output without rewriting them; a
# flipped byte, a truncated file, a file of another key or garbage is
# detected (the file is rewritten with the right bytes) and the output
# stays the same; an unusable cache directory, no HOME at all,
# --no-cache, CUSTOMS_NO_HS_CACHE and CUSTOMS_NO_HYPERSCAN still work and
# print nothing on stderr; another rule config gets another file; a
# store prunes the directory to the 16 newest databases.
. "$(dirname "$0")/lib.sh"
require_customs
unset CUSTOMS_NO_HYPERSCAN CUSTOMS_NO_HS_CACHE XDG_CACHE_HOME

d=$T_DIR
if ! ldd "$CUSTOMS" 2>/dev/null | grep -q 'libhs\.so'; then
	plan 1
	skip "Hyperscan database cache" "customs is built without Hyperscan"
	exit 0
fi

# a GitHub token and an Anchore AWS_ACCESS_KEY line: both keyword tables
# matter for the output
mkdir -p "$d/img/app"
printf 'token = "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"\n' \
	>"$d/img/app/config.txt"
printf 'aws_access_key_id = AKIAQWERTYUIOPASDFGH\n' >"$d/img/app/creds"
img=dir:$d/img

C=$d/cache
H=$C/hyperscan
export CUSTOMS_CACHE_DIR=$C

# secrets -o json of $img into $1 (status in $RC, stderr in $ERR)
secrets_to() {
	run "$CUSTOMS" secrets -o json "${@:2}" "$img"
	cp "$OUT" "$1"
}

# The .hsdb files of directory $1, sorted, one per line (names only).
hsdbs() {
	(cd "$1" 2>/dev/null && ls -A) | sort
}

# "name inode" of every file in $H
inodes() {
	(cd "$H" && stat -c '%n %i' -- *) | sort
}

secrets_to "$d/cold.json"
if [ "$RC" = 0 ] && [ ! -s "$ERR" ] &&
	[ "$(json_get "$d/cold.json" 'sorted(f["rule_id"] for f in d["secrets"]["findings"])')" = '["aws-access-key-id", "github-pat"]' ] &&
	[ "$(json_get "$d/cold.json" 'list(d["secret_search"]["/app/creds"].values())')" = '[[0]]' ]; then
	ok "cold run: the token and the AWS key line are found, stderr empty"
else
	not_ok "cold run: the token and the AWS key line are found" "$(last_output)"
fi

files=$(hsdbs "$H")
n=$(printf '%s\n' "$files" | grep -cE '^[0-9a-f]{64}\.hsdb$')
if [ "$n" = 2 ] && [ "$(printf '%s\n' "$files" | wc -l)" = 2 ]; then
	ok "cold run writes exactly two <sha256>.hsdb files and nothing else"
else
	not_ok "cold run writes exactly two <sha256>.hsdb files" "$files"
fi
modes=$(stat -c '%a' "$C" "$H" "$H"/*.hsdb | tr '\n' ' ')
if [ "$modes" = "700 700 600 600 " ]; then
	ok "directories 0700, files 0600"
else
	not_ok "directories 0700, files 0600" "got: $modes"
fi

# every file: magic line, then its own name as key, the payload's
# SHA-256 and length
bad=
for f in "$H"/*.hsdb; do
	"$PYTHON" - "$f" <<'PY' || bad="$bad $f"
import hashlib, os, sys
b = open(sys.argv[1], "rb").read()
magic, line, payload = b.split(b"\n", 2)
key, sha, n = line.decode().split(" ")
name = os.path.basename(sys.argv[1])
assert magic == b"customs-hsdb 1", magic
assert name == key + ".hsdb", (name, key)
assert int(n) == len(payload) > 0, n
assert hashlib.sha256(payload).hexdigest() == sha
PY
done
if [ -z "$bad" ]; then
	ok "each file: magic, its key, the payload's length and SHA-256"
else
	not_ok "each file: magic, its key, the payload's length and SHA-256" "$bad"
fi

mkdir -p "$d/good"
cp -p "$H"/*.hsdb "$d/good/"
before=$(inodes)
secrets_to "$d/warm.json"
if [ "$RC" = 0 ] && [ ! -s "$ERR" ] && cmp -s "$d/cold.json" "$d/warm.json"; then
	ok "warm run: byte-identical output, stderr empty"
else
	not_ok "warm run: byte-identical output" "$(last_output)"
fi
if [ "$(inodes)" = "$before" ] && [ "$(hsdbs "$H")" = "$files" ]; then
	ok "warm run reads the files and rewrites none"
else
	not_ok "warm run reads the files and rewrites none" "$(inodes)"
fi

run "$CUSTOMS" inspect -o json "$img"
cp "$OUT" "$d/inspect1.json"
run "$CUSTOMS" inspect -o json "$img"
if [ "$RC" = 0 ] && cmp -s "$OUT" "$d/inspect1.json" &&
	grep -q 'github-pat' "$OUT" && [ "$(inodes)" = "$before" ]; then
	ok "inspect uses the same cache: identical output, no rewrite"
else
	not_ok "inspect uses the same cache" "$(last_output)"
fi

# the larger file is the rules' table (the other has five keywords)
big=$(cd "$H" && ls -S | head -1)
small=$(cd "$H" && ls -S | tail -1)

# damage MODE: damage $H/$big, run, expect the same output and the file
# rewritten with the good bytes
damage() {
	local what=$1
	cp "$d/good/$big" "$H/$big"
	chmod 600 "$H/$big"
	case $what in
	flip) "$PYTHON" -c '
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
b[len(b) // 2] ^= 0x01
open(p, "wb").write(b)' "$H/$big" ;;
	flip-header) "$PYTHON" -c '
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
b[3] ^= 0x20
open(p, "wb").write(b)' "$H/$big" ;;
	truncate) truncate -s $(($(stat -c %s "$H/$big") / 2)) "$H/$big" ;;
	empty) : >"$H/$big" ;;
	other-key) cp "$d/good/$small" "$H/$big" ;;
	garbage) head -c 100000 /dev/urandom >"$H/$big" ;;
	esac
	secrets_to "$d/damaged.json"
	if [ "$RC" = 0 ] && [ ! -s "$ERR" ] &&
		cmp -s "$d/cold.json" "$d/damaged.json" &&
		cmp -s "$d/good/$big" "$H/$big"; then
		ok "$what: detected, same output, file rewritten"
	else
		not_ok "$what: detected, same output, file rewritten" \
			"$(last_output)" "$(ls -l "$H")"
	fi
}
for m in flip flip-header truncate empty other-key garbage; do
	damage "$m"
done
if [ "$(hsdbs "$H")" = "$files" ]; then
	ok "no temporary file is left behind"
else
	not_ok "no temporary file is left behind" "$(hsdbs "$H")"
fi

# a cache path that cannot be created (a regular file on it: even root
# cannot), and, unless root, a read-only cache directory
: >"$d/plainfile"
CUSTOMS_CACHE_DIR=$d/plainfile/sub secrets_to "$d/nodir.json"
if [ "$RC" = 0 ] && [ ! -s "$ERR" ] && cmp -s "$d/cold.json" "$d/nodir.json"; then
	ok "uncreatable cache directory: same output, nothing on stderr"
else
	not_ok "uncreatable cache directory: same output" "$(last_output)"
fi
if is_root; then
	skip "read-only cache directory" "root writes anyway"
else
	mkdir -p "$d/ro"
	chmod 500 "$d/ro"
	CUSTOMS_CACHE_DIR=$d/ro secrets_to "$d/ro.json"
	chmod 700 "$d/ro"
	if [ "$RC" = 0 ] && [ ! -s "$ERR" ] &&
		cmp -s "$d/cold.json" "$d/ro.json" && [ -z "$(hsdbs "$d/ro")" ]; then
		ok "read-only cache directory: same output, nothing on stderr"
	else
		not_ok "read-only cache directory: same output" "$(last_output)"
	fi
fi
RC=0
env -u HOME -u XDG_CACHE_HOME -u CUSTOMS_CACHE_DIR "$CUSTOMS" secrets \
	-o json "$img" >"$d/nohome.json" 2>"$ERR" || RC=$?
if [ "$RC" = 0 ] && [ ! -s "$ERR" ] && cmp -s "$d/cold.json" "$d/nohome.json"; then
	ok "no HOME, no cache variable: same output, nothing on stderr"
else
	not_ok "no HOME, no cache variable: same output" "$(last_output)"
fi

# turning it off, and where it goes
for how in no-cache env nohs; do
	C2=$d/off-$how
	case $how in
	no-cache) CUSTOMS_CACHE_DIR=$C2 secrets_to "$d/off.json" --no-cache ;;
	env) CUSTOMS_CACHE_DIR=$C2 CUSTOMS_NO_HS_CACHE=1 secrets_to "$d/off.json" ;;
	nohs) CUSTOMS_CACHE_DIR=$C2 CUSTOMS_NO_HYPERSCAN=1 secrets_to "$d/off.json" ;;
	esac
	if [ "$RC" = 0 ] && cmp -s "$d/cold.json" "$d/off.json" && [ ! -e "$C2" ]; then
		ok "$how: same output, no cache written"
	else
		not_ok "$how: same output, no cache written" "$(last_output)" \
			"$(find "$C2" 2>&1)"
	fi
done
secrets_to "$d/dir.json" --cache-dir "$d/flag"
if [ "$(hsdbs "$d/flag/hyperscan")" = "$files" ] && cmp -s "$d/cold.json" "$d/dir.json"; then
	ok "--cache-dir DIR: the same two files in DIR/hyperscan"
else
	not_ok "--cache-dir DIR: the same two files in DIR/hyperscan" \
		"$(hsdbs "$d/flag/hyperscan")"
fi
CUSTOMS_CACHE_DIR= XDG_CACHE_HOME=$d/xdg secrets_to "$d/xdg.json"
if [ "$(hsdbs "$d/xdg/customs/hyperscan")" = "$files" ]; then
	ok "default: XDG_CACHE_HOME/customs/hyperscan"
else
	not_ok "default: XDG_CACHE_HOME/customs/hyperscan" \
		"$(find "$d/xdg" 2>&1)"
fi

# another rule set: another key for the rules' table, the search table's
# file is shared
cat >"$d/rules.yaml" <<'EOF'
rules:
  - id: acme-token
    regex: 'acme_[a-z0-9]{32}'
    keywords: [acme_]
EOF
secrets_to "$d/conf.json" --config "$d/rules.yaml"
new=$(comm -13 <(printf '%s\n' "$files") <(hsdbs "$H"))
if [ "$RC" = 0 ] && [ "$(printf '%s\n' "$new" | grep -cE '^[0-9a-f]{64}\.hsdb$')" = 1 ] &&
	[ "$(hsdbs "$H" | wc -l)" = 3 ]; then
	ok "a config with another keyword adds exactly one file"
else
	not_ok "a config with another keyword adds exactly one file" \
		"$(hsdbs "$H")" "$(last_output)"
fi
secrets_to "$d/conf2.json" --config "$d/rules.yaml"
if cmp -s "$d/conf.json" "$d/conf2.json" && [ "$(hsdbs "$H" | wc -l)" = 3 ]; then
	ok "the same config again: the same output from its cached file"
else
	not_ok "the same config again: the same output" "$(hsdbs "$H")"
fi

# Pruning: a store keeps the 16 newest databases (by mtime) and drops
# temporary files a crashed writer left more than an hour ago.
P=$d/prune
mkdir -p "$P/hyperscan"
for i in $(seq 1 20); do
	f=$P/hyperscan/$(printf '%064x' "$i").hsdb
	echo old >"$f"
	touch -d "@$((1700000000 + i))" "$f"
done
: >"$P/hyperscan/.tmp-stale1"
touch -d '2 hours ago' "$P/hyperscan/.tmp-stale1"
: >"$P/hyperscan/.tmp-fresh1"
CUSTOMS_CACHE_DIR=$P run "$CUSTOMS" secrets -o json "$img"
cp "$OUT" "$d/prune.json"
fakes=$(cd "$P/hyperscan" && ls | grep -c '^0\{50\}')
real=$(cd "$P/hyperscan" && ls | grep -vc '^0\{50\}')
check "a run that stores keeps the 16 newest databases (14 old + 2 new)" \
	test "$fakes:$real" = "14:2"
check "the oldest ones are the ones removed" \
	test ! -e "$P/hyperscan/$(printf '%064x' 6).hsdb" -a \
	-e "$P/hyperscan/$(printf '%064x' 7).hsdb"
check "a stale temporary file is removed, a fresh one kept" \
	test ! -e "$P/hyperscan/.tmp-stale1" -a -e "$P/hyperscan/.tmp-fresh1"
check "the output is the same as with a clean cache" \
	cmp -s "$d/prune.json" "$d/cold.json"

done_testing
