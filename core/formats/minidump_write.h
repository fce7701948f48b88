/* Our own minidump writer: a dump of any pmm_source (a live process above all) and its map,
 * streamed to a sink without dbghelp. Streams: SystemInfo, MiscInfo, ThreadList (x64 or x86
 * CONTEXT and the stack from SP up), ModuleList (CodeView and misc debug records copied from each
 * image's debug directory), UnloadedModuleList (empty: the loader's unload trace is not read),
 * ThreadInfoList (each thread's start address from the map; times, exit status and affinity from
 * thread_facts when the caller has them), MemoryInfoList (the map's regions), memory as
 * Memory64List (full) or MemoryList (selected ranges plus thread stacks), a CommentStreamA listing
 * every unreadable page, and HandleData when the caller supplies the handles (handles_known: the
 * source interface has no handle enumeration, so core/win32 gathers them for a live process).
 * ModuleList starts with the executable (readers take the first module for the process's name).
 *
 * Unreadable pages: memory ranges are planned from the map before any byte is copied, so each
 * range keeps its planned size and file offset; a page that cannot be read is written as zeros
 * and listed in the comment stream ("pmm: unreadable pages (zero-filled in this dump):" then one
 * "0xADDRESS 0xSIZE" line per range). Nothing is skipped, so no later offset shifts. Guard and
 * no-access pages are not planned at all (reading them could disturb the target), and
 * MemoryInfoList still lists them.
 *
 * The writer never commits the sink: the caller does once it returned PMM_OK, so a failed or
 * cancelled dump never gets its final name. */
#ifndef PMM_MINIDUMP_WRITE_H
#define PMM_MINIDUMP_WRITE_H

#include <stddef.h>
#include <stdint.h>
#include "../model/map.h"
#include "dump_copy.h"
#include "../util/sink.h"

/* What only the OS knows (filled by core/win32 for a live process); zeros where unknown. */
typedef struct pmm_md_system_facts {
    uint16_t processor_level, processor_revision;
    uint8_t processor_count, product_type;
    uint16_t suite_mask;
    uint32_t major_version, minor_version, build_number, platform_id;
    uint32_t cpu_vendor[3];          /* CPUID 0: EBX, EDX, ECX */
    uint32_t cpu_version, cpu_features, cpu_amd_features;
} pmm_md_system_facts;

typedef struct pmm_md_process_facts {
    int times_known;
    uint32_t create_time;            /* time_t seconds */
    uint32_t user_seconds, kernel_seconds;
} pmm_md_process_facts;

/* One thread's OS facts for ThreadInfoList (MINIDUMP_THREAD_INFO), matched to the map by tid. */
typedef struct pmm_md_thread_fact {
    uint32_t tid;
    int times_known;                 /* GetThreadTimes succeeded */
    uint64_t create_time, exit_time, kernel_time, user_time;   /* FILETIME units */
    uint32_t exit_status;            /* STILL_ACTIVE (0x103) while running */
    uint64_t affinity;               /* 0 unknown */
    uint64_t start_address;          /* the OS's Win32 start address; 0: the map's is used */
} pmm_md_thread_fact;

/* One handle for HandleData (MINIDUMP_HANDLE_DESCRIPTOR). Names are UTF-8, "" when unknown. */
typedef struct pmm_md_handle_fact {
    uint64_t handle;
    uint32_t attributes, granted_access, handle_count, pointer_count;
    char type_name[64];
    char object_name[520];
} pmm_md_handle_fact;

typedef enum pmm_md_memory_mode {
    PMM_MD_MEMORY_NONE = 0,          /* thread stacks only (in ThreadList) */
    PMM_MD_MEMORY_FULL = 1,          /* every committed readable region: Memory64List */
    PMM_MD_MEMORY_SELECTED = 2       /* the given ranges and thread stacks: MemoryList */
} pmm_md_memory_mode;

/* MINIDUMP_TYPE bits recorded in the header for what we wrote. */
#define PMM_MD_TYPE_WITH_FULL_MEMORY 0x2u
#define PMM_MD_TYPE_WITH_FULL_MEMORY_INFO 0x800u
#define PMM_MD_TYPE_WITH_HANDLE_DATA 0x4u
#define PMM_MD_TYPE_WITH_THREAD_INFO 0x1000u

/* What only the OS can tell about a live process: ThreadInfoList and HandleData. */
typedef struct pmm_md_write_extras {
    const pmm_md_thread_fact *thread_facts;   /* may be NULL: ThreadInfoList then has start addresses only */
    size_t thread_fact_count;
    int handles_known;               /* write HandleData from handles (even when there are none) */
    const pmm_md_handle_fact *handles;
    size_t handle_count;
} pmm_md_write_extras;

typedef struct pmm_md_write_options {
    pmm_md_memory_mode memory_mode;
    const pmm_dump_range *selected;  /* PMM_MD_MEMORY_SELECTED: address ranges to save */
    size_t selected_count;
    int page_reads;                  /* read one page per call */
    uint32_t time_date_stamp;        /* header time (time_t); 0 leaves it 0 */
    const pmm_md_system_facts *system;   /* NULL: processor architecture only */
    const pmm_md_process_facts *process; /* NULL: pid only */
    const pmm_md_write_extras *extras;   /* NULL: no HandleData, start addresses only in ThreadInfoList */
    pmm_progress_fn progress;
    void *progress_ctx;
} pmm_md_write_options;

typedef struct pmm_md_write_result {
    uint64_t file_size;
    size_t thread_count, module_count, memory_range_count;
    uint64_t memory_bytes;
    size_t handle_count;             /* written to HandleData (0 when not written) */
    pmm_dump_ranges unreadable;      /* zero-filled pages; freed by pmm_md_write_result_free */
    uint64_t not_held_bytes;         /* of a dump file's regions, left out: the file does not hold them */
} pmm_md_write_result;

/* Writes the dump of src (described by map, a finished scan of the same source) to sink.
 * Errors: PMM_ERR_GONE (the target exited), PMM_ERR_IO (the sink failed: disk full...),
 * PMM_ERR_LIMIT (a MemoryList offset past 4 GiB: use full memory), PMM_ERR_CANCELLED, NOMEM. */
pmm_status pmm_md_write(pmm_source *src, const pmm_map *map, const pmm_md_write_options *options, pmm_sink *sink,
                        pmm_md_write_result *result);
void pmm_md_write_result_free(pmm_md_write_result *result);

/* Whether a full dump saves this region: committed and neither PAGE_NOACCESS nor a guard page. */
int pmm_dump_region_is_saved(const pmm_region *region);

#endif
