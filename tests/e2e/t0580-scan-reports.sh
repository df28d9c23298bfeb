#!/bin/bash
# `customs scan -o sarif / cyclonedx-json / junit` on a deterministic small
# scan: the fixture SBOM tests/data/report/app.cdx.json (a Debian libssl3,
# two npm packages and a Python package) against a tiny database that
# `customs db import` builds from the hand-written OSV records beside it,
# with an ignore rule (requests) and an OpenVEX statement (minimist).
# Checks: the reports match the golden files byte for byte, SARIF
# validates against the OASIS 2.1.0 schema (plus GitHub's rules), the
# CycloneDX BOM against the 1.6 schema, JUnit is well-formed XML, the
# suppressed findings are rendered as suppressed in all three, and the
# numbers agree with the native JSON. CUSTOMS_UPDATE_GOLDEN=1 rewrites the
# golden files (review the diff before committing).
. "$(dirname "$0")/lib.sh"
require_customs

DATA="$CUSTOMS_SRCDIR/tests/data/report"
GOLDEN="$CUSTOMS_SRCDIR/tests/golden"
SARIF_SCHEMA="$CUSTOMS_SRCDIR/tests/data/schemas/sarif-schema-2.1.0.json"
SCHEMAS="$CUSTOMS_SRCDIR/../shared/schemas"
d=$T_DIR
db="$d/vuln.db"

run "$CUSTOMS" db import --db "$db" "$DATA/osv"
if [ "$RC" -ne 0 ]; then
	if grep -q "unknown command 'db'" "$ERR"; then
		skip "scan reports" "customs db import is not built in yet"
		done_testing
	fi
	not_ok "db import of the OSV fixtures" "$(last_output)"
	done_testing
fi
ok "db import of the OSV fixtures"

# scan_to PREFIX [options...]: every format into PREFIX.*
scan_to() {
	local p=$1
	shift
	# from the data directory: the reports quote the VEX file as named
	(cd "$DATA" && "$CUSTOMS" scan --db "$db" --ignore ignore.yaml \
		--vex app.openvex.json "$@" \
		-o "sarif=$p.sarif" -o "cyclonedx-json=$p.cdx.json" \
		-o "junit=$p.junit.xml" -o "json=$p.json" app.cdx.json)
}

expect_exit 0 "scan writes sarif, cyclonedx-json, junit and json at once" \
	scan_to "$d/a"

# Golden files.
for ext in sarif cdx.json junit.xml; do
	g="$GOLDEN/scan-report.$ext"
	if [ "${CUSTOMS_UPDATE_GOLDEN:-}" = 1 ]; then
		cp "$d/a.$ext" "$g"
	fi
	if cmp -s "$d/a.$ext" "$g"; then
		ok "$ext report matches tests/golden/scan-report.$ext"
	else
		not_ok "$ext report matches tests/golden/scan-report.$ext" \
			"$(diff "$g" "$d/a.$ext" | head -n 30)"
	fi
done

# Schema validation.
"$PYTHON" "$CUSTOMS_SRCDIR/tests/e2e/validate_sarif.py" "$d/a.sarif" \
	"$SARIF_SCHEMA" >"$d/validate.out" 2>&1
case $? in
0) ok "SARIF validates against the 2.1.0 schema and GitHub's rules" ;;
2) skip "SARIF validates against the 2.1.0 schema" \
	"python3-jsonschema is not installed" ;;
*) not_ok "SARIF validates against the 2.1.0 schema" \
	"$(head -n 20 "$d/validate.out")" ;;
esac
if [ ! -d "$SCHEMAS" ]; then
	skip "CycloneDX report validates against the 1.6 schema" \
		"no schemas at ../shared/schemas"
else
	"$PYTHON" "$CUSTOMS_SRCDIR/tests/e2e/validate_sbom.py" cdx \
		"$d/a.cdx.json" "$SCHEMAS" >"$d/validate.out" 2>&1
	case $? in
	0) ok "CycloneDX report validates against the 1.6 schema" ;;
	2) skip "CycloneDX report validates against the 1.6 schema" \
		"python3-jsonschema is not installed" ;;
	*) not_ok "CycloneDX report validates against the 1.6 schema" \
		"$(head -n 20 "$d/validate.out")" ;;
	esac
fi
check "JUnit report is well-formed XML" "$PYTHON" -c \
	'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' \
	"$d/a.junit.xml"

# The findings: two apply, two are suppressed, in every format.
check "native JSON: 2 matches, 2 suppressed" test \
	"$(json_get "$d/a.json" "[len(d['matches']), len(d['ignored'])]")" \
	= "[2, 2]"
check "SARIF: one result per finding, suppressed ones included" test \
	"$(json_get "$d/a.sarif" "len(d['runs'][0]['results'])")" = 4
check "SARIF: one rule per vulnerability id" test \
	"$(json_get "$d/a.sarif" \
		"len(d['runs'][0]['tool']['driver']['rules'])")" = 4
sup=$(json_get "$d/a.sarif" "sorted(
	(r['properties']['package'], s['justification'])
	for r in d['runs'][0]['results'] for s in r.get('suppressions', []))")
case $sup in
*'"minimist", "vex: not_affected'*'"requests", "no proxy in front of the app'*)
	ok "SARIF: the VEX and ignore-rule suppressions with their reasons" ;;
*) not_ok "SARIF: the VEX and ignore-rule suppressions with their reasons" \
	"got $sup" ;;
esac
check "SARIF: lodash (CVSS 7.2) is an error with security-severity 7.2" \
	test "$(json_get "$d/a.sarif" "[(r['level'],
		d['runs'][0]['tool']['driver']['rules'][r['ruleIndex']]
		['properties']['security-severity'])
		for r in d['runs'][0]['results']
		if r['properties']['package'] == 'lodash'][0]")" \
	= '["error", "7.2"]'
check "SARIF: the package path is the artifact uri under the image name" \
	test "$(json_get "$d/a.sarif" "sorted(r['locations'][0]
		['physicalLocation']['artifactLocation']['uri']
		for r in d['runs'][0]['results'])[0]")" \
	= "app1.4/srv/app/node_modules/lodash/package.json"

check "CycloneDX: 4 vulnerabilities, 2 with an analysis" test \
	"$(json_get "$d/a.cdx.json" "[len(d['vulnerabilities']),
		len([v for v in d['vulnerabilities'] if 'analysis' in v])]")" \
	= "[4, 2]"
check "CycloneDX: VEX not_affected maps to state and justification" test \
	"$(json_get "$d/a.cdx.json" "[(v['analysis']['state'],
		v['analysis']['justification']) for v in d['vulnerabilities']
		if v['id'] == 'GHSA-xvch-5gv4-984h'][0]")" \
	= '["not_affected", "code_not_reachable"]'
check "CycloneDX: an ignore rule asserts no state, only its reason" test \
	"$(json_get "$d/a.cdx.json" "[sorted(v['analysis'])
		for v in d['vulnerabilities']
		if v['id'] == 'GHSA-j8xg-fqg3-53r7'][0]")" = '["detail"]'
check "CycloneDX: every affects ref is a component bom-ref" test \
	"$(json_get "$d/a.cdx.json" "sorted({a['ref']
		for v in d['vulnerabilities'] for a in v['affects']}
		- {c['bom-ref'] for c in d['components']})")" = "[]"
check "CycloneDX: lodash's fix is an unaffected vers range" test \
	"$(json_get "$d/a.cdx.json" "[x for v in d['vulnerabilities']
		if v['id'] == 'GHSA-35jh-r3h4-6jhm'
		for x in v['affects'][0]['versions']]")" \
	= '[{"version": "4.17.20", "status": "affected"}, {"range": "vers:npm/>=4.17.21", "status": "unaffected"}]'

check "JUnit: 4 tests, 2 failures, 2 skipped" grep -q \
	'<testsuites name="customs scan" tests="4" failures="2" errors="0" skipped="2">' \
	"$d/a.junit.xml"

# Determinism, and the gate: --fail-on still writes every report.
run scan_to "$d/b"
for ext in sarif cdx.json junit.xml json; do
	if cmp -s "$d/a.$ext" "$d/b.$ext"; then
		ok "two runs write identical $ext output"
	else
		not_ok "two runs write identical $ext output" \
			"$(diff "$d/a.$ext" "$d/b.$ext" | head -n 20)"
	fi
done
expect_exit 1 "--fail-on high fails the gate (lodash is high)" \
	scan_to "$d/c" --fail-on high
check "the SARIF report is still written when the gate fails" \
	cmp -s "$d/a.sarif" "$d/c.sarif"
expect_exit 0 "--fail-on critical passes (the critical finding is suppressed)" \
	scan_to "$d/e" --fail-on critical
# A real image (the sbom-mixed fixture: Debian 12 with libpam-runtime,
# source pam): the uri is the short image name plus the dpkg database, the
# logical location names the layer that holds it.
fixtures
img="oci:$FX/sbom-mixed.oci"
expect_exit 0 "scan of an image writes SARIF and CycloneDX" \
	"$CUSTOMS" scan --db "$db" -o "sarif=$d/img.sarif" \
	-o "cyclonedx-json=$d/img.cdx.json" "$img"
check "image SARIF: libpam-runtime via pam at sbom-mixed.oci/var/lib/dpkg/status" \
	test "$(json_get "$d/img.sarif" "[(r['ruleId'], r['locations'][0]
		['physicalLocation']['artifactLocation']['uri'])
		for r in d['runs'][0]['results']]")" \
	= '[["DEBIAN-CVE-2024-22365", "sbom-mixed.oci/var/lib/dpkg/status"]]'
check "image SARIF: the logical location names the layer" test \
	"$(json_get "$d/img.sarif" "(d['runs'][0]['results'][0]['locations'][0]
		['logicalLocations'][0]['fullyQualifiedName'].split('@')[1][:7])")" \
	= "sha256:"
"$PYTHON" "$CUSTOMS_SRCDIR/tests/e2e/validate_sarif.py" "$d/img.sarif" \
	"$SARIF_SCHEMA" >"$d/validate.out" 2>&1
case $? in
0) ok "image SARIF validates" ;;
2) skip "image SARIF validates" "python3-jsonschema is not installed" ;;
*) not_ok "image SARIF validates" "$(head -n 20 "$d/validate.out")" ;;
esac
check "image CycloneDX: the finding affects the libpam-runtime component" \
	test "$(json_get "$d/img.cdx.json" "[c['name'] for c in d['components']
		if c.get('bom-ref') == d['vulnerabilities'][0]['affects'][0]['ref']]")" \
	= '["libpam-runtime"]'
if [ -d "$SCHEMAS" ] && "$PYTHON" "$CUSTOMS_SRCDIR/tests/e2e/validate_sbom.py" \
	cdx "$d/img.cdx.json" "$SCHEMAS" >"$d/validate.out" 2>&1; then
	ok "image CycloneDX validates"
elif [ ! -d "$SCHEMAS" ]; then
	skip "image CycloneDX validates" "no schemas at ../shared/schemas"
else
	not_ok "image CycloneDX validates" "$(head -n 20 "$d/validate.out")"
fi

expect_exit 2 "an unknown format is a usage error" \
	"$CUSTOMS" scan --db "$db" -o sarif2 "$DATA/app.cdx.json"
expect_one_error_line

done_testing
