/*
 * One rpm header -> one package. The header says who the package is
 * (name, epoch, version, release, arch), where it came from (source rpm,
 * vendor, licence, modularity label) and which files it owns: the file
 * list is stored compressed as basenames + dirindexes into dirnames, with
 * one digest string and one flags word per file and a single digest
 * algorithm (PGP hash numbers, MD5 when the tag is absent).
 *
 * Only name and version are required; a missing or malformed optional tag
 * is a warning and the package is kept without it. A file list whose
 * arrays disagree in length is dropped as a whole (with a warning) rather
 * than guessed at. gpg-pubkey entries are imported signing keys, not
 * packages (no arch, no files): they are skipped, as most rpmdb
 * consumers do, so the set matches `rpm -qa` less those keys.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "catalog/rpmdb_int.h"
#include "catalog/rpmheader.h"
#include "customs/pkg.h"
#include "util/alloc.h"
#include "util/banned.h"

#define FOUND_BY "rpm-db-cataloger"
/* Most files one package may list: the largest real packages hold about
 * 100k; the cap keeps a hostile header from costing more memory than a
 * small multiple of its own size. */
#define RPM_MAX_FILES ((uint32_t)1 << 20)
#define RPM_MAX_PATH 4096

struct hdr {
	struct rpm_ctx *c;
	const struct rpmhdr *h;
	const char *where;
	const char *name;
};

static const char *algo_name(uint64_t algo)
{
	switch (algo) {
	case 1:
		return "md5";
	case 2:
		return "sha1";
	case 3:
		return "ripemd160";
	case 5:
		return "md2";
	case 6:
		return "tiger192";
	case 7:
		return "haval-5-160";
	case 8:
		return "sha256";
	case 9:
		return "sha384";
	case 10:
		return "sha512";
	case 11:
		return "sha224";
	default:
		return NULL;
	}
}

static int bad_tag(struct hdr *x, const char *what, const char *why)
{
	return rpm_warn(x->c, "%s (%s): %s: %s", x->where, x->name, what, why);
}

/* An optional string tag: *out NUL-terminated copy or NULL. */
static int opt_string(struct hdr *x, uint32_t tag, const char *what, char **out)
{
	const char *why = NULL;
	struct cslice s;
	int r = rpmhdr_string(x->h, tag, &s, &why);

	*out = NULL;
	if (r < 0)
		return bad_tag(x, what, why);
	if (r == 0 || s.n == 0)
		return 0;
	*out = cslice_dup(s);
	return *out ? 0 : CUSTOMS_ENOMEM;
}

static int set_meta_string(struct hdr *x, struct customs_pkg *p, uint32_t tag,
			   const char *key)
{
	char *v = NULL;
	int rc = opt_string(x, tag, key, &v);

	if (!rc && v)
		rc = customs_pkg_meta_set(p, key, v);
	customs_free(v);
	return rc;
}

static int set_meta_uint(struct customs_pkg *p, const char *key, uint64_t v)
{
	char num[24];

	snprintf(num, sizeof(num), "%" PRIu64, v);
	return customs_pkg_meta_set(p, key, num);
}

/* The file list's arrays, checked against one another. */
struct files {
	struct rpmhdr_array base, dirs, idx, digests, flags;
	struct cslice *dir; /* ndirs slices */
	uint32_t ndirs;
	bool have_digests, have_flags;
	const char *algo;
};

static int get_array(struct hdr *x, uint32_t tag, uint32_t type,
		     const char *what, struct rpmhdr_array *a, bool *have)
{
	const char *why = NULL;
	int r = rpmhdr_array(x->h, tag, type, a, &why);

	*have = r > 0;
	return r < 0 ? bad_tag(x, what, why) : 0;
}

/* A side array (digests, flags) is used only when it has one entry per
 * file. */
static int check_side(struct hdr *x, const char *what, struct rpmhdr_array *a,
		      bool *have, uint32_t n)
{
	if (*have && a->count != n) {
		*have = false;
		return rpm_warn(x->c,
				"%s (%s): %s: %" PRIu32 " entries for %" PRIu32
				" files; ignored",
				x->where, x->name, what, a->count, n);
	}
	return 0;
}

/* Index the dirnames; *ok false when one is not terminated. */
static int split_dirs(struct hdr *x, struct files *f, bool *ok)
{
	uint32_t i, m = f->dirs.count;

	f->dir = customs_calloc(m, sizeof(*f->dir));
	if (!f->dir)
		return CUSTOMS_ENOMEM;
	for (i = 0; i < m; i++) {
		if (!rpmhdr_next_string(&f->dirs, &f->dir[i]))
			return bad_tag(x, "dirnames",
				       "string not terminated inside the data "
				       "store; file list ignored");
	}
	f->ndirs = m;
	*ok = true;
	return 0;
}

/* Load and cross-check the arrays; *ok false means "no file list". */
static int load_files(struct hdr *x, struct files *f, bool *ok)
{
	bool have_base, have_dirs, have_idx;
	uint64_t algo = 1;
	const char *why = NULL;
	uint32_t n;
	int rc = 0;

	*ok = false;
	rc |= get_array(x, RPMTAG_BASENAMES, RPM_STRING_ARRAY_TYPE, "basenames",
			&f->base, &have_base);
	rc |= get_array(x, RPMTAG_DIRNAMES, RPM_STRING_ARRAY_TYPE, "dirnames",
			&f->dirs, &have_dirs);
	rc |= get_array(x, RPMTAG_DIRINDEXES, RPM_INT32_TYPE, "dirindexes",
			&f->idx, &have_idx);
	rc |= get_array(x, RPMTAG_FILEDIGESTS, RPM_STRING_ARRAY_TYPE,
			"file digests", &f->digests, &f->have_digests);
	rc |= get_array(x, RPMTAG_FILEFLAGS, RPM_INT32_TYPE, "file flags",
			&f->flags, &f->have_flags);
	if (rc)
		return CUSTOMS_ENOMEM;
	if (!have_base)
		return 0;
	n = f->base.count;
	if (!have_dirs || !have_idx || f->idx.count != n)
		return rpm_warn(x->c,
				"%s (%s): basenames without matching dirnames "
				"and dirindexes; file list ignored",
				x->where, x->name);
	if (n > RPM_MAX_FILES || f->dirs.count > RPM_MAX_FILES)
		return rpm_warn(x->c,
				"%s (%s): more than %" PRIu32
				" files; file list ignored",
				x->where, x->name, RPM_MAX_FILES);
	if (rpmhdr_uint(x->h, RPMTAG_FILEDIGESTALGO, &algo, &why) < 0) {
		/* digests of an unknown kind are still worth keeping */
		if (bad_tag(x, "file digest algorithm", why))
			return CUSTOMS_ENOMEM;
	} else if (!(f->algo = algo_name(algo)) && f->have_digests &&
		   rpm_warn(x->c,
			    "%s (%s): unknown file digest algorithm %" PRIu64,
			    x->where, x->name, algo)) {
		return CUSTOMS_ENOMEM;
	}
	if (check_side(x, "file digests", &f->digests, &f->have_digests, n) ||
	    check_side(x, "file flags", &f->flags, &f->have_flags, n))
		return CUSTOMS_ENOMEM;
	return split_dirs(x, f, ok);
}

/* dir + base without leading "/" into path; false when too long. */
static bool join(char *path, struct cslice dir, struct cslice base)
{
	while (dir.n && dir.p[0] == '/') {
		dir.p++;
		dir.n--;
	}
	if (!dir.n) {
		while (base.n && base.p[0] == '/') {
			base.p++;
			base.n--;
		}
	}
	if (dir.n + base.n >= RPM_MAX_PATH)
		return false;
	memcpy(path, dir.p, dir.n);
	memcpy(path + dir.n, base.p, base.n);
	path[dir.n + base.n] = '\0';
	return true;
}

static int add_one(struct hdr *x, struct customs_pkg *p, struct files *f,
		   uint32_t i, struct cslice base)
{
	struct cslice digest = { "", 0 };
	uint32_t d = rpmhdr_u32_at(&f->idx, i);
	char path[RPM_MAX_PATH], *dg = NULL;
	bool config = false;
	int rc;

	/* a digest string per file, empty for directories and links */
	if (f->have_digests && !rpmhdr_next_string(&f->digests, &digest)) {
		f->have_digests = false;
		digest.n = 0;
	}
	if (f->have_flags)
		config = rpmhdr_u32_at(&f->flags, i) & RPMFILE_CONFIG;
	if (d >= f->ndirs)
		return rpm_warn(x->c,
				"%s (%s): file %" PRIu32 ": dirindex %" PRIu32
				" out of range",
				x->where, x->name, i, d);
	if (!join(path, f->dir[d], base))
		return rpm_warn(x->c,
				"%s (%s): file %" PRIu32 ": path too long",
				x->where, x->name, i);
	if (digest.n && !(dg = cslice_dup(digest)))
		return CUSTOMS_ENOMEM;
	rc = customs_pkg_add_file(p, path, dg ? f->algo : NULL, dg, config);
	customs_free(dg);
	return rc;
}

static int add_files(struct hdr *x, struct customs_pkg *p)
{
	struct files f;
	struct cslice base;
	uint32_t i, n;
	bool ok;
	int rc;

	memset(&f, 0, sizeof(f));
	rc = load_files(x, &f, &ok);
	n = f.base.count;
	for (i = 0; !rc && ok && i < n; i++) {
		if (!rpmhdr_next_string(&f.base, &base)) {
			rc = bad_tag(x, "basenames",
				     "string not terminated inside the data "
				     "store");
			break;
		}
		rc = add_one(x, p, &f, i, base);
	}
	customs_free(f.dir);
	return rc;
}

/* "[epoch:]version[-release]" */
static int set_version(struct customs_pkg *p, bool has_epoch, uint64_t epoch,
		       struct cslice v, struct cslice r)
{
	char *s;
	size_t n;
	int rc;

	if (!customs_add_ok(&n, v.n, r.n) || !customs_add_ok(&n, n, 32))
		return CUSTOMS_ENOMEM;
	s = customs_malloc(n);
	if (!s)
		return CUSTOMS_ENOMEM;
	if (has_epoch)
		snprintf(s, n, "%" PRIu64 ":%.*s%s%.*s", epoch, (int)v.n, v.p,
			 r.n ? "-" : "", (int)r.n, r.p);
	else
		snprintf(s, n, "%.*s%s%.*s", (int)v.n, v.p, r.n ? "-" : "",
			 (int)r.n, r.p);
	rc = customs_pkg_setz(&p->version, s);
	customs_free(s);
	return rc;
}

/* A required string tag; 1 found, 0 missing or bad (warned), < 0 error. */
static int need_string(struct hdr *x, uint32_t tag, const char *what,
		       struct cslice *s)
{
	const char *why = NULL;
	int r = rpmhdr_string(x->h, tag, s, &why);

	if (r > 0 && s->n)
		return 1;
	if (r < 0)
		r = rpm_warn(x->c, "%s: %s: %s; record skipped", x->where, what,
			     why);
	else
		r = rpm_warn(x->c, "%s: no %s; record skipped", x->where, what);
	return r ? r : 0;
}

static int fill(struct hdr *x, struct customs_pkg *p, struct cslice version,
		struct cslice release)
{
	const char *why = NULL;
	uint64_t epoch = 0, size = 0;
	char *v = NULL;
	int has_epoch, has_size, rc = 0;

	has_epoch = rpmhdr_uint(x->h, RPMTAG_EPOCH, &epoch, &why);
	if (has_epoch < 0 && bad_tag(x, "epoch", why))
		return CUSTOMS_ENOMEM;
	has_size = rpmhdr_uint(x->h, RPMTAG_LONGSIZE, &size, &why);
	if (has_size <= 0)
		has_size = rpmhdr_uint(x->h, RPMTAG_SIZE, &size, &why);
	rc |= set_version(p, has_epoch > 0, epoch, version, release);
	if (has_epoch > 0)
		rc |= set_meta_uint(p, "epoch", epoch);
	if (has_size > 0)
		rc |= set_meta_uint(p, "size", size);
	if (release.n) {
		v = cslice_dup(release);
		rc |= v ? customs_pkg_meta_set(p, "release", v)
			: CUSTOMS_ENOMEM;
		customs_free(v);
		v = NULL;
	}
	rc |= opt_string(x, RPMTAG_ARCH, "arch", &p->arch);
	rc |= opt_string(x, RPMTAG_SOURCERPM, "sourcerpm", &p->source_name);
	rc |= set_meta_string(x, p, RPMTAG_VENDOR, "vendor");
	rc |= set_meta_string(x, p, RPMTAG_MODULARITYLABEL, "modularity_label");
	if (!rc && !(rc = opt_string(x, RPMTAG_LICENSE, "license", &v)) && v)
		rc = customs_pkg_add_license(p, v);
	customs_free(v);
	if (!rc)
		rc = add_files(x, p);
	return rc ? CUSTOMS_ENOMEM : 0;
}

int rpm_header_to_pkg(struct rpm_ctx *c, const unsigned char *blob, size_t len,
		      const char *where)
{
	struct cslice name, version, release = { "", 0 };
	struct hdr x = { c, NULL, where, "?" };
	struct customs_pkg *p;
	struct rpmhdr h;
	const char *why = NULL;
	char *nm = NULL;
	int rc;

	if (rpmhdr_init(&h, blob, len, &why))
		return rpm_warn(c, "%s: %s; record skipped", where, why);
	x.h = &h;
	if ((rc = need_string(&x, RPMTAG_NAME, "name", &name)) <= 0 ||
	    (rc = need_string(&x, RPMTAG_VERSION, "version", &version)) <= 0)
		return rc;
	if (cslice_eq(name, "gpg-pubkey"))
		return 0;
	if (rpmhdr_string(&h, RPMTAG_RELEASE, &release, &why) < 0)
		release.n = 0;
	nm = cslice_dup(name);
	if (!nm)
		return CUSTOMS_ENOMEM;
	x.name = nm;
	p = cat_pkg_new(c->res, c->in, FOUND_BY, CUSTOMS_PKG_RPM);
	rc = p ? customs_pkg_setz(&p->name, nm) : CUSTOMS_ENOMEM;
	if (!rc && !release.n)
		rc = rpm_warn(c, "%s (%s): no release", where, nm);
	if (!rc)
		rc = fill(&x, p, version, release);
	customs_free(nm);
	return rc;
}
