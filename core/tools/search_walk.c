/* Reads the selected memory of a target as streams: adjacent selected regions form one span, read
 * in windows of chunk_size new bytes plus the last `overlap` bytes of the previous window. A read
 * that comes back short ends the stream there; the failing page is skipped and counted, and a new
 * stream starts on the next page.
 *
 * The reading is a sequence of steps (one read each) that the caller's side consumes in order.
 * With PMM_WALK_THREADED a reader thread runs the steps a few ahead into a ring of buffers, so
 * the time the callback spends on one window overlaps the wait for the next read; the callback,
 * the counts and progress stay on the calling thread, in the same order as without the thread. */
#include "search.h"

#include <stdlib.h>
#include <string.h>
#include "../util/thread.h"

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

/* What one read produced: a window for the callback and the counts that go with it. The caller's
 * side adds the counts as it consumes the step, so a stop counts exactly what was examined. */
typedef struct step {
    uint8_t *buf;            /* the window: buf[0..fill) at window_addr */
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
    pmm_monitor *source_lock;  /* threaded: held around each read (see pmm_memory_walk_hold_source) */
    size_t next_region;      /* where to look for the next span */
    int in_span;
    uint64_t next, end;      /* the part of the current span not read yet */
    uint64_t window_addr;    /* of the next window */
    size_t keep;             /* bytes the next window takes from the end of the previous one */
} reader;

static size_t read_source(reader *r, uint64_t addr, uint8_t *buf, size_t len)
{
    if (r->source_lock)
        pmm_monitor_lock(r->source_lock);
    size_t got = pmm_source_read(r->w->src, addr, buf, len);
    if (r->source_lock)
        pmm_monitor_unlock(r->source_lock);
    return got > len ? len : got;   /* a source that claims more than it was asked for is not believed */
}

/* Reads the next step into buf (chunk_size + overlap bytes), which starts with the last r->keep
 * bytes of prev's window (prev may use buf itself). 0 when every span has been read. Each step
 * moves forward by at least one byte (a full read) or to the next page (a failed one). */
static int reader_next(reader *r, const step *prev, uint8_t *buf, step *out)
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
    if (fill)
        memmove(buf, prev->buf + prev->fill - fill, fill);
    uint64_t left = r->end - r->next;
    size_t want = left < w->chunk_size ? (size_t)left : w->chunk_size;
    size_t got = read_source(r, r->next, buf + fill, want);
    fill += got;
    r->next += got;
    step s = {buf, fill, r->window_addr, got < want || r->next == r->end, regions, got, 0, 0, got};
    if (got < want) {
        /* The page holding r->next cannot be read: skip to the next page boundary (or the end). */
        uint64_t resume = (r->next | (PMM_PAGE_SIZE - 1)) + 1;
        if (resume > r->end || resume == 0)
            resume = r->end;
        s.unreadable_bytes = resume - r->next;
        s.unreadable_pages = 1;
        s.done += resume - r->next;
        r->next = r->window_addr = resume;
        r->keep = 0;
    } else {
        r->keep = fill < w->overlap ? fill : w->overlap;
        r->window_addr += fill - r->keep;
    }
    if (r->next >= r->end)
        r->in_span = 0;
    *out = s;
    return 1;
}

/* ---- the caller's side ------------------------------------------------------------------------ */

typedef struct consumer {
    pmm_memory_walk *w;
    pmm_window_fn fn;
    void *ctx;
    uint64_t done, total;
} consumer;

struct pmm_walk_pipeline {
    pmm_monitor *source_lock;
    int held;                /* the calling thread holds source_lock (set by hold_source) */
};

void pmm_memory_walk_hold_source(pmm_memory_walk *walk)
{
    struct pmm_walk_pipeline *p = walk ? walk->pipeline : NULL;
    if (p && p->source_lock && !p->held) {
        pmm_monitor_lock(p->source_lock);
        p->held = 1;
    }
}

static void release_source(pmm_memory_walk *w)
{
    struct pmm_walk_pipeline *p = w->pipeline;
    if (p && p->held) {
        p->held = 0;
        pmm_monitor_unlock(p->source_lock);
    }
}

/* One step: its counts, the callback, progress. PMM_OK to go on, PMM_END when the callback
 * stopped the walk, PMM_ERR_CANCELLED. */
static pmm_status consume(consumer *c, const step *s)
{
    pmm_memory_walk *w = c->w;
    w->regions += s->regions;
    w->bytes_read += s->got;
    int stop = s->fill && c->fn(c->ctx, s->buf, s->fill, s->window_addr, s->stream_end);
    release_source(w);
    if (stop)
        return PMM_END;
    w->unreadable_bytes += s->unreadable_bytes;
    w->unreadable_pages += s->unreadable_pages;
    c->done += s->done;
    if (w->progress && w->progress(w->progress_ctx, c->done, c->total))
        return PMM_ERR_CANCELLED;
    return PMM_OK;
}

static pmm_status run_sequential(consumer *c)
{
    pmm_memory_walk *w = c->w;
    uint8_t *buf = malloc(w->chunk_size + w->overlap);
    if (!buf)
        return PMM_ERR_NOMEM;
    reader r = {w, NULL, 0, 0, 0, 0, 0, 0};
    step s;
    memset(&s, 0, sizeof s);
    pmm_status st = PMM_OK;
    while (st == PMM_OK && reader_next(&r, &s, buf, &s))
        st = consume(c, &s);
    free(buf);
    return st;
}

/* ---- the reader thread ------------------------------------------------------------------------ */

/* A ring of buffers, handed over in batches: a side that waits for the other sleeps until BATCH
 * steps (or free buffers) are there, not just one, so a gigabyte costs a few hundred sleeps and
 * wake-ups rather than one per chunk (each a pair of system calls and a context switch). */
#define SLOTS 8
#define BATCH 4

typedef struct pipeline {
    struct pmm_walk_pipeline shared;
    reader r;
    pmm_monitor *handoff;    /* guards the fields below */
    uint8_t *buf[SLOTS];
    step steps[SLOTS];       /* step n lives in steps[n % SLOTS] */
    uint64_t produced, consumed;
    int finished, stop;
    int reader_waiting, consumer_waiting;
} pipeline;

static void reader_thread(void *arg)
{
    pipeline *p = arg;
    for (;;) {
        pmm_monitor_lock(p->handoff);
        while (!p->stop && p->produced - p->consumed >= SLOTS) {
            p->reader_waiting = 1;
            pmm_monitor_wait(p->handoff);
            p->reader_waiting = 0;
        }
        int stop = p->stop;
        uint64_t n = p->produced;
        pmm_monitor_unlock(p->handoff);
        if (stop)
            return;
        /* Step n - 1 is the caller's to read too, never to change: taking its tail is safe. */
        int more = reader_next(&p->r, &p->steps[(n + SLOTS - 1) % SLOTS], p->buf[n % SLOTS], &p->steps[n % SLOTS]);
        pmm_monitor_lock(p->handoff);
        if (more)
            p->produced++;
        else
            p->finished = 1;
        if (p->consumer_waiting && (p->finished || p->produced - p->consumed >= BATCH))
            pmm_monitor_notify_all(p->handoff);
        pmm_monitor_unlock(p->handoff);
        if (!more)
            return;
    }
}

static void pipeline_free(pipeline *p)
{
    for (int i = 0; i < SLOTS; i++)
        free(p->buf[i]);
    pmm_monitor_free(p->handoff);
    pmm_monitor_free(p->shared.source_lock);
    free(p);
}

/* PMM_ERR_UNSUPPORTED when no thread could be set up: nothing has been read then. */
static pmm_status run_threaded(consumer *c)
{
    pmm_memory_walk *w = c->w;
    pipeline *p = calloc(1, sizeof *p);
    if (!p)
        return PMM_ERR_UNSUPPORTED;
    int ok = (p->handoff = pmm_monitor_new()) != NULL && (p->shared.source_lock = pmm_monitor_new()) != NULL;
    for (int i = 0; ok && i < SLOTS; i++)
        ok = (p->buf[i] = malloc(w->chunk_size + w->overlap)) != NULL;
    reader r = {w, p->shared.source_lock, 0, 0, 0, 0, 0, 0};
    p->r = r;
    pmm_thread *thread = ok ? pmm_thread_start(reader_thread, p) : NULL;
    if (!thread) {
        pipeline_free(p);
        return PMM_ERR_UNSUPPORTED;
    }
    w->pipeline = &p->shared;
    pmm_status st = PMM_OK;
    for (;;) {
        pmm_monitor_lock(p->handoff);
        while (p->produced - p->consumed < BATCH && !p->finished) {
            p->consumer_waiting = 1;
            pmm_monitor_wait(p->handoff);
            p->consumer_waiting = 0;
        }
        int have = p->consumed < p->produced;
        pmm_monitor_unlock(p->handoff);
        if (!have)
            break;
        st = consume(c, &p->steps[p->consumed % SLOTS]);
        pmm_monitor_lock(p->handoff);
        p->consumed++;
        if (p->reader_waiting && SLOTS - (p->produced - p->consumed) >= BATCH)
            pmm_monitor_notify_all(p->handoff);
        pmm_monitor_unlock(p->handoff);
        if (st != PMM_OK)
            break;
    }
    pmm_monitor_lock(p->handoff);
    p->stop = 1;
    pmm_monitor_notify_all(p->handoff);
    pmm_monitor_unlock(p->handoff);
    pmm_thread_join(thread);
    w->pipeline = NULL;
    pipeline_free(p);
    return st;
}

pmm_status pmm_memory_walk_run(pmm_memory_walk *w, pmm_window_fn fn, void *ctx)
{
    w->regions = w->bytes_read = w->unreadable_bytes = w->unreadable_pages = 0;
    w->pipeline = NULL;
    if (!w->src || !w->map || !w->scope || !w->chunk_size || w->overlap > PMM_SEARCH_MAX_PATTERN)
        return PMM_ERR_ARG;
    consumer c = {w, fn, ctx, 0, selected_bytes(w)};
    pmm_status st = PMM_ERR_UNSUPPORTED;
    /* Auto reads on the calling thread. Measured under Wine on two shared cores
     * (tests/bench/bench_search.c), the reader thread cost the process 100 to 250 ms more CPU per
     * GiB than reading in place, more than the matcher's ~50 ms it could hide, and the search was
     * no faster with it. PMM_WALK_THREADED keeps it available (and tested) for callers whose
     * reads are slow and whose window work is heavy. */
    if (w->threading == PMM_WALK_THREADED)
        st = run_threaded(&c);
    if (st == PMM_ERR_UNSUPPORTED)
        st = run_sequential(&c);
    return st == PMM_END ? PMM_OK : st;
}
