/*
 * Manifests and blobs. A manifest is read whole (bounded) with an Accept
 * header listing every kind we read, and its SHA-256 is computed: it
 * must equal the digest asked for, and the Docker-Content-Digest header
 * when the registry sends one. A blob goes to a temporary file of the
 * cache, hashed as it arrives; a broken transfer resumes with Range;
 * only a blob of the right size and digest is renamed into place. Layer
 * blobs are fetched by a small pool of threads, each with its own curl
 * handle and context; the first failure is reported and stops the
 * others from starting more.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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

#define MAX_THREADS 16

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

/* Download one blob into sink (mem or fd), verify size and digest. */
static int blob_download(struct reg_client *c, CURL *easy, const char *digest,
			 uint64_t size, struct http_sink *sink,
			 const char *name, struct customs_ctx *ctx)
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
	if (!rc) {
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

int reg_blob_get(struct reg_client *c, const char *digest, uint64_t size,
		 char **body, size_t *len, struct customs_ctx *ctx)
{
	struct cbuf mem = CBUF_INIT(size + 1);
	struct http_sink sink = { .mem = &mem, .fd = -1, .max = size };
	int rc;

	sink.sha = customs_sha256_new();
	if (!sink.sha)
		return customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	rc = blob_download(c, c->easy, digest, size, &sink, "config", ctx);
	if (!rc) {
		*len = mem.len;
		*body = cbuf_detach(&mem);
		if (!*body)
			rc = customs_error(ctx, CUSTOMS_ENOMEM,
					   "out of memory");
	}
	customs_sha256_free(sink.sha);
	cbuf_release(&mem);
	return rc;
}

/* The shared state of a parallel fetch. */
struct pool {
	struct reg_client *c;
	struct reg_cache *cache;
	const char *const *digests;
	const uint64_t *sizes;
	const char *const *names;
	size_t n;
	size_t next;
	size_t downloaded;
	int rc;
	struct customs_ctx err;
	pthread_mutex_t lock;
};

static int fetch_one(struct pool *p, CURL *easy, size_t i,
		     struct customs_ctx *ctx)
{
	struct http_sink sink = { .fd = -1, .max = p->sizes[i] };
	char tmp[128];
	int rc;

	rc = reg_cache_begin(p->cache, p->digests[i], &sink.fd, tmp, ctx);
	if (rc)
		return rc;
	sink.sha = customs_sha256_new();
	rc = sink.sha ? blob_download(p->c, easy, p->digests[i], p->sizes[i],
				      &sink, p->names[i], ctx)
		      : customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	customs_sha256_free(sink.sha);
	if (close(sink.fd) && !rc)
		rc = customs_error(ctx, CUSTOMS_EIO, "%s: writing the cache",
				   p->c->label);
	if (rc)
		reg_cache_abort(p->cache, tmp);
	else
		rc = reg_cache_commit(p->cache, p->digests[i], tmp, ctx);
	return rc;
}

/* Next blob not yet in the cache, or n. */
static size_t take(struct pool *p)
{
	size_t i;

	pthread_mutex_lock(&p->lock);
	while (p->next < p->n && !p->rc &&
	       reg_cache_has(p->cache, p->digests[p->next], p->sizes[p->next]))
		p->next++;
	i = p->rc ? p->n : p->next;
	if (i < p->n)
		p->next++;
	pthread_mutex_unlock(&p->lock);
	return i;
}

static void *worker(void *arg)
{
	struct pool *p = arg;
	struct customs_ctx ctx;
	CURL *easy = curl_easy_init();
	size_t i;
	int rc = easy ? 0 : CUSTOMS_ENOMEM;

	memset(&ctx, 0, sizeof(ctx));

	while (!rc && (i = take(p)) < p->n) {
		rc = fetch_one(p, easy, i, &ctx);
		pthread_mutex_lock(&p->lock);
		if (!rc)
			p->downloaded++;
		pthread_mutex_unlock(&p->lock);
	}
	pthread_mutex_lock(&p->lock);
	if (rc && !p->rc) {
		p->rc = rc;
		if (ctx.code)
			customs_error_copy(&p->err, &ctx);
		else
			customs_error(&p->err, rc, "out of memory");
	}
	pthread_mutex_unlock(&p->lock);
	if (easy)
		curl_easy_cleanup(easy);
	return NULL;
}

int reg_blobs_fetch(struct reg_client *c, struct reg_cache *cache,
		    const char *const *digests, const uint64_t *sizes,
		    const char *const *names, size_t n, size_t *downloaded,
		    struct customs_ctx *ctx)
{
	struct pool p;
	pthread_t th[MAX_THREADS];
	size_t k, started = 0;
	size_t want =
		(size_t)(c->parallel < MAX_THREADS ? c->parallel : MAX_THREADS);

	memset(&p, 0, sizeof(p));
	p.c = c;
	p.cache = cache;
	p.digests = digests;
	p.sizes = sizes;
	p.names = names;
	p.n = n;
	pthread_mutex_init(&p.lock, NULL);
	if (want > n)
		want = n;
	for (k = 0; k < want; k++) {
		if (pthread_create(&th[k], NULL, worker, &p))
			break;
		started++;
	}
	if (!started && n)
		worker(&p);
	for (k = 0; k < started; k++)
		pthread_join(th[k], NULL);
	pthread_mutex_destroy(&p.lock);
	*downloaded = p.downloaded;
	if (p.rc)
		customs_error_copy(ctx, &p.err);
	return p.rc;
}
