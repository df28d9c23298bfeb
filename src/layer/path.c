/*
 * Tar member names as layers write them ("./etc/", "usr//bin/x") reduced
 * to the index form ("etc", "usr/bin/x"). Names that climb out of the
 * root are refused here, at the one place every entry passes, rather than
 * trusted and clamped later.
 */
#include <string.h>

#include "layer/layer_int.h"
#include "util/path.h"
#include "util/banned.h"

int layer_path_normalize(char *out, const char *in, const char **why)
{
	const char *p = in, *c;
	size_t n = 0, len;

	*why = NULL;
	if (*p == '/') {
		*why = "absolute path";
		return CUSTOMS_EFORMAT;
	}
	while (path_next(&p, &c, &len)) {
		if (path_is_dotdot(c, len)) {
			*why = "path with '..'";
			return CUSTOMS_EFORMAT;
		}
		if (path_is_dot(c, len))
			continue;
		if (n)
			out[n++] = '/';
		memcpy(out + n, c, len);
		n += len;
	}
	out[n] = '\0';
	return 0;
}
