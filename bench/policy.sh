#!/usr/bin/env bash
# Policy evaluation benchmark (not a test): a 40-rule bundle with a
# whitelist of 1k, 10k and 100k items against a synthetic analysis of
# 1,000 packages and 500 vulnerabilities (bench/policy_bench.c). Prints,
# per size, the median CPU time of 21 runs: the bundle JSON parse, the
# fresh evaluation (compile the mapped policies and whitelists, build the
# whitelist index, evaluate: what a one-shot `customs check` pays after
# the parse) and the cached one (the compiled bundle reused). Target: at
# most 10 ms at 10k items, growing at most linearly with the whitelist.
# Usage: bench/policy.sh [BUILD_DIR]   (default: build, a release build
# is more representative: meson setup build-rel --buildtype=release)
set -euo pipefail
build=${1:-build}
exe=$build/tests/policy_bench
if [ ! -x "$exe" ]; then
	echo "policy.sh: $exe not found (configure with -Dtests=true and build)" >&2
	exit 2
fi
"$exe" -r 21 1000 10000 100000
