#!/usr/bin/env python3
"""Compare customs' version ordering with a reference implementation.

usage: version_oracle.py SCHEME VERCMP SRCDIR [--range]

Builds generated and real-world version pairs (real ones from the shared
vulnerability data when present), asks the oracle for each, runs the
vercmp tool once over all pairs and prints one line: "ok N PAIRS (...)"
or "FAIL ..." followed by up to 20 differences. Exit status: 0 all agree,
1 differences, 77 the oracle is not available on this machine.
Deterministic: the random generator is seeded.
"""
import gzip
import json
import os
import random
import subprocess
import sys

SKIP = 77
RNG = random.Random(440)
VULNDATA = os.environ.get("CUSTOMS_VULNDATA", "")


def vulndata(rel):
    if not VULNDATA:
        return None
    p = os.path.join(VULNDATA, rel)
    return p if os.path.exists(p) else None


def osv_versions(rel, limit=4000, ecosystem_prefix=None):
    """Versions named by ranges and versions[] of an OSV jsonl.gz file."""
    p = vulndata(rel)
    out = []
    if not p:
        return out
    with gzip.open(p, "rt", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            for aff in rec.get("affected", []):
                eco = aff.get("package", {}).get("ecosystem", "")
                if ecosystem_prefix and not eco.startswith(ecosystem_prefix):
                    continue
                for r in aff.get("ranges", []):
                    if r.get("type") == "GIT":
                        continue
                    for ev in r.get("events", []):
                        for v in ev.values():
                            if v != "0":
                                out.append(v)
                out.extend(aff.get("versions", [])[:20])
            if len(out) > limit * 4:
                break
    out = sorted(set(out))
    RNG.shuffle(out)
    return out[:limit]


def osv_bounds(rel, ecosystem_prefix, limit=400):
    """(introduced, fixed or None, last_affected or None) of OSV ranges."""
    p = vulndata(rel)
    out = []
    if not p:
        return out
    with gzip.open(p, "rt", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            for aff in rec.get("affected", []):
                eco = aff.get("package", {}).get("ecosystem", "")
                if not eco.startswith(ecosystem_prefix):
                    continue
                for r in aff.get("ranges", []):
                    if r.get("type") != "ECOSYSTEM":
                        continue
                    intro = None
                    for ev in r.get("events", []):
                        if "introduced" in ev:
                            intro = ev["introduced"]
                        elif intro is not None:
                            out.append((intro, ev.get("fixed"),
                                        ev.get("last_affected")))
                            intro = None
            if len(out) >= limit:
                break
    return out


def bound_ranges(bounds, sep, eq0):
    """Range strings ">=I<sep><F" or "<=L" from OSV bounds."""
    out = []
    for intro, fixed, last in bounds:
        parts = [] if intro == "0" else [">=" + intro]
        if fixed:
            parts.append("<" + fixed)
        elif last:
            parts.append("<=" + last)
        if parts:
            out.append(sep.join(parts))
    return out


def pairs_of(vs, n):
    """n random pairs plus neighbours in sorted-by-string order."""
    if len(vs) < 2:
        return []
    out = [(RNG.choice(vs), RNG.choice(vs)) for _ in range(n)]
    s = sorted(vs)
    out += list(zip(s, s[1:]))[:n]
    out += [(v, v) for v in vs[:50]]
    return out


def rand_from(parts, lo, hi):
    return "".join(RNG.choice(parts) for _ in range(RNG.randint(lo, hi)))


# --- dpkg ---------------------------------------------------------------

def dpkg_gen():
    up = ["0", "1", "2", "9", "10", "01", "00", ".", ".", "+", "~", "a",
          "b", "z", "A", "rc", "~rc1", "+dfsg", "+really", ".1", ":"]
    rev = ["0", "1", "2", "10", ".", "+", "~", "deb12u1", "ubuntu",
           "+b1", "~bpo", "a"]
    v = RNG.choice("0123456789") + rand_from(up, 0, 5)
    if ":" in v or RNG.random() < 0.2:
        v = str(RNG.choice([0, 1, 2, 10])) + ":" + v
    if RNG.random() < 0.6:
        v += "-" + RNG.choice("0123456789") + rand_from(rev, 0, 3)
    return v


def dpkg_real():
    vs = set()
    p = vulndata("debian/bookworm-tracker-sample.json")
    if p:
        for pkg in json.load(open(p)).values():
            for cve in pkg.values():
                for rel in cve.get("releases", {}).values():
                    if rel.get("fixed_version"):
                        vs.add(rel["fixed_version"])
                    vs.update(rel.get("repositories", {}).values())
    for name in ("debian/bookworm-changelog-cves.tsv",
                 "debian/bookworm-point-vs-security.tsv"):
        p = vulndata(name)
        if p:
            for line in open(p).read().splitlines()[1:]:
                for f in line.split("\t"):
                    if f[:1].isdigit() and any(c in f for c in ".-:"):
                        vs.add(f)
    return sorted(vs)


def dpkg_pairs():
    gen = [(dpkg_gen(), dpkg_gen()) for _ in range(4000)]
    # near misses: the same version with one edit
    for _ in range(1500):
        a = dpkg_gen()
        gen.append((a, a + RNG.choice(["~", "+", ".0", "a", "-1", "~~"])))
    return gen, pairs_of(dpkg_real(), 2000)


def dpkg_oracle(pairs):
    try:
        import apt_pkg
    except ImportError:
        return None, "python3-apt is not installed"
    apt_pkg.init_system()
    res = [sgn(apt_pkg.version_compare(a, b)) for a, b in pairs]
    # apt reimplements dpkg's algorithm: spot-check with dpkg itself
    for i in range(0, len(pairs), max(1, len(pairs) // 150)):
        a, b = pairs[i]
        lt = subprocess.run(["dpkg", "--compare-versions", a, "lt", b],
                            stderr=subprocess.DEVNULL).returncode == 0
        eq = subprocess.run(["dpkg", "--compare-versions", a, "eq", b],
                            stderr=subprocess.DEVNULL).returncode == 0
        d = -1 if lt else 0 if eq else 1
        if d != res[i]:
            return None, "apt_pkg and dpkg disagree on %r %r" % (a, b)
    return res, "apt_pkg.version_compare, every ~%dth pair also dpkg" % (
        max(1, len(pairs) // 150))


# --- rpm ----------------------------------------------------------------

def rpm_gen():
    parts = ["0", "1", "2", "10", "01", "000", ".", ".", "_", "+", "~",
             "^", "a", "b", "rc", "el8", "Z", "git", "-", "%"]
    v = rand_from(parts, 1, 6)
    if RNG.random() < 0.3:
        v = str(RNG.choice([0, 1, 2])) + ":" + v
    return v.lstrip("-") or "1"


def rpm_real():
    vs = osv_versions("osv/almalinux.jsonl.gz", 3000)
    return vs


def rpm_pairs():
    gen = [(rpm_gen(), rpm_gen()) for _ in range(5000)]
    for _ in range(1000):
        a = rpm_gen()
        gen.append((a, a + RNG.choice(["~", "^", ".0", "a", "~rc", "^1"])))
    return gen, pairs_of(rpm_real(), 2000)


def rpm_evr(s):
    e, v, r = None, s, None
    head = ""
    i = 0
    while i < len(s) and s[i].isdigit():
        i += 1
    if i < len(s) and s[i] == ":":
        e, v = (s[:i] or "0"), s[i + 1:]
    if "-" in v:
        v, r = v.rsplit("-", 1)
    return e, v, r


def rpm_oracle(pairs):
    try:
        import rpm
    except ImportError:
        return None, "python3-rpm is not installed"
    res = []
    for a, b in pairs:
        # rpm.ver implements rpmverCmp (missing epoch = 0, release only
        # when both have one)
        va, vb = rpm.ver(a), rpm.ver(b)
        res.append(-1 if va < vb else 1 if va > vb else 0)
    return res, "python3-rpm rpm.ver (rpmverCmp), rpm " + rpm.__version__


# --- PEP 440 ------------------------------------------------------------

def pep_gen():
    v = ""
    if RNG.random() < 0.1:
        v += RNG.choice(["1!", "0!", "2!", "01!"])
    v += ".".join(RNG.choice(["0", "1", "2", "10", "00", "01"])
                  for _ in range(RNG.randint(1, 4)))
    if RNG.random() < 0.4:
        v += RNG.choice(["a", "b", "rc", "c", "alpha", "beta", "pre",
                         "preview", ".a", "-rc", "_b", "A", "RC"])
        v += RNG.choice(["", "0", "1", "2", "10", ".1", "-1"])
    if RNG.random() < 0.3:
        v += RNG.choice([".post", "post", "-", "-post", ".r", "rev", "_post"])
        v += RNG.choice(["1", "2", "0"]) if not v.endswith("-") else "1"
    if RNG.random() < 0.3:
        v += RNG.choice([".dev", "dev", "-dev", "_dev"]) + RNG.choice(
            ["", "0", "1", "3"])
    if RNG.random() < 0.15:
        v += "+" + RNG.choice(["local", "1", "abc.5", "a-1", "ubuntu.2",
                               "1.a", "Z"])
    if RNG.random() < 0.05:
        v = RNG.choice(["v", "V", " "]) + v
    if RNG.random() < 0.03:
        v += RNG.choice(["x", "..", "+", "-", "!"])
    return v


def pep_pairs():
    gen = [(pep_gen(), pep_gen()) for _ in range(6000)]
    real = osv_versions("osv/pypi.jsonl.gz", 4000)
    real += [v for v in osv_versions("osv/ghsa-curated.jsonl.gz", 2000,
                                     "PyPI")]
    return gen, pairs_of(real, 2500)


def pep_oracle(pairs):
    try:
        from packaging.version import Version, InvalidVersion
        import packaging
    except ImportError:
        return None, "python3-packaging is not installed"
    res = []
    for a, b in pairs:
        try:
            va, vb = Version(a), Version(b)
        except InvalidVersion:
            res.append("E")
            continue
        res.append(-1 if va < vb else 1 if va > vb else 0)
    return res, "packaging.version.Version %s" % packaging.__version__


def pep_simple():
    """A version in canonical spelling (packaging 23.0 splits the raw
    text of a ~= specifier, so odd spellings there test its quirks)."""
    v = ".".join(RNG.choice(["0", "1", "2", "10"])
                 for _ in range(RNG.randint(2, 3)))
    return v + RNG.choice(["", "", "a1", "rc2", ".post1", ".dev0", "b0"])


def pep_range_pairs():
    ops = ["==", "!=", "<=", ">=", "<", ">", "~=", "==="]
    out = []
    for _ in range(4000):
        n = RNG.randint(1, 3)
        specs = []
        prefix = False
        for _ in range(n):
            op = RNG.choice(ops)
            v = pep_gen().strip()
            if op in ("==", "!=") and RNG.random() < 0.3:
                v = ".".join(RNG.choice(["0", "1", "2"])
                             for _ in range(RNG.randint(1, 3))) + ".*"
                prefix = True
            if op == "~=":
                v = pep_simple()
                prefix = True
            if op == "===":
                # an invalid === string makes packaging raise or not
                # depending on its frozenset's order
                v = pep_simple() if RNG.random() < 0.7 else str(
                    RNG.choice(["1.0", "1.0.0", "1.0A1", "2.0.POST1"]))
            specs.append(op + RNG.choice(["", " "]) + v)
        cand = pep_gen().strip()
        if prefix and "!" in cand:
            # packaging 23.0 ignores the candidate's epoch in prefix
            # matches; we follow PEP 440 (see docs/internals/versions.md)
            cand = cand.split("!", 1)[1]
        out.append((", ".join(specs), cand))
    bounds = osv_bounds("osv/pypi.jsonl.gz", "PyPI", 300) + osv_bounds(
        "osv/ghsa-curated.jsonl.gz", "PyPI")
    vers = sorted({v for b in bounds for v in b if v and v != "0"})
    real = [(r, v) for r in bound_ranges(bounds, ", ", True)
            for v in RNG.sample(vers, min(len(vers), 20))]
    RNG.shuffle(real)
    return out, real[:3000]


def pep_range_oracle(pairs):
    try:
        from packaging.specifiers import SpecifierSet, InvalidSpecifier
        from packaging.version import Version, InvalidVersion
    except ImportError:
        return None, "python3-packaging is not installed"
    res = []
    for r, v in pairs:
        try:
            res.append(1 if SpecifierSet(r).contains(Version(v)) else 0)
        except (InvalidSpecifier, InvalidVersion):
            res.append("E")
    return res, "packaging.specifiers.SpecifierSet.contains"


# --- npm ----------------------------------------------------------------

def npm_gen():
    v = ".".join(RNG.choice(["0", "1", "2", "10", "3"]) for _ in range(3))
    if RNG.random() < 0.35:
        v += "-" + ".".join(RNG.choice(["alpha", "beta", "0", "1", "rc",
                                        "11", "2", "a-b", "x1"])
                            for _ in range(RNG.randint(1, 3)))
    if RNG.random() < 0.1:
        v += "+" + RNG.choice(["build", "001", "sha.1"])
    if RNG.random() < 0.03:
        v = RNG.choice(["v", " ", "01.", "1.2"]) + v
    return v


def npm_range_gen():
    def xr():
        parts = [RNG.choice(["0", "1", "2", "x", "*", "X", "3"])
                 for _ in range(RNG.randint(1, 3))]
        s = ".".join(parts)
        if len(parts) == 3 and "x" not in s and "*" not in s and \
                "X" not in s and RNG.random() < 0.3:
            s += "-" + RNG.choice(["alpha", "beta.1", "0", "rc.2"])
        return s

    def comp():
        op = RNG.choice(["", "=", "<", ">", "<=", ">=", "~", "^", "~>",
                         "> ", "^ "])
        return op + xr()

    sets = []
    for _ in range(RNG.randint(1, 2)):
        if RNG.random() < 0.2:
            sets.append(xr() + " - " + xr())
        else:
            sets.append(" ".join(comp() for _ in range(RNG.randint(1, 2))))
    return " || ".join(sets)


def npm_cache():
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(
        os.path.expanduser("~"), ".cache")
    return os.path.join(base, "customs-tests", "node")


def npm_pairs():
    gen = [(npm_gen(), npm_gen()) for _ in range(5000)]
    real = [v for v in osv_versions("osv/ghsa-curated.jsonl.gz", 2000, "npm")]
    return gen, pairs_of(real, 1000)


def node_run(script, pairs):
    mod = os.path.join(npm_cache(), "node_modules", "semver")
    if not os.path.isdir(mod):
        return None, "node-semver is not installed in " + npm_cache()
    inp = "".join("%s\t%s\n" % p for p in pairs)
    out = subprocess.run(["node", "-e", script, mod], input=inp,
                         capture_output=True, text=True, check=True).stdout
    ver = json.load(open(os.path.join(mod, "package.json")))["version"]
    return [int(x) if x != "E" else "E" for x in out.split()], \
        "node-semver " + ver


NODE_CMP = r"""
const semver = require(process.argv[1]);
const lines = require('fs').readFileSync(0, 'utf8').split('\n');
const out = [];
for (const l of lines) {
  if (!l) continue;
  const [a, b] = l.split('\t');
  try {
    const x = new semver.SemVer(a), y = new semver.SemVer(b);
    out.push(String(x.compare(y)));
  } catch (e) { out.push('E'); }
}
console.log(out.join('\n'));
"""

NODE_RANGE = r"""
const semver = require(process.argv[1]);
const lines = require('fs').readFileSync(0, 'utf8').split('\n');
const out = [];
for (const l of lines) {
  if (!l) continue;
  const [r, v] = l.split('\t');
  try {
    const range = new semver.Range(r);
    const ver = new semver.SemVer(v);
    out.push(range.test(ver) ? '1' : '0');
  } catch (e) { out.push('E'); }
}
console.log(out.join('\n'));
"""


def npm_oracle(pairs):
    return node_run(NODE_CMP, pairs)


def npm_range_pairs():
    out = [(npm_range_gen(), npm_gen().strip()) for _ in range(6000)]
    bounds = osv_bounds("osv/ghsa-curated.jsonl.gz", "npm")
    vers = sorted({v for b in bounds for v in b if v and v != "0"})
    real = [(r, v) for r in bound_ranges(bounds, " ", True) for v in vers]
    RNG.shuffle(real)
    return out, real[:3000]


def npm_range_oracle(pairs):
    return node_run(NODE_RANGE, pairs)


# --- Maven --------------------------------------------------------------

def mvn_gen():
    parts = ["1", "0", "2", "10", "01", ".", ".", "-", "-", "alpha", "a",
             "beta", "b", "m", "milestone", "rc", "cr", "snapshot", "ga",
             "final", "release", "sp", "foo", "RC", "Final", "SP", "x"]
    v = rand_from(parts, 1, 6)
    return v


def mvn_pairs():
    gen = [(mvn_gen(), mvn_gen()) for _ in range(5000)]
    real = osv_versions("osv/ghsa-curated.jsonl.gz", 2000, "Maven")
    return gen, pairs_of(real, 1000)


MAVEN_JARS = ["/usr/share/maven/lib/maven-artifact-3.x.jar",
              "/usr/share/java/maven-artifact-3.x.jar"]


def mvn_oracle(pairs):
    jar = next((j for j in MAVEN_JARS if os.path.exists(j)), None)
    if not jar or not shutil_which("java"):
        return None, "maven-artifact jar or java not found (apt-get install maven)"
    res = []
    # ComparableVersion.main compares each argument with the next one
    chunk = 2000
    for i in range(0, len(pairs), chunk):
        args = []
        for a, b in pairs[i:i + chunk]:
            args += [a, b]
        out = subprocess.run(
            ["java", "-cp", jar,
             "org.apache.maven.artifact.versioning.ComparableVersion"] + args,
            capture_output=True, text=True, check=True).stdout
        cmp_lines = [l for l in out.splitlines() if l.startswith("   ")]
        # lines alternate: a vs b (wanted), b vs next a (ignored)
        for k in range(0, len(args) - 1, 2):
            l = cmp_lines[k].strip()
            a = args[k]
            rest = l[len(a):].strip()
            res.append(-1 if rest.startswith("<") else
                       1 if rest.startswith(">") else 0)
    return res, "Maven ComparableVersion (" + jar.rsplit("/", 1)[1] + ")"


def shutil_which(x):
    import shutil
    return shutil.which(x)


def mvn_range_gen():
    def ver():
        return ".".join(RNG.choice(["0", "1", "2", "10"])
                        for _ in range(RNG.randint(1, 3))) + RNG.choice(
            ["", "", "-alpha", "-SNAPSHOT", ".Final", "-rc1", "-sp"])

    def restriction():
        if RNG.random() < 0.15:
            return "[" + ver() + "]"
        lo = ver() if RNG.random() < 0.8 else ""
        hi = ver() if RNG.random() < 0.8 else ""
        if lo and hi and mvn_sorted(lo, hi):
            lo, hi = hi, lo
        return RNG.choice("[(") + lo + "," + hi + RNG.choice("])")

    return ",".join(restriction() for _ in range(RNG.randint(1, 2)))


def mvn_sorted(a, b):
    """True when a > b by a rough numeric key (keeps most ranges valid)."""
    def key(v):
        return [int(x) for x in v.split("-")[0].split(".") if x.isdigit()]
    return key(a) > key(b)


def mvn_range_pairs():
    out = []
    for _ in range(3000):
        out.append((mvn_range_gen(), mvn_gen() if RNG.random() < 0.3 else
                    ".".join(RNG.choice(["0", "1", "2", "10", "1-rc1"])
                             for _ in range(RNG.randint(1, 3)))))
    # GHSA Maven advisories as Maven ranges, against the versions they name
    bounds = osv_bounds("osv/ghsa-curated.jsonl.gz", "Maven")
    vers = sorted({v for b in bounds for v in b if v and v != "0"})
    ranges = []
    for intro, fixed, last in bounds:
        lo = "" if intro == "0" else intro
        if fixed:
            ranges.append("[%s,%s)" % (lo, fixed) if lo else "(,%s)" % fixed)
        elif last:
            ranges.append("[%s,%s]" % (lo, last) if lo else "(,%s]" % last)
        elif lo:
            ranges.append("[%s,)" % lo)
    real = [(r, v) for r in ranges for v in vers]
    RNG.shuffle(real)
    return out, real[:2000]


def mvn_range_oracle(pairs):
    jar = next((j for j in MAVEN_JARS if os.path.exists(j)), None)
    if not jar or not shutil_which("java"):
        return None, "maven-artifact jar or java not found (apt-get install maven)"
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       "MavenRange.java")
    inp = "".join("%s\t%s\n" % p for p in pairs)
    # DefaultArtifactVersion needs commons-lang3, which maven ships too
    cp = jar + ":" + os.path.join(os.path.dirname(jar), "commons-lang3.jar")
    out = subprocess.run(["java", "-cp", cp, src], input=inp,
                         capture_output=True, text=True, check=True).stdout
    res = [int(x) if x != "E" else "E" for x in out.split()]
    return res, "Maven VersionRange.containsVersion"


# --- RubyGems -----------------------------------------------------------

def gem_gen():
    v = ".".join(RNG.choice(["0", "1", "2", "10", "01", "a", "b", "pre",
                             "rc1", "0a", "1b2"])
                 for _ in range(RNG.randint(1, 4)))
    if not v[0].isdigit():
        v = "1." + v
    if RNG.random() < 0.15:
        v += "-" + RNG.choice(["rc1", "beta", "1", "a.b", "pre-1"])
    if RNG.random() < 0.03:
        v = RNG.choice([" ", "", "x", "1..2", ""]) + v
    return v


def gem_pairs():
    gen = [(gem_gen(), gem_gen()) for _ in range(6000)]
    real = osv_versions("osv/ghsa-curated.jsonl.gz", 1000, "RubyGems")
    return gen, pairs_of(real, 500)


RUBY_CMP = r"""
require 'rubygems'
STDIN.each_line do |l|
  a, b = l.chomp("\n").split("\t", 2)
  if Gem::Version.correct?(a) && Gem::Version.correct?(b)
    puts(Gem::Version.new(a) <=> Gem::Version.new(b))
  else
    puts "E"
  end
end
"""


def gem_oracle(pairs):
    if not shutil_which("ruby"):
        return None, "ruby is not installed"
    inp = "".join("%s\t%s\n" % p for p in pairs)
    out = subprocess.run(["ruby", "-e", RUBY_CMP], input=inp,
                         capture_output=True, text=True, check=True).stdout
    ver = subprocess.run(["ruby", "-e", "print Gem::VERSION"],
                         capture_output=True, text=True).stdout
    return [int(x) if x != "E" else "E" for x in out.split()], \
        "Gem::Version (rubygems %s)" % ver


# --- driver -------------------------------------------------------------

def sgn(x):
    return (x > 0) - (x < 0)


SCHEMES = {
    "dpkg": (dpkg_pairs, dpkg_oracle),
    "rpm": (rpm_pairs, rpm_oracle),
    "pep440": (pep_pairs, pep_oracle),
    "npm": (npm_pairs, npm_oracle),
    "maven": (mvn_pairs, mvn_oracle),
    "gem": (gem_pairs, gem_oracle),
}
RANGES = {
    "pep440": (pep_range_pairs, pep_range_oracle),
    "maven": (mvn_range_pairs, mvn_range_oracle),
    "npm": (npm_range_pairs, npm_range_oracle),
}


def main():
    scheme, vercmp, srcdir = sys.argv[1:4]
    rng = "--range" in sys.argv
    gen, oracle = (RANGES if rng else SCHEMES)[scheme]
    generated, real = gen()
    pairs = [p for p in generated + real
             if "\t" not in p[0] + p[1] and "\n" not in p[0] + p[1]]
    want, how = oracle(pairs)
    if want is None:
        print(how)
        return SKIP
    args = [vercmp, scheme] + (["--range"] if rng else [])
    inp = "".join("%s\t%s\n" % p for p in pairs)
    got = subprocess.run(args, input=inp, capture_output=True, text=True,
                         check=True).stdout.split()
    got = [int(x) if x != "E" else "E" for x in got]
    bad = [(p, w, g) for p, w, g in zip(pairs, want, got) if w != g]
    if len(got) != len(want):
        print("FAIL vercmp printed %d results for %d pairs" %
              (len(got), len(want)))
        return 1
    if bad:
        print("FAIL %d of %d pairs differ from %s" %
              (len(bad), len(pairs), how))
        for p, w, g in bad[:20]:
            print("  %r %r: want %s got %s" % (p[0], p[1], w, g))
        return 1
    nerr = sum(1 for w in want if w == "E")
    print("ok %d pairs (%d generated, %d real-world, %d rejected by both) "
          "agree with %s" % (len(pairs), len(generated), len(real), nerr,
                              how))
    return 0


if __name__ == "__main__":
    sys.exit(main())
