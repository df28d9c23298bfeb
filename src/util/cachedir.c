/*
 * The cache directory every cache of customs lives under (cachedir.h):
 * one resolution order, so the registry's blob cache and the secrets
 * module's Hyperscan cache never disagree about where "the cache" is.
 * Nothing here creates a directory except cachedir_mkdirs(), and only
 * with mode 0700: caches may hold image contents.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "util/cachedir.h"
#include "util/banned.h"

int cachedir_resolve(struct cbuf *b, const char *override)
{
	const char *env = getenv("CUSTOMS_CACHE_DIR");
	const char *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");

	if (override)
		return cbuf_puts(b, override);
	if (env && *env)
		return cbuf_puts(b, env);
	/* the XDG spec: a relative value is invalid and must be ignored */
	if (xdg && *xdg == '/')
		return cbuf_printf(b, "%s/customs", xdg);
	if (home && *home)
		return cbuf_printf(b, "%s/.cache/customs", home);
	return CUSTOMS_ENOTFOUND;
}

int cachedir_mkdirs(char *path)
{
	char *p;

	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return mkdir(path, 0700) && errno != EEXIST ? -1 : 0;
}
