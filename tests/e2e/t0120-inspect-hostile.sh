#!/bin/bash
# Hostile images: broken compression, wrong digests, names that climb out of
# the root, link loops, bombs, broken JSON. Every failure is exit 2 with one
# stderr line naming the layer (and the path, where there is one); nothing
# crashes and nothing is written anywhere. The cases come from the fixture
# specs (tests/fixtures/images/hostile-*.txt) via hostile/cases.tsv.
. "$(dirname "$0")/lib.sh"
require_customs
fixtures

cases="$FX/hostile/cases.tsv"
[ -s "$cases" ] || { echo "Bail out! no $cases"; exit 1; }

# A snapshot of what customs could touch: the fixtures (names, types, sizes,
# modes, mtimes). Other scripts write to the scratch tree concurrently, so
# outside the fixtures only the names an escape would create are checked,
# along with each run's (empty) working directory.
snapshot() {
	find "$FX" -printf '%p %y %s %m %T@\n' | LC_ALL=C sort
}
escapes="/etc/customs-hostile-x $CUSTOMS_TEST_TMP/../customs-hostile-escape $CUSTOMS_TEST_TMP/customs-hostile-escape $T_DIR/customs-hostile-escape /customs-hostile-escape"
for f in $escapes; do
	[ -e "$f" ] && diag "note: $f exists before the test"
done
before=$(snapshot)

n=0
# (tab is IFS whitespace, so empty fields would merge: read on \037 instead)
while IFS=$'\037' read -r name target args code index needles path match; do
	case $name in '#'* | '') continue ;; esac
	n=$((n + 1))
	kind=${target%%:*}
	rel=${target#*:}
	abs="$kind:$FX/$rel"
	label="$name${args:+ $args}"
	cwd="$T_DIR/cwd.$n"
	mkdir -p "$cwd"
	# shellcheck disable=SC2086 # args is a word list
	run sh -c 'cd "$1" && shift && exec timeout 300 "$@"' sh "$cwd" \
		"$CUSTOMS" inspect --files $args -o json "$abs"
	if [ "$RC" -ge 124 ]; then
		not_ok "$label: no crash or hang" "$(last_output)"
	else
		ok "$label: no crash or hang (exit $RC)"
	fi
	if [ "$RC" -eq "$code" ]; then
		ok "$label: exit $code"
	else
		not_ok "$label: exit $code" "$(last_output)"
	fi
	if [ "$code" -eq 2 ]; then
		expect_one_error_line "$label: one error line"
		if [ -s "$OUT" ]; then
			not_ok "$label: nothing on stdout" "$(head -c 300 "$OUT")"
		else
			ok "$label: nothing on stdout"
		fi
		if [ -n "$index" ]; then
			# the layer by digest (any unique prefix) or by its index
			found=
			IFS=, read -r -a list <<<"$needles"
			for nd in "${list[@]}"; do
				grep -qF -- "$nd" "$ERR" && found=$nd
			done
			grep -qE "layer $index([^0-9]|\$)" "$ERR" && found=${found:-"layer $index"}
			if [ -n "$found" ]; then
				ok "$label: the error names the layer ($found)"
			else
				not_ok "$label: the error names layer $index (or one of: $needles)" "$(cat "$ERR")"
			fi
			# layer numbers in messages are the 0-based indexes of the
			# JSON output (layers[].index, files[].layer)
			bad=$(grep -oE 'layer [0-9]+' "$ERR" | grep -vx "layer $index" | head -n 1)
			if [ -z "$bad" ]; then
				ok "$label: any layer number in the error is the 0-based index $index"
			else
				not_ok "$label: any layer number in the error is the 0-based index $index" \
					"found '$bad'" "$(cat "$ERR")"
			fi
		fi
		if [ -n "$path" ]; then
			if grep -qF -- "$path" "$ERR"; then
				ok "$label: the error names the path $path"
			else
				not_ok "$label: the error names the path $path" "$(cat "$ERR")"
			fi
		fi
		if [ -n "$match" ]; then
			expect_stderr_match "$match" "$label: the error says what is wrong (/$match/)"
		fi
	elif [ "$code" -eq 0 ]; then
		exp="$FX/hostile/${name%%/*}.expect.json"
		if [ -f "$exp" ] && [ "$RC" -eq 0 ]; then
			cp "$OUT" "$T_DIR/case$n.json"
			if [ "${name##*/}" = rootfs ] && ! is_root; then
				skip "$label: output matches the model" "rootfs owners need root"
			else
				check_inspect "$label: output matches the model" "$exp" "$T_DIR/case$n.json" \
					--variant "$rel"
			fi
		elif [ "$RC" -eq 0 ]; then
			check "$label: output is JSON" "$PYTHON" -c 'import json,sys; json.load(open(sys.argv[1]))' "$OUT"
		fi
	fi
	if [ -z "$(ls -A "$cwd")" ]; then
		ok "$label: nothing written to the working directory"
	else
		not_ok "$label: nothing written to the working directory" "$(ls -lA "$cwd")"
	fi
done < <(tr '\t' '\037' <"$cases")

for f in $escapes; do
	if [ -e "$f" ]; then
		not_ok "no $f after the hostile images" "$(ls -l "$f")"
	else
		ok "no $f after the hostile images"
	fi
done
stray=$(find "$CUSTOMS_TEST_TMP" -name 'customs-hostile-*' 2>/dev/null | head -n 5)
if [ -z "$stray" ]; then
	ok "no customs-hostile-* file anywhere under the scratch directory"
else
	not_ok "no customs-hostile-* file anywhere under the scratch directory" "$stray"
fi
after=$(snapshot)
if [ "$before" = "$after" ]; then
	ok "fixtures unchanged"
else
	not_ok "fixtures unchanged" \
		"$(diff <(echo "$before") <(echo "$after") | head -n 40)"
fi

done_testing
