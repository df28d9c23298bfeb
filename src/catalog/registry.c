/*
 * Every cataloger, in the order they appear in help text. A cataloger is
 * added here and nowhere else.
 */
#include <stddef.h>

#include "catalog/catalog_int.h"

extern const struct cataloger cat_dpkg;
extern const struct cataloger cat_apk;
/* languages */
extern const struct cataloger cat_gemspec;
extern const struct cataloger cat_gemfile_lock;
extern const struct cataloger cat_composer_installed;
extern const struct cataloger cat_composer_lock;
extern const struct cataloger cat_dotnet_deps;
extern const struct cataloger cat_dotnet_lock;
extern const struct cataloger cat_cargo_lock;

const struct cataloger *const cat_registry[] = {
	/* OS package databases */
	&cat_dpkg,
	&cat_apk,
	/* languages */
	&cat_gemspec,
	&cat_gemfile_lock,
	&cat_composer_installed,
	&cat_composer_lock,
	&cat_dotnet_deps,
	&cat_dotnet_lock,
	&cat_cargo_lock,
	/* binaries */
	NULL,
};
