#!/usr/bin/env bash
# apk and Go ordering against the facts their own test suites assert
# (tests/data/version/*.data).
# Prints TAP.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/version.sh"
vectors "apk versions follow apk-tools test/version.data" apk "$VDATA/apk.data"
vectors "Go versions follow the semver and gover test tables" go "$VDATA/go.data"
done_testing
