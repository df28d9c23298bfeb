#!/usr/bin/env python3
"""Summarise bench/sbom.sh: medians of wall time, CPU and peak RSS per
command with ratios, then the package sets of customs and Trivy per
ecosystem (by PURL type), with examples of what only one of them found.

usage: sbom_report.py TIMES CUSTOMS_JSON TRIVY_CDX_JSON
"""
import collections
import json
import re
import statistics
import sys
import urllib.parse


def times_table(path):
    runs = collections.defaultdict(list)
    for line in open(path):
        name, wall, user, sys_, rss = line.split()
        runs[name].append((float(wall), float(user) + float(sys_), int(rss)))
    med = {n: tuple(statistics.median(r[i] for r in v) for i in range(3))
           for n, v in runs.items()}
    spread = {n: (min(r[0] for r in v), max(r[0] for r in v))
              for n, v in runs.items()}
    out = ["| command | runs | wall median (min-max) | CPU median | peak RSS median | wall vs floor | Trivy / this |",
           "|---|---|---|---|---|---|---|"]
    floor = med.get("floor", (None,))[0]
    trivy = med.get("trivy", (None,))[0]
    for n, (wall, cpu, rss) in med.items():
        lo, hi = spread[n]
        vs_floor = f"{wall / floor:.2f}x" if floor else "-"
        vs_trivy = f"{trivy / wall:.1f}x" if trivy and n != "trivy" else "-"
        out.append(f"| {n} | {len(runs[n])} | {wall:.2f} s ({lo:.2f}-{hi:.2f}) | {cpu:.2f} s "
                   f"| {rss / 1024:.1f} MiB | {vs_floor} | {vs_trivy} |")
    if "trivy" in med:
        for n in ("customs-oci", "customs-docker-archive"):
            if n in med:
                out.append(f"\n{n}: peak RSS is {med[n][2] / med['trivy'][2]:.3f} of Trivy's")
    return "\n".join(out)


def norm_name(ptype, ns, name):
    name = name.lower()
    if ptype == "pypi":
        name = re.sub(r"[-_.]+", "-", name)
    return f"{ns.lower()}/{name}" if ns else name


def norm_version(ptype, version, quals):
    if ptype in ("deb", "rpm"):
        version = re.sub(r"^\d+:", "", version)  # epoch: qualifier or prefix
    if ptype == "golang":
        version = version.lstrip("v").removeprefix("go")
    return version


def parse_purl(p):
    m = re.match(r"pkg:([^/]+)/([^@?#]+)(?:@([^?#]*))?(?:\?([^#]*))?", p)
    if not m:
        return None
    ptype = m.group(1).lower()
    path = [urllib.parse.unquote(s) for s in m.group(2).split("/")]
    ns, name = "/".join(path[:-1]), path[-1]
    version = urllib.parse.unquote(m.group(3) or "")
    quals = dict(urllib.parse.parse_qsl(m.group(4) or ""))
    return ptype, norm_name(ptype, ns, name), norm_version(ptype, version, quals)


def sets_from_customs(path):
    doc = json.load(open(path))
    s = collections.defaultdict(set)
    for p in doc.get("packages", []):
        key = parse_purl(p["purl"]) if p.get("purl") else None
        if key:
            s[key[0]].add((key[1], key[2]))
        else:
            s["(no purl) " + p["type"]].add((p.get("name", ""), p.get("version", "")))
    return s, len(doc.get("warnings", []))


def sets_from_trivy(path):
    doc = json.load(open(path))
    s = collections.defaultdict(set)
    for c in doc.get("components", []):
        if c.get("type") == "operating-system" or not c.get("purl"):
            continue
        key = parse_purl(c["purl"])
        if key:
            s[key[0]].add((key[1], key[2]))
    return s


def compare(cust, triv):
    out = ["| ecosystem (PURL type) | customs | Trivy | both | only customs | only Trivy |",
           "|---|---|---|---|---|---|"]
    details = []
    for t in sorted(set(cust) | set(triv)):
        a, b = cust.get(t, set()), triv.get(t, set())
        out.append(f"| {t} | {len(a)} | {len(b)} | {len(a & b)} | {len(a - b)} | {len(b - a)} |")
        for label, d in (("only customs", a - b), ("only Trivy", b - a)):
            if d:
                ex = ", ".join(f"{n}@{v}" for n, v in sorted(d)[:8])
                details.append(f"- {t}, {label} ({len(d)}): {ex}{' ...' if len(d) > 8 else ''}")
    return "\n".join(out + [""] + details)


def main():
    times, cj, tj = sys.argv[1:4]
    print("## Speed and memory\n")
    print(times_table(times))
    cust, nwarn = sets_from_customs(cj)
    print("\n## Package sets\n")
    print(compare(cust, sets_from_trivy(tj)))
    print(f"\ncustoms warnings: {nwarn}")


if __name__ == "__main__":
    main()
