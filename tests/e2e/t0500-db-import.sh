#!/bin/bash
# `customs db import` and `customs db status`: importing all of
# shared/vulndata/osv gives the per-file record counts of its README
# (29,960 in all) and the withdrawn counts; an unchanged re-import adds
# nothing; status reports schema, sources and totals as a table and as
# JSON; a hand-written JSON-lines file, a directory with a file no parser
# knows (warned about, by name) and an unreadable input (exit 2, the old
# database untouched) behave as documented. The OSV part skips, saying
# so, when the shared data is absent.
. "$(dirname "$0")/lib.sh"
require_customs

OSV="$CUSTOMS_SRCDIR/../shared/vulndata/osv"
d=$T_DIR
db="$d/vuln.db"

# sql DB QUERY: one value from the database (python's sqlite3).
sql() {
	"$PYTHON" -c 'import sqlite3,sys
print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$1" "$2"
}

# Small hand-written data: works without the shared corpus.
mkdir -p "$d/feeds/sub"
cat >"$d/feeds/a.jsonl" <<'JSON'
{"id":"GHSA-aaaa","modified":"2024-01-01T00:00:00Z","aliases":["CVE-2024-0001"],"affected":[{"package":{"ecosystem":"npm","name":"Axios"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.6.0"}]}]}]}
{"id":"PYSEC-bbbb","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"PyPI","name":"Jinja2"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"last_affected":"2.0-NA"}]}]}]}
JSON
echo '{"id":"GO-cccc","modified":"2024-02-01T00:00:00Z"}' >"$d/feeds/sub/go.json"
echo 'just some notes' >"$d/feeds/sub/notes.txt"
gzip -c "$d/feeds/a.jsonl" >"$d/a.jsonl.gz"

expect_exit 0 "import a directory" "$CUSTOMS" db import --db "$db" "$d/feeds"
expect_stderr_match "sub/notes.txt: skipped: not a feed format" \
	"a file no parser knows is skipped with a warning naming it"
expect_stderr_match "a.jsonl:2: PYSEC-bbbb: affected\[0\] \(Jinja2\): skipped: last_affected '2.0-NA'" \
	"an invalid bound is a warning naming file:line, record and field"
expect_stderr_match "read 3 records from 1 path .*, 2 warnings" \
	"the summary counts records and warnings"
if [ "$(sql "$db" "select count(*) from vulns")" = 3 ]; then
	ok "three advisories stored"
else
	not_ok "three advisories stored"
fi

expect_exit 0 "re-import the same records from a .gz" \
	"$CUSTOMS" db import --db "$db" -q "$d/a.jsonl.gz"
expect_stderr_match "a.jsonl.gz: 2 records" "both lines of the .gz read"
if [ "$(sql "$db" "select count(*) from vulns")" = 3 ]; then
	ok "an unchanged re-import adds nothing"
else
	not_ok "an unchanged re-import adds nothing"
fi

# a zip: every member, named archive:member
"$PYTHON" -c 'import sys, zipfile
z = zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED)
z.writestr("GHSA-zzzz.json", "{\"id\":\"GHSA-zzzz\",\"modified\":\"1\"}")
z.writestr("dir/GO-zzzz.json", "{\"id\":\"GO-zzzz\",\"modified\":\"1\"}")
z.writestr("README.txt", "not a feed")
z.close()' "$d/all.zip"
expect_exit 0 "import a zip" "$CUSTOMS" db import --db "$db" "$d/all.zip"
expect_stderr_match "all.zip: 2 records" "both OSV members read"
expect_stderr_match "all.zip:README.txt: skipped" "the other member is named in a warning"

cp "$db" "$d/before.db"
expect_exit 2 "an unreadable input is exit 2" \
	"$CUSTOMS" db import --db "$db" "$d/feeds" "$d/missing.json"
if [ "$(grep -c '^customs: error: ' "$ERR")" = 1 ]; then
	ok "one error line"
else
	not_ok "one error line" "$(cat "$ERR")"
fi
expect_stderr_match "cannot read '.*missing.json'" "the message names the input"
if cmp -s "$db" "$d/before.db" && [ "$(ls "$d" | grep -c 'vuln.db.new')" = 0 ]; then
	ok "the old database is untouched and no temporary file is left"
else
	not_ok "the old database is untouched and no temporary file is left"
fi
expect_exit 2 "a file that is no feed is an error when named" \
	"$CUSTOMS" db import --db "$db" "$d/feeds/sub/notes.txt"
expect_stderr_match "not a feed format customs knows" "and says so"

CUSTOMS_DB="$db" expect_exit 0 "db status reads \$CUSTOMS_DB" "$CUSTOMS" db status
expect_stdout_match "^schema version: +1$" "status shows the schema version"
expect_stdout_match "^advisories: +5$" "status shows the advisory count"
expect_stdout_match "^osv +5 " "status shows the source with its records"
expect_exit 0 "db status -o json" "$CUSTOMS" db status --db "$db" -o json
cp "$OUT" "$d/status.json"
# the PYSEC entry was skipped and GO-cccc has no affected[]: npm only
if [ "$(json_get "$d/status.json" "d['sources'][0]['records']")" = 5 ] &&
	[ "$(json_get "$d/status.json" "d['namespaces']")" = '["npm"]' ]; then
	ok "status JSON has the source records and namespaces"
else
	not_ok "status JSON has the source records and namespaces" "$(cat "$d/status.json")"
fi
# Without --db or $CUSTOMS_DB the database is vuln.db in the cache
# directory, which $CUSTOMS_CACHE_DIR moves like every other cache.
cache="$d/cache-here"
(unset CUSTOMS_DB; CUSTOMS_CACHE_DIR="$cache" "$CUSTOMS" db import \
	--format osv "$d/feeds/a.jsonl" >/dev/null 2>&1)
check "the default database is vuln.db in \$CUSTOMS_CACHE_DIR" \
	test -s "$cache/vuln.db"
(unset CUSTOMS_DB CUSTOMS_CACHE_DIR; XDG_CACHE_HOME="$d/xdg" \
	"$CUSTOMS" db import --format osv "$d/feeds/a.jsonl" \
	>/dev/null 2>&1)
check "else vuln.db under \$XDG_CACHE_HOME/customs" \
	test -s "$d/xdg/customs/vuln.db"
CUSTOMS_DB="$d/envdb.db" CUSTOMS_CACHE_DIR="$cache" "$CUSTOMS" db import \
	--format osv "$d/feeds/a.jsonl" >/dev/null 2>&1
check "\$CUSTOMS_DB comes before the cache directory" test -s "$d/envdb.db"
expect_exit 2 "db status on a missing database is exit 2" \
	"$CUSTOMS" db status --db "$d/none.db"
expect_stderr_match "customs db update" "and says how to get one"
expect_exit 0 "db import --help" "$CUSTOMS" db import --help
expect_stdout_match "--fresh" "the help lists --fresh"
expect_exit 2 "an unknown format is a usage error" \
	"$CUSTOMS" db import --db "$db" --format bogus "$d/feeds"

# Failing allocations: out of memory is exit 3 with one message, never a
# crash, a format error or a leftover temporary file.
bad=
for n in $(seq 1 7 700); do
	rm -f "$d/af.db"
	CUSTOMS_FAIL_ALLOC_AT=$n "$CUSTOMS" db import -q --db "$d/af.db" \
		"$d/feeds/a.jsonl" "$d/all.zip" >"$d/af.out" 2>&1
	rc=$?
	case $rc in
	0) ;;
	3) grep -q "^customs: error: .*out of memory" "$d/af.out" || bad="$bad $n" ;;
	*) bad="$bad $n(rc=$rc)" ;;
	esac
done
if [ -z "$bad" ] && [ "$(ls "$d" | grep -c 'af.db.new')" = 0 ]; then
	ok "failing allocations: exit 0 or 3 with an out-of-memory message"
else
	not_ok "failing allocations: exit 0 or 3 with an out-of-memory message" \
		"bad at:$bad" "$(cat "$d/af.out")"
fi

# The whole OSV corpus.
if [ ! -d "$OSV" ]; then
	skip "import all of shared/vulndata/osv" "no shared data at $OSV"
	done_testing
fi
expect_exit 0 "import every OSV file into a fresh database" \
	"$CUSTOMS" db import --db "$db" --fresh -q "$OSV"/*.jsonl.gz
cp "$ERR" "$d/osv.stderr"
for want in almalinux:5680 bitnami:7444 crates.io:1206 ghsa-curated:101 \
	go:4291 oss-fuzz:4026 psf:132 pypi:7080; do
	f=${want%%:*}
	n=${want##*:}
	if grep -qE "/$f\.jsonl\.gz: $n records$" "$d/osv.stderr"; then
		ok "$f: $n records"
	else
		not_ok "$f: $n records" "$(grep "$f" "$d/osv.stderr")"
	fi
done
expect_stderr_match "read 29960 records from 8 paths" "29,960 records in all"
for want in GO-:17 PYSEC-:269 RUSTSEC-:13 OSV-:24; do
	p=${want%%:*}
	n=${want##*:}
	got=$(sql "$db" "select count(*) from vulns where withdrawn and vid like '$p%'")
	if [ "$got" = "$n" ]; then
		ok "$p records withdrawn: $n"
	else
		not_ok "$p records withdrawn: $n" "got $got"
	fi
done
# AlmaLinux and OSS-Fuzz repeat a few ids (43 and 5): one row each.
got=$(sql "$db" "select count(*) from vulns")
if [ "$got" = 29912 ]; then
	ok "29,912 distinct advisories"
else
	not_ok "29,912 distinct advisories" "got $got"
fi
expect_exit 0 "db status on the OSV database" "$CUSTOMS" db status --db "$db"
expect_stdout_match "^advisories: +29912$" "status counts the advisories"
expect_stdout_match "^namespaces: +11$" "status counts the namespaces"
done_testing
