#!/usr/bin/env bash
# npm (node-semver) ordering and ranges against node-semver itself,
# installed with npm into the customs test cache the first time; skipped
# with a message when neither the cache nor the npm registry is there.
# Prints TAP.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/version.sh"
NODE_CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/customs-tests/node
if [ ! -d "$NODE_CACHE/node_modules/semver" ] && command -v npm >/dev/null &&
	command -v node >/dev/null; then
	mkdir -p "$NODE_CACHE"
	(cd "$NODE_CACHE" && timeout 120 npm install --no-audit --no-fund \
		semver@7) >"$T_DIR/npm.log" 2>&1 ||
		diag "npm install semver failed: $(tail -n 3 "$T_DIR/npm.log")"
fi
oracle "npm versions agree with node-semver" npm
oracle "npm ranges agree with node-semver" npm --range
done_testing
