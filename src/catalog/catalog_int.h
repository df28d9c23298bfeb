/*
 * The cataloger interface. A cataloger is a pure parser plus an optional
 * merge step:
 *
 * - parse() runs on scan worker threads, once per wanted file per layer,
 *   with the file's content. It appends packages (each with a primary
 *   location for in->path and in->layer) to res->pkgs, problems to
 *   res->warnings ("line 12: no Version field": the catalog prefixes the
 *   layer and path), and may keep side facts in res->aux for finish().
 *   It must not touch shared state. Bad input is a warning, never an
 *   error: the only error it returns is CUSTOMS_ENOMEM.
 * - finish() runs once on the scanning thread with every result the
 *   cataloger produced (all layers, in layer then path order, each with
 *   its visible flag), to merge sidecar files into packages (dpkg
 *   md5sums, python RECORD) and move the packages of the entries in
 *   scope into f->out. NULL means "move every package of every entry in
 *   scope" (cat_finish_default).
 *
 * The catalog then fills layer ids and visibility, derives PURLs and
 * CPEs, merges duplicates, drops binaries an OS package owns and sorts.
 */
#ifndef CUSTOMS_CATALOG_INT_H
#define CUSTOMS_CATALOG_INT_H

#include "customs/catalog.h"
#include "customs/fsindex.h"

/* Where a cataloger runs by default (Syft's image/directory tags). */
#define CAT_IMAGE 0x1u /* installed evidence: runs on images and dirs */
#define CAT_DIR_ONLY 0x2u /* declared lock files: only with dir_mode */
#define CAT_OS 0x4u /* an OS package database (owns files) */
/* parse() says itself when a cut-off file mattered (executables: most
 * are not what the cataloger looks for, so a blanket "file was larger
 * than the cap" warning would be noise) */
#define CAT_OWN_TRUNCATION 0x8u
/* large files are planned by their ELF structure (bincat_elf_plan) and
 * parse() takes in->ranges: for strings outside machine code (the
 * version classifiers, which read a file that is not ELF whole), Go
 * build info, or cargo-auditable's section */
#define CAT_PLAN_MASK 0x30u
#define CAT_PLAN_DATA 0x10u
#define CAT_PLAN_GO 0x20u
#define CAT_PLAN_CARGO 0x30u

struct cat_input {
	const char *path; /* relative to the root: "var/lib/dpkg/status" */
	int layer;
	const unsigned char *data; /* content, not NUL-terminated */
	size_t len;
	bool truncated; /* data is the first len bytes of a longer file */
	const struct customs_file *file;
	bool dir_mode;
	/* NULL: data is the file's first len bytes; else the file ranges
	 * data holds back to back (the cataloger planned, see plan) */
	const struct customs_range *ranges;
	size_t n_ranges;
};

struct cat_result {
	struct customs_pkglist pkgs;
	struct customs_strlist warnings;
	void *aux; /* cataloger-private, freed with aux_free */
};

struct cat_entry {
	char *path;
	int layer;
	bool visible; /* this (layer, path) is what the final fs shows */
	struct cat_result *res;
};

struct cataloger;

struct cat_finish {
	const struct cataloger *cat;
	struct cat_entry *entries; /* layer order, then path order */
	size_t n_entries;
	enum customs_scope scope;
	const struct customs_fsindex *files; /* the squashed filesystem */
	struct customs_pkglist *out; /* take packages out of entries into it */
	/* add a warning about (layer, path); 0 or CUSTOMS_ENOMEM */
	int (*warn)(struct cat_finish *f, int layer, const char *path,
		    const char *msg);
	void *catalog;
};

struct cataloger {
	const char *name; /* Syft's cataloger name: "dpkg-db-cataloger" */
	const char *tags; /* space-separated: "os dpkg deb" */
	const struct customs_want *wants;
	size_t n_wants;
	size_t max_bytes;
	unsigned flags;
	int (*parse)(const struct cat_input *in, struct cat_result *res);
	int (*finish)(struct cat_finish *f);
	void (*aux_free)(void *aux);
};

/* Is entry e in the scope f asks for? */
bool cat_in_scope(const struct cat_finish *f, const struct cat_entry *e);

/* Move every package of every entry in scope into f->out. */
int cat_finish_default(struct cat_finish *f);

/* Append a warning to res: printf-style, one line. 0 or CUSTOMS_ENOMEM. */
int cat_warn(struct cat_result *res, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * A new package of type with a primary location at in (path, layer) and
 * found_by set to the cataloger's name; pushed onto res->pkgs. Returns
 * the package (owned by res) or NULL on allocation failure.
 */
struct customs_pkg *cat_pkg_new(struct cat_result *res,
				const struct cat_input *in,
				const char *found_by,
				enum customs_pkg_type type);

/* The registry: every cataloger, NULL-terminated (registry.c). */
extern const struct cataloger *const cat_registry[];

#endif
