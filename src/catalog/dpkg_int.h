/*
 * The dpkg cataloger's files: dpkg.c (the status database and the
 * cataloger), dpkg_files.c (md5sums and conffiles lists, and the merge of
 * every sidecar file into the packages after the scan) and
 * deb_copyright.c (licences from usr/share/doc/<pkg>/copyright).
 *
 * Every file the cataloger reads leaves a struct dpkg_aux in its result,
 * even when it holds no package, so finish() can find each sidecar file
 * by (layer, path).
 */
#ifndef CUSTOMS_CATALOG_DPKG_INT_H
#define CUSTOMS_CATALOG_DPKG_INT_H

#include "catalog/catalog_int.h"
#include "util/arena.h"

#define DPKG_ROOT "var/lib/dpkg/"
#define DPKG_STATUS DPKG_ROOT "status"
#define DPKG_STATUS_D DPKG_ROOT "status.d/"
#define DPKG_INFO DPKG_ROOT "info/"
#define DEB_DOC "usr/share/doc/"

/* Bounds on what one file may contribute. */
#define DPKG_MAX_FILES 1000000 /* lines of one md5sums or conffiles */
#define DPKG_MAX_LICENSES 64 /* licences from one copyright file */

enum dpkg_kind {
	DPKG_KIND_NONE, /* a wanted name at a path that is not dpkg's */
	DPKG_KIND_STATUS, /* var/lib/dpkg/status: many stanzas */
	DPKG_KIND_STATUS_D, /* var/lib/dpkg/status.d/<pkg>: distroless */
	DPKG_KIND_MD5SUMS, /* info/<pkg>[:<arch>].md5sums, status.d/... */
	DPKG_KIND_CONFFILES, /* info/<pkg>[:<arch>].conffiles */
	DPKG_KIND_COPYRIGHT, /* usr/share/doc/<pkg>/copyright */
};

/* One line of an md5sums or conffiles list; strings in the aux arena. */
struct dpkg_file {
	const char *path; /* relative to the root, no leading "/" */
	const char *md5; /* lower-case hex, or NULL (conffiles) */
};

struct dpkg_aux {
	enum dpkg_kind kind;
	struct arena arena;
	struct dpkg_file *files;
	size_t n_files;
	size_t cap_files;
	struct customs_strlist licenses; /* sorted, unique */
	bool dep5; /* the copyright file is machine-readable */
};

/* What kind of dpkg file path is. */
enum dpkg_kind dpkg_classify(const char *path);

/* A new aux of kind, or NULL on no memory. */
struct dpkg_aux *dpkg_aux_new(enum dpkg_kind kind);
void dpkg_aux_free(void *aux);

/*
 * Parse an md5sums ("<md5>  <path>" lines) or a conffiles list ("/path"
 * lines, flags before the path) into aux. Bad lines are warnings on res.
 * Returns 0 or CUSTOMS_ENOMEM.
 */
int dpkg_parse_filelist(struct dpkg_aux *aux, const struct cat_input *in,
			struct cat_result *res);

/*
 * Collect the licences a Debian copyright file declares into aux
 * (sorted, unique); aux->dep5 says whether the file is machine-readable.
 * Returns 0 or CUSTOMS_ENOMEM.
 */
int deb_copyright_parse(struct dpkg_aux *aux, const unsigned char *data,
			size_t len);

/* The dpkg cataloger's finish(): sidecar files into packages. */
int dpkg_finish(struct cat_finish *f);

/* Lower-case 32-hex-digit md5 of s into out[33]; false if s is not one. */
bool dpkg_md5_norm(char out[33], const char *s, size_t n);

extern const struct cataloger cat_dpkg;

#endif
