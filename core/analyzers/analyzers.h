/* The analyzers the scan runs, in order. Each one reads the source and adds to the map. */
#ifndef PMM_ANALYZERS_H
#define PMM_ANALYZERS_H

#include "scan.h"

/* The type an allocation has before the analyzers say more: from its first region's memory type
 * (a mapped section is Shareable until its file is known). */
pmm_region_kind pmm_kind_from_memory_type(const pmm_region *first);
pmm_status pmm_analyze_regions(pmm_scan *scan);   /* the region walk; must run first */
pmm_status pmm_analyze_working_set(pmm_scan *scan); /* resident pages per committed region (source op) */
pmm_status pmm_analyze_peb(pmm_scan *scan);       /* PEB(s), parameters, loader data, heaps, KUSER */
pmm_status pmm_analyze_os_heaps(pmm_scan *scan);  /* heaps, segments, blocks as the OS lists them (source op) */
pmm_status pmm_analyze_heap_signatures(pmm_scan *scan); /* heaps the PEB does not list, by header signature */
pmm_status pmm_analyze_modules(pmm_scan *scan);   /* loader list, OS list cross-check, PE headers */
pmm_status pmm_analyze_pe_images(pmm_scan *scan); /* sections, directories, entry points of each module */
pmm_status pmm_analyze_threads(pmm_scan *scan);   /* TEBs and stacks */
pmm_status pmm_analyze_peb_extras(pmm_scan *scan); /* ApiSetMap, code pages, shim and activation context data */
pmm_status pmm_analyze_seh(pmm_scan *scan);       /* x86 SEH chains of 32-bit threads (after threads) */
pmm_status pmm_analyze_stacks(pmm_scan *scan);    /* call stacks of every thread (after modules) */
/* Runs last, on a finished map: decides each allocation's type and details text. */
pmm_status pmm_classify_regions(pmm_scan *scan);

/* Start and size of the allocation containing addr, from the regions added so far. */
int pmm_scan_allocation_extent(const pmm_map *map, uint64_t addr, uint64_t *base, uint64_t *size);

#endif
