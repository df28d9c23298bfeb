/*
 * java-archive-cataloger: Java archives (jar, war, ear, par, sar, nar,
 * hpi, jpi, kar, lpkg) and the jars inside zip files, read from memory.
 *
 * Each archive yields its own package (java_ident.c decides which), one
 * more package per pom.properties that describes something else (shaded
 * and fat jars), and recurses into the archives it contains, up to
 * JAVA_MAX_DEPTH levels. A nested package keeps the outer file as its
 * location path; its access path and meta "virtual_path" chain the
 * member names with ':' ("app.war:WEB-INF/lib/x.jar"), as Syft writes
 * them. Member names are only ever names: a "../" or absolute name is
 * reported and never used as a path or an access path.
 *
 * Every member byte one file reads (inflated or stored), nested archives
 * included, comes out of one budget (JAVA_MAX_READ bytes,
 * JAVA_MAX_ARCHIVES archives), so a zip bomb or a war listing one jar a
 * million times stops early with a warning. The SHA-1 of each archive's
 * bytes goes into meta "sha1".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "catalog/java_int.h"
#include "catalog/java_zip.h"
#include "customs/common.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/path.h"
#include "util/banned.h"

#define FOUND_BY "java-archive-cataloger"
#define JAVA_MAX_DEPTH 8
#define JAVA_MAX_READ (1ULL << 30)
#define JAVA_MAX_ARCHIVES 10000u
#define JAVA_MAX_WARN_NAMES 8
#define JAVA_MAX_WARNINGS 64
#define CHAIN_MAX 8192

struct jctx {
	const struct cat_input *in;
	struct cat_result *res;
	struct jzip_budget budget;
	unsigned archives;
	unsigned warnings;
	bool archive_cap_warned;
};

/* One archive being read: where it is and what it is. */
struct jarc {
	const unsigned char *data;
	size_t len;
	const char *chain; /* "outer.war:WEB-INF/lib/x.jar"; in->path at top */
	const char *file; /* name of the archive itself */
	int depth;
	bool container; /* a .zip: only the archives inside count */
};

static const char *const archive_exts[] = {
	"jar", "war", "ear", "par", "sar", "nar", "jpi", "hpi", "kar", "lpkg"
};

static const char *ext_of(const char *name)
{
	const char *slash = strrchr(name, '/'), *dot = strrchr(name, '.');

	return dot && (!slash || dot > slash) ? dot + 1 : "";
}

static bool is_archive_name(const char *name)
{
	const char *e = ext_of(name);
	size_t i;

	for (i = 0; i < sizeof(archive_exts) / sizeof(archive_exts[0]); i++) {
		if (!strcasecmp(e, archive_exts[i]))
			return true;
	}
	return false;
}

static bool is_jenkins(const char *file, const char *group)
{
	const char *e = ext_of(file);

	return !strcasecmp(e, "hpi") || !strcasecmp(e, "jpi") ||
	       (group && (strstr(group, "io.jenkins.plugins") ||
			  strstr(group, "org.jenkins-ci.plugins")));
}

/* Member names are attacker-chosen: print at most 200 safe bytes. */
static void printable(char *out, size_t cap, const char *s)
{
	size_t i;

	for (i = 0; s[i] && i + 4 < cap && i < 200; i++)
		out[i] =
			(unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	if (s[i] && i + 4 < cap) {
		memcpy(out + i, "...", 3);
		i += 3;
	}
	out[i] = '\0';
}

/*
 * Warn about archive a (named by its chain below the top-level file, which
 * the catalog names itself), or about one of its members.
 */
static int warn_member(struct jctx *c, const struct jarc *a, const char *member,
		       const char *why)
{
	char m[256] = "", where[256] = "";
	const char *sub = a->chain + strlen(c->in->path);

	/* a hostile file could otherwise make millions of them */
	if (++c->warnings > JAVA_MAX_WARNINGS)
		return c->warnings == JAVA_MAX_WARNINGS + 1
			       ? cat_warn(c->res, "more problems not listed")
			       : 0;
	if (member)
		printable(m, sizeof(m), member);
	printable(where, sizeof(where), *sub == ':' ? sub + 1 : sub);
	return cat_warn(c->res, "%s%s%s%s%s%s", where, *where ? ": " : "",
			member ? "member '" : "", m, member ? "': " : "", why);
}

static int sha1_hex(char out[41], const unsigned char *p, size_t n)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (!EVP_Digest(p, n, md, &mdlen, EVP_sha1(), NULL) || mdlen != 20)
		return CUSTOMS_ENOMEM;
	customs_hex(out, md, 20);
	return 0;
}

static int set_common(struct customs_pkg *pkg, const struct java_ident *id,
		      const char *access, const char *vpath)
{
	if (customs_pkg_setz(&pkg->name, id->name) ||
	    customs_pkg_setz(&pkg->version, id->version) ||
	    customs_pkg_setz(&pkg->namespace, id->group) ||
	    customs_pkg_meta_set(pkg, "virtual_path", vpath))
		return CUSTOMS_ENOMEM;
	if (access && customs_pkg_setz(&pkg->locations[0].access_path, access))
		return CUSTOMS_ENOMEM;
	return 0;
}

static int emit_main(struct jctx *c, const struct jarc *a,
		     const struct java_facts *f, const struct java_ident *id)
{
	static const char *const lic_keys[] = { "Bundle-License",
						"Plugin-License-Name" };
	struct customs_pkg *pkg;
	char sha[41];
	size_t i;
	int rc;

	pkg = cat_pkg_new(c->res, c->in, FOUND_BY,
			  is_jenkins(a->file, id->group) ? CUSTOMS_PKG_JENKINS
							 : CUSTOMS_PKG_JAVA);
	if (!pkg)
		return CUSTOMS_ENOMEM;
	rc = set_common(pkg, id, a->depth ? a->chain : NULL, a->chain);
	if (!rc)
		rc = sha1_hex(sha, a->data, a->len);
	if (!rc)
		rc = customs_pkg_meta_set(pkg, "sha1", sha);
	for (i = 0; !rc && f->has_manifest && i < 2; i++) {
		const char *l = java_mf_any(&f->mf, lic_keys[i]);

		if (l)
			rc = customs_pkg_add_license(pkg, l);
	}
	return rc;
}

/* A package for a pom.properties that is not the archive itself. */
static int emit_aux(struct jctx *c, const struct jarc *a,
		    const struct java_facts *f, const struct java_pom *p)
{
	struct java_ident id = { p->artifact, p->version, NULL, p };
	struct customs_pkg *pkg;
	struct cbuf vp;
	int rc;

	id.group = java_group_infer(p->artifact, f, p);
	pkg = cat_pkg_new(c->res, c->in, FOUND_BY,
			  is_jenkins("", id.group) ? CUSTOMS_PKG_JENKINS
						   : CUSTOMS_PKG_JAVA);
	if (!pkg)
		return CUSTOMS_ENOMEM;
	cbuf_init(&vp, CHAIN_MAX * 2);
	cbuf_printf(&vp, "%s:%s:%s", a->chain, p->group ? p->group : "",
		    p->artifact);
	rc = cbuf_error(&vp) == CUSTOMS_ENOMEM
		     ? CUSTOMS_ENOMEM
		     : set_common(pkg, &id, a->depth ? a->chain : NULL, vp.ptr);
	cbuf_release(&vp);
	return rc;
}

static int emit_packages(struct jctx *c, const struct jarc *a,
			 struct java_facts *f)
{
	struct java_ident id;
	bool have_main;
	long used;
	size_t i;
	int rc = 0;

	have_main = java_main_ident(&id, f, &used);
	for (i = 0; have_main && i < f->n_props; i++) {
		/* a pom.properties naming the archive refines it */
		if ((long)i != used && java_same_package(&id, &f->props[i])) {
			id.name = f->props[i].artifact;
			id.version = f->props[i].version;
			if (!id.props) {
				id.props = &f->props[i];
				id.group =
					java_group_infer(id.name, f, id.props);
			}
			if (used < 0)
				used = (long)i;
		}
	}
	if (have_main)
		rc = emit_main(c, a, f, &id);
	for (i = 0; !rc && i < f->n_props; i++) {
		if ((long)i == used ||
		    (have_main && java_same_package(&id, &f->props[i])))
			continue;
		rc = emit_aux(c, a, f, &f->props[i]);
	}
	return rc;
}

static const char *dir_of(struct arena *ar, const char *name)
{
	const char *s = strrchr(name, '/');

	return s ? arena_strndup(ar, name, (size_t)(s - name)) : "";
}

static int cmp_pom(const void *x, const void *y)
{
	return strcmp(((const struct java_pom *)x)->dir,
		      ((const struct java_pom *)y)->dir);
}

/* Read one metadata member into facts. */
static int read_meta(struct jctx *c, const struct jarc *a, struct jzip *z,
		     size_t i, struct java_facts *f)
{
	const char *name = z->m[i].name, *base = path_base(name), *why;
	bool props = !strcmp(base, "pom.properties");
	const unsigned char *d;
	unsigned char *owned;
	struct java_pom pom = { 0 };
	size_t n;
	int rc;

	rc = jzip_read(z, i, &d, &n, &owned, &why);
	if (rc)
		return rc == CUSTOMS_ENOMEM ? rc : warn_member(c, a, name, why);
	if (!strcmp(name, "META-INF/MANIFEST.MF")) {
		f->has_manifest = true;
		rc = java_manifest_parse(&f->mf, f->arena, (const char *)d, n);
	} else {
		struct java_pom **v = props ? &f->props : &f->xmls;
		size_t *cnt = props ? &f->n_props : &f->n_xmls;

		rc = props ? java_props_parse(&pom, f->arena, (const char *)d,
					      n)
			   : java_pomxml_parse(&pom, f->arena, (const char *)d,
					       n);
		pom.dir = dir_of(f->arena, name);
		if (!rc && !pom.dir)
			rc = CUSTOMS_ENOMEM;
		/* Syft ignores a pom.properties without these */
		if (!rc && (!props || (pom.artifact && pom.version))) {
			struct java_pom *nv =
				customs_reallocarray(*v, *cnt + 1, sizeof(**v));

			if (!nv)
				rc = CUSTOMS_ENOMEM;
			else
				(*v = nv)[(*cnt)++] = pom;
		}
	}
	customs_free(owned);
	return rc;
}

static bool is_meta(const char *name, size_t n_props, size_t n_xmls)
{
	const char *base = path_base(name);

	if (!strcmp(name, "META-INF/MANIFEST.MF"))
		return true;
	if (!strcmp(base, "pom.properties"))
		return n_props < JAVA_MAX_POMS;
	return !strcmp(base, "pom.xml") && n_xmls < JAVA_MAX_POMS;
}

static int walk(struct jctx *c, const struct jarc *a);

static int nested(struct jctx *c, const struct jarc *a, struct jzip *z,
		  size_t i)
{
	const char *name = z->m[i].name, *why;
	struct jarc sub = { 0 };
	unsigned char *owned = NULL;
	struct cbuf chain;
	int rc;

	if (a->depth + 1 > JAVA_MAX_DEPTH)
		return warn_member(c, a, name,
				   "nested archive beyond the depth limit "
				   "(8): not read");
	if (c->archives >= JAVA_MAX_ARCHIVES) {
		if (c->archive_cap_warned)
			return 0;
		c->archive_cap_warned = true;
		return warn_member(c, a, name,
				   "too many nested archives: the rest are "
				   "not read");
	}
	rc = jzip_read(z, i, &sub.data, &sub.len, &owned, &why);
	if (rc)
		return rc == CUSTOMS_ENOMEM ? rc : warn_member(c, a, name, why);
	cbuf_init(&chain, CHAIN_MAX);
	cbuf_printf(&chain, "%s:%s", a->chain, name);
	if (cbuf_error(&chain) == CUSTOMS_ENOMEM) {
		rc = CUSTOMS_ENOMEM;
	} else if (cbuf_error(&chain)) {
		rc = warn_member(c, a, name, "access path too long: not read");
	} else {
		sub.chain = chain.ptr;
		sub.file = path_base(name);
		sub.depth = a->depth + 1;
		rc = walk(c, &sub);
	}
	cbuf_release(&chain);
	customs_free(owned);
	return rc;
}

/* Note unsafe names (a few by name, then a count). */
static int check_names(struct jctx *c, const struct jarc *a,
		       const struct jzip *z)
{
	size_t i, bad = 0;
	int rc = 0;

	for (i = 0; !rc && i < z->n; i++) {
		if (!jzip_name_unsafe(z->m[i].name, z->m[i].name_len))
			continue;
		if (++bad <= JAVA_MAX_WARN_NAMES)
			rc = warn_member(c, a, z->m[i].name,
					 "unsafe name (absolute or \"..\"): "
					 "kept as a name only");
	}
	if (!rc && bad > JAVA_MAX_WARN_NAMES) {
		char msg[64];

		snprintf(msg, sizeof(msg), "%zu more members with unsafe names",
			 bad - JAVA_MAX_WARN_NAMES);
		rc = warn_member(c, a, NULL, msg);
	}
	return rc;
}

static int read_all_meta(struct jctx *c, const struct jarc *a, struct jzip *z,
			 struct java_facts *f)
{
	size_t i;
	int rc = 0;

	for (i = 0; !rc && i < z->n; i++) {
		const char *name = z->m[i].name;

		if (jzip_name_unsafe(name, z->m[i].name_len) ||
		    !is_meta(name, f->n_props, f->n_xmls))
			continue;
		if (!strcmp(name, "META-INF/MANIFEST.MF") && f->has_manifest) {
			rc = warn_member(c, a, name, "second manifest ignored");
			continue;
		}
		rc = read_meta(c, a, z, i, f);
	}
	/* qsort wants a non-NULL base even for no elements */
	if (!rc && f->n_props)
		qsort(f->props, f->n_props, sizeof(*f->props), cmp_pom);
	if (!rc && f->n_xmls)
		qsort(f->xmls, f->n_xmls, sizeof(*f->xmls), cmp_pom);
	return rc;
}

static int cmp_member(const void *x, const void *y)
{
	return strcmp(((const struct jzip_member *)x)->name,
		      ((const struct jzip_member *)y)->name);
}

static int walk(struct jctx *c, const struct jarc *a)
{
	struct arena ar = ARENA_INIT;
	struct java_facts f = { 0 };
	struct jzip z;
	const char *why;
	size_t i;
	int rc;

	c->archives++;
	rc = jzip_open(&z, a->data, a->len, &c->budget, &why);
	/* a broken .zip is only a Java problem if it held archives; test
	 * data like Go's archive/zip/testdata is broken on purpose */
	if (rc == CUSTOMS_EFORMAT)
		rc = a->container && a->depth == 0
			     ? 0
			     : warn_member(c, a, NULL, why);
	if (rc || !z.n)
		goto out;
	qsort(z.m, z.n, sizeof(*z.m), cmp_member);
	if (z.capped)
		rc = warn_member(c, a, NULL,
				 "too many members: only the first 200000 "
				 "were read");
	if (!rc)
		rc = check_names(c, a, &z);
	f.arena = &ar;
	f.file_name = a->file;
	if (!rc && !a->container)
		rc = read_all_meta(c, a, &z, &f);
	if (!rc && !a->container)
		rc = emit_packages(c, a, &f);
	for (i = 0; !rc && i < z.n; i++) {
		if (is_archive_name(z.m[i].name) &&
		    !jzip_name_unsafe(z.m[i].name, z.m[i].name_len))
			rc = nested(c, a, &z, i);
	}
out:
	customs_free(f.props);
	customs_free(f.xmls);
	java_manifest_release(&f.mf);
	arena_release(&ar);
	jzip_close(&z);
	return rc == CUSTOMS_ENOMEM ? rc : 0;
}

static int parse(const struct cat_input *in, struct cat_result *res)
{
	struct jctx c = { 0 };
	struct jarc a = { 0 };

	if (in->truncated)
		return 0; /* the catalog says so; the directory is at the end */
	c.in = in;
	c.res = res;
	c.budget.max = JAVA_MAX_READ;
	a.data = in->data;
	a.len = in->len;
	a.chain = in->path;
	a.file = path_base(in->path);
	a.container = !strcasecmp(ext_of(in->path), "zip");
	return walk(&c, &a);
}

static const struct customs_want wants[] = {
	{ CUSTOMS_WANT_EXT, "jar" }, { CUSTOMS_WANT_EXT, "war" },
	{ CUSTOMS_WANT_EXT, "ear" }, { CUSTOMS_WANT_EXT, "par" },
	{ CUSTOMS_WANT_EXT, "sar" }, { CUSTOMS_WANT_EXT, "nar" },
	{ CUSTOMS_WANT_EXT, "jpi" }, { CUSTOMS_WANT_EXT, "hpi" },
	{ CUSTOMS_WANT_EXT, "kar" }, { CUSTOMS_WANT_EXT, "lpkg" },
	{ CUSTOMS_WANT_EXT, "zip" },
};

const struct cataloger cat_java_archive = {
	.name = FOUND_BY,
	.tags = "java maven java-archive language",
	.wants = wants,
	.n_wants = sizeof(wants) / sizeof(wants[0]),
	.max_bytes = 512u << 20,
	.flags = CAT_IMAGE,
	.parse = parse,
};
