/*
 * Manifests and blobs. A manifest is read whole (bounded) with an Accept
 * header listing every kind we read, and its SHA-256 is computed: it
 * must equal the digest asked for, and the Docker-Content-Digest header
 * when the registry sends one. A blob is hashed as it arrives (into
 * memory or a file of the cache, see pull.c); a broken transfer resumes
 * with Range; the size and digest are checked at the end.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "registry/client_priv.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/banned.h"

#define ACCEPT_MANIFESTS                                              \
	"application/vnd.oci.image.index.v1+json, "                   \
	"application/vnd.docker.distribution.manifest.list.v2+json, " \
	"application/vnd.oci.image.manifest.v1+json, "                \
	"application/vnd.docker.distribution.manifest.v2+json, "      \
	"application/vnd.docker.distribution.manifest.v1+prettyjws;q=0.1"

static int dup_out(char **out, const char *s)
{
	*out = s ? customs_strdup(s) : NULL;
	return s && !*out ? CUSTOMS_ENOMEM : 0;
}

/* Content-Type without parameters. */
static void strip_params(char *s)
{
	if (s)
		s[strcspn(s, "; ")] = '\0';
}

static int check_manifest_digest(struct reg_client *c, const char *asked,
				 const char *header, const char *computed,
				 struct customs_ctx *ctx)
{
	if (!strncmp(asked, "sha256:", 7) && strcmp(asked, computed))
		return customs_error(ctx, CUSTOMS_EDIGEST,
				     "%s: manifest %s: content has digest %s",
				     c->label, asked, computed);
	if (header && !strncmp(header, "sha256:", 7) &&
	    strcmp(header, computed))
		return customs_error(ctx, CUSTOMS_EDIGEST,
				     "%s: manifest %s: content has digest %s "
				     "but the registry says %s",
				     c->label, asked, computed, header);
	return 0;
}

static int manifest_result(struct reg_client *c, const char *ref,
			   struct http_resp *r, struct http_sink *sink,
			   char **body, size_t *len, char **media_type,
			   char **digest, struct customs_ctx *ctx)
{
	unsigned char sha[32];
	char computed[72];

	strip_params(r->content_type);
	if (dup_out(media_type, r->content_type))
		return customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	if (!body)
		return r->digest && customs_digest_parse(sha, r->digest)
			       ? dup_out(digest, r->digest)
			       : CUSTOMS_ENOTFOUND; /* HEAD without digest */
	customs_sha256_final(sink->sha, sha);
	customs_digest_str(computed, sha);
	if (check_manifest_digest(c, ref, r->digest, computed, ctx))
		return CUSTOMS_EDIGEST;
	*len = sink->mem->len;
	*body = cbuf_detach(sink->mem);
	if (!*body || dup_out(digest, computed))
		return customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	return 0;
}

int reg_manifest_get(struct reg_client *c, const char *ref, char **body,
		     size_t *len, char **media_type, char **digest,
		     uint64_t max, struct customs_ctx *ctx)
{
	struct cbuf mem = CBUF_INIT(max + 1);
	struct http_sink sink = { .mem = &mem, .fd = -1, .max = max };
	struct http_req req = { .head = !body, .accept = ACCEPT_MANIFESTS };
	struct http_resp r;
	char what[200], *url = NULL;
	int rc;

	memset(&r, 0, sizeof(r));
	*media_type = *digest = NULL;
	snprintf(what, sizeof(what), "manifest '%s'", ref);
	sink.sha = customs_sha256_new();
	rc = sink.sha ? reg_url(&url, c, "manifests", ref, ctx)
		      : customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	req.url = url;
	req.ca_file = c->ca_file;
	req.insecure = c->insecure;
	if (!rc)
		rc = reg_request(c, c->easy, &req, &sink, &r, what, ctx);
	if (!rc && sink.too_big)
		rc = customs_error(ctx, CUSTOMS_ELIMIT,
				   "%s: %s: larger than max_manifest_bytes "
				   "(%" PRIu64 ")",
				   c->label, what, max);
	else if (!rc && (r.status < 200 || r.status >= 300))
		rc = reg_status_error(c, &r, what, ctx);
	else if (!rc)
		rc = manifest_result(c, ref, &r, &sink, body, len, media_type,
				     digest, ctx);
	customs_sha256_free(sink.sha);
	cbuf_release(&mem);
	customs_free(url);
	http_resp_release(&r);
	return rc;
}

int reg_blob_download(struct reg_client *c, CURL *easy, const char *digest,
		      uint64_t size, struct http_sink *sink, const char *name,
		      const atomic_int *cancel, struct customs_ctx *ctx)
{
	struct http_req req = { .head = false, .range = true };
	struct http_resp r;
	unsigned char sha[32];
	char what[200], got[72], *url = NULL;
	int rc;

	memset(&r, 0, sizeof(r));
	snprintf(what, sizeof(what), "%s blob %s", name, digest);
	rc = reg_url(&url, c, "blobs", digest, ctx);
	req.url = url;
	req.ca_file = c->ca_file;
	req.insecure = c->insecure;
	req.cancel = cancel;
	if (!rc)
		rc = reg_request(c, easy, &req, sink, &r, what, ctx);
	if (!rc && sink->too_big)
		rc = customs_error(ctx, CUSTOMS_EDIGEST,
				   "%s: %s: more than the %" PRIu64
				   " bytes the manifest says",
				   c->label, what, size);
	else if (!rc && sink->io_error)
		rc = customs_error(ctx, CUSTOMS_EIO,
				   "%s: %s: writing the cache failed", c->label,
				   what);
	else if (!rc && (r.status < 200 || r.status >= 300))
		rc = reg_status_error(c, &r, what, ctx);
	else if (!rc && sink->written != size)
		rc = customs_error(ctx, CUSTOMS_EDIGEST,
				   "%s: %s: got %" PRIu64
				   " bytes but the manifest says %" PRIu64,
				   c->label, what, sink->written, size);
	if (!rc && sink->sha) { /* else the reader of the file checks it */
		customs_sha256_final(sink->sha, sha);
		customs_digest_str(got, sha);
		if (strcmp(got, digest))
			rc = customs_error(ctx, CUSTOMS_EDIGEST,
					   "%s: %s: digest mismatch: content "
					   "has %s",
					   c->label, what, got);
	}
	customs_free(url);
	http_resp_release(&r);
	return rc;
}
