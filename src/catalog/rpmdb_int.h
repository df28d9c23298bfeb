/*
 * The rpm-db-cataloger's parts: three database readers (SQLite, Berkeley
 * DB hash, NDB) that hand every stored header blob to one callback, and
 * the header-to-package step they share. Readers are pure and bounded;
 * every problem with the file is a warning through rpm_warn(), which
 * caps how many one file can produce.
 */
#ifndef CUSTOMS_CATALOG_RPMDB_INT_H
#define CUSTOMS_CATALOG_RPMDB_INT_H

#include "catalog/catalog_int.h"

/* Largest database file read (bytes); larger ones are read truncated. */
#define RPMDB_MAX_BYTES ((size_t)512 << 20)
/* Warnings kept per database file; the rest are counted. */
#define RPMDB_MAX_WARNINGS 64

struct rpm_ctx {
	const struct cat_input *in;
	struct cat_result *res;
	unsigned n_warnings;
};

/*
 * Called once per stored header blob; where names the record for
 * warnings ("record 12", "slot 3"). Returns 0 or CUSTOMS_ENOMEM.
 */
typedef int (*rpm_blob_fn)(struct rpm_ctx *c, const unsigned char *blob,
			   size_t len, const char *where);

/* A warning about the file (printf-style). 0 or CUSTOMS_ENOMEM. */
int rpm_warn(struct rpm_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Each reader walks data (the whole database file) and calls fn for
 * every header blob it finds. 0 or CUSTOMS_ENOMEM (fn's code
 * unchanged).
 */
int rpm_sqlite_each(struct rpm_ctx *c, const unsigned char *data, size_t len,
		    rpm_blob_fn fn);
int rpm_bdb_each(struct rpm_ctx *c, const unsigned char *data, size_t len,
		 rpm_blob_fn fn);
int rpm_ndb_each(struct rpm_ctx *c, const unsigned char *data, size_t len,
		 rpm_blob_fn fn);

/* Which reader a file's first bytes call for. */
enum rpmdb_format {
	RPMDB_UNKNOWN,
	RPMDB_SQLITE,
	RPMDB_BDB,
	RPMDB_NDB,
};

enum rpmdb_format rpmdb_sniff(const unsigned char *data, size_t len);

/*
 * Turn one header blob into a package on c->res (rpm_blob_fn). A
 * malformed header is a warning naming where; gpg-pubkey pseudo-packages
 * are skipped.
 */
int rpm_header_to_pkg(struct rpm_ctx *c, const unsigned char *blob, size_t len,
		      const char *where);

/* The cataloger (registry.c). */
extern const struct cataloger cat_rpmdb;

#endif
