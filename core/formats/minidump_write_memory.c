/* Page-exact copying of target memory into a sink (see minidump_write_memory.h). */
#include "minidump_write_memory.h"

#include <stdlib.h>
#include <string.h>

#define COPY_CHUNK (1u << 20)
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

pmm_status pmm_dump_copy(pmm_dump_copier *copier, uint64_t address, uint64_t size, pmm_sink *sink)
{
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
