/* Page checksums: every committed page of the map, read through the source in chunks (one read
 * per chunk, not per page: a live read is a system call) and hashed page by page. Stretches the
 * source says it cannot read are passed in one step, so the work follows what a dump holds. */
#include "saved_map_pages.h"

#include <stdlib.h>
#include <string.h>
#include "../util/array.h"

#define CHUNK_PAGES 64

static pmm_status add_page(pmm_page_sums *sums, uint64_t address, uint64_t hash, pmm_page_status status)
{
    /* Regions of a damaged dump need not be page-aligned: a page two regions share counts once. */
    if (sums->count && address <= sums->items[sums->count - 1].address)
        return PMM_OK;
    pmm_status st = pmm_array_reserve((void **)&sums->items, &sums->cap, sums->count + 1, sizeof *sums->items);
    if (st == PMM_OK)
        sums->items[sums->count++] = (pmm_page_sum){address, hash, (uint32_t)status, 0};
    return st;
}

#define PAGE_MASK ((uint64_t)PMM_PAGE_SIZE - 1)

static uint64_t page_floor(uint64_t addr)
{
    return addr & ~PAGE_MASK;
}

/* The end of the last page a region touches; a region ending in the top page ends at its start. */
static uint64_t page_ceil(uint64_t addr)
{
    return addr > UINT64_MAX - PAGE_MASK ? page_floor(addr) : page_floor(addr + PAGE_MASK);
}

/* Hashes up to CHUNK_PAGES whole pages from *at (below end), in one read when they all read. A
 * short read hashes the pages it covered, marks the page where it stopped unreadable and moves
 * *at to where the source says bytes may be again: the next page, or past a stretch a dump does
 * not hold, whose pages get no entry (a page on one side only is no content change for a diff). */
static pmm_status hash_chunk(pmm_source *src, uint64_t *at, uint64_t end, uint8_t *buf, pmm_page_sums *sums)
{
    uint64_t left = (end - *at) / PMM_PAGE_SIZE;
    size_t want = left < CHUNK_PAGES ? (size_t)left : CHUNK_PAGES;
    size_t got = pmm_source_read(src, *at, buf, want * PMM_PAGE_SIZE);
    size_t full = got / PMM_PAGE_SIZE < want ? got / PMM_PAGE_SIZE : want;
    pmm_status st = PMM_OK;
    for (size_t i = 0; i < full && st == PMM_OK; i++)
        st = add_page(sums, *at + i * PMM_PAGE_SIZE, pmm_checksum64(buf + i * PMM_PAGE_SIZE, PMM_PAGE_SIZE),
                      PMM_PAGE_HASHED);
    *at += (uint64_t)full * PMM_PAGE_SIZE;
    if (st == PMM_OK && full < want) {
        st = add_page(sums, *at, 0, PMM_PAGE_UNREADABLE);
        *at = page_floor(pmm_source_next_readable(src, *at + PMM_PAGE_SIZE, end));
    }
    return st;
}

static pmm_status add_skipped(pmm_page_sums *sums, uint64_t from, uint64_t to)
{
    pmm_status st = PMM_OK;
    for (uint64_t at = from; at < to && st == PMM_OK; at += PMM_PAGE_SIZE)
        st = add_page(sums, at, 0, PMM_PAGE_SKIPPED);
    return st;
}

/* Pages not read on purpose are listed; of a file, only those it holds bytes for, so a dump's
 * claim of a vast no-access region costs nothing. */
static pmm_status skip_region(pmm_source *src, uint64_t first, uint64_t end, pmm_page_sums *sums)
{
    if (!pmm_source_knows_held(src))
        return add_skipped(sums, first, end);
    uint64_t at = first, held_start, held_end;
    pmm_status st = PMM_OK;
    while (st == PMM_OK && at < end && pmm_source_held_extent(src, at, &held_start, &held_end) == PMM_OK &&
           held_start < end) {   /* each pass moves past one held stretch */
        uint64_t to = page_ceil(held_end) < end ? page_ceil(held_end) : end;
        st = add_skipped(sums, page_floor(held_start), to);
        if (to <= at)
            break;
        at = to;
    }
    return st;
}

static pmm_status hash_region(pmm_source *src, const pmm_region *r, uint8_t *buf, pmm_page_sums *sums)
{
    uint64_t first = page_floor(r->base), end = page_ceil(r->base + r->size);
    if (!pmm_protect_is_readable(r->protect))   /* no access, guard pages, unknown: recorded as skipped */
        return skip_region(src, first, end, sums);
    uint64_t at = first;
    pmm_status st = PMM_OK;
    while (st == PMM_OK && at < end)   /* each pass moves at forward by at least one page */
        st = hash_chunk(src, &at, end, buf, sums);
    return st;
}

static uint64_t committed_bytes(const pmm_map *map)
{
    uint64_t total = 0;
    for (size_t i = 0; i < map->region_count; i++)
        if (map->regions[i].state == PMM_MEM_COMMIT)
            total += map->regions[i].size;
    return total;
}

pmm_status pmm_page_sums_compute(pmm_source *src, const pmm_map *map, pmm_progress_fn progress, void *progress_ctx,
                                 pmm_page_sums *out)
{
    memset(out, 0, sizeof *out);
    out->present = 1;
    uint8_t *buf = malloc(CHUNK_PAGES * PMM_PAGE_SIZE);
    if (!buf)
        return PMM_ERR_NOMEM;
    uint64_t total = committed_bytes(map), done = 0;
    pmm_status st = PMM_OK;
    for (size_t i = 0; i < map->region_count && st == PMM_OK; i++) {
        const pmm_region *r = &map->regions[i];
        if (r->state != PMM_MEM_COMMIT)
            continue;
        st = hash_region(src, r, buf, out);
        done += r->size;
        if (st == PMM_OK && progress && progress(progress_ctx, done, total))
            st = PMM_ERR_CANCELLED;
        if (st == PMM_OK && pmm_source_alive(src) == PMM_ERR_GONE)
            st = PMM_ERR_GONE;
    }
    free(buf);
    if (st != PMM_OK)
        pmm_page_sums_free(out);
    return st;
}

void pmm_page_sums_free(pmm_page_sums *sums)
{
    free(sums->items);
    memset(sums, 0, sizeof *sums);
}
