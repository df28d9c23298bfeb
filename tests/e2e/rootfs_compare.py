#!/usr/bin/env python3
"""Compare `customs inspect --files -o json` with a root filesystem on disk.

Usage: rootfs_compare.py ROOTFS INSPECT.json
Prints a one-line summary, then every difference; exits 1 on any.
Hard links are reported by customs as "hardlink" (tar keeps one copy of
the data); on disk they are regular files, so both count as "file".
"""
import hashlib
import json
import os
import stat
import sys


def kind(mode):
    for test, name in ((stat.S_ISDIR, "dir"), (stat.S_ISLNK, "symlink"),
                       (stat.S_ISCHR, "char"), (stat.S_ISBLK, "block"),
                       (stat.S_ISFIFO, "fifo"), (stat.S_ISSOCK, "socket")):
        if test(mode):
            return name
    return "file"


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def walk(root):
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            full = os.path.join(dirpath, name)
            st = os.lstat(full)
            rel = "/" + os.path.relpath(full, root)
            rec = {"type": kind(st.st_mode), "mode": "%04o" % (st.st_mode & 0o7777),
                   "uid": st.st_uid, "gid": st.st_gid, "link": None, "sha256": None}
            if rec["type"] == "file":
                rec["size"] = st.st_size
                rec["sha256"] = sha256(full)
            if rec["type"] == "symlink":
                rec["link"] = os.readlink(full)
            out[rel] = rec
    return out


def main():
    root, report = sys.argv[1], sys.argv[2]
    disk = walk(root)
    files = json.load(open(report))["files"]
    got = {}
    for f in files:
        if f["type"] == "hardlink":
            f = dict(f, type="file", link=None)
        got[f["path"]] = f
    diffs = []
    for path in sorted(set(disk) | set(got)):
        if path not in got:
            diffs.append("missing from customs: %s" % path)
            continue
        if path not in disk:
            diffs.append("not on disk: %s" % path)
            continue
        for key, want in disk[path].items():
            if got[path].get(key) != want:
                diffs.append("%s: %s is %r, disk has %r" % (path, key, got[path].get(key), want))
    print("%d paths compared, %d differences" % (len(disk), len(diffs)))
    for d in diffs[:200]:
        print(d)
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
