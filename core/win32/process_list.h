/* The processes running on this machine, for `pmm list` and the process picker. */
#ifndef PMM_PROCESS_LIST_H
#define PMM_PROCESS_LIST_H

#include <stddef.h>
#include <stdint.h>
#include "../util/status.h"

typedef struct pmm_process_entry {
    uint32_t pid;
    uint32_t parent_pid;
    uint32_t bits;          /* 32 or 64; 0 when the process could not be opened to ask */
    char name[260];         /* UTF-8 */
} pmm_process_entry;

/* The caller frees *out with free(). */
pmm_status pmm_list_processes(pmm_process_entry **out, size_t *count);

#endif
