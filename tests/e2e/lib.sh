# lib.sh: a tiny TAP library for the customs end-to-end tests.
#
# Source it from a test script (bash). Environment (set by tests/meson.build):
#   CUSTOMS           the customs binary
#   CUSTOMS_SRCDIR    the repository root
#   CUSTOMS_TEST_TMP  a scratch directory (created if missing)
#
# Functions:
#   plan N | done_testing          the TAP plan (before or after the tests)
#   ok DESC | not_ok DESC [DIAG...] one result
#   check DESC CMD...               ok when CMD exits 0
#   run CMD...                      run CMD, stdout -> $OUT, stderr -> $ERR,
#                                   exit status -> $RC (never fails)
#   expect_exit CODE DESC CMD...    run, then ok when the status is CODE
#   expect_stdout_match RE [DESC]   on the last run's stdout (grep -E)
#   expect_stderr_match RE [DESC]   on the last run's stderr (grep -E)
#   expect_one_error_line [DESC]    stderr is exactly one "customs: error: "
#                                   line
#   skip DESC REASON                a skipped test
#   diag TEXT...                    a "# " comment line
#   fixtures                        build the fixtures once; sets $FX
#   json_get FILE EXPR              print a value of a JSON file (python3
#                                   expression on `d`)

set -u

T_N=0
T_FAILED=0
T_PLANNED=

: "${CUSTOMS:?CUSTOMS must name the customs binary}"
: "${CUSTOMS_SRCDIR:?CUSTOMS_SRCDIR must name the repository root}"
: "${CUSTOMS_TEST_TMP:?CUSTOMS_TEST_TMP must name a scratch directory}"
mkdir -p "$CUSTOMS_TEST_TMP"
CUSTOMS_TEST_TMP=$(cd "$CUSTOMS_TEST_TMP" && pwd)
# The system interpreter starts ten times faster than a pyenv shim.
if [ -z "${PYTHON:-}" ]; then
	PYTHON=python3
	[ -x /usr/bin/python3 ] && PYTHON=/usr/bin/python3
fi
FIXDIR="$CUSTOMS_SRCDIR/tests/fixtures"
CHECK_INSPECT="$FIXDIR/check_inspect.py"

# A private scratch directory for this script.
T_NAME=$(basename "$0" .sh)
T_DIR="$CUSTOMS_TEST_TMP/$T_NAME"
rm -rf "$T_DIR"
mkdir -p "$T_DIR"
# No test reads or writes the user's cache (registry blobs, compiled
# Hyperscan databases): each script starts with an empty one of its own.
export CUSTOMS_CACHE_DIR="$T_DIR/customs-cache"
OUT="$T_DIR/stdout"
ERR="$T_DIR/stderr"
RC=0

plan() {
	T_PLANNED=$1
	echo "1..$1"
}

diag() {
	local line
	for line in "$@"; do
		printf '%s\n' "$line" | sed 's/^/# /'
	done
}

ok() {
	T_N=$((T_N + 1))
	echo "ok $T_N - $1"
}

not_ok() {
	T_N=$((T_N + 1))
	T_FAILED=$((T_FAILED + 1))
	echo "not ok $T_N - $1"
	shift
	[ $# -gt 0 ] && diag "$@"
	return 0
}

skip() {
	T_N=$((T_N + 1))
	echo "ok $T_N - $1 # SKIP $2"
}

check() {
	local desc=$1
	shift
	if "$@" >"$T_DIR/check.out" 2>&1; then
		ok "$desc"
	else
		not_ok "$desc" "command: $*" "$(head -c 4000 "$T_DIR/check.out")"
	fi
}

run() {
	RC=0
	"$@" >"$OUT" 2>"$ERR" </dev/null || RC=$?
	return 0
}

# Show what the last run printed, for diagnostics.
last_output() {
	echo "exit status: $RC"
	echo "stderr:"
	head -c 2000 "$ERR"
	echo "stdout (start):"
	head -c 1000 "$OUT"
}

expect_exit() {
	local code=$1 desc=$2
	shift 2
	run "$@"
	if [ "$RC" -eq "$code" ]; then
		ok "$desc"
	else
		local why="expected exit $code"
		[ "$RC" -ge 128 ] && why="$why; killed by signal $((RC - 128))"
		not_ok "$desc" "$why" "command: $*" "$(last_output)"
	fi
}

expect_stdout_match() {
	if grep -Eq -- "$1" "$OUT"; then
		ok "${2:-stdout matches /$1/}"
	else
		not_ok "${2:-stdout matches /$1/}" "$(last_output)"
	fi
}

expect_stderr_match() {
	if grep -Eq -- "$1" "$ERR"; then
		ok "${2:-stderr matches /$1/}"
	else
		not_ok "${2:-stderr matches /$1/}" "$(last_output)"
	fi
}

expect_one_error_line() {
	local desc=${1:-stderr is one "customs: error:" line}
	local n
	n=$(wc -l <"$ERR")
	if [ "$n" -eq 1 ] && [ "$(tail -c 1 "$ERR" | od -An -c | tr -d ' ')" = '\n' ] &&
		grep -q '^customs: error: .' "$ERR"; then
		ok "$desc"
	else
		not_ok "$desc" "stderr has $n line(s):" "$(head -c 2000 "$ERR")"
	fi
}

json_get() {
	"$PYTHON" -c 'import json,sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
v = eval(sys.argv[2])
print(v if isinstance(v, str) else json.dumps(v))' "$1" "$2"
}

done_testing() {
	[ -z "$T_PLANNED" ] && echo "1..$T_N"
	if [ "$T_FAILED" -ne 0 ]; then
		diag "$T_FAILED of $T_N test(s) failed"
		exit 1
	fi
	exit 0
}

require_customs() {
	if [ ! -x "$CUSTOMS" ]; then
		echo "Bail out! customs binary not found at $CUSTOMS"
		exit 1
	fi
}

# Build the fixtures once into $CUSTOMS_TEST_TMP/fixtures; scripts run in
# parallel, so the build is serialised with flock and published by rename.
# The stamp is a hash of the generator and every spec: any change rebuilds.
fixtures() {
	FX="$CUSTOMS_TEST_TMP/fixtures"
	local stamp lock
	stamp=$(cat "$FIXDIR/mkfixtures.py" "$FIXDIR"/images/*.txt |
		sha256sum | cut -c1-64)
	lock="$CUSTOMS_TEST_TMP/fixtures.lock"
	(
		flock 9
		if [ -f "$FX/.stamp" ] && [ "$(cat "$FX/.stamp")" = "$stamp" ]; then
			exit 0
		fi
		rm -rf "$FX.new" "$FX"
		mkdir -p "$CUSTOMS_TEST_TMP/fixtures.work"
		if ! TMPDIR="$CUSTOMS_TEST_TMP/fixtures.work" "$PYTHON" "$FIXDIR/mkfixtures.py" "$FX.new" >"$CUSTOMS_TEST_TMP/fixtures.log" 2>&1; then
			cat "$CUSTOMS_TEST_TMP/fixtures.log" >&2
			exit 1
		fi
		echo "$stamp" >"$FX.new/.stamp"
		mv "$FX.new" "$FX"
	) 9>"$lock" || {
		echo "Bail out! building the fixtures failed (see $CUSTOMS_TEST_TMP/fixtures.log)"
		exit 1
	}
}

# check_inspect DESC EXPECT ACTUAL [checker options]
check_inspect() {
	local desc=$1 exp=$2 act=$3
	shift 3
	if "$PYTHON" "$CHECK_INSPECT" "$exp" "$act" "$@" >"$T_DIR/check.out" 2>&1; then
		ok "$desc"
	else
		not_ok "$desc" "$(head -n 60 "$T_DIR/check.out")"
	fi
}

is_root() {
	[ "$(id -u)" -eq 0 ]
}
