#!/usr/bin/env python3
"""Build the secrets e2e fixtures with the repo's generator (mkfixtures).

Usage: secrets_fixture.py SRCDIR OUTDIR [MALWARE_FILE]

Reads the per-rule samples from tests/unit/test_secrets.c (one format-valid
fake value per built-in rule), writes two image specs into OUTDIR/specs and
builds them into OUTDIR with mkfixtures:

  secrets        layer 0: one file per rule, the sample on line 3;
                 app/anchore.conf and symlinks / a hard link to it;
                 layer 1: app/old/deleted.txt with an AWS key (line 2);
                 layer 2: deletes it; plus (optional) the malware file;
                 config: an ENV, a label and a history line with secrets.
  secrets-clean  ordinary files, /etc/passwd, no secret.

Writes OUTDIR/expect.tsv: RULE<TAB>PATH<TAB>LINE<TAB>LAYER, one planted
secret a line.
"""
import os
import re
import shlex
import sys


def samples(src):
    text = open(os.path.join(src, "tests/unit/test_secrets.c")).read()
    body = text[text.index("samples[] = {"):]
    lit = r'"(?:[^"\\]|\\.)*"'
    pat = re.compile(r'\{ "([^"]+)", "([^"]+)",\s*((?:%s\s*)+),' % lit)
    out = []
    for m in pat.finditer(body):
        parts = re.findall(lit, m.group(3))
        text = "".join(bytes(x[1:-1], "ascii").decode("unicode_escape")
                       for x in parts)
        out.append((m.group(1), m.group(2), text))
    return out


def esc(s):
    return s.replace("\\", "\\\\").replace("\n", "\\n")


def content(path, data):
    return "file %s %s" % (shlex.quote(path), shlex.quote("content=" + esc(data)))


def main(src, out, malware=None):
    sys.path.insert(0, os.path.join(src, "tests/fixtures"))
    import mkfixtures
    lines = ["tag customs-test/secrets:1.0", "os linux", "arch amd64",
             "created 2024-03-01T12:00:00Z",
             "env PATH=/usr/bin:/bin",
             "env GITHUB_TOKEN=ghp_Zx9vQ2mN8pL4kJ7hG5fD3sA1qW6eR0tY8uI2",
             "label org.acme.deploy=glpat-Q1w2E3r4T5y6U7i8O9p0",
             "history " + shlex.quote(
                 "/bin/sh -c #(nop)  ARG NPM_TOKEN=npm_"
                 "Qw3Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz1Xc3Vb5"),
             "layer gzip " + shlex.quote("created_by=COPY app /app"),
             "dir app", "dir app/secrets"]
    expect = []
    for rid, path, text in samples(src):
        base = os.path.basename(path)
        if base in ("config.txt",):
            p = "app/secrets/%s.txt" % rid
        else:
            lines.append("dir " + shlex.quote("app/secrets/" + rid))
            if "/" in path[len("app/"):] and not path.startswith("root/"):
                sub = os.path.dirname(path[len("app/"):])
                lines.append("dir " + shlex.quote(
                    "app/secrets/%s/%s" % (rid, sub)))
                p = "app/secrets/%s/%s/%s" % (rid, sub, base)
            elif path.startswith("root/"):
                lines.append("dir " + shlex.quote(
                    "app/secrets/%s/.docker" % rid))
                p = "app/secrets/%s/.docker/%s" % (rid, base)
            else:
                p = "app/secrets/%s/%s" % (rid, base)
        lines.append(content(p, "# planted\n\n%s\n" % text))
        line = 4 if rid == "private-key" else 3
        expect.append((rid, "/" + p, line, 0))
    # Anchore's AWS_ACCESS_KEY and API_KEY need these assignments
    lines.append(content("app/anchore.conf",
                         "aws_access_key_id = AKIAR7T9Y1U3I5O7P9A2\n"
                         "api_key = K7P2M9Q4X8W3Z6R1T5Y0B8N2\n"))
    expect.append(("aws-access-key-id", "/app/anchore.conf", 1, 0))
    # links: Anchore's searches report the target's lines under the link
    lines += ["dir app/links",
              "symlink app/links/abs.conf /app/anchore.conf",
              "symlink app/links/rel.conf ../anchore.conf",
              "symlink app/links/chain.conf rel.conf",
              "hardlink app/links/hard.conf app/anchore.conf",
              "symlink app/links/dangling.conf /app/none.conf"]
    # skipped by path, by an allow rule and by size: never findings
    tok = "ghp_Sk1pP4thT0k3nAbCdEfGhIjKlMnOpQrStUv"
    lines += ["dir app/node_modules", "dir app/node_modules/x",
              content("app/node_modules/x/index.js", "t='%s'\n" % tok),
              "dir usr", "dir usr/share", "dir usr/share/doc",
              content("usr/share/doc/README", "t=%s\n" % tok),
              "file app/big.dat pattern=11M"]
    lines += ["file etc/passwd content='root:x:0:0:root:/root:/bin/bash\\n'",
              "layer gzip " + shlex.quote("created_by=COPY old /app/old"),
              "dir app/old",
              content("app/old/deleted.txt",
                      "old\nAWS_ID=AKIAQ3R5T7Y9U1I3O5P7\n")]
    if malware:
        data = open(malware, "rb").read()
        lines.append("file app/bin/tool.exe " + shlex.quote(
            "content=" + "".join("\\x%02x" % b for b in data)))
    lines += ["layer gzip " + shlex.quote("created_by=RUN rm /app/old/x"),
              "whiteout app/old/deleted.txt"]
    clean = ["tag customs-test/secrets-clean:1.0", "os linux", "arch amd64",
             "env PATH=/usr/bin:/bin", "layer gzip", "dir etc", "dir app",
             "file etc/passwd content='root:x:0:0:root:/root:/bin/bash\\n"
             "daemon:x:1:1::/usr/sbin:/usr/sbin/nologin\\n'",
             "file app/main.py content='import os\\nprint(os.environ)\\n'",
             "file app/README.txt content='A tool. Set the key in the "
             "environment.\\n'"]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "expect.tsv"), "w") as f:
        for e in expect:
            f.write("%s\t%s\t%d\t%d\n" % e)
    mkfixtures.build_specs(out, {"secrets": lines, "secrets-clean": clean})


if __name__ == "__main__":
    main(*sys.argv[1:])
