/*
 * SHA-256 through OpenSSL's EVP interface. The EVP_MD is fetched once per
 * state; per-call overhead is negligible at the 64 KiB chunks layers are
 * read in.
 */
#include <string.h>
#include <openssl/evp.h>

#include "util/hash.h"
#include "util/banned.h"

struct customs_sha256 {
	EVP_MD_CTX *md;
};

struct customs_sha256 *customs_sha256_new(void)
{
	struct customs_sha256 *h = OPENSSL_zalloc(sizeof(*h));

	if (!h)
		return NULL;
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
	OPENSSL_free(h);
}

void customs_sha256_reset(struct customs_sha256 *h)
{
	EVP_DigestInit_ex(h->md, NULL, NULL);
}

void customs_sha256_update(struct customs_sha256 *h, const void *p, size_t n)
{
	if (n)
		EVP_DigestUpdate(h->md, p, n);
}

void customs_sha256_final(struct customs_sha256 *h, unsigned char out[32])
{
	unsigned int len = 32;

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
	size_t i;

	if (strncmp(s, "sha256:", 7) != 0 || strlen(s) != 7 + 64)
		return false;
	s += 7;
	for (i = 0; i < 32; i++) {
		int hi = hexval(s[2 * i]);
		int lo = hexval(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		sha[i] = (unsigned char)(hi << 4 | lo);
	}
	return true;
}
