#!/usr/bin/env bash
# customs db update --feeds nvd: NVD is off by default; the first run
# pages through the whole API (resultsPerPage=2000, startIndex until
# totalResults), later runs ask only for what changed since the last
# successful run (lastModStartDate/lastModEndDate), NVD_API_KEY is sent as
# the apiKey header. The fixture page claims 2001 results: two pages.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/dbupdate.sh"
require_customs
feeds_or_skip 9
server_start
plan 9

queries() { # the query strings the server saw for /nvd
	log_since | grep '"path": "/nvd' |
		sed 's/.*"path": "\/nvd[\/]*?\([^"]*\)".*/\1/'
}

log_mark
update
expect_eq "the default feeds do not include NVD" \
	"$(log_since | grep -c '"path": "/nvd')" 0

log_mark
update --feeds nvd
expect_eq "first NVD run: exit 0" "$RC" 0
expect_eq "first run: two pages, no date window" "$(queries | tr '\n' ' ')" \
	"resultsPerPage=2000&startIndex=0 resultsPerPage=2000&startIndex=2000 "
expect_stderr_match '^customs: db update: nvd: imported 76 records' \
	"76 records read: the second page repeats the first 38"
expect_eq "nvd advisories in the database" \
	"$(dbq "select count(*) from vulns v join sources s on s.id = v.source \
		where s.name = 'nvd'")" 38
last=$(dbq "select last_modified from validators where url = '$BASE/nvd'")
expect_eq "the run's time is kept" \
	"$(echo "$last" | grep -cE '^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$')" 1

log_mark
update --feeds nvd
q=$(queries | head -1)
expect_eq "second run: exit 0, a window from the last run" \
	"$RC:$(echo "$q" | grep -c "lastModStartDate=${last%Z}.000%2B00:00&lastModEndDate=")" \
	"0:1"
expect_eq "second run: paged the same way" "$(queries | wc -l)" 2

# the key travels as a header, never in the URL; the server log has no
# headers, so the check is that it is absent from the query
log_mark
NVD_API_KEY=secret-key run "$CUSTOMS" db update --db "$DB" --mirror "$BASE" \
	--feeds nvd
expect_eq "with NVD_API_KEY: exit 0, key not in the URL" \
	"$RC:$(queries | grep -c secret)" "0:0"
done_testing
