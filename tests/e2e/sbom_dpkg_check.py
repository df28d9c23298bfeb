#!/usr/bin/env python3
"""Checks of `customs sbom -o json` output for the dpkg cataloger tests.

Usage:
    sbom_dpkg_check.py packages DPKG_QUERY_OUT SBOM.json
        the deb packages equal the installed packages dpkg-query lists
        (lines "Package Version Arch SourcePackage SourceVersion Status",
        Status being want, flag and state); name, version, arch, source
        name and source version are compared, differences printed
    sbom_dpkg_check.py files ROOTFS SBOM.json
        every deb package owns files and names its md5sums as supporting
        evidence; every owned file that is not a conffile exists in
        ROOTFS with the MD5 the package lists
    sbom_dpkg_check.py licenses ROOTFS SBOM.json
        every package whose copyright file is machine-readable (DEP-5)
        has at least one licence
    sbom_dpkg_check.py distroless SQUASHED.json ALL_LAYERS.json
        the distroless-like fixture, exactly

Prints one summary line on success (exit 0) or the differences (exit 1).
"""

import hashlib
import json
import os
import sys

DEP5 = "/doc/packaging-manuals/copyright-format/"


def debs(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    return [p for p in doc["packages"] if p.get("type") == "deb"]


def ident(name, version, arch, src, srcver):
    return (name, version, arch, src or name, srcver or version)


def installed(status):
    want, _flag, state = (status + [""] * 3)[:3]
    return want != "deinstall" and state not in ("not-installed",
                                                 "config-files")


def check_packages(listing, sbom):
    want = set()
    with open(listing, encoding="utf-8") as f:
        for line in f:
            w = line.split()
            if len(w) < 5:
                continue
            if installed(w[5:]):
                want.add(ident(*w[:5]))
    got, errors = set(), []
    for p in debs(sbom):
        if p.get("found_by") != "dpkg-db-cataloger":
            errors.append("%s: found_by is %r" % (p["name"], p.get("found_by")))
        got.add(ident(p["name"], p.get("version"), p.get("arch"),
                      p.get("source_name"), p.get("source_version")))
    for m in sorted(want - got):
        errors.append("missing from the SBOM: %s" % " ".join(m))
    for x in sorted(got - want):
        errors.append("not installed but in the SBOM: %s" % " ".join(x))
    if not want:
        errors.append("dpkg-query listed no installed package")
    return errors, "%d packages equal dpkg-query's" % len(want)


def resolve(root, path):
    """path inside root, every symlink followed as a chroot would."""
    parts = [c for c in path.split("/") if c not in ("", ".")]
    done, hops = [], 0
    while parts:
        c = parts.pop(0)
        if c == "..":
            if done:
                done.pop()
            continue
        cur = os.path.join(root, *(done + [c]))
        if os.path.islink(cur):
            hops += 1
            if hops > 40:
                return None
            target = os.readlink(cur)
            if target.startswith("/"):
                done = []
            parts = [t for t in target.split("/") if t not in ("", ".")] + parts
            continue
        done.append(c)
    return os.path.join(root, *done)


def check_files(root, sbom):
    errors, n = [], 0
    for p in debs(sbom):
        files = p.get("files") or []
        if not files:
            errors.append("%s owns no files" % p["name"])
        if not any(l.get("evidence") == "supporting" and
                   l["path"].endswith(".md5sums")
                   for l in p.get("locations", [])):
            errors.append("%s has no md5sums location" % p["name"])
        for f in files:
            if f.get("config") or not f.get("digest"):
                continue
            n += 1
            real = resolve(root, f["path"])
            if not real or not os.path.isfile(real):
                errors.append("%s: %s is not in the rootfs" %
                              (p["name"], f["path"]))
                continue
            with open(real, "rb") as fh:
                md5 = hashlib.md5(fh.read()).hexdigest()
            if md5 != f["digest"] or f.get("algorithm") != "md5":
                errors.append("%s: %s has md5 %s, the SBOM says %s %s" %
                              (p["name"], f["path"], md5,
                               f.get("algorithm"), f["digest"]))
    return errors, "%d owned files match the rootfs" % n


def check_licenses(root, sbom):
    errors, n = [], 0
    for p in debs(sbom):
        cr = resolve(root, "usr/share/doc/%s/copyright" % p["name"])
        if not cr or not os.path.isfile(cr):
            continue
        with open(cr, encoding="utf-8", errors="replace") as f:
            first = next((l for l in f if l.strip()), "")
        if not (first.startswith("Format:") and DEP5 in first):
            continue
        n += 1
        if not p.get("licenses"):
            errors.append("%s: DEP-5 copyright but no licence" % p["name"])
    if not n:
        errors.append("no package has a DEP-5 copyright file")
    return errors, "%d DEP-5 packages have licences" % n


def summary(p):
    return {
        "name": p["name"],
        "version": p.get("version"),
        "source_name": p.get("source_name"),
        "introduced_layer": p.get("introduced_layer"),
        "licenses": sorted(p.get("licenses", [])),
        "files": sorted((f["path"], f.get("digest")) for f in p.get("files", [])),
        "locations": sorted((l["path"], l["layer"], l["evidence"])
                            for l in p.get("locations", [])),
    }


LIBC = "/lib/x86_64-linux-gnu/libc.so.6"
SD = "/var/lib/dpkg/status.d/"
BASE = {
    "name": "base-files", "version": "12.4+deb12u5", "source_name": None,
    "introduced_layer": 0, "licenses": ["GPL"],
    "files": [("/etc/debian_version", "0900545d517886d6e52125fc9ed787a5")],
    "locations": [("/usr/share/doc/base-files/copyright", 0, "supporting"),
                  (SD + "base", 0, "primary"),
                  (SD + "base.md5sums", 0, "supporting")],
}
LIBC_LIC = ["GPL-2+", "LGPL-2.1", "LGPL-2.1+"]
LIBC_OLD = {
    "name": "libc6", "version": "2.36-9+deb12u4", "source_name": "glibc",
    "introduced_layer": 0, "licenses": LIBC_LIC,
    "files": [(LIBC, "196564b9096554a3310b5aa9c7903037")],
    "locations": [("/usr/share/doc/libc6/copyright", 0, "supporting"),
                  (SD + "libc6", 0, "primary"),
                  (SD + "libc6.md5sums", 0, "supporting")],
}
LIBC_NEW = {
    "name": "libc6", "version": "2.36-9+deb12u7", "source_name": "glibc",
    "introduced_layer": 1, "licenses": LIBC_LIC,
    "files": [(LIBC, "57a9d1d4a5641b44e29db07bd7533d49")],
    "locations": [("/usr/share/doc/libc6/copyright", 0, "supporting"),
                  (SD + "libc6", 1, "primary"),
                  (SD + "libc6.md5sums", 1, "supporting")],
}
TZDATA = {
    "name": "tzdata", "version": "2024a-0+deb12u1", "source_name": None,
    "introduced_layer": 1, "licenses": ["public-domain"],
    "files": [("/usr/share/zoneinfo/UTC", "fbdeb53762b66322856460b1bc9b7036")],
    "locations": [("/usr/share/doc/tzdata/copyright", 1, "supporting"),
                  (SD + "tzdata", 1, "primary"),
                  (SD + "tzdata.md5sums", 1, "supporting")],
}


def compare(label, want, got):
    errors = []
    for w, g in zip(want, got):
        for k in w:
            gv = g.get(k)
            if isinstance(gv, list):
                gv = [tuple(x) if isinstance(x, list) else x for x in gv]
            if w[k] != gv:
                errors.append("%s %s %s: want %r, got %r" %
                              (label, w["name"], k, w[k], gv))
    if len(want) != len(got):
        errors.append("%s: want %d packages (%s), got %d (%s)" %
                      (label, len(want), ", ".join(w["name"] for w in want),
                       len(got), ", ".join(g["name"] for g in got)))
    return errors


def check_distroless(squashed, all_layers):
    key = lambda s: (s["name"], s["version"])
    sq = sorted((summary(p) for p in debs(squashed)), key=key)
    al = sorted((summary(p) for p in debs(all_layers)), key=key)
    errors = compare("squashed", [BASE, LIBC_NEW, TZDATA], sq)
    errors += compare("all-layers", [BASE, LIBC_OLD, LIBC_NEW, TZDATA], al)
    return errors, "distroless-like packages, files and licences as built"


def main(argv):
    checks = {"packages": check_packages, "files": check_files,
              "licenses": check_licenses, "distroless": check_distroless}
    if len(argv) != 4 or argv[1] not in checks:
        sys.stderr.write(__doc__)
        return 2
    errors, ok = checks[argv[1]](argv[2], argv[3])
    if errors:
        print("%d difference(s):" % len(errors))
        for e in errors[:60]:
            print("  " + e)
        return 1
    print(ok)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
