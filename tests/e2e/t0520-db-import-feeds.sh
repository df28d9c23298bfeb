#!/bin/bash
# `customs db import` of the non-OSV feeds (Debian tracker JSON, Alpine
# secdb YAML, NVD API 2.0 pages and JSON lines, CISA KEV JSON and CSV,
# FIRST EPSS CSV), each detected from its content, then `customs db
# status` counts: advisories, affected rows, KEV, EPSS, namespaces and
# records per source. Snapshots replace their source, NVD pages add to
# theirs, and malformed feeds leave the database untouched.
. "$(dirname "$0")/lib.sh"
require_customs

V="$CUSTOMS_SRCDIR/../shared/vulndata"
db=$T_DIR/vuln.db
export CUSTOMS_DB=$db

if [ ! -d "$V" ]; then
	skip "db import of the real feeds" "shared/vulndata is absent"
	done_testing
	exit 0
fi

# status_get EXPR: a value of `db status -o json`
status_get() {
	"$CUSTOMS" db status -o json >"$T_DIR/status.json" 2>/dev/null
	json_get "$T_DIR/status.json" "$1"
}

# expect_value DESC GOT WANT
expect_value() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1" "got: $2" "want: $3"
	fi
}

src_records() {
	status_get "{s['name']: s['records'] for s in d['sources']}.get('$1')"
}

expect_exit 0 "import debian, alpine, nvd, kev and epss files" \
	"$CUSTOMS" db import "$V/debian/bookworm-tracker-sample.json" \
	"$V/alpine/secdb-2020-v3.11-main.yaml" \
	"$V/alpine/secdb-2020-v3.11-community.yaml" \
	"$V/nvd/vunnel-nvd-2.0-page.json" \
	"$V/nvd/osvdev-nvd-2.0-responses.jsonl.gz" \
	"$V/kev/known_exploited_vulnerabilities.json" \
	"$V/epss/vunnel-example-1.csv"
expect_stderr_match "0 warnings" "no warnings on the real files"
# 105 Debian CVEs + 1256 + 830 Alpine ids + 38 + 23 NVD CVEs
expect_value "advisories" "$(status_get "d['vulnerabilities']")" 2252
# 139 (package, CVE) bookworm entries + 1360 + 895 secfixes ids
expect_value "affected rows" "$(status_get "d['affected_rows']")" 2394
expect_value "KEV entries" "$(status_get "d['kev']")" 1404
expect_value "EPSS scores" "$(status_get "d['epss']")" 5
expect_value "namespaces" "$(status_get "' '.join(d['namespaces'])")" \
	"alpine:3.11 debian:12"
expect_value "debian source" "$(src_records debian)" 105
expect_value "alpine main source" "$(src_records alpine:3.11/main)" 1256
expect_value "alpine community source" \
	"$(src_records alpine:3.11/community)" 830
expect_value "nvd source" "$(src_records nvd)" 61
run "$CUSTOMS" db status
expect_stdout_match "^kev +1404 " "the table lists the kev source"

# A smaller tracker is a new snapshot: it replaces the Debian source.
cat >"$T_DIR/tracker.json" <<'JSON'
{"openssl": {"CVE-2024-0001": {"releases": {
  "bookworm": {"status": "resolved", "fixed_version": "3.0.13-1~deb12u1",
               "urgency": "high**"},
  "trixie": {"status": "open", "urgency": "not yet assigned"}}}}}
JSON
expect_exit 0 "re-import a one-CVE tracker" \
	"$CUSTOMS" db import "$T_DIR/tracker.json"
expect_value "the tracker snapshot replaced the debian source" \
	"$(src_records debian)" 1
expect_value "and only it" "$(status_get "d['affected_rows']")" 2257
expect_value "debian:13 is a namespace now" \
	"$(status_get "' '.join(d['namespaces'])")" \
	"alpine:3.11 debian:12 debian:13"

# NVD pages are incremental: the same page again changes nothing.
expect_exit 0 "re-import the NVD page" \
	"$CUSTOMS" db import --format nvd "$V/nvd/vunnel-nvd-2.0-page.json"
expect_value "nvd still holds both files' CVEs" "$(src_records nvd)" 61

# KEV CSV, by name.
expect_exit 0 "import the KEV CSV with --format kev" \
	"$CUSTOMS" db import --format kev \
	"$V/kev/known_exploited_vulnerabilities.csv"
expect_value "KEV CSV entries" "$(status_get "d['kev']")" 1404

# Wolfi's security.json has no distroversion: the host names it.
cat >"$T_DIR/security.json" <<'JSON'
{"apkurl": "{{urlprefix}}/{{reponame}}/{{arch}}/{{pkg.name}}-{{pkg.ver}}.apk",
 "archs": ["x86_64"], "reponame": "os",
 "urlprefix": "https://apk.wolfi.example",
 "packages": [{"pkg": {"name": "glibc", "secfixes": {
   "2.39-r1": ["CVE-2024-2961"], "0": ["CVE-2010-4756"]}}}]}
JSON
expect_exit 0 "import a Wolfi security.json" \
	"$CUSTOMS" db import "$T_DIR/security.json"
expect_value "wolfi source" "$(src_records wolfi:rolling/os)" 2
expect_value "wolfi:rolling namespace" \
	"$(status_get "'wolfi:rolling' in d['namespaces']")" true

# EPSS without score_date: accepted, with a warning.
expect_exit 0 "import an EPSS file without score_date" \
	"$CUSTOMS" db import "$V/epss/vunnel-missing-date.csv"
expect_stderr_match "vunnel-missing-date.csv: line 1: no score_date" \
	"the missing score_date is warned about"

# Malformed feeds: exit 2, one error naming the file, database unchanged.
before=$(status_get "d['built']")
expect_exit 2 "an EPSS file with a bad header is refused" \
	"$CUSTOMS" db import "$V/epss/vunnel-invalid-header.csv"
expect_stderr_match "vunnel-invalid-header.csv: line 2: not an EPSS header" \
	"the error names the file and the line"
expect_exit 2 "a KEV catalogue is not a Debian tracker" \
	"$CUSTOMS" db import --format debian \
	"$V/kev/known_exploited_vulnerabilities.json"
expect_value "the database was not rebuilt" "$(status_get "d['built']")" \
	"$before"

# Two snapshots of one source in one import: the later one wins, and the
# user is told (a directory holding two tracker files keeps only one).
expect_exit 0 "two KEV catalogues in one import" \
	"$CUSTOMS" db import --fresh --db "$T_DIR/two.db" \
	"$V/kev/known_exploited_vulnerabilities.json" \
	"$V/kev/vunnel-valid-catalog-1.json"
expect_stderr_match "vunnel-valid-catalog-1.json: snapshot of source 'kev' replaces the one read from .*known_exploited_vulnerabilities.json earlier in this import" \
	"the replaced snapshot is a warning naming both files"
# the KEV JSON schema beside the catalogue is not taken for a catalogue
expect_exit 0 "the KEV directory, schema included" \
	"$CUSTOMS" db import --fresh --db "$T_DIR/kevdir.db" "$V/kev"
expect_stderr_match "known_exploited_vulnerabilities_schema.json: skipped: not a feed format" \
	"the schema is skipped with a warning"

done_testing
