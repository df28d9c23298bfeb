/*
 * The OSV parser's per-record builder, shared by feed_osv.c (documents,
 * records, severities, aliases) and osv_affected.c (affected[] entries,
 * ecosystems and ranges).
 */
#ifndef CUSTOMS_VULNDB_FEED_OSV_H
#define CUSTOMS_VULNDB_FEED_OSV_H

#include <jansson.h>

#include "util/arena.h"
#include "util/buf.h"
#include "vulndb/feed_int.h"

struct osv {
	const char *name; /* the document, for warnings */
	const struct feed_warn *warn;
	struct customs_ctx *ctx;
	const char *id; /* the record being built */
	struct arena a; /* the record's strings and arrays */
	const char **aliases;
	size_t n_aliases, cap_aliases;
	struct customs_cvss *cvss;
	size_t n_cvss, cap_cvss;
	struct customs_vuln_affected *aff;
	size_t n_aff, cap_aff;
	const char **cwes;
	size_t n_cwes, cap_cwes;
	struct cbuf rb; /* a range expression being built */
};

/** json_string_value of key in obj, or NULL when absent or not a string. */
const char *osv_str(const json_t *obj, const char *key);

/** Add a CVSS rating of a severity[] entry ({type, score}); 0 or ENOMEM. */
int osv_add_severity(struct osv *o, const json_t *sev,
		     enum customs_severity *word);

/** Convert affected[] into o->aff (entries that cannot match skipped). */
int osv_affected(struct osv *o, const json_t *affected);

#endif
