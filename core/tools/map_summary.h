/* Totals per region type, as in VMMap's upper pane: size, committed, blocks, largest. */
#ifndef PMM_MAP_SUMMARY_H
#define PMM_MAP_SUMMARY_H

#include "../model/map.h"

typedef struct pmm_kind_totals {
    uint64_t size;
    uint64_t committed;
    uint64_t blocks;      /* allocations (free regions count one each) */
    uint64_t largest;     /* largest allocation */
} pmm_kind_totals;

typedef struct pmm_map_summary {
    pmm_kind_totals kinds[PMM_KIND_COUNT];
    pmm_kind_totals total;   /* everything but Free */
} pmm_map_summary;

void pmm_map_summarize(const pmm_map *map, pmm_map_summary *out);
/* Committed bytes of one allocation. */
uint64_t pmm_allocation_committed(const pmm_map *map, size_t first, size_t count);
/* The protection all committed blocks of an allocation share, as VMMap shows on the allocation
 * row; 0 when they differ or nothing is committed. */
uint32_t pmm_allocation_shared_protect(const pmm_map *map, size_t first, size_t count);

#endif
