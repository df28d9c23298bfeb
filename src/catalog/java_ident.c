/*
 * Which package a Java archive is, following Syft's java-archive
 * cataloger so the two tools name the same jar the same way:
 *
 * 1. a pom.properties whose artifactId matches the file name (exactly
 *    when some pom.properties has the file name as artifactId, else as a
 *    prefix/suffix), with the pom.xml next to it;
 * 2. the only pom.xml when there is no pom.properties;
 * 3. the manifest (Bundle-SymbolicName when the Apache Maven Bundle
 *    Plugin made the jar) and the file name: name from the file name,
 *    then Name, Bundle-Name, Short-Name, Extension-Name,
 *    Implementation-Title; version from the file name, then
 *    Implementation-Version, Specification-Version, Plugin-Version,
 *    Bundle-Version.
 *
 * The groupId comes from the pom.properties, the pom.xml (or its parent),
 * a table of well-known artifactIds, then manifest fields that look like
 * a reverse domain, and finally the artifactId itself (Syft's PURL
 * fallback).
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "catalog/java_int.h"
#include "util/path.h"
#include "util/banned.h"

static bool alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool word(char c)
{
	return alpha(c) || (c >= '0' && c <= '9') || c == '_';
}

static bool digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Does s[0..n) start a version: \d.*, build\d*.*, or r[c]\d+ to the end? */
static bool version_at(const char *s, size_t n)
{
	size_t i = 1;

	if (!n)
		return false;
	if (digit(s[0]))
		return true;
	if (n >= 5 && !strncasecmp(s, "build", 5))
		return true;
	if (s[0] != 'r' && s[0] != 'R')
		return false;
	if (i < n && (s[i] == 'c' || s[i] == 'C'))
		i++;
	if (i == n)
		return false;
	while (i < n && digit(s[i]))
		i++;
	return i == n && digit(s[n - 1]);
}

/* Name segments: [alpha][word.]* joined by '-', a trailing '-' allowed. */
static bool valid_name(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		if (!alpha(s[i]))
			return false;
		while (i < n && (word(s[i]) || s[i] == '.'))
			i++;
		if (i < n && s[i] != '-')
			return false;
		i++;
	}
	return n > 0;
}

/* Syft's special case: "org.example.foo" is probably group + artifact. */
static const char *drop_group(const char *name)
{
	const char *p = name, *last = name;

	if (!strchr(name, '.') || !strncmp(name, "org.eclipse.", 12))
		return name;
	while (*p) {
		if (!alpha(*p) && *p != '_' && *p != '$')
			return name;
		last = p;
		p += strcspn(p, ".");
		if (*p)
			p++;
	}
	return p[-1] == '.' ? name : last;
}

void java_filename_parse(const char *file, struct arena *a, const char **name,
			 const char **version)
{
	const char *base = strrchr(file, '/'), *dot;
	size_t n, i;

	base = base ? base + 1 : file;
	dot = strrchr(base, '.');
	n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
	*name = *version = NULL;
	for (i = 0; i < n; i++) {
		if (base[i] == '-' && valid_name(base, i) &&
		    version_at(base + i + 1, n - i - 1))
			break;
	}
	if (i < n) {
		*name = arena_strndup(a, base, i);
		*version = arena_strndup(a, base + i + 1, n - i - 1);
	} else if (valid_name(base, n)) {
		/* name_1.2 or name.1.2: the first separator before a digit */
		for (i = 1; i < n; i++) {
			if (strchr("._-", base[i]) &&
			    version_at(base + i + 1, n - i - 1))
				break;
		}
		*name = arena_strndup(a, base, i < n ? i : n);
		if (i < n)
			*version = arena_strndup(a, base + i + 1, n - i - 1);
	}
	if (*name)
		*name = drop_group(*name);
}

static bool empty(const char *s)
{
	return !s || !s[0];
}

static bool has_prefix(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

/* Syft's artifactIDMatchesFilename. */
static bool matches_file(const struct java_facts *f, const char *artifact,
			 const char *fname)
{
	size_t i;

	if (empty(artifact) || empty(fname))
		return false;
	for (i = 0; i < f->n_props; i++) {
		if (f->props[i].artifact &&
		    !strcmp(f->props[i].artifact, fname))
			return !strcmp(artifact, fname);
	}
	return has_prefix(artifact, fname) || path_has_suffix(fname, artifact);
}

static const struct java_pom *xml_in(const struct java_facts *f,
				     const char *dir)
{
	size_t i;

	for (i = 0; i < f->n_xmls; i++) {
		if (!strcmp(f->xmls[i].dir, dir))
			return &f->xmls[i];
	}
	return NULL;
}

/* Step 1 and 2: the pom files. */
static bool from_poms(struct java_ident *id, const struct java_facts *f,
		      const char *fname, long *used)
{
	const struct java_pom *best = NULL, *xml = NULL;
	size_t i;

	for (i = 0; i < f->n_props; i++) {
		const struct java_pom *p = &f->props[i];
		const struct java_pom *x = xml_in(f, p->dir);

		if (!matches_file(f, p->artifact, fname))
			continue;
		if (!best || (x && !xml)) {
			best = p;
			xml = x;
			*used = (long)i;
		}
		if (x && ((p->group && strstr(fname, p->group)) ||
			  !strcmp(fname, p->artifact)))
			break;
	}
	if (!best && !f->n_props && f->n_xmls == 1)
		xml = &f->xmls[0];
	if (!best && !xml)
		return false;
	id->name = best && best->artifact ? best->artifact : xml->artifact;
	id->version = best && best->version ? best->version
		      : xml		    ? xml->version
					    : NULL;
	id->props = best;
	return !empty(id->name);
}

static const char *bundle_plugin_name(const struct java_facts *f)
{
	const char *by = java_mf_main(&f->mf, "Created-By");
	const char *sym = java_mf_main(&f->mf, "Bundle-SymbolicName");
	const char *vid = java_mf_main(&f->mf, "Implementation-Vendor-Id");
	const char *last;

	if (!by || !sym || !strstr(by, "Apache Maven Bundle Plugin"))
		return NULL;
	if (vid && !strcmp(vid, sym))
		return NULL;
	/* Syft keeps OSGi directives ("x;singleton:=true"); we drop them */
	sym = arena_strndup(f->arena, sym, strcspn(sym, ";"));
	if (!sym)
		return NULL;
	last = strrchr(sym, '.');
	return last ? last + 1 : sym;
}

static const char *manifest_name(const struct java_facts *f, const char *fname)
{
	static const char *const keys[] = { "Name", "Bundle-Name", "Short-Name",
					    "Extension-Name",
					    "Implementation-Title" };
	const char *v = bundle_plugin_name(f);
	size_t i;

	if (!empty(v))
		return v;
	if (!empty(fname))
		return fname;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		v = java_mf_main(&f->mf, keys[i]);
		if (v)
			return v;
	}
	return NULL;
}

static const char *manifest_version(const struct java_facts *f)
{
	static const char *const keys[] = { "Implementation-Version",
					    "Specification-Version",
					    "Plugin-Version",
					    "Bundle-Version" };
	const char *v;
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		v = java_mf_any(&f->mf, keys[i]);
		if (v)
			return v;
	}
	return NULL;
}

bool java_main_ident(struct java_ident *id, const struct java_facts *f,
		     long *used)
{
	const char *fname, *fver;

	memset(id, 0, sizeof(*id));
	*used = -1;
	java_filename_parse(f->file_name, f->arena, &fname, &fver);
	if (f->has_manifest &&
	    java_mf_main(&f->mf, "Weave-Classes")) /* agent instrumentation */
		return false;
	if (from_poms(id, f, fname, used)) {
		/* a pom match without a version takes the usual fallbacks */
	} else if (f->has_manifest || !empty(fver)) {
		id->name = f->has_manifest ? manifest_name(f, fname) : fname;
	} else {
		return false;
	}
	if (empty(id->version))
		id->version = !empty(fver)	? fver
			      : f->has_manifest ? manifest_version(f)
						: NULL;
	if (empty(id->name))
		return false;
	id->group = java_group_infer(id->name, f, id->props);
	return true;
}

bool java_same_package(const struct java_ident *main, const struct java_pom *p)
{
	/* Syft also compares group:artifact:version, which this implies */
	return !empty(p->artifact) && !strcmp(p->artifact, main->name);
}
