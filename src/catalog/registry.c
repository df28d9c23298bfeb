/*
 * Every cataloger, in the order they appear in help text: OS package
 * databases first, then languages, then binaries. A cataloger is added
 * here and nowhere else.
 */
#include <stddef.h>

#include "catalog/catalog_int.h"

/* OS package databases */
extern const struct cataloger cat_dpkg;
extern const struct cataloger cat_apk;
/* languages */
extern const struct cataloger cat_npm_package;
extern const struct cataloger cat_npm_lock;
extern const struct cataloger cat_python_installed;
extern const struct cataloger cat_python_package;

const struct cataloger *const cat_registry[] = {
	&cat_dpkg,
	&cat_apk,
	&cat_npm_package,
	&cat_npm_lock,
	&cat_python_installed,
	&cat_python_package,
	NULL,
};
