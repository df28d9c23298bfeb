/*
 * Fuzz target for the OSV parser (src/vulndb/feed_osv.c, osv_affected.c)
 * through customs_feed_parse(). Besides memory errors it checks what the
 * writer relies on: every record has an id, every affected entry a
 * namespace and a name and either ranges or versions, and every range
 * expression is "*" or parses as a comparator list in the entry's scheme.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "customs/vulndb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_begin(void *arg, const char *source, bool snapshot)
{
	(void)arg;
	if (source || snapshot)
		abort();
	return 0;
}

static void check_affected(const struct customs_vuln_affected *a)
{
	struct customs_version_range *r = NULL;
	int rc;

	if (!a->namespace || !*a->namespace || !a->name)
		abort();
	if ((!a->ranges || !*a->ranges) && !a->n_versions)
		abort();
	for (size_t i = 0; i < a->n_versions; i++) {
		if (!a->versions[i] || !*a->versions[i] ||
		    strchr(a->versions[i], '\n'))
			abort();
	}
	/* "*" (every version) is the one expression that is no list */
	if (!a->ranges || !strcmp(a->ranges, "*"))
		return;
	rc = customs_version_range_parse_list(&r, a->scheme, a->ranges, NULL);
	if (rc && rc != CUSTOMS_ELIMIT && rc != CUSTOMS_ENOMEM)
		abort();
	customs_version_range_free(r);
}

static int on_record(void *arg, const struct customs_vuln_record *r)
{
	(void)arg;
	if (!r->id || !*r->id)
		abort();
	for (size_t i = 0; i < r->n_affected; i++)
		check_affected(&r->affected[i]);
	for (size_t i = 0; i < r->n_aliases; i++) {
		if (!r->aliases[i] || !strcmp(r->aliases[i], r->id))
			abort();
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct customs_vuln_sink sink = { on_begin, on_record, NULL,
					  NULL,	    NULL,      NULL };
	int rc;

	rc = customs_feed_parse(CUSTOMS_FEED_OSV, (const char *)data, size,
				"fuzz.json", &sink, NULL, NULL, NULL);
	if (rc && rc != CUSTOMS_EFORMAT && rc != CUSTOMS_ENOMEM &&
	    rc != CUSTOMS_ELIMIT)
		abort();
	return 0;
}
