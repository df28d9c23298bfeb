/*
 * One HTTP exchange over libcurl, as the registry client needs it: GET
 * or HEAD with Accept, Authorization and Range headers (or a form POST to
 * a token server), the body into
 * memory (bounded) or onto a file descriptor (hashed as it arrives and
 * resumable), and the few response headers the protocol uses. Retries
 * and authentication are the caller's (client.c). libcurl is loaded on
 * first use: http_global_init() before anything else.
 */
#ifndef CUSTOMS_REGISTRY_HTTP_H
#define CUSTOMS_REGISTRY_HTTP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/dyncurl.h"
#include "util/hash.h"

/* Where a successful (2xx) body goes; kept across attempts for resume. */
struct http_sink {
	struct cbuf *mem; /* or: */
	int fd; /* -1 when mem is used */
	struct customs_sha256 *sha; /* fed with every byte kept, or NULL */
	uint64_t max; /* body bytes allowed */
	uint64_t written; /* bytes kept so far (the resume point) */
	bool too_big;
	bool io_error;
	/* A file someone reads while it grows: never truncated; a 200 to a
	 * Range request has its first `written` bytes skipped instead. */
	bool append_only;
	uint64_t skip; /* body bytes still to drop (append_only) */
	/* Called after every write with the new `written`, or NULL. */
	void (*on_write)(void *arg, uint64_t written);
	void *arg;
};

struct http_req {
	bool head;
	const char *url;
	/* A POST of this application/x-www-form-urlencoded body, or NULL;
	 * secret (wiped by the caller). */
	const char *form;
	const char *accept; /* Accept header value, or NULL */
	const char *auth; /* Authorization header value, or NULL; secret */
	const char *ca_file;
	bool insecure; /* do not verify the peer */
	bool range; /* ask for bytes from sink->written on */
	const atomic_int *cancel; /* when set non-zero: abort, or NULL */
};

struct http_resp {
	long status;
	CURLcode cc;
	char err[CURL_ERROR_SIZE];
	char *content_type;
	char *digest; /* Docker-Content-Digest */
	char *www_auth;
	char *error_body; /* start of a non-2xx body, for messages */
	long retry_after; /* seconds, -1 when absent */
};

/**
 * Process-wide libcurl loading and initialisation, before any other
 * call here; safe to call often. 0, or CUSTOMS_EUNSUPPORTED when libcurl
 * cannot be loaded (the message on ctx).
 */
int http_global_init(struct customs_ctx *ctx);
/** Perform req once on easy (reset here). 0, or CUSTOMS_ENOMEM. */
int http_do(CURL *easy, const struct http_req *req, struct http_sink *sink,
	    struct http_resp *resp);
void http_resp_release(struct http_resp *resp);
/** True for transport failures worth another attempt. */
bool http_transient(CURLcode cc);
/** The registry's error code from a JSON error body ("MANIFEST_UNKNOWN"),
 * copied into out (size n), or "" when none. */
void http_error_code(char *out, size_t n, const char *body);

#endif
