/*
 * Every cataloger, in the order they appear in help text. A cataloger is
 * added here and nowhere else.
 */
#include <stddef.h>

#include "catalog/catalog_int.h"

const struct cataloger *const cat_registry[] = {
	NULL,
};
