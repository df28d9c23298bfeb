#!/usr/bin/env bash
# rpm ordering against rpm's own EVR comparison (python3-rpm rpm.ver).
# Prints TAP.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/version.sh"
oracle "rpm versions agree with rpm" rpm
done_testing
