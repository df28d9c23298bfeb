/*
 * Streaming SHA-256. Where the CPU has the SHA extensions the compression
 * is ours (util/sha256ni.c), which allows hashing the same bytes into two
 * states for about 1.3 times the price of one; elsewhere OpenSSL's EVP
 * interface does the work (CUSTOMS_NO_SHANI=1 forces it, for tests).
 */
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

#include "util/alloc.h"
#include "util/hash.h"
#include "util/sha256ni.h"
#include "util/banned.h"

struct customs_sha256 {
	EVP_MD_CTX *md; /* NULL when the SHA-NI path is used */
	uint32_t h[8];
	uint64_t total;
	unsigned char buf[64];
	size_t nbuf;
};

static const uint32_t iv[8] = {
	0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

static int use_ni = -1;

static bool ni(void)
{
	if (use_ni < 0)
		use_ni = sha256ni_available() && !getenv("CUSTOMS_NO_SHANI");
	return use_ni;
}

static void ni_reset(struct customs_sha256 *h)
{
	memcpy(h->h, iv, sizeof(iv));
	h->total = 0;
	h->nbuf = 0;
}

struct customs_sha256 *customs_sha256_new(void)
{
	struct customs_sha256 *h = customs_calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	if (ni()) {
		ni_reset(h);
		return h;
	}
	h->md = EVP_MD_CTX_new();
	if (!h->md || !EVP_DigestInit_ex(h->md, EVP_sha256(), NULL)) {
		customs_sha256_free(h);
		return NULL;
	}
	return h;
}

void customs_sha256_free(struct customs_sha256 *h)
{
	if (!h)
		return;
	EVP_MD_CTX_free(h->md);
	customs_free(h);
}

void customs_sha256_reset(struct customs_sha256 *h)
{
	if (h->md)
		EVP_DigestInit_ex(h->md, NULL, NULL);
	else
		ni_reset(h);
}

/* Top up h's partial block from p; returns bytes taken. */
static size_t fill(struct customs_sha256 *h, const unsigned char *p, size_t n)
{
	size_t take = 64 - h->nbuf < n ? 64 - h->nbuf : n;

	memcpy(h->buf + h->nbuf, p, take);
	h->nbuf += take;
	return take;
}

static void ni_update(struct customs_sha256 *h, const unsigned char *p,
		      size_t n)
{
	size_t take;

	h->total += n;
	if (h->nbuf) {
		take = fill(h, p, n);
		p += take;
		n -= take;
		if (h->nbuf < 64)
			return;
		sha256ni_blocks(h->h, h->buf, 1);
		h->nbuf = 0;
	}
	sha256ni_blocks(h->h, p, n / 64);
	p += n & ~(size_t)63;
	fill(h, p, n & 63);
}

void customs_sha256_update(struct customs_sha256 *h, const void *p, size_t n)
{
	if (!n)
		return;
	if (h->md)
		EVP_DigestUpdate(h->md, p, n);
	else
		ni_update(h, p, n);
}

void customs_sha256_update2(struct customs_sha256 *a, struct customs_sha256 *b,
			    const void *data, size_t n)
{
	customs_sha256_update_with(a, b, data, n, NULL, NULL, 0);
}

/* Hash as many whole blocks of q into c as ride along with nb blocks of p
 * into a (and b); returns how many. */
static size_t ride_along(struct customs_sha256 *a, struct customs_sha256 *b,
			 const unsigned char *p, size_t nb,
			 struct customs_sha256 *c, const unsigned char *q,
			 size_t m)
{
	size_t k = m / 64 < nb ? m / 64 : nb;

	if (!k)
		return 0;
	sha256ni_blocks3(a->h, b ? b->h : NULL, p, c->h, q, k);
	c->total += 64 * k;
	return k;
}

size_t customs_sha256_update_with(struct customs_sha256 *a,
				  struct customs_sha256 *b, const void *data,
				  size_t n, struct customs_sha256 *c,
				  const void *cdata, size_t m)
{
	const unsigned char *p = data, *q = cdata;
	size_t take, nb, k, used = 0;

	if (a->md || (b && (b->md || a->nbuf != b->nbuf)) || (c && c->md)) {
		customs_sha256_update(a, p, n);
		if (b)
			customs_sha256_update(b, p, n);
		return 0;
	}
	if (a->nbuf) {
		take = 64 - a->nbuf < n ? 64 - a->nbuf : n;
		ni_update(a, p, take);
		if (b)
			ni_update(b, p, take);
		p += take;
		n -= take;
	}
	nb = n / 64;
	if (c && c->nbuf && m && nb) { /* align c to a block first */
		used = 64 - c->nbuf < m ? 64 - c->nbuf : m;
		ni_update(c, q, used);
	}
	k = c && !c->nbuf ? ride_along(a, b, p, nb, c, q + used, m - used) : 0;
	used += 64 * k;
	if (nb > k) {
		if (b)
			sha256ni_blocks2(a->h, b->h, p + 64 * k, nb - k);
		else
			sha256ni_blocks(a->h, p + 64 * k, nb - k);
	}
	a->total += 64 * nb;
	if (b)
		b->total += 64 * nb;
	p += 64 * nb;
	ni_update(a, p, n & 63);
	if (b)
		ni_update(b, p, n & 63);
	return used;
}

static void ni_final(struct customs_sha256 *h, unsigned char out[32])
{
	uint64_t bits = h->total * 8;
	int i;

	h->buf[h->nbuf++] = 0x80;
	if (h->nbuf > 56) {
		memset(h->buf + h->nbuf, 0, 64 - h->nbuf);
		sha256ni_blocks(h->h, h->buf, 1);
		h->nbuf = 0;
	}
	memset(h->buf + h->nbuf, 0, 56 - h->nbuf);
	for (i = 0; i < 8; i++)
		h->buf[63 - i] = (unsigned char)(bits >> (8 * i));
	sha256ni_blocks(h->h, h->buf, 1);
	for (i = 0; i < 8; i++) {
		out[4 * i] = (unsigned char)(h->h[i] >> 24);
		out[4 * i + 1] = (unsigned char)(h->h[i] >> 16);
		out[4 * i + 2] = (unsigned char)(h->h[i] >> 8);
		out[4 * i + 3] = (unsigned char)h->h[i];
	}
	ni_reset(h);
}

void customs_sha256_final(struct customs_sha256 *h, unsigned char out[32])
{
	unsigned int len = 32;

	if (!h->md) {
		ni_final(h, out);
		return;
	}
	EVP_DigestFinal_ex(h->md, out, &len);
	EVP_DigestInit_ex(h->md, NULL, NULL);
}

void customs_hex(char *out, const unsigned char *in, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

void customs_digest_str(char out[72], const unsigned char sha[32])
{
	memcpy(out, "sha256:", 7);
	customs_hex(out + 7, sha, 32);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

bool customs_digest_parse(unsigned char sha[32], const char *s)
{
	if (strncmp(s, "sha256:", 7) != 0 || strlen(s) != 7 + 64)
		return false;
	return customs_unhex32(sha, s + 7);
}

bool customs_unhex32(unsigned char sha[32], const char *p)
{
	size_t i;

	for (i = 0; i < 32; i++) {
		int hi = hexval(p[2 * i]);
		int lo = hi < 0 ? -1 : hexval(p[2 * i + 1]);

		if (lo < 0)
			return false;
		sha[i] = (unsigned char)(hi << 4 | lo);
	}
	return true;
}

int customs_sha256_buf(unsigned char out[32], const void *p, size_t n)
{
	struct customs_sha256 *h = customs_sha256_new();

	if (!h)
		return CUSTOMS_ENOMEM;
	customs_sha256_update(h, p, n);
	customs_sha256_final(h, out);
	customs_sha256_free(h);
	return 0;
}

uint64_t customs_fnv1a64(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= s[i];
		h *= 1099511628211ULL;
	}
	return h ^ (h >> 29);
}
