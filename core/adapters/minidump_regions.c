/* The region list of a minidump: MemoryInfoList cleaned up, or, when a dump lacks it, regions built
 * from what the dump does hold (modules and memory ranges). */
#include "minidump_layout.h"

#include <stdlib.h>
#include <string.h>
#include "../util/array.h"

/* By base; of two at one base the smaller first, so the larger is the one clipped away. */
static int compare_regions(const void *a, const void *b)
{
    const pmm_region_info *x = a, *y = b;
    if (x->base != y->base)
        return x->base < y->base ? -1 : 1;
    return (x->size > y->size) - (x->size < y->size);
}

/* Clips r to the address space [0, top) (top 0: the whole 64-bit space); 0 when nothing is left. */
static int clip_to_space(pmm_region_info *r, uint64_t top)
{
    uint64_t limit = top ? top : UINT64_MAX;
    if (r->base >= limit)
        return 0;
    if (r->size > limit - r->base)
        r->size = limit - r->base;
    return 1;
}

/* Base of the first non-empty entry after i, or UINT64_MAX. */
static uint64_t next_base(const pmm_region_info *regions, size_t n, size_t i)
{
    for (size_t j = i + 1; j < n; j++)
        if (regions[j].size)
            return regions[j].base;
    return UINT64_MAX;
}

void md_normalize_regions(pmm_region_info *regions, size_t *count, uint64_t top, md_region_damage *damage)
{
    memset(damage, 0, sizeof *damage);
    size_t n = *count, kept = 0;
    if (n > 1)
        qsort(regions, n, sizeof *regions, compare_regions);
    for (size_t i = 0; i < n; i++) {
        pmm_region_info r = regions[i];
        if (r.size == 0) {
            damage->empty++;
            continue;
        }
        int inside = clip_to_space(&r, top);
        if (!inside || r.size != regions[i].size) {
            if (damage->outside++ == 0)
                damage->first_outside = regions[i];
            if (!inside)
                continue;
        }
        /* Entries are sorted by base: the next one says where this one must end. Entries
         * before this one were written to regions[0..kept), so regions[i + 1..] are intact. */
        uint64_t next = next_base(regions, n, i);
        if (next < r.base + r.size) {
            if (damage->overlapping++ == 0)
                damage->first_overlapping = regions[i];
            r.size = next - r.base;
            if (r.size == 0)
                continue;
        }
        regions[kept++] = r;
    }
    *count = kept;
}

size_t md_find_region(const pmm_region_info *regions, size_t count, uint64_t addr)
{
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (regions[mid].base + regions[mid].size <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

typedef struct span {
    uint64_t start, end;   /* [start, end) */
} span;

typedef struct span_list {
    span *items;
    size_t count, cap;
} span_list;

static pmm_status span_push(span_list *list, uint64_t start, uint64_t end)
{
    pmm_status st = pmm_array_reserve((void **)&list->items, &list->cap, list->count + 1, sizeof *list->items);
    if (st == PMM_OK)
        list->items[list->count++] = (span){start, end};
    return st;
}

static int compare_spans(const void *a, const void *b)
{
    const span *x = a, *y = b;
    return (x->start > y->start) - (x->start < y->start);
}

/* Module images, sorted; an image overlapping an earlier one is dropped (a corrupt list). */
static pmm_status image_spans(const pmm_md_module *modules, size_t count, span_list *out)
{
    for (size_t i = 0; i < count; i++) {
        uint64_t base = modules[i].base, size = modules[i].size;
        if (size == 0 || size > UINT64_MAX - base)
            continue;
        pmm_status st = span_push(out, base, base + size);
        if (st != PMM_OK)
            return st;
    }
    if (out->count > 1)
        qsort(out->items, out->count, sizeof *out->items, compare_spans);
    size_t kept = 0;
    for (size_t i = 0; i < out->count; i++)
        if (kept == 0 || out->items[i].start >= out->items[kept - 1].end)
            out->items[kept++] = out->items[i];
    out->count = kept;
    return PMM_OK;
}

/* Memory ranges widened to whole pages, since regions are page-granular; ranges sharing a page
 * merge. Input ranges are sorted, so the output is too. */
static pmm_status data_spans(const pmm_md_memory_range *ranges, size_t count, span_list *out)
{
    const uint64_t page_mask = PMM_PAGE_SIZE - 1;
    for (size_t i = 0; i < count; i++) {
        uint64_t start = ranges[i].address & ~page_mask;
        uint64_t end = ranges[i].address + ranges[i].size;   /* normalized: does not wrap */
        end = end > UINT64_MAX - page_mask ? (UINT64_MAX & ~page_mask) : (end + page_mask) & ~page_mask;
        if (end <= start)
            continue;
        if (out->count > 0 && start < out->items[out->count - 1].end) {
            if (end > out->items[out->count - 1].end)
                out->items[out->count - 1].end = end;
            continue;
        }
        pmm_status st = span_push(out, start, end);
        if (st != PMM_OK)
            return st;
    }
    return PMM_OK;
}

static pmm_region_info image_region(const span *s)
{
    pmm_region_info r;
    memset(&r, 0, sizeof r);
    r.base = s->start;
    r.size = s->end - s->start;
    r.alloc_base = s->start;
    r.alloc_protect = PMM_PAGE_EXECUTE_WRITECOPY;  /* every image mapping is created so */
    r.state = PMM_MEM_COMMIT;
    r.type = PMM_MEM_IMAGE;
    /* protect stays 0: the dump does not say how each page is protected */
    return r;
}

static pmm_region_info data_region(uint64_t start, uint64_t end)
{
    pmm_region_info r;
    memset(&r, 0, sizeof r);
    r.base = start;
    r.size = end - start;
    r.alloc_base = start;
    r.state = PMM_MEM_COMMIT;
    r.type = PMM_MEM_PRIVATE;
    return r;
}

typedef struct region_list {
    pmm_region_info *items;
    size_t count, cap;
} region_list;

static pmm_status region_push(region_list *list, pmm_region_info r)
{
    pmm_status st = pmm_array_reserve((void **)&list->items, &list->cap, list->count + 1, sizeof *list->items);
    if (st == PMM_OK)
        list->items[list->count++] = r;
    return st;
}

/* Walks data spans and images in address order: images become image regions, and the parts of
 * data spans outside every image become private regions. Both lists are sorted and each is
 * non-overlapping, so one merge pass does it. */
static pmm_status merge_spans(const span_list *images, const span_list *data, region_list *out)
{
    size_t im = 0;
    pmm_status st = PMM_OK;
    for (size_t d = 0; d < data->count && st == PMM_OK; d++) {
        uint64_t cur = data->items[d].start, end = data->items[d].end;
        while (cur < end && st == PMM_OK) {
            while (im < images->count && images->items[im].end <= cur) {
                st = region_push(out, image_region(&images->items[im]));
                im++;
                if (st != PMM_OK)
                    return st;
            }
            if (im == images->count || images->items[im].start >= end) {
                st = region_push(out, data_region(cur, end));
                break;
            }
            if (images->items[im].start > cur)
                st = region_push(out, data_region(cur, images->items[im].start));
            cur = images->items[im].end;   /* skip the image's span; it is emitted above */
        }
    }
    for (; im < images->count && st == PMM_OK; im++)
        st = region_push(out, image_region(&images->items[im]));
    return st;
}

pmm_status md_synthesize_regions(const pmm_md_module *modules, size_t module_count,
                                 const pmm_md_memory_range *ranges, size_t range_count, pmm_region_info **out,
                                 size_t *count)
{
    span_list images = {0}, data = {0};
    region_list regions = {0};
    pmm_status st = image_spans(modules, module_count, &images);
    if (st == PMM_OK)
        st = data_spans(ranges, range_count, &data);
    if (st == PMM_OK)
        st = merge_spans(&images, &data, &regions);
    free(images.items);
    free(data.items);
    if (st != PMM_OK) {
        free(regions.items);
        return st;
    }
    *out = regions.items;
    *count = regions.count;
    return PMM_OK;
}
