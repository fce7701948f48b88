/* Builds the annotated map of a source: the region walk, then each analyzer in turn. */
#ifndef PMM_SCAN_H
#define PMM_SCAN_H

#include "../model/map.h"
#include "../util/progress.h"

typedef struct pmm_scan_options {
    pmm_progress_fn progress;  /* done/total in bytes of address space walked */
    void *progress_ctx;
    size_t max_regions;        /* safety cap; 0 means the default (16M) */
    uint32_t flags;            /* pmm_scan_option_flags */
    const char *symbol_path;   /* where PDBs may be, for naming frames (symbol_path.h); NULL: beside the images */
} pmm_scan_options;

enum pmm_scan_option_flags {
    PMM_SCAN_HEAP_BLOCKS = 1,  /* ask the source for every heap block (pmm map --heap-blocks) */
    PMM_SCAN_NO_WORKING_SET = 2,  /* do not ask which pages are resident (the benchmark's baseline) */
    PMM_SCAN_EXPORT_NAMES = 4     /* name code addresses from exports only (no PDB, DWARF or COFF symbols) */
};

/* A PEB found in the target, with the layout it was validated against. */
typedef struct pmm_scan_peb {
    uint64_t address;
    uint32_t pointer_size;
    uint64_t ldr;
    uint64_t process_parameters;
} pmm_scan_peb;

/* The scan context passed to every analyzer. */
typedef struct pmm_scan {
    pmm_source *src;
    pmm_map *map;
    const pmm_scan_options *options;
    pmm_scan_peb pebs[2];      /* the process's own PEB first; a WOW64 process's 64-bit PEB second */
    size_t peb_count;
} pmm_scan;

/* An analyzer adds what it finds to scan->map. Returning an error other than a warning-worthy one
 * stops the scan: PMM_ERR_GONE, PMM_ERR_NOMEM and PMM_ERR_CANCELLED are fatal; analyzers record
 * everything else with pmm_map_warn and return PMM_OK. */
typedef struct pmm_analyzer {
    const char *name;
    pmm_status (*run)(pmm_scan *scan);
} pmm_analyzer;

/* On success *out is a finished map the caller frees with pmm_map_free. */
pmm_status pmm_scan_source(pmm_source *src, const pmm_scan_options *options, pmm_map **out);

#endif
