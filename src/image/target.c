/*
 * Target strings: "docker-archive:PATH[:REF]", "oci:DIR[:REF]",
 * "oci-archive:PATH[:REF]", "dir:PATH", or a bare path whose kind is
 * found by looking at it. Paths may contain ':' themselves, so PATH:REF
 * is split at the longest prefix that exists on disk. Archives given as
 * bare paths are told apart later, by the members of their tar index.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "customs/reference.h"
#include "image/image_priv.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

#define TARGET_MAX 4096

static const char *const kind_names[] = {
	[CUSTOMS_SOURCE_DOCKER_ARCHIVE] = "docker-archive",
	[CUSTOMS_SOURCE_OCI_DIR] = "oci",
	[CUSTOMS_SOURCE_OCI_ARCHIVE] = "oci-archive",
	[CUSTOMS_SOURCE_DIR] = "dir",
	[CUSTOMS_SOURCE_REGISTRY] = "registry",
};

#define N_KINDS (sizeof(kind_names) / sizeof(kind_names[0]))

const char *customs_source_kind_name(enum customs_source_kind kind)
{
	if ((unsigned)kind >= N_KINDS)
		return "unknown";
	return kind_names[kind];
}

char *image_source_label(int kind, const char *path)
{
	struct cbuf b = CBUF_INIT(TARGET_MAX + 64);

	if (kind >= 0)
		cbuf_printf(&b, "%s ", customs_source_kind_name(kind));
	cbuf_printf(&b, "'%s'", path);
	return cbuf_detach(&b);
}

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static int registry_target(struct image_target *t, const char *ref,
			   struct customs_ctx *ctx)
{
	if (!*ref)
		return customs_error(ctx, CUSTOMS_EINVAL,
				     "image target 'registry:' has no "
				     "reference");
	t->kind = CUSTOMS_SOURCE_REGISTRY;
	t->path = customs_strdup(ref);
	t->ref = customs_strdup(ref);
	if (!t->path || !t->ref)
		return customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	return 0;
}

/*
 * A bare target that is no path: a reference unless it looks like a
 * path (starts with '/', '.' or '~', or names a .tar) or does not parse.
 */
static bool looks_like_ref(const char *s)
{
	struct customs_ref r;
	size_t n = strlen(s);

	if (strchr("/.~", s[0]) || (n >= 4 && !strcmp(s + n - 4, ".tar")))
		return false;
	if (customs_ref_parse(&r, s, NULL))
		return false;
	customs_ref_release(&r);
	return true;
}

/* Split s into path and ref at the longest prefix that exists. */
static int split(struct image_target *t, const char *s, bool allow_ref,
		 struct customs_ctx *ctx)
{
	char *p = customs_strdup(s);
	char *c;

	if (!p)
		return customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	if (exists(p) || !allow_ref) {
		t->path = p;
		return 0;
	}
	while ((c = strrchr(p, ':'))) {
		*c = '\0';
		if (!exists(p))
			continue;
		t->path = p;
		if (!c[1])
			return 0;
		t->ref = customs_strdup(s + (c - p) + 1);
		if (!t->ref)
			return customs_error(ctx, CUSTOMS_ENOMEM,
					     "out of memory");
		return 0;
	}
	customs_free(p);
	if (t->kind < 0 && looks_like_ref(s))
		return registry_target(t, s, ctx);
	return customs_error(ctx, CUSTOMS_ENOTFOUND, "no such file: '%s'", s);
}

int image_target_parse(struct image_target *t, const char *target,
		       struct customs_ctx *ctx)
{
	const char *rest = target;
	size_t i, n;

	memset(t, 0, sizeof(*t));
	t->kind = -1;
	if (!target || !*target)
		return customs_error(ctx, CUSTOMS_EINVAL, "empty image target");
	if (strlen(target) > TARGET_MAX)
		return customs_error(ctx, CUSTOMS_EINVAL,
				     "image target longer than %d bytes",
				     TARGET_MAX);
	if (!strncmp(target, "registry:", 9))
		return registry_target(t, target + 9, ctx);
	for (i = 0; i < N_KINDS; i++) {
		n = strlen(kind_names[i]);
		if (!strncmp(target, kind_names[i], n) && target[n] == ':') {
			t->kind = (int)i;
			rest = target + n + 1;
			break;
		}
	}
	if (!*rest)
		return customs_error(ctx, CUSTOMS_EINVAL,
				     "image target '%s' has no path", target);
	return split(t, rest, t->kind != CUSTOMS_SOURCE_DIR, ctx);
}

void image_target_release(struct image_target *t)
{
	customs_free(t->path);
	customs_free(t->ref);
	t->path = t->ref = NULL;
}

int image_target_detect(struct image_target *t, struct customs_ctx *ctx)
{
	struct cbuf layout = CBUF_INIT(TARGET_MAX + 64);
	struct stat st;

	if (t->kind >= 0)
		return 0;
	if (stat(t->path, &st))
		return customs_error(ctx, CUSTOMS_ENOTFOUND,
				     "no such file: '%s'", t->path);
	if (S_ISREG(st.st_mode))
		return 0;
	if (!S_ISDIR(st.st_mode))
		return customs_error(ctx, CUSTOMS_EFORMAT,
				     "'%s': not an image: neither a file nor a "
				     "directory",
				     t->path);
	cbuf_printf(&layout, "%s/oci-layout", t->path);
	if (cbuf_error(&layout))
		return customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	t->kind = exists(layout.ptr) ? CUSTOMS_SOURCE_OCI_DIR
				     : CUSTOMS_SOURCE_DIR;
	cbuf_release(&layout);
	return 0;
}
