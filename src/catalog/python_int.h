/*
 * Shared by the Python catalogers (python_installed.c, python_record.c,
 * python_locks.c, python_requirements.c).
 */
#ifndef CUSTOMS_CATALOG_PYTHON_INT_H
#define CUSTOMS_CATALOG_PYTHON_INT_H

#include "catalog/catalog_int.h"
#include "util/buf.h"

#define PY_INSTALLED_CATALOGER "python-installed-package-cataloger"
#define PY_PACKAGE_CATALOGER "python-package-cataloger"

/* Rows of one RECORD or installed-files.txt that are kept. */
#define PY_MAX_RECORD_ROWS 200000

/* The kinds of file the installed cataloger is offered. */
enum py_file {
	PY_OTHER,
	PY_METADATA, /* *.dist-info/METADATA, *.egg-info/PKG-INFO */
	PY_EGG_FILE, /* a single-file *.egg-info */
	PY_RECORD, /* *.dist-info/RECORD */
	PY_INSTALLED_FILES, /* *.egg-info/installed-files.txt */
};

enum py_file py_classify(const char *path);

/*
 * Parse RECORD (CSV: path,algo=urlsafe-base64,size; paths relative to
 * the directory holding the .dist-info) or installed-files.txt (one path
 * a line, relative to the .egg-info directory) into res->aux. 0 or
 * CUSTOMS_ENOMEM.
 */
int py_parse_owned_files(const struct cat_input *in, struct cat_result *res,
			 enum py_file kind);

/* Free what py_parse_owned_files() left in aux. */
void py_aux_free(void *aux);

/* Attach owned files to the packages, then move those in scope. */
int py_finish(struct cat_finish *f);

/* Join dir and rel ("a/b" + "../c/./d" -> "a/c/d"), clamped at the root.
 * Heap string or NULL on no memory. */
char *py_join(const char *dir, size_t dir_len, struct cslice rel);

/*
 * A new python package for the package cataloger (lock files) in *out;
 * a name or version with control bytes is refused with a warning (*out
 * NULL). Returns 0 or CUSTOMS_ENOMEM.
 */
int py_lock_pkg(struct customs_pkg **out, struct cat_result *res,
		const struct cat_input *in, struct cslice name,
		struct cslice version);

/* Add msg to res unless it is already the last warning. */
int py_warn_once(struct cat_result *res, const char *msg);

/* Lock and requirements parsers (python_locks.c, python_requirements.c). */
int py_parse_requirements(const struct cat_input *in, struct cat_result *res);
int py_parse_pipfile_lock(const struct cat_input *in, struct cat_result *res);
int py_parse_poetry_lock(const struct cat_input *in, struct cat_result *res);
int py_parse_uv_lock(const struct cat_input *in, struct cat_result *res);

#endif
