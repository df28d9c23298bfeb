# dbupdate.sh: helpers for the `customs db update` tests (t05NN-db-update*).
# Source after lib.sh. Needs the real data in ../shared/vulndata.
#
#   feeds_or_skip N        build the mirror tree into $WWW (skips the N
#                          planned tests, saying why, without the data)
#   server_start           serve $WWW on 127.0.0.1; sets $BASE, $SRVLOG,
#                          $FAULTS (write JSON there to inject faults)
#   server_stop            (also run at exit)
#   log_mark / log_since   the server log lines after the mark
#   dbq SQL                one value from the database $DB
#   update ARGS...         run `customs db update --db $DB --mirror $BASE`

SHARED_VULNDATA="$CUSTOMS_SRCDIR/../shared/vulndata"
WWW="$T_DIR/www"
DB="$T_DIR/db/vuln.db"
SRV_PID=
MARK=0
# the feeds every test here selects (the OSV ones: npm, PyPI, Go)
FEEDS=osv-npm,osv-pypi,osv-go,debian,alpine,wolfi,kev,epss

# the tests talk to 127.0.0.1 only: never through a proxy
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export no_proxy=127.0.0.1 NO_PROXY=127.0.0.1
unset CUSTOMS_DB NVD_API_KEY
for v in $(env | grep -o '^CUSTOMS_FEED_[A-Z_]*_URL'); do unset "$v"; done

feeds_or_skip() {
	local n=$1 i
	if [ ! -f "$SHARED_VULNDATA/kev/known_exploited_vulnerabilities.json" ] ||
		! "$PYTHON" -c 'import yaml' 2>/dev/null; then
		plan "$n"
		for i in $(seq "$n"); do
			skip "db update" "no shared/vulndata or python3-yaml here"
		done
		exit 0
	fi
	"$PYTHON" "$CUSTOMS_SRCDIR/tests/tools/make_feeds.py" \
		"$SHARED_VULNDATA" "$WWW" || {
		echo "Bail out! make_feeds.py failed"
		exit 1
	}
	mkdir -p "$(dirname "$DB")"
}

server_stop() {
	if [ -n "$SRV_PID" ]; then
		kill "$SRV_PID" 2>/dev/null
		wait "$SRV_PID" 2>/dev/null
	fi
	SRV_PID=
}

server_start() {
	local i
	SRVLOG="$T_DIR/server.log"
	FAULTS="$T_DIR/faults.json"
	echo '{}' >"$FAULTS"
	: >"$SRVLOG"
	rm -f "$T_DIR/port"
	"$PYTHON" "$CUSTOMS_SRCDIR/tests/tools/feedserver.py" --root "$WWW" \
		--port-file "$T_DIR/port" --log "$SRVLOG" --faults "$FAULTS" \
		2>"$T_DIR/server.err" &
	SRV_PID=$!
	trap server_stop EXIT
	for i in $(seq 100); do
		[ -s "$T_DIR/port" ] && break
		sleep 0.1
	done
	if [ ! -s "$T_DIR/port" ]; then
		echo "Bail out! the feed server did not start"
		cat "$T_DIR/server.err" >&2
		exit 1
	fi
	BASE="http://127.0.0.1:$(cat "$T_DIR/port")"
}

log_mark() {
	MARK=$(wc -l <"$SRVLOG")
}

log_since() {
	tail -n +"$((MARK + 1))" "$SRVLOG"
}

dbq() {
	"$PYTHON" -c 'import sqlite3,sys
c = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
print(c.execute(sys.argv[2]).fetchone()[0])' "$DB" "$1"
}

update() {
	run "$CUSTOMS" db update --db "$DB" --mirror "$BASE" "$@"
}

# expect_eq DESC GOT WANT
expect_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1" "got:  $2" "want: $3"
	fi
}
