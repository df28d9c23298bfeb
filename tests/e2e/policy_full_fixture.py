#!/usr/bin/env python3
"""Build the image of t0620-policy-full with the repo's generator.

Usage: policy_full_fixture.py SRCDIR OUTDIR

A Debian 12 image: a dpkg database with libpam-runtime (source pam) and
base-files, an /etc/passwd with the user mallory, and app/deploy.env with
an AWS access key id on line 2 (Anchore's AWS_ACCESS_KEY search). And
policy-noos, the same image without /etc/os-release (its distro is
unknown unless `customs check --distro` names one).
"""
import os
import sys


def main(src, out):
    sys.path.insert(0, os.path.join(src, "tests/fixtures"))
    import mkfixtures
    status = ("Package: base-files\\nStatus: install ok installed\\n"
              "Architecture: amd64\\nVersion: 12.4+deb12u5\\n"
              "Description: Debian base system miscellaneous files\\n\\n"
              "Package: libpam-runtime\\nStatus: install ok installed\\n"
              "Architecture: all\\nSource: pam\\nVersion: 1.5.2-6+deb12u1\\n"
              "Description: Runtime support for the PAM library\\n")
    lines = [
        "tag customs-test/policy-full:1.0", "os linux", "arch amd64",
        "created 2024-03-01T12:00:00Z", "emit docker",
        "layer gzip created_by='/bin/sh -c #(nop) ADD file:1 in / '",
        "dir etc",
        "file etc/os-release content='PRETTY_NAME=\"Debian GNU/Linux 12 "
        "(bookworm)\"\\nNAME=\"Debian GNU/Linux\"\\nVERSION_ID=\"12\"\\n"
        "VERSION_CODENAME=bookworm\\nID=debian\\n'",
        "file etc/passwd content='root:x:0:0:root:/root:/bin/bash\\n"
        "mallory:x:1000:1000::/home/mallory:/bin/sh\\n'",
        "dir var", "dir var/lib", "dir var/lib/dpkg",
        "file var/lib/dpkg/status content='%s'" % status,
        "layer gzip created_by='/bin/sh -c #(nop) COPY deploy.env /app/'",
        "dir app",
        "file app/deploy.env content='# deploy\\n"
        "aws_access_key_id = AKIAR7T9Y1U3I5O7P9A2\\n'",
    ]
    noos = [l for l in lines if not l.startswith("file etc/os-release")]
    noos[0] = "tag customs-test/policy-noos:1.0"
    mkfixtures.build_specs(out, {"policy-full": lines, "policy-noos": noos})


if __name__ == "__main__":
    main(*sys.argv[1:])
