/* The region walk's progress in address space in use, not in the whole user space: on x64 that is
 * 128 TiB of mostly free space, and the walk's address sits near its start for nearly all of a big
 * scan. Before the walk a few dozen queries probe the space, each in the middle of the largest
 * stretch not yet known: a query at a free address answers with the whole free range around it,
 * so the big gaps are found at once. What no probe found free counts as in use, so the estimate is
 * never short, and the walk's progress (the counted space below its address) only grows. */
#ifndef PMM_SPACE_IN_USE_H
#define PMM_SPACE_IN_USE_H

#include "../source/source.h"

#define PMM_SPACE_PROBES 48   /* queries at most: a few milliseconds, against a walk of thousands */

typedef struct pmm_space_range {
    uint64_t base, end;
} pmm_space_range;

typedef struct pmm_space_in_use {
    uint64_t low, high;       /* the walk's span: [low, high) */
    pmm_space_range free[2 * PMM_SPACE_PROBES + 2];   /* found free, sorted, disjoint */
    size_t free_count;
    uint64_t counted;         /* high - low less the free ranges: the space the walk counts */
} pmm_space_in_use;

/* Probes src between low and high (high 0: the top of a 64-bit space). A failed query ends the
 * probing; what was not probed counts as in use. */
void pmm_space_in_use_probe(pmm_space_in_use *s, pmm_source *src, uint64_t low, uint64_t high);
/* The counted space below addr: from 0 at low to s->counted at high, never decreasing. */
uint64_t pmm_space_in_use_below(const pmm_space_in_use *s, uint64_t addr);

#endif
