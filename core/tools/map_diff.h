/* Comparison of two maps of one process taken at different times, in the spirit of VMMap's
 * "show changes" and ProcessMemoryMap's comparator: allocations added, removed and changed,
 * modules loaded and unloaded, threads started and exited, heaps created and destroyed, and, when
 * both sides have page checksums, the pages whose contents changed; when both had an integrity
 * scan, the findings that appeared or went.
 *
 * Regions are matched by address within their allocation: an allocation on both sides (same base)
 * whose regions differ in any way is ONE change, whatever the number of regions a VirtualProtect
 * or a partial commit split it into. Free space is not compared: it is the complement of the
 * allocations, so its changes are the allocation changes seen from the other side. */
#ifndef PMM_MAP_DIFF_H
#define PMM_MAP_DIFF_H

#include <stddef.h>
#include <stdint.h>
#include "../formats/saved_map_pages.h"
#include "../model/map.h"
#include "../util/json_writer.h"
#include "map_summary.h"

#define PMM_DIFF_JSON_VERSION 1

typedef enum pmm_diff_what {
    PMM_DIFF_REGION_ADDED,       /* an allocation only in the new map */
    PMM_DIFF_REGION_REMOVED,
    PMM_DIFF_REGION_CHANGED,     /* the same allocation base on both sides, something in it differs */
    PMM_DIFF_MODULE_LOADED,
    PMM_DIFF_MODULE_UNLOADED,
    PMM_DIFF_THREAD_STARTED,
    PMM_DIFF_THREAD_EXITED,
    PMM_DIFF_HEAP_CREATED,
    PMM_DIFF_HEAP_DESTROYED,
    PMM_DIFF_PAGES_CHANGED,      /* a run of adjacent pages whose checksums differ */
    PMM_DIFF_FINDING_APPEARED,   /* an integrity finding (pmm scan) only in the new map */
    PMM_DIFF_FINDING_GONE,
    PMM_DIFF_WHAT_COUNT
} pmm_diff_what;

/* What differs in a changed allocation. */
enum pmm_diff_fields {
    PMM_DIFF_SIZE = 1,           /* the allocation's extent */
    PMM_DIFF_STATE = 2,          /* commit / reserve */
    PMM_DIFF_PROTECT = 4,        /* of committed memory */
    PMM_DIFF_TYPE = 8,           /* image / mapped / private */
    PMM_DIFF_ALLOC_PROTECT = 16,
    PMM_DIFF_KIND = 32,          /* the Type column: Heap, Stack, Private Data... */
    PMM_DIFF_DETAILS = 64,       /* the Usage/Details text */
    PMM_DIFF_BLOCKS = 128,       /* the number of regions in the allocation */
    PMM_DIFF_FIELD_COUNT = 8
};

typedef struct pmm_diff_entry {
    uint32_t what;               /* pmm_diff_what */
    uint32_t fields;             /* pmm_diff_fields, for PMM_DIFF_REGION_CHANGED */
    uint64_t address;            /* allocation, module, heap, first page or finding; a thread's TEB */
    uint64_t size;               /* bytes: the allocation, the changed range within it, the module, the pages */
    uint64_t allocation;         /* region entries: the allocation base */
    size_t old_index;            /* allocation, module, thread, heap or finding index in the old map; PMM_NO_INDEX */
    size_t new_index;            /* the same in the new map */
} pmm_diff_entry;

typedef struct pmm_map_diff {
    const pmm_map *old_map, *new_map;   /* borrowed: they must outlive the diff */
    pmm_diff_entry *entries;            /* grouped by what, each group in address (or tid) order */
    size_t count, cap;
    size_t counts[PMM_DIFF_WHAT_COUNT];
    uint64_t pages_changed;
    int pages_compared;                 /* both sides had page checksums */
    /* Each side's totals per type: working-set growth per type is how a leak shows. */
    pmm_map_summary old_summary, new_summary;
    int working_set_compared;           /* both sides have working-set facts */
    int findings_compared;              /* both sides had an integrity scan */
} pmm_map_diff;

/* Either sums may be NULL or not present; pages are compared only when both are. Both maps must
 * be finished. out is freed with pmm_map_diff_free, also after a failure. */
pmm_status pmm_map_diff_compute(const pmm_map *old_map, const pmm_page_sums *old_sums, const pmm_map *new_map,
                                const pmm_page_sums *new_sums, pmm_map_diff *out);
void pmm_map_diff_free(pmm_map_diff *diff);

void pmm_map_diff_write_text(const pmm_map_diff *diff, pmm_out *out);
/* JSON format "pmm-diff", version PMM_DIFF_JSON_VERSION (schema in README). */
void pmm_map_diff_write_json(const pmm_map_diff *diff, pmm_out *out);

const char *pmm_diff_what_name(pmm_diff_what what);     /* "added", "loaded", "started", ... */
const char *pmm_diff_field_name(uint32_t field_bit);    /* "size", "protect", ... */

/* Internal to the diff's files: appends an entry. */
pmm_status pmm_map_diff_add(pmm_map_diff *diff, const pmm_diff_entry *entry);
pmm_status pmm_map_diff_lists(pmm_map_diff *diff);
pmm_status pmm_map_diff_pages(pmm_map_diff *diff, const pmm_page_sums *old_sums, const pmm_page_sums *new_sums);
pmm_status pmm_map_diff_findings(pmm_map_diff *diff);

#endif
