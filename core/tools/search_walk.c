/* Reads the selected memory of a target as streams: adjacent selected regions form one span, read
 * in windows of chunk_size new bytes plus the last `overlap` bytes of the previous window. A read
 * that comes back short ends the stream there; what cannot be read is skipped and counted, and a
 * new stream starts where the source says bytes may be again (pmm_source_next_readable): the next
 * page, or past a whole stretch a dump does not hold, in one step, so the work follows what the
 * target holds, never the sizes its regions claim.
 *
 * A source that holds its bytes in a file mapping (a minidump) lends each window in place instead
 * (pmm_source_borrow): nothing is copied, and the window is read straight from the page cache;
 * windows it cannot lend whole are read as above.
 *
 * Every read happens on the calling thread, one window at a time. A reader thread that read the
 * next windows while the callback examined this one was built and measured (tests/bench/
 * bench_search.c, under Wine on two cores): it cost the process more CPU than it hid, and the
 * search was no faster with it, neither over a live process nor over a minidump file. The
 * matcher alone takes 2 to 6% of the time a read of another process's memory takes. */
#include "search.h"

#include <stdlib.h>
#include <string.h>

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
    if (r->state != PMM_MEM_COMMIT || !pmm_protect_may_be_read(r->protect))
        return 0;
    if (unknown && (scope->executable_only || scope->writable_only))
        return 0;
    if (scope->types && !(scope->types & type_bit(r->type)))
        return 0;
    if (scope->executable_only && !pmm_protect_is_executable(r->protect))
        return 0;
    if (scope->writable_only && !pmm_protect_is_writable(r->protect))
        return 0;
    return 1;
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

/* The span that starts at the first selected region from i on: its bounds, the number of regions
 * it takes (every following one that is selected and starts where the previous one ended) and the
 * index after them. 0 when there is none. */
static int next_span(const pmm_memory_walk *w, size_t i, uint64_t *start, uint64_t *end, uint64_t *regions,
                     size_t *after)
{
    const pmm_map *map = w->map;
    for (; i < map->region_count; i++) {
        uint64_t s, e;
        clip(&map->regions[i], w->scope, &s, &e);
        if (s < e && pmm_search_region_selected(&map->regions[i], w->scope))
            break;
    }
    if (i == map->region_count)
        return 0;
    clip(&map->regions[i], w->scope, start, end);
    *regions = 1;
    size_t j = i + 1;
    for (; j < map->region_count; j++) {
        uint64_t s, e;
        clip(&map->regions[j], w->scope, &s, &e);
        if (s != *end || s >= e || !pmm_search_region_selected(&map->regions[j], w->scope))
            break;
        *end = e;
        ++*regions;
    }
    *after = j;
    return 1;
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

/* ---- steps ------------------------------------------------------------------------------------ */

/* What one read produced: a window for the callback and the counts that go with it, added as the
 * step is consumed, so a stop counts exactly what was examined. */
typedef struct step {
    const uint8_t *buf;      /* the window: buf[0..fill) at window_addr (own buffer or lent bytes) */
    size_t fill;
    uint64_t window_addr;
    int stream_end;          /* the next window does not continue this one */
    uint64_t regions;        /* regions of the span this step starts, else 0 */
    uint64_t got;            /* bytes read by this step */
    uint64_t unreadable_bytes, unreadable_pages;
    uint64_t done;           /* progress: selected bytes this step got past */
} step;

typedef struct reader {
    pmm_memory_walk *w;
    uint8_t *own;            /* chunk_size + overlap bytes for windows that are read, not lent */
    size_t next_region;      /* where to look for the next span */
    int in_span;
    uint64_t next, end;      /* the part of the current span not read yet */
    uint64_t window_addr;    /* of the next window */
    size_t keep;             /* bytes the next window takes from the end of the previous one */
} reader;

static size_t read_source(reader *r, uint64_t addr, uint8_t *buf, size_t len)
{
    size_t got = pmm_source_read(r->w->src, addr, buf, len);
    return got > len ? len : got;   /* a source that claims more than it was asked for is not believed */
}

/* The window of keep + want bytes at r->window_addr when the source lends all of it, else NULL. */
static const uint8_t *lend_window(reader *r, size_t keep, size_t want)
{
    const uint8_t *lent;
    size_t n = pmm_source_borrow(r->w->src, r->window_addr, keep + want, &lent);
    return n == keep + want ? lent : NULL;
}

/* Replaces *s, the previous step, with the next one: its window starts with the last r->keep bytes
 * of the previous window, followed by what one read gets: either lent in place by the source, or
 * copied into r->own (chunk_size + overlap bytes) behind the kept bytes. 0 when every span has been
 * read. Each step moves forward by at least one byte (a full read) or to the next page (a failed
 * one). */
static int reader_next(reader *r, step *s)
{
    pmm_memory_walk *w = r->w;
    uint64_t regions = 0;
    if (!r->in_span) {
        size_t after = 0;
        if (!next_span(w, r->next_region, &r->next, &r->end, &regions, &after))
            return 0;
        r->next_region = after;
        r->in_span = 1;
        r->window_addr = r->next;
        r->keep = 0;
    }
    size_t fill = r->keep;
    uint64_t left = r->end - r->next;
    size_t want = left < w->chunk_size ? (size_t)left : w->chunk_size;
    const uint8_t *buf = lend_window(r, fill, want);
    size_t got = want;
    if (!buf) {
        if (fill)
            memmove(r->own, s->buf + s->fill - fill, fill);
        got = read_source(r, r->next, r->own + fill, want);
        buf = r->own;
    }
    fill += got;
    r->next += got;
    step next = {buf, fill, r->window_addr, got < want || r->next == r->end, regions, got, 0, 0, got};
    if (got < want) {
        /* Nothing reads at r->next: go on where the source says bytes may be, in one step over a
         * stretch it does not hold, else past the failing page (or to the end). */
        uint64_t resume = pmm_source_next_readable(w->src, r->next, r->end);
        if (resume == r->next) {
            resume = (r->next | (PMM_PAGE_SIZE - 1)) + 1;
            if (resume > r->end || resume == 0)
                resume = r->end;
        }
        uint64_t first_page = r->next & ~(uint64_t)(PMM_PAGE_SIZE - 1);
        next.unreadable_bytes = resume - r->next;
        next.unreadable_pages = (resume - first_page - 1) / PMM_PAGE_SIZE + 1;
        next.done += resume - r->next;
        r->next = r->window_addr = resume;
        r->keep = 0;
    } else {
        r->keep = fill < w->overlap ? fill : w->overlap;
        r->window_addr += fill - r->keep;
    }
    if (r->next >= r->end)
        r->in_span = 0;
    *s = next;
    return 1;
}

/* ---- the walk --------------------------------------------------------------------------------- */

typedef struct consumer {
    pmm_memory_walk *w;
    pmm_window_fn fn;
    void *ctx;
    uint64_t done, total;
} consumer;

/* One step: its counts, the callback, progress. PMM_OK to go on, PMM_END when the callback
 * stopped the walk, PMM_ERR_CANCELLED. */
static pmm_status consume(consumer *c, const step *s)
{
    pmm_memory_walk *w = c->w;
    w->regions += s->regions;
    w->bytes_read += s->got;
    if (s->fill && c->fn(c->ctx, s->buf, s->fill, s->window_addr, s->stream_end))
        return PMM_END;
    w->unreadable_bytes += s->unreadable_bytes;
    w->unreadable_pages += s->unreadable_pages;
    c->done += s->done;
    if (w->progress && w->progress(w->progress_ctx, c->done, c->total))
        return PMM_ERR_CANCELLED;
    return PMM_OK;
}

void pmm_memory_walk_init(pmm_memory_walk *walk, pmm_source *src, const pmm_map *map, const pmm_search_scope *scope,
                          size_t chunk_size, pmm_progress_fn progress, void *progress_ctx)
{
    memset(walk, 0, sizeof *walk);
    walk->src = src;
    walk->map = map;
    walk->scope = scope;
    walk->chunk_size = chunk_size ? chunk_size : PMM_SEARCH_DEFAULT_CHUNK;
    walk->progress = progress;
    walk->progress_ctx = progress_ctx;
}

pmm_status pmm_memory_walk_outcome(const pmm_memory_walk *walk, pmm_status st)
{
    return st == PMM_OK && pmm_source_alive(walk->src) == PMM_ERR_GONE ? PMM_ERR_GONE : st;
}

pmm_status pmm_memory_walk_run(pmm_memory_walk *w, pmm_window_fn fn, void *ctx)
{
    w->regions = w->bytes_read = w->unreadable_bytes = w->unreadable_pages = 0;
    if (!w->src || !w->map || !w->scope || !w->chunk_size || w->overlap > PMM_SEARCH_MAX_PATTERN)
        return PMM_ERR_ARG;
    step s;
    memset(&s, 0, sizeof s);
    reader r = {w, malloc(w->chunk_size + w->overlap), 0, 0, 0, 0, 0, 0};
    if (!r.own)
        return PMM_ERR_NOMEM;
    consumer c = {w, fn, ctx, 0, selected_bytes(w)};
    pmm_status st = PMM_OK;
    while (st == PMM_OK && reader_next(&r, &s))
        st = consume(&c, &s);
    free(r.own);
    return st == PMM_END ? PMM_OK : st;
}
