/* The search itself: each window of the memory walk is matched at every start offset that has the
 * whole pattern inside the window; the walk keeps the last length-1 bytes for the next window, so
 * every address is tried exactly once. The cap is checked on the hit after the last one wanted, so
 * "truncated" means there really is more, and resume_address is exactly where it is. */
#include "search.h"

#include <string.h>

typedef struct search_run {
    const pmm_map *map;
    const pmm_search_pattern *pattern;
    const pmm_search_options *options;
    pmm_search_hit_fn fn;
    void *ctx;
    pmm_search_summary *summary;
    uint64_t window_addr;
    size_t region;           /* cached index of the last hit's region: hits come in address order */
    int stopped;
} search_run;

static size_t region_of(search_run *run, uint64_t addr)
{
    const pmm_map *map = run->map;
    size_t r = run->region;
    if (r < map->region_count && addr - map->regions[r].base < map->regions[r].size)
        return r;
    r = pmm_map_find(map, addr);
    if (r != PMM_NO_INDEX)
        run->region = r;
    return r;
}

static int on_match(void *ctx, size_t offset)
{
    search_run *run = ctx;
    pmm_search_summary *s = run->summary;
    uint64_t addr = run->window_addr + offset;
    if (run->options->max_hits && s->hits >= run->options->max_hits) {
        s->truncated = 1;
        s->resume_address = addr;
        return run->stopped = 1;
    }
    s->hits++;
    pmm_search_hit hit = {addr, region_of(run, addr)};
    if (run->fn && run->fn(run->ctx, &hit))
        return run->stopped = 1;
    return 0;
}

static int on_window(void *ctx, const uint8_t *data, size_t size, uint64_t addr, int stream_end)
{
    search_run *run = ctx;
    size_t len = run->pattern->length;
    (void)stream_end;   /* the kept tail makes the last len-1 offsets wait for more bytes either way */
    if (size < len)
        return 0;
    run->window_addr = addr;
    pmm_search_find(run->pattern, data, size - len + 1, addr, on_match, run);
    return run->stopped;
}

pmm_status pmm_search_run(pmm_source *src, const pmm_map *map, const pmm_search_pattern *pattern,
                          const pmm_search_options *options, pmm_search_hit_fn fn, void *ctx,
                          pmm_search_summary *summary)
{
    memset(summary, 0, sizeof *summary);
    if (!src || !map || !pattern || !options || !pattern->length || pattern->length > PMM_SEARCH_MAX_PATTERN)
        return PMM_ERR_ARG;
    search_run run = {map, pattern, options, fn, ctx, summary, 0, 0, 0};
    pmm_memory_walk walk;
    pmm_memory_walk_init(&walk, src, map, &options->scope, options->chunk_size, options->progress,
                         options->progress_ctx);
    walk.overlap = pattern->length - 1;
    pmm_status st = pmm_memory_walk_run(&walk, on_window, &run);
    summary->regions_searched = walk.regions;
    summary->bytes_searched = walk.bytes_read;
    summary->unreadable_bytes = walk.unreadable_bytes;
    summary->unreadable_pages = walk.unreadable_pages;
    return pmm_memory_walk_outcome(&walk, st);
}
