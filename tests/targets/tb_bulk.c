/* --allocations N: many separate allocations, for the 100,000-allocation scan benchmark.
 *
 * Each allocation is its own VirtualAlloc (its own allocation base), one allocation granule
 * (64 KiB) in size, placed side by side in the free ranges of at least 16 MiB, lowest first. That
 * layout is chosen for Wine: every Windows view is a Linux mapping, and Linux allows only
 * vm.max_map_count (65530 by default) of them per process. 4 KiB allocations scattered by
 * VirtualAlloc(NULL, ...) run out after about 38,000; adjacent whole-granule allocations with the
 * same protection merge into one Linux mapping, so 100,000 fit. For the same reason the kind of
 * allocation (reserved, or committed with some protection) changes only every
 * TB_BULK_RUN_LENGTH allocations, not every time.
 *
 * A 32-bit target can't hold 100,000 granules (6.4 GB; under Wine only about 480 MB of its
 * address space is free at all); it stops with TB_BULK_HEADROOM of free address space left, so
 * the rest of the program (the JSON writer's malloc) still works, and reports how many it made.
 */
#include "target_basic.h"

#include <string.h>

#define TB_BULK_HEADROOM ((uint64_t)64 * 1024 * 1024)
#ifdef _WIN64
#define TB_BULK_LOWEST_64 ((uintptr_t)1 << 32)
#endif

typedef struct bulk_kind {
    DWORD type;
    DWORD protect;
} bulk_kind;

/* Half reserved, half committed: 100,000 committed granules would charge 6.4 GB of commit on
 * Windows. Untouched committed pages cost no RAM on either system. */
static const bulk_kind bulk_kinds[TB_BULK_KIND_COUNT] = {
    { MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE },
    { MEM_RESERVE, PAGE_READWRITE },
    { MEM_COMMIT | MEM_RESERVE, PAGE_READONLY },
    { MEM_RESERVE, PAGE_READWRITE },
    { MEM_COMMIT | MEM_RESERVE, PAGE_EXECUTE_READ },
    { MEM_RESERVE, PAGE_READWRITE },
};

#define TB_BULK_MIN_FREE_RANGE ((uintptr_t)16 * 1024 * 1024)

/* Calls visit(start, end) for every free range, aligned inward to whole granules, in address
 * order. Returns the total of those ranges. The walk continues from each range's end, so visit
 * may allocate inside the range it was given. */
typedef void (*free_range_visitor)(tb_bulk *b, uintptr_t start, uintptr_t end, uint64_t budget);

static uint64_t walk_free_ranges(tb_bulk *b, free_range_visitor visit, uint64_t budget)
{
    SYSTEM_INFO info;
    GetSystemInfo(&info);
    uintptr_t g = info.dwAllocationGranularity;
    uintptr_t address = (uintptr_t)info.lpMinimumApplicationAddress;
#ifdef _WIN64
    /* Keep out of the low 4 GB: Wine puts TEBs and other 32-bit-addressable memory there, and
     * Windows programs ask for it with zero_bits; a benchmark target should not starve them. */
    if (address < TB_BULK_LOWEST_64)
        address = TB_BULK_LOWEST_64;
#endif
    uintptr_t limit = (uintptr_t)info.lpMaximumApplicationAddress;
    uint64_t total = 0;
    while (address < limit) {
        MEMORY_BASIC_INFORMATION mbi;
        if (!VirtualQuery((void *)address, &mbi, sizeof mbi) || mbi.RegionSize == 0)
            break;
        uintptr_t region_end = (uintptr_t)mbi.BaseAddress + mbi.RegionSize;
        if (mbi.State == MEM_FREE) {
            uintptr_t start = ((uintptr_t)mbi.BaseAddress + g - 1) & ~(g - 1);
            /* lpMaximumApplicationAddress is the last usable byte, hence the + 1. */
            uintptr_t end = (region_end - 1 < limit ? region_end : limit + 1) & ~(g - 1);
            if (end > start) {
                total += end - start;
                if (visit)
                    visit(b, start, end, budget);
            }
        }
        if (region_end <= address)
            break;
        address = region_end;
    }
    return total;
}

static void note_run(tb_bulk *b, uintptr_t base, unsigned long count)
{
    if (count == 0)
        return;
    if (b->count == count || base < b->low)
        b->low = base;
    if (base + count * b->size_each > b->high)
        b->high = base + count * b->size_each;
    if (b->range_count < TB_BULK_MAX_RANGES) {
        b->ranges[b->range_count].base = base;
        b->ranges[b->range_count].count = count;
        b->range_count++;
    } else {
        b->ranges_truncated = 1;
    }
}

/* Fills one free range granule by granule. A granule that fails is skipped and ends the current
 * run: under Wine a range that looks free to Windows may hold a Linux mapping Wine doesn't show
 * (a 32-bit target has native libraries in its low 2 GB). */
static void fill_free_range(tb_bulk *b, uintptr_t start, uintptr_t end, uint64_t budget)
{
    if (end - start < TB_BULK_MIN_FREE_RANGE)
        return;              /* leave small holes alone; they are where the rest of the program lives */
    uintptr_t run_base = start;
    unsigned long run_count = 0;
    for (uintptr_t address = start; address + b->size_each <= end; address += b->size_each) {
        if (b->count >= b->requested)
            break;
        if ((uint64_t)(b->count + 1) * b->size_each > budget) {
            b->last_error = ERROR_NOT_ENOUGH_MEMORY;
            break;
        }
        const bulk_kind *kind = &bulk_kinds[(b->count / TB_BULK_RUN_LENGTH) % TB_BULK_KIND_COUNT];
        if (!VirtualAlloc((void *)address, b->size_each, kind->type, kind->protect)) {
            b->last_error = GetLastError();
            note_run(b, run_base, run_count);
            run_base = address + b->size_each;
            run_count = 0;
            continue;
        }
        b->count++;
        run_count++;
    }
    note_run(b, run_base, run_count);
}

void tb_bulk_make(tb_bulk *b, unsigned long requested)
{
    SYSTEM_INFO info;
    GetSystemInfo(&info);
    memset(b, 0, sizeof *b);
    b->requested = requested;
    b->size_each = info.dwAllocationGranularity;
    if (requested == 0)
        return;

    uint64_t total_free = walk_free_ranges(b, NULL, 0);
    uint64_t budget = total_free > TB_BULK_HEADROOM ? total_free - TB_BULK_HEADROOM : 0;
    walk_free_ranges(b, fill_free_range, budget);
    if (b->count >= b->requested)
        b->last_error = 0;
    else if (!b->last_error)
        b->last_error = ERROR_NOT_ENOUGH_MEMORY;
}

void tb_bulk_report(const tb_bulk *b, tj_writer *w)
{
    tj_begin_object(w, "bulk_allocations");
    tj_uint(w, "requested", b->requested);
    tj_uint(w, "count", b->count);
    tj_uint(w, "size_each", b->size_each);
    tj_uint(w, "run_length", TB_BULK_RUN_LENGTH);
    tj_begin_array(w, "kinds");
    for (unsigned i = 0; i < TB_BULK_KIND_COUNT; i++) {
        tj_begin_object(w, NULL);
        tj_string(w, "state", (bulk_kinds[i].type & MEM_COMMIT) ? "commit" : "reserve");
        tb_report_protect(w, "protect", bulk_kinds[i].protect);
        tj_end_object(w);
    }
    tj_end_array(w);
    tj_address(w, "low", b->low);
    tj_address(w, "high", b->high);
    tj_begin_array(w, "ranges");
    for (unsigned i = 0; i < b->range_count; i++) {
        tj_begin_object(w, NULL);
        tj_address(w, "base", b->ranges[i].base);
        tj_uint(w, "count", b->ranges[i].count);
        tj_end_object(w);
    }
    tj_end_array(w);
    tj_bool(w, "ranges_truncated", b->ranges_truncated);
    tj_uint(w, "error", b->last_error);
    tj_end_object(w);
}
