#!/usr/bin/env python3
"""Independent expectation for `customs scan` on a Debian image.

Usage: scan_debian_check.py TRACKER.json ROOTFS SCAN.json WORKDIR

From the Debian tracker JSON (bookworm entries) and the image's dpkg
database (dpkg-query --admindir) this computes, without any customs code,
every (binary package, CVE, fixed version) the data implies, using
`dpkg --compare-versions` as the version oracle:
  resolved V   -> reported when the installed source version < V
  resolved "0" -> never reported (not affected)
  open         -> always reported (no fixed version)
A binary package is looked up by its source package name with the source
version (Source: "name (ver)", else the binary version), and by its own
name with its own version, as the tracker keys entries by source.

It then feeds the same data to debsecan (the tracker's debsecan/release/1
format, zlib-compressed, served from a file:// URL; debsecan reads the
image's status file through --status) and compares the three sets.
Prints "PASS desc" / "FAIL desc" lines, diagnostics as "# ..." lines.
"""
import json
import os
import shutil
import subprocess
import sys
import zlib

tracker_path, rootfs, scan_path, work = sys.argv[1:5]
tracker = json.load(open(tracker_path, encoding="utf-8"))


def installed():
    out = subprocess.run(
        ["dpkg-query", "--admindir=" + rootfs + "/var/lib/dpkg", "-W", "-f",
         "${Package}\t${Version}\t${source:Package}\t${source:Version}\t"
         "${db:Status-Status}\n"],
        check=True, capture_output=True, text=True).stdout
    pkgs = []
    for line in out.splitlines():
        name, ver, src, srcver, status = line.split("\t")
        if status == "installed":
            pkgs.append((name, ver, src or name, srcver or ver))
    return pkgs


_cache = {}


def lt(a, b):
    key = (a, b)
    if key not in _cache:
        _cache[key] = subprocess.run(
            ["dpkg", "--compare-versions", a, "lt", b]).returncode == 0
    return _cache[key]


def expected(pkgs):
    exp = {}
    for name, ver, src, srcver in pkgs:
        keys = [(src, srcver)]
        if name != src:
            keys.append((name, ver))
        for key, kver in keys:
            for cve, e in tracker.get(key, {}).items():
                rel = (e.get("releases") or {}).get("bookworm")
                if not isinstance(rel, dict):
                    continue
                fixed = rel.get("fixed_version")
                if rel.get("status") == "resolved":
                    if fixed == "0" or not fixed or not lt(kver, fixed):
                        continue
                    exp[(name, cve)] = fixed
                elif rel.get("status") in ("open", "undetermined"):
                    exp.setdefault((name, cve), "")
    return exp


def reported(path):
    doc = json.load(open(path, encoding="utf-8"))
    got = {}
    for m in doc["matches"]:
        key = (m["package"]["name"], m["vulnerability"]["id"])
        got[key] = ", ".join(m["fix"]["versions"])
    return doc, got


def debsecan_feed(dirname, pkgs):
    """The tracker sample in debsecan's VERSION 1 format (every entry,
    also the unimportant ones the real feed leaves out: the same data)."""
    binaries = {}
    for name, _, src, _ in pkgs:
        binaries.setdefault(src, []).append(name)
    names, lines, srcs = [], [], set()
    for src in sorted(tracker):
        for cve in sorted(tracker[src]):
            rel = (tracker[src][cve].get("releases") or {}).get("bookworm")
            if not isinstance(rel, dict):
                continue
            fixed = rel.get("fixed_version") or ""
            if rel.get("status") == "resolved" and fixed in ("0", ""):
                continue
            if rel.get("status") not in ("resolved", "open",
                                         "undetermined"):
                continue
            if rel.get("status") != "resolved":
                fixed = ""
            names.append("%s,  ,%s" % (cve, "x"))
            flag = "S  F" if fixed else "S   "
            lines.append("%s,%d,%s,%s," % (src, len(names) - 1, flag, fixed))
            srcs.add(src)
    text = "VERSION 1\n" + "\n".join(names) + "\n\n" + "\n".join(lines)
    text += "\n\n" + "\n".join("%s,%s" % (s, " ".join(binaries.get(s, [])))
                                for s in sorted(srcs)) + "\n\n"
    os.makedirs(dirname, exist_ok=True)
    with open(os.path.join(dirname, "bookworm"), "wb") as f:
        f.write(zlib.compress(text.encode()))


def run_debsecan(pkgs):
    if not shutil.which("debsecan"):
        return None, "debsecan is not installed"
    feed = os.path.join(work, "debsecan-feed")
    debsecan_feed(feed, pkgs)
    cfg = os.path.join(work, "debsecan.conf")
    open(cfg, "w").close()
    r = subprocess.run(
        ["debsecan", "--config", cfg, "--suite", "bookworm",
         "--source", "file://" + feed + "/",
         "--status", rootfs + "/var/lib/dpkg/status",
         "--history", os.path.join(work, "debsecan.history"),
         "--format", "detail"],
        capture_output=True, text=True)
    if r.returncode != 0:
        return None, "debsecan failed: " + r.stderr.strip()[-300:]
    # detail format: "CVE-..." then "  installed: NAME VERSION" lines
    got, cve = set(), None
    for line in r.stdout.splitlines():
        if line.startswith("CVE-"):
            cve = line.split()[0]
        elif line.strip().startswith("installed:") and cve:
            got.add((line.split()[1], cve))
    return got, None


def main():
    pkgs = installed()
    exp = expected(pkgs)
    doc, got = reported(scan_path)
    results = []

    def check(cond, desc, *diag):
        print(("PASS " if cond else "FAIL ") + desc)
        if not cond:
            for d in diag:
                print("# " + d)
        results.append(cond)

    missing = sorted(set(exp) - set(got))
    extra = sorted(set(got) - set(exp))
    check(not missing, "every (package, CVE) the tracker implies is "
          "reported (%d expected)" % len(exp),
          *["missing: %s %s" % k for k in missing[:40]])
    check(not extra, "nothing else is reported (%d reported)" % len(got),
          *["extra: %s %s" % k for k in extra[:40]])
    bad_fix = sorted(k for k in set(exp) & set(got) if exp[k] != got[k])
    check(not bad_fix, "fixed versions are the tracker's",
          *["%s %s: expected %r, got %r" % (k[0], k[1], exp[k], got[k])
            for k in bad_fix[:40]])
    # the xz-utils quirk: the tracker's fix version does not exist, so a
    # scanner trusting the tracker reports liblzma5 5.4.1-1+deb12u1
    xz = ("liblzma5", "CVE-2026-34743")
    if any(p[0] == "liblzma5" and p[1] == "5.4.1-1+deb12u1" for p in pkgs):
        check(got.get(xz) == "5.4.1-2+deb12u1",
              "xz-utils quirk: CVE-2026-34743 reported with the tracker's "
              "(nonexistent) fix 5.4.1-2+deb12u1")
    ds, why = run_debsecan(pkgs)
    if ds is None:
        print("SKIP debsecan agrees with customs on the same data: " + why)
    else:
        only_ds = sorted(ds - set(got))
        only_us = sorted(set(got) - ds)
        check(not only_ds and not only_us,
              "debsecan agrees with customs on the same data (%d findings)"
              % len(ds),
              *(["only debsecan: %s %s" % k for k in only_ds[:20]] +
                ["only customs: %s %s" % k for k in only_us[:20]]))
    return 0 if all(results) else 1


sys.exit(main())
