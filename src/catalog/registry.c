/*
 * Every cataloger, in the order they appear in help text: OS package
 * databases first, then languages, then binaries. A cataloger is added
 * here and nowhere else.
 */
#include <stddef.h>

#include "catalog/bincat.h"
#include "catalog/catalog_int.h"
#include "util/banned.h"

/* OS package databases */
extern const struct cataloger cat_dpkg;
extern const struct cataloger cat_apk;
extern const struct cataloger cat_rpmdb;
/* languages */
extern const struct cataloger cat_npm_package;
extern const struct cataloger cat_npm_lock;
extern const struct cataloger cat_python_installed;
extern const struct cataloger cat_python_package;
extern const struct cataloger cat_gemspec;
extern const struct cataloger cat_gemfile_lock;
extern const struct cataloger cat_composer_installed;
extern const struct cataloger cat_composer_lock;
extern const struct cataloger cat_dotnet_deps;
extern const struct cataloger cat_dotnet_lock;
extern const struct cataloger cat_cargo_lock;
extern const struct cataloger cat_java_archive;
/* binaries */
extern const struct cataloger cat_java_jvm;

const struct cataloger *const cat_registry[] = {
	&cat_dpkg,
	&cat_apk,
	&cat_rpmdb,
	&cat_npm_package,
	&cat_npm_lock,
	&cat_python_installed,
	&cat_python_package,
	&cat_gemspec,
	&cat_gemfile_lock,
	&cat_composer_installed,
	&cat_composer_lock,
	&cat_dotnet_deps,
	&cat_dotnet_lock,
	&cat_cargo_lock,
	&cat_java_archive,
	&cat_java_jvm,
	&cat_go_module_binary,
	&cat_cargo_auditable_binary,
	&cat_binary_classifier,
	NULL,
};
