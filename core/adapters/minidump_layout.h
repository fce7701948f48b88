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
/* The bytes at addr in place in the file mapping, as far as they are contiguous there: returns
 * how many (0 when the file is not mapped or addr is not dumped). */
size_t md_borrow_ranges(pmm_minidump *md, const pmm_md_memory_range *ranges, size_t count, uint64_t addr,
                        size_t len, const uint8_t **out);
size_t md_read_ranges(pmm_minidump *md, const pmm_md_memory_range *ranges, size_t count, uint64_t addr,
                      void *buf, size_t len);

/* The parts of sorted, non-overlapping ranges that the file holds (available > 0, cut to
 * available), for pmm_source_held_extent. *out is freed by the caller. */
pmm_status md_held_ranges(const pmm_md_memory_range *ranges, size_t count, pmm_md_memory_range **out,
                          size_t *out_count);

/* The first held stretch [*start, *end) at or above addr (start no lower than addr), from the
 * ranges md_held_ranges made. PMM_END when there is none. O(log count). */
pmm_status md_held_extent(const pmm_md_memory_range *held, size_t count, uint64_t addr, uint64_t *start,
                          uint64_t *end);

/* What md_normalize_regions had to mend, for the map's warnings: counts and the first example. */
typedef struct md_region_damage {
    size_t empty;                 /* size 0: dropped */
    size_t outside, first_outside_index;   /* past the address space (or wrapping): clipped or dropped */
    pmm_region_info first_outside;
    size_t overlapping;           /* reached into the next entry: clipped where it starts */
    pmm_region_info first_overlapping;
} md_region_damage;

/* Sorts MemoryInfoList regions by base; clips each region to the address space [0, top) (top 0:
 * the whole 64-bit space) and to the start of the next region, and drops what is left empty. A
 * damaged entry (a size of 2^48, one that wraps) so never hides the entries after it, and no
 * region claims more than the dump's architecture can address. */
void md_normalize_regions(pmm_region_info *regions, size_t *count, uint64_t top, md_region_damage *damage);

/* Builds regions for a dump without MemoryInfoList: one image region per module and committed
 * private regions (page-rounded) for memory ranges outside modules. *out is freed by the caller. */
pmm_status md_synthesize_regions(const pmm_md_module *modules, size_t module_count,
                                 const pmm_md_memory_range *ranges, size_t range_count, pmm_region_info **out,
                                 size_t *count);

/* Index of the first region ending above addr, or count when none does. */
size_t md_find_region(const pmm_region_info *regions, size_t count, uint64_t addr);

#endif
