/*
 * java-jvm-cataloger: JDK/JRE installations, from their `release` file
 * (KEY="value" lines: JAVA_VERSION, JAVA_RUNTIME_VERSION, IMPLEMENTOR,
 * IMAGE_TYPE, ...). Any file named `release` is offered; only one with
 * JAVA_VERSION or JAVA_RUNTIME_VERSION is a JVM (Syft's rule).
 *
 * The product, version and CPEs follow Syft's parse_jvm_release.go, since
 * the generic CPE generator cannot know them: Azul Zulu, Sun, GraalVM
 * (community and Oracle editions, old and new numbering), Oracle JDK/JRE
 * and, for everything else, oracle/openjdk. A JDK is told from a JRE by
 * IMAGE_TYPE or, in finish(), by a bin/javac next to the release file.
 * The vendor goes into namespace, the release facts into meta.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyze/osrelease.h"
#include "catalog/java_int.h"
#include "customs/fsindex.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/banned.h"

#define FOUND_BY "java-jvm-cataloger"
#define FIELD_MAX 256

enum rel_key {
	K_JAVA_VERSION,
	K_JAVA_RUNTIME_VERSION,
	K_FULL_VERSION,
	K_IMPLEMENTOR,
	K_IMPLEMENTOR_VERSION,
	K_IMAGE_TYPE,
	K_OS_ARCH,
	K_OS_NAME,
	K_OS_VERSION,
	K_SOURCE_REPO,
	K_BUILD_SOURCE_REPO,
	K_BUILD_TYPE,
	K_GRAALVM_VERSION,
	K_COUNT,
};

static const char *const key_names[K_COUNT] = {
	"JAVA_VERSION",
	"JAVA_RUNTIME_VERSION",
	"FULL_VERSION",
	"IMPLEMENTOR",
	"IMPLEMENTOR_VERSION",
	"IMAGE_TYPE",
	"OS_ARCH",
	"OS_NAME",
	"OS_VERSION",
	"SOURCE_REPO",
	"BUILD_SOURCE_REPO",
	"BUILD_TYPE",
	"GRAALVM_VERSION",
};

/* meta keys for the facts a writer or matcher may want */
static const char *const meta_names[K_COUNT] = {
	"java_version",
	"java_runtime_version",
	"full_version",
	"implementor",
	"implementor_version",
	"image_type",
	"os_arch",
	"os_name",
	"os_version",
	"source_repo",
	"build_source_repo",
	"build_type",
	"graalvm_version",
};

/* The parsed release file, kept as the result's aux for finish(). */
struct jvm_release {
	char v[K_COUNT][FIELD_MAX];
};

struct jvm_id {
	char vendor[32];
	char product[64];
	char version[FIELD_MAX];
	char cpes[4][512];
	size_t n_cpes;
};

static int on_kv(void *arg, struct cslice key, struct cslice value)
{
	struct jvm_release *r = arg;
	size_t i, n;

	for (i = 0; i < K_COUNT; i++) {
		if (!cslice_eq(key, key_names[i]))
			continue;
		/* values are one-line facts: stop at a control byte */
		for (n = 0;
		     n < value.n && n < FIELD_MAX - 1 &&
		     (unsigned char)value.p[n] >= 0x20 && value.p[n] != 0x7f;
		     n++)
			;
		memcpy(r->v[i], value.p, n);
		r->v[i][n] = '\0';
	}
	return 0;
}

static bool has_ci(const char *s, const char *needle)
{
	return strcasestr(s, needle) != NULL;
}

/* Family, short version and update of "1.8.0_302-b08", "21.0.4+7", ... */
static int family(const char *v, char *shortv, size_t cap, char *update,
		  size_t ucap)
{
	const char *us = strchr(v, '_'), *plus = strchr(v, '+');
	size_t n = strlen(v);
	int fam = 0;

	update[0] = '\0';
	if (strchr(v, '.')) {
		fam = (int)strtol(v, NULL, 10);
		if (fam == 1)
			fam = (int)strtol(strchr(v, '.') + 1, NULL, 10);
	}
	if (us && !strchr(us + 1, '_')) {
		n = (size_t)(us - v);
		snprintf(update, ucap, "%.*s", (int)strcspn(us + 1, "-"),
			 us + 1);
	} else if (!us && plus) {
		n = (size_t)(plus - v);
	}
	snprintf(shortv, cap, "%.*s", (int)n, v);
	return fam;
}

/* CPE 2.3 formatted-string quoting of one attribute. */
static void quote(struct cbuf *b, const char *s)
{
	if (!*s) {
		cbuf_putc(b, '*');
		return;
	}
	for (; *s; s++) {
		char c = *s;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '-' ||
		      c == '_'))
			cbuf_putc(b, '\\');
		cbuf_putc(b, c);
	}
}

static void add_cpe(struct jvm_id *id, const char *vendor, const char *product,
		    const char *version, const char *edition)
{
	char shortv[FIELD_MAX], upd[FIELD_MAX], u[FIELD_MAX + 8] = "";
	struct cbuf b;

	if (!version[0] || id->n_cpes >= 4)
		return;
	family(version, shortv, sizeof(shortv), upd, sizeof(upd));
	if (!shortv[0])
		return;
	if (upd[0] && !has_ci(upd, "update")) {
		const char *t = upd;

		while (t[0] == '0' && t[1])
			t++;
		snprintf(u, sizeof(u), "update%s", t);
	} else {
		snprintf(u, sizeof(u), "%s", upd);
	}
	cbuf_init(&b, sizeof(id->cpes[0]) - 1);
	cbuf_printf(&b, "cpe:2.3:a:%s:%s:", vendor, product);
	quote(&b, shortv);
	cbuf_putc(&b, ':');
	quote(&b, u);
	cbuf_puts(&b, ":*:*:");
	quote(&b, edition);
	cbuf_puts(&b, ":*:*:*");
	if (!cbuf_error(&b))
		snprintf(id->cpes[id->n_cpes++], sizeof(id->cpes[0]), "%s",
			 b.ptr);
	cbuf_release(&b);
}

static bool is_jdk(const struct jvm_release *r, bool has_javac)
{
	return has_javac || !has_ci(r->v[K_IMAGE_TYPE], "jre");
}

/* Syft's jvmCpes: the candidate vendor/product pairs. */
static void cpes_for(struct jvm_id *id, bool jdk, const char *version,
		     const char *edition)
{
	const char *v = id->vendor, *p = id->product;

	if (!strcmp(v, "azul")) {
		add_cpe(id, "azul", "zulu", version, edition);
		add_cpe(id, "oracle", "openjdk", version, edition);
	} else if (!strcmp(v, "sun")) {
		add_cpe(id, v, "jre", version, edition);
		if (jdk)
			add_cpe(id, v, "jdk", version, edition);
	} else if (!strcmp(v, "oracle") && !strncmp(p, "graalvm", 7)) {
		add_cpe(id, v, "graalvm", version, edition);
	} else if (!strcmp(v, "oracle") && strcmp(p, "openjdk")) {
		add_cpe(id, v, "java_se", version, edition);
		add_cpe(id, v, "jre", version, edition);
		if (jdk)
			add_cpe(id, v, "jdk", version, edition);
	} else {
		add_cpe(id, v, p, version, edition);
	}
}

static const char *package_version(const struct jvm_release *r)
{
	const char *full = r->v[K_FULL_VERSION], *java = r->v[K_JAVA_VERSION];

	if (r->v[K_JAVA_RUNTIME_VERSION][0])
		return r->v[K_JAVA_RUNTIME_VERSION];
	if (full[0] && strcspn(full, ".") == strcspn(java, ".") &&
	    !strncmp(full, java, strcspn(full, ".")))
		return full;
	return java;
}

static void graalvm(struct jvm_id *id, const struct jvm_release *r,
		    const char *ver)
{
	char jshort[FIELD_MAX], gshort[FIELD_MAX], up[FIELD_MAX];
	int jfam = family(ver, jshort, sizeof(jshort), up, sizeof(up));
	int gfam = family(r->v[K_GRAALVM_VERSION], gshort, sizeof(gshort), up,
			  sizeof(up));
	bool ce = !strcmp(r->v[K_IMPLEMENTOR], "GraalVM Community");
	const char *edition = ce ? "community" : "";

	snprintf(id->vendor, sizeof(id->vendor), "oracle");
	snprintf(id->version, sizeof(id->version), "%s",
		 gfam >= 23 ? jshort : gshort);
	if (gfam >= 23)
		snprintf(id->product, sizeof(id->product), "graalvm%s-%d-jdk",
			 ce ? "-ce" : "", jfam);
	else
		snprintf(id->product, sizeof(id->product),
			 "graalvm%d-%s-%d-jdk", gfam, ce ? "ce" : "ee", jfam);
	if (!ce && gfam < 23)
		edition = "enterprise";
	cpes_for(id, true, id->version, edition);
}

static void oracle(struct jvm_id *id, const char *ver, bool jdk)
{
	char shortv[FIELD_MAX], up[FIELD_MAX];
	const char *product = jdk ? "jdk" : "jre";
	bool perf = strstr(ver, "-perf") != NULL;
	int fam;

	snprintf(id->vendor, sizeof(id->vendor), "oracle");
	snprintf(id->product, sizeof(id->product), "%s", product);
	/* the CPEs name the plain product with the full version */
	cpes_for(id, jdk, ver, perf ? "enterprise_performance_pack" : "");
	if (!ver[0])
		return;
	fam = family(ver, shortv, sizeof(shortv), up, sizeof(up));
	if (fam && fam <= 8)
		snprintf(id->version, sizeof(id->version), "%d%s%.200s", fam,
			 up[0] ? "u" : "", up);
	else
		snprintf(id->version, sizeof(id->version), "%s", shortv);
	if (fam)
		snprintf(id->product, sizeof(id->product), "%s-%d%s", product,
			 fam, perf ? "-perf" : "");
}

static void identify(struct jvm_id *id, const struct jvm_release *r,
		     const char *path, bool has_javac)
{
	const char *ver = package_version(r), *impl = r->v[K_IMPLEMENTOR];
	bool jdk = is_jdk(r, has_javac);

	memset(id, 0, sizeof(*id));
	if (has_ci(impl, "azul") || strstr(path, "zulu")) {
		snprintf(id->vendor, sizeof(id->vendor), "azul");
		snprintf(id->product, sizeof(id->product), "zulu");
	} else if (has_ci(impl, "sun")) {
		snprintf(id->vendor, sizeof(id->vendor), "sun");
		snprintf(id->product, sizeof(id->product), jdk ? "jdk" : "jre");
	} else if (r->v[K_GRAALVM_VERSION][0] || has_ci(impl, "graalvm") ||
		   strstr(path, "graalvm")) {
		graalvm(id, r, ver);
		return;
	} else if (has_ci(impl, "oracle") || strstr(path, "oracle") ||
		   strstr(r->v[K_BUILD_TYPE], "commercial")) {
		oracle(id, ver, jdk);
		return;
	} else {
		snprintf(id->vendor, sizeof(id->vendor), "oracle");
		snprintf(id->product, sizeof(id->product), "openjdk");
	}
	snprintf(id->version, sizeof(id->version), "%s", ver);
	cpes_for(id, jdk, ver, "");
}

/* Name, version, vendor and CPEs of pkg from r. */
static int apply(struct customs_pkg *pkg, const struct jvm_release *r,
		 const char *path, bool has_javac)
{
	struct jvm_id id;
	size_t i;

	identify(&id, r, path, has_javac);
	customs_strlist_release(&pkg->cpes);
	if (customs_pkg_setz(&pkg->name, id.product) ||
	    customs_pkg_setz(&pkg->version,
			     id.version[0] ? id.version : NULL) ||
	    customs_pkg_setz(&pkg->namespace, id.vendor))
		return CUSTOMS_ENOMEM;
	for (i = 0; i < id.n_cpes; i++) {
		if (customs_pkg_add_cpe(pkg, id.cpes[i]))
			return CUSTOMS_ENOMEM;
	}
	return 0;
}

static int parse(const struct cat_input *in, struct cat_result *res)
{
	struct jvm_release *r = customs_calloc(1, sizeof(*r));
	struct customs_pkg *pkg;
	size_t i;
	int rc = 0;

	if (!r)
		return CUSTOMS_ENOMEM;
	customs_osrelease_parse(in->data, in->len, on_kv, r);
	if (!r->v[K_JAVA_VERSION][0] && !r->v[K_JAVA_RUNTIME_VERSION][0]) {
		customs_free(r);
		return 0;
	}
	pkg = cat_pkg_new(res, in, FOUND_BY, CUSTOMS_PKG_BINARY);
	if (!pkg) {
		customs_free(r);
		return CUSTOMS_ENOMEM;
	}
	res->aux = r;
	rc = apply(pkg, r, in->path, false);
	for (i = 0; !rc && i < K_COUNT; i++) {
		if (r->v[i][0])
			rc = customs_pkg_meta_set(pkg, meta_names[i], r->v[i]);
	}
	return rc;
}

/* A bin/javac next to the release file makes a JRE-looking install a JDK. */
static bool javac_beside(const struct cat_finish *f, const char *path)
{
	const struct customs_file *file;
	const char *slash = strrchr(path, '/');
	char p[4096];

	if (!f->files)
		return false;
	snprintf(p, sizeof(p), "%.*s%sbin/javac",
		 slash ? (int)(slash - path) : 0, path, slash ? "/" : "");
	return !customs_fsindex_resolve(&file, f->files, p);
}

static int finish(struct cat_finish *f)
{
	size_t i, j;
	int rc = 0;

	for (i = 0; !rc && i < f->n_entries; i++) {
		struct cat_entry *e = &f->entries[i];

		if (!cat_in_scope(f, e) || !e->res->aux ||
		    !javac_beside(f, e->path))
			continue;
		for (j = 0; !rc && j < e->res->pkgs.n; j++)
			rc = apply(e->res->pkgs.v[j], e->res->aux, e->path,
				   true);
	}
	return rc ? rc : cat_finish_default(f);
}

static void aux_free(void *aux)
{
	customs_free(aux);
}

static const struct customs_want wants[] = {
	{ CUSTOMS_WANT_BASENAME, "release" },
};

const struct cataloger cat_java_jvm = {
	.name = FOUND_BY,
	.tags = "java jvm binary",
	.wants = wants,
	.n_wants = 1,
	.max_bytes = 512u << 10,
	.flags = CAT_IMAGE,
	.parse = parse,
	.finish = finish,
	.aux_free = aux_free,
};
