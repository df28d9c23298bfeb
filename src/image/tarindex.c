/*
 * Outer tar index. One pass over the 512-byte headers, reading member
 * data only for the extended headers (GNU 'L' long name, 'K' long link,
 * pax 'x' with path/linkpath/size; pax 'g' is skipped). Every header's
 * checksum is verified, sizes may be octal or base-256, and no member may
 * reach past the end of the file. Invariant: every indexed member lies
 * wholly inside the file (lookups are in tarlookup.c).
 * libarchive is not used here because it cannot tell where a member's
 * bytes are in the file, and that is the point of the index.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include "image/tarindex.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

#define BLOCK 512
#define PAX_MAX (1u << 20) /* bytes of one pax extended header */

/* Extended values that apply to the next real member. */
struct pending {
	char *name;
	char *link;
	uint64_t size;
	bool has_size;
};

struct parser {
	struct tarindex *t;
	int fd;
	const char *label;
	const struct customs_limits *lim;
	struct customs_ctx *ctx;
	struct pending pend;
	uint64_t off; /* the current header */
};

int tarindex_pread(int fd, void *buf, size_t n, uint64_t off)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = pread(fd, (char *)buf + got, n - got,
				  (off_t)(off + got));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0)
				errno = EIO;
			return -1;
		}
		got += (size_t)r;
	}
	return 0;
}

static bool parse_octal(const unsigned char *f, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0;

	while (i < n && f[i] == ' ')
		i++;
	for (; i < n && f[i] >= '0' && f[i] <= '7'; i++) {
		if (v >> 61)
			return false;
		v = v << 3 | (uint64_t)(f[i] - '0');
	}
	for (; i < n; i++) {
		if (f[i] != ' ' && f[i] != '\0')
			return false;
	}
	*out = v;
	return true;
}

/* Octal, or GNU base-256 when the top bit is set; negative is an error. */
static bool parse_numeric(const unsigned char *f, size_t n, uint64_t *out)
{
	uint64_t v;
	size_t i;

	if (!(f[0] & 0x80))
		return parse_octal(f, n, out);
	if (f[0] & 0x40)
		return false;
	v = f[0] & 0x3f;
	for (i = 1; i < n; i++) {
		if (v >> 56)
			return false;
		v = v << 8 | f[i];
	}
	*out = v;
	return true;
}

bool tarindex_header_ok(const unsigned char *h)
{
	uint64_t want;
	uint64_t usum = 0;
	int64_t ssum = 0;
	size_t i;

	if (!parse_octal(h + 148, 8, &want))
		return false;
	for (i = 0; i < BLOCK; i++) {
		unsigned char c = (i >= 148 && i < 156) ? ' ' : h[i];

		usum += c;
		ssum += (signed char)c;
	}
	/* Some old writers summed signed chars. */
	return want == usum || (ssum >= 0 && want == (uint64_t)ssum);
}

static bool is_zero(const unsigned char *h)
{
	size_t i;

	for (i = 0; i < BLOCK; i++) {
		if (h[i])
			return false;
	}
	return true;
}

static void pending_release(struct pending *p)
{
	customs_free(p->name);
	customs_free(p->link);
	memset(p, 0, sizeof(*p));
}

static int too_long(struct parser *p)
{
	return customs_error(p->ctx, CUSTOMS_ELIMIT,
			     "%s: member name at offset %" PRIu64
			     " is longer than max_path_len (%" PRIu64 ")",
			     p->label, p->off, p->lim->max_path_len);
}

/* Replace *slot by a copy of the n bytes at s (up to the first NUL). */
static int set_string(struct parser *p, char **slot, const char *s, size_t n)
{
	char *d;

	if (strnlen(s, n) > p->lim->max_path_len)
		return too_long(p);
	d = customs_strndup(s, n);
	if (!d)
		return customs_error(p->ctx, CUSTOMS_ENOMEM,
				     "%s: out of memory", p->label);
	customs_free(*slot);
	*slot = d;
	return 0;
}

static int bad_pax(struct parser *p)
{
	return customs_error(p->ctx, CUSTOMS_EFORMAT,
			     "%s: bad pax header at offset %" PRIu64, p->label,
			     p->off);
}

static int pax_size(struct parser *p, const char *v, size_t n)
{
	uint64_t size = 0;
	size_t i;

	if (n == 0 || n > 20)
		return bad_pax(p);
	for (i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9' || size > UINT64_MAX / 10)
			return bad_pax(p);
		size = size * 10 + (uint64_t)(v[i] - '0');
	}
	p->pend.size = size;
	p->pend.has_size = true;
	return 0;
}

static int pax_record(struct parser *p, const char *kv, size_t n)
{
	const char *eq = memchr(kv, '=', n);
	size_t klen, vlen;

	if (!eq)
		return bad_pax(p);
	klen = (size_t)(eq - kv);
	vlen = n - klen - 1;
	if (klen == 4 && !memcmp(kv, "path", 4))
		return set_string(p, &p->pend.name, eq + 1, vlen);
	if (klen == 8 && !memcmp(kv, "linkpath", 8))
		return set_string(p, &p->pend.link, eq + 1, vlen);
	if (klen == 4 && !memcmp(kv, "size", 4))
		return pax_size(p, eq + 1, vlen);
	return 0;
}

/* Records are "<len> <key>=<value>\n", len counting the whole record. */
static int pax_parse(struct parser *p, const char *d, size_t n)
{
	size_t pos = 0;

	while (pos < n && d[pos] != '\0') {
		size_t len = 0, i = pos;
		int rc;

		for (; i < n && d[i] >= '0' && d[i] <= '9'; i++) {
			if (len > n)
				return bad_pax(p);
			len = len * 10 + (size_t)(d[i] - '0');
		}
		if (i == pos || i >= n || d[i] != ' ' || len > n - pos ||
		    len < i - pos + 2 || d[pos + len - 1] != '\n')
			return bad_pax(p);
		rc = pax_record(p, d + i + 1, pos + len - i - 2);
		if (rc)
			return rc;
		pos += len;
	}
	return 0;
}

/* Read the data of an extended header ('L', 'K', 'x') and apply it. */
static int extended(struct parser *p, char type, uint64_t size)
{
	uint64_t max = type == 'x' ? PAX_MAX : p->lim->max_path_len + 1;
	char *d;
	int rc;

	if (size > max)
		return type == 'x' ? bad_pax(p) : too_long(p);
	d = customs_malloc((size_t)size + 1);
	if (!d)
		return customs_error(p->ctx, CUSTOMS_ENOMEM,
				     "%s: out of memory", p->label);
	rc = tarindex_pread(p->fd, d, (size_t)size, p->off + BLOCK);
	if (rc)
		rc = customs_error(p->ctx, CUSTOMS_EIO,
				   "%s: read error at offset %" PRIu64 ": %s",
				   p->label, p->off, strerror(errno));
	else if (type == 'x')
		rc = pax_parse(p, d, (size_t)size);
	else
		rc = set_string(p, type == 'L' ? &p->pend.name : &p->pend.link,
				d, (size_t)size);
	customs_free(d);
	return rc;
}

/* The member's name: a pending long name, or ustar prefix + name. */
static int header_name(struct parser *p, const unsigned char *h, char **out)
{
	struct cbuf b = CBUF_INIT(p->lim->max_path_len);
	const char *pre = (const char *)h + 345;

	if (p->pend.name) {
		*out = p->pend.name;
		p->pend.name = NULL;
		return 0;
	}
	if (!memcmp(h + 257, "ustar\0", 6) && pre[0]) {
		cbuf_put(&b, pre, strnlen(pre, 155));
		cbuf_putc(&b, '/');
	}
	cbuf_put(&b, h, strnlen((const char *)h, 100));
	if (cbuf_error(&b) == CUSTOMS_ELIMIT)
		return too_long(p);
	*out = cbuf_detach(&b);
	if (!*out)
		return customs_error(p->ctx, CUSTOMS_ENOMEM,
				     "%s: out of memory", p->label);
	return 0;
}

static int header_link(struct parser *p, const unsigned char *h, char **out)
{
	*out = NULL;
	if (h[156] != '1' && h[156] != '2')
		return 0;
	if (p->pend.link) {
		*out = p->pend.link;
		p->pend.link = NULL;
		return 0;
	}
	return set_string(p, out, (const char *)h + 157, 100);
}

static int check_bounds(struct parser *p, const char *name, uint64_t size)
{
	if (size <= p->t->file_size - p->off - BLOCK)
		return 0;
	return customs_error(
		p->ctx, CUSTOMS_EFORMAT,
		"%s: member '%s' extends beyond the end of the file", p->label,
		name);
}

static int add_member(struct parser *p, const unsigned char *h, uint64_t size)
{
	struct tar_member *m;
	char *name = NULL, *link = NULL;
	int rc;

	rc = header_name(p, h, &name);
	if (!rc)
		rc = header_link(p, h, &link);
	if (!rc)
		rc = check_bounds(p, name, size);
	if (!rc && p->t->n >= p->lim->max_entries)
		rc = customs_error(p->ctx, CUSTOMS_ELIMIT,
				   "%s: more than max_entries (%" PRIu64
				   ") members",
				   p->label, p->lim->max_entries);
	if (!rc && CUSTOMS_GROW(p->t->v, p->t->cap, p->t->n + 1))
		rc = customs_error(p->ctx, CUSTOMS_ENOMEM, "%s: out of memory",
				   p->label);
	if (rc)
		goto out;
	tarindex_normalize(name);
	m = &p->t->v[p->t->n++];
	m->name = name;
	m->link = link;
	m->off = p->off + BLOCK;
	m->size = size;
	m->type = (char)h[156];
	name = link = NULL;
out:
	customs_free(name);
	customs_free(link);
	return rc;
}

static bool is_extended(char type)
{
	return type == 'L' || type == 'K' || type == 'x' || type == 'g';
}

/* One header: index a real member, or apply an extended header. */
static int member(struct parser *p, const unsigned char *h, uint64_t size)
{
	char raw[101];
	char type = (char)h[156];
	int rc;

	if (!is_extended(type)) {
		rc = add_member(p, h, size);
		pending_release(&p->pend);
		return rc;
	}
	memcpy(raw, h, 100);
	raw[100] = '\0';
	rc = check_bounds(p, raw, size);
	if (!rc && type != 'g')
		rc = extended(p, type, size);
	return rc;
}

static int step(struct parser *p, bool *done, uint64_t *size)
{
	unsigned char h[BLOCK];

	if (p->off >= p->t->file_size)
		return *done = true, 0;
	if (p->t->file_size - p->off < BLOCK)
		return customs_error(
			p->ctx, CUSTOMS_EFORMAT,
			"%s: truncated tar header at offset %" PRIu64, p->label,
			p->off);
	if (tarindex_pread(p->fd, h, BLOCK, p->off))
		return customs_error(p->ctx, CUSTOMS_EIO,
				     "%s: read error at offset %" PRIu64 ": %s",
				     p->label, p->off, strerror(errno));
	if (is_zero(h))
		return *done = true, 0;
	if (!tarindex_header_ok(h))
		return customs_error(
			p->ctx, CUSTOMS_EFORMAT,
			"%s: bad tar header checksum at offset %" PRIu64,
			p->label, p->off);
	if (!parse_numeric(h + 124, 12, size))
		return customs_error(p->ctx, CUSTOMS_EFORMAT,
				     "%s: bad size field in the tar header at "
				     "offset %" PRIu64,
				     p->label, p->off);
	if (!is_extended((char)h[156]) && p->pend.has_size)
		*size = p->pend.size;
	return member(p, h, *size);
}

static int walk(struct parser *p)
{
	bool done = false;
	uint64_t size = 0, left;
	int rc;

	for (;;) {
		rc = step(p, &done, &size);
		if (rc || done)
			return rc;
		/* Bounds were checked: the data ends inside the file. */
		left = p->t->file_size - p->off - BLOCK;
		size = (size + BLOCK - 1) & ~(uint64_t)(BLOCK - 1);
		p->off = size >= left ? p->t->file_size : p->off + BLOCK + size;
	}
}

static int build_map(struct parser *p)
{
	size_t i;

	for (i = 0; i < p->t->n; i++) {
		if (strmap_put(&p->t->map, p->t->v[i].name, &p->t->v[i]))
			return customs_error(p->ctx, CUSTOMS_ENOMEM,
					     "%s: out of memory", p->label);
	}
	return 0;
}

int tarindex_build(struct tarindex **out, int fd, uint64_t file_size,
		   const char *label, const struct customs_limits *lim,
		   struct customs_ctx *ctx)
{
	struct parser p;
	int rc;

	memset(&p, 0, sizeof(p));
	*out = NULL;
	p.t = customs_calloc(1, sizeof(*p.t));
	if (!p.t)
		return customs_error(ctx, CUSTOMS_ENOMEM, "%s: out of memory",
				     label);
	p.t->file_size = file_size;
	p.fd = fd;
	p.label = label;
	p.lim = lim;
	p.ctx = ctx;
	rc = walk(&p);
	if (!rc)
		rc = build_map(&p);
	pending_release(&p.pend);
	if (rc) {
		tarindex_free(p.t);
		return rc;
	}
	*out = p.t;
	return 0;
}

void tarindex_free(struct tarindex *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->n; i++) {
		customs_free(t->v[i].name);
		customs_free(t->v[i].link);
	}
	customs_free(t->v);
	strmap_release(&t->map);
	customs_free(t);
}
