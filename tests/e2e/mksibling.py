#!/usr/bin/env python3
"""Build a sibling of an OCI layout image: same base layers, recompressed.

usage: mksibling.py SRC_LAYOUT DST_LAYOUT [BIG_BYTES]

The sibling's base layers are the source's layers decompressed and
gzipped again at another level (so their blob digests differ but their
diffIDs do not), followed by one new layer holding etc/sibling.txt. The
config gets the new diffID and a history entry. With BIG_BYTES the new
layer also holds etc/big.bin, that many incompressible bytes, so its blob
is large enough to be read while it downloads. Deterministic.
"""
import gzip
import hashlib
import io
import json
import os
import sys
import tarfile

src, dst = sys.argv[1], sys.argv[2]
BIG = int(sys.argv[3]) if len(sys.argv) > 3 else 0


def blob(digest):
    with open(os.path.join(src, "blobs", "sha256", digest[7:]), "rb") as f:
        return f.read()


def put(data):
    hexd = hashlib.sha256(data).hexdigest()
    with open(os.path.join(dst, "blobs", "sha256", hexd), "wb") as f:
        f.write(data)
    return "sha256:" + hexd


def new_layer():
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as t:
        body = b"a sibling layer\n"
        ti = tarfile.TarInfo("etc/sibling.txt")
        ti.size, ti.mtime, ti.mode = len(body), 1684454400, 0o644
        t.addfile(ti, io.BytesIO(body))
        if BIG:
            chunks, h = [], b"seed"
            while sum(map(len, chunks)) < BIG:
                h = hashlib.sha256(h).digest()
                chunks.append(h)
            big = b"".join(chunks)[:BIG]
            ti = tarfile.TarInfo("etc/big.bin")
            ti.size, ti.mtime, ti.mode = len(big), 1684454400, 0o644
            t.addfile(ti, io.BytesIO(big))
    return buf.getvalue()


os.makedirs(os.path.join(dst, "blobs", "sha256"), exist_ok=True)
index = json.loads(open(os.path.join(src, "index.json")).read())
man = json.loads(blob(index["manifests"][0]["digest"]))
cfg = json.loads(blob(man["config"]["digest"]))
layers = []
for l in man["layers"]:
    raw = gzip.decompress(blob(l["digest"]))
    gz = gzip.compress(raw, compresslevel=1, mtime=1)
    layers.append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                   "digest": put(gz), "size": len(gz)})
tar = new_layer()
gz = gzip.compress(tar, compresslevel=6, mtime=1)
layers.append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
               "digest": put(gz), "size": len(gz)})
cfg["rootfs"]["diff_ids"].append("sha256:" + hashlib.sha256(tar).hexdigest())
cfg.setdefault("history", []).append(
    {"created": "2023-05-20T00:00:00Z", "created_by": "ADD sibling.txt"})
cj = json.dumps(cfg, sort_keys=True).encode()
man["config"] = {"mediaType": "application/vnd.oci.image.config.v1+json",
                 "digest": put(cj), "size": len(cj)}
man["layers"] = layers
mj = json.dumps(man, sort_keys=True).encode()
index["manifests"] = [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
                       "digest": put(mj), "size": len(mj)}]
with open(os.path.join(dst, "index.json"), "w") as f:
    json.dump(index, f)
with open(os.path.join(dst, "oci-layout"), "w") as f:
    json.dump({"imageLayoutVersion": "1.0.0"}, f)
