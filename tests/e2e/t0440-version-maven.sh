#!/usr/bin/env bash
# Maven ordering against Maven's ComparableVersion (Debian's maven jars).
# Prints TAP.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/version.sh"
oracle "Maven versions agree with ComparableVersion" maven
done_testing
