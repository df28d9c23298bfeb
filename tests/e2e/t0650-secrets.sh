#!/bin/bash
# `customs secrets` and the secrets keys of `customs inspect -o json` on
# images built by the fixture generator (tests/e2e/secrets_fixture.py): a
# format-valid fake value of every built-in rule's kind in text files, in
# ENV, a label and a history line, and in a file a later layer deletes.
# Each is found exactly once at the right path, line and layer (the
# deleted one only with --scope all-layers); a clean image has none;
# Anchore's secret_search, content_search and retrieved_files; inspect's
# censored config and history (raw with --show-secrets, raw in the policy
# input); ClamAV with
# a sigtool-built database when clamav is installed.
. "$(dirname "$0")/lib.sh"
require_customs

d=$T_DIR
FXS=$d/fx
MAL=/usr/share/clamav-testfiles/clam.exe
[ -r "$MAL" ] || MAL=
if ! "$PYTHON" "$CUSTOMS_SRCDIR/tests/e2e/secrets_fixture.py" \
	"$CUSTOMS_SRCDIR" "$FXS" $MAL >"$d/fx.log" 2>&1; then
	cat "$d/fx.log" >&2
	echo "Bail out! building the secrets fixtures failed"
	exit 1
fi
img=$FXS/secrets.docker.tar

# compare FILE ALL_LAYERS: every planted secret found exactly once, and
# nothing else but the three config findings
compare() {
	"$PYTHON" - "$1" "$FXS/expect.tsv" "$2" <<'PY'
import collections, json, sys
d = json.load(open(sys.argv[1]))
want = [l.rstrip("\n").split("\t") for l in open(sys.argv[2])]
want = [(r, p, int(l), int(y)) for r, p, l, y in want]
want += [("github-pat", "config:env", 2, None),
         ("gitlab-pat", "config:label:org.acme.deploy", 1, None),
         ("npm-access-token", "config:history", 1, None)]
if sys.argv[3] == "1":
    want.append(("aws-access-key-id", "/app/old/deleted.txt", 2, 1))
got = collections.Counter((f["rule_id"], f["path"], f["line"], f["layer"])
                          for f in d["secrets"]["findings"])
bad = [("missing or repeated", w, got[w]) for w in want if got[w] != 1]
bad += [("unexpected", g) for g in got if g not in set(want)]
for f in d["secrets"]["findings"]:
    if "*" not in f["match"]:
        bad.append(("not censored", f["match"]))
for b in bad:
    print(*b)
sys.exit(1 if bad else 0)
PY
}

expect_exit 0 "secrets -o json on the planted image" \
	"$CUSTOMS" secrets -o "json=$d/sq.json" "$img"
run compare "$d/sq.json" 0
if [ "$RC" = 0 ]; then
	ok "every planted secret found once at its path, line and layer"
else
	not_ok "every planted secret found once at its path, line and layer" \
		"$(cat "$OUT")"
fi

expect_exit 0 "secrets --scope all-layers" \
	"$CUSTOMS" secrets --scope all-layers -o "json=$d/all.json" "$img"
run compare "$d/all.json" 1
if [ "$RC" = 0 ]; then
	ok "all-layers adds exactly the deleted file's secret (layer 1)"
else
	not_ok "all-layers adds exactly the deleted file's secret" "$(cat "$OUT")"
fi
v=$(json_get "$d/all.json" '[f["created_by"] for f in d["secrets"]["findings"] if f["path"] == "/app/old/deleted.txt"]')
if [ "$v" = '["COPY old /app/old"]' ]; then
	ok "a finding names its layer's history line"
else
	not_ok "a finding names its layer's history line" "got $v"
fi

# the same findings whatever the image source
for form in docker-classic.tar oci oci.tar; do
	"$CUSTOMS" secrets -o "json=$d/f.json" "$FXS/secrets.$form" >/dev/null 2>&1
	run compare "$d/f.json" 0
	if [ "$RC" = 0 ]; then
		ok "same findings from secrets.$form"
	else
		not_ok "same findings from secrets.$form" "$(cat "$OUT")"
	fi
done

v=$(json_get "$d/sq.json" 'd["secrets"]["skipped"]')
if [ "$v" = '{"binary": 0, "too_large": 1, "too_small": 0, "path": 1, "allowed_path": 1, "allowed_match": 0, "findings_cap": 0}' ] ||
	{ [ -n "$MAL" ] && [ "$v" = '{"binary": 1, "too_large": 1, "too_small": 0, "path": 1, "allowed_path": 1, "allowed_match": 0, "findings_cap": 0}' ]; }; then
	ok "skips counted: node_modules (path), usr/share (allowed_path), 11 MiB (too_large)"
else
	not_ok "skips counted" "got $v"
fi

expect_exit 0 "secrets table" "$CUSTOMS" secrets "$img"
expect_stdout_match '^github-pat +CRITICAL +/app/secrets/github-pat.txt:3 +0 +token=\*+$' \
	"table row: rule, severity, path:line, layer, censored match"
if grep -q 'ghp_[A-Za-z0-9]\{36\}' "$OUT" "$d/sq.json"; then
	not_ok "no raw GitHub token in any output"
else
	ok "no raw GitHub token in any output"
fi

expect_exit 0 "secrets on the clean image" \
	"$CUSTOMS" secrets -o "json=$d/clean.json" "$FXS/secrets-clean.oci"
v=$(json_get "$d/clean.json" 'len(d["secrets"]["findings"]), len(d["secret_search"])')
if [ "$v" = "0 0" ] || [ "$v" = "(0, 0)" ] || [ "$v" = "[0, 0]" ]; then
	ok "a clean image has zero findings"
else
	not_ok "a clean image has zero findings" "got $v"
fi

expect_exit 0 "inspect -o json with content regexes" \
	"$CUSTOMS" inspect -o "json=$d/in.json" --content-regex 'ROOT=^root:' \
	--content-regex '.*nologin$' "$FXS/secrets-clean.oci"
v=$(json_get "$d/in.json" 'd["content_search"]')
if [ "$v" = '{"/etc/passwd": {"Lipub2xvZ2luJA==\n": [1], "Uk9PVD1ecm9vdDo=\n": [0]}}' ]; then
	ok "content_search: base64 of NAME=regex and of a bare regex, 0-based lines"
else
	not_ok "content_search keys and lines" "got $v"
fi
v=$(json_get "$d/in.json" '[d["retrieved_files"]["/etc/passwd"][k] for k in ("size", "truncated", "content_b64")]')
if [ "$v" = '[74, false, "cm9vdDp4OjA6MDpyb290Oi9yb290Oi9iaW4vYmFzaApkYWVtb246eDoxOjE6Oi91c3Ivc2JpbjovdXNyL3NiaW4vbm9sb2dpbgo="]' ]; then
	ok "retrieved_files holds /etc/passwd"
else
	not_ok "retrieved_files holds /etc/passwd" "got $v"
fi
v=$(json_get "$d/in.json" 'd["malware"]')
if [ "$v" = "None" ] || [ "$v" = "null" ]; then
	ok "no malware database: malware is null (not run)"
else
	not_ok "no malware database: malware is null" "got $v"
fi

expect_exit 0 "inspect -o json on the planted image" \
	"$CUSTOMS" inspect -o "json=$d/in2.json" "$img"
v=$(json_get "$d/in2.json" 'sorted(set(__import__("base64").b64decode(k).decode().split("=")[0] for f in d["secret_search"].values() for k in f))')
if [ "$v" = '["API_KEY", "AWS_ACCESS_KEY", "AWS_SECRET_KEY", "DOCKER_AUTH", "PRIV_KEY"]' ]; then
	ok "secret_search: Anchore's five named rules all match"
else
	not_ok "secret_search: Anchore's five named rules" "got $v"
fi
v=$(json_get "$d/in2.json" 'd["secret_search"]["/app/secrets/aws-secret-access-key.txt"]')
if [ "$v" = '{"QVdTX1NFQ1JFVF9LRVk9KD9pKS4qYXdzX3NlY3JldF9hY2Nlc3Nfa2V5KCAqPSsgKikuKig/PCFb\nQS1aYS16MC05Lys9XSlbQS1aYS16MC05Lys9XXs0MH0oPyFbQS1aYS16MC05Lys9XSkuKg==\n": [2]}' ]; then
	ok "secret_search: AWS_SECRET_KEY keyed by base64 of NAME=regex, line 2"
else
	not_ok "secret_search AWS_SECRET_KEY" "got $v"
fi
v=$(json_get "$d/in2.json" 'sorted((p, sorted(f.values())) for p, f in d["secret_search"].items() if p.startswith("/app/anchore") or p.startswith("/app/links/"))')
if [ "$v" = '[["/app/anchore.conf", [[0], [1]]], ["/app/links/abs.conf", [[0], [1]]], ["/app/links/chain.conf", [[0], [1]]], ["/app/links/hard.conf", [[0], [1]]], ["/app/links/rel.conf", [[0], [1]]]]' ]; then
	ok "secret_search: symlinks (absolute, relative, chained) and a hard link report their target's lines; a dangling one nothing"
else
	not_ok "secret_search through links" "got $v"
fi
v=$(json_get "$d/in2.json" 'list(d["secret_search"]["/app/anchore.conf"])')
if [ "$v" = '["QVBJX0tFWT0oP2kpLiphcGkoLXxfKWtleSggKj0rICopLiooPzwhW0EtWjAtOV0pW0EtWjAtOV17\nMjAsNjB9KD8hW0EtWjAtOV0pLio=\n", "QVdTX0FDQ0VTU19LRVk9KD9pKS4qYXdzX2FjY2Vzc19rZXlfaWQoICo9KyAqKS4qKD88IVtBLVow\nLTldKVtBLVowLTldezIwfSg/IVtBLVowLTldKS4q\n"]' ]; then
	ok "secret_search keys are Anchore's (base64.encodebytes, as in its functional test)"
else
	not_ok "secret_search keys are Anchore's" "got $v"
fi
# inspect prints the image config censored: the secrets the scan reports
# in ENV, a label and history are not printed raw elsewhere
STARS40='****************************************'
v=$(json_get "$d/in2.json" '[d["history"][0]["created_by"], d["config"]["env"][1], d["config"]["labels"]["org.acme.deploy"], d["dockerfile"]["text"].splitlines()[1]]')
if [ "$v" = "[\"/bin/sh -c #(nop)  ARG NPM_TOKEN=$STARS40\", \"GITHUB_TOKEN=$STARS40\", \"**************************\", \" ARG NPM_TOKEN=$STARS40\"]" ]; then
	ok "inspect JSON: history, env, label and guessed Dockerfile censored"
else
	not_ok "inspect JSON censored" "got $v"
fi
expect_exit 0 "inspect table on the planted image" "$CUSTOMS" inspect "$img"
expect_stdout_match '^0 +- /bin/sh -c #\(nop\)  ARG NPM_TOKEN=\*{40}$' \
	"inspect table: the history line is censored"
if grep -q 'npm_Qw3E\|ghp_Zx9v\|glpat-Q1w2' "$OUT" "$d/in2.json"; then
	not_ok "no raw config secret in inspect's table or JSON"
else
	ok "no raw config secret in inspect's table or JSON"
fi
expect_exit 0 "inspect --show-secrets" \
	"$CUSTOMS" inspect --show-secrets -o "json=$d/raw.json" "$img"
v=$(json_get "$d/raw.json" '[d["history"][0]["created_by"], d["dockerfile"]["text"].splitlines()[1]]')
if [ "$v" = '["/bin/sh -c #(nop)  ARG NPM_TOKEN=npm_Qw3Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz1Xc3Vb5", " ARG NPM_TOKEN=npm_Qw3Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz1Xc3Vb5"]' ]; then
	ok "--show-secrets prints history and the guessed Dockerfile raw"
else
	not_ok "--show-secrets prints them raw" "got $v"
fi
CUSTOMS_DB=$d/no-db expect_exit 0 "check --save-analysis" \
	"$CUSTOMS" check "$img" --save-analysis "$d/an.json"
v=$(json_get "$d/an.json" '[d["history"][0]["created_by"], d["dockerfile"]["text"].splitlines()[1]]')
if [ "$v" = '["/bin/sh -c #(nop)  ARG NPM_TOKEN=npm_Qw3Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz1Xc3Vb5", " ARG NPM_TOKEN=npm_Qw3Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz1Xc3Vb5"]' ]; then
	ok "the policy input keeps the real history and Dockerfile text"
else
	not_ok "the policy input keeps the real text" "got $v"
fi
expect_exit 0 "inspect --no-secrets" \
	"$CUSTOMS" inspect -o "json=$d/in3.json" --no-secrets "$img"
v=$(json_get "$d/in3.json" '[d["secrets"]["scanned"], len(d["secrets"]["findings"]), d["secret_search"]]')
if [ "$v" = '[false, 0, {}]' ]; then
	ok "--no-secrets: scanned false, no findings"
else
	not_ok "--no-secrets" "got $v"
fi

printf 'rules:\n  - id: bad\n    regex: "a(b"\n' >"$d/bad.yaml"
expect_exit 2 "a rules file with a bad regex is rejected" \
	"$CUSTOMS" secrets --config "$d/bad.yaml" "$img"
expect_stderr_match "rule 'bad': regex: bad regex at offset 3: missing closing parenthesis" \
	"the error names the rule and PCRE2's message"
printf 'disable-rules: [github-pat]\n' >"$d/off.yaml"
expect_exit 0 "--list-rules with a config" \
	"$CUSTOMS" secrets --config "$d/off.yaml" --list-rules
expect_stdout_match '^github-pat +CRITICAL +GitHub +no ' "disabled rule listed as such"

if [ -n "$MAL" ] && command -v sigtool >/dev/null; then
	mkdir -p "$d/db"
	sigtool --md5 "$MAL" >"$d/db/test.hdb"
	if "$CUSTOMS" secrets --help | grep -q malware-db &&
		"$CUSTOMS" secrets --malware-db "$d/db" -o "json=$d/m.json" "$img" 2>"$d/m.err"; then
		v=$(json_get "$d/m.json" 'd["malware"]["findings"]')
		if [ "$v" = '[{"path": "/app/bin/tool.exe", "signature": "clam.exe.UNOFFICIAL", "layer": 1}]' ]; then
			ok "clamav finds the test file: path, signature, layer"
		else
			not_ok "clamav finds the test file" "got $v"
		fi
	elif grep -q 'built without libclamav' "$d/m.err"; then
		skip "clamav finding" "customs was built without libclamav"
	else
		not_ok "clamav scan ran" "$(cat "$d/m.err")"
	fi
else
	skip "clamav finding" "clamav-testfiles or sigtool not installed"
fi
done_testing
