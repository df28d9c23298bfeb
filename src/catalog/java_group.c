/*
 * groupId inference for a Java package, in Syft's order: the
 * pom.properties, the pom.xml (its groupId, else its parent's), a table
 * of well-known artifactIds, then manifest fields whose value looks like
 * a reverse domain (the smallest such value in sort order, as Syft
 * sorts the candidates), and last the artifactId itself, which is what
 * Syft puts in the PURL when it knows nothing better.
 */
#include <string.h>

#include "catalog/java_int.h"
#include "util/banned.h"

/* Exact artifactIds, then prefixes ending in '-'; first match wins. */
static const struct {
	const char *artifact;
	const char *group;
} known[] = {
	{ "spring", "org.springframework" },
	{ "spring-boot", "org.springframework.boot" },
	{ "spring-boot-", "org.springframework.boot" },
	{ "spring-security-", "org.springframework.security" },
	{ "spring-data-", "org.springframework.data" },
	{ "spring-cloud-", "org.springframework.cloud" },
	{ "spring-batch-", "org.springframework.batch" },
	{ "spring-session-", "org.springframework.session" },
	{ "spring-vault-", "org.springframework.vault" },
	{ "spring-integration-", "org.springframework.integration" },
	{ "spring-amqp", "org.springframework.amqp" },
	{ "spring-webflow", "org.springframework.webflow" },
	{ "spring-", "org.springframework" },
	{ "log4j-", "org.apache.logging.log4j" },
	{ "slf4j-", "org.slf4j" },
	{ "jackson-core", "com.fasterxml.jackson.core" },
	{ "jackson-databind", "com.fasterxml.jackson.core" },
	{ "jackson-annotations", "com.fasterxml.jackson.core" },
	{ "netty-", "io.netty" },
	{ "tomcat-embed-", "org.apache.tomcat.embed" },
	{ "guava", "com.google.guava" },
	{ "gson", "com.google.code.gson" },
	{ "commons-lang3", "org.apache.commons" },
	{ "commons-text", "org.apache.commons" },
	{ "commons-compress", "org.apache.commons" },
	{ "commons-io", "commons-io" },
	{ "commons-codec", "commons-codec" },
	{ "commons-logging", "commons-logging" },
	{ "commons-collections", "commons-collections" },
	{ "commons-collections4", "org.apache.commons" },
};

static const char *const primary_fields[] = {
	"Group-Id",
	"Bundle-SymbolicName",
	"Extension-Name",
	"Specification-Vendor",
	"Implementation-Vendor",
	"Implementation-Vendor-Id",
	"Implementation-Title",
	"Bundle-Activator",
};

static const char *const secondary_fields[] = {
	"Automatic-Module-Name",
	"Main-Class",
	"Package",
};

static bool empty(const char *s)
{
	return !s || !s[0];
}

static const char *from_table(const char *name)
{
	size_t i, n;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		n = strlen(known[i].artifact);
		if (known[i].artifact[n - 1] == '-'
			    ? !strncmp(name, known[i].artifact, n)
			    : !strcmp(name, known[i].artifact))
			return known[i].group;
	}
	return NULL;
}

/* Syft's startsWithTopLevelDomain: a bare prefix test, kept for parity. */
static bool tld(const char *v)
{
	static const char *const d[] = { "com", "org", "net", "io", "be" };
	size_t i;

	for (i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
		if (!strncmp(v, d[i], strlen(d[i])))
			return true;
	}
	return false;
}

/* "org.bar;uses:=x" or "org.bar#x" -> "org.bar", trimmed. */
static const char *clean(struct arena *a, const char *v)
{
	size_t n = strcspn(v, ";#");

	while (*v == ' ' || *v == '\t') {
		v++;
		n--;
	}
	while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	return n ? arena_strndup(a, v, n) : NULL;
}

/* The smallest cleaned candidate among fields, every section. */
static const char *from_fields(const struct java_facts *f,
			       const char *const *fields, size_t nf)
{
	const char *best = NULL, *c;
	size_t i, j;

	for (i = 0; i < f->mf.n; i++) {
		for (j = 0; j < nf; j++) {
			if (strcasecmp(f->mf.v[i].key, fields[j]) ||
			    !tld(f->mf.v[i].value))
				continue;
			c = clean(f->arena, f->mf.v[i].value);
			if (c && (!best || strcmp(c, best) < 0))
				best = c;
		}
	}
	return best;
}

static const char *from_xml(const struct java_facts *f,
			    const struct java_pom *props)
{
	size_t i;

	for (i = 0; i < f->n_xmls; i++) {
		const struct java_pom *x = &f->xmls[i];

		if (props && strcmp(x->dir, props->dir))
			continue;
		if (!props && f->n_xmls != 1)
			break;
		if (!empty(x->group) && x->group[0] != '$')
			return x->group;
		if (!empty(x->parent_group))
			return x->parent_group;
	}
	return NULL;
}

const char *java_group_infer(const char *name, const struct java_facts *f,
			     const struct java_pom *props)
{
	const char *g;

	if (props && !empty(props->group))
		return props->group;
	if ((g = from_xml(f, props)))
		return g;
	if ((g = from_table(name)))
		return g;
	if (f->has_manifest &&
	    ((g = from_fields(f, primary_fields,
			      sizeof(primary_fields) / sizeof(char *))) ||
	     (g = from_fields(f, secondary_fields,
			      sizeof(secondary_fields) / sizeof(char *)))))
		return g;
	return name;
}
