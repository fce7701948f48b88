/* The kernel dump inspector (`pmm kdump`): what a dump holds, gathered once (header, OS version,
 * physical memory, kernel modules), and the reads a user asked for (physical and virtual hex dumps,
 * translations with every level of the walk), printed as text or as JSON (format pmm-kdump). */
#ifndef PMM_KDUMP_REPORT_H
#define PMM_KDUMP_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include "../formats/kdump.h"
#include "../formats/kdump_processes.h"
#include "../formats/kdump_inference.h"
#include "../formats/kdump_threads.h"
#include "../util/json_writer.h"

#define PMM_KDUMP_JSON_VERSION 1
#define PMM_KDUMP_MAX_REQUESTS 256
/* Runs listed unless every one is asked for: a bitmap can hold millions of them. */
#define PMM_KDUMP_RUNS_SHOWN 64
#define PMM_KDUMP_RUNS_JSON 65536
#define PMM_KDUMP_MAX_READ (16u << 20)

typedef struct pmm_kdump_request {
    uint64_t physical[PMM_KDUMP_MAX_REQUESTS];
    size_t physical_count;
    uint64_t virtual_addresses[PMM_KDUMP_MAX_REQUESTS];
    size_t virtual_count;
    uint64_t translate[PMM_KDUMP_MAX_REQUESTS];
    size_t translate_count;
    uint64_t size;          /* bytes per --physical / --virtual read */
    uint64_t dtb;           /* 0: the header's DirectoryTableBase */
    int all_runs;           /* every run, however many */
    int page_hashes;        /* JSON: a checksum of every present page */
    int processes;          /* the process list (PsActiveProcessHead) */
} pmm_kdump_request;

typedef struct pmm_kdump_report {
    pmm_kdump *dump;
    char path[1024];
    pmm_kdump_memory_summary memory;
    int has_os_version;     /* read from KUSER_SHARED_DATA */
    uint32_t os_major, os_minor, os_build;
    pmm_status modules_status;
    pmm_kdump_module *modules;
    size_t module_count;
    char modules_problem[256];
    int has_processes;      /* pmm_kdump_report_load_processes ran */
    pmm_status processes_status;
    pmm_kdump_process_list processes;
    char processes_message[256];   /* why there is no list */
    pmm_kdump_crash_thread crash;  /* the thread running at the crash (with the list) */
    pmm_kdump_thread_choice threads;   /* where the processes' threads are: table or inference */
    pmm_kdump_vad_choice vads;         /* the VAD offsets likewise */
} pmm_kdump_report;

/* Gathers the facts of an open dump (which the report borrows). */
pmm_status pmm_kdump_report_load(pmm_kdump *dump, const char *path, pmm_kdump_report *out);
void pmm_kdump_report_free(pmm_kdump_report *report);
/* Reads the process list into the report (PMM_ERR_NOMEM the only failure; others are reported). */
pmm_status pmm_kdump_report_load_processes(pmm_kdump_report *report);
/* The process sections of the text and JSON outputs (kdump_process_output.c). */
void pmm_kdump_write_processes_text(pmm_kdump_report *report, pmm_out *out);
void pmm_kdump_write_processes_json(pmm_kdump_report *report, pmm_json *j);

/* Text for people and JSON for scripts; both end with a newline. Reads that hit pages the dump
 * does not hold say so (never zeros). */
void pmm_kdump_report_write_text(pmm_kdump_report *report, const pmm_kdump_request *request, pmm_out *out);
void pmm_kdump_report_write_json(pmm_kdump_report *report, const pmm_kdump_request *request, pmm_out *out);

/* One page-bounded piece of a physical or virtual read: its bytes, or why there are none. */
typedef struct pmm_kdump_chunk {
    uint64_t address;
    size_t size;
    int readable;
    uint8_t data[PMM_KDUMP_PAGE_SIZE];
    pmm_kdump_translation translation;   /* virtual reads: the page's walk */
    char reason[160];                    /* when not readable */
} pmm_kdump_chunk;

/* The piece of [address, end) that starts at address and ends at the next page boundary (or end). */
void pmm_kdump_read_chunk(pmm_kdump *dump, int is_virtual, uint64_t dtb, uint64_t address, uint64_t end,
                          pmm_kdump_chunk *out);
/* Why a translation gives no bytes, in a sentence ("paged out to page file 2 at offset 0x1234000"). */
const char *pmm_kdump_translation_reason(const pmm_kdump_translation *t, char *buf, size_t cap);

/* "x64 4-level paging", "x86 PAE paging"... */
const char *pmm_kdump_paging_text(uint32_t paging);
/* Where KUSER_SHARED_DATA is for a dump's pointer size. */
uint64_t pmm_kdump_kuser_address(uint32_t pointer_size);

#endif
