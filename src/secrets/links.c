/*
 * Links in Anchore's searches. Anchore's secret_search / content_search
 * (anchore/anchore-engine anchore_engine/analyzers/modules/
 * 13_secret_content_search.py) walk the squashed tar and, for a symlink or
 * a hard link, read the regular file it leads to and report the matches
 * under the link's own path (anchore_engine/analyzers/utils.py,
 * _get_extractable_member with deref_symlink=True). The scan itself only
 * reads regular files, so here, after it, each link of the final
 * filesystem is resolved the way that function does and the hits of its
 * target (already bounded by the 10000-byte cap on the target's size) are
 * copied under the link's path.
 *
 * Anchore's resolution, reproduced (names are tar names: no leading '/'):
 * - a symlink's target is the first existing name of: its link text minus
 *   its first character (meant to drop a leading '/'), the link text, and
 *   normpath(dirname(name) + "/" + link text); intermediate directory
 *   symlinks are not followed; a chain is followed up to 128 links and
 *   stops at a loop; it must end at a regular file (a symlink to a hard
 *   link is dropped);
 * - a hard link's target is its link text, followed through further hard
 *   links, and must end at a regular file.
 */
#include <string.h>

#include "secrets/secrets_int.h"
#include "util/alloc.h"
#include "util/strmap.h"
#include "util/banned.h"

#define LINKS_MAX_HOPS 128
#define LINKS_MAX_PATH 4096

/* Python's os.path.normpath of dir + "/" + rel, both relative: "" and "."
 * components dropped, ".." drops the previous component unless there is
 * none or it is ".." itself (then it is kept). "." means the root; NULL
 * when it does not fit. */
static const char *normpath(char *out, size_t cap, const char *dir,
			    const char *rel)
{
	char tmp[LINKS_MAX_PATH];
	size_t start[LINKS_MAX_PATH / 2], depth = 0, o = 0, n = strlen(dir);
	char *p, *next;

	if (n + strlen(rel) + 2 > sizeof(tmp) || cap < sizeof(tmp))
		return NULL;
	memcpy(tmp, dir, n);
	tmp[n] = '/';
	memcpy(tmp + n + 1, rel, strlen(rel) + 1);
	for (p = tmp; p; p = next) {
		next = strchr(p, '/');
		if (next)
			*next++ = '\0';
		if (!*p || !strcmp(p, "."))
			continue;
		if (!strcmp(p, "..") && depth &&
		    strcmp(out + start[depth - 1], "..")) {
			o = start[--depth];
			o -= o ? 1 : 0; /* the '/' before it */
			out[o] = '\0';
			continue;
		}
		if (o)
			out[o++] = '/';
		start[depth++] = o;
		memcpy(out + o, p, strlen(p) + 1);
		o += strlen(p);
	}
	out[o] = '\0';
	return o ? out : ".";
}

static const struct customs_file *lookup(const struct customs_fsindex *idx,
					 const char *path)
{
	const struct customs_file *f = NULL;

	return *path && !customs_fsindex_lookup(&f, idx, path) ? f : NULL;
}

/* One symlink hop: the first existing candidate name. */
static const struct customs_file *symlink_hop(const struct customs_fsindex *idx,
					      const struct customs_file *f)
{
	char dir[LINKS_MAX_PATH], buf[LINKS_MAX_PATH];
	const struct customs_file *t;
	const char *slash, *np;
	size_t n;

	if (!f->link || !*f->link)
		return NULL;
	if ((t = lookup(idx, f->link + 1)) || (t = lookup(idx, f->link)))
		return t;
	slash = strrchr(f->path, '/');
	n = slash ? (size_t)(slash - f->path) : 0;
	if (n >= sizeof(dir))
		return NULL;
	memcpy(dir, f->path, n);
	dir[n] = '\0';
	np = normpath(buf, sizeof(buf), dir, f->link);
	return np ? lookup(idx, np) : NULL;
}

/* The regular file f leads to as Anchore resolves it, or NULL. */
static const struct customs_file *deref(const struct customs_fsindex *idx,
					const struct customs_file *f)
{
	const struct customs_file *seen[LINKS_MAX_HOPS];
	enum customs_ftype kind = f->type;
	size_t hops, i;

	for (hops = 0; hops < LINKS_MAX_HOPS; hops++) {
		seen[hops] = f;
		f = kind == CUSTOMS_FT_SYMLINK
			    ? symlink_hop(idx, f)
			    : lookup(idx, f->link ? f->link : "");
		if (!f || f->type == CUSTOMS_FT_REG)
			return f;
		if (f->type != kind)
			return NULL; /* a symlink to a hard link, a dir, ... */
		for (i = 0; i <= hops; i++) {
			if (seen[i] == f)
				return NULL; /* a loop */
		}
	}
	return NULL;
}

struct link_walk {
	struct customs_secrets_report *r;
	struct customs_secrets *s;
	const struct customs_fsindex *idx;
	struct strmap visible; /* path -> struct kept * */
};

static int on_link(const struct customs_file *f, void *data)
{
	struct link_walk *w = data;
	const struct customs_file *t;
	const struct kept *k;
	int rc;

	if (f->type != CUSTOMS_FT_SYMLINK && f->type != CUSTOMS_FT_HARDLINK)
		return 0;
	t = deref(w->idx, f);
	k = t ? strmap_get(&w->visible, t->path) : NULL;
	if (!k)
		return 0;
	rc = report_add_hits(&w->r->secret_search, &w->r->n_secret_search,
			     w->s->secret_pats, k->res->secret_hits,
			     k->res->n_secret_hits, f->path);
	if (!rc)
		rc = report_add_hits(&w->r->content_search,
				     &w->r->n_content_search,
				     w->s->content_pats, k->res->content_hits,
				     k->res->n_content_hits, f->path);
	return rc;
}

int links_add_hits(struct customs_secrets_report *r, struct customs_secrets *s,
		   const struct customs_fsindex *idx)
{
	struct link_walk w = { r, s, idx, STRMAP_INIT };
	size_t i;
	int rc = 0;

	if (!idx || (!s->n_secret_pats && !s->n_content_pats))
		return 0;
	for (i = 0; i < s->n_kept && !rc; i++) {
		const struct kept *k = &s->kept[i];

		if (k->visible &&
		    (k->res->n_secret_hits || k->res->n_content_hits))
			rc = strmap_put(&w.visible, k->path, (void *)k);
	}
	if (!rc && w.visible.len)
		rc = customs_fsindex_foreach(idx, on_link, &w);
	strmap_release(&w.visible);
	return rc;
}
