/* The inner loop of the search: find the anchor byte 16 bytes at a time, then check the whole
 * pattern there. This is where a search over a gigabyte spends its time. */

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

#if defined(__SSE2__) || defined(_M_X64) || (defined(_M_IX86_FP) && _M_IX86_FP >= 2)
#include <emmintrin.h>
#define PMM_SEARCH_SSE2 1

static unsigned lowest_set_bit(unsigned mask)
{
#if defined(__GNUC__) || defined(__clang__)
    return (unsigned)__builtin_ctz(mask);
#else
    unsigned i = 0;
    while (!(mask & 1u)) {   /* mask is non-zero: at most 15 steps */
        mask >>= 1;
        i++;
    }
    return i;
#endif
}
#endif

#ifndef PMM_SEARCH_SSE2
#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* Non-zero when some byte of x is zero (the classic bit trick; exact as a yes/no test). */
static uint64_t has_zero_byte(uint64_t x)
{
    return (x - ONES) & ~x & HIGHS;
}

static uint64_t load64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);   /* one unaligned load once compiled; no aliasing or alignment traps */
    return v;
}
#endif

/* First byte in [p, end) equal to a or b, or end. Sixteen bytes per compare with SSE2 (every
 * x64 CPU has it), else two 64-bit words per step: either way a miss costs a few instructions
 * per 16 bytes, where memchr of some C runtimes (Wine's msvcrt among them) tests one byte at a
 * time, and memchr cannot look for two values at once. */
static const uint8_t *find_either(const uint8_t *p, const uint8_t *end, uint8_t a, uint8_t b)
{
#ifdef PMM_SEARCH_SSE2
    const __m128i va = _mm_set1_epi8((char)a), vb = _mm_set1_epi8((char)b);
    while (end - p >= 32) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
        __m128i y = _mm_loadu_si128((const __m128i *)(const void *)(p + 16));
        unsigned mx = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(x, va), _mm_cmpeq_epi8(x, vb)));
        unsigned my = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(y, va), _mm_cmpeq_epi8(y, vb)));
        if (mx)
            return p + lowest_set_bit(mx);
        if (my)
            return p + 16 + lowest_set_bit(my);
        p += 32;
    }
#else
    const uint64_t wa = ONES * a, wb = ONES * b;
    while (end - p >= 16) {
        uint64_t x = load64(p), y = load64(p + 8);
        if (has_zero_byte(x ^ wa) | has_zero_byte(x ^ wb) | has_zero_byte(y ^ wa) | has_zero_byte(y ^ wb))
            break;
        p += 16;
    }
#endif
    for (; p < end; p++)
        if (*p == a || *p == b)
            return p;
    return end;
}

/* Wildcards everywhere (no fully fixed byte): every aligned offset is a candidate. */
static size_t find_unanchored(const pmm_search_pattern *pattern, const uint8_t *data, size_t count, uint64_t base,
                              pmm_match_fn fn, void *ctx)
{
    uint64_t align = pattern->alignment;
    size_t first = (size_t)((align - base % align) % align);
    for (size_t off = first; off < count; off += align)
        if (pmm_search_pattern_matches(pattern, data + off) && fn(ctx, off))
            return off;
    return count;
}

#ifdef PMM_SEARCH_SSE2
/* Offsets whose start the SSE2 filter let through are checked in full, lowest first. */
static size_t check_candidates(const pmm_search_pattern *pattern, const uint8_t *data, size_t first, unsigned bits,
                               uint64_t base, pmm_match_fn fn, void *ctx, int *stopped)
{
    const uint64_t align = pattern->alignment;
    while (bits) {
        size_t off = first + lowest_set_bit(bits);
        bits &= bits - 1;
        if ((base + off) % align == 0 && pmm_search_pattern_matches(pattern, data + off) && fn(ctx, off)) {
            *stopped = 1;
            return off;
        }
    }
    return 0;
}
#endif

size_t pmm_search_find(const pmm_search_pattern *pattern, const uint8_t *data, size_t count, uint64_t base,
                       pmm_match_fn fn, void *ctx)
{
    if (!pattern->has_anchor)
        return find_unanchored(pattern, data, count, base, fn, ctx);
    const size_t k = pattern->anchor_offset;
    const uint64_t align = pattern->alignment;
    size_t start = 0;
#ifdef PMM_SEARCH_SSE2
    /* Sixteen start offsets at a time: the anchor byte and the second byte must both be right.
     * The loads reach data[start + 15 + max(k, k2)], inside the count + length - 1 bytes given. */
    const size_t k2 = pattern->second_offset;
    const __m128i a = _mm_set1_epi8((char)pattern->anchor_byte), a2 = _mm_set1_epi8((char)pattern->anchor_alt);
    const __m128i b = _mm_set1_epi8((char)pattern->second_byte), b2 = _mm_set1_epi8((char)pattern->second_alt);
    for (; start + 16 <= count; start += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(data + start + k));
        __m128i y = _mm_loadu_si128((const __m128i *)(const void *)(data + start + k2));
        __m128i hit = _mm_and_si128(_mm_or_si128(_mm_cmpeq_epi8(x, a), _mm_cmpeq_epi8(x, a2)),
                                    _mm_or_si128(_mm_cmpeq_epi8(y, b), _mm_cmpeq_epi8(y, b2)));
        unsigned bits = (unsigned)_mm_movemask_epi8(hit);
        if (bits) {
            int stopped = 0;
            size_t off = check_candidates(pattern, data, start, bits, base, fn, ctx, &stopped);
            if (stopped)
                return off;
        }
    }
#endif
    const uint8_t *p = data + start + k, *end = data + k + count;
    /* Each step either returns, or moves p forward by at least one byte: at most count steps. */
    while (p < end) {
        const uint8_t *q = find_either(p, end, pattern->anchor_byte, pattern->anchor_alt);
        if (q == end)
            break;
        size_t off = (size_t)(q - data) - k;
        if ((base + off) % align == 0 && pmm_search_pattern_matches(pattern, data + off) && fn(ctx, off))
            return off;
        p = q + 1;
    }
    return count;
}
