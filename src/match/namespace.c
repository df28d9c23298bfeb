/*
 * Distro namespaces: which vulnerability namespaces hold the data for the
 * distribution an SBOM names (os-release ID and VERSION_ID).
 *
 * Rules (docs/internals/matching.md has the table): the ID is lower-cased
 * and mapped through an alias table (raspbian -> debian, ...); the version
 * keeps as many dot-separated parts as the feeds use for that distro
 * (Debian and the RHEL family: major; Alpine and Ubuntu: major.minor);
 * clones of RHEL list their own namespace first and "rhel:<major>" after
 * it, so the matcher takes the first one the database has. Rolling
 * distros have a fixed label. Output is a list of candidates, most
 * specific first; the matcher never searches more than one of them.
 */
#include <ctype.h>
#include <string.h>

#include "match/match_int.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/banned.h"

enum ver_parts {
	PARTS_MAJOR, /* "12.5" -> "12" */
	PARTS_MINOR, /* "3.18.4" -> "3.18" */
	PARTS_ROLLING, /* no version: a fixed label */
};

struct distro_rule {
	const char *id; /* os-release ID */
	const char *ns; /* namespace prefix */
	enum ver_parts parts;
	const char *label; /* PARTS_ROLLING label, or version fallback */
	const char *also; /* a second prefix to try (RHEL clones) */
};

static const struct distro_rule rules[] = {
	{ "debian", "debian", PARTS_MAJOR, "unstable", NULL },
	{ "raspbian", "debian", PARTS_MAJOR, "unstable", NULL },
	{ "ubuntu", "ubuntu", PARTS_MINOR, NULL, NULL },
	{ "alpine", "alpine", PARTS_MINOR, "edge", NULL },
	{ "postmarketos", "alpine", PARTS_MINOR, "edge", NULL },
	{ "rhel", "rhel", PARTS_MAJOR, NULL, NULL },
	{ "redhat", "rhel", PARTS_MAJOR, NULL, NULL },
	{ "centos", "centos", PARTS_MAJOR, NULL, "rhel" },
	{ "rocky", "rocky", PARTS_MAJOR, NULL, "rhel" },
	{ "rockylinux", "rocky", PARTS_MAJOR, NULL, "rhel" },
	{ "almalinux", "almalinux", PARTS_MAJOR, NULL, "rhel" },
	{ "alma", "almalinux", PARTS_MAJOR, NULL, "rhel" },
	{ "scientific", "rhel", PARTS_MAJOR, NULL, NULL },
	{ "ol", "ol", PARTS_MAJOR, NULL, NULL },
	{ "oracle", "ol", PARTS_MAJOR, NULL, NULL },
	{ "amzn", "amzn", PARTS_MAJOR, NULL, NULL },
	{ "fedora", "fedora", PARTS_MAJOR, NULL, NULL },
	{ "sles", "sles", PARTS_MINOR, NULL, NULL },
	{ "opensuse-leap", "opensuse-leap", PARTS_MINOR, NULL, NULL },
	{ "mariner", "mariner", PARTS_MINOR, NULL, NULL },
	{ "azurelinux", "azurelinux", PARTS_MINOR, NULL, NULL },
	{ "photon", "photon", PARTS_MAJOR, NULL, NULL },
	{ "wolfi", "wolfi", PARTS_ROLLING, "rolling", NULL },
	{ "chainguard", "chainguard", PARTS_ROLLING, "rolling", NULL },
	{ "arch", "archlinux", PARTS_ROLLING, "rolling", NULL },
	{ "archlinux", "archlinux", PARTS_ROLLING, "rolling", NULL },
};

static const struct distro_rule *find_rule(const char *id)
{
	size_t i;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (!strcasecmp(rules[i].id, id))
			return &rules[i];
	return NULL;
}

/* The leading parts of version ("3.18.4", 2 -> "3.18") into b; false
 * when version does not start with a number. */
static bool leading_parts(struct cbuf *b, const char *version, int parts)
{
	const char *p = version;
	int seen = 0;

	if (!isdigit((unsigned char)*p))
		return false;
	while (*p && seen < parts) {
		const char *start = p;

		while (isdigit((unsigned char)*p))
			p++;
		if (p == start)
			break;
		if (seen)
			cbuf_putc(b, '.');
		cbuf_put(b, start, (size_t)(p - start));
		seen++;
		if (*p != '.')
			break;
		p++;
	}
	return true;
}

static int add_ns(struct customs_strlist *out, const char *prefix,
		  const char *ver)
{
	struct cbuf b = CBUF_INIT(256);
	size_t i;
	int rc;

	cbuf_printf(&b, "%s:%s", prefix, ver);
	rc = cbuf_error(&b);
	for (i = 0; !rc && i < out->n; i++)
		if (!strcmp(out->v[i], b.ptr))
			goto out;
	if (!rc)
		rc = customs_strlist_add(out, b.ptr);
out:
	cbuf_release(&b);
	return rc;
}

/* "sles:15.5" falls back to "sles:15". */
static int add_major(struct customs_strlist *out, const char *prefix,
		     const char *ver)
{
	struct cbuf major = CBUF_INIT(64);
	int rc = 0;

	if (leading_parts(&major, ver, 1))
		rc = cbuf_error(&major) ? cbuf_error(&major)
					: add_ns(out, prefix, major.ptr);
	cbuf_release(&major);
	return rc;
}

/* The version part of a rule's namespace into ver ("" when none). */
static void rule_version(struct cbuf *ver, const struct distro_rule *r,
			 const char *version_id)
{
	bool ok = false;

	if (r->parts == PARTS_ROLLING) {
		cbuf_puts(ver, r->label);
		return;
	}
	if (version_id && !strcmp(r->ns, "alpine") &&
	    strstr(version_id, "_alpha")) {
		cbuf_puts(ver, "edge");
		return;
	}
	if (version_id && *version_id)
		ok = leading_parts(ver, version_id,
				   r->parts == PARTS_MINOR ? 2 : 1);
	if (!ok && version_id && *version_id) {
		/* a codename or label: "sid", "edge" */
		cbuf_reset(ver);
		cbuf_puts(ver, !strcasecmp(version_id, "sid") ? "unstable"
							      : version_id);
	} else if (!ok && r->label) {
		cbuf_puts(ver, r->label);
	}
}

/* An unknown ID: "<id>:<version>" as given, then its major. */
static int unknown_distro(struct customs_strlist *out, const char *id,
			  const char *version_id)
{
	struct cbuf lid = CBUF_INIT(128), major = CBUF_INIT(64);
	size_t i;
	int rc = 0;

	for (i = 0; id[i]; i++)
		cbuf_putc(&lid, (char)tolower((unsigned char)id[i]));
	if (version_id && *version_id)
		rc = add_ns(out, lid.ptr, version_id);
	if (!rc && version_id && leading_parts(&major, version_id, 1))
		rc = add_ns(out, lid.ptr, major.ptr);
	if (!rc)
		rc = cbuf_error(&lid) ? cbuf_error(&lid) : cbuf_error(&major);
	cbuf_release(&lid);
	cbuf_release(&major);
	return rc;
}

int customs_match_distro_namespaces(struct customs_strlist *out, const char *id,
				    const char *version_id)
{
	const struct distro_rule *r;
	struct cbuf ver = CBUF_INIT(128);
	int rc = 0;

	if (!id || !*id)
		return 0;
	r = find_rule(id);
	if (!r)
		return unknown_distro(out, id, version_id);
	rule_version(&ver, r, version_id);
	if (!ver.len)
		goto out;
	rc = cbuf_error(&ver);
	if (!rc)
		rc = add_ns(out, r->ns, ver.ptr);
	if (!rc && r->also)
		rc = add_ns(out, r->also, ver.ptr);
	if (!rc && r->parts == PARTS_MINOR && strchr(ver.ptr, '.'))
		rc = add_major(out, r->ns, ver.ptr);
out:
	cbuf_release(&ver);
	return rc;
}
