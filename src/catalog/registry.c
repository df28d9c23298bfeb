/*
 * Every cataloger, in the order they appear in help text. A cataloger is
 * added here and nowhere else.
 */
#include <stddef.h>

#include "catalog/catalog_int.h"

extern const struct cataloger cat_java_archive;
extern const struct cataloger cat_java_jvm;

const struct cataloger *const cat_registry[] = {
	&cat_java_archive,
	&cat_java_jvm,
	NULL,
};
