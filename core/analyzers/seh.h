/* The x86 SEH chain walk (analyzers/seh.c), usable on its own over any source for tests. */
#ifndef PMM_SEH_H
#define PMM_SEH_H

#include <stdio.h>
#include "../model/map.h"

#define PMM_SEH_MAX_RECORDS 256u

typedef struct pmm_seh_entry {
    uint64_t record, handler;
} pmm_seh_entry;

/* Walks the chain from the 32-bit TEB at teb32; every record must lie in [stack_low, stack_high),
 * be 4-byte aligned and sit above the previous one. Fills out[0..*count) innermost first; on any
 * end but PMM_SEH_COMPLETE, why says what was wrong. */
pmm_seh_end pmm_seh_walk(pmm_source *src, uint64_t teb32, uint64_t stack_low, uint64_t stack_high,
                         pmm_seh_entry *out, size_t cap, size_t *count, char *why, size_t why_cap);

const char *pmm_seh_end_text(pmm_seh_end end);

#endif
