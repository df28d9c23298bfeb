#include "vulndb/vulndb_int.h"
int vulndb_cvss_compute(const char *vector, struct customs_cvss *out)
{
	return CUSTOMS_EFORMAT;
}
