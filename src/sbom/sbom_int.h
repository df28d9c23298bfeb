/* Internals of the SBOM writers and readers shared between their files. */
#ifndef CUSTOMS_SBOM_INT_H
#define CUSTOMS_SBOM_INT_H

#include <jansson.h>
#include <pthread.h>

#include "customs/sbom.h"
#include "sbom/jw.h"

/* Largest SBOM file a reader accepts, and packages in one document. */
#define SBOM_MAX_BYTES (512u << 20)
#define SBOM_MAX_PKGS 2000000u

/* The writers: everything to w; 0 or CUSTOMS_ENOMEM (I/O errors stay
 * sticky in w for the caller's jw_end). */
int sbom_write_native(struct jw *w, const struct customs_sbom *s,
		      const struct customs_sbom_write_opts *o);
int sbom_write_cdx(struct jw *w, const struct customs_sbom *s,
		   const struct customs_sbom_write_opts *o);
/*
 * CycloneDX as sbom_write_cdx() writes it, then, inside the top-level
 * object after "components", whatever extra writes (NULL: nothing). own
 * says, per package of s, whether its id is its bom-ref (sbom_cdx_ref).
 * 0, CUSTOMS_ENOMEM or extra's non-zero return.
 */
typedef int (*sbom_cdx_extra_fn)(struct jw *w, const bool *own, void *arg);
int sbom_write_cdx_with(struct jw *w, const struct customs_sbom *s,
			const struct customs_sbom_write_opts *o,
			sbom_cdx_extra_fn extra, void *arg);
/* The bom-ref of package idx of a document: its id when own_id, else
 * "customs:pkg-<idx>" written into buf. */
const char *sbom_cdx_ref(char buf[32], const struct customs_pkg *p, size_t idx,
			 bool own_id);
int sbom_write_spdx(struct jw *w, const struct customs_sbom *s,
		    const struct customs_sbom_write_opts *o);

/*
 * A version-5-shaped UUID ("xxxxxxxx-xxxx-5xxx-yxxx-xxxxxxxxxxxx") from
 * the seed, or from the SHA-256 of the native rendering of s (so the same
 * content always gets the same id). 0 or CUSTOMS_ENOMEM.
 */
int sbom_uuid(char out[37], const struct customs_sbom *s,
	      const struct customs_sbom_write_opts *o);

/*
 * sbom_uuid() on a thread of its own (or here, if none can be started),
 * for a writer that can patch the id in afterwards (jw_patch): hashing
 * the native rendering took most of the CycloneDX writer's time, with
 * the other cores idle. s and o must not change until the join, which
 * returns sbom_uuid()'s code and leaves the id in t->uuid.
 */
struct sbom_uuid_task {
	const struct customs_sbom *s;
	const struct customs_sbom_write_opts *o;
	pthread_t th;
	bool threaded;
	int rc;
	char uuid[37];
};
void sbom_uuid_start(struct sbom_uuid_task *t, const struct customs_sbom *s,
		     const struct customs_sbom_write_opts *o);
int sbom_uuid_join(struct sbom_uuid_task *t);

/*
 * For each package, whether its id can name it in a document: false when
 * it has none or an earlier package has the same one (a hand-edited
 * input), so element ids stay unique. *out is heap (caller frees).
 * 0 or CUSTOMS_ENOMEM.
 */
int sbom_unique_ids(bool **out, const struct customs_sbom *s);

/* How a declared licence is written. */
enum sbom_lic_kind { SBOM_LIC_ID, SBOM_LIC_EXPR, SBOM_LIC_NAME };

/*
 * Classify a declared licence: an SPDX id (*out the id, static), an
 * expression (*out heap, caller frees, *owned true) or a name (*out the
 * declared text). 0 or CUSTOMS_ENOMEM.
 */
int sbom_license(enum sbom_lic_kind *kind, const char **out, char **owned,
		 const char *declared);

/* The JSON type name of v for messages ("a string", "an object"). */
const char *sbom_json_kind(const json_t *v);

/* A reader's state: the file name and the context for messages. */
struct rd {
	const char *name;
	struct customs_ctx *ctx;
	struct customs_sbom *s;
};

/* "<file>: <path>: <message>" as CUSTOMS_EFORMAT on r->ctx. */
int rd_err(struct rd *r, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * obj[key] into *out: absent or null leaves *out alone; a string is
 * copied (replacing *out); anything else is an error naming path.key.
 */
int rd_str(struct rd *r, char **out, json_t *obj, const char *key,
	   const char *path);
/* obj[key] must be an array (or absent: *out NULL) / object. */
int rd_arr(struct rd *r, json_t **out, json_t *obj, const char *key,
	   const char *path);
int rd_obj(struct rd *r, json_t **out, json_t *obj, const char *key,
	   const char *path);
/* Every element of the array obj[key] appended to l (strings only). */
int rd_strlist(struct rd *r, struct customs_strlist *l, json_t *obj,
	       const char *key, const char *path);
/* A copy of s without one leading '/' (NULL stays NULL). */
int rd_path(char **out, const char *s);

/*
 * The readers: fill s from root. name is the file name for messages. 0,
 * CUSTOMS_EFORMAT (message naming name and the JSON path),
 * CUSTOMS_EUNSUPPORTED, CUSTOMS_ELIMIT or CUSTOMS_ENOMEM.
 */
int sbom_read_native(struct customs_sbom *s, json_t *root, const char *name,
		     struct customs_ctx *ctx);
int sbom_read_cdx(struct customs_sbom *s, json_t *root, const char *name,
		  struct customs_ctx *ctx);
int sbom_read_spdx(struct customs_sbom *s, json_t *root, const char *name,
		   struct customs_ctx *ctx);

/*
 * Fill what a foreign document leaves out, from the package's PURL: type,
 * namespace, name, version, arch, source. Then give it a stable id if it
 * has none. 0 or CUSTOMS_ENOMEM.
 */
int sbom_pkg_from_purl(struct customs_pkg *p);
int sbom_pkg_set_id(struct customs_pkg *p);
/* The id for a document element ref: the ref itself when it is one of
 * ours (16 lower-case hex), else its hash. 0 or CUSTOMS_ENOMEM. */
int sbom_pkg_id_from_ref(struct customs_pkg *p, const char *ref);

#endif
