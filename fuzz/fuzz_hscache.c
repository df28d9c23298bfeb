/*
 * Fuzz target for the reader of cached Hyperscan databases
 * (src/secrets/hscache.c), whose files are untrusted input. The first
 * byte picks what the rest is:
 *   even: a whole cache file, read for the fixed key below: size bound,
 *         magic, key, payload length and SHA-256, then
 *         hs_deserialize_database();
 *   odd:  a payload, given a valid header for that key first, so the
 *         fuzzer reaches hs_deserialize_database() past the hash check.
 * A database that loads is then used as hsfilter.c uses one: a scratch
 * is allocated and a short text scanned. Besides memory errors it checks
 * that a file the header check accepts has its payload where the header
 * says.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "secrets/secrets_int.h"

#ifdef CUSTOMS_HAVE_HYPERSCAN
#include <hs.h>
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The key of the corpus files (fuzz/corpus/hscache). */
static const unsigned char key[32] = {
	0xc0, 0x57, 0x0d, 0xb5, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
	0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11,
	0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b,
};

#ifdef CUSTOMS_HAVE_HYPERSCAN
static int on_hit(unsigned id, unsigned long long from, unsigned long long to,
		  unsigned flags, void *ctx)
{
	(void)id;
	(void)from;
	(void)to;
	(void)flags;
	(void)ctx;
	return 0;
}
#endif

static void use(void *db)
{
#ifdef CUSTOMS_HAVE_HYPERSCAN
	static const char text[] = "x ghp_ TOKEN aws_access_key_id y\n";
	hs_scratch_t *s = NULL;

	if (!db)
		return;
	if (hs_alloc_scratch(db, &s) == HS_SUCCESS) {
		hs_scan(db, text, sizeof(text) - 1, 0, s, on_hit, NULL);
		hs_free_scratch(s);
	}
	hs_free_database(db);
#else
	(void)db;
#endif
}

/* A file around payload: header + payload, or NULL. */
static unsigned char *wrap(const uint8_t *payload, size_t n, size_t *len)
{
	char head[HSC_HEADER_MAX];
	size_t h = hsc_header(head, key, payload, n);
	unsigned char *f;

	if (!h)
		return NULL;
	f = malloc(h + n + 1);
	if (!f)
		return NULL;
	memcpy(f, head, h);
	memcpy(f + h, payload, n);
	*len = h + n;
	return f;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *f = NULL;
	size_t len = size ? size - 1 : 0, off = 0;
	const unsigned char *file = data + 1;

	if (!size)
		return 0;
	if (data[0] & 1) {
		f = wrap(data + 1, size - 1, &len);
		if (!f)
			return 0;
		file = f;
		if (hsc_parse(file, len, key, &off) == CUSTOMS_EFORMAT)
			abort(); /* our own header is always accepted */
	}
	if (hsc_parse(file, len, key, &off) == 0 && (off > len || off < 147))
		abort();
	use(hsc_decode(file, len, key));
	free(f);
	return 0;
}
