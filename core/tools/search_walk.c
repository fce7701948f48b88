/* Reads the selected memory of a target as streams: adjacent selected regions form one span, read
 * in windows of chunk_size new bytes plus the last `overlap` bytes of the previous window. A read
 * that comes back short ends the stream there; the failing page is skipped and counted, and a new
 * stream starts on the next page. */
#include "search.h"

#include <stdlib.h>
#include <string.h>

static int readable_protection(uint32_t protect)
{
    if (protect & PMM_PAGE_GUARD)
        return 0;
    switch (protect & 0xff) {
    case PMM_PAGE_READONLY:
    case PMM_PAGE_READWRITE:
    case PMM_PAGE_WRITECOPY:
    case PMM_PAGE_EXECUTE:   /* executable implies readable on x86; a failed read is counted */
    case PMM_PAGE_EXECUTE_READ:
    case PMM_PAGE_EXECUTE_READWRITE:
    case PMM_PAGE_EXECUTE_WRITECOPY:
        return 1;
    default:
        return 0;
    }
}

static int executable_protection(uint32_t protect)
{
    return (protect & (PMM_PAGE_EXECUTE | PMM_PAGE_EXECUTE_READ | PMM_PAGE_EXECUTE_READWRITE |
                       PMM_PAGE_EXECUTE_WRITECOPY)) != 0;
}

static int writable_protection(uint32_t protect)
{
    return (protect & (PMM_PAGE_READWRITE | PMM_PAGE_WRITECOPY | PMM_PAGE_EXECUTE_READWRITE |
                       PMM_PAGE_EXECUTE_WRITECOPY)) != 0;
}

static uint32_t type_bit(uint32_t type)
{
    switch (type) {
    case PMM_MEM_IMAGE: return PMM_SEARCH_TYPE_IMAGE;
    case PMM_MEM_PRIVATE: return PMM_SEARCH_TYPE_PRIVATE;
    case PMM_MEM_MAPPED: return PMM_SEARCH_TYPE_MAPPED;
    default: return 0;
    }
}

int pmm_search_region_selected(const pmm_region *r, const pmm_search_scope *scope)
{
    /* Protection 0 on committed memory means "not known": a minidump without MemoryInfoList.
     * Such memory is read for what the source has, but cannot pass a protection filter. */
    int unknown = r->protect == 0;
    if (r->state != PMM_MEM_COMMIT || !(unknown || readable_protection(r->protect)))
        return 0;
    if (unknown && (scope->executable_only || scope->writable_only))
        return 0;
    if (scope->types && !(scope->types & type_bit(r->type)))
        return 0;
    if (scope->executable_only && !executable_protection(r->protect))
        return 0;
    if (scope->writable_only && !writable_protection(r->protect))
        return 0;
    return 1;
}

/* ---- reading one span ------------------------------------------------------------------------- */

typedef struct walk_state {
    pmm_memory_walk *walk;
    uint8_t *buf;
    size_t cap;
    uint64_t done, total;
} walk_state;

static int report_progress(walk_state *ws)
{
    pmm_memory_walk *w = ws->walk;
    return w->progress ? w->progress(w->progress_ctx, ws->done, ws->total) : 0;
}

/* The page holding `bad` cannot be read: skip to the next page boundary (or the span's end). */
static uint64_t skip_unreadable(pmm_memory_walk *w, uint64_t bad, uint64_t end)
{
    uint64_t next = (bad | (PMM_PAGE_SIZE - 1)) + 1;
    if (next > end || next == 0)
        next = end;
    w->unreadable_bytes += next - bad;
    w->unreadable_pages++;
    return next;
}

/* Returns PMM_OK, PMM_END when fn asked to stop, or PMM_ERR_CANCELLED. Each pass of the loop
 * moves `next` forward by at least one byte (a full read) or to the next page (a failed one). */
static pmm_status read_span(walk_state *ws, uint64_t start, uint64_t end, pmm_window_fn fn, void *ctx)
{
    pmm_memory_walk *w = ws->walk;
    uint64_t next = start, window_addr = start;
    size_t fill = 0;
    while (next < end) {
        uint64_t left = end - next;
        size_t want = left < w->chunk_size ? (size_t)left : w->chunk_size;
        size_t got = pmm_source_read(w->src, next, ws->buf + fill, want);
        if (got > want)
            got = want;   /* a source that claims more than it was asked for is not believed */
        fill += got;
        next += got;
        w->bytes_read += got;
        int short_read = got < want;
        int stream_end = short_read || next == end;
        if (fill && fn(ctx, ws->buf, fill, window_addr, stream_end))
            return PMM_END;
        if (short_read) {
            uint64_t resume = skip_unreadable(w, next, end);
            ws->done += got + (resume - next);
            next = window_addr = resume;
            fill = 0;
        } else {
            size_t keep = fill < w->overlap ? fill : w->overlap;
            memmove(ws->buf, ws->buf + fill - keep, keep);
            window_addr += fill - keep;
            fill = keep;
            ws->done += got;
        }
        if (report_progress(ws))
            return PMM_ERR_CANCELLED;
    }
    return PMM_OK;
}

/* ---- spans ------------------------------------------------------------------------------------ */

static void clip(const pmm_region *r, const pmm_search_scope *scope, uint64_t *start, uint64_t *end)
{
    uint64_t lo = r->base, hi = r->base + r->size;
    if (hi < lo)
        hi = UINT64_MAX;   /* a region at the very top of a 64-bit space */
    if (lo < scope->start)
        lo = scope->start;
    if (scope->end && hi > scope->end)
        hi = scope->end;
    *start = lo;
    *end = hi > lo ? hi : lo;
}

/* Index of the first region of the span starting at i, or map->region_count; fills its bounds by
 * taking every following region that is selected and starts where the previous one ended. */
static size_t next_span(pmm_memory_walk *w, size_t i, uint64_t *start, uint64_t *end, size_t *after)
{
    const pmm_map *map = w->map;
    for (; i < map->region_count; i++) {
        uint64_t s, e;
        clip(&map->regions[i], w->scope, &s, &e);
        if (s < e && pmm_search_region_selected(&map->regions[i], w->scope))
            break;
    }
    if (i == map->region_count)
        return i;
    clip(&map->regions[i], w->scope, start, end);
    w->regions++;
    size_t j = i + 1;
    for (; j < map->region_count; j++) {
        uint64_t s, e;
        clip(&map->regions[j], w->scope, &s, &e);
        if (s != *end || s >= e || !pmm_search_region_selected(&map->regions[j], w->scope))
            break;
        *end = e;
        w->regions++;
    }
    *after = j;
    return i;
}

static uint64_t selected_bytes(const pmm_memory_walk *w)
{
    uint64_t total = 0;
    for (size_t i = 0; i < w->map->region_count; i++) {
        uint64_t s, e;
        clip(&w->map->regions[i], w->scope, &s, &e);
        if (pmm_search_region_selected(&w->map->regions[i], w->scope))
            total += e - s;
    }
    return total;
}

pmm_status pmm_memory_walk_run(pmm_memory_walk *w, pmm_window_fn fn, void *ctx)
{
    w->regions = w->bytes_read = w->unreadable_bytes = w->unreadable_pages = 0;
    if (!w->src || !w->map || !w->scope || !w->chunk_size || w->overlap > PMM_SEARCH_MAX_PATTERN)
        return PMM_ERR_ARG;
    walk_state ws = {w, NULL, w->chunk_size + w->overlap, 0, selected_bytes(w)};
    ws.buf = malloc(ws.cap);
    if (!ws.buf)
        return PMM_ERR_NOMEM;
    pmm_status st = PMM_OK;
    size_t i = 0;
    while (st == PMM_OK && i < w->map->region_count) {
        uint64_t start, end;
        size_t after = i;
        i = next_span(w, i, &start, &end, &after);
        if (i == w->map->region_count)
            break;
        st = read_span(&ws, start, end, fn, ctx);
        i = after;
    }
    free(ws.buf);
    return st == PMM_END ? PMM_OK : st;
}
