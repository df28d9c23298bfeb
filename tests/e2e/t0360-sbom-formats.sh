#!/bin/bash
# `customs sbom` in its three machine-readable formats on the sbom-mixed
# fixture (a Debian dpkg database with a broken stanza, an npm app):
# CycloneDX and SPDX validate against the official schemas, output is
# byte-for-byte reproducible, --timestamp adds a creation time only when
# asked, warnings reach every format, and the formats agree on the
# packages. Checks that need a cataloger skip (saying so) until it exists.
. "$(dirname "$0")/lib.sh"
require_customs
fixtures

SCHEMAS="$CUSTOMS_SRCDIR/../shared/schemas"
VALIDATE="$CUSTOMS_SRCDIR/tests/e2e/validate_sbom.py"
EPOCH=1970-01-01T00:00:00Z
img="oci:$FX/sbom-mixed.oci"
d=$T_DIR

# sbom_to PREFIX [options...]: the three formats into PREFIX.{cdx,spdx,json}
sbom_to() {
	local p=$1
	shift
	"$CUSTOMS" sbom "$@" -o "cyclonedx-json=$p.cdx" \
		-o "spdx-json=$p.spdx" -o "json=$p.json" "$img"
}

expect_exit 0 "sbom writes cyclonedx-json, spdx-json and json at once" \
	sbom_to "$d/a"
cp "$ERR" "$d/a.stderr"
for f in a.cdx a.spdx a.json; do
	if [ -s "$d/$f" ] && "$PYTHON" -m json.tool "$d/$f" >/dev/null 2>&1; then
		ok "$f is a JSON document"
	else
		not_ok "$f is a JSON document" "$(head -c 500 "$d/$f")"
	fi
done

# Schema validation.
validate() {
	local kind=$1 file=$2 desc=$3
	if [ ! -d "$SCHEMAS" ]; then
		skip "$desc" "no schemas at ../shared/schemas"
		return
	fi
	"$PYTHON" "$VALIDATE" "$kind" "$file" "$SCHEMAS" >"$d/validate.out" 2>&1
	case $? in
	0) ok "$desc" ;;
	2) skip "$desc" "python3-jsonschema is not installed" ;;
	*) not_ok "$desc" "$(head -n 20 "$d/validate.out")" ;;
	esac
}
validate cdx "$d/a.cdx" "CycloneDX output validates against the 1.6 schema"
validate spdx "$d/a.spdx" "SPDX output validates against the 2.3 schema"

# Determinism: a second run writes the same bytes.
run sbom_to "$d/b"
for ext in cdx spdx json; do
	if cmp -s "$d/a.$ext" "$d/b.$ext"; then
		ok "two runs write identical $ext output"
	else
		not_ok "two runs write identical $ext output" \
			"$(diff "$d/a.$ext" "$d/b.$ext" | head -n 20)"
	fi
done

# Creation time: absent (SPDX: the fixed epoch) unless --timestamp.
check "no CycloneDX metadata.timestamp without --timestamp" \
	test "$(json_get "$d/a.cdx" "'timestamp' in d['metadata']")" = false
check "no native created without --timestamp" \
	test "$(json_get "$d/a.json" "'created' in d")" = false
check "SPDX created is the fixed epoch without --timestamp" \
	test "$(json_get "$d/a.spdx" "d['creationInfo']['created']")" = "$EPOCH"
expect_exit 0 "sbom --timestamp" sbom_to "$d/t" --timestamp
ts=$(json_get "$d/t.cdx" "d['metadata'].get('timestamp', '')")
if [[ "$ts" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$ ]]; then
	ok "--timestamp adds CycloneDX metadata.timestamp ($ts)"
else
	not_ok "--timestamp adds CycloneDX metadata.timestamp" "got '$ts'"
fi
check "--timestamp sets the same time in SPDX" \
	test "$(json_get "$d/t.spdx" "d['creationInfo']['created']")" = "$ts"
check "--timestamp sets the same time in the native JSON" \
	test "$(json_get "$d/t.json" "d.get('created')")" = "$ts"
validate cdx "$d/t.cdx" "CycloneDX output with a timestamp validates"

# The document describes the image and its distribution.
check "native JSON names its schema" \
	test "$(json_get "$d/a.json" "d['schema']")" = customs.sbom/v1
check "native JSON records the image id" \
	test "$(json_get "$d/a.json" "d['source']['image_id'][:7]")" = sha256:
check "native JSON records the distribution" \
	test "$(json_get "$d/a.json" "d['distro']['id']")" = debian
check "CycloneDX describes a container" \
	test "$(json_get "$d/a.cdx" "d['metadata']['component']['type']")" = container
check "CycloneDX has the operating-system component" \
	test "$(json_get "$d/a.cdx" "[c['name'] for c in d['components'] if c['type'] == 'operating-system']")" = '["debian"]'
check "SPDX root is a CONTAINER the document DESCRIBES" \
	test "$(json_get "$d/a.spdx" "[p['primaryPackagePurpose'] for p in d['packages'] if p['SPDXID'] == [r['relatedSpdxElement'] for r in d['relationships'] if r['relationshipType'] == 'DESCRIBES'][0]]")" = '["CONTAINER"]'

# Warnings: the native list, each one in CycloneDX and in SPDX.
nwarn=$(json_get "$d/a.json" "len(d['warnings'])")
if [ "$nwarn" -gt 0 ]; then
	check "every warning is a CycloneDX metadata property" \
		"$PYTHON" -c 'import json,sys
w = json.load(open(sys.argv[1]))["warnings"]
p = [x["value"] for x in json.load(open(sys.argv[2]))["metadata"]["properties"] if x["name"] == "customs:warning"]
sys.exit(0 if p == w else 1)' "$d/a.json" "$d/a.cdx"
	check "every warning is in the SPDX document comment" \
		"$PYTHON" -c 'import json,sys
w = json.load(open(sys.argv[1]))["warnings"]
c = json.load(open(sys.argv[2])).get("comment", "")
sys.exit(0 if c.startswith("customs warnings") and all(x in c for x in w) else 1)' "$d/a.json" "$d/a.spdx"
	check "every warning is on standard error" \
		"$PYTHON" -c 'import json,sys
w = json.load(open(sys.argv[1]))["warnings"]
e = open(sys.argv[2]).read()
sys.exit(0 if all(x in e for x in w) else 1)' "$d/a.json" "$d/a.stderr"
else
	for t in "CycloneDX metadata" "the SPDX comment" "standard error"; do
		skip "every warning is in $t" \
			"no cataloger warned on this image (dpkg cataloger not present)"
	done
fi

# Packages, once the catalogers exist: the formats agree.
"$CUSTOMS" sbom --list-catalogers >"$d/catalogers" 2>/dev/null || true
has_cat() { grep -qx "$1" "$d/catalogers"; }
purl_in_all() {
	local purl=$1 desc=$2
	if "$PYTHON" -c 'import json,sys
purl = sys.argv[4]
n = [p.get("purl") for p in json.load(open(sys.argv[1]))["packages"]]
c = [x.get("purl") for x in json.load(open(sys.argv[2]))["components"]]
s = [r["referenceLocator"] for p in json.load(open(sys.argv[3]))["packages"] for r in p.get("externalRefs", []) if r["referenceType"] == "purl"]
sys.exit(0 if purl in n and purl in c and purl in s else 1)' "$d/a.json" "$d/a.cdx" "$d/a.spdx" "$purl"; then
		ok "$desc"
	else
		not_ok "$desc" "$(grep -h '"purl"' "$d/a.json" | head -n 10)"
	fi
}
if has_cat dpkg-db-cataloger; then
	purl_in_all "pkg:deb/debian/libpam-runtime@1.5.2-6%2Bdeb12u1?arch=all&distro=debian-12&upstream=pam" \
		"dpkg package with its source in the PURL, in every format"
	purl_in_all "pkg:deb/debian/base-files@12.4%2Bdeb12u5?arch=amd64&distro=debian-12" \
		"dpkg package without a source package, in every format"
	check "the broken dpkg stanza is a warning naming the status file" \
		grep -q 'var/lib/dpkg/status' "$d/a.json"
else
	skip "dpkg packages in every format" "dpkg-db-cataloger is not built in"
	skip "dpkg package without a source package" "dpkg-db-cataloger is not built in"
	skip "the broken dpkg stanza is a warning" "dpkg-db-cataloger is not built in"
fi
if has_cat javascript-package-cataloger; then
	purl_in_all "pkg:npm/left-pad@1.3.0" "npm package in every format"
	purl_in_all "pkg:npm/%40types/node@20.11.5" \
		"scoped npm package (scope as %40) in every format"
else
	skip "npm package in every format" "javascript-package-cataloger is not built in"
	skip "scoped npm package in every format" "javascript-package-cataloger is not built in"
fi
npkg=$(json_get "$d/a.json" "len(d['packages'])")
check "CycloneDX has one component per package (plus the OS)" \
	test "$(json_get "$d/a.cdx" "len(d['components'])")" = $((npkg + 1))
check "SPDX has one package per package (plus root and OS)" \
	test "$(json_get "$d/a.spdx" "len(d['packages'])")" = $((npkg + 2))

# A directory target is described as such.
expect_exit 0 "sbom of a directory" "$CUSTOMS" sbom -o "cyclonedx-json=$d/dir.cdx" \
	-o "spdx-json=$d/dir.spdx" "dir:$FX/sbom-mixed.rootfs"
check "CycloneDX describes a directory as a file component" \
	test "$(json_get "$d/dir.cdx" "d['metadata']['component']['type']")" = file
validate cdx "$d/dir.cdx" "directory CycloneDX validates"
validate spdx "$d/dir.spdx" "directory SPDX validates"

# Standard output works too, and an unknown format is a usage error.
expect_exit 0 "sbom -o spdx-json to standard output" "$CUSTOMS" sbom -o spdx-json "$img"
check "standard output is the same document as the file" cmp -s "$OUT" "$d/a.spdx"
# The CycloneDX serial number is hashed on a thread while the document is
# written and patched in where the output is a file it can rewrite; a
# pipe, or a file opened for appending, gets it computed first. All give
# the same document.
expect_exit 0 "sbom -o cyclonedx-json to standard output" \
	"$CUSTOMS" sbom -o cyclonedx-json "$img"
check "standard output (a file) is the same CycloneDX as the file" \
	cmp -s "$OUT" "$d/a.cdx"
"$CUSTOMS" sbom -o cyclonedx-json "$img" 2>/dev/null | cat >"$d/pipe.cdx"
check "CycloneDX through a pipe is the same document" \
	cmp -s "$d/pipe.cdx" "$d/a.cdx"
printf 'before\n' >"$d/append.cdx"
"$CUSTOMS" sbom -o cyclonedx-json "$img" >>"$d/append.cdx" 2>/dev/null
check "CycloneDX appended to a file is the same document" \
	cmp -s <(tail -c +8 "$d/append.cdx") "$d/a.cdx"
serial=$(json_get "$d/a.cdx" "d['serialNumber']")
if [[ "$serial" =~ ^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$ ]]; then
	ok "the serial number is a content-derived UUID ($serial)"
else
	not_ok "the serial number is a content-derived UUID" "got '$serial'"
fi
expect_exit 2 "an unknown output format is a usage error" \
	"$CUSTOMS" sbom -o cyclonedx-xml "$img"
expect_one_error_line

done_testing
