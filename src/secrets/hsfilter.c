/*
 * The keyword prefilter on Hyperscan, when customs is built with it
 * (-Dhyperscan=auto|enabled|disabled) and the CPU supports it: every
 * keyword is one caseless literal of a single Hyperscan database, so one
 * SIMD scan of a file reports which keywords occur, each at most once.
 * Each worker thread's scratch (secrets_int.h) holds its own clone of the
 * Hyperscan scratch. Without Hyperscan, or when the database cannot be
 * built (or CUSTOMS_NO_HYPERSCAN is set), keywords.c's byte-pair scanner
 * is used: same result, slower. A compiled database is cached on disk
 * (hscache.c) and read back by the next run: compiling takes ~20 ms.
 *
 * Hyperscan 5.4's AVX-512 literal matcher reads past the end of the
 * buffer it is given (VectorCamp/vectorscan#322, fixed there, not in the
 * Debian library): content that ends where mapped memory ends faults. So
 * hsf_scan never lets Hyperscan see a buffer end that is not followed by
 * HSF_PAD readable bytes: the last HSF_TAIL bytes are scanned from a
 * padded copy, the rest in place, the two windows overlapping by the
 * longest keyword so every occurrence lies wholly in one of them.
 */
#include <stdlib.h>
#include <string.h>

#include "secrets/secrets_int.h"
#include "util/alloc.h"
#include "util/banned.h"

#ifdef CUSTOMS_HAVE_HYPERSCAN
#include <hs.h>

/* A database with a scratch for it, or false. */
static bool with_scratch(hs_database_t *db, hs_scratch_t **proto)
{
	if (db && hs_alloc_scratch(db, proto) == HS_SUCCESS)
		return true;
	if (db)
		hs_free_database(db);
	return false;
}

/* The cached database of l, else a freshly compiled one (then cached),
 * each with its scratch prototype; false when neither can be had. */
static bool get_db(const struct hsc_lits *l, const char *hs_cache,
		   hs_database_t **db, hs_scratch_t **proto)
{
	hs_compile_error_t *err = NULL;
	unsigned char key[32];
	bool keyed = hs_cache && !hsc_key(key, l);

	/* a loaded database that Hyperscan then refuses is compiled anew */
	if (keyed) {
		*db = hsc_load(hs_cache, key);
		if (with_scratch(*db, proto))
			return true;
	}
	*db = NULL;
	if (hs_compile_lit_multi(l->exprs, l->flags, l->ids, l->lens, l->n,
				 l->mode, NULL, db, &err) != HS_SUCCESS) {
		hs_free_compile_error(err);
		return false;
	}
	if (!with_scratch(*db, proto))
		return false;
	if (keyed)
		hsc_store(hs_cache, key, *db);
	return true;
}

int hsf_build(struct kwtab *t, const char *hs_cache)
{
	const char **exprs = NULL;
	unsigned *flags = NULL, *ids = NULL;
	size_t *lens = NULL, i;
	struct hsc_lits l;
	hs_database_t *db = NULL;
	hs_scratch_t *proto = NULL;
	int rc = CUSTOMS_ENOMEM;

	/* CUSTOMS_NO_HYPERSCAN=1: the tests run the byte scanner too */
	if (!t->n || hs_valid_platform() != HS_SUCCESS ||
	    getenv("CUSTOMS_NO_HYPERSCAN"))
		return 0;
	exprs = customs_calloc(t->n, sizeof(*exprs));
	flags = customs_calloc(t->n, sizeof(*flags));
	ids = customs_calloc(t->n, sizeof(*ids));
	lens = customs_calloc(t->n, sizeof(*lens));
	if (!exprs || !flags || !ids || !lens)
		goto out;
	for (i = 0; i < t->n; i++) {
		exprs[i] = t->v[i].text;
		lens[i] = t->v[i].len;
		if (lens[i] > t->hs_maxkw)
			t->hs_maxkw = lens[i];
		flags[i] = HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH;
		ids[i] = (unsigned)i;
	}
	l = (struct hsc_lits){ .exprs = exprs,
			       .flags = flags,
			       .ids = ids,
			       .lens = lens,
			       .n = (unsigned)t->n,
			       .mode = HS_MODE_BLOCK };
	rc = 0;
	/* a failure only costs speed: the byte scanner takes over */
	if (!get_db(&l, hs_cache, &db, &proto))
		goto out;
	t->hs_db = db;
	t->hs_proto = proto;
out:
	customs_free(exprs);
	customs_free(flags);
	customs_free(ids);
	customs_free(lens);
	return rc;
}

void hsf_release(struct kwtab *t)
{
	if (t->hs_proto)
		hs_free_scratch(t->hs_proto);
	if (t->hs_db)
		hs_free_database(t->hs_db);
	t->hs_proto = NULL;
	t->hs_db = NULL;
}

int hsf_share_scratch(struct kwtab *owner, struct kwtab *other)
{
	if (!owner->hs_proto || !other->hs_db)
		return 0;
	/* a scratch grown for both databases serves both */
	if (hs_alloc_scratch(other->hs_db, (hs_scratch_t **)&owner->hs_proto) !=
	    HS_SUCCESS)
		hsf_release(other);
	return 0;
}

void *hsf_scratch_new(const struct kwtab *t)
{
	hs_scratch_t *s = NULL;

	if (!t->hs_proto || hs_clone_scratch(t->hs_proto, &s) != HS_SUCCESS)
		return NULL;
	return s;
}

void hsf_scratch_free(void *s)
{
	if (s)
		hs_free_scratch(s);
}

struct hit_ctx {
	const struct kwtab *t;
	uint64_t *cand;
};

static int on_hit(unsigned id, unsigned long long from, unsigned long long to,
		  unsigned flags, void *data)
{
	struct hit_ctx *h = data;
	const struct kw *k = &h->t->v[id];
	size_t j;

	(void)from;
	(void)to;
	(void)flags;
	for (j = 0; j < k->n_rules; j++)
		h->cand[k->rules[j] >> 6] |= 1ULL << (k->rules[j] & 63);
	return 0;
}

#define HSF_PAD 128
#define HSF_TAIL 1024

static bool scan1(const struct kwtab *t, void *scratch, const void *data,
		  size_t len, struct hit_ctx *h)
{
	return hs_scan(t->hs_db, data, (unsigned)len, 0, scratch, on_hit, h) ==
	       HS_SUCCESS;
}

bool hsf_scan(const struct kwtab *t, void *scratch, const unsigned char *data,
	      size_t len, uint64_t *cand)
{
	struct hit_ctx h = { t, cand };
	unsigned char pad[HSF_TAIL + HSF_PAD];
	size_t tail = len < HSF_TAIL ? len : HSF_TAIL;

	if (!t->hs_db || !scratch || len > 0xffffffffu ||
	    t->hs_maxkw + HSF_PAD > HSF_TAIL)
		return false; /* the byte scanner does it */
	/* in place up to where HSF_PAD or more bytes follow: the window ends
	 * hs_maxkw - 1 bytes into the tail, so it and the tail overlap */
	if (len > HSF_TAIL &&
	    !scan1(t, scratch, data, len - HSF_TAIL + t->hs_maxkw - 1, &h))
		return false;
	memcpy(pad, data + len - tail, tail);
	memset(pad + tail, 0, sizeof(pad) - tail);
	return scan1(t, scratch, pad, tail, &h);
}

#else

int hsf_build(struct kwtab *t, const char *hs_cache)
{
	(void)t;
	(void)hs_cache;
	return 0;
}

int hsf_share_scratch(struct kwtab *owner, struct kwtab *other)
{
	(void)owner;
	(void)other;
	return 0;
}

void hsf_release(struct kwtab *t)
{
	(void)t;
}

void *hsf_scratch_new(const struct kwtab *t)
{
	(void)t;
	return NULL;
}

void hsf_scratch_free(void *s)
{
	(void)s;
}

bool hsf_scan(const struct kwtab *t, void *scratch, const unsigned char *data,
	      size_t len, uint64_t *cand)
{
	(void)t;
	(void)scratch;
	(void)data;
	(void)len;
	(void)cand;
	return false;
}

#endif
