/*
 * Manifests and indexes kept in the blob cache, by digest, so a pull
 * that names a digest (repo@sha256:..., or an index entry) does not GET
 * it again, and a tag costs only a HEAD when the digest the HEAD gives
 * is cached (registries count manifest GETs against rate limits, not
 * HEADs). A cached manifest is a file of the content-addressed cache
 * like any blob: written to a temporary name and renamed, touched on
 * every hit, evicted by the same LRU rule. It is hashed again on every
 * read and used only when it has its digest; a damaged file is removed
 * and the manifest fetched. The media type is not kept: the JSON says
 * what it is (image_json_kind). Without a cache (--no-cache), or when
 * a HEAD gives no digest, this is reg_manifest_get(). Caching is best
 * effort: a cache that cannot be written costs only the next GET.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "registry/registry_int.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/fdio.h"
#include "util/hash.h"
#include "util/banned.h"

static bool read_fd(int fd, char *buf, size_t len)
{
	size_t got;

	return !customs_read_full(fd, buf, len, &got) && got == len;
}

/* 1 when buf has digest, 0 when not, CUSTOMS_ENOMEM. */
static int has_digest(const char *buf, size_t len, const char *digest)
{
	unsigned char want[32], got[32];

	if (customs_sha256_buf(got, buf, len))
		return CUSTOMS_ENOMEM;
	return customs_digest_parse(want, digest) && !memcmp(want, got, 32);
}

/*
 * The cached manifest of digest into *body (NUL-terminated, caller
 * frees): 0, 1 when it is not there (or damaged, then removed, or over
 * max), CUSTOMS_ENOMEM.
 */
static int cache_read(struct reg_cache *cache, const char *digest, char **body,
		      size_t *len, uint64_t max)
{
	uint64_t flen;
	char *buf;
	int fd, rc;

	if (!reg_cache_has(cache, digest, REG_SIZE_ANY) ||
	    reg_cache_open_blob(cache, digest, &fd, &flen, NULL))
		return 1;
	if (flen > max || flen > SIZE_MAX - 1) {
		close(fd);
		return 1;
	}
	buf = customs_malloc((size_t)flen + 1);
	if (!buf) {
		close(fd);
		return CUSTOMS_ENOMEM;
	}
	rc = read_fd(fd, buf, (size_t)flen)
		     ? has_digest(buf, (size_t)flen, digest)
		     : 0;
	close(fd);
	if (rc != 1) {
		customs_free(buf);
		if (rc == 0)
			reg_cache_remove(cache, digest);
		return rc == 0 ? 1 : rc;
	}
	buf[flen] = '\0';
	*body = buf;
	*len = (size_t)flen;
	return 0;
}

static void cache_store(struct reg_cache *cache, const char *digest,
			const char *body, size_t len)
{
	char tmp[128];
	bool ok;
	int fd;

	if (reg_cache_has(cache, digest, len) ||
	    reg_cache_begin(cache, digest, &fd, tmp, NULL))
		return;
	ok = !customs_write_all(fd, body, len);
	close(fd);
	if (ok)
		reg_cache_commit(cache, digest, tmp, NULL);
	else
		reg_cache_abort(cache, tmp);
}

/*
 * The digest a tag names, by HEAD; *digest NULL (and 0) when the
 * registry does not say or answers 404, so the caller GETs: the GET's
 * message has the registry's error code (a HEAD answer has no body).
 * Any other failure (authentication, transport after the retries) is
 * the caller's error, as a GET would have met it too.
 */
static int head_digest(char **digest, char **media_type, struct reg_client *c,
		       const char *tag, uint64_t max, struct customs_ctx *ctx)
{
	struct customs_ctx quiet = { 0, { 0 } };
	int rc = reg_manifest_get(c, tag, NULL, NULL, media_type, digest, max,
				  &quiet);

	if (!rc)
		return 0;
	customs_free(*digest);
	customs_free(*media_type);
	*digest = *media_type = NULL;
	if (rc == CUSTOMS_ENOTFOUND)
		return 0;
	if (!quiet.msg[0])
		return customs_error(ctx, rc, "%s: manifest '%s': %s",
				     reg_client_label(c), tag,
				     customs_strerror(rc));
	customs_error_copy(ctx, &quiet);
	return rc;
}

int reg_manifest_fetch(struct reg_client *c, struct reg_cache *cache,
		       const char *ref, char **body, size_t *len,
		       char **media_type, char **digest, uint64_t max,
		       struct customs_ctx *ctx)
{
	unsigned char sha[32];
	char *d = NULL, *mt = NULL;
	int rc;

	*media_type = *digest = NULL;
	if (!cache || cache->temporary)
		return reg_manifest_get(c, ref, body, len, media_type, digest,
					max, ctx);
	if (!customs_digest_parse(sha, ref)) {
		rc = head_digest(&d, &mt, c, ref, max, ctx);
		if (rc)
			return rc;
	} else if (!(d = customs_strdup(ref))) {
		return customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	}
	rc = d ? cache_read(cache, d, body, len, max) : 1;
	if (rc == 0) {
		*digest = d;
		*media_type = mt;
		return 0;
	}
	customs_free(d);
	customs_free(mt);
	if (rc == CUSTOMS_ENOMEM)
		return customs_error(ctx, rc, "out of memory");
	rc = reg_manifest_get(c, ref, body, len, media_type, digest, max, ctx);
	if (!rc)
		cache_store(cache, *digest, *body, *len);
	return rc;
}
