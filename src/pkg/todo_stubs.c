/*
 * TEMPORARY placeholders so the tree links while purl.c, cpe.c and
 * license.c are written. Delete this file when they land.
 */
#include "customs/pkg.h"
#include "pkg/pkg_int.h"

int customs_purl_build(char **out, const struct customs_pkg *pkg,
		       const struct customs_pkg_distro *distro)
{
	(void)pkg;
	(void)distro;
	*out = NULL;
	return 0;
}

int pkg_cpe_generate(struct customs_pkg *pkg,
		     const struct customs_pkg_distro *distro)
{
	(void)pkg;
	(void)distro;
	return 0;
}
