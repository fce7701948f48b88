/* The inner loop of the search, where a search over a gigabyte spends its time. Two bytes of the
 * pattern (the probes, chosen at compile time as the rarest fixed ones) are tested for 64 start
 * offsets per step with SIMD compares (AVX2 where the CPU has it, else SSE2): a step with no
 * candidate costs a few instructions per 32 or 16 bytes and one branch. Only the offsets where
 * both probes agree (in random-looking memory one in 65536) get a full check. On a CPU without
 * SSE2 (or a build for one that is not x86) the same filter runs on 64-bit words. */

#include "search_pattern.h"

#include <string.h>

int pmm_search_pattern_matches(const pmm_search_pattern *pattern, const uint8_t *p)
{
    const uint8_t *value = pattern->value, *mask = pattern->mask, *flags = pattern->flags;
    for (size_t i = 0; i < pattern->length; i++) {
        uint8_t b = p[i];
        if ((flags[i] & PMM_BYTE_FOLD) && b >= 'A' && b <= 'Z')
            b = (uint8_t)(b + 32);
        if ((b & mask[i]) != value[i])
            return 0;
    }
    return 1;
}

static int full_check(const pmm_search_pattern *pattern, const uint8_t *p)
{
    if (pattern->plain)
        return memcmp(p, pattern->value, pattern->length) == 0;
    return pmm_search_pattern_matches(pattern, p);
}

static int probe_byte(const pmm_search_pattern *pattern, unsigned i, uint8_t b)
{
    return ((b | pattern->probe_fold[i]) & pattern->probe_mask[i]) == pattern->probe_value[i];
}

static unsigned lowest_bit(uint64_t bits)
{
#if defined(__GNUC__) || defined(__clang__)
    return (unsigned)__builtin_ctzll(bits);
#else
    unsigned i = 0;
    while (!(bits & 1u)) {   /* bits is non-zero: at most 63 steps */
        bits >>= 1;
        i++;
    }
    return i;
#endif
}

/* One window's scan: the pattern, the bytes and where to report. */
typedef struct scan {
    const pmm_search_pattern *pattern;
    const uint8_t *data;
    uint64_t base;
    uint64_t align_mask;     /* alignment - 1 (the alignment is a power of two) */
    pmm_match_fn fn;
    void *ctx;
} scan;

/* Offsets first + each set bit of bits passed the filter: check them in full, lowest first.
 * Returns 1 when fn asked to stop, with the offset in *at. */
static int check_bits(const scan *s, size_t first, uint64_t bits, size_t *at)
{
    while (bits) {
        size_t off = first + lowest_bit(bits);
        bits &= bits - 1;
        if (((s->base + off) & s->align_mask) == 0 && full_check(s->pattern, s->data + off) && s->fn(s->ctx, off)) {
            *at = off;
            return 1;
        }
    }
    return 0;
}

/* Offsets [start, count) one at a time: the tails the wide loops leave. */
static int scan_bytes(const scan *s, size_t start, size_t count, size_t *at)
{
    const pmm_search_pattern *pt = s->pattern;
    const uint8_t *a = s->data + pt->probe_offset[0], *b = s->data + pt->probe_offset[1];
    for (size_t off = start; off < count; off++)
        if (probe_byte(pt, 0, a[off]) && probe_byte(pt, 1, b[off]) && check_bits(s, off, 1, at))
            return 1;
    return 0;
}

/* ---- 64-bit words: every build ------------------------------------------------------------- */

#define LOW7 0x7f7f7f7f7f7f7f7full

/* The high bit of each byte of t that is zero, and no other bit (exact, unlike the shorter
 * trick, so the byte positions can be trusted). */
static uint64_t zero_bytes(uint64_t t)
{
    return ~(((t & LOW7) + LOW7) | t | LOW7);
}

static uint64_t load64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);   /* one unaligned load once compiled; no aliasing or alignment traps */
    return v;
}

static uint64_t probe_word(const uint8_t *p, uint64_t fold, uint64_t mask, uint64_t value)
{
    return zero_bytes(((load64(p) | fold) & mask) ^ value);
}

static int scan_words(const scan *s, size_t count, size_t *at)
{
    const pmm_search_pattern *pt = s->pattern;
    const uint64_t ones = 0x0101010101010101ull;
    const uint64_t f0 = ones * pt->probe_fold[0], m0 = ones * pt->probe_mask[0], v0 = ones * pt->probe_value[0];
    const uint64_t f1 = ones * pt->probe_fold[1], m1 = ones * pt->probe_mask[1], v1 = ones * pt->probe_value[1];
    const uint8_t *a = s->data + pt->probe_offset[0], *b = s->data + pt->probe_offset[1];
    size_t start = 0;
    for (; count - start >= 16; start += 16) {
        uint64_t x = probe_word(a + start, f0, m0, v0) & probe_word(b + start, f1, m1, v1);
        uint64_t y = probe_word(a + start + 8, f0, m0, v0) & probe_word(b + start + 8, f1, m1, v1);
        /* Which byte a bit stands for depends on the byte order: let the byte loop sort it out. */
        if ((x | y) && scan_bytes(s, start, start + 16, at))
            return 1;
    }
    return scan_bytes(s, start, count, at);
}

#if defined(__GNUC__) || defined(__clang__)
#define ALWAYS_INLINE static inline __attribute__((always_inline))
#elif defined(_MSC_VER)
#define ALWAYS_INLINE static __forceinline
#else
#define ALWAYS_INLINE static inline
#endif

/* ---- SSE2: 16 offsets per compare ---------------------------------------------------------- */

#if defined(__SSE2__) || defined(_M_X64) || (defined(_M_IX86_FP) && _M_IX86_FP >= 2)
#define HAVE_SSE2 1          /* every CPU the build runs on has it */
#define SSE2_CODE
#elif defined(__i386__) && (defined(__GNUC__) || defined(__clang__))
#define HAVE_SSE2 1          /* the x86 build (no -msse2): these functions only, once the CPU says so */
#define SSE2_CHECK_CPU 1
#define SSE2_CODE __attribute__((target("sse2")))
#endif

#ifdef HAVE_SSE2
#include <emmintrin.h>

/* 0 for two fully fixed, case-sensitive probes (one compare each), else 1. */
static int general_probes(const pmm_search_pattern *pt)
{
    return (pt->probe_fold[0] | pt->probe_fold[1] | (uint8_t)~pt->probe_mask[0] | (uint8_t)~pt->probe_mask[1]) != 0;
}

typedef struct probes16 {
    __m128i fold[2], mask[2], value[2];
} probes16;

/* 0xff in each of the 16 lanes whose start offset passes both probes. `general` is a constant
 * at each call (general_probes). */
SSE2_CODE ALWAYS_INLINE __m128i filter16(const probes16 *p, const uint8_t *a, const uint8_t *b, int general)
{
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)a);
    __m128i y = _mm_loadu_si128((const __m128i *)(const void *)b);
    if (general) {
        x = _mm_and_si128(_mm_or_si128(x, p->fold[0]), p->mask[0]);
        y = _mm_and_si128(_mm_or_si128(y, p->fold[1]), p->mask[1]);
    }
    return _mm_and_si128(_mm_cmpeq_epi8(x, p->value[0]), _mm_cmpeq_epi8(y, p->value[1]));
}

SSE2_CODE ALWAYS_INLINE uint64_t lanes(__m128i m)
{
    return (uint64_t)(unsigned)_mm_movemask_epi8(m);
}

/* The loads reach data[start + 63 + max(probe offsets)], inside the count + length - 1 bytes. */
SSE2_CODE ALWAYS_INLINE int sse2_loop(const scan *s, size_t *start_io, size_t count, size_t *at, int general)
{
    const pmm_search_pattern *pt = s->pattern;
    probes16 p;
    for (int i = 0; i < 2; i++) {
        p.fold[i] = _mm_set1_epi8((char)pt->probe_fold[i]);
        p.mask[i] = _mm_set1_epi8((char)pt->probe_mask[i]);
        p.value[i] = _mm_set1_epi8((char)pt->probe_value[i]);
    }
    const uint8_t *a = s->data + pt->probe_offset[0], *b = s->data + pt->probe_offset[1];
    size_t start = *start_io;
    for (; count - start >= 64; start += 64) {
        __m128i m0 = filter16(&p, a + start, b + start, general);
        __m128i m1 = filter16(&p, a + start + 16, b + start + 16, general);
        __m128i m2 = filter16(&p, a + start + 32, b + start + 32, general);
        __m128i m3 = filter16(&p, a + start + 48, b + start + 48, general);
        if (!_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(m0, m1), _mm_or_si128(m2, m3))))
            continue;
        uint64_t bits = lanes(m0) | lanes(m1) << 16 | lanes(m2) << 32 | lanes(m3) << 48;
        if (check_bits(s, start, bits, at))
            return 1;
    }
    for (; count - start >= 16; start += 16) {
        uint64_t bits = lanes(filter16(&p, a + start, b + start, general));
        if (bits && check_bits(s, start, bits, at))
            return 1;
    }
    *start_io = start;
    return 0;
}

/* Offsets [*start_io, count) as far as whole vectors go; *start_io then says where they stopped. */
SSE2_CODE static int scan_sse2(const scan *s, size_t *start_io, size_t count, size_t *at)
{
    return general_probes(s->pattern) ? sse2_loop(s, start_io, count, at, 1) : sse2_loop(s, start_io, count, at, 0);
}
#endif

/* ---- AVX2: 32 offsets per compare, where the CPU has it -------------------------------------- */

#if defined(HAVE_SSE2) && (defined(__GNUC__) || defined(__clang__) || defined(_MSC_VER))
#define HAVE_AVX2 1
#include <immintrin.h>
#if defined(__GNUC__) || defined(__clang__)
#define AVX2_CODE __attribute__((target("avx2")))
#else
#include <intrin.h>
#define AVX2_CODE    /* MSVC compiles AVX2 intrinsics anywhere; the caller checked the CPU */
#endif

typedef struct probes32 {
    __m256i fold[2], mask[2], value[2];
} probes32;

AVX2_CODE ALWAYS_INLINE __m256i filter32(const probes32 *p, const uint8_t *a, const uint8_t *b, int general)
{
    __m256i x = _mm256_loadu_si256((const __m256i *)(const void *)a);
    __m256i y = _mm256_loadu_si256((const __m256i *)(const void *)b);
    if (general) {
        x = _mm256_and_si256(_mm256_or_si256(x, p->fold[0]), p->mask[0]);
        y = _mm256_and_si256(_mm256_or_si256(y, p->fold[1]), p->mask[1]);
    }
    return _mm256_and_si256(_mm256_cmpeq_epi8(x, p->value[0]), _mm256_cmpeq_epi8(y, p->value[1]));
}

/* The loads reach data[start + 63 + max(probe offsets)], inside the count + length - 1 bytes. */
AVX2_CODE ALWAYS_INLINE int avx2_loop(const scan *s, size_t *start_io, size_t count, size_t *at, int general)
{
    const pmm_search_pattern *pt = s->pattern;
    probes32 p;
    for (int i = 0; i < 2; i++) {
        p.fold[i] = _mm256_set1_epi8((char)pt->probe_fold[i]);
        p.mask[i] = _mm256_set1_epi8((char)pt->probe_mask[i]);
        p.value[i] = _mm256_set1_epi8((char)pt->probe_value[i]);
    }
    const uint8_t *a = s->data + pt->probe_offset[0], *b = s->data + pt->probe_offset[1];
    size_t start = *start_io;
    for (; count - start >= 64; start += 64) {
        __m256i m0 = filter32(&p, a + start, b + start, general);
        __m256i m1 = filter32(&p, a + start + 32, b + start + 32, general);
        __m256i any = _mm256_or_si256(m0, m1);
        if (_mm256_testz_si256(any, any))
            continue;
        uint64_t bits = (uint64_t)(uint32_t)_mm256_movemask_epi8(m0) | (uint64_t)(uint32_t)_mm256_movemask_epi8(m1) << 32;
        if (check_bits(s, start, bits, at))
            return 1;
    }
    *start_io = start;
    return 0;
}

AVX2_CODE static int scan_avx2(const scan *s, size_t *start_io, size_t count, size_t *at)
{
    return general_probes(s->pattern) ? avx2_loop(s, start_io, count, at, 1) : avx2_loop(s, start_io, count, at, 0);
}

static int cpu_has_avx2(void)
{
#if defined(__GNUC__) || defined(__clang__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2");
#else
    int r[4];
    __cpuid(r, 1);
    int osxsave_avx = (r[2] & (1 << 27)) && (r[2] & (1 << 28));
    if (!osxsave_avx || (_xgetbv(0) & 6) != 6)   /* the OS saves the YMM registers */
        return 0;
    __cpuidex(r, 7, 0);
    return (r[1] & (1 << 5)) != 0;
#endif
}
#endif

pmm_search_simd pmm_search_simd_best(void)
{
#ifdef HAVE_AVX2
    if (cpu_has_avx2())
        return PMM_SIMD_AVX2;
#endif
#if defined(SSE2_CHECK_CPU)
    __builtin_cpu_init();
    return __builtin_cpu_supports("sse2") ? PMM_SIMD_SSE2 : PMM_SIMD_WORDS;
#elif defined(HAVE_SSE2)
    return PMM_SIMD_SSE2;
#else
    return PMM_SIMD_WORDS;
#endif
}

/* The widest loop the pattern asks for that this build has, then narrower ones for the tail. */
static int scan_filtered(const scan *s, size_t count, size_t *at)
{
#ifdef HAVE_SSE2
    size_t start = 0;
#ifdef HAVE_AVX2
    if (s->pattern->simd >= PMM_SIMD_AVX2 && scan_avx2(s, &start, count, at))
        return 1;
#endif
    if (s->pattern->simd >= PMM_SIMD_SSE2)
        return scan_sse2(s, &start, count, at) || scan_bytes(s, start, count, at);
#endif
    return scan_words(s, count, at);
}

size_t pmm_search_find(const pmm_search_pattern *pattern, const uint8_t *data, size_t count, uint64_t base,
                       pmm_match_fn fn, void *ctx)
{
    scan s = {pattern, data, base, (uint64_t)pattern->alignment - 1, fn, ctx};
    size_t at = count;
    if (!pattern->probes) {
        /* All "??": every aligned offset is a hit. */
        uint64_t align = pattern->alignment;
        for (size_t off = (size_t)((align - base % align) % align); off < count; off += align)
            if (fn(ctx, off))
                return off;
        return count;
    }
    if (scan_filtered(&s, count, &at))
        return at;
    return count;
}
