/*
 * Walking '/'-separated paths one component at a time. Empty components
 * ("a//b", a trailing "/") are skipped; "." and ".." are returned for the
 * caller to decide on, since tar names, archive members and symlink
 * targets each treat them differently.
 */
#ifndef CUSTOMS_UTIL_PATH_H
#define CUSTOMS_UTIL_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/** Next component of *cur: sets comp/len and advances; false at the end. */
static inline bool path_next(const char **cur, const char **comp, size_t *len)
{
	const char *r = *cur;

	while (*r == '/')
		r++;
	*comp = r;
	while (*r && *r != '/')
		r++;
	*len = (size_t)(r - *comp);
	*cur = r;
	return *len != 0;
}

/** The last component of path: what follows its last '/', or path. */
static inline const char *path_base(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/** Does name end in suffix (".hsdb", ".jar")? */
static inline bool path_has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), m = strlen(suffix);

	return n >= m && !strcmp(name + n - m, suffix);
}

static inline bool path_is_dot(const char *comp, size_t len)
{
	return len == 1 && comp[0] == '.';
}

static inline bool path_is_dotdot(const char *comp, size_t len)
{
	return len == 2 && comp[0] == '.' && comp[1] == '.';
}

#endif
