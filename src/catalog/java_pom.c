/*
 * The coordinates in a pom.xml, read by a small XML scanner that tracks
 * only the element path: project/{groupId,artifactId,version,name} and
 * project/parent/{groupId,artifactId,version}. Namespace prefixes are
 * ignored. Comments, processing instructions, DOCTYPE and CDATA sections
 * are skipped or read as text; entities are the predefined five and
 * numeric references. Maven inheritance fills a missing groupId or
 * version from <parent>, and the common ${project.*} references are
 * resolved. Malformed XML stops the scan and keeps what was read.
 */
#include <string.h>

#include "catalog/java_int.h"
#include "customs/common.h"
#include "util/buf.h"
#include "util/banned.h"

enum field {
	F_OTHER,
	F_PROJECT,
	F_PARENT,
	F_GROUP,
	F_ARTIFACT,
	F_VERSION,
	F_NAME,
	F_PGROUP,
	F_PARTIFACT,
	F_PVERSION,
	F_COUNT,
};

struct scan {
	const char *p;
	const char *end;
	unsigned char stack[JAVA_XML_MAX_DEPTH];
	size_t depth; /* may exceed the stack: deeper levels are F_OTHER */
	struct cbuf text[F_COUNT];
	bool seen[F_COUNT];
};

static enum field top(const struct scan *s)
{
	if (!s->depth || s->depth > JAVA_XML_MAX_DEPTH)
		return F_OTHER;
	return (enum field)s->stack[s->depth - 1];
}

static bool name_is(struct cslice n, const char *lit)
{
	return cslice_eq(n, lit);
}

/* What element n is, given where it opens. */
static enum field classify(const struct scan *s, struct cslice n)
{
	enum field parent = top(s);

	if (s->depth == 0)
		return name_is(n, "project") ? F_PROJECT : F_OTHER;
	if (parent == F_PROJECT) {
		if (name_is(n, "parent"))
			return F_PARENT;
		if (name_is(n, "groupId"))
			return F_GROUP;
		if (name_is(n, "artifactId"))
			return F_ARTIFACT;
		if (name_is(n, "version"))
			return F_VERSION;
		if (name_is(n, "name"))
			return F_NAME;
	} else if (parent == F_PARENT) {
		if (name_is(n, "groupId"))
			return F_PGROUP;
		if (name_is(n, "artifactId"))
			return F_PARTIFACT;
		if (name_is(n, "version"))
			return F_PVERSION;
	}
	return F_OTHER;
}

static bool skip_past(struct scan *s, const char *lit)
{
	size_t n = strlen(lit);

	while (s->p + n <= s->end) {
		if (!memcmp(s->p, lit, n)) {
			s->p += n;
			return true;
		}
		s->p++;
	}
	s->p = s->end;
	return false;
}

static void put_text(struct scan *s, const char *t, size_t n)
{
	enum field f = top(s);

	if (f >= F_GROUP && !s->seen[f])
		cbuf_put(&s->text[f], t, n);
}

static void put_entity(struct scan *s)
{
	static const char *const names[] = { "lt;", "gt;", "amp;", "quot;",
					     "apos;" };
	static const char chars[] = "<>&\"'";
	size_t room = (size_t)(s->end - s->p);
	/* a reference is short: never scan far (no quadratic "&&&&...") */
	const char *semi = memchr(s->p, ';', room < 12 ? room : 12);
	unsigned long cp = 0;
	const char *q;
	size_t i;

	for (i = 0; i < 5; i++) {
		size_t n = strlen(names[i]);

		if ((size_t)(s->end - s->p) > n &&
		    !memcmp(s->p + 1, names[i], n)) {
			put_text(s, &chars[i], 1);
			s->p += n + 1;
			return;
		}
	}
	if (semi && semi - s->p > 2 && s->p[1] == '#' && semi - s->p < 12) {
		bool hex = s->p[2] == 'x';

		for (q = s->p + 2 + hex; q < semi; q++) {
			int d = *q >= '0' && *q <= '9'		? *q - '0'
				: hex && *q >= 'a' && *q <= 'f' ? *q - 'a' + 10
				: hex && *q >= 'A' && *q <= 'F' ? *q - 'A' + 10
								: -1;
			if (d < 0)
				break;
			cp = cp * (hex ? 16 : 10) + (unsigned long)d;
		}
		if (q == semi && cp && cp < 0x80) {
			char c = (char)cp;

			put_text(s, &c, 1);
			s->p = semi + 1;
			return;
		}
	}
	put_text(s, s->p, 1);
	s->p++;
}

static void open_tag(struct scan *s, struct cslice n, bool empty)
{
	const char *colon = memchr(n.p, ':', n.n);
	enum field f;

	if (colon)
		n = cslice_make(colon + 1, (size_t)(n.p + n.n - colon - 1));
	f = classify(s, n);
	if (empty)
		return;
	if (s->depth < JAVA_XML_MAX_DEPTH)
		s->stack[s->depth] = (unsigned char)f;
	s->depth++;
}

static void close_tag(struct scan *s)
{
	enum field f = top(s);

	if (!s->depth)
		return;
	if (f >= F_GROUP)
		s->seen[f] = true;
	s->depth--;
}

/* A tag at s->p ('<' already seen). False when the document ends. */
static bool tag(struct scan *s)
{
	const char *start = ++s->p, *q;
	size_t n;

	if (s->p < s->end && *s->p == '?')
		return skip_past(s, "?>");
	if (s->end - s->p >= 3 && !memcmp(s->p, "!--", 3))
		return skip_past(s, "-->");
	if (s->end - s->p >= 8 && !memcmp(s->p, "![CDATA[", 8)) {
		s->p += 8;
		q = s->p;
		if (!skip_past(s, "]]>"))
			return false;
		put_text(s, q, (size_t)(s->p - 3 - q));
		return true;
	}
	if (s->p < s->end && *s->p == '!')
		return skip_past(s, ">");
	if (!skip_past(s, ">"))
		return false;
	n = (size_t)(s->p - 1 - start);
	if (n && start[0] == '/') {
		close_tag(s);
		return true;
	}
	q = start;
	while (q < start + n && !memchr(" \t\r\n/", *q, 5))
		q++;
	if (q > start)
		open_tag(s, cslice_make(start, (size_t)(q - start)),
			 start[n - 1] == '/');
	return true;
}

static const char *keep(struct arena *a, struct cbuf *b)
{
	struct cslice v = cslice_trim(cslice_make(b->ptr, b->len));

	if (!v.n || cbuf_error(b))
		return NULL;
	return arena_strndup(a, v.p, v.n);
}

/* ${project.version} and friends, else the text as written. */
static const char *resolve(const char *v, const struct java_pom *pom,
			   const char *parent_version)
{
	if (!v || v[0] != '$')
		return v;
	if (!strcmp(v, "${project.version}") || !strcmp(v, "${version}") ||
	    !strcmp(v, "${pom.version}"))
		return pom->version && pom->version[0] != '$' ? pom->version
							      : v;
	if (!strcmp(v, "${project.parent.version}") ||
	    !strcmp(v, "${parent.version}"))
		return parent_version ? parent_version : v;
	if (!strcmp(v, "${project.groupId}") || !strcmp(v, "${groupId}"))
		return pom->group && pom->group[0] != '$' ? pom->group : v;
	if (!strcmp(v, "${project.parent.groupId}"))
		return pom->parent_group ? pom->parent_group : v;
	return v;
}

static int finish(struct java_pom *out, struct arena *a, struct scan *s)
{
	const char *pversion;
	size_t i;

	for (i = F_GROUP; i < F_COUNT; i++) {
		if (cbuf_error(&s->text[i]) == CUSTOMS_ENOMEM)
			return CUSTOMS_ENOMEM;
	}
	out->group = keep(a, &s->text[F_GROUP]);
	out->artifact = keep(a, &s->text[F_ARTIFACT]);
	out->version = keep(a, &s->text[F_VERSION]);
	out->name = keep(a, &s->text[F_NAME]);
	out->parent_group = keep(a, &s->text[F_PGROUP]);
	out->parent_artifact = keep(a, &s->text[F_PARTIFACT]);
	pversion = keep(a, &s->text[F_PVERSION]);
	if (!out->group)
		out->group = out->parent_group;
	if (!out->version)
		out->version = pversion;
	out->group = resolve(out->group, out, pversion);
	out->version = resolve(out->version, out, pversion);
	return 0;
}

int java_pomxml_parse(struct java_pom *out, struct arena *a, const char *data,
		      size_t len)
{
	struct scan s;
	size_t i;
	int rc;

	memset(&s, 0, sizeof(s));
	s.p = data;
	s.end = data + len;
	for (i = 0; i < F_COUNT; i++)
		cbuf_init(&s.text[i], 4096);
	while (s.p < s.end) {
		const char *lt = memchr(s.p, '<', (size_t)(s.end - s.p));
		const char *stop = lt ? lt : s.end;

		while (s.p < stop) {
			const char *amp =
				memchr(s.p, '&', (size_t)(stop - s.p));

			put_text(&s, s.p, (size_t)((amp ? amp : stop) - s.p));
			s.p = amp ? amp : stop;
			if (amp)
				put_entity(&s);
		}
		if (s.p >= s.end || !tag(&s))
			break;
	}
	rc = finish(out, a, &s);
	for (i = 0; i < F_COUNT; i++)
		cbuf_release(&s.text[i]);
	return rc;
}
