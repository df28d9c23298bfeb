/*
 * Package gates (Anchore §2.4, §2.7-2.9): packages (required_package,
 * verify, blacklist) over every package of the image, licenses over each
 * whitespace-separated licence token, and the npms / ruby_gems gates.
 * The npm and gem feeds do not exist in Engine 1.x with the grype
 * provider, so as in the reference the feed comparisons never fire and
 * feed_data_unavailable always does.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "customs/version.h"
#include "policy/policy_int.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/banned.h"

static const json_t *first_named(const struct customs_policy_analysis *an,
				 const char *name, const char *type)
{
	const json_t *p;
	size_t i;

	json_array_foreach(an->packages, i, p)
	{
		const char *n = jstr(p, "name"), *t = jstr(p, "type");

		if (n && !strcmp(n, name) && (!type || (t && !strcmp(t, type))))
			return p;
	}
	return NULL;
}

/* The comparator of the image's distro flavour (RHEL, DEB, ALPINE). */
static int flavour_scheme(struct ectx *e, enum customs_version_scheme *s)
{
	json_t *d = an_key(e->an, "distro");
	const char *id = jstr(d, "id"), *like = jstr(d, "id_like");
	static const char *const rhel[] = { "rhel",  "centos",	  "fedora",
					    "rocky", "almalinux", "ol",
					    "amzn",  "sles",	  "opensuse",
					    NULL };
	size_t i;

	for (i = 0; rhel[i]; i++) {
		if ((id && !strcmp(id, rhel[i])) ||
		    (like && strstr(like, rhel[i]))) {
			*s = CUSTOMS_VERSION_RPM;
			return 0;
		}
	}
	if ((id && (!strcmp(id, "debian") || !strcmp(id, "ubuntu"))) ||
	    (like && strstr(like, "debian"))) {
		*s = CUSTOMS_VERSION_DPKG;
		return 0;
	}
	if (id && (!strcmp(id, "alpine") || !strcmp(id, "wolfi"))) {
		*s = CUSTOMS_VERSION_APK;
		return 0;
	}
	return eval_error(e, CUSTOMS_EUNSUPPORTED,
			  "unsupported distro flavour '%s' for version "
			  "comparison",
			  id ? id : "None");
}

static int required_present(struct ectx *e, const struct prule *r,
			    const json_t *p)
{
	const char *name = P(r, 0), *want = P(r, 1), *mt = P(r, 2);
	struct cbuf ver = CBUF_INIT(4096), full = CBUF_INIT(4096);
	enum customs_version_scheme sch;
	int rc = 0, cmp = 0;

	pkg_versions(p, &ver, &full);
	if (!strcmp(full.ptr, want))
		goto out;
	if (!mt || !strcmp(mt, "exact")) {
		msgf(e,
		     "Required input package (%s) is present (%s), but not at "
		     "the version specified in policy (%s)",
		     name, full.ptr,
		     (e->fixes & CUSTOMS_POLICY_FIX_REQUIRED_PACKAGE_MSG)
			     ? want
			     : name);
		rc = emit(e, NULL);
		goto out;
	}
	rc = flavour_scheme(e, &sch);
	if (rc)
		goto out;
	if (customs_version_cmp(sch, ver.ptr, want, &cmp, NULL))
		cmp = 0; /* unparsable: not known to be lower */
	if (cmp < 0) {
		msgf(e,
		     "Required min-version input package (%s) is present (%s), "
		     "but is lower version than what is specified in policy "
		     "(%s)",
		     name, full.ptr, want);
		rc = emit(e, NULL);
	}
out:
	cbuf_release(&ver);
	cbuf_release(&full);
	return rc;
}

static int fire_required(struct ectx *e, const struct prule *r)
{
	const json_t *p = first_named(e->an, P(r, 0), NULL);

	if (p)
		return P(r, 1) ? required_present(e, r, p) : 0;
	if (P(r, 1))
		msgf(e,
		     "Required input package (%s,%s) is not present in "
		     "container image",
		     P(r, 0), P(r, 1));
	else
		msgf(e,
		     "Required input package (%s) is not present in container "
		     "image",
		     P(r, 0));
	return emit(e, NULL);
}

static bool under_dirs(const char *dirs, const char *path)
{
	const char *p = dirs, *end;

	if (!dirs)
		return true;
	for (;;) {
		struct cslice it;

		end = strchr(p, ',');
		it = cslice_trim(
			cslice_make(p, end ? (size_t)(end - p) : strlen(p)));
		if (it.n && !strncmp(path, it.p, it.n))
			return true;
		if (!end)
			return false;
		p = end + 1;
	}
}

/* Octal mode texts compared right-aligned, over the shorter one's
 * digits (leading zeros dropped): "644" equals "100644", as the
 * reference compares a database mode with the file's st_mode. */
static bool modes_differ(const char *db, unsigned long fs)
{
	char fo[24];
	size_t ld, lf, k;

	while (*db == '0' && db[1])
		db++;
	snprintf(fo, sizeof(fo), "%lo", fs);
	ld = strlen(db);
	lf = strlen(fo);
	k = ld < lf ? ld : lf;
	return strcmp(db + ld - k, fo + lf - k) != 0;
}

/* The analysis's digest of file f under the package database's algorithm
 * (sha256, or md5 when the scan computed it), or NULL: not comparable. */
static const char *fs_digest(const json_t *f, const char *alg)
{
	if (!alg)
		return NULL;
	if (!strcmp(alg, "sha256"))
		return jstr(f, "sha256");
	if (!strcmp(alg, "md5"))
		return jstr(f, "md5");
	return NULL;
}

static bool is_regular(const json_t *f)
{
	const char *t = jstr(f, "type");

	return t && (!strcmp(t, "file") || !strcmp(t, "hardlink"));
}

static bool is_dir(const json_t *f)
{
	const char *t = jstr(f, "type");

	return t && !strcmp(t, "dir");
}

/*
 * "missing", "changed" or NULL for one package-db file entry pf: changed
 * when the database's digest differs from the file's (a file that is no
 * longer a regular file differs too), when its optional mode differs
 * (files and directories) or its optional size differs (files).
 */
static const char *verify_status(const struct customs_policy_analysis *an,
				 const json_t *pf)
{
	const char *alg = jstr(pf, "algorithm"), *dig = jstr(pf, "digest");
	const char *mode = jstr(pf, "mode"), *sum;
	const json_t *f = strmap_get(&an->file_by_path, jstr(pf, "path"));
	const json_t *size = json_object_get(pf, "size");
	bool reg;

	if (!f)
		return "missing";
	reg = is_regular(f);
	sum = fs_digest(f, alg);
	if (dig && alg && (!strcmp(alg, "sha256") || !strcmp(alg, "md5")) &&
	    (!reg || (sum && strcasecmp(dig, sum))))
		return "changed";
	if (mode && *mode && (reg || is_dir(f)) &&
	    modes_differ(mode, file_st_mode(f)))
		return "changed";
	if (reg && json_is_integer(size) &&
	    json_integer_value(json_object_get(f, "size")) !=
		    json_integer_value(size))
		return "changed";
	return NULL;
}

static int verify_pkg(struct ectx *e, const struct prule *r, const json_t *p)
{
	const char *name = jstr(p, "name"), *check = P(r, 2), *st;
	json_t *files = json_object_get(p, "files"), *pf;
	size_t i;
	int rc;

	json_array_foreach(files, i, pf)
	{
		const char *path = jstr(pf, "path");

		if (!path || json_is_true(json_object_get(pf, "config")) ||
		    !under_dirs(P(r, 1), path))
			continue;
		st = verify_status(e->an, pf);
		if (!st || (check && strcmp(check, st)))
			continue;
		msgf(e,
		     "VERIFY check against package db for package '%s' failed "
		     "on entry '%s' with status: '%s'",
		     name, path, st);
		if ((rc = emit(e, NULL)))
			return rc;
	}
	return 0;
}

static int fire_verify(struct ectx *e, const struct prule *r)
{
	const json_t *p;
	size_t i;
	int rc;

	json_array_foreach(e->an->packages, i, p)
	{
		const char *name = jstr(p, "name");

		if (!name || (P(r, 0) && !csv_has(P(r, 0), name, strlen(name))))
			continue;
		if ((rc = verify_pkg(e, r, p)))
			return rc;
	}
	return 0;
}

static int fire_pkg_blacklist(struct ectx *e, const struct prule *r)
{
	struct cbuf ver = CBUF_INIT(4096), full = CBUF_INIT(4096);
	const json_t *p;
	size_t i;
	int rc = 0;

	json_array_foreach(e->an->packages, i, p)
	{
		const char *name = jstr(p, "name");

		if (!name || strcmp(name, P(r, 0)))
			continue;
		pkg_versions(p, &ver, &full);
		if (P(r, 1) && strcmp(ver.ptr, P(r, 1)))
			continue;
		if (P(r, 1))
			msgf(e, "Package is blacklisted: %s-%s", name, P(r, 1));
		else
			msgf(e, "Package is blacklisted: %s", name);
		if ((rc = emit(e, NULL)))
			break;
	}
	cbuf_release(&ver);
	cbuf_release(&full);
	return rc;
}

static const char *const exact_min[] = { "exact", "minimum", NULL };
static const char *const changed_missing[] = { "changed", "missing", NULL };

static const struct pspec p_required[] = {
	{ "name", NULL, true, V_STR, NULL,
	  "Name of package that must be "
	  "found installed in image.",
	  "libssl" },
	{ "version", NULL, false, V_STR, NULL,
	  "Optional version of package for exact version match.", "1.10.3rc3" },
	{ "version_match_type", NULL, false, V_ENUM, exact_min,
	  "The type of comparison to use for version if a version is "
	  "provided.",
	  "exact" },
};
static const struct pspec p_verify[] = {
	{ "only_packages", NULL, false, V_CSV, NULL,
	  "List of package names to limit verification.", "libssl,openssl" },
	{ "only_directories", NULL, false, V_CSV, NULL,
	  "List of directories to limit checks so as to avoid checks on all "
	  "dir",
	  "/usr,/var/lib" },
	{ "check", NULL, false, V_ENUM, changed_missing,
	  "Check to perform instead of all.", "changed" },
};
static const struct pspec p_pkg_bl[] = {
	{ "name", NULL, true, V_STR, NULL, "Package name to blacklist.",
	  "openssh-server" },
	{ "version", NULL, false, V_STR, NULL,
	  "Specific version of package to blacklist.", "1.0.1" },
};

static const struct tspec t_packages[] = {
	{ "required_package",
	  "Triggers if the specified package and optionally a specific "
	  "version is not found in the image.",
	  p_required, 3, fire_required },
	{ "verify",
	  "Check package integrity against package db in the image. "
	  "Triggers for changes or removal or content in all or the selected "
	  "\"dirs\" parameter if provided, and can filter type of check with "
	  "the \"check\" parameter.",
	  p_verify, 3, fire_verify },
	{ "blacklist",
	  "Triggers if the evaluated image has a package installed that "
	  "matches the named package optionally with a specific version as "
	  "well.",
	  p_pkg_bl, 2, fire_pkg_blacklist },
};

const struct gspec gate_packages = {
	"packages", "Distro Package checks",
	GS_ACTIVE,  NULL,
	t_packages, 3,
	NULL,	    false,
};
