/* Page-exact copying of target memory into a sink (see dump_copy.h). */
#include "dump_copy.h"

#include <stdlib.h>
#include <string.h>
#include "../util/array.h"
#include "../util/thread.h"

#define COPY_CHUNK (1u << 20)
/* Large ranges are copied by two threads: one reads ahead into PIPE_SLOTS chunk buffers while the
 * caller writes, so a dump takes about max(read, write) instead of read + write. Below
 * PIPE_MIN_BYTES starting a thread costs more than it saves. */
#define PIPE_SLOTS 4u
#define PIPE_MIN_BYTES (8u << 20)
#define MAX_UNREADABLE_RANGES (16u * 1024 * 1024)

pmm_status pmm_dump_ranges_add(pmm_dump_ranges *ranges, uint64_t address, uint64_t size)
{
    if (size == 0)
        return PMM_OK;
    if (ranges->count) {
        pmm_dump_range *last = &ranges->items[ranges->count - 1];
        if (last->address + last->size == address) {
            last->size += size;
            return PMM_OK;
        }
    }
    if (ranges->count == ranges->cap) {
        if (ranges->cap >= MAX_UNREADABLE_RANGES)
            return PMM_ERR_LIMIT;
        size_t cap = ranges->cap ? ranges->cap * 2 : 64;
        pmm_dump_range *grown = realloc(ranges->items, cap * sizeof *grown);
        if (!grown)
            return PMM_ERR_NOMEM;
        ranges->items = grown;
        ranges->cap = cap;
    }
    ranges->items[ranges->count].address = address;
    ranges->items[ranges->count].size = size;
    ranges->count++;
    return PMM_OK;
}

void pmm_dump_ranges_free(pmm_dump_ranges *ranges)
{
    free(ranges->items);
    memset(ranges, 0, sizeof *ranges);
}

uint64_t pmm_dump_ranges_total(const pmm_dump_ranges *ranges)
{
    uint64_t total = 0;
    for (size_t i = 0; i < ranges->count; i++)
        total += ranges->items[i].size;
    return total;
}

static pmm_status push_range(pmm_dump_ranges *ranges, uint64_t address, uint64_t size)
{
    pmm_status st = pmm_array_reserve((void **)&ranges->items, &ranges->cap, ranges->count + 1, sizeof *ranges->items);
    if (st == PMM_OK)
        ranges->items[ranges->count++] = (pmm_dump_range){address, size};
    return st;
}

/* Appends the held parts of [address, address + size); each pass moves past one held stretch. */
static pmm_status keep_held_part(pmm_source *src, uint64_t address, uint64_t size, pmm_dump_ranges *out)
{
    uint64_t end = size > UINT64_MAX - address ? UINT64_MAX : address + size, at = address, start, stop;
    pmm_status st = PMM_OK;
    while (st == PMM_OK && at < end && pmm_source_held_extent(src, at, &start, &stop) == PMM_OK && start < end) {
        if (stop > end)
            stop = end;
        if (stop <= start)
            break;
        st = push_range(out, start, stop - start);
        at = stop;
    }
    return st;
}

pmm_status pmm_dump_ranges_keep_held(pmm_source *src, const pmm_dump_ranges *ranges, pmm_dump_ranges *out,
                                     uint64_t *left_out)
{
    memset(out, 0, sizeof *out);
    *left_out = 0;
    int held_only = pmm_source_knows_held(src);
    pmm_status st = PMM_OK;
    for (size_t i = 0; i < ranges->count && st == PMM_OK; i++) {
        const pmm_dump_range *r = &ranges->items[i];
        st = held_only ? keep_held_part(src, r->address, r->size, out) : push_range(out, r->address, r->size);
    }
    if (st != PMM_OK) {
        pmm_dump_ranges_free(out);
        return st;
    }
    *left_out = pmm_dump_ranges_total(ranges) - pmm_dump_ranges_total(out);
    return PMM_OK;
}

pmm_status pmm_dump_copier_init(pmm_dump_copier *copier, pmm_source *src, int page_reads)
{
    memset(copier, 0, sizeof *copier);
    copier->src = src;
    copier->page_reads = page_reads;
    copier->buffer_size = page_reads ? PMM_PAGE_SIZE : COPY_CHUNK;
    copier->buffer = malloc(copier->buffer_size);
    return copier->buffer ? PMM_OK : PMM_ERR_NOMEM;
}

void pmm_dump_copier_free(pmm_dump_copier *copier)
{
    free(copier->buffer);
    pmm_dump_ranges_free(&copier->unreadable);
    copier->buffer = NULL;
}

static size_t chunk_at(const pmm_dump_copier *copier, uint64_t address, uint64_t remaining)
{
    uint64_t n = remaining < copier->buffer_size ? remaining : copier->buffer_size;
    if (copier->page_reads) {
        uint64_t to_page_end = PMM_PAGE_SIZE - address % PMM_PAGE_SIZE;
        if (n > to_page_end)
            n = to_page_end;
    }
    return (size_t)n;
}

/* The page at address could not be read: zeros to the next page boundary keep the layout. */
static pmm_status fill_unreadable(pmm_dump_copier *copier, uint64_t address, uint64_t remaining,
                                  pmm_sink *sink, uint64_t *filled)
{
    if (pmm_source_alive(copier->src) == PMM_ERR_GONE)
        return PMM_ERR_GONE;
    uint64_t n = PMM_PAGE_SIZE - address % PMM_PAGE_SIZE;
    if (n > remaining)
        n = remaining;
    pmm_status st = pmm_dump_ranges_add(&copier->unreadable, address, n);
    if (st != PMM_OK)
        return st;
    *filled = n;
    return pmm_sink_write_zeros(sink, n);
}

/* Bytes the copy skips after a short read that ended at `at`: the rest of that page (zero-filled
 * by fill_unreadable), capped by what remains. Reader and writer both use it, so they agree. */
static uint64_t unreadable_span(uint64_t at, uint64_t remaining)
{
    uint64_t n = PMM_PAGE_SIZE - at % PMM_PAGE_SIZE;
    return n > remaining ? remaining : n;
}

typedef struct copy_slot {
    uint8_t *data;
    uint64_t at;
    size_t want, got;
} copy_slot;

typedef struct copy_pipe {
    pmm_dump_copier *copier;
    uint64_t address, size;
    pmm_monitor *monitor;
    copy_slot slots[PIPE_SLOTS];
    uint64_t filled, taken;   /* slots handed over by the reader / released by the writer */
    int stop, finished;
} copy_pipe;

static void pipe_reader(void *arg)
{
    copy_pipe *p = arg;
    uint64_t done = 0;
    while (done < p->size) {
        pmm_monitor_lock(p->monitor);
        while (p->filled - p->taken == PIPE_SLOTS && !p->stop)
            pmm_monitor_wait(p->monitor);
        int stop = p->stop;
        copy_slot *slot = &p->slots[p->filled % PIPE_SLOTS];
        pmm_monitor_unlock(p->monitor);
        if (stop)
            break;
        uint64_t at = p->address + done;
        size_t want = chunk_at(p->copier, at, p->size - done);
        size_t got = pmm_source_read(p->copier->src, at, slot->data, want);
        if (got > want)
            got = 0;   /* a source breaking its contract: trust none of it */
        slot->at = at;
        slot->want = want;
        slot->got = got;
        done += got;
        if (got < want)
            done += unreadable_span(at + got, p->size - done);
        pmm_monitor_lock(p->monitor);
        p->filled++;
        pmm_monitor_notify_all(p->monitor);
        pmm_monitor_unlock(p->monitor);
    }
    pmm_monitor_lock(p->monitor);
    p->finished = 1;
    pmm_monitor_notify_all(p->monitor);
    pmm_monitor_unlock(p->monitor);
}

/* The writer's side: takes the reader's chunks in order and does what the sequential copy does. */
static pmm_status pipe_write(copy_pipe *p, pmm_sink *sink)
{
    pmm_dump_copier *copier = p->copier;
    uint64_t done = 0;
    pmm_status st = PMM_OK;
    while (done < p->size && st == PMM_OK) {
        pmm_monitor_lock(p->monitor);
        while (p->taken == p->filled && !p->finished)
            pmm_monitor_wait(p->monitor);
        int empty = p->taken == p->filled;
        copy_slot *slot = &p->slots[p->taken % PIPE_SLOTS];
        pmm_monitor_unlock(p->monitor);
        if (empty)
            return PMM_ERR_ARG;   /* the reader stopped early: cannot happen unless told to */
        uint64_t before = done;
        st = pmm_sink_write(sink, slot->data, slot->got);
        done += slot->got;
        if (st == PMM_OK && slot->got < slot->want) {
            uint64_t filled = 0;
            st = fill_unreadable(copier, slot->at + slot->got, p->size - done, sink, &filled);
            done += filled;
        }
        copier->done += done - before;
        if (st == PMM_OK && copier->progress && copier->progress(copier->progress_ctx, copier->done, copier->total))
            st = PMM_ERR_CANCELLED;
        pmm_monitor_lock(p->monitor);
        p->taken++;
        pmm_monitor_notify_all(p->monitor);
        pmm_monitor_unlock(p->monitor);
    }
    return st;
}

/* PMM_ERR_UNSUPPORTED when no thread or buffers could be had: the caller copies sequentially. */
static pmm_status copy_pipelined(pmm_dump_copier *copier, uint64_t address, uint64_t size, pmm_sink *sink)
{
    copy_pipe p;
    memset(&p, 0, sizeof p);
    p.copier = copier;
    p.address = address;
    p.size = size;
    p.monitor = pmm_monitor_new();
    int ok = p.monitor != NULL;
    for (unsigned i = 0; i < PIPE_SLOTS && ok; i++)
        ok = (p.slots[i].data = malloc(copier->buffer_size)) != NULL;
    pmm_thread *thread = ok ? pmm_thread_start(pipe_reader, &p) : NULL;
    pmm_status st = PMM_ERR_UNSUPPORTED;
    if (thread) {
        st = pipe_write(&p, sink);
        pmm_monitor_lock(p.monitor);
        p.stop = 1;
        pmm_monitor_notify_all(p.monitor);
        pmm_monitor_unlock(p.monitor);
        pmm_thread_join(thread);
    }
    for (unsigned i = 0; i < PIPE_SLOTS; i++)
        free(p.slots[i].data);
    if (p.monitor)
        pmm_monitor_free(p.monitor);
    return st;
}

pmm_status pmm_dump_copy(pmm_dump_copier *copier, uint64_t address, uint64_t size, pmm_sink *sink)
{
    if (!copier->page_reads && size >= PIPE_MIN_BYTES && sink->error == PMM_OK) {
        pmm_status st = copy_pipelined(copier, address, size, sink);
        if (st != PMM_ERR_UNSUPPORTED)
            return st != PMM_OK ? st : sink->error;
    }
    uint64_t done = 0;
    /* Bounded: every pass advances by at least one byte (a read or a zero-filled page part). */
    while (done < size) {
        if (sink->error != PMM_OK)
            return sink->error;
        uint64_t before = done, at = address + done;
        size_t want = chunk_at(copier, at, size - done);
        size_t got = pmm_source_read(copier->src, at, copier->buffer, want);
        if (got > want)
            got = 0;   /* a source breaking its contract: trust none of it */
        pmm_status st = pmm_sink_write(sink, copier->buffer, got);
        if (st != PMM_OK)
            return st;
        done += got;
        if (got < want) {
            uint64_t filled = 0;
            st = fill_unreadable(copier, address + done, size - done, sink, &filled);
            if (st != PMM_OK)
                return st;
            done += filled;
        }
        copier->done += done - before;
        if (copier->progress && copier->progress(copier->progress_ctx, copier->done, copier->total))
            return PMM_ERR_CANCELLED;
    }
    return PMM_OK;
}
