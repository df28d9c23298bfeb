/*
 * The registry client's insides, shared by client.c (scheme, retries,
 * errors), auth.c (challenges and tokens) and fetch.c (manifests and
 * blobs).
 */
#ifndef CUSTOMS_REGISTRY_CLIENT_PRIV_H
#define CUSTOMS_REGISTRY_CLIENT_PRIV_H

#include <pthread.h>

#include "registry/http.h"
#include "registry/registry_int.h"

struct reg_client {
	struct customs_ref ref; /* domain and path only */
	char *host; /* API host */
	char *base; /* "https://host" once the scheme is known */
	char *label;
	char *ca_file;
	bool insecure;
	bool plain_ok;
	int parallel;
	struct reg_creds creds;
	CURL *easy; /* the calling thread's handle */
	pthread_mutex_t lock; /* guards auth */
	char *auth; /* Authorization value; secret */
};

/**
 * Perform req with the current auth, retrying transient failures and
 * renewing the auth once on a 401. 0 when an HTTP answer came (look at
 * resp->status, and sink->too_big / io_error), CUSTOMS_EIO after the
 * last transport failure, CUSTOMS_ENOMEM.
 */
int reg_request(struct reg_client *c, CURL *easy, struct http_req *req,
		struct http_sink *sink, struct http_resp *resp,
		const char *what, struct customs_ctx *ctx);
/** The message for a non-2xx answer; ENOTFOUND for 404, else EIO. */
int reg_status_error(struct reg_client *c, const struct http_resp *r,
		     const char *what, struct customs_ctx *ctx);
/** Answer the challenge www: set c->auth (Basic, or a fetched token). */
int reg_authenticate(struct reg_client *c, CURL *easy, const char *www,
		     struct customs_ctx *ctx);
/** "BASE/v2/PATH/KIND/NAME" (heap). */
int reg_url(char **out, const struct reg_client *c, const char *kind,
	    const char *name, struct customs_ctx *ctx);
/** "Basic <base64 user:password>" (heap, secret), NULL on ENOMEM. */
char *reg_basic(const struct reg_creds *cr);
void reg_sleep_ms(long ms);
/**
 * Download blob digest (size bytes) into sink, named name ("layer 2") in
 * messages, verifying size and digest; cancel (or NULL) aborts it.
 */
int reg_blob_download(struct reg_client *c, CURL *easy, const char *digest,
		      uint64_t size, struct http_sink *sink, const char *name,
		      const atomic_int *cancel, struct customs_ctx *ctx);

#endif
