#!/bin/bash
# `inspect --files -o json` renders a long file list on two threads
# (tools/customs/inspect_files.c): the document must be byte for byte the
# one-thread one (CUSTOMS_JSON_THREADS=1), on a tree of tens of thousands
# of entries whose names and link targets need escaping or are not UTF-8,
# and when allocations fail in the middle of the rendering (the chunks a
# thread could not hold in memory are rendered again, in order).
. "$(dirname "$0")/lib.sh"
require_customs

# A deterministic tree: N regular files in directories of 100, every 9th
# name hostile, with symlinks, hard links, empty dirs and setuid files.
mktree() {
	"$PYTHON" - "$1" "$2" <<'EOF'
import os, sys
root, n = os.fsencode(sys.argv[1]), int(sys.argv[2])
odd = [b'quote"', b'back\\slash', b'new\nline', b'tab\there', b'ctl\x01\x1f',
       b'del\x7f', b'caf\xc3\xa9', b'emoji\xf0\x9f\x98\x80', b'bad\xff',
       b'lone\xc3', b'overlong\xc0\xaf', b'surrogate\xed\xa0\x80',
       b'cut\xf0\x9f\x98', b'big\xf4\x90\x80\x80', b'sp ace', b'uni\xe2\x80\xa8']
os.makedirs(root)
for i in range(n):
    d = os.path.join(root, b'd%03d' % (i // 100))
    if i % 100 == 0:
        os.mkdir(d)
        os.mkdir(os.path.join(d, b'empty'))
    name = b'f%05d' % i
    if i % 9 == 0:
        name += b'-' + odd[(i // 9) % len(odd)]
    p = os.path.join(d, name)
    if i % 23 == 5:
        os.symlink(b'../t/' + odd[i % len(odd)], p)
        continue
    with open(p, 'wb') as f:
        f.write(b'%d\n' % i * (i % 5))
    if i % 31 == 0:
        os.link(p, p + b'.hard')
    if i % 97 == 0:
        os.chmod(p, 0o4755)
EOF
}

big="$T_DIR/big"
mktree "$big" 30000 || { echo "Bail out! could not build $big"; exit 1; }

inspect() { # inspect OUT TARGET [VAR=VALUE...]
	local out=$1 target=$2
	shift 2
	env "$@" "$CUSTOMS" inspect --no-secrets --files -o json "$target" \
		>"$out" 2>"$T_DIR/err"
}

if inspect "$T_DIR/one.json" "dir:$big" CUSTOMS_JSON_THREADS=1; then
	ok "one thread: inspect of $(find "$big" | wc -l) paths"
else
	not_ok "one thread: inspect of the big tree" "$(head -c 2000 "$T_DIR/err")"
fi

# The reference must be right in itself, or comparing with it says little:
# a JSON document listing every path of the tree, in byte order.
check "one thread: every path, sorted, escaped as JSON" "$PYTHON" - \
	"$T_DIR/one.json" "$big" <<'EOF'
import json, os, sys
def text(b):
    """b as customs prints it: each byte of an invalid sequence is U+FFFD."""
    out, i = [], 0
    while i < len(b):
        for n in (1, 2, 3, 4):
            try:
                out.append(b[i:i + n].decode('utf-8'))
                i += n
                break
            except UnicodeDecodeError:
                pass
        else:
            out.append('\ufffd')
            i += 1
    return ''.join(out)

doc = json.load(open(sys.argv[1], encoding='utf-8'))
root = os.fsencode(sys.argv[2])
want = []
for d, dirs, files in os.walk(root):
    for name in dirs + files:
        rel = os.path.relpath(os.path.join(d, name), root)
        want.append((rel, '/' + text(rel)))
want.sort()
got = [f['path'] for f in doc['files']]
assert got == [w[1] for w in want], (len(got), len(want))
assert any('\n' in p for p in got) and any('\ufffd' in p for p in got)
links = [f for f in doc['files'] if f['type'] == 'symlink']
assert links and all(f['link'].startswith('../t/') for f in links)
EOF

same=0
for i in 1 2 3; do
	if inspect "$T_DIR/two.json" "dir:$big" &&
		cmp -s "$T_DIR/one.json" "$T_DIR/two.json"; then
		same=$((same + 1))
	else
		diag "run $i: $(cmp "$T_DIR/one.json" "$T_DIR/two.json" 2>&1)"
	fi
done
if [ "$same" = 3 ]; then
	ok "two threads: the same bytes as one thread (3 runs)"
else
	not_ok "two threads: the same bytes as one thread ($same of 3 runs)"
fi

# With CUSTOMS_FAIL_ALLOC_AT=N the Nth allocation and every later one
# fail. The smallest N that still succeeds fails the file list's first
# allocation (one thread, then); the next few fail the memory chunks at
# each step of their growth, so the main thread renders them again. Each
# must give the document unchanged. (The big tree: which chunks the
# worker takes depends on timing, and of a few it might take none.)
lo=1 hi=1024
while ! inspect "$T_DIR/out.json" "dir:$big" CUSTOMS_FAIL_ALLOC_AT=$hi; do
	lo=$hi
	hi=$((hi * 2))
	[ "$hi" -gt 100000000 ] && break
done
while [ $((hi - lo)) -gt 1 ]; do
	mid=$(((lo + hi) / 2))
	if inspect "$T_DIR/out.json" "dir:$big" CUSTOMS_FAIL_ALLOC_AT=$mid; then
		hi=$mid
	else
		lo=$mid
	fi
done
bad=0
for k in $(seq 0 11); do
	n=$((hi + k))
	if ! inspect "$T_DIR/out.json" "dir:$big" CUSTOMS_FAIL_ALLOC_AT=$n; then
		bad=$((bad + 1))
		diag "N=$n: $(head -c 300 "$T_DIR/err")"
	elif ! cmp -s "$T_DIR/one.json" "$T_DIR/out.json"; then
		bad=$((bad + 1))
		diag "N=$n: $(cmp "$T_DIR/one.json" "$T_DIR/out.json" 2>&1)"
	fi
done
if [ "$bad" = 0 ]; then
	ok "allocations failing from N=$hi on: the same bytes (12 runs)"
else
	not_ok "allocations failing from N=$hi on: the same bytes ($bad of 12 differ)"
fi
done_testing
