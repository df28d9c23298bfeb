/*
 * Files owned by installed Python distributions, and the finish() step
 * that attaches them.
 *
 * RECORD (PEP 376/627) is CSV: path,hash,size with hash "sha256=" + the
 * digest in urlsafe base64 without padding; paths are relative to the
 * directory that holds the .dist-info ("six.py", "../../../bin/x").
 * installed-files.txt (setuptools eggs) lists one path a line, relative
 * to the .egg-info directory. Paths are joined and cleaned here, so the
 * owned files are root-relative like every other package's.
 *
 * A row that is not "path,hash,size" or whose hash does not decode keeps
 * its path without a digest; bad rows are counted into one warning.
 *
 * finish() gives each package the sidecar of its own directory from the
 * same layer or the nearest lower one, never a later layer's, and adds
 * it as a supporting location.
 */
#include <stdint.h>
#include <string.h>

#include "catalog/python_int.h"
#include "util/alloc.h"
#include "util/path.h"
#include "util/strmap.h"
#include "util/banned.h"

struct owned {
	struct customs_pkg *files; /* only its file list is used */
	size_t n;
};

void py_aux_free(void *aux)
{
	struct owned *o = aux;

	if (!o)
		return;
	customs_pkg_free(o->files);
	customs_free(o);
}

/* Append one component to out, or pop one for "..", clamped at root. */
static void push_comp(char *out, size_t *n, const char *c, size_t len)
{
	if (path_is_dot(c, len))
		return;
	if (path_is_dotdot(c, len)) {
		while (*n && out[*n - 1] != '/')
			(*n)--;
		if (*n)
			(*n)--;
		return;
	}
	if (*n)
		out[(*n)++] = '/';
	memcpy(out + *n, c, len);
	*n += len;
}

char *py_join(const char *dir, size_t dir_len, struct cslice rel)
{
	char *tmp = customs_malloc(dir_len + rel.n + 2);
	char *out = customs_malloc(dir_len + rel.n + 2);
	const char *cur, *c;
	size_t n = 0, len;

	if (!tmp || !out) {
		customs_free(tmp);
		customs_free(out);
		return NULL;
	}
	memcpy(tmp, dir, dir_len);
	tmp[dir_len] = '/';
	memcpy(tmp + dir_len + 1, rel.p, rel.n);
	tmp[dir_len + 1 + rel.n] = '\0';
	/* an absolute path in the list starts from the root */
	cur = rel.n && rel.p[0] == '/' ? tmp + dir_len + 1 : tmp;
	while (path_next(&cur, &c, &len))
		push_comp(out, &n, c, len);
	out[n] = '\0';
	customs_free(tmp);
	return out;
}

static int b64url_val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-' || c == '+')
		return 62;
	if (c == '_' || c == '/')
		return 63;
	return -1;
}

/* urlsafe base64 (padding optional) -> lower-case hex in out. */
static bool b64_to_hex(struct cslice s, char *out, size_t outsz)
{
	static const char hex[] = "0123456789abcdef";
	unsigned acc = 0, bits = 0;
	size_t i, n = 0;

	while (s.n && s.p[s.n - 1] == '=')
		s.n--;
	for (i = 0; i < s.n; i++) {
		int v = b64url_val(s.p[i]);

		if (v < 0)
			return false;
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			unsigned char byte = (unsigned char)(acc >> (bits - 8));

			bits -= 8;
			if (n + 3 > outsz)
				return false;
			out[n++] = hex[byte >> 4];
			out[n++] = hex[byte & 15];
		}
	}
	out[n] = '\0';
	return n > 0;
}

/* Split the next CSV field of line (double quotes, "" escapes). */
static struct cslice csv_field(struct cslice *line, char *buf, size_t bufsz,
			       bool *ok)
{
	size_t i = 0, n = 0;

	if (!line->n || line->p[0] != '"') {
		const char *c = memchr(line->p, ',', line->n);
		struct cslice f = cslice_make(line->p, c ? (size_t)(c - line->p)
							 : line->n);

		line->p += f.n + (c ? 1 : 0);
		line->n -= f.n + (c ? 1 : 0);
		return f;
	}
	for (i = 1; i < line->n; i++) {
		if (line->p[i] == '"' && i + 1 < line->n &&
		    line->p[i + 1] == '"') {
			i++;
		} else if (line->p[i] == '"') {
			break;
		}
		if (n + 1 < bufsz)
			buf[n++] = line->p[i];
	}
	*ok = i < line->n && n + 1 < bufsz;
	i += i < line->n; /* the closing quote */
	i += i < line->n && line->p[i] == ','; /* the separator */
	line->p += i;
	line->n -= i;
	return cslice_make(buf, n);
}

/* One RECORD row into o; false when the row is malformed. */
static int record_row(struct owned *o, const char *dir, size_t dir_len,
		      struct cslice line, bool *bad)
{
	char pbuf[4096], hbuf[512], hexd[260];
	bool ok = true, okh = true;
	struct cslice path = csv_field(&line, pbuf, sizeof(pbuf), &ok);
	struct cslice hash = csv_field(&line, hbuf, sizeof(hbuf), &okh);
	const char *eq = memchr(hash.p, '=', hash.n);
	char algo[16] = "";
	char *full;
	int rc;

	*bad = !ok || !okh || !path.n;
	if (*bad)
		return 0;
	if (hash.n) {
		size_t an = eq ? (size_t)(eq - hash.p) : 0;

		if (!eq || !an || an >= sizeof(algo) ||
		    !b64_to_hex(cslice_make(eq + 1,
					    (size_t)(hash.p + hash.n - eq - 1)),
				hexd, sizeof(hexd))) {
			*bad = true;
		} else {
			memcpy(algo, hash.p, an);
			algo[an] = '\0';
		}
	}
	full = py_join(dir, dir_len, path);
	if (!full)
		return CUSTOMS_ENOMEM;
	rc = *full ? customs_pkg_add_file(o->files, full, *algo ? algo : NULL,
					  *algo ? hexd : NULL, false)
		   : 0;
	customs_free(full);
	return rc;
}

/* One installed-files.txt line. */
static int listed_row(struct owned *o, const char *dir, size_t dir_len,
		      struct cslice line)
{
	char *full = py_join(dir, dir_len, line);
	int rc;

	if (!full)
		return CUSTOMS_ENOMEM;
	rc = *full ? customs_pkg_add_file(o->files, full, NULL, NULL, false)
		   : 0;
	customs_free(full);
	return rc;
}

static size_t dir_len_of(const char *path, int up)
{
	size_t n = strlen(path);

	while (up-- > 0) {
		while (n && path[n - 1] != '/')
			n--;
		if (n)
			n--;
	}
	return n;
}

int py_parse_owned_files(const struct cat_input *in, struct cat_result *res,
			 enum py_file kind)
{
	struct cslice rest = cslice_make((const char *)in->data, in->len);
	struct cslice line;
	struct owned *o = customs_calloc(1, sizeof(*o));
	size_t dl = dir_len_of(in->path, kind == PY_RECORD ? 2 : 1);
	size_t lineno = 0, bad = 0, first_bad = 0;
	int rc = 0;

	if (!o || !(o->files = customs_pkg_new(CUSTOMS_PKG_PYTHON))) {
		customs_free(o);
		return CUSTOMS_ENOMEM;
	}
	res->aux = o;
	while (!rc && cslice_next_line(&rest, &line)) {
		bool b = false;

		lineno++;
		if (!cslice_trim(line).n)
			continue;
		if (o->files->n_files >= PY_MAX_RECORD_ROWS)
			return cat_warn(res,
					"line %zu: more than %u files: the "
					"rest is ignored",
					lineno, (unsigned)PY_MAX_RECORD_ROWS);
		if (kind == PY_RECORD)
			rc = record_row(o, in->path, dl, line, &b);
		else
			rc = listed_row(o, in->path, dl, cslice_trim(line));
		if (b && !bad++)
			first_bad = lineno;
	}
	if (!rc && bad)
		rc = cat_warn(res, "line %zu: malformed row (%zu such rows)",
			      first_bad, bad);
	return rc;
}

/* The newest sidecar entry at path in a layer at or below layer. */
static struct cat_entry *sidecar(struct cat_finish *f, const struct strmap *m,
				 const size_t *lower, const char *path,
				 int layer)
{
	size_t j = (size_t)(uintptr_t)strmap_get(m, path);

	while (j && f->entries[j - 1].layer > layer)
		j = lower[j - 1];
	return j ? &f->entries[j - 1] : NULL;
}

static int attach(struct customs_pkg *pkg, const struct cat_entry *side)
{
	const struct owned *o = side->res->aux;
	size_t i;
	int rc = customs_pkg_add_location(pkg, side->path, NULL, side->layer,
					  CUSTOMS_EVIDENCE_SUPPORTING);

	for (i = 0; !rc && i < o->files->n_files; i++) {
		const struct customs_pkg_file *pf = &o->files->files[i];

		rc = customs_pkg_add_file(pkg, pf->path, pf->algorithm,
					  pf->digest, false);
	}
	return rc;
}

/* Attach the sidecars of one package found at entry e. */
static int attach_pkg(struct cat_finish *f, const struct strmap *m,
		      const size_t *lower, const struct cat_entry *e,
		      struct customs_pkg *pkg)
{
	static const char *const names[] = { "RECORD", "installed-files.txt" };
	size_t dl = dir_len_of(e->path, 1), i;
	char *path;
	int rc = 0;

	if (py_classify(e->path) == PY_EGG_FILE)
		return 0;
	for (i = 0; !rc && i < 2; i++) {
		struct cat_entry *side;

		path = py_join(e->path, dl,
			       cslice_make(names[i], strlen(names[i])));
		if (!path)
			return CUSTOMS_ENOMEM;
		side = sidecar(f, m, lower, path, e->layer);
		if (side)
			rc = attach(pkg, side);
		customs_free(path);
	}
	return rc;
}

int py_finish(struct cat_finish *f)
{
	struct strmap m = STRMAP_INIT;
	size_t *lower =
		customs_calloc(f->n_entries ? f->n_entries : 1, sizeof(*lower));
	size_t i, j;
	int rc = lower ? 0 : CUSTOMS_ENOMEM;

	for (i = 0; !rc && i < f->n_entries; i++) {
		if (!f->entries[i].res->aux)
			continue;
		lower[i] =
			(size_t)(uintptr_t)strmap_get(&m, f->entries[i].path);
		rc = strmap_put(&m, f->entries[i].path,
				(void *)(uintptr_t)(i + 1));
	}
	for (i = 0; !rc && i < f->n_entries; i++) {
		struct cat_entry *e = &f->entries[i];

		for (j = 0; !rc && j < e->res->pkgs.n; j++)
			rc = attach_pkg(f, &m, lower, e, e->res->pkgs.v[j]);
	}
	strmap_release(&m);
	customs_free(lower);
	return rc ? rc : cat_finish_default(f);
}
