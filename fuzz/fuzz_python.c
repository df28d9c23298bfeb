/*
 * Fuzz target for the Python catalogers (catalog/python_installed.c,
 * python_record.c, python_locks.c, python_requirements.c, tomlscan.c). The
 * first byte picks the file (its value mod 8; an ASCII digit names it in
 * a seed): METADATA, RECORD, installed-files.txt, requirements.txt,
 * Pipfile.lock, poetry.lock, uv.lock, or (7) a METADATA and a RECORD
 * split at the first 0xfe byte and merged by finish(). Checks: the only
 * error is CUSTOMS_ENOMEM, every package has a non-empty name and
 * version, and every owned file path is relative and free of "." and
 * ".." components.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

extern const struct cataloger cat_python_installed;
extern const struct cataloger cat_python_package;

static const char *const paths[7] = {
	"sp/a-1.dist-info/METADATA",
	"sp/a-1.dist-info/RECORD",
	"sp/a-1.egg-info/installed-files.txt",
	"src/requirements.txt",
	"src/Pipfile.lock",
	"src/poetry.lock",
	"src/uv.lock",
};

static void check_path(const char *p)
{
	const char *c = p;

	if (!*p || *p == '/')
		abort();
	while (c) {
		if (!strncmp(c, "./", 2) || !strcmp(c, ".") ||
		    !strncmp(c, "../", 3) || !strcmp(c, "..") || *c == '/')
			abort();
		c = strchr(c, '/');
		c = c ? c + 1 : NULL;
	}
}

static void check(const struct customs_pkglist *l)
{
	size_t i, j;

	for (i = 0; i < l->n; i++) {
		const struct customs_pkg *p = l->v[i];

		if (p->type != CUSTOMS_PKG_PYTHON || !p->name || !*p->name ||
		    !p->version || !*p->version)
			abort();
		for (j = 0; j < p->n_files; j++)
			check_path(p->files[j].path);
	}
}

static void release(const struct cataloger *c, struct cat_result *res)
{
	customs_pkglist_release(&res->pkgs);
	customs_strlist_release(&res->warnings);
	if (res->aux)
		c->aux_free(res->aux);
	res->aux = NULL;
}

static int warn(struct cat_finish *f, int layer, const char *path,
		const char *msg)
{
	(void)f;
	(void)layer;
	(void)path;
	(void)msg;
	return 0;
}

/* METADATA and RECORD of one directory, merged by finish(). */
static void with_finish(const uint8_t *data, size_t size)
{
	const uint8_t *sep = memchr(data, 0xfe, size);
	size_t n1 = sep ? (size_t)(sep - data) : size;
	struct cat_result r[2];
	struct cat_entry e[2] = {
		{ (char *)paths[0], 0, true, &r[0] },
		{ (char *)paths[1], 0, true, &r[1] },
	};
	struct cat_input in[2] = {
		{ paths[0], 0, data, n1, false, NULL, false, NULL, 0 },
		{ paths[1], 0, sep ? sep + 1 : data + size,
		  sep ? size - n1 - 1 : 0, false, NULL, false, NULL, 0 },
	};
	struct customs_pkglist out = { 0 };
	struct cat_finish f = { 0 };
	int rc = 0, i;

	memset(r, 0, sizeof(r));
	for (i = 0; i < 2 && !rc; i++)
		rc = cat_python_installed.parse(&in[i], &r[i]);
	f.cat = &cat_python_installed;
	f.entries = e;
	f.n_entries = 2;
	f.out = &out;
	f.warn = warn;
	if (!rc)
		rc = cat_python_installed.finish(&f);
	if (rc && rc != CUSTOMS_ENOMEM)
		abort();
	check(&out);
	customs_pkglist_release(&out);
	for (i = 0; i < 2; i++)
		release(&cat_python_installed, &r[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct cataloger *c;
	struct cat_input in = { 0 };
	struct cat_result res = { 0 };
	int rc, which;

	if (!size)
		return 0;
	which = data[0] % 8;
	if (which == 7) {
		with_finish(data + 1, size - 1);
		return 0;
	}
	c = which < 3 ? &cat_python_installed : &cat_python_package;
	in.path = paths[which];
	in.data = data + 1;
	in.len = size - 1;
	in.dir_mode = true;
	rc = c->parse(&in, &res);
	if (rc && rc != CUSTOMS_ENOMEM)
		abort();
	check(&res.pkgs);
	release(c, &res);
	return 0;
}
