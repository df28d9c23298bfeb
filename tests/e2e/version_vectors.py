#!/usr/bin/env python3
"""Check published ordering facts: version_vectors.py SCHEME VERCMP FILE.

FILE has "A OP B" lines (OP one of < = >) and "! A" lines for versions the
scheme rejects; "#" starts a comment. Each fact is also checked reversed.
Prints "ok N facts" or "FAIL ..." with the differences; exit 0 or 1.
"""
import subprocess
import sys

scheme, vercmp, path = sys.argv[1:4]
facts = []
for line in open(path):
    line = line.split("#", 1)[0].strip()
    if not line:
        continue
    f = line.split()
    if f[0] == "!":
        facts.append((f[1], f[1], "E"))
    else:
        want = {"<": -1, "=": 0, ">": 1}[f[1]]
        facts.append((f[0], f[2], want))
        facts.append((f[2], f[0], -want))
inp = "".join("%s\t%s\n" % (a, b) for a, b, _ in facts)
got = subprocess.run([vercmp, scheme], input=inp, capture_output=True,
                     text=True, check=True).stdout.split()
bad = [(a, b, w, g) for (a, b, w), g in zip(facts, got) if str(w) != g]
if bad or len(got) != len(facts):
    print("FAIL %d of %d facts differ" % (len(bad), len(facts)))
    for a, b, w, g in bad[:20]:
        print("  %s %s: want %s got %s" % (a, b, w, g))
    sys.exit(1)
print("ok %d facts (each pair also reversed)" % len(facts))
