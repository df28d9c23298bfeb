/*
 * Tar member names as layers write them ("./etc/", "usr//bin/x") reduced
 * to the index form ("etc", "usr/bin/x"). Names that climb out of the
 * root are refused here, at the one place every entry passes, rather than
 * trusted and clamped later.
 */
#include <string.h>

#include "layer/layer_int.h"
#include "util/banned.h"

int layer_path_normalize(char *out, const char *in, const char **why)
{
	const char *p = in;
	size_t n = 0;

	*why = NULL;
	if (*p == '/') {
		*why = "absolute path";
		return CUSTOMS_EFORMAT;
	}
	while (*p) {
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len == 2 && p[0] == '.' && p[1] == '.') {
			*why = "path with '..'";
			return CUSTOMS_EFORMAT;
		}
		if (len && !(len == 1 && p[0] == '.')) {
			if (n)
				out[n++] = '/';
			memcpy(out + n, p, len);
			n += len;
		}
		p += len;
		while (*p == '/')
			p++;
	}
	out[n] = '\0';
	return 0;
}
