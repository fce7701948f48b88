/* The processes of a Windows kernel crash dump: PsActiveProcessHead's list of EPROCESS structures,
 * read with field offsets from a table keyed by the build number in the dump header (public
 * structure layouts; each row names where it came from), or, for a build the table does not know
 * or whose row does not fit the dump, with offsets found by validation: a candidate is accepted
 * only when it yields a cycle of links through the System process (pid 4, whose
 * DirectoryTableBase is the header's) with plausible pids and printable image names. Every walk is
 * bounded and cycle-checked; a list cut short is read backwards from its head too. */
#ifndef PMM_KDUMP_PROCESSES_H
#define PMM_KDUMP_PROCESSES_H

#include <stddef.h>
#include <stdint.h>
#include "kdump.h"

/* EPROCESS field offsets; 0 means unknown (no field we read sits at offset 0: Pcb does). */
typedef struct pmm_kdump_eprocess_layout {
    uint32_t directory_table_base;  /* KPROCESS.DirectoryTableBase */
    uint32_t unique_process_id;
    uint32_t active_process_links;
    uint32_t inherited_from_unique_process_id;
    uint32_t create_time;
    uint32_t peb;
    uint32_t wow64_process;         /* x64 only */
    uint32_t wow64_is_struct;       /* 1511 and later: an EWOW64PROCESS whose first member is the PEB32 */
    uint32_t image_file_name;       /* UCHAR[15] */
    uint32_t thread_list_head;
    uint32_t active_threads;
} pmm_kdump_eprocess_layout;

/* A row of the table: the builds it covers and where its offsets come from. */
typedef struct pmm_kdump_layout_row {
    uint32_t pointer_size;          /* 8 x64, 4 x86 */
    uint32_t first_build, last_build;
    const char *versions;           /* "Windows 10 2004 to 22H2, Server 2022, Windows 11 21H2 to 23H2" */
    const char *source;
    pmm_kdump_eprocess_layout layout;
} pmm_kdump_layout_row;

/* The table row for a build, or NULL. */
const pmm_kdump_layout_row *pmm_kdump_layout_for(uint32_t pointer_size, uint32_t build);
/* Row index; NULL past the last (for the README and tests). */
const pmm_kdump_layout_row *pmm_kdump_layout_row_at(size_t index);

/* Which fields of a process are known (the offsets gave them and the bytes were read). */
enum {
    PMM_KDUMP_PROCESS_PARENT = 1u << 0,
    PMM_KDUMP_PROCESS_CREATE_TIME = 1u << 1,
    PMM_KDUMP_PROCESS_PEB = 1u << 2,
    PMM_KDUMP_PROCESS_WOW64 = 1u << 3,
    PMM_KDUMP_PROCESS_THREADS = 1u << 4
};

typedef struct pmm_kdump_process {
    uint64_t eprocess;
    uint64_t pid, parent_pid;
    char name[16];                  /* ImageFileName; bytes that are not printable ASCII as '?' */
    uint64_t create_time;           /* FILETIME, UTC */
    uint64_t peb;                   /* native PEB (0: none, as for System) */
    uint32_t wow64;                 /* a 32-bit process on 64-bit Windows */
    uint64_t peb32;                 /* WOW64: the 32-bit PEB (0 when not yet created or unreadable) */
    uint64_t directory_table_base;
    uint32_t thread_count;          /* ActiveThreads */
    uint32_t known;                 /* PMM_KDUMP_PROCESS_* */
} pmm_kdump_process;

#define PMM_KDUMP_MAX_PROCESSES 65536u

typedef struct pmm_kdump_process_list {
    pmm_kdump_process *processes;
    size_t count;
    int inferred;                   /* offsets found by validation, not from the table */
    const pmm_kdump_layout_row *row;   /* the table row used (NULL when inferred) */
    pmm_kdump_eprocess_layout layout;  /* the offsets used */
    char inference[256];            /* inferred: what was found and what could not be */
    char problem[256];              /* why the list could not be read whole; "" when it was */
} pmm_kdump_process_list;

/* Reads the process list. PMM_OK with out filled (problem says what was cut short); PMM_ERR_READ
 * when PsActiveProcessHead is not readable, PMM_ERR_FORMAT when neither the table nor inference
 * gives offsets that fit (message says why). Free with pmm_kdump_process_list_free. */
pmm_status pmm_kdump_processes(pmm_kdump *dump, pmm_kdump_process_list *out, char *message, size_t message_cap);
void pmm_kdump_process_list_free(pmm_kdump_process_list *list);

/* The process with this pid, or named so (ImageFileName, case-insensitive; "kernel" is not a
 * process); NULL when none or, for a name, when several share it (*ambiguous set). */
const pmm_kdump_process *pmm_kdump_find_process(const pmm_kdump_process_list *list, const char *selector,
                                                int *ambiguous);

#endif
