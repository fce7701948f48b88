/* Builds the annotated map of a source: the region walk, then each analyzer in turn. */
#ifndef PMM_SCAN_H
#define PMM_SCAN_H

#include "../model/map.h"
#include "../util/progress.h"

/* A first look at the map while the region walk runs: the regions walked so far as a finished map
 * of its own, typed from the memory type alone (Image, Shareable, Private, Free, Unusable) with no
 * annotations, details or modules yet. The callee owns it (pmm_map_free). Return non-zero to cancel. */
typedef int (*pmm_scan_preview_fn)(void *ctx, pmm_map *preview);

typedef struct pmm_scan_options {
    /* done of PMM_SCAN_PROGRESS_TOTAL, only ever growing: the region walk takes the first
     * PMM_SCAN_WALK_SHARE thousandths, measured in address space in use (space_in_use.h: a few
     * probing queries before the walk, only when progress is asked for), the analyzers the rest by
     * their weights. Called often enough that a cancel takes effect within a few milliseconds of
     * work. */
    pmm_progress_fn progress;
    void *progress_ctx;
    /* NULL: none. Else called on the scanning thread after about PMM_SCAN_FIRST_PREVIEW_MS of
     * walking (or PMM_SCAN_FIRST_PREVIEW_REGIONS regions), then whenever the regions walked have
     * grown fourfold, or doubled and two seconds have passed, and once with every region when the
     * walk ends. */
    pmm_scan_preview_fn preview;
    void *preview_ctx;
    size_t max_regions;        /* safety cap; 0 means the default (16M) */
    uint32_t flags;            /* pmm_scan_option_flags */
    const char *symbol_path;   /* where PDBs may be, for naming frames (symbol_path.h); NULL: beside the images */
} pmm_scan_options;

#define PMM_SCAN_PROGRESS_TOTAL 1000000u
/* The walk's share of a big scan (100,000 allocations: about 64% of its time under Wine). */
#define PMM_SCAN_WALK_SHARE 600u

#define PMM_SCAN_FIRST_PREVIEW_MS 50
#define PMM_SCAN_FIRST_PREVIEW_REGIONS 1024

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
    uint64_t stage_from, stage_span; /* the running stage's part of PMM_SCAN_PROGRESS_TOTAL */
} pmm_scan;

/* The running stage's progress through its own work (done of total items: the walk's counted
 * space, an analyzer's regions): reported as a share of the whole scan. Returns non-zero once the
 * scan is cancelled; call it every few dozen items. */
int pmm_scan_step(pmm_scan *scan, uint64_t done, uint64_t total);

/* The preview map of the regions in map so far (see pmm_scan_preview_fn). */
pmm_status pmm_scan_preview_map(const pmm_map *map, pmm_map **out);

/* An analyzer adds what it finds to scan->map. Returning an error other than a warning-worthy one
 * stops the scan: PMM_ERR_GONE, PMM_ERR_NOMEM and PMM_ERR_CANCELLED are fatal; analyzers record
 * everything else with pmm_map_warn and return PMM_OK. */
typedef struct pmm_analyzer {
    const char *name;
    pmm_status (*run)(pmm_scan *scan);
    unsigned weight;   /* its share of the progress after the walk, against the others' */
} pmm_analyzer;

/* On success *out is a finished map the caller frees with pmm_map_free. */
pmm_status pmm_scan_source(pmm_source *src, const pmm_scan_options *options, pmm_map **out);

#endif
