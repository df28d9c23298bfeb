#include "vulndb/feed_int.h"
#include "util/error.h"
bool feed_osv_detect(const char *head, size_t len, const char *name)
{
	return false;
}
int feed_osv_parse(const char *data, size_t len, const char *name,
		   const struct customs_vuln_sink *sink,
		   const struct feed_warn *warn, struct customs_ctx *ctx)
{
	return CUSTOMS_EUNSUPPORTED;
}
