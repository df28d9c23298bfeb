/*
 * customs_match_sbom(): the matcher bound to a vulnerability database.
 * The backend table forwards to customs/vulndb.h; the result also records
 * which database was used (path, build time, sources) so every report can
 * say what data it is based on.
 */
#include <string.h>

#include "match/match_int.h"
#include "util/alloc.h"
#include "util/banned.h"

static int db_lookup(void *arg, const char *ns, const char *name,
		     customs_vulndb_hit_cb cb, void *cbarg,
		     struct customs_ctx *ctx)
{
	return customs_vulndb_lookup(arg, ns, name, cb, cbarg, ctx);
}

static int db_has_namespace(void *arg, const char *ns, bool *out,
			    struct customs_ctx *ctx)
{
	return customs_vulndb_has_namespace(arg, ns, out, ctx);
}

static int db_vuln(void *arg, const char *id, struct customs_vuln_info **out,
		   struct customs_ctx *ctx)
{
	int rc = customs_vulndb_vuln(arg, id, out, ctx);

	if (rc == CUSTOMS_ENOTFOUND) {
		customs_ctx_clear(ctx); /* an id with rows but no record */
		*out = NULL;
		return 0;
	}
	return rc;
}

static int db_lookup_cpe(void *arg, const char *vendor, const char *product,
			 customs_vulndb_cpe_cb cb, void *cbarg,
			 struct customs_ctx *ctx)
{
	return customs_vulndb_lookup_cpe(arg, vendor, product, cb, cbarg, ctx);
}

static int db_info(struct customs_match_db_info *info,
		   struct customs_vulndb *db, const char *path,
		   struct customs_ctx *ctx)
{
	struct customs_vulndb_summary *st = NULL;
	size_t i;
	int rc = customs_vulndb_summary(db, &st, ctx);

	if (!rc && path && !(info->path = customs_strdup(path)))
		rc = CUSTOMS_ENOMEM;
	if (!rc && st->built && !(info->built = customs_strdup(st->built)))
		rc = CUSTOMS_ENOMEM;
	for (i = 0; !rc && i < st->n_sources; i++)
		rc = customs_strlist_add(&info->sources, st->sources[i].name);
	customs_vulndb_summary_free(st);
	return rc;
}

int customs_match_sbom(struct customs_match_result **out,
		       struct customs_vulndb *db,
		       const struct customs_sbom *sbom,
		       const struct customs_match_opts *opts,
		       struct customs_ctx *ctx)
{
	struct match_backend be = {
		db_lookup,     db_has_namespace,
		db_vuln,       customs_vuln_info_free,
		db_lookup_cpe, db,
	};
	int rc = match_run(out, &be, sbom, opts, ctx);

	if (!rc)
		rc = db_info(&(*out)->db, db, opts ? opts->db_path : NULL, ctx);
	if (rc && *out) {
		customs_match_result_free(*out);
		*out = NULL;
	}
	return rc;
}
