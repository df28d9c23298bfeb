#!/usr/bin/env python3
"""Write the seed corpora of fuzz_elf_go and fuzz_binary (deterministic).

Minimal ELF files shaped like Go and cargo-auditable executables (the Go
build info in both the inline and the pre-1.18 pointer format, with and
without a section table, both byte orders), a few broken ones, and one
small file per binary classifier.  Run from the repository root.
"""
import os
import struct
import zlib

FRAME_A = b"0w\xaf\x0c\x92t\x08\x02A\xe1\xc1\x07\xe6\xd6\x18\xe6"
FRAME_B = b"\xf92C1\x86\x18 r\x00\x82B\x10A\x16\xd8\xf2"
MODINFO = (b"path\texample.com/app/cmd/app\n"
           b"mod\texample.com/app\t(devel)\t\n"
           b"dep\tgithub.com/pkg/errors\tv0.9.1\th1:FEBLx1zS214owpjy7qsBeixbURkuhQAwrK5UwLGTwt4=\n"
           b"dep\tgolang.org/x/sys\tv0.5.0\th1:MUK/U/4lj1t1oPg0HfuXDN/Z1wv31ZJ/YcPiGccS4DU=\n"
           b"dep\tgithub.com/a/b\tv1.0.0\n"
           b"=>\tgithub.com/fork/b\tv1.0.1\th1:abc=\n"
           b"build\t-compiler=gc\n"
           b"build\t-ldflags=\"-s -w -X main.version=1.4.2\"\n"
           b"build\tCGO_ENABLED=0\n"
           b"build\tGOARCH=amd64\n"
           b"build\tGOOS=linux\n"
           b"build\tvcs=git\n"
           b"build\tvcs.revision=8f2a9c3e1b7d4a6f0e5c2b9a8d7e6f5a4b3c2d1e\n"
           b"build\tvcs.time=2024-02-29T23:59:59+01:00\n"
           b"build\tvcs.modified=false\n")
VADDR = 0x400000


def uvarint(n):
    out = b""
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])


def ehdr(is64, be, phoff, phnum, shoff, shnum, shstrndx, machine=62):
    e = ">" if be else "<"
    ident = b"\x7fELF" + bytes([2 if is64 else 1, 2 if be else 1, 1]) + bytes(9)
    if is64:
        return ident + struct.pack(e + "HHIQQQIHHHHHH", 2, machine, 1, 0,
                                   phoff, shoff, 0, 64, 56, phnum, 64,
                                   shnum, shstrndx)
    return ident + struct.pack(e + "HHIIIIIHHHHHH", 2, machine, 1, 0, phoff,
                               shoff, 0, 52, 32, phnum, 40, shnum, shstrndx)


def phdr(is64, be, ptype, flags, off, vaddr, size):
    e = ">" if be else "<"
    if is64:
        return struct.pack(e + "IIQQQQQQ", ptype, flags, off, vaddr, vaddr,
                           size, size, 0x1000)
    return struct.pack(e + "IIIIIIII", ptype, off, vaddr, vaddr, size, size,
                       flags, 0x1000)


def shdr(is64, be, name, stype, flags, addr, off, size):
    e = ">" if be else "<"
    if is64:
        return struct.pack(e + "IIQQQQIIQQ", name, stype, flags, addr, off,
                           size, 0, 0, 16, 0)
    return struct.pack(e + "IIIIIIIIII", name, stype, flags, addr, off, size,
                       0, 0, 16, 0)


def go_elf(is64, be, inline, sections, vers=b"go1.21.5", mod=MODINFO):
    e = ">" if be else "<"
    ptr = 8 if is64 else 4
    fmt = e + ("Q" if is64 else "I")
    framed = FRAME_A + mod + FRAME_B
    data = bytearray(0x100)
    blob = bytearray(b"\xff Go buildinf:" + bytes([ptr, 0]) + bytes(16))
    if inline:
        blob[15] = 2
        blob += uvarint(len(vers)) + vers + uvarint(len(framed)) + framed
    else:
        blob[15] = 1 if be else 0
        hdrs = 0x100 + 0x40
        strs = hdrs + 0x20
        blob[16:16 + ptr] = struct.pack(fmt, VADDR + hdrs)
        blob[16 + ptr:16 + 2 * ptr] = struct.pack(fmt, VADDR + hdrs + 2 * ptr)
        blob = blob.ljust(0x40, b"\0")
        blob += struct.pack(fmt, VADDR + strs) + struct.pack(fmt, len(vers))
        blob += struct.pack(fmt, VADDR + strs + len(vers))
        blob += struct.pack(fmt, len(framed))
        blob = blob.ljust(0x60, b"\0") + vers + framed
    data += blob
    names = b"\0.go.buildinfo\0.shstrtab\0"
    shoff = (len(data) + len(names) + 15) & ~15 if sections else 0
    body = bytes(data) + (names if sections else b"")
    body = body.ljust(shoff, b"\0") if sections else body
    hdr = ehdr(is64, be, 64 if is64 else 52, 1, shoff, 3 if sections else 0,
               2 if sections else 0, 62 if is64 else 8)
    hdr += phdr(is64, be, 1, 6, 0, VADDR, len(data))
    out = bytearray(body)
    out[0:len(hdr)] = hdr
    if sections:
        out += shdr(is64, be, 0, 0, 0, 0, 0, 0)
        out += shdr(is64, be, 1, 1, 3, VADDR + 0x100, 0x100, len(blob))
        out += shdr(is64, be, 15, 3, 0, 0, len(data), len(names))
    return bytes(out)


def dep_elf(payload):
    names = b"\0.dep-v0\0.shstrtab\0"
    off = 0x100
    shoff = (off + len(payload) + len(names) + 15) & ~15
    out = bytearray(ehdr(True, False, 0, 0, shoff, 3, 2)).ljust(off, b"\0")
    out += payload + names
    out = out.ljust(shoff, b"\0")
    out += shdr(True, False, 0, 0, 0, 0, 0, 0)
    out += shdr(True, False, 1, 1, 0, 0, off, len(payload))
    out += shdr(True, False, 9, 3, 0, 0, off + len(payload), len(names))
    return bytes(out)


def write(d, name, data):
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def main():
    d = "fuzz/corpus/elf_go"
    write(d, "inline-le64-sections", go_elf(True, False, True, True))
    write(d, "inline-be64-stripped", go_elf(True, True, True, False))
    write(d, "pointer-le64-stripped", go_elf(True, False, False, False))
    write(d, "pointer-be32-sections", go_elf(False, True, False, True))
    write(d, "pointer-le32-gopath",
          go_elf(False, False, False, False, b"go1.16.15",
                 b"path\texample.com/tool\n"))
    write(d, "devel-toolchain", go_elf(True, False, True, True,
                                       b"devel go1.22-abcdef X:boringcrypto"))
    write(d, "modinfo-text", MODINFO + b"dep\tbad\n=>\tx\n"
          b"build\t\"k\\x41\"=\"v\\u00e9\"\n")
    good = go_elf(True, False, False, True)
    write(d, "truncated", good[:len(good) // 2])
    bad = bytearray(good)
    bad[60:62] = b"\xff\xff"  # e_shnum
    bad[62:64] = b"\xfe\xff"  # e_shstrndx
    write(d, "huge-counts", bytes(bad))
    bad = bytearray(go_elf(True, False, False, False))
    bad[0x110:0x118] = struct.pack("<Q", 0xFFFFFFFFFFFFFFF0)
    write(d, "wild-pointer", bytes(bad))
    js = (b'{"packages":[{"name":"app","version":"0.1.0","source":"local",'
          b'"dependencies":[1],"root":true},{"name":"serde","version":'
          b'"1.0.188","source":"registry"},{"name":"cc","version":"1.0.83",'
          b'"source":"registry","kind":"build"}]}')
    write(d, "cargo-auditable", dep_elf(zlib.compress(js, 9)))
    write(d, "cargo-auditable-not-zlib", dep_elf(js))
    write(d, "not-elf", b"#!/bin/sh\necho hi\n")

    d = "fuzz/corpus/binary"
    seeds = {
        "python": b"usr/bin/python3.11\n\x00\x003.11.4\x00",
        "libpython": b"usr/lib/libpython3.12.so.1.0\n\x003.12.0rc1\x00",
        "node": b"usr/bin/node\nhttps://node.js/v20.11.1/x",
        "node-old": b"usr/bin/node\n\x00node v0.10.48\x00",
        "openssl": b"usr/bin/openssl\n\x00OpenSSL 1.1.1w  11 Sep 2023",
        "libcrypto": b"lib/libcrypto.so.3\n\x00OpenSSL 3.0.11 19 Sep 2023",
        "busybox": b"bin/busybox\nBusyBox v1.36.1 (2023-06-10)",
        "bash": b"bin/bash\n@(#)Bash version 5.2.15(1) release GNU",
        "curl": b"usr/bin/curl\nlibcurl/8.4.0 OpenSSL",
        "nginx": b"usr/sbin/nginx\n\x00nginx version: nginx/1.25.1\x00",
        "redis": b"usr/bin/redis-server\nx7.0.14buildkitsandbox-170295774100",
        "redis-sha": b"usr/bin/redis-server\n\x014.0.11841ce7054bd9-1542359302",
        "postgres": b"usr/bin/postgres\n\x00PostgreSQL 15beta4 on x",
        "java": b"usr/bin/java\n\x00openjdk\x00java\x000.0\x0011.0.17+8-LTS\x00",
        "java-arm": b"usr/bin/java\n\x000.0\x00\x00\x0011.0.22+7\x00\x00openjdk\x00java\x00",
        "libjvm": b"lib/server/libjvm.so\nOpenJDK 64-Bit Server VM (17.0.9+9) x",
        "near-miss": b"bin/bash\n@(#)Bash version 5.2.(1) release GNU",
        "no-path": b"BusyBox v1.2.3",
    }
    for name, data in seeds.items():
        write(d, name, data)


main()
