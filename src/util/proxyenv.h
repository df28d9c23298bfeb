/*
 * The proxy environment variable libcurl does not read itself.
 */
#ifndef CUSTOMS_UTIL_PROXYENV_H
#define CUSTOMS_UTIL_PROXYENV_H

/**
 * Upper-case HTTP_PROXY for an http:// URL, as Docker and Go read it:
 * libcurl ignores it (a CGI guard: under CGI it may come from a request's
 * "Proxy:" header), so a caller passes the result as CURLOPT_PROXY. Only
 * when http_proxy is unset and not under CGI (REQUEST_METHOD set); NULL
 * otherwise (no_proxy/NO_PROXY still apply, libcurl reads those). The
 * string is the environment's: valid until it changes.
 */
const char *customs_upper_http_proxy(const char *url);

#endif
