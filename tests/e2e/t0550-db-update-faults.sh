#!/usr/bin/env bash
# customs db update when the network misbehaves: a 500 then success, 429
# with Retry-After, a body cut short, a permanent failure (exit 1 naming
# the feed, the other feeds committed, the failed one kept as it was),
# --strict (nothing committed), a feed that is not its format, and a
# reader holding the old database open while an update replaces it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/dbupdate.sh"
require_customs
feeds_or_skip 32
server_start
plan 32

KEV=/kev/known_exploited_vulnerabilities.json
EPSS=/epss/epss_scores-current.csv.gz
faults() {
	echo "$1" >"$FAULTS"
}
# a new body for a file (with a new mtime), so the next update fetches it
change() {
	cp "$1" "$WWW$2"
	touch -d "2024-01-0${3:-1} 00:00:00 UTC" "$WWW$2"
}
# new bytes for the EPSS file (same rows, another gzip header time)
change_epss() {
	"$PYTHON" -c 'import gzip,sys
d = open(sys.argv[1], "rb").read()
open(sys.argv[2], "wb").write(gzip.compress(d, mtime=int(sys.argv[3])))' \
		"$SHARED_VULNDATA/epss/vunnel-example-1.csv" "$WWW$EPSS" "$1"
	touch -d "2024-02-0$1 00:00:00 UTC" "$WWW$EPSS"
}
statuses() { # the statuses the server answered for a path, in order
	log_since | grep "\"path\": \"$1\"" |
		sed 's/.*"status": "*\([0-9a-z]*\)"*}/\1/' | tr '\n' ' '
}

update --feeds kev,epss,debian -q
expect_eq "initial update" "$RC" 0

# ---- 500 once, then success ----
change "$SHARED_VULNDATA/kev/vunnel-valid-catalog-1.json" $KEV 1
faults "{\"$KEV\": [\"500\"]}"
log_mark
update --feeds kev
expect_eq "500 then ok: exit 0" "$RC" 0
expect_eq "500 then ok: the server saw 500 then 200" "$(statuses $KEV)" \
	"500 200 "
expect_stderr_match '^customs: db update: kev: .*HTTP status 500; retry 1 of 4$' \
	"the retry is reported"
expect_eq "500 then ok: the new KEV is in" "$(dbq 'select count(*) from kev')" 3

# ---- 429 with Retry-After ----
change "$SHARED_VULNDATA/kev/known_exploited_vulnerabilities.json" $KEV 2
faults "{\"$KEV\": [\"429:1\"]}"
log_mark
t0=$(date +%s%N)
update --feeds kev
t1=$(date +%s%N)
expect_eq "429: exit 0 after the retry" "$RC:$(statuses $KEV)" "0:429 200 "
expect_eq "429: waited the Retry-After second" \
	"$(( (t1 - t0) >= 1000000000 ))" 1
expect_eq "429: KEV imported" "$(dbq 'select count(*) from kev')" 1404

# ---- connection cut mid-body ----
change "$SHARED_VULNDATA/kev/vunnel-valid-catalog-1.json" $KEV 3
faults "{\"$KEV\": [\"cut\"]}"
log_mark
update --feeds kev
expect_eq "cut: exit 0 after the retry" "$RC:$(statuses $KEV)" "0:cut 200 "
expect_stderr_match 'kev: .*(transfer closed|Transferred a partial).*retry 1 of 4' \
	"cut: the short body is reported"
expect_eq "cut: KEV imported whole" "$(dbq 'select count(*) from kev')" 3

# ---- permanent failure: exit 1, others committed, failed feed kept ----
change "$SHARED_VULNDATA/kev/known_exploited_vulnerabilities.json" $KEV 4
change_epss 4
"$PYTHON" -c 'import sqlite3,sys
c = sqlite3.connect(sys.argv[1]); c.execute("delete from epss"); c.commit()' "$DB"
faults "{\"$KEV\": [\"503*\"]}"
log_mark
update --feeds kev,epss --retries 1
expect_eq "permanent failure: exit 1" "$RC" 1
expect_eq "permanent failure: 2 tries" "$(statuses $KEV)" "503 503 "
expect_stderr_match "^customs: error: feed 'kev' failed: $BASE$KEV: HTTP status 503 \(after 2 tries\)$" \
	"the error names the feed, URL and why"
expect_eq "exactly one error line" "$(grep -c '^customs: error' "$ERR")" 1
expect_eq "the old KEV is intact" "$(dbq 'select count(*) from kev')" 3
expect_eq "epss was still committed" "$(dbq 'select count(*) from epss')" 5
log_mark
faults '{}'
update --feeds kev
expect_eq "the failed feed is fetched and imported next time" \
	"$RC:$(statuses $KEV):$(dbq 'select count(*) from kev')" "0:200 :1404"

# ---- --strict: any failure commits nothing ----
change "$SHARED_VULNDATA/kev/vunnel-valid-catalog-1.json" $KEV 5
change_epss 5
faults "{\"$EPSS\": [\"500*\"]}"
sum=$(sha256sum <"$DB")
update --feeds kev,epss --retries 0 --strict
expect_eq "strict: exit 1" "$RC" 1
expect_stderr_match "^customs: error: feed 'epss' failed: .*HTTP status 500 \(after 1 tries\); nothing committed \(--strict\)$" \
	"strict: the error says nothing was committed"
expect_eq "strict: database file unchanged" "$(sha256sum <"$DB")" "$sum"
expect_eq "strict: nothing left beside the database" \
	"$(ls "$(dirname "$DB")")" "vuln.db"

# ---- 404 and a file that is not the feed's format ----
faults "{\"$EPSS\": [\"404*\"]}"
update --feeds epss
expect_eq "404: exit 1" "$RC" 1
expect_stderr_match "feed 'epss' failed: $BASE$EPSS: HTTP status 404$" \
	"404: named"
faults '{}'
mkdir -p "$WWW/bad/kev"
printf '<html><body>Sign in to the Wi-Fi</body></html>\n' \
	>"$WWW/bad/kev/known_exploited_vulnerabilities.json"
CUSTOMS_FEED_KEV_URL="$BASE/bad/kev" CUSTOMS_FEED_EPSS_URL="$BASE/epss" \
	run "$CUSTOMS" db update --db "$DB" --feeds kev,epss
expect_eq "not the format: exit 1" "$RC" 1
expect_stderr_match "^customs: error: feed 'kev' failed: $BASE/bad$KEV: not a 'kev' feed document$" \
	"not the format: named"
expect_eq "not the format: KEV kept, epss imported" \
	"$(dbq 'select count(*) from kev'):$(grep -c '^customs: db update: epss: imported 5 records' "$ERR")" \
	"1404:1"

# ---- SIGTERM during a download: nothing committed, nothing left ----
change "$SHARED_VULNDATA/kev/vunnel-valid-catalog-1.json" $KEV 7
faults "{\"$KEV\": [\"slow:400\"]}"
sum=$(sha256sum <"$DB")
"$CUSTOMS" db update --db "$DB" --mirror "$BASE" --feeds epss,kev \
	>"$OUT" 2>"$ERR" &
upid=$!
sleep 1 # the KEV body takes 3.2 s to arrive
kill -TERM $upid
RC=0
wait $upid || RC=$?
expect_eq "SIGTERM: exit 130" "$RC" 130
expect_stderr_match '^customs: error: interrupted; the database was not changed$' \
	"SIGTERM: said so"
expect_eq "SIGTERM: database unchanged, nothing left beside it" \
	"$(sha256sum <"$DB"):$(ls "$(dirname "$DB")")" "$sum:vuln.db"
faults '{}'

# ---- a reader keeps reading the old database during an update ----
change "$SHARED_VULNDATA/kev/vunnel-valid-catalog-1.json" $KEV 6
faults "{\"$KEV\": [\"slow:150\"]}"
"$PYTHON" - "$DB" "$T_DIR/reader" <<'PY' &
import os, sqlite3, sys, time
c = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
seen = set()
c.execute("select count(*) from kev").fetchone()
open(sys.argv[2] + ".ready", "w").close()
deadline = time.time() + 20
while not os.path.exists(sys.argv[2] + ".stop") and time.time() < deadline:
    seen.add(c.execute("select count(*) from kev").fetchone()[0])
    time.sleep(0.01)
new = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
with open(sys.argv[2], "w") as f:
    f.write("%s %d\n" % (",".join(map(str, sorted(seen))),
                         new.execute("select count(*) from kev").fetchone()[0]))
PY
rpid=$!
for i in $(seq 100); do [ -f "$T_DIR/reader.ready" ] && break; sleep 0.1; done
update --feeds kev
touch "$T_DIR/reader.stop"
wait $rpid
expect_eq "update under a reader: exit 0" "$RC" 0
expect_eq "the open reader saw only the old data; a new one sees the new" \
	"$(cat "$T_DIR/reader")" "1404 3"
done_testing
