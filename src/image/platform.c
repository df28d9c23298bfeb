/*
 * Platform selection from an index (OCI index or Docker manifest list).
 * A platform is "os/arch[/variant]"; the default is linux/amd64.
 * Attestation manifests (os "unknown", or a vnd.docker.reference.type
 * annotation) are not platforms and are never chosen. Variants: a
 * request without one takes any variant of the architecture, preferring
 * the default one (v8 for arm64, v7 for arm, none elsewhere); a request
 * with one must match, where arm64 without a variant counts as arm64/v8.
 * Among equal matches the first in index order wins.
 */
#include <stdio.h>
#include <string.h>

#include "image/image_priv.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

#define PLATFORM_MAX 200

static int bad_platform(const char *s, struct customs_ctx *ctx)
{
	return customs_error(
		ctx, CUSTOMS_EINVAL,
		"bad platform '%.100s': expected os/arch[/variant]", s);
}

/* Copy the next '/'-separated part of *s into out (size 64). */
static bool next_part(char *out, const char **s)
{
	size_t n = strcspn(*s, "/");

	if (n == 0 || n >= 64)
		return false;
	memcpy(out, *s, n);
	out[n] = '\0';
	*s += n;
	if (**s == '/')
		++*s;
	return true;
}

static void alias(char *arch)
{
	if (!strcmp(arch, "x86_64"))
		memcpy(arch, "amd64", sizeof("amd64"));
	else if (!strcmp(arch, "aarch64"))
		memcpy(arch, "arm64", sizeof("arm64"));
}

int image_platform_parse(struct image_platform *p, const char *s,
			 struct customs_ctx *ctx)
{
	const char *r = s ? s : "linux/amd64";

	memset(p, 0, sizeof(*p));
	p->explicit = s != NULL;
	if (!next_part(p->os, &r) || !next_part(p->arch, &r))
		return bad_platform(s, ctx);
	if (*r && (!next_part(p->variant, &r) || *r))
		return bad_platform(s, ctx);
	if (r > s && r[-1] == '/')
		return bad_platform(s, ctx);
	alias(p->arch);
	return 0;
}

static const char *default_variant(const char *arch, const char *variant)
{
	if (variant && *variant)
		return variant;
	if (!strcmp(arch, "arm64"))
		return "v8";
	if (!strcmp(arch, "arm"))
		return "v7";
	return "";
}

/* 2: exact, 1: acceptable, 0: no match. */
static int score(const char *os, const char *arch, const char *variant,
		 const struct image_platform *w)
{
	const char *have, *want;

	if (!os || !arch || strcmp(os, w->os) || strcmp(arch, w->arch))
		return 0;
	have = default_variant(arch, variant);
	want = default_variant(w->arch, w->variant);
	if (!strcmp(have, want))
		return 2;
	return w->variant[0] ? 0 : 1;
}

static void platform_str(char *out, size_t n, const char *os, const char *arch,
			 const char *variant)
{
	snprintf(out, n, "%s/%s%s%s", os, arch, variant && *variant ? "/" : "",
		 variant ? variant : "");
}

static bool is_real(const struct image_desc *d)
{
	return d->has_platform && d->os && d->arch && !d->attestation;
}

static int not_found(const struct customs_strlist *avail,
		     const struct image_platform *want, const char *what,
		     struct customs_ctx *ctx)
{
	char w[PLATFORM_MAX];
	char *list = image_strlist_join(avail);

	platform_str(w, sizeof(w), want->os, want->arch, want->variant);
	customs_error(ctx, CUSTOMS_ENOTFOUND,
		      "%s: platform %s not in image; available: %s", what, w,
		      list ? list : "?");
	customs_free(list);
	return CUSTOMS_ENOTFOUND;
}

/* The only non-attestation entry, when no entry names a platform. */
static size_t lone_entry(const struct image_desc *v, size_t n)
{
	size_t i, found = SIZE_MAX;

	for (i = 0; i < n; i++) {
		if (is_real(&v[i]))
			return SIZE_MAX;
		if (v[i].attestation)
			continue;
		if (found != SIZE_MAX)
			return SIZE_MAX;
		found = i;
	}
	return found;
}

static int collect(struct customs_strlist *l, const struct image_desc *v,
		   size_t n)
{
	char s[PLATFORM_MAX];
	size_t i;

	for (i = 0; i < n; i++) {
		if (!is_real(&v[i]))
			continue;
		platform_str(s, sizeof(s), v[i].os, v[i].arch, v[i].variant);
		if (!image_strlist_has(l, s) && image_strlist_push(l, s))
			return CUSTOMS_ENOMEM;
	}
	return 0;
}

int image_platform_select(size_t *chosen, struct customs_strlist *platforms,
			  const struct image_desc *v, size_t n,
			  const struct image_platform *want, const char *what,
			  struct customs_ctx *ctx)
{
	struct customs_strlist l = { NULL, 0 };
	size_t i, best = lone_entry(v, n);
	int s, best_score = 0;

	if (collect(&l, v, n)) {
		image_strlist_release(&l);
		return customs_error(ctx, CUSTOMS_ENOMEM, "%s: out of memory",
				     what);
	}
	for (i = 0; i < n; i++) {
		s = is_real(&v[i])
			    ? score(v[i].os, v[i].arch, v[i].variant, want)
			    : 0;
		if (s > best_score) {
			best_score = s;
			best = i;
		}
	}
	if (best == SIZE_MAX) {
		not_found(&l, want, what, ctx);
		image_strlist_release(&l);
		return CUSTOMS_ENOTFOUND;
	}
	image_strlist_release(platforms);
	*platforms = l;
	*chosen = best;
	return 0;
}

int image_platform_check(const struct customs_image_info *info,
			 const struct image_platform *want, const char *what,
			 struct customs_ctx *ctx)
{
	char s[PLATFORM_MAX];

	struct customs_strlist one = { NULL, 0 };
	int rc = CUSTOMS_ENOTFOUND;

	/* An index already chose by its own platform fields. */
	if (info->platforms.n || !want->explicit ||
	    score(info->os, info->architecture, info->variant, want))
		return 0;
	if (info->os && info->architecture) {
		platform_str(s, sizeof(s), info->os, info->architecture,
			     info->variant);
		if (image_strlist_push(&one, s))
			rc = customs_error(ctx, CUSTOMS_ENOMEM,
					   "%s: out of memory", what);
	}
	if (rc == CUSTOMS_ENOTFOUND)
		not_found(&one, want, what, ctx);
	image_strlist_release(&one);
	return rc;
}
