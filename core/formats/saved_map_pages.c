/* Page checksums: every committed page of the map, read through the source in chunks (one read
 * per chunk, not per page: a live read is a system call) and hashed page by page. */
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

/* Hashes pages [addr, addr + pages * 4 KiB). A short read hashes the pages it covered, marks the
 * page where it stopped unreadable and goes on after it. */
static pmm_status hash_chunk(pmm_source *src, uint64_t addr, size_t pages, uint8_t *buf, pmm_page_sums *sums)
{
    size_t done = 0;
    while (done < pages) {   /* each pass adds at least one page */
        uint64_t at = addr + (uint64_t)done * PMM_PAGE_SIZE;
        size_t want = (pages - done) * PMM_PAGE_SIZE;
        size_t got = pmm_source_read(src, at, buf, want);
        size_t full = got / PMM_PAGE_SIZE;
        pmm_status st = PMM_OK;
        for (size_t i = 0; i < full && st == PMM_OK; i++)
            st = add_page(sums, at + i * PMM_PAGE_SIZE, pmm_checksum64(buf + i * PMM_PAGE_SIZE, PMM_PAGE_SIZE),
                          PMM_PAGE_HASHED);
        done += full;
        if (st == PMM_OK && done < pages) {
            st = add_page(sums, addr + (uint64_t)done * PMM_PAGE_SIZE, 0, PMM_PAGE_UNREADABLE);
            done++;
        }
        if (st != PMM_OK)
            return st;
    }
    return PMM_OK;
}

static pmm_status hash_region(pmm_source *src, const pmm_region *r, uint8_t *buf, pmm_page_sums *sums)
{
    uint64_t first = r->base & ~(uint64_t)(PMM_PAGE_SIZE - 1);
    uint64_t pages = (r->base + r->size - first + PMM_PAGE_SIZE - 1) / PMM_PAGE_SIZE;
    if (!pmm_protect_is_readable(r->protect)) {   /* no access, guard pages, unknown: recorded as skipped */
        for (uint64_t i = 0; i < pages; i++) {
            pmm_status st = add_page(sums, first + i * PMM_PAGE_SIZE, 0, PMM_PAGE_SKIPPED);
            if (st != PMM_OK)
                return st;
        }
        return PMM_OK;
    }
    for (uint64_t i = 0; i < pages; i += CHUNK_PAGES) {
        size_t n = pages - i < CHUNK_PAGES ? (size_t)(pages - i) : CHUNK_PAGES;
        pmm_status st = hash_chunk(src, first + i * PMM_PAGE_SIZE, n, buf, sums);
        if (st != PMM_OK)
            return st;
    }
    return PMM_OK;
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
