/*
 * Path resolution inside the image root, as the kernel resolves a path
 * for a process chrooted there: symlinks are followed component by
 * component, absolute targets restart at the image root, ".." at the root
 * stays at the root. Nothing here touches the host filesystem, so no link
 * can lead outside the image whatever its target says.
 */
#include <string.h>

#include "fsindex/fsindex_int.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/path.h"
#include "util/banned.h"

#define MAX_LINKS 40

struct walkstate {
	struct cbuf done; /* resolved prefix, "" = root */
	struct cbuf todo; /* components still to walk, "/"-separated */
	int links;
};

static void pop_component(struct cbuf *done)
{
	char *slash = strrchr(done->ptr, '/');
	size_t n = slash ? (size_t)(slash - done->ptr) : 0;

	done->len = n;
	if (done->cap)
		done->ptr[n] = '\0';
}

/* Replace todo by target + "/" + rest. */
static int splice_link(struct walkstate *w, const char *target,
		       const char *rest)
{
	struct cbuf nb = CBUF_INIT(w->todo.max);

	cbuf_puts(&nb, target);
	if (*rest) {
		cbuf_putc(&nb, '/');
		cbuf_puts(&nb, rest);
	}
	if (cbuf_error(&nb)) {
		cbuf_release(&nb);
		return CUSTOMS_ELIMIT;
	}
	cbuf_release(&w->todo);
	w->todo = nb;
	if (target[0] == '/')
		cbuf_reset(&w->done);
	return 0;
}

static int step(struct walkstate *w, const struct customs_fsindex *idx,
		const char *comp, size_t clen, const char *rest,
		bool follow_last)
{
	const struct customs_file *f;
	size_t mark = w->done.len;

	if (clen == 0 || (clen == 1 && comp[0] == '.'))
		return 0;
	if (clen == 2 && comp[0] == '.' && comp[1] == '.') {
		pop_component(&w->done);
		return 0;
	}
	if (w->done.len)
		cbuf_putc(&w->done, '/');
	cbuf_put(&w->done, comp, clen);
	if (cbuf_error(&w->done))
		return CUSTOMS_ELIMIT;
	f = customs_fsindex_find_any(idx, w->done.ptr);
	if (!f)
		return CUSTOMS_ENOTFOUND;
	if (f->type == CUSTOMS_FT_SYMLINK && (*rest || follow_last)) {
		char *target = customs_strdup(f->link ? f->link : "");
		char *restcopy = customs_strdup(rest);
		int rc = CUSTOMS_ENOMEM;

		if (++w->links > MAX_LINKS)
			rc = CUSTOMS_ELOOP;
		else if (target && restcopy) {
			w->done.len = mark;
			if (w->done.cap)
				w->done.ptr[mark] = '\0';
			rc = splice_link(w, target, restcopy);
		}
		customs_free(target);
		customs_free(restcopy);
		return rc ? rc : 1;
	}
	if (*rest && f->type != CUSTOMS_FT_DIR)
		return CUSTOMS_ENOTFOUND;
	return 0;
}

static int walk(struct walkstate *w, const struct customs_fsindex *idx,
		bool follow_last)
{
	size_t pos = 0;
	int rc;

	while (pos < w->todo.len) {
		const char *comp = w->todo.ptr + pos;
		const char *slash = strchr(comp, '/');
		size_t clen = slash ? (size_t)(slash - comp) : strlen(comp);
		const char *rest = slash ? slash + 1 : comp + clen;

		rc = step(w, idx, comp, clen, rest, follow_last);
		if (rc < 0)
			return rc;
		pos = rc == 1 ? 0 : (size_t)(rest - w->todo.ptr);
	}
	return 0;
}

int customs_fsindex_resolve(const struct customs_file **out,
			    const struct customs_fsindex *idx, const char *path)
{
	struct walkstate w = { CBUF_INIT(CUSTOMS_DEFAULT_MAX_PATH_LEN * 4),
			       CBUF_INIT(CUSTOMS_DEFAULT_MAX_PATH_LEN * 4), 0 };
	const struct customs_file *f = NULL;
	int rc;

	*out = NULL;
	cbuf_puts(&w.todo, path);
	rc = cbuf_error(&w.todo) ? CUSTOMS_ELIMIT : walk(&w, idx, true);
	if (!rc) {
		f = customs_fsindex_find_any(idx, w.done.ptr);
		rc = f ? 0 : CUSTOMS_ENOTFOUND;
	}
	if (!rc && f->type == CUSTOMS_FT_HARDLINK && f->link)
		rc = customs_fsindex_lookup(&f, idx, f->link);
	if (!rc)
		*out = f;
	cbuf_release(&w.done);
	cbuf_release(&w.todo);
	return rc;
}

bool customs_fsindex_link_escapes(const struct customs_file *f)
{
	const char *p = f->link, *c, *s;
	long depth = 0;
	size_t n;

	if (f->type != CUSTOMS_FT_SYMLINK || !p)
		return false;
	if (*p != '/') {
		for (s = f->path; (s = strchr(s, '/')); s++)
			depth++;
	}
	while (path_next(&p, &c, &n)) {
		if (path_is_dotdot(c, n)) {
			if (--depth < 0)
				return true;
		} else if (!path_is_dot(c, n)) {
			depth++;
		}
	}
	return false;
}
