#!/usr/bin/env python3
"""Build the image of t0630-policy-verify with the repo's generator.

Usage: policy_verify_fixture.py SRCDIR OUTDIR

A Debian 12 image whose dpkg database lists the package hello: its
md5sums name usr/bin/hello, usr/share/doc/hello/README and
usr/share/hello/data, and its status stanza the conffile etc/hello.conf
with its md5. A second layer rewrites usr/bin/hello and etc/hello.conf
and deletes usr/share/hello/data, so packages/verify reports exactly
/usr/bin/hello changed and /usr/share/hello/data missing (conffiles are
skipped, README is intact).
"""
import hashlib
import os
import sys

FILES = {
    "usr/bin/hello": "#!/bin/sh\\necho hello\\n",
    "usr/share/doc/hello/README": "hello, the friendly greeter\\n",
    "usr/share/hello/data": "greetings\\n",
}
CONF = "greeting=hello\\n"


def md5(escaped):
    raw = escaped.encode().decode("unicode_escape").encode()
    return hashlib.md5(raw).hexdigest()


def main(src, out):
    sys.path.insert(0, os.path.join(src, "tests/fixtures"))
    import mkfixtures
    status = ("Package: hello\\nStatus: install ok installed\\n"
              "Architecture: amd64\\nVersion: 2.10-3\\n"
              "Conffiles:\\n /etc/hello.conf %s\\n"
              "Description: example package based on GNU hello\\n"
              % md5(CONF))
    sums = "".join("%s  %s\\n" % (md5(c), p) for p, c in FILES.items())
    lines = [
        "tag customs-test/policy-verify:1.0", "os linux", "arch amd64",
        "created 2024-03-01T12:00:00Z", "emit docker",
        "layer gzip created_by='/bin/sh -c #(nop) ADD file:1 in / '",
        "dir etc",
        "file etc/os-release content='PRETTY_NAME=\"Debian GNU/Linux 12 "
        "(bookworm)\"\\nNAME=\"Debian GNU/Linux\"\\nVERSION_ID=\"12\"\\n"
        "VERSION_CODENAME=bookworm\\nID=debian\\n'",
        "file etc/hello.conf content='%s'" % CONF,
        "dir var", "dir var/lib", "dir var/lib/dpkg",
        "dir var/lib/dpkg/info",
        "file var/lib/dpkg/status content='%s'" % status,
        "file var/lib/dpkg/info/hello.md5sums content='%s'" % sums,
        "file var/lib/dpkg/info/hello.conffiles content='/etc/hello.conf\\n'",
        "dir usr", "dir usr/bin", "dir usr/share", "dir usr/share/doc",
        "dir usr/share/doc/hello", "dir usr/share/hello",
    ]
    lines += ["file %s content='%s'" % (p, c) for p, c in FILES.items()]
    lines += [
        "layer gzip created_by='/bin/sh -c sed -i s/hello/bye/ "
        "/usr/bin/hello /etc/hello.conf && rm /usr/share/hello/data'",
        "file usr/bin/hello content='#!/bin/sh\\necho bye\\n'",
        "file etc/hello.conf content='greeting=bye\\n'",
        "whiteout usr/share/hello/data",
    ]
    mkfixtures.build_specs(out, {"policy-verify": lines})


if __name__ == "__main__":
    main(*sys.argv[1:])
