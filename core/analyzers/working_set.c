/* Counts each committed region's resident pages from the source's per-page working-set facts
 * (QueryWorkingSetEx on Windows), PMM_WS_MAX_BATCH pages at a time, so the memory it needs does
 * not grow with the target. A source that cannot tell (a minidump, another process under Wine)
 * leaves the map without working-set facts and with a note saying why. */
#include "analyzers.h"

#include <stdio.h>
#include <stdlib.h>

/* Gives a cancelling user a chance every this many batches (64 MiB of pages). */
#define CANCEL_CHECK_EVERY 4

typedef struct ws_walk {
    pmm_scan *scan;
    pmm_page_ws *pages;       /* PMM_WS_MAX_BATCH entries */
    size_t batches;
    char refused[512];        /* the source's reason when it cannot tell */
} ws_walk;

static void count_pages(const pmm_page_ws *pages, size_t count, pmm_region_ws *ws)
{
    for (size_t i = 0; i < count; i++) {
        uint8_t f = pages[i].flags;
        if (!(f & PMM_WS_VALID))
            continue;
        if (f & PMM_WS_SHARED) {
            ws->shareable_pages++;
            ws->shared_pages += pages[i].share_count > 1;
        } else {
            ws->private_pages++;
        }
        ws->locked_pages += (f & PMM_WS_LOCKED) != 0;
    }
}

static int cancelled(pmm_scan *scan)
{
    const pmm_scan_options *o = scan->options;
    uint64_t top = scan->src->target.highest_address;
    return o->progress && o->progress(o->progress_ctx, top, top);
}

static pmm_status not_available(pmm_map *map, const char *why)
{
    char note[600];
    snprintf(note, sizeof note, "Working set not available: %s", why);
    return pmm_map_set_working_set_note(map, note);
}

static pmm_status measure_region(ws_walk *w, const pmm_region *r, pmm_region_ws *ws)
{
    uint64_t page_count = r->size / PMM_PAGE_SIZE;
    for (uint64_t done = 0; done < page_count;) {
        size_t n = page_count - done < PMM_WS_MAX_BATCH ? (size_t)(page_count - done) : PMM_WS_MAX_BATCH;
        pmm_status st = pmm_source_working_set(w->scan->src, r->base + done * PMM_PAGE_SIZE, n, w->pages, w->refused,
                                               sizeof w->refused);
        if (st != PMM_OK)
            return st;
        count_pages(w->pages, n, ws);
        done += n;
        if (++w->batches % CANCEL_CHECK_EVERY == 0 && cancelled(w->scan))
            return PMM_ERR_CANCELLED;
    }
    return PMM_OK;
}

pmm_status pmm_analyze_working_set(pmm_scan *scan)
{
    pmm_map *map = scan->map;
    if (scan->options->flags & PMM_SCAN_NO_WORKING_SET)
        return not_available(map, "not asked for");
    ws_walk w = {.scan = scan, .pages = malloc(PMM_WS_MAX_BATCH * sizeof *w.pages)};
    pmm_status st = w.pages ? pmm_map_enable_working_set(map) : PMM_ERR_NOMEM;
    for (size_t i = 0; i < map->region_count && st == PMM_OK; i++)
        if (map->regions[i].state == PMM_MEM_COMMIT)
            st = measure_region(&w, &map->regions[i], &map->working_set[i]);
    free(w.pages);
    if (st == PMM_ERR_UNSUPPORTED || st == PMM_ERR_NOT_PROVIDED)
        return not_available(map, w.refused[0] ? w.refused : "the source cannot tell which pages are resident");
    return st;
}
