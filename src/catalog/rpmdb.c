/*
 * rpm-db-cataloger: the installed rpm packages of RHEL, CentOS, Fedora,
 * SUSE, Amazon Linux and friends, read from the package database the
 * image ships. Three on-disk formats hold the same thing (one header
 * blob per installed package):
 *
 *   rpmdb.sqlite  SQLite, table Packages(hnum, blob)    RHEL 9, Fedora 33+
 *   Packages      Berkeley DB hash, hnum -> blob         RHEL <= 8, AL2
 *   Packages.db   rpm's own NDB slot/blob file           SUSE
 *
 * at var/lib/rpm/, usr/lib/sysimage/rpm/ or usr/share/rpm/. The format is
 * chosen by the file's magic bytes, not its name, so a renamed or
 * converted database still reads. Each reader is bounded by the file it
 * is given and turns every inconsistency into a warning; the header
 * parser does the same for each record, so one bad record costs one
 * package, never the database.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "catalog/rpmdb_int.h"
#include "util/buf.h"
#include "util/banned.h"

#define SQLITE_MAGIC "SQLite format 3"
#define BDB_HASH_MAGIC 0x061561u
#define BDB_BTREE_MAGIC 0x053162u

static const struct customs_want wants[] = {
	{ CUSTOMS_WANT_PATH, "var/lib/rpm/rpmdb.sqlite" },
	{ CUSTOMS_WANT_PATH, "var/lib/rpm/Packages" },
	{ CUSTOMS_WANT_PATH, "var/lib/rpm/Packages.db" },
	{ CUSTOMS_WANT_PATH, "usr/lib/sysimage/rpm/rpmdb.sqlite" },
	{ CUSTOMS_WANT_PATH, "usr/lib/sysimage/rpm/Packages" },
	{ CUSTOMS_WANT_PATH, "usr/lib/sysimage/rpm/Packages.db" },
	{ CUSTOMS_WANT_PATH, "usr/share/rpm/rpmdb.sqlite" },
	{ CUSTOMS_WANT_PATH, "usr/share/rpm/Packages" },
	{ CUSTOMS_WANT_PATH, "usr/share/rpm/Packages.db" },
};

int rpm_warn(struct rpm_ctx *c, const char *fmt, ...)
{
	struct cbuf b;
	va_list ap;
	int rc;

	if (c->n_warnings++ >= RPMDB_MAX_WARNINGS)
		return 0;
	cbuf_init(&b, 4096);
	va_start(ap, fmt);
	cbuf_vprintf(&b, fmt, ap);
	va_end(ap);
	rc = cbuf_error(&b) == CUSTOMS_ENOMEM ? CUSTOMS_ENOMEM
					      : cat_warn(c->res, "%s", b.ptr);
	cbuf_release(&b);
	return rc;
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[1] << 8 | p[0];
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static bool bdb_magic(uint32_t m)
{
	return m == BDB_HASH_MAGIC || m == BDB_BTREE_MAGIC;
}

enum rpmdb_format rpmdb_sniff(const unsigned char *data, size_t len)
{
	if (len >= sizeof(SQLITE_MAGIC) &&
	    !memcmp(data, SQLITE_MAGIC, sizeof(SQLITE_MAGIC)))
		return RPMDB_SQLITE;
	if (len >= 4 && !memcmp(data, "RpmP", 4))
		return RPMDB_NDB;
	if (len >= 16 &&
	    (bdb_magic(le32(data + 12)) || bdb_magic(be32(data + 12))))
		return RPMDB_BDB;
	return RPMDB_UNKNOWN;
}

static int parse(const struct cat_input *in, struct cat_result *res)
{
	struct rpm_ctx c = { in, res, 0 };
	int rc = 0;

	/* rpm leaves empty files behind for backends it does not use */
	if (!in->len)
		return 0;
	switch (rpmdb_sniff(in->data, in->len)) {
	case RPMDB_SQLITE:
		rc = rpm_sqlite_each(&c, in->data, in->len, rpm_header_to_pkg);
		break;
	case RPMDB_BDB:
		rc = rpm_bdb_each(&c, in->data, in->len, rpm_header_to_pkg);
		break;
	case RPMDB_NDB:
		rc = rpm_ndb_each(&c, in->data, in->len, rpm_header_to_pkg);
		break;
	default:
		rc = rpm_warn(&c, "not an rpm database (no SQLite, Berkeley "
				  "DB or NDB magic)");
	}
	if (!rc && c.n_warnings > RPMDB_MAX_WARNINGS)
		rc = cat_warn(res, "%u more warnings about this database",
			      c.n_warnings - RPMDB_MAX_WARNINGS);
	return rc;
}

const struct cataloger cat_rpmdb = {
	.name = "rpm-db-cataloger",
	.tags = "os rpm",
	.wants = wants,
	.n_wants = sizeof(wants) / sizeof(wants[0]),
	.max_bytes = RPMDB_MAX_BYTES,
	.flags = CAT_IMAGE | CAT_OS,
	.parse = parse,
};
