/* The address-space tables behind the minidump source: where each dumped byte lives in the file,
 * and the region list query() answers from. Internal to minidump_source.c. */
#ifndef PMM_MINIDUMP_LAYOUT_H
#define PMM_MINIDUMP_LAYOUT_H

#include <stddef.h>
#include <stdint.h>
#include "../source/source.h"
#include "../formats/minidump.h"
#include "../formats/minidump_memory.h"
#include "../formats/minidump_modules.h"

/* Sorts ranges by address and trims overlaps so each target byte has one home; drops empty and
 * address-wrapping ranges. Returns how many ranges were dropped or trimmed. */
size_t md_normalize_ranges(pmm_md_memory_range *ranges, size_t *count);

/* Copies up to len bytes at addr from sorted, non-overlapping ranges; stops at the first byte the
 * file does not hold. Returns the number of bytes copied. */
size_t md_read_ranges(pmm_minidump *md, const pmm_md_memory_range *ranges, size_t count, uint64_t addr,
                      void *buf, size_t len);

/* Sorts MemoryInfoList regions by base and drops empty, wrapping and overlapping parts. Returns how
 * many entries were dropped or trimmed. */
size_t md_normalize_regions(pmm_region_info *regions, size_t *count);

/* Builds regions for a dump without MemoryInfoList: one image region per module and committed
 * private regions (page-rounded) for memory ranges outside modules. *out is freed by the caller. */
pmm_status md_synthesize_regions(const pmm_md_module *modules, size_t module_count,
                                 const pmm_md_memory_range *ranges, size_t range_count, pmm_region_info **out,
                                 size_t *count);

/* Index of the first region ending above addr, or count when none does. */
size_t md_find_region(const pmm_region_info *regions, size_t count, uint64_t addr);

#endif
