/*
 * SHA-256 block compression with SHA-NI intrinsics (FIPS 180-4; the
 * register layout is the one the instructions define: ABEF and CDGH).
 * Compiled with a target attribute so the rest of the tree needs no
 * special flags; callers check sha256ni_available() first.
 */
#include <cpuid.h>
#include <immintrin.h>

#include "util/sha256ni.h"
#include "util/banned.h"

#define NI __attribute__((target("sha,sse4.1,ssse3")))

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

bool sha256ni_available(void)
{
	unsigned int a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSE4_1) ||
	    !(c & bit_SSSE3))
		return false;
	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
		return false;
	return (b >> 29) & 1;
}

struct ni_state {
	__m128i abef;
	__m128i cdgh;
};

static NI struct ni_state load(const uint32_t st[8])
{
	__m128i dcba = _mm_loadu_si128((const __m128i *)&st[0]);
	__m128i hgfe = _mm_loadu_si128((const __m128i *)&st[4]);
	__m128i cdab = _mm_shuffle_epi32(dcba, 0xb1);
	__m128i efgh = _mm_shuffle_epi32(hgfe, 0x1b);
	struct ni_state s;

	s.abef = _mm_alignr_epi8(cdab, efgh, 8);
	s.cdgh = _mm_blend_epi16(efgh, cdab, 0xf0);
	return s;
}

static NI void store(uint32_t st[8], struct ni_state s)
{
	__m128i feba = _mm_shuffle_epi32(s.abef, 0x1b);
	__m128i dchg = _mm_shuffle_epi32(s.cdgh, 0xb1);

	_mm_storeu_si128((__m128i *)&st[0], _mm_blend_epi16(feba, dchg, 0xf0));
	_mm_storeu_si128((__m128i *)&st[4], _mm_alignr_epi8(dchg, feba, 8));
}

/*
 * One block, fully unrolled with every value in a register: the schedule
 * for group i+4 is computed right after group i is used (from groups i to
 * i+3, held in W0..W3 in rotation), and the rounds of each state take the
 * same schedule words. ROUNDS is applied to one or two states.
 */
#define SWAP_MASK _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL)
#define LOADQ(q, i)                                                          \
	_mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)((q) + 16 * (i))), \
			 SWAP_MASK)
#define LOADW(i) LOADQ(p, i)
#define NEXTW(A, B, C, D)                                                  \
	A = _mm_sha256msg2_epu32(_mm_add_epi32(_mm_sha256msg1_epu32(A, B), \
					       _mm_alignr_epi8(D, C, 4)),  \
				 D)
#define RND(S, M)                                                           \
	do {                                                                \
		S.cdgh = _mm_sha256rnds2_epu32(S.cdgh, S.abef, M);          \
		S.abef = _mm_sha256rnds2_epu32(S.abef, S.cdgh,              \
					       _mm_shuffle_epi32(M, 0x0e)); \
	} while (0)
#define KW(W, i) _mm_add_epi32(W, _mm_loadu_si128((const __m128i *)&K[4 * (i)]))
#define STEP1(i, A, B, C, D)               \
	do {                               \
		__m128i m = KW(A, i);      \
		RND(x, m);                 \
		if ((i) < 12)              \
			NEXTW(A, B, C, D); \
	} while (0)
#define STEP2(i, A, B, C, D)               \
	do {                               \
		__m128i m = KW(A, i);      \
		RND(x, m);                 \
		RND(y, m);                 \
		if ((i) < 12)              \
			NEXTW(A, B, C, D); \
	} while (0)
/* two schedules: w0..w3 from p for x (and y), v0..v3 from q for z */
#define STEP_X(i, A, B, C, D, E, F, G, H)  \
	do {                               \
		__m128i m = KW(A, i);      \
		__m128i mz = KW(E, i);     \
		RND(x, m);                 \
		RND(z, mz);                \
		if ((i) < 12) {            \
			NEXTW(A, B, C, D); \
			NEXTW(E, F, G, H); \
		}                          \
	} while (0)
#define STEP_XY(i, A, B, C, D, E, F, G, H) \
	do {                               \
		__m128i m = KW(A, i);      \
		__m128i mz = KW(E, i);     \
		RND(x, m);                 \
		RND(y, m);                 \
		RND(z, mz);                \
		if ((i) < 12) {            \
			NEXTW(A, B, C, D); \
			NEXTW(E, F, G, H); \
		}                          \
	} while (0)
#define TWO(STEP, i, A, B, C, D) \
	STEP(i, w##A, w##B, w##C, w##D, v##A, v##B, v##C, v##D)
#define ROTATE(HOW, STEP)          \
	HOW(STEP, 0, 0, 1, 2, 3);  \
	HOW(STEP, 1, 1, 2, 3, 0);  \
	HOW(STEP, 2, 2, 3, 0, 1);  \
	HOW(STEP, 3, 3, 0, 1, 2);  \
	HOW(STEP, 4, 0, 1, 2, 3);  \
	HOW(STEP, 5, 1, 2, 3, 0);  \
	HOW(STEP, 6, 2, 3, 0, 1);  \
	HOW(STEP, 7, 3, 0, 1, 2);  \
	HOW(STEP, 8, 0, 1, 2, 3);  \
	HOW(STEP, 9, 1, 2, 3, 0);  \
	HOW(STEP, 10, 2, 3, 0, 1); \
	HOW(STEP, 11, 3, 0, 1, 2); \
	HOW(STEP, 12, 0, 1, 2, 3); \
	HOW(STEP, 13, 1, 2, 3, 0); \
	HOW(STEP, 14, 2, 3, 0, 1); \
	HOW(STEP, 15, 3, 0, 1, 2)
#define W1(STEP, i, A, B, C, D) STEP(i, w##A, w##B, w##C, w##D)
#define SIXTEEN(STEP) ROTATE(W1, STEP)
#define SIXTEEN2(STEP) ROTATE(TWO, STEP)

static inline NI void add_state(struct ni_state *s, struct ni_state save)
{
	s->abef = _mm_add_epi32(s->abef, save.abef);
	s->cdgh = _mm_add_epi32(s->cdgh, save.cdgh);
}

NI void sha256ni_blocks(uint32_t st[8], const unsigned char *p, size_t n)
{
	struct ni_state x = load(st), sx;
	__m128i w0, w1, w2, w3;

	for (; n; n--, p += 64) {
		sx = x;
		w0 = LOADW(0);
		w1 = LOADW(1);
		w2 = LOADW(2);
		w3 = LOADW(3);
		SIXTEEN(STEP1);
		add_state(&x, sx);
	}
	store(st, x);
}

NI void sha256ni_blocks2(uint32_t a[8], uint32_t b[8], const unsigned char *p,
			 size_t n)
{
	struct ni_state x = load(a), y = load(b), sx, sy;
	__m128i w0, w1, w2, w3;

	for (; n; n--, p += 64) {
		sx = x;
		sy = y;
		w0 = LOADW(0);
		w1 = LOADW(1);
		w2 = LOADW(2);
		w3 = LOADW(3);
		SIXTEEN(STEP2);
		add_state(&x, sx);
		add_state(&y, sy);
	}
	store(a, x);
	store(b, y);
}

/*
 * The same with a third state over other bytes: the rounds of z use their
 * own schedule, but they still fill the gaps between the dependent rounds
 * of x and y, so z costs well under a separate pass (the layer's blob
 * digest rides along with its diffID and file hashes this way).
 */
NI void sha256ni_blocks3(uint32_t a[8], uint32_t b[8], const unsigned char *p,
			 uint32_t c[8], const unsigned char *q, size_t n)
{
	struct ni_state x = load(a), z = load(c), sx, sz;
	struct ni_state y = b ? load(b) : x, sy;
	__m128i w0, w1, w2, w3, v0, v1, v2, v3;

	for (; n; n--, p += 64, q += 64) {
		sx = x;
		sy = y;
		sz = z;
		w0 = LOADW(0);
		w1 = LOADW(1);
		w2 = LOADW(2);
		w3 = LOADW(3);
		v0 = LOADQ(q, 0);
		v1 = LOADQ(q, 1);
		v2 = LOADQ(q, 2);
		v3 = LOADQ(q, 3);
		if (b) {
			SIXTEEN2(STEP_XY);
			add_state(&y, sy);
		} else {
			SIXTEEN2(STEP_X);
		}
		add_state(&x, sx);
		add_state(&z, sz);
	}
	store(a, x);
	if (b)
		store(b, y);
	store(c, z);
}
