/*
 * The files a dpkg package owns and the merge of sidecar files into the
 * packages once the scan is done.
 *
 * info/<pkg>[:<arch>].md5sums lists "<md5>  <path>" per shipped file
 * (conffiles excepted); info/<pkg>.conffiles lists the configuration
 * files, each path optionally preceded by flags ("remove-on-upgrade").
 * Distroless images keep the md5sums next to the stanza, in
 * status.d/<pkg>.md5sums. Multi-Arch: same packages carry the
 * architecture in the file name; everything else does not.
 *
 * Sidecar files are looked up "relative" to the status file that listed
 * the package, as Syft does: the newest copy at or below the status
 * file's layer. A later layer's md5sums is never attributed to an older
 * package, and with --scope all-layers every layer's package gets that
 * layer's view. Deletions are not seen by this lookup (a whiteout at or
 * below the status layer leaves the older copy in use); see
 * docs/internals/catalogers.md.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/dpkg_int.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/strmap.h"
#include "util/banned.h"

struct dpkg_aux *dpkg_aux_new(enum dpkg_kind kind)
{
	struct dpkg_aux *aux = customs_calloc(1, sizeof(*aux));

	if (aux)
		aux->kind = kind;
	return aux;
}

void dpkg_aux_free(void *p)
{
	struct dpkg_aux *aux = p;

	if (!aux)
		return;
	arena_release(&aux->arena);
	customs_free(aux->files);
	customs_strlist_release(&aux->licenses);
	customs_free(aux);
}

bool dpkg_md5_norm(char out[33], const char *s, size_t n)
{
	size_t i;

	if (n != 32)
		return false;
	for (i = 0; i < 32; i++) {
		char c = s[i];

		if (c >= 'A' && c <= 'F')
			c = (char)(c - 'A' + 'a');
		else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
		out[i] = c;
	}
	out[32] = '\0';
	return true;
}

static int aux_add(struct dpkg_aux *aux, struct cslice path, const char *md5)
{
	struct dpkg_file *f;

	while (path.n && path.p[0] == '/') {
		path.p++;
		path.n--;
	}
	if (path.n >= 2 && path.p[0] == '.' && path.p[1] == '/') {
		path.p += 2;
		path.n -= 2;
	}
	if (!path.n || memchr(path.p, '\0', path.n))
		return 0;
	if (CUSTOMS_GROW(aux->files, aux->cap_files, aux->n_files + 1))
		return CUSTOMS_ENOMEM;
	f = &aux->files[aux->n_files];
	f->path = arena_strndup(&aux->arena, path.p, path.n);
	f->md5 = md5 ? arena_strdup(&aux->arena, md5) : NULL;
	if (!f->path || (md5 && !f->md5))
		return CUSTOMS_ENOMEM;
	aux->n_files++;
	return 0;
}

/* "<md5>  <path>" (md5sum's text mode) or "<md5> *<path>" (binary). */
static int md5sums_line(struct dpkg_aux *aux, struct cslice line, size_t lineno,
			struct cat_result *res)
{
	char md5[33];

	if (line.n < 34 || !dpkg_md5_norm(md5, line.p, 32) || line.p[32] != ' ')
		return cat_warn(res, "line %zu: not an md5sums line, skipped",
				lineno);
	line.p += 33;
	line.n -= 33;
	if (line.p[0] == ' ' || line.p[0] == '*') {
		line.p++;
		line.n--;
	}
	return aux_add(aux, line, md5);
}

/* "[flag ...] /path"; a remove-on-upgrade conffile is not shipped. */
static int conffiles_line(struct dpkg_aux *aux, struct cslice line,
			  size_t lineno, struct cat_result *res)
{
	const char *slash = memchr(line.p, '/', line.n);
	struct cslice flags;

	if (!slash || (slash != line.p && slash[-1] != ' '))
		return cat_warn(res, "line %zu: not a conffiles line, skipped",
				lineno);
	flags = cslice_make(line.p, (size_t)(slash - line.p));
	if (flags.n && memmem(flags.p, flags.n, "remove-on-upgrade", 17))
		return 0;
	return aux_add(aux, cslice_make(slash, line.n - flags.n), NULL);
}

int dpkg_parse_filelist(struct dpkg_aux *aux, const struct cat_input *in,
			struct cat_result *res)
{
	struct cslice rest = cslice_make((const char *)in->data, in->len);
	struct cslice line;
	size_t lineno = 0;
	int rc = 0;

	while (!rc && cslice_next_line(&rest, &line)) {
		lineno++;
		/* the last line of a cut file is partial */
		if (in->truncated && !rest.n)
			break;
		if (!line.n)
			continue;
		if (aux->n_files >= DPKG_MAX_FILES)
			return cat_warn(res,
					"line %zu: more than %d files, the "
					"rest are skipped",
					lineno, DPKG_MAX_FILES);
		if (aux->kind == DPKG_KIND_MD5SUMS)
			rc = md5sums_line(aux, line, lineno, res);
		else
			rc = conffiles_line(aux, line, lineno, res);
	}
	return rc;
}

/* ------------------------------------------------------------------ */
/* finish: the relative lookup and the merge */

struct lookup {
	struct cat_finish *f;
	struct strmap newest; /* path -> 1 + index of its newest entry */
	size_t *older; /* 1 + index of the previous entry at that path */
};

static struct dpkg_aux *aux_of(const struct cat_entry *e)
{
	return e->res ? e->res->aux : NULL;
}

static bool is_sidecar(const struct cat_entry *e)
{
	struct dpkg_aux *aux = aux_of(e);

	return aux && (aux->kind == DPKG_KIND_MD5SUMS ||
		       aux->kind == DPKG_KIND_CONFFILES ||
		       aux->kind == DPKG_KIND_COPYRIGHT);
}

static int lookup_init(struct lookup *lk, struct cat_finish *f)
{
	size_t i;

	lk->f = f;
	lk->older = customs_calloc(f->n_entries ? f->n_entries : 1,
				   sizeof(*lk->older));
	if (!lk->older)
		return CUSTOMS_ENOMEM;
	/* entries come in layer order: each one is the newest so far */
	for (i = 0; i < f->n_entries; i++) {
		const char *path = f->entries[i].path;

		if (!is_sidecar(&f->entries[i]))
			continue;
		lk->older[i] = (size_t)(uintptr_t)strmap_get(&lk->newest, path);
		if (strmap_put(&lk->newest, path, (void *)(uintptr_t)(i + 1)))
			return CUSTOMS_ENOMEM;
	}
	return 0;
}

static void lookup_release(struct lookup *lk)
{
	strmap_release(&lk->newest);
	customs_free(lk->older);
}

/* The newest entry at path from layer or below, or NULL. */
static const struct cat_entry *find_at(const struct lookup *lk,
				       const char *path, int layer)
{
	size_t i = (size_t)(uintptr_t)strmap_get(&lk->newest, path);

	while (i && lk->f->entries[i - 1].layer > layer)
		i = lk->older[i - 1];
	return i ? &lk->f->entries[i - 1] : NULL;
}

/* find_at, then through symlinks (a doc dir linked to its source's). */
static const struct cat_entry *find(const struct lookup *lk, const char *path,
				    int layer)
{
	const struct cat_entry *e = find_at(lk, path, layer);
	const struct customs_file *real;

	if (e || !lk->f->files ||
	    customs_fsindex_resolve(&real, lk->f->files, path) ||
	    !strcmp(real->path, path))
		return e;
	return find_at(lk, real->path, layer);
}

/* The sidecar dir/<base><suffix> for the first base that has one. */
static int find_sidecar(const struct cat_entry **out, const struct lookup *lk,
			const char *dir, const char *const *bases,
			const char *suffix, int layer)
{
	struct cbuf b;
	size_t i;

	*out = NULL;
	cbuf_init(&b, 1 << 16);
	for (i = 0; bases[i] && !*out; i++) {
		cbuf_reset(&b);
		cbuf_printf(&b, "%s%s%s", dir, bases[i], suffix);
		if (cbuf_error(&b))
			break;
		*out = find(lk, b.ptr, layer);
	}
	i = (size_t)cbuf_error(&b);
	cbuf_release(&b);
	return i == (size_t)CUSTOMS_ENOMEM ? CUSTOMS_ENOMEM : 0;
}

/* Add the listed files to pkg: new paths appended, known ones updated. */
static int merge_files(struct customs_pkg *pkg, struct strmap *have,
		       const struct dpkg_aux *aux)
{
	size_t i;

	for (i = 0; i < aux->n_files; i++) {
		const struct dpkg_file *df = &aux->files[i];
		size_t at = (size_t)(uintptr_t)strmap_get(have, df->path);
		bool config = aux->kind == DPKG_KIND_CONFFILES;
		struct customs_pkg_file *pf;

		if (!at) {
			if (customs_pkg_add_file(pkg, df->path,
						 df->md5 ? "md5" : NULL,
						 df->md5, config))
				return CUSTOMS_ENOMEM;
			at = pkg->n_files;
			if (strmap_put(have, pkg->files[at - 1].path,
				       (void *)(uintptr_t)at))
				return CUSTOMS_ENOMEM;
			continue;
		}
		pf = &pkg->files[at - 1];
		pf->config |= config;
		if (!pf->digest && df->md5 &&
		    (customs_pkg_setz(&pf->digest, df->md5) ||
		     customs_pkg_setz(&pf->algorithm, "md5")))
			return CUSTOMS_ENOMEM;
	}
	return 0;
}

static int use(struct customs_pkg *pkg, struct strmap *have,
	       const struct cat_entry *e)
{
	const struct dpkg_aux *aux;
	size_t i;
	int rc;

	if (!e)
		return 0;
	aux = aux_of(e);
	rc = customs_pkg_add_location(pkg, e->path, NULL, e->layer,
				      CUSTOMS_EVIDENCE_SUPPORTING);
	if (!rc && aux->kind != DPKG_KIND_COPYRIGHT)
		rc = merge_files(pkg, have, aux);
	for (i = 0; !rc && i < aux->licenses.n; i++)
		rc = customs_pkg_add_license(pkg, aux->licenses.v[i]);
	return rc;
}

/* Base names the sidecar files of pkg may have, NULL-terminated. */
static int bases_of(char **qualified, const char *bases[3],
		    const struct cat_entry *status, const struct customs_pkg *p)
{
	const char *leafname = strrchr(status->path, '/');
	struct cbuf b;

	*qualified = NULL;
	memset(bases, 0, 3 * sizeof(*bases));
	if (aux_of(status)->kind == DPKG_KIND_STATUS_D) {
		bases[0] = leafname ? leafname + 1 : status->path;
		bases[1] = strcmp(bases[0], p->name) ? p->name : NULL;
		return 0;
	}
	if (!p->arch || !*p->arch || !strcmp(p->arch, "all")) {
		bases[0] = p->name;
		return 0;
	}
	cbuf_init(&b, 1 << 16);
	cbuf_printf(&b, "%s:%s", p->name, p->arch);
	*qualified = cbuf_detach(&b);
	cbuf_release(&b);
	if (!*qualified)
		return CUSTOMS_ENOMEM;
	bases[0] = *qualified;
	bases[1] = p->name;
	return 0;
}

static int attach(const struct lookup *lk, const struct cat_entry *status,
		  struct customs_pkg *pkg)
{
	bool status_d = aux_of(status)->kind == DPKG_KIND_STATUS_D;
	const char *dir = status_d ? DPKG_STATUS_D : DPKG_INFO;
	const char *bases[3], *doc[2] = { pkg->name, NULL };
	const struct cat_entry *md5 = NULL, *conf = NULL, *copy = NULL;
	struct strmap have = STRMAP_INIT;
	char *qualified = NULL;
	size_t i;
	int rc = bases_of(&qualified, bases, status, pkg);

	for (i = 0; !rc && i < pkg->n_files; i++)
		rc = strmap_put(&have, pkg->files[i].path,
				(void *)(uintptr_t)(i + 1));
	if (!rc)
		rc = find_sidecar(&md5, lk, dir, bases, ".md5sums",
				  status->layer);
	if (!rc && !status_d)
		rc = find_sidecar(&conf, lk, dir, bases, ".conffiles",
				  status->layer);
	if (!rc)
		rc = find_sidecar(&copy, lk, DEB_DOC, doc, "/copyright",
				  status->layer);
	if (!rc)
		rc = use(pkg, &have, md5);
	if (!rc)
		rc = use(pkg, &have, conf);
	if (!rc)
		rc = use(pkg, &have, copy);
	strmap_release(&have);
	customs_free(qualified);
	return rc;
}

static bool is_status(const struct cat_entry *e)
{
	struct dpkg_aux *aux = aux_of(e);

	return aux && (aux->kind == DPKG_KIND_STATUS ||
		       aux->kind == DPKG_KIND_STATUS_D);
}

/* One package to attach its sidecar files to. */
struct attach_job {
	struct cat_entry *status;
	size_t j; /* index in status->res->pkgs */
	int rc;
};

struct attach_run {
	const struct lookup *lk;
	struct attach_job *v;
	size_t n;
	atomic_size_t next;
};

static void *attach_some(void *arg)
{
	struct attach_run *r = arg;
	size_t i;

	while ((i = atomic_fetch_add(&r->next, 1)) < r->n) {
		struct attach_job *a = &r->v[i];

		a->rc = attach(r->lk, a->status, a->status->res->pkgs.v[a->j]);
	}
	return NULL;
}

/* Below this many packages a second thread costs more than it saves. */
#define ATTACH_PAR_MIN 64

/*
 * Attach every package's sidecars, on two threads when there are many:
 * this runs after the last layer, when the other core has nothing left to
 * do, and a Debian base image's few hundred packages own tens of thousands
 * of files. Packages only read the lookup and write themselves.
 */
static void attach_all(const struct lookup *lk, struct attach_job *v, size_t n)
{
	struct attach_run r = { lk, v, n, 0 };
	pthread_t th;
	bool two = n >= ATTACH_PAR_MIN &&
		   !pthread_create(&th, NULL, attach_some, &r);

	attach_some(&r);
	if (two)
		pthread_join(th, NULL);
}

static int collect_jobs(struct cat_finish *f, struct attach_job **out,
			size_t *n_out)
{
	struct attach_job *v = NULL;
	size_t i, j, n = 0, cap = 0;

	for (i = 0; i < f->n_entries; i++) {
		struct cat_entry *e = &f->entries[i];

		if (!is_status(e) || !cat_in_scope(f, e))
			continue;
		for (j = 0; j < e->res->pkgs.n; j++) {
			if (CUSTOMS_GROW(v, cap, n + 1)) {
				customs_free(v);
				return CUSTOMS_ENOMEM;
			}
			v[n].status = e;
			v[n].j = j;
			v[n++].rc = 0;
		}
	}
	*out = v;
	*n_out = n;
	return 0;
}

int dpkg_finish(struct cat_finish *f)
{
	struct lookup lk = { 0 };
	struct attach_job *v = NULL;
	size_t i, n = 0;
	int rc = lookup_init(&lk, f);

	if (!rc)
		rc = collect_jobs(f, &v, &n);
	if (!rc)
		attach_all(&lk, v, n);
	/* in order; from the first failure on, packages stay with their
	 * results */
	for (i = 0; !rc && i < n; i++) {
		struct customs_pkg **slot = &v[i].status->res->pkgs.v[v[i].j];
		struct customs_pkg *pkg = *slot;

		rc = v[i].rc;
		if (rc)
			break;
		*slot = NULL;
		rc = customs_pkglist_push(f->out, pkg);
	}
	customs_free(v);
	lookup_release(&lk);
	return rc;
}
