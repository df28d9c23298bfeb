#!/usr/bin/env python3
"""Summarise bench/secrets.sh: medians of wall time, CPU and peak RSS per
command, what secret scanning adds to `customs inspect`, how much faster
`customs secrets` is than Trivy, and the finding sets of both compared by
(rule, path, line) and by (path, line).

usage: secrets_report.py TIMES CUSTOMS_JSON TRIVY_JSON
       secrets_report.py --findings-only CUSTOMS_JSON TRIVY_JSON
"""
import collections
import json
import statistics
import sys


def times(path):
    runs = collections.defaultdict(list)
    for line in open(path):
        name, wall, user, sys_, rss = line.split()
        runs[name].append((float(wall), float(user) + float(sys_), int(rss)))
    med = {n: tuple(statistics.median(r[i] for r in v) for i in range(3))
           for n, v in runs.items()}
    out = ["| command | runs | wall median (min-max) | CPU median | peak RSS median |",
           "|---|---|---|---|---|"]
    for n, (wall, cpu, rss) in med.items():
        w = [r[0] for r in runs[n]]
        out.append(f"| {n} | {len(w)} | {wall:.2f} s ({min(w):.2f}-{max(w):.2f}) "
                   f"| {cpu:.2f} s | {rss / 1024:.1f} MiB |")
    if "inspect" in med and "inspect-nosecrets" in med:
        a, b = med["inspect"], med["inspect-nosecrets"]
        out.append(f"\nsecret scanning adds {100 * (a[0] / b[0] - 1):.0f}% wall, "
                   f"{100 * (a[1] / b[1] - 1):.0f}% CPU to `customs inspect` "
                   f"(target: at most 25% wall)")
    if "secrets" in med and "trivy" in med:
        out.append(f"`customs secrets` is {med['trivy'][0] / med['secrets'][0]:.1f}x "
                   f"faster than Trivy (wall; {med['trivy'][1] / med['secrets'][1]:.1f}x CPU; "
                   f"target: at least 4x)")
    return "\n".join(out)


def findings(customs_path, trivy_path):
    c = json.load(open(customs_path))
    t = json.load(open(trivy_path))
    cs = {(f["rule_id"], f["path"], f["line"])
          for f in c["secrets"]["findings"] if not f["path"].startswith("config:")}
    ts = set()
    for r in t.get("Results") or []:
        for s in r.get("Secrets") or []:
            ts.add((s["RuleID"], "/" + r["Target"].lstrip("/"), s["StartLine"]))
    out = [f"\ncustoms: {len(cs)} file findings, Trivy: {len(ts)}; "
           f"same (rule, path, line): {len(cs & ts)}"]
    pl = lambda s: {(p, l) for _, p, l in s}
    out.append(f"same (path, line) whatever the rule: {len(pl(cs) & pl(ts))}")
    for name, only in (("customs", cs - ts), ("Trivy", ts - cs)):
        by = collections.Counter(r for r, _, _ in only)
        out.append(f"\nonly {name} ({len(only)}), by rule: " +
                   ", ".join(f"{r} {n}" for r, n in by.most_common()))
        for f in sorted(only)[:40]:
            out.append(f"  {f[0]} {f[1]}:{f[2]}")
    skipped = c["secrets"].get("skipped", {})
    out.append("\ncustoms skipped: " + ", ".join(f"{k} {v}" for k, v in skipped.items()))
    return "\n".join(out)


def main(tp, cp, trp):
    if tp != "--findings-only":
        print(times(tp))
    print(findings(cp, trp))


if __name__ == "__main__":
    main(*sys.argv[1:])
