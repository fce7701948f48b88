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
    char user[160];         /* "DOMAIN\\user" (UTF-8); "" when the process's token could not be read */
    int has_working_set;    /* the OS answered for working_set */
    int has_private;        /* ... and for private_bytes (Wine does not for other processes: it says 0) */
    uint64_t private_bytes; /* private commit (PROCESS_MEMORY_COUNTERS_EX.PrivateUsage) */
    uint64_t working_set;   /* resident bytes (WorkingSetSize) */
} pmm_process_entry;

/* Name, pid, parent and bitness of every process; user, private bytes and working set where the
 * process may be opened to ask. The caller frees *out with free(). */
pmm_status pmm_list_processes(pmm_process_entry **out, size_t *count);

#endif
