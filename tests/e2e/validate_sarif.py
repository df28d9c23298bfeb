#!/usr/bin/env python3
"""Validate a SARIF log against the SARIF 2.1.0 JSON schema, then check
what the schema cannot say but GitHub code scanning needs.

Usage: validate_sarif.py FILE SCHEMA

SCHEMA is tests/data/schemas/sarif-schema-2.1.0.json (OASIS, draft-04).
Prints the first errors and exits 1 when FILE is not valid, 2 when
python3-jsonschema is missing.
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is not installed")
    sys.exit(2)


def github_checks(log):
    """GitHub's own requirements (sarif-support-for-code-scanning):
    every result names a rule of the driver and has a location with an
    artifact uri; rule ids are unique; security-severity parses as a
    number between 0 and 10."""
    errors = []
    for run in log.get("runs", []):
        rules = run["tool"]["driver"].get("rules", [])
        ids = [r["id"] for r in rules]
        if len(ids) != len(set(ids)):
            errors.append("rule ids are not unique")
        for r in rules:
            sev = r.get("properties", {}).get("security-severity")
            try:
                if not 0 <= float(sev) <= 10:
                    raise ValueError
            except (TypeError, ValueError):
                errors.append("rule %s: security-severity %r" % (r["id"], sev))
        for i, res in enumerate(run.get("results", [])):
            idx = res.get("ruleIndex", -1)
            if res.get("ruleId") not in ids:
                errors.append("result %d: ruleId %r is no rule" %
                              (i, res.get("ruleId")))
            elif idx >= 0 and ids[idx] != res["ruleId"]:
                errors.append("result %d: ruleIndex %d is %s, not %s" %
                              (i, idx, ids[idx], res["ruleId"]))
            locs = res.get("locations") or []
            if not locs or not locs[0].get("physicalLocation", {}).get(
                    "artifactLocation", {}).get("uri"):
                errors.append("result %d: no artifact uri" % i)
            if not res.get("partialFingerprints"):
                errors.append("result %d: no partialFingerprints" % i)
    return errors


def main():
    path, schema_path = sys.argv[1:3]
    schema = json.load(open(schema_path, encoding="utf-8"))
    log = json.load(open(path, encoding="utf-8"))
    v = jsonschema.Draft4Validator(schema)
    errors = ["%s: %s" % ("/".join(str(p) for p in e.path), e.message[:300])
              for e in sorted(v.iter_errors(log), key=lambda e: list(e.path))]
    errors += github_checks(log)
    for e in errors[:10]:
        print(e)
    sys.exit(1 if errors else 0)


main()
