#!/usr/bin/env bash
# Maven ordering against ComparableVersion and ranges against VersionRange
# (Debian's maven jars; the range oracle is tests/e2e/MavenRange.java).
# Prints TAP.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/version.sh"
oracle "Maven versions agree with ComparableVersion" maven
oracle "Maven ranges agree with VersionRange" maven --range
done_testing
