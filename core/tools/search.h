/* Searching a target's memory for a compiled pattern (search_pattern.h), over any source, by the
 * regions of its scanned map. Adjacent selected regions are read as one stream in chunks that
 * overlap by the pattern's length minus one, so a hit that straddles a chunk, page or region
 * boundary is found exactly once; pages that cannot be read are skipped and counted. */
#ifndef PMM_SEARCH_H
#define PMM_SEARCH_H

#include <stddef.h>
#include <stdint.h>
#include "../util/progress.h"
#include "../model/map.h"
#include "search_pattern.h"
#include "../symbols/symbols.h"

enum pmm_search_types {
    PMM_SEARCH_TYPE_IMAGE = 1,
    PMM_SEARCH_TYPE_PRIVATE = 2,
    PMM_SEARCH_TYPE_MAPPED = 4
};

/* Which memory to look at. Only committed regions whose protection allows reading (and that are
 * not guard pages) are ever read. */
typedef struct pmm_search_scope {
    uint64_t start;          /* first address (also "continue from here") */
    uint64_t end;            /* one past the last address; 0: the top of the address space */
    uint32_t types;          /* pmm_search_types; 0: all */
    int executable_only;
    int writable_only;       /* skip read-only memory */
} pmm_search_scope;

#define PMM_SEARCH_DEFAULT_CHUNK (256u * 1024u)

typedef struct pmm_search_options {
    pmm_search_scope scope;
    uint64_t max_hits;       /* 0: no cap */
    size_t chunk_size;       /* bytes read per step; 0: PMM_SEARCH_DEFAULT_CHUNK */
    pmm_progress_fn progress;  /* done/total in bytes of selected memory; non-zero cancels */
    void *progress_ctx;
} pmm_search_options;

typedef struct pmm_search_hit {
    uint64_t address;
    size_t region;           /* index in map->regions of the region the hit starts in */
} pmm_search_hit;

/* Return non-zero to stop the search (it then ends with PMM_OK and what was found so far). */
typedef int (*pmm_search_hit_fn)(void *ctx, const pmm_search_hit *hit);

typedef struct pmm_search_summary {
    uint64_t hits;
    int truncated;               /* max_hits reached and there is at least one more hit */
    uint64_t resume_address;     /* truncated: that next hit; use it as scope.start to go on */
    uint64_t regions_searched;   /* selected regions */
    uint64_t bytes_searched;     /* bytes read and examined */
    uint64_t unreadable_bytes;   /* in selected regions, skipped because reads failed */
    uint64_t unreadable_pages;   /* pages (or partial pages) skipped */
} pmm_search_summary;

/* map must be a scan of src (pmm_scan_source). Errors: PMM_ERR_ARG, PMM_ERR_NOMEM,
 * PMM_ERR_CANCELLED (the progress callback asked), PMM_ERR_GONE (the process exited: the results
 * are incomplete). *summary is filled in every case. */
pmm_status pmm_search_run(pmm_source *src, const pmm_map *map, const pmm_search_pattern *pattern,
                          const pmm_search_options *options, pmm_search_hit_fn fn, void *ctx,
                          pmm_search_summary *summary);

/* ---- shared with the strings listing ---------------------------------------------------------- */

/* 1 when the region is committed, readable, and passes the scope's filters. */
int pmm_search_region_selected(const pmm_region *region, const pmm_search_scope *scope);

/* A run of the stream that one span of adjacent regions gives: data[0..size) at addr.
 * stream_end: the next bytes are not contiguous with these (end of a span, or unreadable). */
typedef int (*pmm_window_fn)(void *ctx, const uint8_t *data, size_t size, uint64_t addr, int stream_end);

typedef struct pmm_memory_walk {
    pmm_source *src;
    const pmm_map *map;
    const pmm_search_scope *scope;
    size_t chunk_size;       /* new bytes per window */
    size_t overlap;          /* bytes kept from the end of one window at the start of the next */
    pmm_progress_fn progress;
    void *progress_ctx;
    /* filled in */
    uint64_t regions, bytes_read, unreadable_bytes, unreadable_pages;
} pmm_memory_walk;

/* A walk of map's memory in src over scope, chunk_size new bytes a window (PMM_SEARCH_DEFAULT_CHUNK
 * when 0), no overlap. */
void pmm_memory_walk_init(pmm_memory_walk *walk, pmm_source *src, const pmm_map *map, const pmm_search_scope *scope,
                          size_t chunk_size, pmm_progress_fn progress, void *progress_ctx);
/* Reads every selected span in windows and calls fn on each; PMM_OK also when fn stopped it. */
pmm_status pmm_memory_walk_run(pmm_memory_walk *walk, pmm_window_fn fn, void *ctx);
/* How a finished walk ended: st, or PMM_ERR_GONE for a complete walk of a process that has exited
 * (reads of an exited process fail like unreadable pages; say so rather than look complete). */
pmm_status pmm_memory_walk_outcome(const pmm_memory_walk *walk, pmm_status st);

/* ---- describing an address -------------------------------------------------------------------- */

typedef struct pmm_address_context {
    const pmm_region *region;    /* NULL when addr lies in no region of the map */
    const char *kind;            /* the region's Type column: "Image", "Heap", "Stack"... */
    char annotation[320];        /* "kernel32.dll .text (code)", "Stack (thread 1234)", "Heap (ID 1)", details */
    char symbol[320];            /* "kernel32.dll!CreateFileW+0x1a"; "" when none applies */
} pmm_address_context;

/* syms may be NULL (no symbol then). */
void pmm_describe_address(const pmm_map *map, const pmm_symbols *syms, uint64_t addr, pmm_address_context *out);

#endif
