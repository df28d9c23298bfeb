/*
 * Masks are stored directly as map values, so building the table copies
 * no strings: keys borrow the analyzers' static want strings.
 */
#include <string.h>

#include "analyze/wants.h"
#include "util/alloc.h"
#include "util/banned.h"

static int add_mask(struct strmap *m, const char *key, uint64_t bit)
{
	uint64_t cur = (uint64_t)(uintptr_t)strmap_get(m, key);

	return strmap_put(m, key, (void *)(uintptr_t)(cur | bit));
}

/* Add s to a list of strings with masks (directories, prefixes). */
static int add_listed(const char ***list, uint64_t **masks, size_t *n,
		      const char *s, uint64_t bit)
{
	const char **l;
	uint64_t *m;
	size_t i;

	for (i = 0; i < *n; i++) {
		if (!strcmp((*list)[i], s)) {
			(*masks)[i] |= bit;
			return 0;
		}
	}
	/* keep the old arrays when growing fails: wants_release frees them */
	l = customs_reallocarray(*list, *n + 1, sizeof(**list));
	if (!l)
		return CUSTOMS_ENOMEM;
	*list = l;
	m = customs_reallocarray(*masks, *n + 1, sizeof(**masks));
	if (!m)
		return CUSTOMS_ENOMEM;
	*masks = m;
	(*list)[*n] = s;
	(*masks)[(*n)++] = bit;
	return 0;
}

static int add_want(struct wants *w, const struct customs_want *want,
		    uint64_t bit)
{
	switch (want->kind) {
	case CUSTOMS_WANT_PATH:
		return add_mask(&w->paths, want->value, bit);
	case CUSTOMS_WANT_BASENAME:
		return add_mask(&w->bases, want->value, bit);
	case CUSTOMS_WANT_EXT:
		return add_mask(&w->exts, want->value, bit);
	case CUSTOMS_WANT_DIR:
		return add_listed(&w->dirs, &w->dir_masks, &w->n_dirs,
				  want->value, bit);
	case CUSTOMS_WANT_PREFIX:
		return add_listed(&w->prefixes, &w->prefix_masks,
				  &w->n_prefixes, want->value, bit);
	case CUSTOMS_WANT_EXEC:
		w->exec_mask |= bit;
		return 0;
	case CUSTOMS_WANT_ALL:
		w->all_mask |= bit;
		return 0;
	}
	return CUSTOMS_EINVAL;
}

int wants_build(struct wants *w, const struct customs_analyzer *const *an,
		size_t n)
{
	size_t i, j;
	int rc;

	memset(w, 0, sizeof(*w));
	if (n > WANTS_MAX_ANALYZERS)
		return CUSTOMS_EINVAL;
	for (i = 0; i < n; i++) {
		w->caps[i] = an[i]->max_bytes;
		for (j = 0; j < an[i]->n_wants; j++) {
			rc = add_want(w, &an[i]->wants[j], 1ULL << i);
			if (rc)
				return rc;
		}
	}
	w->n = n;
	return 0;
}

/* The last '.' before end that is not base's first byte, or NULL. */
static const char *last_dot(const char *base, const char *end)
{
	while (end > base + 1) {
		if (*--end == '.')
			return end;
	}
	return NULL;
}

uint64_t wants_match(const struct wants *w, const char *path, uint32_t mode)
{
	const char *base = strrchr(path, '/');
	const char *dot;
	uint64_t mask = w->all_mask;
	size_t i, len;

	base = base ? base + 1 : path;
	mask |= (uint64_t)(uintptr_t)strmap_get(&w->paths, path);
	mask |= (uint64_t)(uintptr_t)strmap_get(&w->bases, base);
	/* "app.deps.json" has the extensions "json" and "deps.json" */
	for (i = 0, dot = base + strlen(base);
	     i < WANTS_EXT_DOTS && (dot = last_dot(base, dot)); i++)
		mask |= (uint64_t)(uintptr_t)strmap_get(&w->exts, dot + 1);
	for (i = 0; i < w->n_dirs; i++) {
		len = strlen(w->dirs[i]);
		if (!strncmp(path, w->dirs[i], len) && path[len] == '/')
			mask |= w->dir_masks[i];
	}
	for (i = 0; i < w->n_prefixes; i++) {
		if (!strncmp(base, w->prefixes[i], strlen(w->prefixes[i])))
			mask |= w->prefix_masks[i];
	}
	if (mode & 0111)
		mask |= w->exec_mask;
	return mask;
}

size_t wants_cap(const struct wants *w, uint64_t mask)
{
	size_t i, cap = 0;

	for (i = 0; i < w->n; i++) {
		if ((mask >> i & 1) && w->caps[i] > cap)
			cap = w->caps[i];
	}
	return cap;
}

size_t wants_file_cap(const struct wants *w,
		      const struct customs_analyzer *const *an, uint64_t mask,
		      const char *path, uint64_t size)
{
	size_t i, c, cap = 0;

	for (i = 0; i < w->n; i++) {
		if (!(mask >> i & 1))
			continue;
		c = w->caps[i];
		if (an[i]->file_cap) {
			size_t f = an[i]->file_cap(an[i]->state, path, size);

			c = f < c ? f : c;
		}
		if (c > cap)
			cap = c;
	}
	return cap;
}

void wants_release(struct wants *w)
{
	strmap_release(&w->paths);
	strmap_release(&w->bases);
	strmap_release(&w->exts);
	customs_free(w->dirs);
	customs_free(w->dir_masks);
	customs_free(w->prefixes);
	customs_free(w->prefix_masks);
	memset(w, 0, sizeof(*w));
}
