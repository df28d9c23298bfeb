#!/usr/bin/env bash
# customs db update against a local feed server: the first update imports
# every selected feed, the second sends the stored validators and gets 304
# for each file (nothing re-imported, database file untouched), a changed
# feed is re-imported alone, --feeds/config/environment pick feeds and URLs.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/dbupdate.sh"
require_customs
feeds_or_skip 40
server_start
plan 40

# ---- first update: everything imported ----
log_mark
update --feeds "$FEEDS"
expect_eq "first update exits 0" "$RC" 0
expect_eq "nothing on stdout" "$(wc -c <"$OUT")" 0
expect_stderr_match '^customs: db update: kev: imported 1404 records' \
	"kev: 1404 records reported"
expect_stderr_match '^customs: db update: debian: imported 105 records' \
	"debian: 105 records reported"
run "$CUSTOMS" db status --db "$DB" -o json
cp "$OUT" "$T_DIR/status.json"
expect_eq "db status: records per source as the mirror holds them" \
	"$("$PYTHON" -c 'import json,sys
st = json.load(open(sys.argv[1])); want = json.load(open(sys.argv[2]))
got = {s["name"]: s["records"] for s in st["sources"]}
print(" ".join("%s=%s/%s" % (k, got.get(k), v) for k, v in sorted(want.items()) if k != "nvd"))' \
		"$T_DIR/status.json" "$WWW/expect.json")" \
	"epss=5/5 kev=1404/1404 osv-go=150/150 osv-npm=33/33 osv-pypi=16/16"
expect_eq "db status: the namespaces of every feed" \
	"$(json_get "$T_DIR/status.json" '" ".join(d["namespaces"])')" \
	"alpine:3.11 alpine:3.15 alpine:edge debian:12 go npm pypi wolfi:rolling"
expect_eq "KEV rows" "$(dbq 'select count(*) from kev')" 1404
expect_eq "EPSS rows" "$(dbq 'select count(*) from epss')" 5
expect_eq "debian:12 affected rows" \
	"$(dbq "select count(*) from affected where namespace='debian:12'")" 139
expect_eq "alpine namespaces from the 3 branches on the index page" \
	"$(dbq "select group_concat(ns) from (select distinct namespace ns \
		from affected where namespace like 'alpine:%' order by ns)")" \
	"alpine:3.11,alpine:3.15,alpine:edge"
expect_eq "wolfi rows" \
	"$(dbq "select count(*) from affected where namespace='wolfi:rolling'")" 3
# one validator per downloaded file: 3 OSV zips, debian, 5 alpine branch
# files (edge has no community.json), wolfi, kev, epss
expect_eq "validators stored for 12 files" \
	"$(dbq 'select count(*) from validators')" 12
expect_eq "validators hold the server's ETag" \
	"$(dbq "select count(*) from validators where etag like '\"%\"' \
		and last_modified like '%GMT'")" 12
expect_eq "no conditional header on the first requests" \
	"$(log_since | grep -c '"inm": "')" 0
expect_eq "no file left beside the database" "$(ls "$(dirname "$DB")")" \
	"vuln.db"

# ---- second update: 304 everywhere, database untouched ----
sum1=$(sha256sum <"$DB")
mtime1=$(stat -c %Y.%y "$DB")
log_mark
update --feeds "$FEEDS"
expect_eq "second update exits 0" "$RC" 0
expect_eq "every feed reported not modified" \
	"$(grep -c ': not modified$' "$ERR")" 8
expect_eq "12 conditional requests answered 304" \
	"$(log_since | grep '"inm": "\\"' | grep -c '"status": 304')" 12
expect_eq "they carry If-Modified-Since too" \
	"$(log_since | grep -c '"ims": "Tue, 14 Nov 2023 22:13:20 GMT"')" 12
expect_eq "only the alpine index and edge/community answered otherwise" \
	"$(log_since | grep -v '"status": 304' | sed 's/.*"path": "\([^"]*\)".*"status": \([0-9]*\).*/\1 \2/' | tr '\n' ' ')" \
	"/alpine/ 200 /alpine/edge/community.json 404 "
expect_eq "database file unchanged" "$(sha256sum <"$DB")" "$sum1"
expect_eq "database not even rewritten" "$(stat -c %Y.%y "$DB")" "$mtime1"

# ---- a changed feed is re-imported alone ----
cp "$SHARED_VULNDATA/kev/vunnel-valid-catalog-1.json" \
	"$WWW/kev/known_exploited_vulnerabilities.json"
log_mark
update --feeds "$FEEDS"
expect_eq "update after a change exits 0" "$RC" 0
expect_stderr_match '^customs: db update: kev: imported 3 records' \
	"kev re-imported: 3 records"
expect_eq "the other 7 feeds not modified" \
	"$(grep -c ': not modified$' "$ERR")" 7
expect_eq "KEV is the new snapshot" "$(dbq 'select count(*) from kev')" 3
expect_eq "debian data kept" \
	"$(dbq "select count(*) from affected where namespace='debian:12'")" 139
expect_eq "one 200 for kev" \
	"$(log_since | grep '"status": 200' | grep -c '/kev/')" 1

# ---- progress on a terminal: one line per feed rewritten in place ----
cp "$SHARED_VULNDATA/kev/known_exploited_vulnerabilities.json" \
	"$WWW/kev/known_exploited_vulnerabilities.json"
if command -v script >/dev/null; then
	script -qec "'$CUSTOMS' db update --db '$DB' --mirror '$BASE' \
		--feeds kev,epss 2>&1" "$T_DIR/tty.log" >/dev/null </dev/null
	expect_eq "on a terminal: kev's line shows bytes of the total" \
		"$(tr '\r' '\n' <"$T_DIR/tty.log" | grep -qE $'^\033\\[Kkev: [0-9.]+ [KM]iB / 1.2 MiB$' && echo yes)" yes
	expect_eq "on a terminal: then its final line, on a line of its own" \
		"$(tr '\r' '\n' <"$T_DIR/tty.log" | grep -c $'^\033\[Kcustoms: db update: kev: imported 1404 records')" 1
else
	skip "progress on a terminal" "no script(1) here"
	skip "progress on a terminal" "no script(1) here"
fi

# ---- selection, config file and environment ----
log_mark
update --feeds epss -q
expect_eq "--feeds epss --quiet: exit 0, silent" "$RC:$(wc -c <"$ERR")" "0:0"
expect_eq "--feeds epss fetched only epss" \
	"$(log_since | grep -vc '/epss/')" 0
mkdir -p "$WWW/alt"
cp -r "$WWW/epss" "$WWW/alt/"
cat >"$T_DIR/cfg.yaml" <<CFG
mirror: $BASE/nowhere
feeds: [epss]
urls:
  epss: $BASE/alt/epss/
CFG
log_mark
run "$CUSTOMS" db update --db "$DB" --config "$T_DIR/cfg.yaml"
expect_eq "config: urls.epss used, feeds from the config" \
	"$RC:$(log_since | sed 's/.*"path": "\([^"]*\)".*/\1/')" \
	"0:/alt/epss/epss_scores-current.csv.gz"
log_mark
CUSTOMS_FEED_KEV_URL="$BASE/kev" run "$CUSTOMS" db update --db "$DB" \
	--config "$T_DIR/cfg.yaml" --feeds kev
expect_eq "environment URL beats the config mirror" \
	"$RC:$(log_since | sed 's/.*"path": "\([^"]*\)".*/\1/')" \
	"0:/kev/known_exploited_vulnerabilities.json"

# ---- usage ----
run "$CUSTOMS" db update --db "$DB" --feeds kev,bogus
expect_eq "unknown feed: exit 2" "$RC" 2
expect_one_error_line "unknown feed: one error line"
expect_stderr_match "unknown feed 'bogus'" "unknown feed named"
log_mark
CUSTOMS_FEED_KEV_URL=ftp://x run "$CUSTOMS" db update --db "$DB" \
	--mirror "$BASE" --feeds epss
expect_eq "a bad URL of an unselected group is ignored" "$RC" 0
CUSTOMS_FEED_KEV_URL=ftp://x run "$CUSTOMS" db update --db "$DB" \
	--feeds epss,kev
expect_eq "a bad URL: exit 2 before any download, named" \
	"$RC:$(log_since | grep -c /epss/):$(cat "$ERR")" \
	"2:1:customs: error: CUSTOMS_FEED_KEV_URL: 'ftp://x' is not an http(s) URL"
run "$CUSTOMS" db update --help
expect_eq "--help: exit 0, every option listed" \
	"$RC:$(grep -oE -- '--(db|feeds|mirror|config|strict|retries|quiet|help)\b' "$OUT" | sort -u | wc -l)" \
	"0:8"
done_testing
