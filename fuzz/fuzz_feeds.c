/*
 * Fuzz target for the non-OSV feed parsers (src/vulndb/feed_debian.c,
 * feed_alpine.c, feed_nvd.c, feed_kev.c, feed_epss.c). The first byte
 * picks the parser (modulo 5: debian, alpine, nvd, kev, epss), the rest is
 * the document. Besides memory errors it checks the sink contract: begin()
 * exactly once and before anything else, every row and entry complete,
 * and only the documented return codes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vulndb/feed_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int begins;

static void need(bool ok)
{
	if (!ok)
		abort();
}

static int f_begin(void *arg, const char *source, bool snapshot)
{
	(void)arg;
	(void)snapshot;
	need(source && *source);
	begins++;
	return 0;
}

static int f_record(void *arg, const struct customs_vuln_record *r)
{
	size_t i;

	(void)arg;
	need(begins == 1 && r->id && *r->id);
	for (i = 0; i < r->n_affected; i++) {
		const struct customs_vuln_affected *a = &r->affected[i];

		need(a->namespace && a->name && *a->name && a->ranges &&
		     *a->ranges);
		need(!a->n_fixed || (a->fixed[0] && *a->fixed[0]));
		need(strlen(a->ranges) >= 1);
	}
	for (i = 0; i < r->n_cvss; i++)
		need(r->cvss[i].version != NULL);
	for (i = 0; i < r->n_cpes; i++)
		need(r->cpes[i].criteria && r->cpes[i].config >= 0);
	for (i = 0; i < r->n_cwes; i++)
		need(!strncmp(r->cwes[i], "CWE-", 4));
	return 0;
}

static int f_kev(void *arg, const struct customs_vuln_kev *k)
{
	(void)arg;
	need(begins == 1 && k->cve && *k->cve);
	return 0;
}

static int f_epss(void *arg, const struct customs_vuln_epss *e)
{
	(void)arg;
	need(begins == 1 && e->cve && *e->cve);
	need(e->score >= 0 && e->score <= 1);
	need(e->percentile >= 0 && e->percentile <= 1);
	return 0;
}

static int f_meta(void *arg, const char *model, const char *date)
{
	(void)arg;
	(void)model;
	(void)date;
	need(begins == 1);
	return 0;
}

static void f_warn(void *arg, const char *msg)
{
	(void)arg;
	need(msg != NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const feed_parse_fn parsers[] = {
		feed_debian_parse, feed_alpine_parse, feed_nvd_parse,
		feed_kev_parse,	   feed_epss_parse,
	};
	static const feed_detect_fn detectors[] = {
		feed_debian_detect, feed_alpine_detect, feed_nvd_detect,
		feed_kev_detect,    feed_epss_detect,
	};
	struct customs_vuln_sink sink = { f_begin, f_record, f_kev,
					  f_epss,  f_meta,   NULL };
	struct feed_warn w = { f_warn, NULL };
	struct customs_ctx *ctx;
	size_t k;
	int rc;

	if (size < 1 || customs_ctx_new(&ctx))
		return 0;
	k = data[0] % 5;
	begins = 0;
	(void)detectors[k]((const char *)data + 1, size - 1, "fuzz");
	rc = parsers[k]((const char *)data + 1, size - 1, "fuzz", &sink, &w,
			ctx);
	need(rc == 0 || rc == CUSTOMS_EFORMAT || rc == CUSTOMS_ELIMIT ||
	     rc == CUSTOMS_ENOMEM);
	need(rc != 0 || begins == 1);
	customs_ctx_free(ctx);
	return 0;
}
