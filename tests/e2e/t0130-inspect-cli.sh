#!/bin/bash
# The command line of customs and customs inspect: help, version, usage
# errors (exit 2, one "customs: error:" line), size suffixes, --dockerfile.
. "$(dirname "$0")/lib.sh"
require_customs
fixtures

img="oci:$FX/busybox.oci"

expect_exit 0 "customs --help" "$CUSTOMS" --help
expect_stdout_match 'inspect' "customs --help lists the inspect command"
expect_stdout_match '[Uu]sage' "customs --help shows a usage line"

expect_exit 0 "customs inspect --help" "$CUSTOMS" inspect --help
cp "$OUT" "$T_DIR/inspect-help"
for opt in -o --output --files --platform --dockerfile --max-layer-bytes \
	--max-image-bytes --max-entries --threads; do
	if grep -qE -- "(^|[^a-z-])$opt([^a-z-]|$)" "$T_DIR/inspect-help"; then
		ok "customs inspect --help mentions $opt"
	else
		not_ok "customs inspect --help mentions $opt" "$(cat "$T_DIR/inspect-help")"
	fi
done
for word in docker-archive: oci: oci-archive: dir:; do
	if grep -qF -- "$word" "$T_DIR/inspect-help"; then
		ok "customs inspect --help mentions the $word prefix"
	else
		not_ok "customs inspect --help mentions the $word prefix" "$(cat "$T_DIR/inspect-help")"
	fi
done

expect_exit 0 "customs --version" "$CUSTOMS" --version
expect_stdout_match '[0-9]+\.[0-9]+\.[0-9]+' "customs --version prints a version number"

# Usage errors: exit 2, one line on stderr, nothing on stdout.
usage_error() {
	local desc=$1 re=$2
	shift 2
	expect_exit 2 "$desc: exit 2" "$@"
	expect_one_error_line "$desc: one error line"
	[ -n "$re" ] && expect_stderr_match "$re" "$desc: the error mentions /$re/"
	if [ -s "$OUT" ]; then
		not_ok "$desc: nothing on stdout" "$(head -c 300 "$OUT")"
	else
		ok "$desc: nothing on stdout"
	fi
}

usage_error "unknown option" '--bogus' "$CUSTOMS" inspect --bogus "$img"
usage_error "unknown global option" '--frobnicate' "$CUSTOMS" --frobnicate
usage_error "unknown command" 'frobnicate' "$CUSTOMS" frobnicate
usage_error "missing target" '' "$CUSTOMS" inspect
usage_error "two targets" '' "$CUSTOMS" inspect "$img" "$img"
usage_error "unknown output format" 'xml' "$CUSTOMS" inspect -o xml "$img"
usage_error "option without its value" '' "$CUSTOMS" inspect "$img" --platform
usage_error "bad size suffix" '10X' "$CUSTOMS" inspect --max-entries 10X "$img"
usage_error "negative size" '' "$CUSTOMS" inspect --max-layer-bytes -5 "$img"
usage_error "bad --threads" 'abc' "$CUSTOMS" inspect --threads abc "$img"
usage_error "malformed --platform" '' "$CUSTOMS" inspect --platform nonsense "$img"
usage_error "no such file" 'customs-no-such-file' \
	"$CUSTOMS" inspect "$T_DIR/customs-no-such-file.tar"
usage_error "no such OCI reference" 'no-such-tag' \
	"$CUSTOMS" inspect "oci:$FX/busybox.oci:no-such-tag"
usage_error "unknown transport" '' "$CUSTOMS" inspect "ftp:$FX/busybox.oci"
echo 'this is not an image' >"$T_DIR/not-an-image.tar"
usage_error "a file that is no image" '' "$CUSTOMS" inspect "$T_DIR/not-an-image.tar"
usage_error "--dockerfile that does not exist" 'customs-no-such-dockerfile' \
	"$CUSTOMS" inspect --dockerfile "$T_DIR/customs-no-such-dockerfile" "$img"

# Size suffixes are accepted; K is 1024 and the limit is inclusive.
for v in 1000 4K 2M 1G; do
	expect_exit 0 "--max-entries $v" "$CUSTOMS" inspect --max-entries "$v" -o json "$img"
done
for v in 2M 1G; do
	expect_exit 0 "--max-layer-bytes $v" "$CUSTOMS" inspect --max-layer-bytes "$v" -o json "$img"
	expect_exit 0 "--max-image-bytes $v" "$CUSTOMS" inspect --max-image-bytes "$v" -o json "$img"
done
bytes=$(json_get "$FX/busybox.expect.json" 'd["layers"][0]["bytes"]')
kb=$(((bytes + 1023) / 1024))
expect_exit 0 "--max-layer-bytes $bytes (the layer's exact size)" \
	"$CUSTOMS" inspect --max-layer-bytes "$bytes" -o json "$img"
expect_exit 2 "--max-layer-bytes $((bytes - 1)) (one byte short)" \
	"$CUSTOMS" inspect --max-layer-bytes "$((bytes - 1))" -o json "$img"
expect_exit 0 "--max-layer-bytes ${kb}K ($bytes bytes fit)" \
	"$CUSTOMS" inspect --max-layer-bytes "${kb}K" -o json "$img"
expect_exit 2 "--max-layer-bytes $((kb - 1))K ($bytes bytes do not fit)" \
	"$CUSTOMS" inspect --max-layer-bytes "$((kb - 1))K" -o json "$img"
expect_one_error_line "--max-layer-bytes too small: one error line"
expect_stderr_match 'max-layer-bytes' "--max-layer-bytes too small: the error names the option"
expect_exit 2 "--max-entries 1 is too small for busybox (2 entries)" \
	"$CUSTOMS" inspect --max-entries 1 -o json "$img"
expect_one_error_line "--max-entries 1: one error line"
expect_stderr_match 'max-entries|entries' "--max-entries 1: the error names the limit"

# The Dockerfile: guessed from history, or the one given.
expect_exit 0 "dockerfile guessed from history" "$CUSTOMS" inspect -o json "oci:$FX/basic.oci"
cp "$OUT" "$T_DIR/guessed.json"
check "the guessed Dockerfile follows the history (mode Guessed)" "$PYTHON" -c '
import json, sys
act = json.load(open(sys.argv[1]))
exp = json.load(open(sys.argv[2]))
lines = ["FROM scratch"]
for h in exp["history"]:
    c = h["created_by"]
    if not c:
        continue
    p = "/bin/sh -c #(nop) "
    lines.append(c[len(p):] if c.startswith(p) else "RUN " + c)
df = act["dockerfile"]
got = [l.strip() for l in df["text"].split("\n") if l.strip()]
want = [l.strip() for l in lines]
print("want:", want, "\ngot: ", got, "\nmode:", df["mode"])
sys.exit(0 if got == want and df["mode"] == "Guessed" else 1)' \
	"$T_DIR/guessed.json" "$FX/basic.expect.json"

printf 'FROM debian:12\nRUN echo customs-dockerfile-marker\n' >"$T_DIR/Dockerfile"
expect_exit 0 "--dockerfile FILE" "$CUSTOMS" inspect --dockerfile "$T_DIR/Dockerfile" -o json "oci:$FX/basic.oci"
cp "$OUT" "$T_DIR/actual.json"
check "--dockerfile: mode Actual, text is the file" "$PYTHON" -c '
import json, sys
df = json.load(open(sys.argv[1]))["dockerfile"]
text = open(sys.argv[2]).read()
print(df)
sys.exit(0 if df["mode"] == "Actual" and df["text"] == text else 1)' \
	"$T_DIR/actual.json" "$T_DIR/Dockerfile"

# -o json=FILE into a directory that does not exist: exit 2 before any
# work, one line; the other outputs of the same run are not left behind.
expect_exit 2 "-o json=FILE in a missing directory fails" \
	"$CUSTOMS" inspect -o "json=$T_DIR/first.json" \
	-o "json=$T_DIR/no/such/dir/out.json" "$img"
expect_one_error_line "-o json=FILE in a missing directory: one error line"
if [ ! -e "$T_DIR/first.json" ]; then
	ok "the other -o file of a failed run is removed"
else
	not_ok "the other -o file of a failed run is removed"
fi

# A failed inspect leaves no report file that could pass for a result.
expect_exit 2 "inspect of a missing image fails" \
	"$CUSTOMS" inspect -o "json=$T_DIR/partial.json" "$T_DIR/no-such-image"
if [ ! -e "$T_DIR/partial.json" ]; then
	ok "a failed inspect writes no -o file"
else
	not_ok "a failed inspect writes no -o file"
fi

done_testing
