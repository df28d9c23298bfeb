/*
 * Fuzz target for the Java catalogers (catalog/java_*.c): the input is a
 * whole archive, parsed as "lib/app-1.0.jar" by java-archive-cataloger
 * (zip reader, nested archives, manifest, pom.properties, pom.xml) and as
 * a JVM `release` file by java-jvm-cataloger. Besides memory errors it
 * checks the invariants: only CUSTOMS_ENOMEM is an error, every package
 * has a name and a location at the input path, and a nested package's
 * access path starts with that path.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/java_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct cat_result *res, const char *path)
{
	size_t i;

	for (i = 0; i < res->pkgs.n; i++) {
		const struct customs_pkg *p = res->pkgs.v[i];
		const char *acc;

		if (!p->name || !p->name[0] || p->n_locations != 1 ||
		    strcmp(p->locations[0].path, path))
			abort();
		acc = p->locations[0].access_path;
		if (acc && (strncmp(acc, path, strlen(path)) ||
			    acc[strlen(path)] != ':'))
			abort();
	}
}

static void run(const struct cataloger *c, const char *path,
		const uint8_t *data, size_t size)
{
	struct cat_input in = {
		path, 0, data, size, false, NULL, false, NULL, 0
	};
	struct cat_result res;
	int rc;

	memset(&res, 0, sizeof(res));
	rc = c->parse(&in, &res);
	if (rc != 0 && rc != CUSTOMS_ENOMEM)
		abort();
	if (!rc) /* after ENOMEM a package may be half filled */
		check(&res, path);
	customs_pkglist_release(&res.pkgs);
	customs_strlist_release(&res.warnings);
	if (res.aux && c->aux_free)
		c->aux_free(res.aux);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run(&cat_java_archive, "lib/app-1.0.jar", data, size);
	run(&cat_java_jvm, "usr/lib/jvm/x/release", data, size);
	return 0;
}
