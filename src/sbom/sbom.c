/*
 * SBOM documents in and out: format names, the write entry point, the
 * content-derived document ids and the licence classification every
 * writer shares.
 */
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "customs/sbom.h"
#include "sbom/sbom_int.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/hash.h"
#include "util/strmap.h"
#include "util/banned.h"

static const char *const format_names[] = {
	[CUSTOMS_SBOM_JSON] = "json",
	[CUSTOMS_SBOM_CYCLONEDX_JSON] = "cyclonedx-json",
	[CUSTOMS_SBOM_SPDX_JSON] = "spdx-json",
};

int customs_sbom_format_parse(enum customs_sbom_format *out, const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++) {
		if (!strcmp(name, format_names[i])) {
			*out = (enum customs_sbom_format)i;
			return 0;
		}
	}
	return CUSTOMS_ENOTFOUND;
}

struct file_out {
	FILE *f;
	off_t base; /* where the document starts in the file */
};

static int file_sink(void *arg, const char *p, size_t n)
{
	struct file_out *fo = arg;

	return fwrite(p, 1, n, fo->f) == n ? 0 : CUSTOMS_EIO;
}

static int file_patch(void *arg, uint64_t off, const char *p, size_t n)
{
	struct file_out *fo = arg;

	if (fflush(fo->f))
		return CUSTOMS_EIO;
	return pwrite(fileno(fo->f), p, n, fo->base + (off_t)off) == (ssize_t)n
		       ? 0
		       : CUSTOMS_EIO;
}

/* Can what is written to f be rewritten in place? A regular file not
 * opened for appending can (pwrite ignores the offset with O_APPEND). */
static bool patchable(struct file_out *fo)
{
	struct stat st;
	int fd = fileno(fo->f), fl;

	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode))
		return false;
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || (fl & O_APPEND))
		return false;
	fo->base = ftello(fo->f);
	return fo->base >= 0;
}

static int hash_sink(void *arg, const char *p, size_t n)
{
	customs_sha256_update(arg, p, n);
	return 0;
}

int sbom_uuid(char out[37], const struct customs_sbom *s,
	      const struct customs_sbom_write_opts *o)
{
	struct customs_sha256 *h = customs_sha256_new();
	unsigned char d[32];
	char hex[33];
	struct jw *w;
	int rc = 0;

	if (!h)
		return CUSTOMS_ENOMEM;
	if (o->namespace_seed) {
		customs_sha256_update(h, o->namespace_seed,
				      strlen(o->namespace_seed));
	} else {
		w = customs_malloc(sizeof(*w));
		if (!w) {
			customs_sha256_free(h);
			return CUSTOMS_ENOMEM;
		}
		jw_init(w, hash_sink, h);
		rc = sbom_write_native(w, s, o);
		jw_end(w);
		customs_free(w);
	}
	customs_sha256_final(h, d);
	customs_sha256_free(h);
	d[6] = (unsigned char)((d[6] & 0x0f) | 0x50);
	d[8] = (unsigned char)((d[8] & 0x3f) | 0x80);
	customs_hex(hex, d, 16);
	snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12,
		 hex + 16, hex + 20);
	return rc;
}

static void *uuid_main(void *arg)
{
	struct sbom_uuid_task *t = arg;

	t->rc = sbom_uuid(t->uuid, t->s, t->o);
	return NULL;
}

void sbom_uuid_start(struct sbom_uuid_task *t, const struct customs_sbom *s,
		     const struct customs_sbom_write_opts *o)
{
	t->s = s;
	t->o = o;
	t->threaded = !pthread_create(&t->th, NULL, uuid_main, t);
	if (!t->threaded)
		uuid_main(t);
}

int sbom_uuid_join(struct sbom_uuid_task *t)
{
	if (t->threaded)
		pthread_join(t->th, NULL);
	t->threaded = false;
	return t->rc;
}

int sbom_unique_ids(bool **out, const struct customs_sbom *s)
{
	struct strmap seen = STRMAP_INIT;
	size_t i;
	int rc = 0;

	*out = customs_calloc(s->pkgs.n ? s->pkgs.n : 1, sizeof(**out));
	if (!*out)
		return CUSTOMS_ENOMEM;
	for (i = 0; !rc && i < s->pkgs.n; i++) {
		const char *id = s->pkgs.v[i]->id;

		if (!id || strmap_get(&seen, id))
			continue;
		(*out)[i] = true;
		rc = strmap_put(&seen, id, (void *)1);
	}
	strmap_release(&seen);
	if (rc) {
		customs_free(*out);
		*out = NULL;
	}
	return rc;
}

int sbom_license(enum sbom_lic_kind *kind, const char **out, char **owned,
		 const char *declared)
{
	const char *id = customs_license_spdx_id(declared);
	int rc;

	*owned = NULL;
	if (id) {
		*kind = SBOM_LIC_ID;
		*out = id;
		return 0;
	}
	rc = customs_license_expression(owned, declared);
	if (rc)
		return rc;
	*kind = *owned ? SBOM_LIC_EXPR : SBOM_LIC_NAME;
	*out = *owned ? *owned : declared;
	return 0;
}

int customs_sbom_write(FILE *f, const struct customs_sbom *sbom,
		       enum customs_sbom_format fmt,
		       const struct customs_sbom_write_opts *opts,
		       struct customs_ctx *ctx)
{
	struct customs_sbom_write_opts defaults = CUSTOMS_SBOM_WRITE_OPTS_INIT;
	struct jw *w = customs_malloc(sizeof(*w));
	struct file_out fo = { f, 0 };
	int rc, io;

	if (!w)
		return CUSTOMS_ENOMEM;
	if (!opts)
		opts = &defaults;
	jw_init(w, file_sink, &fo);
	if (patchable(&fo))
		w->patch = file_patch;
	switch (fmt) {
	case CUSTOMS_SBOM_JSON:
		rc = sbom_write_native(w, sbom, opts);
		break;
	case CUSTOMS_SBOM_CYCLONEDX_JSON:
		rc = sbom_write_cdx(w, sbom, opts);
		break;
	case CUSTOMS_SBOM_SPDX_JSON:
		rc = sbom_write_spdx(w, sbom, opts);
		break;
	default:
		rc = CUSTOMS_EINVAL;
	}
	io = jw_end(w);
	customs_free(w);
	if (rc == CUSTOMS_EINVAL)
		return customs_error(ctx, rc, "sbom: unknown output format %d",
				     (int)fmt);
	if (rc)
		return customs_error(ctx, rc, "sbom: out of memory");
	if (io || fflush(f) || ferror(f))
		return customs_error(ctx, CUSTOMS_EIO,
				     "sbom: writing %s: I/O error",
				     format_names[fmt]);
	return 0;
}
