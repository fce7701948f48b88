/* HiperDrop-style memory dumps of a process's regions, and the region selection that the minidump
 * writer's MemoryList mode shares.
 *
 *   regions DIR   one file per region, DIR/0x<address>.bin, plus DIR/regions.map
 *   single FILE   the regions back to back, plus FILE.map
 *   sparse FILE   each region at file offset == its address (holes between them), plus FILE.map
 *   full FILE     the same with the gaps written as zeros, plus FILE.map
 *
 * Map file (text, one record per line, numbers in lower-case hex with 0x):
 *   # pmm-region-dump 1 FORMAT
 *   region ADDRESS SIZE FILE_OFFSET [FILE_NAME]      (FILE_NAME only in the regions format)
 *   unreadable ADDRESS SIZE                           (zero-filled in the dump)
 *   end REGION_COUNT UNREADABLE_RANGES
 * The "end" line is written last: a map without it is not from a finished dump.
 *
 * Every output file is written under "<name>.partial" and renamed when complete; on any failure the
 * partial files are removed. In the regions format each region file is complete once renamed, and
 * the map is written after all of them. Unreadable pages are zero-filled (never skipped, so no
 * offset shifts) and listed in the map. With --read pages (pmm_dump_probe_pages) the regions are
 * the runs of readable pages and the map lists the pages between them that did not read. */
#ifndef PMM_REGION_DUMP_H
#define PMM_REGION_DUMP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "../formats/dump_copy.h"
#include "../model/map.h"

typedef enum pmm_region_dump_format {
    PMM_RDUMP_REGIONS,
    PMM_RDUMP_SINGLE,
    PMM_RDUMP_SPARSE,
    PMM_RDUMP_FULL
} pmm_region_dump_format;

/* Largest file the full format writes (the zeros before the last region's end). */
#define PMM_RDUMP_FULL_MAX ((uint64_t)64 << 30)

/* Which regions to save. Empty fields select nothing by that criterion; with all empty, every
 * committed readable region is saved. Criteria combine with AND; list items with OR. */
typedef struct pmm_dump_selection {
    const uint64_t *addresses;   /* each selects the region containing it */
    size_t address_count;
    const char *kinds;           /* "image,heap,stack,private,mapped,shareable,system" (the Type column) */
    const char *protections;     /* "RW,RX,RWX" or Windows values "0x40" (guard/nocache modifiers ignored) */
} pmm_dump_selection;

/* PMM_ERR_ARG with message when kinds or protections is empty or names something unknown (or
 * no-access memory, which is never dumped); for checking the options before any work. */
pmm_status pmm_dump_selection_check(const pmm_dump_selection *sel, char *message, size_t cap);

/* Fills out with the selected regions (committed, neither guard nor no-access), in address order.
 * PMM_ERR_ARG with message for an unknown kind or protection, or an address outside every saveable
 * region. */
pmm_status pmm_dump_select(const pmm_map *map, const pmm_dump_selection *sel, pmm_dump_ranges *out, char *message,
                           size_t message_cap);

typedef struct pmm_region_dump_options {
    pmm_region_dump_format format;
    const char *path;            /* DIR for regions, FILE otherwise */
    int page_reads;
    /* sparse: called on the new file before the first write (FSCTL_SET_SPARSE on Windows); may
     * be NULL. Its failure is not fatal: the file is then written with real zeros. */
    int (*make_sparse)(FILE *file);
    pmm_progress_fn progress;
    void *progress_ctx;
} pmm_region_dump_options;

typedef struct pmm_region_dump_result {
    size_t region_count;
    uint64_t bytes;              /* target bytes saved (unreadable ones included) */
    uint64_t file_size;          /* of the dump file (single, sparse, full) */
    int sparse;                  /* make_sparse succeeded */
    pmm_dump_ranges unreadable;
    uint64_t not_held_bytes;     /* of a dump file's regions, left out: the file does not hold them */
} pmm_region_dump_result;

pmm_status pmm_region_dump(pmm_source *src, const pmm_dump_ranges *ranges, const pmm_region_dump_options *options,
                           pmm_region_dump_result *result, char *message, size_t message_cap);
void pmm_region_dump_result_free(pmm_region_dump_result *result);
pmm_status pmm_region_dump_parse_format(const char *text, pmm_region_dump_format *out);

/* --read pages: regions found by reading alone, without VirtualQueryEx. Reads every page of spans
 * (page-aligned, ascending, not overlapping) one ReadProcessMemory-sized page at a time; maximal
 * runs of pages that read in full become regions, the others are listed in unreadable. Checks
 * that the target is alive every 4096 pages. PMM_ERR_ARG / PMM_ERR_LIMIT (more than
 * PMM_PROBE_MAX_PAGES) / PMM_ERR_GONE / PMM_ERR_CANCELLED with message. */
#define PMM_PROBE_MAX_PAGES ((uint64_t)1 << 24)
pmm_status pmm_dump_probe_pages(pmm_source *src, const pmm_dump_ranges *spans, pmm_dump_ranges *regions,
                                pmm_dump_ranges *unreadable, pmm_progress_fn progress, void *progress_ctx,
                                char *message, size_t message_cap);
/* pmm_region_dump of the regions a page probe found; the probe's unreadable pages are listed in
 * the map file (and result->unreadable) with any page that failed while copying. */
pmm_status pmm_region_dump_probed(pmm_source *src, const pmm_dump_ranges *regions, const pmm_dump_ranges *unreadable,
                                  const pmm_region_dump_options *options, pmm_region_dump_result *result,
                                  char *message, size_t message_cap);

#endif
