/* Totals per region type, as in VMMap's upper pane: size, committed, private, the working set
 * (total, private, shareable, shared, locked), blocks, largest. Definitions in the README. */
#ifndef PMM_MAP_SUMMARY_H
#define PMM_MAP_SUMMARY_H

#include "../model/map.h"

/* What a region, an allocation or a type uses, in bytes. The ws_* fields are zero when the map has
 * no working-set facts (map->working_set is NULL). */
typedef struct pmm_usage {
    uint64_t committed;
    uint64_t private_bytes;   /* committed private memory, written copy-on-write pages included */
    uint64_t ws_total;        /* resident */
    uint64_t ws_private;      /* resident and not shareable */
    uint64_t ws_shareable;    /* resident and shareable */
    uint64_t ws_shared;       /* resident, shareable and used by another process too */
    uint64_t ws_locked;       /* resident and locked */
} pmm_usage;

/* The usage figures as columns, in VMMap's order: Committed, Private, Total WS, Private WS,
 * Shareable WS, Shared WS, Locked WS. The first PMM_USAGE_BASIC_COLUMNS need no working set. */
enum { PMM_USAGE_COLUMNS = 7, PMM_USAGE_BASIC_COLUMNS = 2 };
void pmm_usage_values(const pmm_usage *u, uint64_t out[PMM_USAGE_COLUMNS]);
const char *pmm_usage_column_name(int column);

typedef struct pmm_kind_totals {
    uint64_t size;
    pmm_usage usage;
    uint64_t blocks;      /* allocations (free regions count one each) */
    uint64_t largest;     /* largest allocation; for Free, the largest free block */
} pmm_kind_totals;

typedef struct pmm_map_summary {
    pmm_kind_totals kinds[PMM_KIND_COUNT];
    pmm_kind_totals total;   /* everything but Free */
    int has_working_set;     /* the ws_* figures are measured (else zero) */
} pmm_map_summary;

void pmm_map_summarize(const pmm_map *map, pmm_map_summary *out);
/* Usage of regions[i], and of the regions [first, first + count) added up. */
void pmm_region_usage(const pmm_map *map, size_t i, pmm_usage *out);
void pmm_regions_usage(const pmm_map *map, size_t first, size_t count, pmm_usage *out);
/* Committed bytes of one allocation. */
uint64_t pmm_allocation_committed(const pmm_map *map, size_t first, size_t count);
/* The protection all committed blocks of an allocation share, as VMMap shows on the allocation
 * row; 0 when they differ or nothing is committed. */
uint32_t pmm_allocation_shared_protect(const pmm_map *map, size_t first, size_t count);
/* The why of a map without working-set facts ("Working set not available: ..."); "" when it has them. */
const char *pmm_map_working_set_note(const pmm_map *map);

#endif
