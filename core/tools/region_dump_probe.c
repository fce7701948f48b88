/* --read pages: the region list of a dump found by reading alone, never by asking the OS
 * (VirtualQueryEx), in the spirit of HiperDrop's page reader: a tool that lies about the
 * address space, or a query right we do not have, cannot hide memory that reads. Every page of
 * each span is read on its own; runs of readable pages become the regions, pages that fail are
 * listed as unreadable (see region_dump.h). */
#include "region_dump.h"

#include <stdlib.h>
#include <string.h>

#define ALIVE_CHECK_PAGES 4096u

static pmm_status add_page(pmm_dump_ranges *list, uint64_t page)
{
    return pmm_dump_ranges_add(list, page, PMM_PAGE_SIZE);
}

pmm_status pmm_dump_probe_pages(pmm_source *src, const pmm_dump_ranges *spans, pmm_dump_ranges *regions,
                                pmm_dump_ranges *unreadable, pmm_progress_fn progress, void *progress_ctx,
                                char *message, size_t message_cap)
{
    memset(regions, 0, sizeof *regions);
    memset(unreadable, 0, sizeof *unreadable);
    message[0] = '\0';
    uint64_t total = 0;
    for (size_t i = 0; i < spans->count; i++) {
        const pmm_dump_range *s = &spans->items[i];
        if (s->address % PMM_PAGE_SIZE || s->size % PMM_PAGE_SIZE || s->size == 0 || s->address + s->size < s->address ||
            (i > 0 && s->address < spans->items[i - 1].address + spans->items[i - 1].size)) {
            snprintf(message, message_cap, "--range: ranges must be page-aligned, non-empty, ascending and must "
                     "not overlap");
            return PMM_ERR_ARG;
        }
        total += s->size / PMM_PAGE_SIZE;
    }
    if (total > PMM_PROBE_MAX_PAGES) {
        snprintf(message, message_cap, "--read pages would read %llu pages one by one (at most %llu, 64 GiB): "
                 "give a smaller --range", (unsigned long long)total, (unsigned long long)PMM_PROBE_MAX_PAGES);
        return PMM_ERR_LIMIT;
    }
    uint8_t *page = malloc(PMM_PAGE_SIZE);
    if (!page)
        return PMM_ERR_NOMEM;
    pmm_status st = PMM_OK;
    uint64_t done = 0;
    for (size_t i = 0; i < spans->count && st == PMM_OK; i++) {
        const pmm_dump_range *s = &spans->items[i];
        for (uint64_t at = s->address; at < s->address + s->size && st == PMM_OK; at += PMM_PAGE_SIZE) {
            size_t got = pmm_source_read(src, at, page, PMM_PAGE_SIZE);
            /* Adjacent readable pages merge into one region (pmm_dump_ranges_add), so a region is a
             * maximal run of readable pages within a span. */
            st = add_page(got == PMM_PAGE_SIZE ? regions : unreadable, at);
            if (++done % ALIVE_CHECK_PAGES == 0) {
                if (pmm_source_alive(src) == PMM_ERR_GONE)
                    st = PMM_ERR_GONE;
                else if (progress && progress(progress_ctx, done, total))
                    st = PMM_ERR_CANCELLED;
            }
        }
    }
    free(page);
    if (st == PMM_OK && pmm_source_alive(src) == PMM_ERR_GONE)
        st = PMM_ERR_GONE;
    if (st != PMM_OK) {
        pmm_dump_ranges_free(regions);
        pmm_dump_ranges_free(unreadable);
        if (st == PMM_ERR_GONE)
            snprintf(message, message_cap, "the process exited during the dump; nothing was kept");
    }
    return st;
}
