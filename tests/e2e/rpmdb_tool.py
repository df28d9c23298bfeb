#!/usr/bin/env python3
"""Helpers for the rpm database tests (t0310-sbom-rpm.sh).

  rpmdb_tool.py blobs-bdb SQLITE OUT.txt
      the header blobs of an rpmdb.sqlite as db_load -T input (key = the
      header number as a native 4-byte integer, plus rpm's key 0 counter)
  rpmdb_tool.py blobs-ndb SQLITE OUT.db
      the same blobs as an NDB Packages.db, laid out as rpm's rpmpkg.c
      writes it (header, slot page, blobs with head, tail and adler32)
  rpmdb_tool.py compare QA FILES SBOM.json DBPATH
      compare `rpm -qa` output (QA: the package query, FILES: the file
      query, formats in t0310) with the rpm packages of a customs native
      JSON SBOM; print the differences and exit 1 if there are any
  rpmdb_tool.py mkseeds SQLITE DIR
      small SQLite seeds (a Packages-only database in rollback and WAL
      mode) for the fuzz corpus
  rpmdb_tool.py image OUT.tar ROOT1 ROOT2...
      a docker-archive image whose first layer is ROOT1 and each next
      layer what ROOTn adds or changes over ROOTn-1 (no deletions)
  rpmdb_tool.py layers SBOM.json NAME=LAYER...
      check each named package's introduced_layer
"""
import hashlib
import io
import json
import os
import sqlite3
import stat
import struct
import sys
import tarfile
import zlib

ALGOS = {1: "md5", 2: "sha1", 3: "ripemd160", 5: "md2", 6: "tiger192",
         7: "haval-5-160", 8: "sha256", 9: "sha384", 10: "sha512",
         11: "sha224"}


def read_blobs(path):
    data = bytearray(open(path, "rb").read())
    # rpm leaves the database in WAL mode, which deserialize cannot open
    if data[18] == 2:
        data[18] = 1
    if data[19] == 2:
        data[19] = 1
    con = sqlite3.connect(":memory:")
    con.deserialize(bytes(data))
    rows = con.execute("SELECT hnum, blob FROM Packages ORDER BY hnum")
    out = [(int(h), bytes(b)) for h, b in rows]
    con.close()
    return out


def esc(b):
    return "".join("\\%02x" % x for x in b)


def blobs_bdb(sqlite_path, out):
    blobs = read_blobs(sqlite_path)
    top = max([h for h, _ in blobs] + [0])
    with open(out, "w") as f:
        f.write(esc(struct.pack("=I", 0)) + "\n")
        f.write(esc(struct.pack("=I", top + 1)) + "\n")
        for h, b in blobs:
            f.write(esc(struct.pack("=I", h)) + "\n" + esc(b) + "\n")


def blobs_ndb(sqlite_path, out):
    blobs = read_blobs(sqlite_path)
    page, blk = 4096, 16
    slots_per_page = page // 16
    npages = 1
    while npages * slots_per_page - 2 < len(blobs):
        npages += 1
    f = bytearray(npages * page)
    top = max([h for h, _ in blobs] + [0])
    struct.pack_into("<4sIIII", f, 0, b"RpmP", 0, 1, npages, top + 1)
    for s in range(2, npages * slots_per_page):
        struct.pack_into("<4s", f, s * 16, b"Slot")
    off = npages * page // blk
    for i, (h, b) in enumerate(blobs):
        cnt = (16 + len(b) + 12 + blk - 1) // blk
        struct.pack_into("<4sIII", f, (2 + i) * 16, b"Slot", h, off, cnt)
        body = struct.pack("<4sIII", b"BlbS", h, 1, len(b)) + b
        body += b"\0" * (cnt * blk - 12 - len(body))
        adler = zlib.adler32(body) & 0xffffffff
        body += struct.pack("<II4s", adler, len(b), b"BlbE")
        assert len(f) == off * blk
        f += body
        off += cnt
    open(out, "wb").write(bytes(f))


def none(v):
    return None if v in ("(none)", "") else v


def expected(qa, files):
    pkgs = {}
    for line in open(qa, encoding="utf-8"):
        (name, epoch, epochnum, ver, rel, arch, src, lic, vendor, mod,
         algo) = line.rstrip("\n").split("\t")
        if name == "gpg-pubkey":
            continue
        version = "%s-%s" % (ver, rel)
        meta = {"release": rel}
        if none(epoch) is not None:
            version = "%s:%s" % (epochnum, version)
            meta["epoch"] = epochnum
        if none(vendor):
            meta["vendor"] = vendor
        if none(mod):
            meta["modularity_label"] = mod
        pkgs[name] = {
            "version": version, "arch": none(arch), "source_name": none(src),
            "licenses": [lic] if none(lic) else [], "meta": meta,
            "files": set(),
            "algo": ALGOS[int(algo)] if none(algo) else "md5"}
    for line in open(files, encoding="utf-8"):
        name, path, digest, flags = line.rstrip("\n").split("\t")
        if name not in pkgs:
            continue
        p = pkgs[name]
        p["files"].add((path, p["algo"] if digest else None,
                        digest or None, bool(int(flags) & 1)))
    for p in pkgs.values():
        del p["algo"]
    return pkgs


def actual(sbom, dbpath):
    doc = json.load(open(sbom, encoding="utf-8"))
    pkgs, problems = {}, []
    for p in doc.get("packages", []):
        if p.get("type") != "rpm":
            continue
        meta = p.get("meta", {})
        paths = [l.get("path") for l in p.get("locations", [])]
        if p.get("found_by") != "rpm-db-cataloger" or dbpath not in paths:
            problems.append("%s: found_by %s, locations %s" % (
                p.get("name"), p.get("found_by"), paths))
        if p["name"] in pkgs:
            problems.append("%s: listed twice" % p["name"])
        pkgs[p["name"]] = {
            "version": p.get("version"), "arch": p.get("arch"),
            "source_name": p.get("source_name"),
            "licenses": [l if isinstance(l, str) else
                         l.get("value", l.get("name"))
                         for l in p.get("licenses", [])],
            "meta": {k: meta[k] for k in ("release", "epoch", "vendor",
                                          "modularity_label") if k in meta},
            "files": {(f["path"], f.get("algorithm"), f.get("digest"),
                       bool(f.get("config"))) for f in p.get("files", [])}}
    return pkgs, problems


def compare(qa, files, sbom, dbpath):
    want = expected(qa, files)
    got, problems = actual(sbom, dbpath)
    for name in sorted(set(want) | set(got)):
        if name not in got:
            problems.append("missing package %s" % name)
        elif name not in want:
            problems.append("unexpected package %s" % name)
        else:
            for k in want[name]:
                if k == "files" and want[name][k] != got[name][k]:
                    for f in sorted(want[name][k] - got[name][k],
                                    key=str):
                        problems.append("%s: file only in rpm: %r" % (
                            name, f))
                    for f in sorted(got[name][k] - want[name][k],
                                    key=str):
                        problems.append("%s: file only in customs: %r" % (
                            name, f))
                elif want[name][k] != got[name][k]:
                    problems.append("%s: %s: rpm says %r, customs %r" % (
                        name, k, want[name][k], got[name][k]))
    for p in problems:
        print(p)
    if problems:
        return 1
    print("%d packages, %d files" % (
        len(want), sum(len(p["files"]) for p in want.values())))
    return 0


def mkseeds(sqlite_path, outdir):
    blobs = read_blobs(sqlite_path)
    for name, wal in (("sqlite-rollback", False), ("sqlite-wal", True)):
        path = os.path.join(outdir, name)
        if os.path.exists(path):
            os.unlink(path)
        con = sqlite3.connect(path)
        con.execute("PRAGMA page_size=512")
        if wal:
            con.execute("PRAGMA journal_mode=WAL")
        con.execute("CREATE TABLE Packages (hnum INTEGER PRIMARY KEY "
                    "AUTOINCREMENT, blob BLOB NOT NULL)")
        con.executemany("INSERT INTO Packages VALUES (?, ?)", blobs)
        con.commit()
        con.close()


def tree(root):
    """path -> (kind, content) for everything below root."""
    out = {}
    for d, dirs, files in os.walk(root):
        for n in dirs + files:
            full = os.path.join(d, n)
            rel = os.path.relpath(full, root)
            st = os.lstat(full)
            if stat.S_ISLNK(st.st_mode):
                out[rel] = ("l", os.readlink(full), st.st_mode)
            elif stat.S_ISDIR(st.st_mode):
                out[rel] = ("d", None, st.st_mode)
            elif stat.S_ISREG(st.st_mode):
                out[rel] = ("f", open(full, "rb").read(), st.st_mode)
    return out


def layer_tar(entries):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for rel in sorted(entries):
            kind, data, mode = entries[rel]
            ti = tarfile.TarInfo(rel)
            ti.mode = stat.S_IMODE(mode)
            ti.mtime = 0
            if kind == "d":
                ti.type = tarfile.DIRTYPE
                t.addfile(ti)
            elif kind == "l":
                ti.type = tarfile.SYMTYPE
                ti.linkname = data
                t.addfile(ti)
            else:
                ti.size = len(data)
                t.addfile(ti, io.BytesIO(data))
    return buf.getvalue()


def image(out, roots):
    layers, prev = [], {}
    for r in roots:
        cur = tree(r)
        layers.append(layer_tar({k: v for k, v in cur.items()
                                 if prev.get(k) != v}))
        prev = cur
    diff_ids = ["sha256:" + hashlib.sha256(l).hexdigest() for l in layers]
    config = json.dumps({
        "architecture": "amd64", "os": "linux", "config": {},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": [{"created_by": "layer %d" % i}
                    for i in range(len(layers))]}).encode()
    cfg = hashlib.sha256(config).hexdigest() + ".json"
    names = [d[7:] + "/layer.tar" for d in diff_ids]
    manifest = json.dumps([{"Config": cfg, "RepoTags": ["rpmtest:latest"],
                            "Layers": names}]).encode()
    with tarfile.open(out, "w") as t:
        for name, data in [(cfg, config), ("manifest.json", manifest)] + \
                list(zip(names, layers)):
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            ti.mode = 0o644
            t.addfile(ti, io.BytesIO(data))


def check_layers(sbom, pairs):
    doc = json.load(open(sbom, encoding="utf-8"))
    got = {p["name"]: p.get("introduced_layer") for p in doc["packages"]
           if p.get("type") == "rpm"}
    bad = 0
    for pair in pairs:
        name, layer = pair.split("=")
        if got.get(name) != int(layer):
            print("%s: introduced_layer %r, want %s" % (
                name, got.get(name), layer))
            bad += 1
    if not bad:
        print("introduced layers %s" % " ".join(pairs))
    return 1 if bad else 0


def main(argv):
    if len(argv) == 4 and argv[1] == "blobs-bdb":
        blobs_bdb(argv[2], argv[3])
    elif len(argv) == 4 and argv[1] == "blobs-ndb":
        blobs_ndb(argv[2], argv[3])
    elif len(argv) == 6 and argv[1] == "compare":
        return compare(argv[2], argv[3], argv[4], argv[5])
    elif len(argv) == 4 and argv[1] == "mkseeds":
        mkseeds(argv[2], argv[3])
    elif len(argv) >= 4 and argv[1] == "image":
        image(argv[2], argv[3:])
    elif len(argv) >= 4 and argv[1] == "layers":
        return check_layers(argv[2], argv[3:])
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
