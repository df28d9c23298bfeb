/*
 * The catalog: wraps each selected cataloger in an analyzer, runs its
 * parser on worker threads and keeps every (layer, path) result for the
 * merge after the scan (merge.c). Results are kept for every layer, not
 * only the visible one, so --scope all-layers and "the layer that
 * introduced this package" come from the same single pass.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "catalog/bincat.h"
#include "catalog/catalog_int.h"
#include "catalog/catalog_priv.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

int cat_warn(struct cat_result *res, const char *fmt, ...)
{
	struct cbuf b;
	va_list ap;
	int rc;

	cbuf_init(&b, 4096);
	va_start(ap, fmt);
	cbuf_vprintf(&b, fmt, ap);
	va_end(ap);
	rc = cbuf_error(&b) == CUSTOMS_ENOMEM
		     ? CUSTOMS_ENOMEM
		     : customs_strlist_add(&res->warnings,
					   b.len ? b.ptr : "(no detail)");
	cbuf_release(&b);
	return rc;
}

struct customs_pkg *cat_pkg_new(struct cat_result *res,
				const struct cat_input *in,
				const char *found_by,
				enum customs_pkg_type type)
{
	struct customs_pkg *pkg = customs_pkg_new(type);

	if (!pkg)
		return NULL;
	if (customs_pkg_setz(&pkg->found_by, found_by) ||
	    customs_pkg_add_location(pkg, in->path, NULL, in->layer,
				     CUSTOMS_EVIDENCE_PRIMARY)) {
		customs_pkg_free(pkg);
		return NULL;
	}
	pkg->introduced_layer = in->layer;
	if (customs_pkglist_push(&res->pkgs, pkg))
		return NULL;
	return pkg;
}

void cat_result_free(const struct cataloger *c, struct cat_result *res)
{
	if (!res)
		return;
	customs_pkglist_release(&res->pkgs);
	customs_strlist_release(&res->warnings);
	if (res->aux && c->aux_free)
		c->aux_free(res->aux);
	customs_free(res);
}

static int on_file(void *state, const struct customs_file_event *ev,
		   void **result, struct customs_ctx *ctx)
{
	struct cat_slot *slot = state;
	struct cat_input in = { ev->file->path, ev->layer,     ev->data,
				ev->len,	ev->truncated, ev->file,
				slot->dir_mode, ev->ranges,    ev->n_ranges };
	struct cat_result *res = customs_calloc(1, sizeof(*res));
	int rc;

	(void)ctx;
	if (!res)
		return CUSTOMS_ENOMEM;
	rc = slot->cat->parse(&in, res);
	if (!rc && in.truncated && !(slot->cat->flags & CAT_OWN_TRUNCATION))
		rc = cat_warn(res,
			      "only the first %zu bytes were read (file is "
			      "larger than the cataloger's cap)",
			      ev->len);
	if (rc || (!res->pkgs.n && !res->warnings.n && !res->aux)) {
		cat_result_free(slot->cat, res);
		return rc;
	}
	*result = res;
	return 0;
}

static int on_plan(void *state, const struct customs_file_event *ev,
		   struct customs_plan *plan)
{
	struct cat_slot *slot = state;
	struct cat_input in = { ev->file->path, ev->layer, ev->data,
				ev->len,	false,	   ev->file,
				slot->dir_mode, NULL,	   0 };
	unsigned kind = slot->cat->flags & CAT_PLAN_MASK;
	int rc = bincat_elf_plan(&in, kind / CAT_PLAN_DATA, plan);

	/* the classifiers read scripts and static archives too */
	if (!rc && kind == CAT_PLAN_DATA && !plan->whole && !plan->n)
		plan->whole = true;
	return rc;
}

static int on_result(void *state, const char *path, int layer, bool visible,
		     void *result, struct customs_ctx *ctx)
{
	struct cat_slot *slot = state;
	struct cat_entry *e;

	(void)ctx;
	if (CUSTOMS_GROW(slot->entries, slot->cap, slot->n + 1))
		goto fail;
	e = &slot->entries[slot->n];
	e->path = customs_strdup(path);
	if (!e->path)
		goto fail;
	e->layer = layer;
	e->visible = visible;
	e->res = result;
	slot->n++;
	return 0;
fail:
	cat_result_free(slot->cat, result);
	return CUSTOMS_ENOMEM;
}

static void free_result(void *state, void *result)
{
	struct cat_slot *slot = state;

	cat_result_free(slot->cat, result);
}

static bool name_in(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p = list;

	while ((p = strstr(p, name))) {
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return true;
		p += n;
	}
	return false;
}

static bool matches(const struct cataloger *c, const char *word, size_t n)
{
	char buf[64];

	if (n >= sizeof(buf))
		return false;
	memcpy(buf, word, n);
	buf[n] = '\0';
	return !strcmp(c->name, buf) || name_in(c->tags, buf) ||
	       (!strncmp(c->name, buf, n) &&
		!strcmp(c->name + n, "-cataloger"));
}

/* Apply one select word to the chosen set; false if it names nothing. */
static bool apply_word(bool *chosen, const char *w, size_t n, bool *first)
{
	bool neg = n && w[0] == '-', plus = n && w[0] == '+', hit = false;
	size_t i;

	if (neg || plus) {
		w++;
		n--;
	} else if (*first) {
		/* a bare list replaces the defaults */
		for (i = 0; cat_registry[i]; i++)
			chosen[i] = false;
	}
	*first = false;
	for (i = 0; cat_registry[i]; i++) {
		if (matches(cat_registry[i], w, n)) {
			chosen[i] = !neg;
			hit = true;
		}
	}
	return hit;
}

static int choose(bool *chosen, const struct customs_catalog_opts *opts,
		  struct customs_ctx *ctx)
{
	const char *p = opts->select;
	bool first = true;
	size_t i;

	for (i = 0; cat_registry[i]; i++)
		chosen[i] = (cat_registry[i]->flags & CAT_IMAGE) ||
			    (opts->dir_mode &&
			     (cat_registry[i]->flags & CAT_DIR_ONLY));
	while (p && *p) {
		size_t n = strcspn(p, ",");

		if (n && !apply_word(chosen, p, n, &first))
			return customs_error(ctx, CUSTOMS_EINVAL,
					     "unknown cataloger or tag '%.*s' "
					     "(see `customs sbom --help`)",
					     (int)n, p);
		p += n;
		p += *p == ',';
	}
	return 0;
}

static int add_slot(struct customs_catalog *cat, const struct cataloger *c)
{
	struct cat_slot *s = customs_calloc(1, sizeof(*s));

	if (!s)
		return CUSTOMS_ENOMEM;
	s->cat = c;
	s->dir_mode = cat->opts.dir_mode;
	s->an.version = CUSTOMS_ANALYZER_VERSION;
	s->an.name = c->name;
	s->an.wants = c->wants;
	s->an.n_wants = c->n_wants;
	s->an.max_bytes = c->max_bytes;
	s->an.state = s;
	s->an.on_file = on_file;
	s->an.on_result = on_result;
	s->an.free_result = free_result;
	s->an.plan = c->flags & CAT_PLAN_MASK ? on_plan : NULL;
	cat->slots[cat->n] = s;
	cat->ans[cat->n++] = &s->an;
	return 0;
}

int customs_catalog_new(struct customs_catalog **out,
			const struct customs_catalog_opts *opts,
			struct customs_ctx *ctx)
{
	struct customs_catalog *cat = NULL;
	bool chosen[CAT_MAX];
	size_t i, n = 0;
	int rc;

	*out = NULL;
	while (cat_registry[n])
		n++;
	if (n > CAT_MAX)
		return customs_error(ctx, CUSTOMS_EINTERNAL,
				     "too many catalogers");
	rc = choose(chosen, opts, ctx);
	if (rc)
		return rc;
	cat = customs_calloc(1, sizeof(*cat));
	if (!cat)
		return CUSTOMS_ENOMEM;
	cat->opts = *opts;
	cat->slots = customs_calloc(n ? n : 1, sizeof(*cat->slots));
	cat->ans = customs_calloc(n ? n : 1, sizeof(*cat->ans));
	if (!cat->slots || !cat->ans)
		goto nomem;
	for (i = 0; i < n; i++) {
		if (chosen[i] && add_slot(cat, cat_registry[i]))
			goto nomem;
	}
	*out = cat;
	return 0;
nomem:
	customs_catalog_free(cat);
	return CUSTOMS_ENOMEM;
}

void cat_slot_clear(struct cat_slot *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		customs_free(s->entries[i].path);
		cat_result_free(s->cat, s->entries[i].res);
	}
	customs_free(s->entries);
	s->entries = NULL;
	s->n = s->cap = 0;
}

void customs_catalog_free(struct customs_catalog *cat)
{
	size_t i;

	if (!cat)
		return;
	for (i = 0; i < cat->n; i++) {
		cat_slot_clear(cat->slots[i]);
		customs_free(cat->slots[i]);
	}
	customs_free(cat->slots);
	customs_free(cat->ans);
	customs_free(cat);
}

const struct customs_analyzer *const *
customs_catalog_analyzers(const struct customs_catalog *cat, size_t *n)
{
	*n = cat->n;
	return (const struct customs_analyzer *const *)cat->ans;
}

const char *const *customs_catalog_names(void)
{
	static const char *names[CAT_MAX + 1];
	size_t i;

	for (i = 0; cat_registry[i] && i < CAT_MAX; i++)
		names[i] = cat_registry[i]->name;
	names[i] = NULL;
	return names;
}
