/* The dumped bytes: a sorted, non-overlapping index from target address to file offset. */
#include "minidump_layout.h"

#include <stdlib.h>

static int compare_ranges(const void *a, const void *b)
{
    const pmm_md_memory_range *x = a, *y = b;
    if (x->address != y->address)
        return x->address < y->address ? -1 : 1;
    /* Of two ranges at one address keep the one with more bytes in the file first. */
    return (x->available < y->available) - (x->available > y->available);
}

/* Clips a range so address + size does not wrap past the top of the address space. */
static void clip_to_address_space(pmm_md_memory_range *r)
{
    uint64_t room = UINT64_MAX - r->address;
    if (r->size > room)
        r->size = room;
    if (r->available > r->size)
        r->available = r->size;
}

/* Drops the first skip bytes of a range. */
static void drop_front(pmm_md_memory_range *r, uint64_t skip)
{
    r->address += skip;
    r->size -= skip;
    r->file_offset += skip;
    r->available = r->available > skip ? r->available - skip : 0;
}

size_t md_normalize_ranges(pmm_md_memory_range *ranges, size_t *count)
{
    size_t n = *count, kept = 0, changed = 0;
    for (size_t i = 0; i < n; i++)
        clip_to_address_space(&ranges[i]);
    if (n > 1)  /* qsort must not see the NULL of an empty list */
        qsort(ranges, n, sizeof *ranges, compare_ranges);
    for (size_t i = 0; i < n; i++) {
        pmm_md_memory_range r = ranges[i];
        if (kept > 0) {
            const pmm_md_memory_range *prev = &ranges[kept - 1];
            uint64_t prev_end = prev->address + prev->size;
            if (r.address < prev_end) {
                /* Stack ranges of ThreadList usually repeat MemoryList ones: not worth a warning. */
                int duplicate = r.address == prev->address && r.size == prev->size;
                changed += !duplicate;
                uint64_t overlap = prev_end - r.address;
                if (overlap >= r.size)
                    continue;
                drop_front(&r, overlap);
            }
        }
        if (r.size == 0) {
            changed++;
            continue;
        }
        ranges[kept++] = r;
    }
    *count = kept;
    return changed;
}

/* Index of the last range starting at or below addr, or count when none does. */
static size_t find_range(const pmm_md_memory_range *ranges, size_t count, uint64_t addr)
{
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ranges[mid].address <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo == 0 ? count : lo - 1;
}

size_t md_read_ranges(pmm_minidump *md, const pmm_md_memory_range *ranges, size_t count, uint64_t addr,
                      void *buf, size_t len)
{
    size_t i = find_range(ranges, count, addr);
    if (i == count)
        return 0;
    uint8_t *out = buf;
    size_t done = 0;
    /* Each step consumes one range, so the loop ends after at most count steps. */
    for (; i < count && done < len; i++) {
        const pmm_md_memory_range *r = &ranges[i];
        uint64_t at = addr + done;
        if (at < r->address || at - r->address >= r->available)
            break;  /* a gap, or bytes the file does not hold */
        uint64_t left = r->available - (at - r->address);
        size_t chunk = left < len - done ? (size_t)left : len - done;
        if (pmm_md_read_at(md, r->file_offset + (at - r->address), out + done, chunk) != PMM_OK)
            break;
        done += chunk;
        if (at - r->address + chunk < r->size)
            break;  /* stopped inside this range: either done, or its file bytes ran out */
    }
    return done;
}

pmm_status md_held_ranges(const pmm_md_memory_range *ranges, size_t count, pmm_md_memory_range **out,
                          size_t *out_count)
{
    *out = NULL;
    *out_count = 0;
    size_t n = 0;
    for (size_t i = 0; i < count; i++)
        n += ranges[i].available > 0;
    if (n == 0)
        return PMM_OK;
    pmm_md_memory_range *held = malloc(n * sizeof *held);
    if (!held)
        return PMM_ERR_NOMEM;
    n = 0;
    for (size_t i = 0; i < count; i++) {
        if (ranges[i].available == 0)
            continue;
        held[n] = ranges[i];
        held[n].size = held[n].available;
        n++;
    }
    *out = held;
    *out_count = n;
    return PMM_OK;
}

pmm_status md_held_extent(const pmm_md_memory_range *held, size_t count, uint64_t addr, uint64_t *start,
                          uint64_t *end)
{
    size_t i = find_range(held, count, addr);
    if (i == count)
        i = 0;   /* addr lies below every range: the first one is next */
    else if (addr - held[i].address >= held[i].size)
        i++;     /* addr lies past this range's end: the next one is next */
    if (i == count)
        return PMM_END;
    const pmm_md_memory_range *r = &held[i];
    *start = r->address > addr ? r->address : addr;
    *end = r->address + r->size;
    return PMM_OK;
}

size_t md_borrow_ranges(pmm_minidump *md, const pmm_md_memory_range *ranges, size_t count, uint64_t addr,
                        size_t len, const uint8_t **out)
{
    size_t i = find_range(ranges, count, addr);
    const uint8_t *first = NULL;
    size_t done = 0;
    /* As md_read_ranges, and only while the bytes are also contiguous in the file (Memory64List
     * stores adjacent ranges back to back). */
    for (; i < count && done < len; i++) {
        const pmm_md_memory_range *r = &ranges[i];
        uint64_t at = addr + done;
        if (at < r->address || at - r->address >= r->available)
            break;
        uint64_t left = r->available - (at - r->address);
        size_t chunk = left < len - done ? (size_t)left : len - done;
        const uint8_t *p = pmm_md_bytes_at(md, r->file_offset + (at - r->address), chunk);
        if (!p || (first && p != first + done))
            break;
        if (!first)
            first = p;
        done += chunk;
        if (at - r->address + chunk < r->size)
            break;
    }
    *out = first;
    return first ? done : 0;
}
