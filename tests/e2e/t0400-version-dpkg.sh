#!/usr/bin/env bash
# dpkg ordering against apt_pkg.version_compare (python3-apt, the same
# algorithm as dpkg), spot-checked with dpkg --compare-versions itself.
# Prints TAP.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/version.sh"
oracle "dpkg versions agree with dpkg" dpkg
done_testing
