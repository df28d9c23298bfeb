/*
 * go-module-binary-cataloger: the modules a Go executable was built
 * from, read from its build info (gobuildinfo.c), as Syft reports them.
 *
 * One go-module package per module: the main module, then every "dep"
 * line; a module replaced by a "=>" line is reported as its replacement
 * (that is what was compiled) with the original kept in meta. The main
 * module of a binary built outside module mode comes from the "path"
 * line. A main module whose version is "(devel)" gets, as in Syft, a
 * version from -ldflags "-X ...version=1.2.3" when one is there, else the
 * Go pseudo-version v0.0.0-<vcs.time>-<vcs.revision[:12]>. A "stdlib"
 * package carries the toolchain version ("go1.21.5", the PURL builder
 * makes it pkg:golang/stdlib@1.21.5).
 *
 * Only ELF files are read; anything else returns at the magic check.
 */
#include <string.h>

#include "catalog/bincat.h"
#include "catalog/gobuildinfo.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/banned.h"

#define NAME "go-module-binary-cataloger"
#define DEVEL "(devel)"

static const struct customs_want wants[] = {
	{ CUSTOMS_WANT_EXEC, NULL },
};

/* What every package of one binary shares. */
struct gobin {
	const struct cat_input *in;
	struct cat_result *res;
	struct go_buildinfo bi;
	char go_version[64]; /* without " X:experiments" */
	const char *experiments; /* "X:..." or NULL */
	const char *arch;
};

static int set_common(struct gobin *g, struct customs_pkg *p)
{
	if (customs_pkg_meta_set(p, "go_version", g->go_version))
		return CUSTOMS_ENOMEM;
	if (g->arch && customs_pkg_meta_set(p, "architecture", g->arch))
		return CUSTOMS_ENOMEM;
	if (g->experiments &&
	    customs_pkg_meta_set(p, "go_experiments", g->experiments))
		return CUSTOMS_ENOMEM;
	return 0;
}

/* "-ldflags" -> "build_ldflags", "vcs.revision" -> "build_vcs_revision" */
static int setting_meta(struct customs_pkg *p, const struct go_setting *s)
{
	char key[80] = "build_";
	size_t n = 6, i;
	const char *k = s->key;

	while (*k == '-')
		k++;
	for (i = 0; k[i] && n < sizeof(key) - 1; i++) {
		char c = k[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
			c = '_';
		key[n++] = c;
	}
	key[n] = '\0';
	return customs_pkg_meta_set(p, key, s->value);
}

static int add_module(struct gobin *g, const struct go_module *m,
		      const char *version, bool is_main)
{
	const char *path = m->rpath ? m->rpath : m->path;
	const char *sum = m->rpath ? m->rsum : m->sum;
	struct customs_pkg *p;
	size_t i;

	if (!path || !*path)
		return 0;
	p = cat_pkg_new(g->res, g->in, NAME, CUSTOMS_PKG_GO);
	if (!p || customs_pkg_setz(&p->name, path) ||
	    (*version && customs_pkg_setz(&p->version, version)) ||
	    set_common(g, p) ||
	    (sum && *sum && customs_pkg_meta_set(p, "h1_digest", sum)))
		return CUSTOMS_ENOMEM;
	if (m->rpath &&
	    (customs_pkg_meta_set(p, "original_path", m->path) ||
	     customs_pkg_meta_set(p, "original_version", m->version)))
		return CUSTOMS_ENOMEM;
	if (!is_main)
		return 0;
	if (customs_pkg_meta_set(p, "main_module", "true"))
		return CUSTOMS_ENOMEM;
	for (i = 0; i < g->bi.n_settings; i++) {
		if (setting_meta(p, &g->bi.settings[i]))
			return CUSTOMS_ENOMEM;
	}
	return 0;
}

static int add_main(struct gobin *g)
{
	struct go_module path_only = { 0 };
	const struct go_module *m = &g->bi.main;
	const char *v;
	char better[128];

	if (!g->bi.has_main) {
		if (!g->bi.path || !*g->bi.path)
			return 0;
		path_only.path = g->bi.path;
		path_only.version = DEVEL;
		m = &path_only;
	}
	v = m->rpath ? m->rversion : m->version;
	if (!strcmp(v, DEVEL) &&
	    go_main_version(better, sizeof(better),
			    go_setting(&g->bi, "-ldflags"),
			    go_setting(&g->bi, "vcs.revision"),
			    go_setting(&g->bi, "vcs.time")))
		v = better;
	return add_module(g, m, v, true);
}

static int add_stdlib(struct gobin *g)
{
	struct customs_pkg *p;

	/* Syft skips a toolchain version it cannot read ("devel ...") */
	if (strncmp(g->go_version, "go", 2) || g->go_version[2] < '0' ||
	    g->go_version[2] > '9')
		return 0;
	p = cat_pkg_new(g->res, g->in, NAME, CUSTOMS_PKG_GO);
	if (!p || customs_pkg_setz(&p->name, "stdlib") ||
	    customs_pkg_setz(&p->version, g->go_version) ||
	    customs_pkg_add_license(p, "BSD-3-Clause") || set_common(g, p))
		return CUSTOMS_ENOMEM;
	return 0;
}

static void split_version(struct gobin *g, struct cslice vers)
{
	size_t n = vers.n < sizeof(g->go_version) - 1
			   ? vers.n
			   : sizeof(g->go_version) - 1;
	char *sp;

	memcpy(g->go_version, vers.p, n);
	g->go_version[n] = '\0'; /* a NUL inside the file ends it */
	sp = strchr(g->go_version, ' ');
	if (sp) {
		*sp = '\0';
		if (!strncmp(sp + 1, "X:", 2))
			g->experiments = sp + 1;
	}
}

static int catalog_binary(struct gobin *g, const struct elf_file *f,
			  struct cslice vers, struct cslice mod)
{
	size_t before = g->res->pkgs.n, i;
	int rc;

	split_version(g, vers);
	rc = go_modinfo_parse(&g->bi, mod, g->res);
	if (rc)
		return rc;
	g->arch = go_setting(&g->bi, "GOARCH");
	if (!g->arch)
		g->arch = elf_machine_name(f);
	rc = add_main(g);
	for (i = 0; !rc && i < g->bi.n_deps; i++) {
		const struct go_module *d = &g->bi.deps[i];

		rc = add_module(g, d, d->rpath ? d->rversion : d->version,
				false);
	}
	if (!rc && g->res->pkgs.n > before)
		rc = add_stdlib(g);
	return rc;
}

static int parse(const struct cat_input *in, struct cat_result *res)
{
	struct gobin g = { 0 };
	struct elf_file f;
	struct cslice vers, mod;
	int rc;

	if (!elf_open_ranges(&f, in->data, in->len, in->ranges, in->n_ranges))
		return 0;
	if (!go_buildinfo_find(&f, &vers, &mod)) {
		if (in->truncated && elf_has_note(&f, "Go", 4))
			return cat_warn(res,
					"Go binary larger than %zu bytes: its "
					"build info was not in the part read",
					in->len);
		return 0;
	}
	g.in = in;
	g.res = res;
	rc = catalog_binary(&g, &f, vers, mod);
	go_buildinfo_release(&g.bi);
	return rc;
}

const struct cataloger cat_go_module_binary = {
	.name = NAME,
	.tags = "image directory installed language go golang go-module "
		"binary",
	.wants = wants,
	.n_wants = sizeof(wants) / sizeof(wants[0]),
	.max_bytes = BINCAT_MAX_BYTES,
	.flags = CAT_IMAGE | CAT_OWN_TRUNCATION | CAT_PLAN_GO,
	.parse = parse,
};
