/*
 * Upper-case HTTP_PROXY for plain-HTTP URLs (see proxyenv.h), shared by
 * the two libcurl clients: registry pulls and `customs db update`.
 */
#include <stdlib.h>
#include <strings.h>

#include "util/proxyenv.h"
#include "util/banned.h"

const char *customs_upper_http_proxy(const char *url)
{
	const char *p;

	if (strncasecmp(url, "http://", 7) || getenv("http_proxy") ||
	    getenv("REQUEST_METHOD"))
		return NULL;
	p = getenv("HTTP_PROXY");
	return p && *p ? p : NULL;
}
