#!/usr/bin/env bash
# rpm-db-cataloger against the real thing: rpmbuild builds a few small
# packages from spec files written here (an epoch, an explicit epoch 0,
# %config files, licences, a vendor, a subpackage whose source rpm has
# another name, MD5 and SHA-256 file digests, a modularity label, a
# symlink and an owned directory), `rpm --root` installs them into fresh
# root file systems, and for every database format the package set and
# owned files of `customs sbom -o json dir:ROOT` must equal what
# `rpm -qa --root ROOT` says:
#   - SQLite, written by rpm itself, at var/lib/rpm and at
#     usr/lib/sysimage/rpm;
#   - Berkeley DB hash, written by Berkeley DB's db_load from the same
#     header blobs (little-endian with 512-byte pages so headers span
#     overflow chains, big-endian, and with page checksums), checked
#     first with rpm's own read-only BDB backend where it can read them;
#   - NDB, laid out by rpmdb_tool.py (Debian's rpm has no NDB backend to
#     check it against).
# A two-layer docker-archive image (layer 1 adds a package and rewrites
# the database) must give the same set, each package with the layer that
# introduced it. Then truncated and corrupted databases: still exit 0,
# with warnings naming the file. gpg-pubkey entries (none here) would be left out.
# Prints TAP.
. "$(dirname "$0")/lib.sh"
require_customs

for tool in rpm rpmbuild; do
	if ! command -v "$tool" >/dev/null; then
		echo "1..0 # SKIP $tool is not installed (apt package rpm)"
		exit 0
	fi
done
DB_LOAD=
for t in db5.3_load db_load; do
	command -v "$t" >/dev/null && DB_LOAD=$t && break
done
TOOL="$CUSTOMS_SRCDIR/tests/e2e/rpmdb_tool.py"
export HOME="$T_DIR/home"
mkdir -p "$HOME" "$T_DIR/specs"

QF='%{NAME}\t%{EPOCH}\t%{EPOCHNUM}\t%{VERSION}\t%{RELEASE}\t%{ARCH}\t%{SOURCERPM}\t%{LICENSE}\t%{VENDOR}\t%{MODULARITYLABEL}\t%{FILEDIGESTALGO}\n'
QF_FILES='[%{=NAME}\t%{FILENAMES}\t%{FILEDIGESTS}\t%{FILEFLAGS}\n]'

cat >"$T_DIR/specs/hello.spec" <<'EOF'
Name: hello
Epoch: 2
Version: 1.0
Release: 3
Summary: hello
License: MIT and GPLv2+
Vendor: Customs Test
BuildArch: noarch
%description
hello
%install
mkdir -p %{buildroot}/etc %{buildroot}/usr/bin %{buildroot}/usr/share/hello
echo conf > %{buildroot}/etc/hello.conf
echo bin > %{buildroot}/usr/bin/hello
echo doc > %{buildroot}/usr/share/hello/README
%files
%config(noreplace) /etc/hello.conf
/usr/bin/hello
%dir /usr/share/hello
/usr/share/hello/README
EOF
cat >"$T_DIR/specs/foo.spec" <<'EOF'
Name: foo
Epoch: 0
Version: 1.2
Release: 1
Summary: foo
License: BSD-3-Clause
%description
foo
%package -n libfoo
Summary: libfoo
%description -n libfoo
libfoo
%install
mkdir -p %{buildroot}/usr/lib64
echo lib > %{buildroot}/usr/lib64/libfoo.so.1
%files -n libfoo
/usr/lib64/libfoo.so.1
EOF
cat >"$T_DIR/specs/bar.spec" <<'EOF'
Name: bar
Version: 3.0
Release: 7.el9
Summary: bar
License: ASL 2.0
BuildArch: noarch
%description
bar
%install
mkdir -p %{buildroot}/usr/bin %{buildroot}/etc/bar
echo bar > %{buildroot}/usr/bin/bar
ln -s bar %{buildroot}/usr/bin/bar-link
echo x > %{buildroot}/etc/bar/bar.conf
%files
/usr/bin/bar
/usr/bin/bar-link
%dir /etc/bar
%config /etc/bar/bar.conf
EOF

build() {
	rpmbuild --define "_topdir $T_DIR/top" "$@" >>"$T_DIR/rpmbuild.log" 2>&1
}
if build -bb "$T_DIR/specs/hello.spec" && build -bb "$T_DIR/specs/foo.spec" &&
	build --define '_binary_filedigest_algorithm 1' \
		--define 'modularitylabel bar:3:20240101:c0ffee' \
		-bb "$T_DIR/specs/bar.spec"; then
	ok "rpmbuild built hello, libfoo (from foo) and bar"
else
	not_ok "rpmbuild built hello, libfoo (from foo) and bar" "$(tail -n 20 "$T_DIR/rpmbuild.log")"
	done_testing
fi
RPMS=$(find "$T_DIR/top/RPMS" -name '*.rpm' | sort)

# install ROOT DBPATH: a fresh root with the packages in rpm's database
install_root() {
	mkdir -p "$1"
	rpm --root "$1" --dbpath "$2" --nodeps --noscripts --ignorearch \
		-i $RPMS >"$T_DIR/install.log" 2>&1
}

# query ROOT DBPATH OUTPREFIX [rpm options]: rpm's view of the packages
query() {
	local root=$1 dbpath=$2 out=$3
	shift 3
	rpm --root "$root" --dbpath "$dbpath" "$@" -qa --qf "$QF" 2>/dev/null |
		sort >"$out.qa" &&
		rpm --root "$root" --dbpath "$dbpath" "$@" -qa \
			--qf "$QF_FILES" 2>/dev/null | sort >"$out.files" &&
		[ -s "$out.qa" ]
}

# compare DESC TARGET DBPATH EXPECTPREFIX: customs equals rpm
compare() {
	local desc=$1 target=$2 dbpath=$3 exp=$4
	run "$CUSTOMS" sbom -o json "$target"
	if [ "$RC" -ne 0 ]; then
		not_ok "$desc" "customs sbom failed" "$(last_output)"
		return
	fi
	cp "$OUT" "$exp.sbom.json"
	if "$PYTHON" "$TOOL" compare "$exp.qa" "$exp.files" "$exp.sbom.json" \
		"$dbpath" >"$T_DIR/compare.out" 2>&1; then
		ok "$desc ($(tail -n 1 "$T_DIR/compare.out"))"
	else
		not_ok "$desc" "$(head -n 40 "$T_DIR/compare.out")"
	fi
}

# 1. SQLite written by rpm, in both locations
SQ=$T_DIR/sqlite
if install_root "$SQ" /var/lib/rpm && query "$SQ" /var/lib/rpm "$T_DIR/sqlite"; then
	ok "rpm installed the packages into a SQLite rpmdb"
else
	not_ok "rpm installed the packages into a SQLite rpmdb" "$(cat "$T_DIR/install.log")"
	done_testing
fi
if [ "$(wc -l <"$T_DIR/sqlite.qa")" -eq 3 ] && grep -q '^libfoo	0	0	1.2	1	x86_64	foo-1.2-1.src.rpm' "$T_DIR/sqlite.qa"; then
	ok "rpm -qa lists the three packages"
else
	not_ok "rpm -qa lists the three packages" "$(cat "$T_DIR/sqlite.qa")"
fi
compare "sqlite: customs equals rpm -qa" "dir:$SQ" /var/lib/rpm/rpmdb.sqlite "$T_DIR/sqlite"

SYS=$T_DIR/sysimage
if install_root "$SYS" /usr/lib/sysimage/rpm &&
	query "$SYS" /usr/lib/sysimage/rpm "$T_DIR/sysimage"; then
	compare "sqlite at usr/lib/sysimage/rpm: customs equals rpm -qa" "dir:$SYS" \
		/usr/lib/sysimage/rpm/rpmdb.sqlite "$T_DIR/sysimage"
else
	not_ok "rpm installed into usr/lib/sysimage/rpm" "$(cat "$T_DIR/install.log")"
fi

# 2. An image: layer 0 holds hello and libfoo, layer 1 adds bar (and
# rewrites the rpmdb); the packages equal rpm -qa on the final root and
# each keeps the layer that introduced it
IMG=$T_DIR/image
mkdir -p "$IMG/l0"
if rpm --root "$IMG/l0" --dbpath /var/lib/rpm --nodeps --noscripts \
	--ignorearch -i $(echo "$RPMS" | grep -v /bar-) >"$T_DIR/install.log" 2>&1 &&
	cp -a "$IMG/l0" "$IMG/l1" &&
	rpm --root "$IMG/l1" --dbpath /var/lib/rpm --nodeps --noscripts \
		-i $(echo "$RPMS" | grep /bar-) >>"$T_DIR/install.log" 2>&1 &&
	query "$IMG/l1" /var/lib/rpm "$T_DIR/image" &&
	"$PYTHON" "$TOOL" image "$IMG/rpm.tar" "$IMG/l0" "$IMG/l1"; then
	compare "docker-archive, two layers: customs equals rpm -qa" \
		"docker-archive:$IMG/rpm.tar" /var/lib/rpm/rpmdb.sqlite "$T_DIR/image"
	check "docker-archive: hello and libfoo from layer 0, bar from layer 1" \
		"$PYTHON" "$TOOL" layers "$T_DIR/image.sbom.json" hello=0 libfoo=0 bar=1
else
	not_ok "a two-layer rpm image" "$(tail -n 20 "$T_DIR/install.log")"
fi

# 3. Berkeley DB hash, written by Berkeley DB from the same header blobs
"$PYTHON" "$TOOL" blobs-bdb "$SQ/var/lib/rpm/rpmdb.sqlite" "$T_DIR/bdb.txt"
# bdb_case NAME CROSSCHECK DB_LOAD-OPTIONS...
bdb_case() {
	local name=$1 crosscheck=$2
	shift 2
	local root=$T_DIR/$name dir=$T_DIR/$name/var/lib/rpm
	mkdir -p "$dir"
	if ! "$DB_LOAD" -T -t hash "$@" -f "$T_DIR/bdb.txt" "$dir/Packages" \
		>"$T_DIR/db_load.log" 2>&1; then
		not_ok "$name: db_load wrote a hash database" "$(cat "$T_DIR/db_load.log")"
		return
	fi
	# rpm's own read-only BDB backend must read the same packages
	if [ "$crosscheck" = no ]; then
		cp "$T_DIR/sqlite.qa" "$T_DIR/$name.qa"
		cp "$T_DIR/sqlite.files" "$T_DIR/$name.files"
	elif query / "$dir" "$T_DIR/$name" --define '_db_backend bdb_ro' &&
		cmp -s "$T_DIR/$name.qa" "$T_DIR/sqlite.qa" &&
		cmp -s "$T_DIR/$name.files" "$T_DIR/sqlite.files"; then
		ok "$name: rpm's bdb_ro backend reads what the SQLite rpmdb holds"
	else
		not_ok "$name: rpm's bdb_ro backend reads what the SQLite rpmdb holds" \
			"$(diff "$T_DIR/sqlite.qa" "$T_DIR/$name.qa" 2>&1 | head)"
	fi
	rm -f "$dir"/__db.* "$dir"/.rpm.lock
	compare "$name: customs equals rpm -qa" "dir:$root" /var/lib/rpm/Packages "$T_DIR/$name"
}
if [ -n "$DB_LOAD" ]; then
	bdb_case bdb-le-512 yes -c db_pagesize=512 -c db_lorder=1234
	bdb_case bdb-be-4096 yes -c db_pagesize=4096 -c db_lorder=4321
	# page checksums move the page contents; rpm's bdb_ro cannot read it
	bdb_case bdb-chksum no -c db_pagesize=1024 -c chksum=1
else
	skip "bdb: Berkeley DB hash" "db_load is not installed (apt package db5.3-util)"
fi

# 4. NDB
NDB=$T_DIR/ndb
mkdir -p "$NDB/usr/lib/sysimage/rpm"
"$PYTHON" "$TOOL" blobs-ndb "$SQ/var/lib/rpm/rpmdb.sqlite" \
	"$NDB/usr/lib/sysimage/rpm/Packages.db"
cp "$T_DIR/sqlite.qa" "$T_DIR/ndb.qa"
cp "$T_DIR/sqlite.files" "$T_DIR/ndb.files"
compare "ndb: customs equals rpm -qa" "dir:$NDB" /usr/lib/sysimage/rpm/Packages.db "$T_DIR/ndb"

# 5. Damaged databases: exit 0, a warning naming the file
damaged() {
	local desc=$1 root=$2 file=$3
	run "$CUSTOMS" sbom -o json "dir:$root"
	if [ "$RC" -eq 0 ] && "$PYTHON" - "$OUT" "$file" <<'PY'; then
import json, sys
d = json.load(open(sys.argv[1]))
tag = "rpm-db-cataloger: " + sys.argv[2] + ": "
assert any(tag in w for w in d["warnings"]), d["warnings"]
PY
		ok "$desc"
	else
		not_ok "$desc" "$(last_output)"
	fi
}
BAD=$T_DIR/bad
mkdir -p "$BAD/var/lib/rpm" "$BAD/usr/lib/sysimage/rpm"
if [ -n "$DB_LOAD" ]; then
	head -c 3000 "$T_DIR/bdb-le-512/var/lib/rpm/Packages" >"$BAD/var/lib/rpm/Packages"
fi
"$PYTHON" - "$NDB/usr/lib/sysimage/rpm/Packages.db" "$BAD/usr/lib/sysimage/rpm/Packages.db" <<'PY'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
d[4096] ^= 0xff  # the first blob's head magic
open(sys.argv[2], "wb").write(bytes(d))
PY
damaged "corrupt NDB blob: warning, exit 0" "$BAD" usr/lib/sysimage/rpm/Packages.db
if [ -n "$DB_LOAD" ]; then
	damaged "truncated Berkeley DB: warning, exit 0" "$BAD" var/lib/rpm/Packages
fi

done_testing
