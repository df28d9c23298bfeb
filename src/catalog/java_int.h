/*
 * Shared between the Java cataloger's files: the facts read from one
 * archive (manifest, pom.properties, pom.xml, file name) and the identity
 * decided from them.
 */
#ifndef CUSTOMS_CATALOG_JAVA_INT_H
#define CUSTOMS_CATALOG_JAVA_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "catalog/catalog_int.h"
#include "util/arena.h"

/* Limits on what one archive's metadata may hold. */
#define JAVA_MF_MAX_ATTRS 4096
#define JAVA_VALUE_MAX 65536
#define JAVA_MAX_POMS 4096
#define JAVA_XML_MAX_DEPTH 64

/* One manifest attribute; section 0 is the main section. */
struct java_attr {
	const char *key;
	const char *value;
	unsigned section;
};

struct java_manifest {
	struct java_attr *v;
	size_t n;
	size_t cap;
	bool truncated; /* more attributes than JAVA_MF_MAX_ATTRS */
};

/* Maven coordinates from a pom.properties or a pom.xml. */
struct java_pom {
	const char *dir; /* directory of the file inside the archive */
	const char *group;
	const char *artifact;
	const char *version;
	const char *parent_group; /* pom.xml <parent> only */
	const char *parent_artifact;
	const char *name; /* pom.xml <name> */
};

/* Everything read from one archive, strings in arena. */
struct java_facts {
	struct arena *arena;
	const char *file_name; /* last component of the archive's path */
	bool has_manifest;
	struct java_manifest mf;
	struct java_pom *props; /* sorted by dir */
	size_t n_props;
	struct java_pom *xmls; /* sorted by dir */
	size_t n_xmls;
};

/* The identity of one package to emit. */
struct java_ident {
	const char *name;
	const char *version;
	const char *group;
	const struct java_pom *props; /* the pom.properties it came from */
};

extern const struct cataloger cat_java_archive;
extern const struct cataloger cat_java_jvm;

/* java_meta.c: parsers. Bad lines are skipped; only ENOMEM is an error. */
int java_manifest_parse(struct java_manifest *mf, struct arena *a,
			const char *data, size_t len);
void java_manifest_release(struct java_manifest *mf);
/* The value of key in the main section (case-insensitive), or NULL. */
const char *java_mf_main(const struct java_manifest *mf, const char *key);
/* The value of key in the main section, else the first other section. */
const char *java_mf_any(const struct java_manifest *mf, const char *key);
int java_props_parse(struct java_pom *out, struct arena *a, const char *data,
		     size_t len);
int java_pomxml_parse(struct java_pom *out, struct arena *a, const char *data,
		      size_t len);

/* java_ident.c: decisions. */
void java_filename_parse(const char *file, struct arena *a, const char **name,
			 const char **version);
/*
 * The archive's own package: *main filled and true, or false when the
 * archive gives no identity. *used is the pom.properties index used, or
 * -1.
 */
bool java_main_ident(struct java_ident *main, const struct java_facts *f,
		     long *used);
/* Does props describe the same package as main (Syft's rules)? */
bool java_same_package(const struct java_ident *main,
		       const struct java_pom *props);
/* The groupId Syft would infer for name from f (never NULL: name). */
const char *java_group_infer(const char *name, const struct java_facts *f,
			     const struct java_pom *props);

#endif
