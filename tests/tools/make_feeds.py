#!/usr/bin/env python3
"""Build a feed mirror tree for the `customs db update` tests.

usage: make_feeds.py SHARED_VULNDATA OUTDIR

OUTDIR gets the layout `customs db update --mirror BASE` reads, BASE/<group>/
<path>, filled from the real data in shared/vulndata plus small generated
files, and OUTDIR/expect.json with what each feed holds:
  osv/npm/all.zip, osv/PyPI/all.zip   GHSA records of that ecosystem
  osv/Go/all.zip                      the first 150 Go vulndb records
  debian/data/json                    the bookworm tracker sample
  alpine/index.html                   a directory listing: v3.11/, v3.15/,
                                      edge/ and links that are no branch
  alpine/<branch>/<repo>.json         secdb converted from YAML (edge has
                                      main only: community answers 404)
  wolfi/security.json                 a generated two-package secdb
  kev/known_exploited_vulnerabilities.json   the full KEV catalogue
  epss/epss_scores-current.csv.gz     the 5-row EPSS example, gzipped
  nvd/index.html                      the 38-CVE NVD API page, claiming
                                      totalResults 2001 (so it takes two
                                      pages; the server ignores queries)
"""
import gzip
import json
import os
import sys
import zipfile

import yaml


def osv_records(path, eco=None, limit=None):
    out = []
    with gzip.open(path, "rt") as f:
        for line in f:
            rec = json.loads(line)
            ecos = {a.get("package", {}).get("ecosystem")
                    for a in rec.get("affected", [])}
            if eco is None or eco in ecos:
                out.append(rec)
            if limit and len(out) >= limit:
                break
    return out


def write_zip(path, records):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for rec in records:
            z.writestr(rec["id"] + ".json", json.dumps(rec, indent=1))
    # a fixed mtime, so a rebuilt tree answers the same Last-Modified
    os.utime(path, (1700000000, 1700000000))


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    os.utime(path, (1700000000, 1700000000))


def secdb_json(yaml_path, branch):
    with open(yaml_path) as f:
        doc = yaml.safe_load(f)
    doc["distroversion"] = branch  # edge is the 3.5 file renamed
    return json.dumps(doc, indent=1).encode()


def main():
    shared, out = sys.argv[1], sys.argv[2]
    osv = os.path.join(shared, "osv")
    ghsa = os.path.join(osv, "ghsa-curated.jsonl.gz")
    expect = {}
    for eco in ("npm", "PyPI"):
        recs = osv_records(ghsa, eco)
        write_zip(os.path.join(out, "osv", eco, "all.zip"), recs)
        expect["osv-" + eco.lower()] = len(recs)
    go = osv_records(os.path.join(osv, "go.jsonl.gz"), limit=150)
    write_zip(os.path.join(out, "osv", "Go", "all.zip"), go)
    expect["osv-go"] = len(go)

    deb = os.path.join(shared, "debian", "bookworm-tracker-sample.json")
    with open(deb, "rb") as f:
        write(os.path.join(out, "debian", "data", "json"), f.read())

    alp = os.path.join(shared, "alpine")
    files = {
        "v3.11/main.json": "secdb-2020-v3.11-main.yaml",
        "v3.11/community.json": "secdb-2020-v3.11-community.yaml",
        "v3.15/main.json": "vunnel-secdb-v3.15-main.yaml",
        "v3.15/community.json": "vunnel-secdb-v3.15-community.yaml",
        "edge/main.json": "secdb-2020-v3.5-main.yaml",
    }
    for dst, src in files.items():
        write(os.path.join(out, "alpine", dst),
              secdb_json(os.path.join(alp, src), dst.split("/")[0]))
    index = ('<html><head><title>Index of /</title></head><body>\n'
             '<a href="../">../</a>\n<a href="v3.11/">v3.11/</a>\n'
             '<a HREF="./v3.15/">v3.15/</a>\n<a href="edge/">edge/</a>\n'
             '<a href="v3.11/">v3.11/</a>\n<a href="license.txt">l</a>\n'
             '<a href="v3.x/">bad</a>\n</body></html>\n')
    write(os.path.join(out, "alpine", "index.html"), index.encode())

    wolfi = {"apkurl": "{{urlprefix}}/{{reponame}}/{{arch}}/{{pkg.name}}-"
             "{{pkg.ver}}.apk", "archs": ["x86_64"], "reponame": "os",
             "urlprefix": "https://wolfi.example",
             "packages": [
                 {"pkg": {"name": "openssl", "secfixes": {
                     "3.1.4-r0": ["CVE-2023-5363"]}}},
                 {"pkg": {"name": "curl", "secfixes": {
                     "8.4.0-r0": ["CVE-2023-38545", "CVE-2023-38546"]}}}]}
    write(os.path.join(out, "wolfi", "security.json"),
          json.dumps(wolfi).encode())

    kev = os.path.join(shared, "kev", "known_exploited_vulnerabilities.json")
    with open(kev, "rb") as f:
        data = f.read()
    write(os.path.join(out, "kev", "known_exploited_vulnerabilities.json"),
          data)
    expect["kev"] = len(json.loads(data)["vulnerabilities"])

    with open(os.path.join(shared, "epss", "vunnel-example-1.csv"),
              "rb") as f:
        write(os.path.join(out, "epss", "epss_scores-current.csv.gz"),
              gzip.compress(f.read(), mtime=0))
    expect["epss"] = 5

    with open(os.path.join(shared, "nvd", "vunnel-nvd-2.0-page.json")) as f:
        page = json.load(f)
    expect["nvd"] = len(page["vulnerabilities"])
    page["totalResults"] = 2001
    write(os.path.join(out, "nvd", "index.html"), json.dumps(page).encode())
    with open(os.path.join(out, "expect.json"), "w") as f:
        json.dump(expect, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
