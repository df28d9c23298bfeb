#!/usr/bin/env bash
# RubyGems ordering against Ruby's Gem::Version.
# Prints TAP.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/version.sh"
oracle "gem versions agree with Gem::Version" gem
done_testing
