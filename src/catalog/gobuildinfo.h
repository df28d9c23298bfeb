/*
 * Go build info: where the Go linker leaves the toolchain version and
 * the module list in an executable, and the text format of that list
 * (what `go version -m` prints). Used by the go-module-binary-cataloger
 * (gobinary.c); exposed for tests and fuzzing.
 */
#ifndef CUSTOMS_CATALOG_GOBUILDINFO_H
#define CUSTOMS_CATALOG_GOBUILDINFO_H

#include <stdbool.h>
#include <stddef.h>

#include "catalog/catalog_int.h"
#include "catalog/elf.h"
#include "util/arena.h"
#include "util/buf.h"

/* Bounds on what one binary may declare. */
#define GO_MODINFO_MAX (4u << 20) /* bytes of module text */
#define GO_DEPS_MAX 20000u
#define GO_SETTINGS_MAX 256u

struct go_module {
	const char *path;
	const char *version; /* "" when absent */
	const char *sum; /* "h1:..." or "" */
	/* the "=>" line that replaced this module, or NULL path */
	const char *rpath;
	const char *rversion;
	const char *rsum;
};

struct go_setting {
	const char *key; /* unquoted: "-ldflags", "vcs.revision", "GOOS" */
	const char *value;
};

struct go_buildinfo {
	struct arena arena; /* every string below */
	const char *go_version; /* "go1.21.5" as written, or NULL */
	const char *path; /* the "path" line, or NULL */
	bool has_main;
	struct go_module main;
	struct go_module *deps;
	size_t n_deps;
	size_t cap_deps;
	struct go_setting *settings;
	size_t n_settings;
	size_t cap_settings;
};

/*
 * Find the build info blob in an ELF file: the .go.buildinfo section, or
 * the first 64 KiB of the first writable non-executable PT_LOAD segment
 * (stripped binaries), searched for the "\xff Go buildinf:" magic on a
 * 16-byte boundary. Decodes the Go >= 1.18 inline format (two varint
 * prefixed strings) and the older one (two pointers to Go string headers,
 * read with the file's pointer size and byte order and resolved through
 * the program headers). On success *vers and *mod point into the file
 * (*mod without its 16-byte framing, empty when the binary was not built
 * in module mode). Returns false when the file holds no Go build info.
 */
bool go_buildinfo_find(const struct elf_file *f, struct cslice *vers,
		       struct cslice *mod);

/*
 * Parse module text (as runtime/debug.ParseBuildInfo does: "path",
 * "mod", "dep", "=>", "build" lines, tab-separated, Go-quoted build
 * keys and values). Lines it cannot read become warnings in res. The
 * caller zeroes bi; release it with go_buildinfo_release().
 * Returns 0 or CUSTOMS_ENOMEM.
 */
int go_modinfo_parse(struct go_buildinfo *bi, struct cslice mod,
		     struct cat_result *res);

/* The value of build setting key, or NULL. */
const char *go_setting(const struct go_buildinfo *bi, const char *key);

void go_buildinfo_release(struct go_buildinfo *bi);

/*
 * A better version for a main module built as "(devel)", in Syft's
 * order: a semver given to the linker in ldflags ("-X main.version=1.2.3"
 * gives "v1.2.3"; keys ending in .version, .Version, .ver, .gitVersion,
 * .buildVersion, then .tag), else the pseudo-version
 * "v0.0.0-<vcs.time in UTC as yyyymmddhhmmss>-<revision[:12]>" when both
 * vcs settings are there (an unreadable time gives 00010101000000, as
 * Go's zero time does). Any argument may be NULL. Returns false (out
 * untouched) when neither applies.
 */
bool go_main_version(char *out, size_t cap, const char *ldflags,
		     const char *revision, const char *vcs_time);

#endif
