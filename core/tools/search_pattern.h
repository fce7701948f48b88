/* What to search for, compiled into bytes with per-byte masks: ANSI text (optionally ignoring
 * ASCII case), UTF-16LE text, hex bytes with "??" (and nibble "4?") wildcards, little-endian
 * integers of 8/16/32/64 bits, float and double. The scanner (search.h) only ever sees the
 * compiled form, so every kind of pattern shares one matcher. */
#ifndef PMM_SEARCH_PATTERN_H
#define PMM_SEARCH_PATTERN_H

#include <stddef.h>
#include <stdint.h>
#include "../util/status.h"

/* Long enough for any realistic needle; the cap keeps one match check bounded. */
#define PMM_SEARCH_MAX_PATTERN (64u * 1024u)

typedef enum pmm_search_kind {
    PMM_SEARCH_ANSI,
    PMM_SEARCH_UTF16,
    PMM_SEARCH_HEX,
    PMM_SEARCH_INT,
    PMM_SEARCH_FLOAT,
    PMM_SEARCH_DOUBLE
} pmm_search_kind;

/* The user's request, as text (what a command line or a dialog has). */
typedef struct pmm_search_spec {
    pmm_search_kind kind;
    const char *text;        /* UTF-8 text, hex bytes, or a number (decimal or 0x...) */
    int ignore_case;         /* ANSI and UTF-16: ASCII letters match either case */
    unsigned width;          /* INT: 8, 16, 32 or 64 bits */
    int is_signed;           /* INT: text may be negative; range checked as signed */
    unsigned alignment;      /* hits only at addresses that are multiples of this; 0 or 1: any */
} pmm_search_spec;

enum { PMM_BYTE_FOLD = 1 };  /* pmm_search_pattern.flags[i]: compare with ASCII case folded */

/* How many start offsets the scanner tests per instruction: 8 in 64-bit words (any build), 16
 * with SSE2 (x86-64 builds), 32 with AVX2 (x86-64 builds on a CPU that has it). */
typedef enum pmm_search_simd {
    PMM_SIMD_WORDS,
    PMM_SIMD_SSE2,
    PMM_SIMD_AVX2
} pmm_search_simd;

typedef struct pmm_search_pattern {
    uint8_t *value;          /* expected bits, already masked (and lower-cased where folded) */
    uint8_t *mask;           /* bits that must match: 0xff fixed, 0x00 "??", 0xf0 "4?" */
    uint8_t *flags;          /* PMM_BYTE_FOLD */
    size_t length;
    uint32_t alignment;      /* >= 1 */
    /* The byte the scanner looks for first: a fully fixed byte, chosen as the rarest one in
     * typical memory; anchor_alt is its other case when folded (else equal to anchor_byte). */
    size_t anchor_offset;
    uint8_t anchor_byte, anchor_alt;
    int has_anchor;          /* 0 when every byte has a wildcard bit: every offset is a candidate */
    /* A second fixed byte tested together with the anchor, so that in random-looking memory only
     * about one offset in 65536 gets a full check; equal to the anchor when there is no other. */
    size_t second_offset;
    uint8_t second_byte, second_alt;
    /* The scanner's filter, derived from the above by pmm_search_compile: an offset is checked in
     * full only when, for both probes i, (byte at probe_offset[i] | probe_fold[i]) & probe_mask[i]
     * == probe_value[i]. The probes are the anchor and the second byte (fold 0x20 on a letter
     * that ignores case: 'a' | 0x20 == 'A' | 0x20), or with no fixed byte the two bytes with the
     * most fixed bits; the same byte twice when there is only one. probes 0: all "??", every
     * aligned offset matches. */
    unsigned probes;
    size_t probe_offset[2];
    uint8_t probe_value[2], probe_mask[2], probe_fold[2];
    int plain;               /* every byte fixed, no case folding: a full check is a memcmp */
    pmm_search_simd simd;    /* the widest scanner to use: pmm_search_simd_best(); a test may lower it */
} pmm_search_pattern;

/* On failure the pattern is left empty and message says what is wrong with the text
 * (PMM_ERR_ARG: empty, malformed, out of range, too long; PMM_ERR_NOMEM). */
pmm_status pmm_search_compile(const pmm_search_spec *spec, pmm_search_pattern *out, char *message,
                              size_t message_cap);
void pmm_search_pattern_free(pmm_search_pattern *pattern);

/* 1 when the pattern matches at p (length bytes available). */
int pmm_search_pattern_matches(const pmm_search_pattern *pattern, const uint8_t *p);

/* Calls fn for each offset in [0, count) at which the whole pattern matches inside data
 * (data holds at least count + length - 1 bytes), in ascending order. base is data's address,
 * used for the alignment. Stops early and returns the offset when fn returns non-zero;
 * returns count when it went through. */
typedef int (*pmm_match_fn)(void *ctx, size_t offset);
size_t pmm_search_find(const pmm_search_pattern *pattern, const uint8_t *data, size_t count, uint64_t base,
                       pmm_match_fn fn, void *ctx);

/* The widest scanner this build and this CPU have. */
pmm_search_simd pmm_search_simd_best(void);

const char *pmm_search_kind_name(pmm_search_kind kind);   /* "ansi", "utf16", "hex", ... */

#endif
