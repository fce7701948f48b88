/* Checksums of committed pages, saved with a map so a later comparison can say which pages'
 * contents changed. Each 4 KiB page is read through the source and hashed; pages that cannot or
 * must not be read are recorded as such, never hashed as zeros. */
#ifndef PMM_SAVED_MAP_PAGES_H
#define PMM_SAVED_MAP_PAGES_H

#include <stddef.h>
#include <stdint.h>
#include "../util/progress.h"
#include "../model/map.h"

typedef enum pmm_page_status {
    PMM_PAGE_HASHED = 0,      /* hash holds the page's checksum */
    PMM_PAGE_UNREADABLE = 1,  /* committed and meant to be readable, but the read failed */
    PMM_PAGE_SKIPPED = 2      /* not read on purpose: PAGE_NOACCESS or a guard page */
} pmm_page_status;

typedef struct pmm_page_sum {
    uint64_t address;         /* page-aligned; entries ascend strictly */
    uint64_t hash;            /* 0 unless status is PMM_PAGE_HASHED */
    uint32_t status;          /* pmm_page_status */
    uint32_t reserved;
} pmm_page_sum;

typedef struct pmm_page_sums {
    int present;              /* 0: the map was saved without checksums */
    pmm_page_sum *items;
    size_t count, cap;
} pmm_page_sums;

/* Reads every committed page of map's regions through src and hashes it. Reading stops with
 * PMM_ERR_GONE when the target exits and PMM_ERR_CANCELLED when progress returns non-zero
 * (progress may be NULL; done/total are bytes of committed memory). */
pmm_status pmm_page_sums_compute(pmm_source *src, const pmm_map *map, pmm_progress_fn progress,
                                 void *progress_ctx, pmm_page_sums *out);
void pmm_page_sums_free(pmm_page_sums *sums);

/* FNV-1a-style 64-bit hash over little-endian 64-bit words (h = (h ^ word) * 0x100000001b3;
 * h ^= h >> 31, from 0xcbf29ce484222325), then the tail bytes one at a time as plain FNV-1a:
 * eight times faster than byte-wise FNV-1a and good enough to tell pages apart (this is change
 * detection, not security). Used for pages and for the saved map's whole-file checksum. */
uint64_t pmm_checksum64(const void *data, size_t len);

#endif
