#!/usr/bin/env bash
# PEP 440 ordering and specifier sets against pypa packaging.
# Prints TAP.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/version.sh"
oracle "PEP 440 versions agree with packaging.version" pep440
oracle "PEP 440 specifiers agree with packaging.specifiers" pep440 --range
done_testing
