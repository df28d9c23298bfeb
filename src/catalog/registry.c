/*
 * Every cataloger, in the order they appear in help text. A cataloger is
 * added here and nowhere else.
 */
#include <stddef.h>

#include "catalog/bincat.h"
#include "catalog/catalog_int.h"
#include "util/banned.h"

extern const struct cataloger cat_dpkg;
extern const struct cataloger cat_apk;

const struct cataloger *const cat_registry[] = {
	/* OS package databases */
	&cat_dpkg,
	&cat_apk,
	/* binaries last */
	&cat_go_module_binary,
	&cat_cargo_auditable_binary,
	&cat_binary_classifier,
	NULL,
};
