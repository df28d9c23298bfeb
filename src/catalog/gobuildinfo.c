/*
 * Go build info (see gobuildinfo.h), following Go's debug/buildinfo and
 * runtime/debug.ParseBuildInfo.
 *
 * The linker writes a 32-byte header aligned to 16 bytes: the 14-byte
 * magic "\xff Go buildinf:", the pointer size, and a flags byte (bit 0:
 * big-endian, bit 1: strings follow inline). Since Go 1.18 the version
 * and the module text follow the header as varint-length strings; before
 * that the header holds two pointers to Go string headers {data, len}
 * elsewhere in the binary. The module text is framed by two 16-byte
 * sentinels, which are stripped when the 17th byte from the end is '\n'.
 *
 * Everything read from the file is bounded: the magic is searched in the
 * first 64 KiB (as Go does), strings must lie inside the buffer and are
 * at most GO_MODINFO_MAX bytes, and the parsed lists have fixed caps.
 * Strings are copied into the buildinfo's arena.
 */
#include <string.h>

#include "catalog/gobuildinfo.h"
#include "util/alloc.h"
#include "util/banned.h"

#define MAGIC "\xff Go buildinf:"
#define MAGIC_LEN 14
#define HDR_LEN 32
#define SEARCH_MAX (64u * 1024)

/* The header's offset in p[0, n), searching the first lim bytes. */
static size_t find_magic(const unsigned char *p, size_t n, size_t lim);

/*
 * Where the blob is: the .go.buildinfo section, else (as Go does) the
 * first writable, non-executable PT_LOAD segment. Go only looks at the
 * first 64 KiB there; when the section table is gone (stripped) and the
 * blob lies further in, as in PIE and cgo binaries, every writable
 * segment is searched whole, so stripping does not hide a Go binary.
 */
static bool find_blob(const struct elf_file *f, const unsigned char **p,
		      size_t *n)
{
	struct elf_segment seg;
	struct elf_section s;
	size_t i, at;

	if (elf_find_section(f, ".go.buildinfo", &s) &&
	    elf_section_data(f, &s, p, n)) {
		at = find_magic(*p, *n, SEARCH_MAX);
		goto found;
	}
	for (i = 0; i < f->phnum; i++) {
		if (!elf_segment(f, i, &seg) || seg.type != ELF_PT_LOAD ||
		    (seg.flags & (ELF_PF_X | ELF_PF_W)) != ELF_PF_W ||
		    !elf_read_vaddr(f, seg.vaddr, SIZE_MAX, p, n))
			continue;
		at = find_magic(*p, *n, f->shnum ? SEARCH_MAX : *n);
		if (at != SIZE_MAX || f->shnum)
			goto found;
	}
	return false;
found:
	if (at == SIZE_MAX)
		return false;
	*p += at;
	*n -= at;
	return true;
}

static uint64_t read_ptr(const unsigned char *p, size_t size, bool be)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < size; i++)
		v = v << 8 | p[be ? i : size - 1 - i];
	return v;
}

/* A Go string {data, len} whose header is at virtual address addr. */
static bool read_gostring(const struct elf_file *f, uint64_t addr, size_t ptr,
			  bool be, struct cslice *out)
{
	const unsigned char *h, *d;
	uint64_t daddr, dlen;
	size_t n;

	if (!elf_read_vaddr(f, addr, 2 * ptr, &h, &n) || n < 2 * ptr)
		return false;
	daddr = read_ptr(h, ptr, be);
	dlen = read_ptr(h + ptr, ptr, be);
	if (dlen > GO_MODINFO_MAX)
		return false;
	if (!dlen) {
		*out = cslice_make("", 0);
		return true;
	}
	if (!elf_read_vaddr(f, daddr, (size_t)dlen, &d, &n) || n < dlen)
		return false;
	*out = cslice_make((const char *)d, n);
	return true;
}

/* A uvarint-prefixed string at *p (n bytes left); advances. */
static bool read_varstring(const unsigned char **p, size_t *n,
			   struct cslice *out)
{
	uint64_t len = 0;
	size_t i;

	for (i = 0; i < *n && i < 10; i++) {
		len |= (uint64_t)((*p)[i] & 0x7f) << (7 * i);
		if (!((*p)[i] & 0x80))
			break;
	}
	if (i >= *n || i >= 10)
		return false;
	i++;
	if (len > GO_MODINFO_MAX || len > *n - i)
		return false;
	*out = cslice_make((const char *)*p + i, (size_t)len);
	*p += i + len;
	*n -= i + (size_t)len;
	return true;
}

static size_t find_magic(const unsigned char *p, size_t n, size_t lim)
{
	size_t at = 0;
	const unsigned char *hit;

	if (lim > n)
		lim = n;
	while (at < lim) {
		hit = memmem(p + at, lim - at, MAGIC, MAGIC_LEN);
		if (!hit)
			break;
		at = (size_t)(hit - p);
		if (at % 16 == 0 && n - at >= HDR_LEN)
			return at;
		at = (at + 16) & ~(size_t)15;
	}
	return SIZE_MAX;
}

static bool decode(const struct elf_file *f, const unsigned char *h,
		   size_t avail, struct cslice *vers, struct cslice *mod)
{
	const unsigned char *p = h + HDR_LEN;
	size_t ptr = h[14], n = avail - HDR_LEN;
	bool be = h[15] & 1;

	if (h[15] & 2)
		return read_varstring(&p, &n, vers) &&
		       read_varstring(&p, &n, mod);
	if (ptr != 4 && ptr != 8)
		return false;
	return read_gostring(f, read_ptr(h + 16, ptr, be), ptr, be, vers) &&
	       read_gostring(f, read_ptr(h + 16 + ptr, ptr, be), ptr, be, mod);
}

bool go_buildinfo_find(const struct elf_file *f, struct cslice *vers,
		       struct cslice *mod)
{
	const unsigned char *p;
	size_t n;

	if (!find_blob(f, &p, &n) || !decode(f, p, n, vers, mod) || !vers->n)
		return false;
	if (mod->n >= 33 && mod->p[mod->n - 17] == '\n')
		*mod = cslice_make(mod->p + 16, mod->n - 32);
	else
		*mod = cslice_make("", 0);
	return true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static size_t put_utf8(char *o, uint32_t c)
{
	if (c < 0x80) {
		o[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (char)(0xc0 | c >> 6);
		o[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (char)(0xe0 | c >> 12);
		o[1] = (char)(0x80 | (c >> 6 & 0x3f));
		o[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | c >> 18);
	o[1] = (char)(0x80 | (c >> 12 & 0x3f));
	o[2] = (char)(0x80 | (c >> 6 & 0x3f));
	o[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

/* One escape after '\\' at s[*i]; writes to o, returns bytes or 0. */
static size_t unescape(const char *s, size_t n, size_t *i, char *o)
{
	static const char from[] = "abfnrtv\\'\"", to[] = "\a\b\f\n\r\t\v\\'\"";
	const char *hit = *i < n ? strchr(from, s[*i]) : NULL;
	size_t digits = 0, k, base = 16;
	uint32_t v = 0;

	if (hit && *hit) {
		*o = to[hit - from];
		++*i;
		return 1;
	}
	if (*i >= n)
		return 0;
	switch (s[*i]) {
	case 'x':
		digits = 2;
		break;
	case 'u':
		digits = 4;
		break;
	case 'U':
		digits = 8;
		break;
	default:
		if (s[*i] < '0' || s[*i] > '7')
			return 0;
		digits = 3;
		base = 8;
		--*i;
	}
	++*i;
	if (n - *i < digits)
		return 0;
	for (k = 0; k < digits; k++) {
		int d = hexval(s[*i + k]);

		if (d < 0 || (size_t)d >= base)
			return 0;
		v = v * (uint32_t)base + (uint32_t)d;
	}
	*i += digits;
	if (digits == 2 || base == 8) {
		if (v > 0xff)
			return 0;
		*o = (char)v;
		return 1;
	}
	if (v > 0x10ffff || (v >= 0xd800 && v < 0xe000))
		return 0;
	return put_utf8(o, v);
}

/*
 * A Go double-quoted string starting at s[0] == '"'. *used gets the bytes
 * consumed (quotes included). Returns the arena copy or NULL (bad quoting
 * sets *used to 0; no memory leaves *used set).
 */
static char *unquote(struct arena *a, const char *s, size_t n, size_t *used)
{
	char *o = arena_alloc(a, n + 1);
	size_t i = 1, w = 0, k;

	*used = 1; /* "no memory" unless reset below */
	if (!o)
		return NULL;
	*used = 0;
	while (i < n && s[i] != '"') {
		if (s[i] == '\n')
			return NULL;
		if (s[i] != '\\') {
			o[w++] = s[i++];
			continue;
		}
		i++;
		k = unescape(s, n, &i, o + w);
		if (!k)
			return NULL;
		w += k;
	}
	if (i >= n)
		return NULL;
	o[w] = '\0';
	*used = i + 1;
	return o;
}

/* Split s at tabs into at most 4 fields; returns the count (5 = more). */
static size_t split_tabs(struct cslice s, struct cslice *f)
{
	size_t n = 0;
	const char *t;

	for (;;) {
		if (n == 4)
			return 5;
		t = memchr(s.p, '\t', s.n);
		f[n++] = cslice_make(s.p, t ? (size_t)(t - s.p) : s.n);
		if (!t)
			return n;
		s = cslice_make(t + 1, s.n - (size_t)(t + 1 - s.p));
	}
}

static const char *dup(struct arena *a, struct cslice s)
{
	return arena_strndup(a, s.p, s.n);
}

/* "mod"/"dep" fields: path, version[, sum]. 1 bad, 0 ok, <0 ENOMEM. */
static int module_line(struct go_buildinfo *bi, struct cslice rest,
		       struct go_module *m)
{
	struct cslice f[5];
	size_t n = split_tabs(rest, f);

	if (n != 2 && n != 3)
		return 1;
	memset(m, 0, sizeof(*m));
	m->path = dup(&bi->arena, f[0]);
	m->version = dup(&bi->arena, f[1]);
	m->sum = dup(&bi->arena, n == 3 ? f[2] : cslice_make("", 0));
	return m->path && m->version && m->sum ? 0 : CUSTOMS_ENOMEM;
}

static int replace_line(struct go_buildinfo *bi, struct cslice rest,
			struct go_module *last)
{
	struct cslice f[5];

	if (!last || split_tabs(rest, f) != 3)
		return 1;
	last->rpath = dup(&bi->arena, f[0]);
	last->rversion = dup(&bi->arena, f[1]);
	last->rsum = dup(&bi->arena, f[2]);
	return last->rpath && last->rversion && last->rsum ? 0 : CUSTOMS_ENOMEM;
}

static int build_line(struct go_buildinfo *bi, struct cslice kv)
{
	struct go_setting *s;
	const char *key, *eq;
	size_t used = 0;

	if (!kv.n)
		return 1;
	if (bi->n_settings >= GO_SETTINGS_MAX)
		return 1;
	if (kv.p[0] == '"') {
		key = unquote(&bi->arena, kv.p, kv.n, &used);
		if (!key)
			return used ? CUSTOMS_ENOMEM : 1;
		eq = kv.p + used;
		if (used >= kv.n || *eq != '=')
			return 1;
	} else {
		eq = memchr(kv.p, '=', kv.n);
		if (!eq)
			return 1;
		key = dup(&bi->arena, cslice_make(kv.p, (size_t)(eq - kv.p)));
		if (!key)
			return CUSTOMS_ENOMEM;
	}
	if (!*key)
		return 1;
	if (CUSTOMS_GROW(bi->settings, bi->cap_settings, bi->n_settings + 1))
		return CUSTOMS_ENOMEM;
	s = &bi->settings[bi->n_settings];
	s->key = key;
	eq++;
	kv = cslice_make(eq, kv.n - (size_t)(eq - kv.p));
	if (kv.n && kv.p[0] == '"') {
		s->value = unquote(&bi->arena, kv.p, kv.n, &used);
		if (!s->value)
			return used ? CUSTOMS_ENOMEM : 1;
		if (used != kv.n)
			return 1;
	} else {
		s->value = dup(&bi->arena, kv);
		if (!s->value)
			return CUSTOMS_ENOMEM;
	}
	bi->n_settings++;
	return 0;
}

static int dep_line(struct go_buildinfo *bi, struct cslice rest,
		    struct go_module **last)
{
	struct go_module m;
	int rc;

	*last = NULL;
	if (bi->n_deps >= GO_DEPS_MAX)
		return 1;
	rc = module_line(bi, rest, &m);
	if (rc)
		return rc;
	if (CUSTOMS_GROW(bi->deps, bi->cap_deps, bi->n_deps + 1))
		return CUSTOMS_ENOMEM;
	bi->deps[bi->n_deps] = m;
	*last = &bi->deps[bi->n_deps++];
	return 0;
}

static int one_line(struct go_buildinfo *bi, struct cslice line,
		    struct go_module **last)
{
	int rc;

	if (cslice_startswith(line, "path\t")) {
		bi->path = dup(&bi->arena, cslice_make(line.p + 5, line.n - 5));
		return bi->path ? 0 : CUSTOMS_ENOMEM;
	}
	if (cslice_startswith(line, "mod\t")) {
		*last = NULL;
		rc = module_line(bi, cslice_make(line.p + 4, line.n - 4),
				 &bi->main);
		if (!rc) {
			bi->has_main = true;
			*last = &bi->main;
		}
		return rc;
	}
	if (cslice_startswith(line, "dep\t"))
		return dep_line(bi, cslice_make(line.p + 4, line.n - 4), last);
	if (cslice_startswith(line, "=>\t")) {
		rc = replace_line(bi, cslice_make(line.p + 3, line.n - 3),
				  *last);
		*last = NULL;
		return rc;
	}
	if (cslice_startswith(line, "build\t"))
		return build_line(bi, cslice_make(line.p + 6, line.n - 6));
	return 0; /* "go" and future line kinds */
}

/* The line's first word, at most 16 bytes, for warnings. */
static size_t word_len(struct cslice line)
{
	size_t i;

	for (i = 0; i < line.n && i < 16; i++) {
		if ((unsigned char)line.p[i] <= ' ' || line.p[i] == 0x7f)
			break;
	}
	return i;
}

int go_modinfo_parse(struct go_buildinfo *bi, struct cslice mod,
		     struct cat_result *res)
{
	struct go_module *last = NULL;
	const char *nl;
	size_t lineno = 0;
	int rc;

	if (mod.n > GO_MODINFO_MAX)
		return cat_warn(res,
				"go build info: module list of %zu bytes "
				"is over the limit",
				mod.n);
	while (mod.n && (nl = memchr(mod.p, '\n', mod.n))) {
		struct cslice line = cslice_make(mod.p, (size_t)(nl - mod.p));

		lineno++;
		mod = cslice_make(nl + 1, mod.n - line.n - 1);
		rc = one_line(bi, line, &last);
		if (rc < 0)
			return rc;
		if (rc && cat_warn(res,
				   "go build info: line %zu: unreadable "
				   "'%.*s' line",
				   lineno, (int)word_len(line), line.p))
			return CUSTOMS_ENOMEM;
	}
	return 0;
}

const char *go_setting(const struct go_buildinfo *bi, const char *key)
{
	size_t i;

	for (i = 0; i < bi->n_settings; i++) {
		if (!strcmp(bi->settings[i].key, key))
			return bi->settings[i].value;
	}
	return NULL;
}

void go_buildinfo_release(struct go_buildinfo *bi)
{
	arena_release(&bi->arena);
	customs_free(bi->deps);
	customs_free(bi->settings);
	memset(bi, 0, sizeof(*bi));
}
