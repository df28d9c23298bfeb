/*
 * Looking members up in the outer tar index. Names are normalised the
 * same way the index stored them, then symbolic links (relative to their
 * directory) and hard links (relative to the archive root) are followed,
 * at most TARINDEX_MAX_HOPS of them. Invariant: a lookup never leaves the
 * archive: ".." above the root and absolute targets are refused, never
 * clamped, since a blob path that tries to escape is a broken or hostile
 * archive.
 */
#include <string.h>

#include "image/tarindex.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/path.h"
#include "util/banned.h"

/* Append comp to the path being rebuilt in place at *w (start s). */
static void append(char *s, char **w, const char *comp, size_t n)
{
	if (*w != s)
		*(*w)++ = '/';
	memmove(*w, comp, n);
	*w += n;
}

void tarindex_normalize(char *s)
{
	char *w = s;
	const char *r = s, *c;
	size_t n;

	while (path_next(&r, &c, &n)) {
		if (!path_is_dot(c, n))
			append(s, &w, c, n);
	}
	*w = '\0';
}

/*
 * Resolve "." and ".." in place; false when ".." would climb above the
 * archive root.
 */
static bool resolve_dots(char *s)
{
	char *w = s;
	const char *r = s, *c;
	size_t n;

	while (path_next(&r, &c, &n)) {
		if (path_is_dotdot(c, n)) {
			if (w == s)
				return false;
			while (w > s && w[-1] != '/')
				w--;
			if (w > s)
				w--;
		} else if (!path_is_dot(c, n)) {
			append(s, &w, c, n);
		}
	}
	*w = '\0';
	return true;
}

/* The path a link member points at, relative to the archive root. */
static int link_target(char **out, const struct tar_member *m, const char **why)
{
	struct cbuf b = CBUF_INIT(SIZE_MAX / 2);
	const char *slash = strrchr(m->name, '/');

	*out = NULL;
	if (m->link[0] == '/') {
		*why = "link target is absolute";
		return CUSTOMS_EFORMAT;
	}
	/* Symlinks are relative to their directory, hard links to the root. */
	if (m->type == '2' && slash) {
		cbuf_put(&b, m->name, (size_t)(slash - m->name));
		cbuf_putc(&b, '/');
	}
	cbuf_puts(&b, m->link);
	*out = cbuf_detach(&b);
	if (!*out) {
		*why = "out of memory";
		return CUSTOMS_ENOMEM;
	}
	if (resolve_dots(*out))
		return 0;
	*why = "link target escapes the archive";
	return CUSTOMS_EFORMAT;
}

static bool is_regular(char type)
{
	return type == '0' || type == '\0' || type == '7';
}

int tarindex_find(const struct tarindex *t, const char *name,
		  const struct tar_member **out, const char **why)
{
	const struct tar_member *m = NULL;
	char *cur = customs_strdup(name);
	int hops, rc = 0;

	*out = NULL;
	*why = "out of memory";
	if (!cur)
		return CUSTOMS_ENOMEM;
	tarindex_normalize(cur);
	for (hops = 0; !rc; hops++) {
		m = strmap_get(&t->map, cur);
		if (!m || (m->type != '1' && m->type != '2'))
			break;
		customs_free(cur);
		cur = NULL;
		if (hops == TARINDEX_MAX_HOPS) {
			*why = "too many levels of symbolic links";
			rc = CUSTOMS_ELOOP;
		} else {
			rc = link_target(&cur, m, why);
		}
	}
	customs_free(cur);
	if (rc)
		return rc;
	if (!m) {
		*why = "not found";
		return CUSTOMS_ENOTFOUND;
	}
	if (!is_regular(m->type)) {
		*why = "not a regular file";
		return CUSTOMS_EFORMAT;
	}
	*out = m;
	return 0;
}
