#!/bin/bash
# customs scan against OSV data (shared/vulndata/osv: the curated GHSA
# records, the Go vulnerability database and the PyPA database imported
# with `customs db import`):
#   - the fixture image scan-osv (tests/fixtures/images/scan-osv.txt):
#     npm packages in node_modules and Python distributions, some at
#     vulnerable versions, some at fixed ones;
#   - a CycloneDX SBOM with Go modules (stdlib, a pseudo-version) and Maven
#     packages: Go binaries with chosen module versions cannot be built
#     offline, and the SBOM path is part of what is tested.
# Each expected (package, version, advisory) must be reported, including
# prerelease bounds (express 5.0.0-beta, node-fetch 3.0.0-beta), Go
# pseudo-versions and the "1.22.0-0" lower bound, last_affected (lodash.trim)
# and the Axios/axios and Jinja2/jinja2 spellings; the versions at or after
# a fix must not be. Prints TAP.
. "$(dirname "$0")/lib.sh"
require_customs

OSV=$CUSTOMS_SRCDIR/../shared/vulndata/osv
if [ ! -r "$OSV/ghsa-curated.jsonl.gz" ]; then
	echo "1..0 # SKIP shared vulnerability data not found ($OSV)"
	exit 0
fi
fixtures
DB=$T_DIR/vuln.db
check "customs db import of the GHSA, Go and PyPA records" \
	"$CUSTOMS" db import -q --db "$DB" "$OSV/ghsa-curated.jsonl.gz" \
	"$OSV/go.jsonl.gz" "$OSV/pypi.jsonl.gz"

expect_exit 0 "scan of the npm/Python image" \
	"$CUSTOMS" scan --db "$DB" -o json="$T_DIR/img.json" "oci:$FX/scan-osv.oci"

cat >"$T_DIR/go-maven.cdx.json" <<'JSON'
{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
 "components": [
  {"type": "library", "name": "stdlib", "version": "go1.22.0", "purl": "pkg:golang/stdlib@go1.22.0"},
  {"type": "library", "name": "stdlib", "version": "go1.21.8", "purl": "pkg:golang/stdlib@go1.21.8"},
  {"type": "library", "name": "golang.org/x/net", "version": "v0.0.0-20190108225652-1e06a53dbb7e", "purl": "pkg:golang/golang.org/x/net@v0.0.0-20190108225652-1e06a53dbb7e"},
  {"type": "library", "name": "golang.org/x/crypto", "version": "v0.31.0", "purl": "pkg:golang/golang.org/x/crypto@v0.31.0"},
  {"type": "library", "name": "example.com/app", "version": "(devel)", "purl": "pkg:golang/example.com/app@(devel)"},
  {"type": "library", "group": "org.yaml", "name": "snakeyaml", "version": "1.30", "purl": "pkg:maven/org.yaml/snakeyaml@1.30"},
  {"type": "library", "group": "org.yaml", "name": "snakeyaml", "version": "2.0", "purl": "pkg:maven/org.yaml/snakeyaml@2.0"}
 ]}
JSON
expect_exit 0 "scan of the Go/Maven CycloneDX SBOM" \
	"$CUSTOMS" scan --db "$DB" -o json="$T_DIR/sbom.json" "$T_DIR/go-maven.cdx.json"

# (package, version, advisory): must be reported
cat >"$T_DIR/expected.tsv" <<'TSV'
express	5.0.0-beta.1	GHSA-rv95-896h-c2vc
express	5.0.0-beta.1	GHSA-qw6h-vgh9-j6wx
node-fetch	3.0.0-beta.5	GHSA-w7rc-rwvf-8q5r
lodash.trim	4.5.1	GHSA-29mw-wpgm-hmr9
axios	1.6.0	GHSA-8hc4-vh64-cxmj
Jinja2	2.11.2	GHSA-g3rq-g295-4j3m
Jinja2	2.11.2	GHSA-h5c8-rqwp-cp95
Jinja2	2.11.2	GHSA-h75v-3vvj-5mfj
urllib3	1.26.4	PYSEC-2021-108
PyYAML	5.3.1	GHSA-8q59-q68h-6hv4
stdlib	go1.22.0	GO-2024-2598
stdlib	go1.22.0	GO-2024-2599
stdlib	go1.21.8	GO-2024-2687
golang.org/x/net	v0.0.0-20190108225652-1e06a53dbb7e	GO-2020-0014
golang.org/x/net	v0.0.0-20190108225652-1e06a53dbb7e	GO-2022-0969
snakeyaml	1.30	GHSA-c4r9-r8fh-9vj2
snakeyaml	1.30	GHSA-mjmj-j48q-9wg2
TSV
# (package, version, advisory): fixed at this version, must not be
cat >"$T_DIR/fixed.tsv" <<'TSV'
express	4.21.2	GHSA-rv95-896h-c2vc
express	4.21.2	GHSA-qw6h-vgh9-j6wx
node-fetch	3.1.1	GHSA-w7rc-rwvf-8q5r
node-fetch	3.1.1	GHSA-r683-j2x4-v87g
axios	1.6.0	GHSA-wf5p-g6vw-rhxx
jinja2	3.1.6	*
minimist	1.2.8	*
stdlib	go1.21.8	GO-2024-2598
golang.org/x/net	v0.0.0-20190108225652-1e06a53dbb7e	GO-2021-0078
snakeyaml	2.0	*
example.com/app	(devel)	*
TSV

check "every expected advisory is reported, every fixed version is not" \
	"$PYTHON" -c 'import json,sys
got = set()
for p in sys.argv[3:]:
    d = json.load(open(p))
    assert not [w for w in d["warnings"] if "not a valid" in w], d["warnings"]
    for m in d["matches"]:
        got.add((m["package"]["name"], m["package"]["version"], m["vulnerability"]["id"]))
miss = [l.split("\t") for l in open(sys.argv[1]).read().splitlines()]
miss = [t for t in miss if tuple(t) not in got]
bad = []
for n, v, a in (l.split("\t") for l in open(sys.argv[2]).read().splitlines()):
    bad += [g for g in got if g[0] == n and g[1] == v and a in ("*", g[2])]
assert not miss and not bad, ("missing", miss, "reported", bad)' \
	"$T_DIR/expected.tsv" "$T_DIR/fixed.tsv" "$T_DIR/img.json" "$T_DIR/sbom.json"

check "match details: namespace, searched name, ranges, listed versions, fix" \
	"$PYTHON" -c 'import json,sys
d = json.load(open(sys.argv[1])); s = json.load(open(sys.argv[2]))
m = {(x["package"]["name"], x["vulnerability"]["id"]): x for x in d["matches"] + s["matches"]}
j = m[("Jinja2", "GHSA-g3rq-g295-4j3m")]
assert j["match"]["searched_by"] == {"namespace": "pypi", "name": "Jinja2", "version": "2.11.2"}, j["match"]
assert j["match"]["matcher"] == "python-matcher" and j["match"]["type"] == "exact-direct-match"
assert j["fix"] == {"state": "fixed", "versions": ["2.11.3"], "date": None}, j["fix"]
assert "CVE-2020-28493" in j["vulnerability"]["aliases"]
# the PYSEC record of the same issue is merged, not reported twice
assert "PYSEC-2021-66" in j["vulnerability"]["aliases"] and ("Jinja2", "PYSEC-2021-66") not in m
a = m[("axios", "GHSA-8hc4-vh64-cxmj")]
assert a["match"]["found"]["ranges"] == ">= 1.3.2, < 1.7.4", a["match"]["found"]
l = m[("lodash.trim", "GHSA-29mw-wpgm-hmr9")]
assert l["match"]["found"]["ranges"] == "<= 4.5.1" and l["fix"]["state"] == "not-fixed", l
g = m[("stdlib", "GO-2024-2598")]
assert g["match"]["searched_by"]["version"] == "1.22.0" and g["match"]["matcher"] == "go-module-matcher", g["match"]
assert any(x["match"]["found"]["versions_listed"] for x in d["matches"])
assert m[("snakeyaml", "GHSA-mjmj-j48q-9wg2")]["match"]["searched_by"]["name"] == "org.yaml:snakeyaml"' \
	"$T_DIR/img.json" "$T_DIR/sbom.json"

expect_exit 0 "the table lists the findings with their fix" \
	"$CUSTOMS" scan --db "$DB" "oci:$FX/scan-osv.oci"
expect_stdout_match "^express +5\.0\.0-beta\.1 +5\.0\.0-beta\.3 +npm +GHSA-rv95-896h-c2vc"
expect_exit 1 "--fail-on high trips on a High finding" \
	"$CUSTOMS" scan --db "$DB" --fail-on high -o json="$T_DIR/x.json" "oci:$FX/scan-osv.oci"

done_testing
