/* MemoryList, Memory64List and MemoryInfoList streams. */
#ifndef PMM_MINIDUMP_MEMORY_H
#define PMM_MINIDUMP_MEMORY_H

#include <stddef.h>
#include <stdint.h>
#include "../source/source.h"
#include "minidump.h"

/* Target bytes [address, address + size) stored at file_offset. available is how many of them the
 * file really holds: less than size when the dump is truncated or a descriptor points past its
 * end, and those missing bytes must read as unavailable, never as zeros. */
typedef struct pmm_md_memory_range {
    uint64_t address;
    uint64_t size;
    uint64_t file_offset;
    uint64_t available;
} pmm_md_memory_range;

/* MemoryList (type 5) and Memory64List (type 9), in stream order. Arrays the caller frees. */
pmm_status pmm_md_read_memory_list(pmm_minidump *md, pmm_md_memory_range **out, size_t *count, char *message,
                                   size_t cap);
pmm_status pmm_md_read_memory64_list(pmm_minidump *md, pmm_md_memory_range **out, size_t *count, char *message,
                                     size_t cap);

/* MemoryInfoList (type 16): MINIDUMP_MEMORY_INFO entries, in stream order, as region infos (the
 * Windows state, type and protection values pass through unchanged). */
pmm_status pmm_md_read_memory_info_list(pmm_minidump *md, pmm_region_info **out, size_t *count, char *message,
                                        size_t cap);

#endif
