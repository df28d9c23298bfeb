/*
 * Every cataloger, in the order they appear in help text. A cataloger is
 * added here and nowhere else.
 */
#include <stddef.h>

#include "catalog/catalog_int.h"

/* languages */
extern const struct cataloger cat_npm_package;
extern const struct cataloger cat_npm_lock;
extern const struct cataloger cat_python_installed;
extern const struct cataloger cat_python_package;

const struct cataloger *const cat_registry[] = {
	/* OS package databases */
	/* languages */
	&cat_npm_package,
	&cat_npm_lock,
	&cat_python_installed,
	&cat_python_package,
	/* binaries */
	NULL,
};
