#!/bin/bash
# Every allocation of customs can fail: with CUSTOMS_FAIL_ALLOC_AT=N the Nth
# allocation and all later ones fail. For every N up to the run's total
# (dense at first, then spread), inspect must exit 0 or 3 (internal error:
# out of memory) with one error line, never crash; under ASan the run is
# also leak-checked, so every error path must free what it took.
. "$(dirname "$0")/lib.sh"
require_customs
fixtures

targets=("oci:$FX/basic.oci" "docker-archive:$FX/basic.docker-classic.tar")
if is_root; then
	targets+=("dir:$FX/basic.rootfs")
fi

# The secret rules (121 regexes, a Hyperscan database) are compiled at
# start, which dominates each run under ASan: their failure paths are
# covered on the first target; the other sources run with --no-secrets.
extra=()
for target in "${targets[@]}"; do
	n=1
	crashes=0
	bad=0
	done_at=0
	while [ "$n" -lt 200000 ]; do
		CUSTOMS_FAIL_ALLOC_AT=$n "$CUSTOMS" inspect "${extra[@]}" --files -o json "$target" \
			>"$T_DIR/out" 2>"$T_DIR/err"
		rc=$?
		if [ "$rc" = 0 ]; then
			done_at=$n
			break
		fi
		if [ "$rc" -ge 128 ] || [ "$rc" = 1 ] || [ "$rc" = 23 ]; then
			crashes=$((crashes + 1))
			diag "N=$n exit $rc: $(head -c 300 "$T_DIR/err")"
		elif [ "$rc" != 3 ] && [ "$rc" != 2 ]; then
			bad=$((bad + 1))
			diag "N=$n exit $rc"
		elif [ "$(grep -c '^customs: error: ' "$T_DIR/err")" != 1 ]; then
			bad=$((bad + 1))
			diag "N=$n stderr: $(head -c 300 "$T_DIR/err")"
		fi
		if [ "$n" -lt 300 ]; then
			n=$((n + 1))
		else
			n=$((n + n / 7))
		fi
	done
	if [ "$crashes" = 0 ]; then
		ok "$target: no crash or leak with a failing allocation (succeeds from N=$done_at)"
	else
		not_ok "$target: no crash or leak with a failing allocation ($crashes runs failed)"
	fi
	if [ "$bad" = 0 ] && [ "$done_at" -gt 0 ]; then
		ok "$target: each failure is one error line and exit 2 or 3"
	else
		not_ok "$target: each failure is one error line and exit 2 or 3 ($bad bad, done at $done_at)"
	fi
	extra=(--no-secrets)
done
done_testing
