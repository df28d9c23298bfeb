/*
 * Ruby: the gems a Gemfile.lock (or Gemfile.next.lock) pins, directory
 * scans only. Bundler writes sections headed by an unindented line; the
 * gem sources are GEM, GIT, PATH and PLUGIN SOURCE, each with
 * "  remote: ..." (and for GIT "  revision: ...") then "  specs:" and
 * one gem per line indented by exactly four spaces:
 *
 *     rack (2.2.8)
 *     nokogiri (1.15.4-x86_64-linux)
 *       racc (~> 1.4)        <- six spaces: a dependency, not a gem
 *
 * The version in parentheses may end in a platform ("-x86_64-linux",
 * "-java"); it is split off into meta "platform" when it starts with a
 * known CPU or OS name, so the version is the gem's version. Syft keeps
 * it in the version. GIT sections add meta "git_remote" and
 * "git_revision", PATH sections "path".
 */
#include <string.h>

#include "catalog/catalog_int.h"
#include "catalog/catutil.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/banned.h"

#define GEMFILE_MAX_BYTES (8u << 20)
#define GEMFILE_MAX_GEMS 100000u

static const char gemfile_name[] = "ruby-gemfile-cataloger";

enum section { SEC_OTHER, SEC_GEM, SEC_GIT, SEC_PATH };

struct lockstate {
	const struct cat_input *in;
	struct cat_result *res;
	enum section sec;
	struct cslice remote, revision;
	size_t gems;
};

static enum section section(struct cslice line)
{
	line = cslice_trim(line);
	if (cslice_eq(line, "GEM") || cslice_eq(line, "PLUGIN SOURCE"))
		return SEC_GEM;
	if (cslice_eq(line, "GIT"))
		return SEC_GIT;
	if (cslice_eq(line, "PATH"))
		return SEC_PATH;
	return SEC_OTHER;
}

/* Does s (after a '-') start with a RubyGems platform's CPU or OS? */
static bool platform(struct cslice s)
{
	static const char *const names[] = {
		"x86_64", "x86",     "x64",	"i386",	 "i486",   "i586",
		"i686",	  "arm64",   "aarch64", "arm",	 "armv7",  "universal",
		"java",	  "jruby",   "mswin",	"mingw", "darwin", "linux",
		"ppc64",  "powerpc", "s390x",	"sparc", "wasm32", "riscv64",
	};
	size_t i, n;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		n = strlen(names[i]);
		if (s.n >= n && !memcmp(s.p, names[i], n) &&
		    (s.n == n || s.p[n] == '-' || s.p[n] == '_' ||
		     (s.p[n] >= '0' && s.p[n] <= '9')))
			return true;
	}
	return false;
}

static int add_origin(const struct lockstate *s, struct customs_pkg *pkg)
{
	if (s->sec == SEC_GIT) {
		int rc = cat_meta_slice(pkg, "git_remote", s->remote);

		return rc ? rc
			  : cat_meta_slice(pkg, "git_revision", s->revision);
	}
	return s->sec == SEC_PATH ? cat_meta_slice(pkg, "path", s->remote) : 0;
}

/* "name (version[-platform])", the four spaces already gone. */
static int gem_line(struct lockstate *s, struct cslice l, size_t no)
{
	const char *sp = memchr(l.p, ' ', l.n);
	struct cslice name, ver, plat = { NULL, 0 };
	struct customs_pkg *pkg;
	const char *dash;
	int rc;

	if (cat_has_ctl(l))
		return cat_warn(s->res, "line %zu: control character", no);
	if (!sp || sp + 2 >= l.p + l.n || sp[1] != '(' || l.p[l.n - 1] != ')')
		return cat_warn(s->res, "line %zu: not \"name (version)\"", no);
	name = cslice_make(l.p, (size_t)(sp - l.p));
	ver = cslice_trim(cslice_make(sp + 2, (size_t)(l.p + l.n - sp - 3)));
	if (!ver.n)
		return cat_warn(s->res, "line %zu: no version", no);
	if (s->gems++ == GEMFILE_MAX_GEMS)
		return cat_warn(s->res,
				"line %zu: more than %u gems; the rest "
				"are ignored",
				no, GEMFILE_MAX_GEMS);
	dash = memchr(ver.p, '-', ver.n);
	if (dash && platform(cslice_make(dash + 1,
					 (size_t)(ver.p + ver.n - dash - 1)))) {
		plat = cslice_make(dash + 1,
				   (size_t)(ver.p + ver.n - dash - 1));
		ver.n = (size_t)(dash - ver.p);
	}
	pkg = cat_pkg_new(s->res, s->in, gemfile_name, CUSTOMS_PKG_GEM);
	if (!pkg)
		return CUSTOMS_ENOMEM;
	rc = customs_pkg_set(&pkg->name, name.p, name.n);
	rc = rc ? rc : customs_pkg_set(&pkg->version, ver.p, ver.n);
	rc = rc ? rc : cat_meta_slice(pkg, "platform", plat);
	return rc ? rc : add_origin(s, pkg);
}

/* "  remote: x" and "  revision: x" of the current source section. */
static void source_field(struct lockstate *s, struct cslice l)
{
	if (cslice_startswith(l, "remote: "))
		s->remote = cslice_trim(cslice_make(l.p + 8, l.n - 8));
	else if (cslice_startswith(l, "revision: "))
		s->revision = cslice_trim(cslice_make(l.p + 10, l.n - 10));
}

static int lock_line(struct lockstate *s, struct cslice l, size_t no)
{
	static const struct cslice none = { NULL, 0 };

	while (l.n && l.p[l.n - 1] == '\r')
		l.n--;
	if (!l.n)
		return 0;
	if (l.p[0] != ' ') {
		s->sec = section(l);
		s->remote = s->revision = none;
		return 0;
	}
	if (s->sec == SEC_OTHER)
		return 0;
	if (l.n > 4 && !memcmp(l.p, "    ", 4) && l.p[4] != ' ')
		return gem_line(s, cslice_make(l.p + 4, l.n - 4), no);
	if (l.n > 2 && !memcmp(l.p, "  ", 2) && l.p[2] != ' ')
		source_field(s, cslice_make(l.p + 2, l.n - 2));
	return 0;
}

static int parse_gemfile_lock(const struct cat_input *in,
			      struct cat_result *res)
{
	struct lockstate s = {
		in, res, SEC_OTHER, { NULL, 0 }, { NULL, 0 }, 0
	};
	struct cslice rest = cslice_make((const char *)in->data, in->len);
	struct cslice l;
	size_t no = 0;
	int rc = 0;

	while (!rc && cslice_next_line(&rest, &l))
		rc = lock_line(&s, l, ++no);
	return rc;
}

static const struct customs_want gemfile_wants[] = {
	{ CUSTOMS_WANT_BASENAME, "Gemfile.lock" },
	{ CUSTOMS_WANT_BASENAME, "Gemfile.next.lock" },
};

const struct cataloger cat_gemfile_lock = {
	.name = gemfile_name,
	.tags = "declared directory package language ruby gem lock",
	.wants = gemfile_wants,
	.n_wants = 2,
	.max_bytes = GEMFILE_MAX_BYTES,
	.flags = CAT_DIR_ONLY,
	.parse = parse_gemfile_lock,
};
