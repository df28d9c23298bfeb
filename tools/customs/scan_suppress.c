/*
 * --distro, --ignore and --vex for `customs scan` and `customs check`:
 * option parsing, loading the ignore rules and VEX documents (bounded
 * reads), the VEX product names of a target, and the matcher's warnings.
 * Everything loaded is owned by the scan_suppress and lives until
 * scan_suppress_release(); the match options only borrow it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "scan_suppress.h"
#include "util/banned.h"

#define SCAN_MAX_INPUT (512ull << 20) /* SBOM, ignore and VEX files */

int scan_suppress_opt(struct scan_suppress *s, struct customs_match_opts *mo,
		      int code, const char *arg)
{
	switch (code) {
	case OPT_SUPPRESS_DISTRO:
		mo->distro = arg;
		return 0;
	case OPT_SUPPRESS_IGNORE:
		s->ignore = arg;
		return 0;
	case OPT_SUPPRESS_VEX:
		if (s->n_vex == SCAN_MAX_VEX)
			return usage_error("too many --vex (at most %d)",
					   SCAN_MAX_VEX);
		s->vex[s->n_vex++] = arg;
		return 0;
	default:
		return usage_error("internal: option %d", code);
	}
}

int scan_read_input(const char *path, const char *what, char **data,
		    size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	size_t n;

	*data = NULL;
	if (!f || fstat(fileno(f), &st) || !S_ISREG(st.st_mode)) {
		if (f)
			fclose(f);
		return usage_error("%s '%s': cannot read: %s", what, path,
				   f ? "not a regular file" : strerror(errno));
	}
	if ((unsigned long long)st.st_size > SCAN_MAX_INPUT) {
		fclose(f);
		return usage_error("%s '%s': larger than %llu MiB", what, path,
				   SCAN_MAX_INPUT >> 20);
	}
	*data = malloc((size_t)st.st_size + 1);
	n = *data ? fread(*data, 1, (size_t)st.st_size, f) : 0;
	fclose(f);
	if (!*data || n != (size_t)st.st_size) {
		free(*data);
		*data = NULL;
		return usage_error("%s '%s': read failed", what, path);
	}
	(*data)[n] = '\0';
	*len = n;
	return 0;
}

int scan_suppress_load(struct scan_suppress *s, struct customs_match_opts *mo,
		       struct customs_ctx *ctx, int *exit_code)
{
	char *data = NULL;
	size_t len = 0;
	int i, rc = 0;

	if (s->ignore) {
		if ((*exit_code = scan_read_input(s->ignore, "ignore file",
						  &data, &len)))
			return CUSTOMS_EINVAL;
		rc = customs_ignore_rules_parse(&s->rules, data, len, s->ignore,
						ctx);
		free(data);
		mo->rules = s->rules;
	}
	if (!rc && s->n_vex && !(rc = customs_vex_new(&s->vexdoc)))
		mo->vex = s->vexdoc;
	for (i = 0; !rc && i < s->n_vex; i++) {
		if ((*exit_code = scan_read_input(s->vex[i], "VEX file", &data,
						  &len)))
			return CUSTOMS_EINVAL;
		rc = customs_vex_add(s->vexdoc, data, len, s->vex[i], ctx);
		free(data);
	}
	return rc;
}

void scan_suppress_products(struct scan_suppress *s,
			    struct customs_match_opts *mo, const char *target,
			    const struct customs_sbom *sbom)
{
	const struct customs_sbom_source *src = &sbom->source;
	size_t n = 0, i;

	s->products[n++] = target;
	if (src->name)
		s->products[n++] = src->name;
	if (src->image_id)
		s->products[n++] = src->image_id;
	if (src->manifest_digest)
		s->products[n++] = src->manifest_digest;
	for (i = 0; i < src->tags.n && n < SCAN_MAX_PRODUCTS; i++)
		s->products[n++] = src->tags.v[i];
	s->products[n] = NULL;
	mo->vex_products = s->products;
}

void scan_suppress_release(struct scan_suppress *s)
{
	customs_ignore_rules_free(s->rules);
	customs_vex_free(s->vexdoc);
	s->rules = NULL;
	s->vexdoc = NULL;
}

void scan_print_match_warnings(const struct customs_match_result *res)
{
	size_t i;

	for (i = 0; res && i < res->warnings.n; i++)
		fprintf(stderr, "customs: warning: %s\n", res->warnings.v[i]);
}
