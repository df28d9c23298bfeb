# version.sh: shared by the t04NN-version-*.sh tests. Source after lib.sh.
#
#   oracle DESC SCHEME [--range]   compare customs with the scheme's
#                                  reference tool over generated and
#                                  real-world pairs (version_oracle.py);
#                                  a missing oracle is a skip
#   vectors DESC SCHEME FILE       check published ordering facts
#
# Real-world versions come from the shared vulnerability data, found at
# $CUSTOMS_VULNDATA or next to the repository (../shared/vulndata).

: "${CUSTOMS_VERCMP:?CUSTOMS_VERCMP must name the vercmp test tool}"
if [ -z "${CUSTOMS_VULNDATA:-}" ] &&
	[ -d "$CUSTOMS_SRCDIR/../shared/vulndata" ]; then
	CUSTOMS_VULNDATA=$(cd "$CUSTOMS_SRCDIR/../shared/vulndata" && pwd)
fi
export CUSTOMS_VULNDATA=${CUSTOMS_VULNDATA:-}
VDATA="$CUSTOMS_SRCDIR/tests/data/version"

oracle() {
	local desc=$1 rc=0
	shift
	"$PYTHON" "$CUSTOMS_SRCDIR/tests/e2e/version_oracle.py" "$1" \
		"$CUSTOMS_VERCMP" "$CUSTOMS_SRCDIR" "${@:2}" \
		>"$T_DIR/oracle.out" 2>&1 || rc=$?
	case $rc in
	0) ok "$desc: $(head -n 1 "$T_DIR/oracle.out")" ;;
	77) skip "$desc" "$(head -n 1 "$T_DIR/oracle.out")" ;;
	*) not_ok "$desc" "$(head -n 25 "$T_DIR/oracle.out")" ;;
	esac
}

vectors() {
	if "$PYTHON" "$CUSTOMS_SRCDIR/tests/e2e/version_vectors.py" "$2" \
		"$CUSTOMS_VERCMP" "$3" >"$T_DIR/vectors.out" 2>&1; then
		ok "$1: $(head -n 1 "$T_DIR/vectors.out")"
	else
		not_ok "$1" "$(head -n 25 "$T_DIR/vectors.out")"
	fi
}
