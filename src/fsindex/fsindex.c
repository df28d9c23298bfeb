/*
 * The squashed filesystem. Nodes live in an arena and are found by full
 * path through a hash map; each node also links to its children so that
 * a whiteout can drop a subtree. Deleting marks nodes rather than freeing
 * them: a later layer may write the same path again and the node is
 * reused. Invariant: a live node's parent is a live directory.
 *
 * A node points at its entry. The scan's entries are kept where the layer
 * walk stored them (the index adopts their memory, so a layer is not
 * copied entry by entry into the index: fresh pages cost a page fault
 * each, and the squash runs alone at the end of a scan); entries put by
 * copy, and implicit directories, live in the index's own arena.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "fsindex/fsindex_int.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/strmap.h"
#include "util/banned.h"

/* Listings shorter than this are sorted on the calling thread alone. */
#define SORT_SPLIT_MIN 16384

struct node {
	struct customs_file *f;
	const char *path; /* the map's key (the same as f->path) */
	struct node *parent;
	struct node *child;
	struct node *sibling;
	bool deleted;
	bool implicit;
	bool own; /* f is in the index's arena, not adopted */
};

struct customs_fsindex {
	struct arena arena;
	struct arena kept; /* adopted strings */
	void **blocks; /* adopted entry arrays */
	size_t n_blocks, cap_blocks;
	struct customs_file root_f;
	struct strmap map;
	struct node root;
	struct node **all; /* every node, in creation order */
	size_t n_all, cap_all;
	struct node **sorted;
	size_t n_sorted;
	/* the directory the last put went into: tar lists a directory's
	 * entries together, so most puts find their parent here */
	struct node *last_dir;
	size_t last_dir_len;
};

int customs_fsindex_new(struct customs_fsindex **out)
{
	struct customs_fsindex *idx = customs_calloc(1, sizeof(*idx));

	*out = idx;
	if (!idx)
		return CUSTOMS_ENOMEM;
	idx->root_f.path = "";
	idx->root_f.type = CUSTOMS_FT_DIR;
	idx->root_f.mode = 040755;
	idx->root.f = &idx->root_f;
	idx->root.path = "";
	idx->root.implicit = true;
	idx->root.own = true;
	return 0;
}

void customs_fsindex_free(struct customs_fsindex *idx)
{
	size_t i;

	if (!idx)
		return;
	strmap_release(&idx->map);
	arena_release(&idx->arena);
	arena_release(&idx->kept);
	for (i = 0; i < idx->n_blocks; i++)
		customs_free(idx->blocks[i]);
	customs_free(idx->blocks);
	customs_free(idx->all);
	customs_free(idx->sorted);
	customs_free(idx);
}

static struct node *find_h(const struct customs_fsindex *idx, const char *path,
			   size_t len, uint64_t h)
{
	struct node *n;

	if (!len)
		return (struct node *)&idx->root;
	n = strmap_getn_h(&idx->map, path, len, h);
	return n && !n->deleted ? n : NULL;
}

static struct node *find(const struct customs_fsindex *idx, const char *path,
			 size_t len)
{
	return find_h(idx, path, len, len ? strmap_hash(path, len) : 0);
}

static void drop_children(struct node *n)
{
	struct node *c;

	for (c = n->child; c; c = c->sibling) {
		if (c->deleted)
			continue;
		c->deleted = true;
		drop_children(c);
	}
}

static void drop(struct node *n)
{
	n->deleted = true;
	drop_children(n);
}

/* An empty entry of the index's own for n (path: n's). */
static struct customs_file *own_file(struct customs_fsindex *idx,
				     struct node *n)
{
	struct customs_file *f = arena_alloc(&idx->arena, sizeof(*f));

	if (!f)
		return NULL;
	memset(f, 0, sizeof(*f));
	f->path = n->path;
	n->f = f;
	n->own = true;
	return f;
}

/*
 * The node for path, or a new one (deleted until filled). kept: path is
 * NUL-terminated at len and lives as long as the index (an adopted
 * entry's), so the node uses it as it is; otherwise it is copied.
 */
static struct node *lookup_or_new(struct customs_fsindex *idx, const char *path,
				  size_t len, uint64_t h, struct node *parent,
				  struct customs_file *kept)
{
	struct strmap_slot *s = strmap_find_slot(&idx->map, path, len, h);
	struct node *n;

	if (!s)
		return NULL;
	if (s->key)
		return s->value;
	if (CUSTOMS_GROW(idx->all, idx->cap_all, idx->n_all + 1))
		return NULL;
	n = arena_alloc(&idx->arena, sizeof(*n));
	if (!n)
		return NULL;
	memset(n, 0, sizeof(*n));
	if (kept) {
		n->path = kept->path;
		n->f = kept;
	} else {
		n->path = arena_strndup(&idx->arena, path, len);
		if (!n->path || !own_file(idx, n))
			return NULL;
	}
	strmap_fill(&idx->map, s, n->path, len, h, n);
	idx->all[idx->n_all++] = n;
	n->parent = parent;
	n->sibling = parent->child;
	parent->child = n;
	n->deleted = true; /* until filled */
	return n;
}

int customs_fsindex_reserve(struct customs_fsindex *idx, size_t n)
{
	struct node **all;

	if (n <= idx->cap_all)
		return 0;
	all = customs_reallocarray(idx->all, n, sizeof(*idx->all));
	if (!all)
		return CUSTOMS_ENOMEM;
	idx->all = all;
	idx->cap_all = n;
	return strmap_reserve(&idx->map, n);
}

static int make_implicit_dir(struct customs_fsindex *idx, struct node *n)
{
	drop_children(n);
	if (n->own)
		memset(n->f, 0, sizeof(*n->f));
	else if (!own_file(idx, n))
		return CUSTOMS_ENOMEM;
	n->f->path = n->path;
	n->f->type = CUSTOMS_FT_DIR;
	n->f->mode = 040755;
	n->implicit = true;
	n->deleted = false;
	return 0;
}

/* The live directory node for path, creating implicit parents. */
static struct node *parent_dir(struct customs_fsindex *idx, const char *path,
			       size_t len)
{
	const char *slash;
	struct node *gp, *n;

	if (!len)
		return &idx->root;
	slash = memrchr(path, '/', len);
	gp = parent_dir(idx, path, slash ? (size_t)(slash - path) : 0);
	if (!gp)
		return NULL;
	n = lookup_or_new(idx, path, len, strmap_hash(path, len), gp, NULL);
	if (n && (n->deleted || n->f->type != CUSTOMS_FT_DIR) &&
	    make_implicit_dir(idx, n))
		return NULL;
	return n;
}

static const char *dup_opt(struct customs_fsindex *idx, const char *s)
{
	return s ? arena_strdup(&idx->arena, s) : NULL;
}

static void link_content(struct customs_fsindex *idx, struct node *n)
{
	const struct customs_file *t;

	struct customs_file *f = n->f;

	if (f->type != CUSTOMS_FT_HARDLINK || !f->link)
		return;
	if (customs_fsindex_resolve(&t, idx, f->link) ||
	    t->type != CUSTOMS_FT_REG)
		return;
	f->size = t->size;
	f->has_sha256 = t->has_sha256;
	memcpy(f->sha256, t->sha256, sizeof(t->sha256));
	f->has_md5 = t->has_md5;
	memcpy(f->md5, t->md5, sizeof(t->md5));
}

const struct customs_file *
customs_fsindex_find_any(const struct customs_fsindex *idx, const char *path)
{
	struct node *n = find(idx, path, strlen(path));

	return n ? n->f : NULL;
}

/*
 * A layer may name a path through a symlinked directory ("lib/x" where
 * "lib -> usr/lib"); extracting it writes below the link's target, so the
 * entry is recorded there. NULL when the parent is not such a link.
 */
static char *rebase(const char *dir, const char *rest)
{
	size_t dlen = strlen(dir), rlen = strlen(rest);
	char *out;

	if (!dlen && *rest == '/') {
		rest++;
		rlen--;
	}
	out = customs_malloc(dlen + rlen + 1);
	if (out) {
		memcpy(out, dir, dlen);
		memcpy(out + dlen, rest, rlen + 1);
	}
	return out;
}

static char *through_link(struct customs_fsindex *idx, const char *path,
			  size_t plen)
{
	const struct customs_file *t;
	const char *end = path;
	struct node *p;
	char *prefix, *out = NULL;

	for (;;) {
		end = memchr(end, '/', plen - (size_t)(end - path));
		end = end ? end : path + plen;
		p = find(idx, path, (size_t)(end - path));
		if (!p)
			return NULL;
		if (p->f->type == CUSTOMS_FT_SYMLINK)
			break;
		if (end == path + plen)
			return NULL;
		end++;
	}
	prefix = customs_strndup(path, (size_t)(end - path));
	if (prefix && !customs_fsindex_resolve(&t, idx, prefix) &&
	    t->type == CUSTOMS_FT_DIR)
		out = rebase(t->path, end);
	customs_free(prefix);
	return out;
}

/* The live directory for a new entry's parent: found directly in the
 * common case (by the invariant, its ancestors are live directories too),
 * else created. *real is set when the path goes through a symlink. */
static struct node *parent_for(struct customs_fsindex *idx, const char *path,
			       const struct customs_fsindex_key *k, char **real)
{
	size_t plen = k->plen;
	struct node *p = idx->last_dir;

	*real = NULL;
	if (!plen)
		return &idx->root;
	if (!p || idx->last_dir_len != plen || memcmp(p->path, path, plen))
		p = find_h(idx, path, plen, k->ph);
	if (p && !p->deleted && p->f->type == CUSTOMS_FT_DIR) {
		idx->last_dir = p;
		idx->last_dir_len = plen;
		return p;
	}
	*real = through_link(idx, path, plen);
	return *real ? NULL : parent_dir(idx, path, plen);
}

void customs_fsindex_key(struct customs_fsindex_key *k,
			 const struct customs_fsindex *idx, const char *path)
{
	const char *slash;

	k->len = strlen(path);
	slash = memrchr(path, '/', k->len);
	k->plen = slash ? (size_t)(slash - path) : 0;
	k->h = strmap_hash(path, k->len);
	k->ph = k->plen ? strmap_hash(path, k->plen) : 0;
	strmap_prefetch(&idx->map, k->h);
	if (k->plen)
		strmap_prefetch(&idx->map, k->ph);
}

int customs_fsindex_put(struct customs_fsindex *idx,
			const struct customs_file *f)
{
	struct customs_fsindex_key k;

	customs_fsindex_key(&k, idx, f->path);
	return customs_fsindex_put_key(idx, f, &k);
}

/* n's entry becomes a copy of f, in the index's arena. */
static int copy_into(struct customs_fsindex *idx, struct node *n,
		     const struct customs_file *f)
{
	if (!n->own && !own_file(idx, n))
		return CUSTOMS_ENOMEM;
	*n->f = *f;
	n->f->path = n->path;
	n->f->link = dup_opt(idx, f->link);
	return f->link && !n->f->link ? CUSTOMS_ENOMEM : 0;
}

/* The put; kept: f itself is adopted (f == kept), else f is copied. */
static int put(struct customs_fsindex *idx, const struct customs_file *f,
	       const struct customs_fsindex_key *k, struct customs_file *kept)
{
	size_t len = k->len;
	struct node *parent, *n;
	char *real;
	bool was_dir;
	int rc;

	if (!len)
		return 0; /* the root itself: nothing to record */
	parent = parent_for(idx, f->path, k, &real);
	if (real) { /* recorded under another path: a copy */
		struct customs_file g = *f;

		g.path = real;
		rc = customs_fsindex_put(idx, &g);
		customs_free(real);
		return rc;
	}
	n = parent ? lookup_or_new(idx, f->path, len, k->h, parent, kept)
		   : NULL;
	if (!n)
		return CUSTOMS_ENOMEM;
	was_dir = !n->deleted && n->f->type == CUSTOMS_FT_DIR;
	if (was_dir && f->type != CUSTOMS_FT_DIR)
		drop_children(n);
	if (kept) {
		n->f = kept;
		n->own = false;
	} else if ((rc = copy_into(idx, n, f))) {
		return rc;
	}
	n->deleted = false;
	n->implicit = false;
	link_content(idx, n);
	return 0;
}

int customs_fsindex_put_key(struct customs_fsindex *idx,
			    const struct customs_file *f,
			    const struct customs_fsindex_key *k)
{
	return put(idx, f, k, NULL);
}

int customs_fsindex_put_kept(struct customs_fsindex *idx,
			     struct customs_file *f,
			     const struct customs_fsindex_key *k)
{
	return put(idx, f, k, f);
}

int customs_fsindex_adopt(struct customs_fsindex *idx, void *block,
			  struct arena *strings)
{
	if (CUSTOMS_GROW(idx->blocks, idx->cap_blocks, idx->n_blocks + 1))
		return CUSTOMS_ENOMEM;
	idx->blocks[idx->n_blocks++] = block;
	arena_adopt(&idx->kept, strings);
	return 0;
}

void customs_fsindex_whiteout(struct customs_fsindex *idx, const char *path)
{
	struct node *n = find(idx, path, strlen(path));

	if (n && n != &idx->root)
		drop(n);
}

void customs_fsindex_opaque(struct customs_fsindex *idx, const char *dir)
{
	struct node *n = find(idx, dir, strlen(dir));

	if (n)
		drop_children(n);
}

static int cmp_node(const void *a, const void *b)
{
	const struct node *x = *(const struct node *const *)a;
	const struct node *y = *(const struct node *const *)b;

	return strcmp(x->path, y->path);
}

struct sort_half {
	struct node **v;
	size_t n;
};

static void *sort_half(void *arg)
{
	struct sort_half *h = arg;

	qsort(h->v, h->n, sizeof(*h->v), cmp_node);
	return NULL;
}

/*
 * Sort v[0..n) into out. A large listing is sorted in two halves, the
 * second on a thread of its own (the squash is the last thing a scan
 * does, and the other cores are idle by then), then merged.
 */
static void sort_nodes(struct node **v, size_t n, struct node **out)
{
	struct sort_half b = { v + n / 2, n - n / 2 };
	size_t i = 0, j = 0, k = 0, na = n / 2;
	pthread_t th;
	bool threaded;

	if (n < SORT_SPLIT_MIN) {
		qsort(v, n, sizeof(*v), cmp_node);
		memcpy(out, v, n * sizeof(*v));
		return;
	}
	threaded = !pthread_create(&th, NULL, sort_half, &b);
	qsort(v, na, sizeof(*v), cmp_node);
	if (threaded)
		pthread_join(th, NULL);
	else
		sort_half(&b);
	while (i < na && j < b.n)
		out[k++] = cmp_node(&v[i], &b.v[j]) <= 0 ? v[i++] : b.v[j++];
	while (i < na)
		out[k++] = v[i++];
	while (j < b.n)
		out[k++] = b.v[j++];
}

int customs_fsindex_finish(struct customs_fsindex *idx)
{
	size_t i, n = 0;
	struct node **live;

	customs_free(idx->sorted);
	idx->sorted = customs_reallocarray(NULL, idx->n_all ? idx->n_all : 1,
					   sizeof(*idx->sorted));
	live = customs_reallocarray(NULL, idx->n_all ? idx->n_all : 1,
				    sizeof(*live));
	if (!idx->sorted || !live) {
		customs_free(live);
		idx->n_sorted = 0;
		return CUSTOMS_ENOMEM;
	}
	for (i = 0; i < idx->n_all; i++) {
		struct node *nd = idx->all[i];

		if (!nd->deleted && !nd->implicit)
			live[n++] = nd;
	}
	sort_nodes(live, n, idx->sorted);
	customs_free(live);
	idx->n_sorted = n;
	return 0;
}

size_t customs_fsindex_size(const struct customs_fsindex *idx)
{
	return idx->n_all;
}

size_t customs_fsindex_count(const struct customs_fsindex *idx)
{
	return idx->n_sorted;
}

int customs_fsindex_lookup(const struct customs_file **out,
			   const struct customs_fsindex *idx, const char *path)
{
	struct node *n;

	while (*path == '/')
		path++;
	n = find(idx, path, strlen(path));
	if (!n || n->implicit) {
		*out = NULL;
		return CUSTOMS_ENOTFOUND;
	}
	*out = n->f;
	return 0;
}

int customs_fsindex_foreach(const struct customs_fsindex *idx,
			    customs_fsindex_cb cb, void *data)
{
	return customs_fsindex_foreach_range(idx, 0, idx->n_sorted, cb, data);
}

int customs_fsindex_foreach_range(const struct customs_fsindex *idx,
				  size_t first, size_t count,
				  customs_fsindex_cb cb, void *data)
{
	size_t i, end;
	int rc;

	if (first >= idx->n_sorted)
		return 0;
	/* first + count may wrap, or run past the end: clip */
	end = count > idx->n_sorted - first ? idx->n_sorted : first + count;
	for (i = first; i < end; i++) {
		rc = cb(idx->sorted[i]->f, data);
		if (rc)
			return rc;
	}
	return 0;
}

const char *customs_ftype_name(enum customs_ftype type)
{
	static const char *const names[] = {
		[CUSTOMS_FT_REG] = "file",
		[CUSTOMS_FT_DIR] = "dir",
		[CUSTOMS_FT_SYMLINK] = "symlink",
		[CUSTOMS_FT_HARDLINK] = "hardlink",
		[CUSTOMS_FT_CHR] = "char",
		[CUSTOMS_FT_BLK] = "block",
		[CUSTOMS_FT_FIFO] = "fifo",
		[CUSTOMS_FT_SOCK] = "socket",
	};

	return (unsigned)type < sizeof(names) / sizeof(names[0]) ? names[type]
								 : "unknown";
}
