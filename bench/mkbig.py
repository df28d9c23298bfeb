#!/usr/bin/env python3
"""Write an OCI layout holding one gzip layer of FILES files of MIB MiB each.

Usage: mkbig.py OUTDIR TAG FILES MIB

Used by inspect.sh to show that customs' memory does not grow with the
bytes of a layer: two such images with the same file count and twice the
bytes must peak at the same RSS. The content is a repeating pattern, so
the blob stays small and the run is quick.
"""
import gzip
import hashlib
import io
import json
import os
import sys
import tarfile


def blob(out, data):
    digest = hashlib.sha256(data).hexdigest()
    os.makedirs(os.path.join(out, "blobs", "sha256"), exist_ok=True)
    with open(os.path.join(out, "blobs", "sha256", digest), "wb") as f:
        f.write(data)
    return "sha256:" + digest, len(data)


class Pattern(io.RawIOBase):
    """n bytes of a fixed pattern, produced as they are read."""

    def __init__(self, n):
        self.left = n
        self.chunk = bytes(range(256)) * 4096

    def readable(self):
        return True

    def readinto(self, b):
        n = min(len(b), self.left, len(self.chunk))
        b[:n] = self.chunk[:n]
        self.left -= n
        return n


def main():
    out, tag, files, mib = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    tar_path = os.path.join(out, tag + ".layer.tar.gz")
    os.makedirs(out, exist_ok=True)
    raw = hashlib.sha256()

    class Tee(io.RawIOBase):
        def __init__(self, f):
            self.f = f

        def writable(self):
            return True

        def write(self, b):
            raw.update(b)
            return self.f.write(b)

    with open(tar_path, "wb") as fz:
        with gzip.GzipFile(fileobj=fz, mode="wb", compresslevel=1, mtime=0) as gz:
            with tarfile.open(fileobj=Tee(gz), mode="w|", format=tarfile.PAX_FORMAT) as t:
                for i in range(files):
                    ti = tarfile.TarInfo("data/file%d.bin" % i)
                    ti.size = mib << 20
                    t.addfile(ti, io.BufferedReader(Pattern(ti.size)))
    with open(tar_path, "rb") as f:
        layer_digest, layer_size = blob(out, f.read())
    os.unlink(tar_path)
    config = {"architecture": "amd64", "os": "linux",
              "rootfs": {"type": "layers", "diff_ids": ["sha256:" + raw.hexdigest()]},
              "config": {}, "history": [{"created_by": "bench"}]}
    cdig, csize = blob(out, json.dumps(config).encode())
    manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cdig, "size": csize},
                "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                            "digest": layer_digest, "size": layer_size}]}
    mdig, msize = blob(out, json.dumps(manifest).encode())
    with open(os.path.join(out, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)
    index = {"schemaVersion": 2, "manifests": [
        {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": mdig, "size": msize,
         "annotations": {"org.opencontainers.image.ref.name": tag}}]}
    with open(os.path.join(out, "index.json"), "w") as f:
        json.dump(index, f)


if __name__ == "__main__":
    main()
