/* Our own minidump writer: a dump of any pmm_source (a live process above all) and its map,
 * streamed to a sink without dbghelp. Streams: SystemInfo, MiscInfo, ThreadList (x64 or x86
 * CONTEXT and the stack from SP up), ModuleList (CodeView and misc debug records copied from each
 * image's debug directory), UnloadedModuleList (empty: the loader's unload trace is not read),
 * MemoryInfoList (the map's regions), memory as Memory64List (full) or MemoryList (selected ranges
 * plus thread stacks), and a CommentStreamA listing every unreadable page. HandleData is not
 * written: the source interface has no handle enumeration.
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
#include "minidump_write_memory.h"
#include "minidump_write_sink.h"

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

typedef enum pmm_md_memory_mode {
    PMM_MD_MEMORY_NONE = 0,          /* thread stacks only (in ThreadList) */
    PMM_MD_MEMORY_FULL = 1,          /* every committed readable region: Memory64List */
    PMM_MD_MEMORY_SELECTED = 2       /* the given ranges and thread stacks: MemoryList */
} pmm_md_memory_mode;

/* MINIDUMP_TYPE bits recorded in the header for what we wrote. */
#define PMM_MD_TYPE_WITH_FULL_MEMORY 0x2u
#define PMM_MD_TYPE_WITH_FULL_MEMORY_INFO 0x800u

typedef struct pmm_md_write_options {
    pmm_md_memory_mode memory_mode;
    const pmm_dump_range *selected;  /* PMM_MD_MEMORY_SELECTED: address ranges to save */
    size_t selected_count;
    int page_reads;                  /* read one page per call */
    uint32_t time_date_stamp;        /* header time (time_t); 0 leaves it 0 */
    const pmm_md_system_facts *system;   /* NULL: processor architecture only */
    const pmm_md_process_facts *process; /* NULL: pid only */
    pmm_progress_fn progress;
    void *progress_ctx;
} pmm_md_write_options;

typedef struct pmm_md_write_result {
    uint64_t file_size;
    size_t thread_count, module_count, memory_range_count;
    uint64_t memory_bytes;
    pmm_dump_ranges unreadable;      /* zero-filled pages; freed by pmm_md_write_result_free */
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
