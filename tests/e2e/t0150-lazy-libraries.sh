#!/bin/bash
# libcurl and libclamav are loaded on first use (util/dynlib.c), not at
# start-up: the commands that need neither never load them (the dynamic
# loader's own log, LD_DEBUG=libs, names every library it looks for), the
# ones that do (db update, a registry pull, --malware-db) load them; and
# when one cannot be loaded (the test knob CUSTOMS_FAIL_DYNLIB) only the
# command that needs it fails, with one error line.
. "$(dirname "$0")/lib.sh"
require_customs

d=$T_DIR
curl_so=${CUSTOMS_CURL_SONAME:-}
clamav_so=${CUSTOMS_CLAMAV_SONAME:-}
# port 1 on loopback refuses connections; never through a proxy
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export no_proxy=127.0.0.1 NO_PROXY=127.0.0.1
down=http://127.0.0.1:1
mkdir -p "$d/rootfs/etc" "$d/rootfs/app" "$d/clamdb"
printf 'ID=debian\nVERSION_ID=12\n' >"$d/rootfs/etc/os-release"
printf 'token = "not a secret, just text"\n' >"$d/rootfs/app/config.toml"
root=dir:$d/rootfs

# traced CMD...: run CMD with the loader's log in $d/ld (all processes)
traced() {
	rm -f "$d"/ld.*
	LD_DEBUG=libs LD_DEBUG_OUTPUT="$d/ld" run "$@"
	cat "$d"/ld.* >"$d/ld" 2>/dev/null
}

# loads DESC LIB: the last traced run looked for LIB (a SONAME prefix)
loads() {
	if grep -q "find library=$2" "$d/ld"; then
		ok "$1"
	else
		not_ok "$1" "no 'find library=$2' in the loader's log" \
			"$(grep 'find library=' "$d/ld" | head -40)"
	fi
}

# loads_not DESC LIB: the last traced run did not (and the log is real)
loads_not() {
	if ! grep -q 'find library=libc\.so' "$d/ld"; then
		not_ok "$1" "the loader's log is empty: LD_DEBUG unsupported?"
	elif grep -q "find library=$2" "$d/ld"; then
		not_ok "$1" "$(grep "find library=$2" "$d/ld" | head -3)"
	else
		ok "$1"
	fi
}

if [ -z "$curl_so" ]; then
	echo "Bail out! CUSTOMS_CURL_SONAME is not set (run from meson test)"
	exit 1
fi

# --- start-up: neither library for the commands that need neither --------
for cmd in inspect sbom secrets; do
	traced "$CUSTOMS" "$cmd" "$root"
	if [ "$RC" = 0 ]; then
		ok "$cmd dir: exits 0"
	else
		not_ok "$cmd dir: exits 0" "$(last_output)"
	fi
	loads_not "$cmd does not load libcurl" libcurl
	loads_not "$cmd does not load libclamav" libclamav
done

# --- the commands that need them load them --------------------------------
traced "$CUSTOMS" db update --db "$d/db/vuln.db" --feeds kev \
	--mirror "$down" --retries 0
if [ "$RC" = 1 ] && grep -q "Couldn't connect" "$ERR"; then
	ok "db update reaches libcurl (the feed fails: connection refused)"
else
	not_ok "db update reaches libcurl" "$(last_output)"
fi
loads "db update loads $curl_so" "$curl_so"
loads_not "db update does not load libclamav" libclamav

traced "$CUSTOMS" inspect "registry:127.0.0.1:1/team/app:1"
if [ "$RC" = 2 ] && grep -q "Couldn't connect" "$ERR"; then
	ok "a registry pull reaches libcurl (connection refused)"
else
	not_ok "a registry pull reaches libcurl" "$(last_output)"
fi
loads "a registry pull loads $curl_so" "$curl_so"

if [ -n "$clamav_so" ]; then
	traced "$CUSTOMS" secrets --malware-db "$d/clamdb" "$root"
	# an empty database directory is libclamav's error, after loading it
	if [ "$RC" = 2 ] && grep -q "malware database '$d/clamdb'" "$ERR"; then
		ok "--malware-db reaches libclamav (an empty database)"
	else
		not_ok "--malware-db reaches libclamav" "$(last_output)"
	fi
	loads "--malware-db loads $clamav_so" "$clamav_so"
	loads_not "--malware-db does not load libcurl" libcurl
else
	for i in 1 2 3; do
		skip "--malware-db loads libclamav" "built without libclamav"
	done
fi

# --- a library that cannot be loaded fails only what needs it ------------
export CUSTOMS_FAIL_DYNLIB=$curl_so
expect_exit 0 "without $curl_so: inspect dir: still works" \
	"$CUSTOMS" inspect "$root"
expect_exit 2 "without $curl_so: a registry pull exits 2" \
	"$CUSTOMS" inspect "registry:127.0.0.1:1/team/app:1"
expect_one_error_line "without $curl_so: one error line"
expect_stderr_match "^customs: error: registry: cannot load $curl_so: disabled by CUSTOMS_FAIL_DYNLIB\$" \
	"the registry error names the library and why"
expect_exit 2 "without $curl_so: db update exits 2" \
	"$CUSTOMS" db update --db "$d/db2/vuln.db" --feeds kev --mirror "$down"
expect_stderr_match "^customs: error: db update: cannot load $curl_so: " \
	"the db update error names the library"
if [ ! -e "$d/db2/vuln.db" ]; then
	ok "db update wrote no database"
else
	not_ok "db update wrote no database" "$(ls -l "$d/db2")"
fi

# a library without one of the functions customs calls
export CUSTOMS_FAIL_DYNLIB=curl_easy_perform
expect_exit 2 "without curl_easy_perform: db update exits 2" \
	"$CUSTOMS" db update --db "$d/db2/vuln.db" --feeds kev --mirror "$down"
expect_one_error_line "without curl_easy_perform: one error line"
expect_stderr_match "^customs: error: db update: cannot load $curl_so: curl_easy_perform: disabled by CUSTOMS_FAIL_DYNLIB\$" \
	"the error names the missing function"

if [ -n "$clamav_so" ]; then
	export CUSTOMS_FAIL_DYNLIB=$clamav_so
	expect_exit 0 "without $clamav_so: secrets without --malware-db works" \
		"$CUSTOMS" secrets "$root"
	expect_exit 2 "without $clamav_so: --malware-db exits 2" \
		"$CUSTOMS" secrets --malware-db "$d/clamdb" "$root"
	expect_one_error_line "without $clamav_so: one error line"
	expect_stderr_match "^customs: error: malware scan: cannot load $clamav_so: disabled by CUSTOMS_FAIL_DYNLIB\$" \
		"the malware error names the library and why"
else
	for i in 1 2 3 4; do
		skip "without libclamav" "built without libclamav"
	done
fi
unset CUSTOMS_FAIL_DYNLIB
done_testing
