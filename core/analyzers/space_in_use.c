#include "space_in_use.h"

#include <stdlib.h>
#include <string.h>

#define PROBE_ALIGN 4096u
/* A stretch smaller than this is not worth a probe: a gap in it would move the bar by little. */
#define SMALLEST_PROBED ((uint64_t)16 * 1024 * 1024)

typedef struct probe_state {
    pmm_space_range unknown[PMM_SPACE_PROBES + 2];   /* not yet probed; a probe splits one in two */
    size_t unknown_count;
} probe_state;

static void add_free(pmm_space_in_use *s, uint64_t base, uint64_t end)
{
    if (end > base && s->free_count < sizeof s->free / sizeof s->free[0])
        s->free[s->free_count++] = (pmm_space_range){base, end};
}

static size_t largest_unknown(const probe_state *p)
{
    size_t best = 0;
    for (size_t i = 1; i < p->unknown_count; i++)
        if (p->unknown[i].end - p->unknown[i].base > p->unknown[best].end - p->unknown[best].base)
            best = i;
    return best;
}

/* Replaces unknown[i] by what is left of it around [base, end), which lies inside it. */
static void settle(probe_state *p, size_t i, uint64_t base, uint64_t end)
{
    pmm_space_range range = p->unknown[i];
    p->unknown[i] = p->unknown[--p->unknown_count];
    if (base > range.base)
        p->unknown[p->unknown_count++] = (pmm_space_range){range.base, base};
    if (range.end > end)
        p->unknown[p->unknown_count++] = (pmm_space_range){end, range.end};
}

/* One query in the middle of unknown[i]: what it answers for is known from then on. Returns 0 when
 * the source gave no usable answer. */
static int probe(pmm_space_in_use *s, probe_state *p, pmm_source *src, size_t i)
{
    pmm_space_range range = p->unknown[i];
    uint64_t at = (range.base + (range.end - range.base) / 2) & ~(uint64_t)(PROBE_ALIGN - 1);
    if (at < range.base)
        at = range.base;
    pmm_region_info info;
    pmm_status st = pmm_source_query(src, at, &info);
    if (st == PMM_END) {   /* nothing at or above: the rest of the stretch is free */
        add_free(s, at, range.end);
        settle(p, i, at, range.end);
        return 1;
    }
    uint64_t info_end = info.base + info.size;
    if (st != PMM_OK || info.size == 0 || info_end <= at || info_end < info.base)
        return 0;
    /* A source may answer with the next region above a gap: the gap is free. */
    uint64_t base = info.base < at ? (info.base > range.base ? info.base : range.base) : at;
    uint64_t end = info_end < range.end ? info_end : range.end;
    uint64_t region_base = info.base > at ? (info.base < end ? info.base : end) : base;
    add_free(s, base, region_base);
    if (info.state == PMM_MEM_FREE)
        add_free(s, region_base, end);
    settle(p, i, base, end);
    return 1;
}

static int by_base(const void *a, const void *b)
{
    const pmm_space_range *x = a, *y = b;
    return x->base < y->base ? -1 : x->base > y->base;
}

/* Sorts the free ranges and merges the ones that touch, then counts what is left. */
static void tidy(pmm_space_in_use *s)
{
    qsort(s->free, s->free_count, sizeof s->free[0], by_base);
    size_t kept = 0;
    for (size_t i = 0; i < s->free_count; i++) {
        if (kept && s->free[i].base <= s->free[kept - 1].end) {
            if (s->free[i].end > s->free[kept - 1].end)
                s->free[kept - 1].end = s->free[i].end;
        } else {
            s->free[kept++] = s->free[i];
        }
    }
    s->free_count = kept;
    s->counted = s->high - s->low;
    for (size_t i = 0; i < kept; i++)
        s->counted -= s->free[i].end - s->free[i].base;
}

void pmm_space_in_use_probe(pmm_space_in_use *s, pmm_source *src, uint64_t low, uint64_t high)
{
    memset(s, 0, sizeof *s);
    s->low = low;
    s->high = high > low ? high : UINT64_MAX;
    probe_state p = {{{s->low, s->high}}, 1};
    for (int n = 0; n < PMM_SPACE_PROBES && p.unknown_count; n++) {
        size_t i = largest_unknown(&p);
        if (p.unknown[i].end - p.unknown[i].base < SMALLEST_PROBED || !probe(s, &p, src, i))
            break;
    }
    tidy(s);
}

uint64_t pmm_space_in_use_below(const pmm_space_in_use *s, uint64_t addr)
{
    if (addr <= s->low)
        return 0;
    if (addr >= s->high)
        return s->counted;
    uint64_t below = addr - s->low;
    for (size_t i = 0; i < s->free_count && s->free[i].base < addr; i++)
        below -= (s->free[i].end < addr ? s->free[i].end : addr) - s->free[i].base;
    return below;
}
